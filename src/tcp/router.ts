// Backend choice for a TCP frontend: `use_backend ... if <cond>` rules in order, then
// `default_backend`. Conditions are compiled once when the frontend starts; per connection only a
// minimal Exchange (no HTTP request exists in mode tcp) is built, and only when rules exist.
import type { FrontendModel } from '../config/model';
import type { BackendRuntime } from '../backend';
import type { WorkerContext } from '../worker/context';
import { Exchange } from '../http/exchange';
import { compileCondition } from '../http/rules';
import { resolveTcpTimeouts, type TcpTimeouts } from './timeouts';

/** A backend together with the timeouts that apply to sessions of this frontend sent to it. */
export interface TcpRoute {
  readonly backend: BackendRuntime;
  readonly timeouts: TcpTimeouts;
  /**
   * balance source hashes the client address. HAProxy falls back to round robin for the HTTP-based
   * hashes (uri, url_param, hdr) in mode tcp, so those get no key (balanceKey would hash "/").
   */
  readonly hashSource: boolean;
}

interface Rule {
  readonly test: (ex: Exchange) => boolean;
  readonly route: TcpRoute | null;
}

/** Peer of one accepted connection, as ACL fetches see it. */
export interface TcpPeer {
  readonly src: string;
  readonly srcPort: number;
  readonly dstPort: number;
}

export class TcpRouter {
  private readonly frontend: string;
  private readonly rules: readonly Rule[];
  private readonly fallback: TcpRoute | null;

  constructor(fe: FrontendModel, ctx: WorkerContext) {
    this.frontend = fe.name;
    const routes = new Map<string, TcpRoute | null>();
    const resolve = (name: string | null): TcpRoute | null => {
      if (name === null) return null;
      let r = routes.get(name);
      if (r === undefined) {
        r = makeRoute(fe, ctx, name);
        routes.set(name, r);
      }
      return r;
    };
    this.rules = fe.useBackend.map((u) => ({ test: compileCondition(u.cond), route: resolve(u.backend) }));
    this.fallback = resolve(fe.defaultBackend);
  }

  /** the route for a new connection, or null when no backend applies (the connection is closed) */
  route(peer: TcpPeer): TcpRoute | null {
    if (this.rules.length === 0) return this.fallback;
    const ex = new Exchange('', '/', '1.1', [], peer.src, peer.srcPort, peer.dstPort, this.frontend, false);
    for (const rule of this.rules) {
      // a rule naming an unknown backend is a config error caught by the compiler; skip it defensively
      if (rule.route !== null && rule.test(ex)) return rule.route;
    }
    return this.fallback;
  }
}

function makeRoute(fe: FrontendModel, ctx: WorkerContext, name: string): TcpRoute | null {
  const backend = ctx.backends.get(name);
  if (backend === undefined) {
    ctx.log.warn({ frontend: fe.name, backend: name }, 'tcp frontend refers to an unknown backend');
    return null;
  }
  return {
    backend,
    timeouts: resolveTcpTimeouts(fe.timeouts, backend.model.timeouts),
    hashSource: backend.model.balance.algorithm === 'source',
  };
}
