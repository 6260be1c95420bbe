// The HTTP pipeline of one frontend: checks, http-request rules, backend choice, server choice
// (queueing when servers are full), upstream exchange with retries, response streaming with
// backpressure both ways. Everything config-derived is compiled once in HttpFrontendRuntime.
import type { BackendModel, FrontendModel } from '../config/model';
import type { BackendRuntime } from '../backend';
import type { WorkerContext } from '../worker/context';
import type { Exchange, LocalReply } from './exchange';
import type { ClientSide, RequestHandler } from './fronts/front';
import type { UpstreamPool } from './upstream';
import { balanceKey } from '../balance';
import { compileBackendSelector, compileHttpRequestRules } from './rules';
import { compileIpMatcher } from '../util/ip';
import { ProxyExchange } from './proxy-exchange';

/** Per-backend data compiled once for the HTTP path. */
export class HttpBackend {
  readonly rt: BackendRuntime;
  readonly model: BackendModel;
  readonly rules: (ex: Exchange) => LocalReply | null;
  readonly hasRules: boolean;
  /** balance algorithm needs a key from the request */
  readonly needsKey: boolean;
  constructor(rt: BackendRuntime) {
    this.rt = rt;
    this.model = rt.model;
    this.hasRules = rt.model.httpRequest.length > 0;
    this.rules = compileHttpRequestRules(rt.model.httpRequest, rt.model.errorFiles);
    const a = rt.model.balance.algorithm;
    this.needsKey = a === 'source' || a === 'uri' || a === 'url_param' || a === 'hdr';
  }

  key(ex: Exchange): string | null {
    return this.needsKey ? balanceKey(this.model.balance, ex) : null;
  }
}

export class HttpFrontendRuntime implements RequestHandler {
  readonly model: FrontendModel;
  readonly ctx: WorkerContext;
  readonly pool: UpstreamPool;
  readonly rules: (ex: Exchange) => LocalReply | null;
  readonly hasRules: boolean;
  readonly selectBackend: (ex: Exchange) => string | null;
  readonly backends = new Map<string, HttpBackend>();
  readonly maxHeaders: number;
  readonly bufsize: number;
  /** requests in flight, for graceful stop */
  active = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly ffExcept: Map<string, (addr: string) => boolean>;

  constructor(model: FrontendModel, ctx: WorkerContext, pool: UpstreamPool) {
    this.model = model;
    this.ctx = ctx;
    this.pool = pool;
    this.hasRules = model.httpRequest.length > 0;
    this.rules = compileHttpRequestRules(model.httpRequest, model.errorFiles);
    this.selectBackend = compileBackendSelector(model);
    this.maxHeaders = ctx.model.global.tune.maxhdr;
    this.bufsize = ctx.model.global.tune.bufsize;
    for (const [name, rt] of ctx.backends) {
      if (rt.model.mode === 'http') this.backends.set(name, new HttpBackend(rt));
    }
    this.ffExcept = new Map();
    for (const m of [model.forwardFor, ...[...this.backends.values()].map((b) => b.model.forwardFor)]) {
      if (m && m.except.length > 0 && !this.ffExcept.has(m.except.join(','))) {
        this.ffExcept.set(m.except.join(','), compileIpMatcher(m.except));
      }
    }
  }

  handle(ex: Exchange, client: ClientSide, bodyExpected: boolean): void {
    this.active++;
    new ProxyExchange(this, ex, client, bodyExpected).start();
  }

  /** the client address is listed in the `except` of this forwardfor option */
  forwardForExcepted(except: readonly string[], src: string): boolean {
    if (except.length === 0) return false;
    const m = this.ffExcept.get(except.join(','));
    return m !== undefined && m(src);
  }

  exchangeDone(): void {
    this.active--;
    if (this.active === 0 && this.idleWaiters.length > 0) {
      const w = this.idleWaiters;
      this.idleWaiters = [];
      for (const f of w) f();
    }
  }

  /** resolves when no request is in flight */
  whenIdle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
