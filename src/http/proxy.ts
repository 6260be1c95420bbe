// The HTTP pipeline of one frontend: checks, http-request rules, backend choice, server choice
// (queueing when servers are full), upstream exchange with retries, response streaming with
// backpressure both ways. Everything config-derived is compiled once in HttpFrontendRuntime.
import type { BackendModel, FrontendModel } from '../config/model';
import type { BackendRuntime } from '../backend';
import type { WorkerContext } from '../worker/context';
import type { Exchange, LocalReply } from './exchange';
import type { ClientSide, RequestHandler } from './fronts/front';
import type { HttpObserver, HttpRequestRecord } from './record';
import type { UpstreamClient } from './upstream';
import { balanceKey } from '../balance';
import { compileBackendSelector, compileHttpRequestRules } from './rules';
import { compileIpMatcher } from '../util/ip';
import { ProxyExchange } from './proxy-exchange';
import { compileServices, type LiveFrontend, type ServiceHook } from '../stats';

/** Per-backend data compiled once for the HTTP path. */
export class HttpBackend {
  readonly rt: BackendRuntime;
  readonly model: BackendModel;
  readonly rules: (ex: Exchange) => LocalReply | null;
  readonly hasRules: boolean;
  /** balance algorithm needs a key from the request */
  readonly needsKey: boolean;
  /** retry-on statuses */
  readonly retryStatuses: ReadonlySet<number>;
  constructor(rt: BackendRuntime) {
    this.rt = rt;
    this.model = rt.model;
    this.hasRules = rt.model.httpRequest.length > 0;
    this.retryStatuses = new Set(rt.model.retryOn.statuses);
    this.rules = compileHttpRequestRules(rt.model.httpRequest, rt.model.errorFiles);
    const a = rt.model.balance.algorithm;
    this.needsKey = a === 'source' || a === 'uri' || a === 'url_param' || a === 'hdr';
  }

  key(ex: Exchange): string | null {
    return this.needsKey ? balanceKey(this.model.balance, ex) : null;
  }
}

export class HttpFrontendRuntime implements RequestHandler, LiveFrontend {
  readonly model: FrontendModel;
  readonly ctx: WorkerContext;
  readonly pool: UpstreamClient;
  readonly rules: (ex: Exchange) => LocalReply | null;
  readonly hasRules: boolean;
  readonly selectBackend: (ex: Exchange) => string | null;
  readonly backends = new Map<string, HttpBackend>();
  readonly maxHeaders: number;
  /** told about every finished request (access logs, statistics, passive health) */
  readonly observers: readonly HttpObserver[];
  readonly bufsize: number;
  /** requests being processed (not waiting for a frontend slot) */
  active = 0;
  /** frontend maxconn, or global maxconn when unset; the runtime API changes it (setMaxconn) */
  maxconn: number;
  readonly initialMaxconn: number;
  /** highest `active` since start or `clear counters` (the frontend's smax) */
  peak = 0;
  /** requests over maxconn wait here in arrival order (HAProxy leaves such connections in the
   *  kernel backlog; uWS gives us no control over accepting, so we hold the requests instead) */
  private readonly waiting: ProxyExchange[] = [];
  private readonly ffExcept: Map<string, (addr: string) => boolean>;
  /** `http-request use-service` (stats subsystem), or null */
  private readonly service: ServiceHook | null;

  constructor(model: FrontendModel, ctx: WorkerContext, pool: UpstreamClient) {
    this.model = model;
    this.ctx = ctx;
    this.pool = pool;
    this.hasRules = model.httpRequest.length > 0;
    this.rules = compileHttpRequestRules(model.httpRequest, model.errorFiles);
    this.selectBackend = compileBackendSelector(model);
    this.service = compileServices(model, ctx.services);
    this.maxHeaders = ctx.model.global.tune.maxhdr;
    this.bufsize = ctx.model.global.tune.bufsize;
    this.observers = ctx.httpObservers ?? [];
    this.maxconn = model.maxconn > 0 ? model.maxconn : ctx.model.global.maxconn;
    this.initialMaxconn = this.maxconn;
    for (const [name, rt] of ctx.backends) {
      if (rt.model.mode === 'http') this.backends.set(name, new HttpBackend(rt));
    }
    this.ffExcept = new Map();
    for (const m of [model.forwardFor, ...[...this.backends.values()].map((b) => b.model.forwardFor)]) {
      if (m && m.except.length > 0 && !this.ffExcept.has(m.except.join(','))) {
        this.ffExcept.set(m.except.join(','), compileIpMatcher(m.except));
      }
    }
    ctx.services?.frontends.add(this);
  }

  get name(): string {
    return this.model.name;
  }

  get configuredMaxconn(): number {
    return this.model.maxconn;
  }

  resetPeak(): void {
    this.peak = this.active;
  }

  /** `set maxconn frontend|global`: requests already running finish; waiting ones fill new room */
  setMaxconn(n: number): void {
    this.maxconn = n;
    this.admitWaiting();
  }

  private admitWaiting(): void {
    while (this.active < this.maxconn && this.waiting.length > 0) {
      this.active++;
      (this.waiting.shift() as ProxyExchange).start();
    }
    if (this.active > this.peak) this.peak = this.active;
  }

  handle(ex: Exchange, client: ClientSide, bodyExpected: boolean): void {
    if (this.service !== null && this.service(ex, client, bodyExpected)) return;
    const px = new ProxyExchange(this, ex, client, bodyExpected);
    if (this.active < this.maxconn) {
      this.active++;
      if (this.active > this.peak) this.peak = this.active;
      px.start();
    } else {
      this.waiting.push(px);
      px.hold();
    }
  }

  rejected(r: HttpRequestRecord): void {
    for (const o of this.observers) o.onHttpRequest(r);
  }

  /** requests waiting for a frontend slot */
  get queued(): number {
    return this.waiting.length;
  }

  /** the client address is listed in the `except` of this forwardfor option */
  forwardForExcepted(except: readonly string[], src: string): boolean {
    if (except.length === 0) return false;
    const m = this.ffExcept.get(except.join(','));
    return m !== undefined && m(src);
  }

  exchangeDone(px: ProxyExchange, started: boolean): void {
    if (!started) {
      const i = this.waiting.indexOf(px);
      if (i >= 0) this.waiting.splice(i, 1);
      return;
    }
    // the slot goes to the next waiting request unless a lowered maxconn took it away
    this.active--;
    this.admitWaiting();
  }
}
