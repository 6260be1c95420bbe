// The narrow interface every load-balancing algorithm implements. Strategies are pure: no I/O,
// timers or logging; randomness is injected. The owner (backend/ runtime) keeps the live server
// state in BalanceServer objects and tells the strategy when the set changed.

/** Live view of one server, owned and mutated by the caller; strategies only read it. */
export interface BalanceServer {
  /** position in the backend's server list (stable for the strategy's lifetime) */
  readonly index: number;
  /** server id (ordering for `first`) */
  readonly id: number;
  /** effective weight now (0..256; slowstart and runtime changes already applied) */
  weight: number;
  /** may receive new traffic now (UP / not MAINT / not DRAIN / weight may still be 0) */
  usable: boolean;
  readonly backup: boolean;
  /** its backend's `option allbackups`: with no active server UP, every UP backup takes traffic */
  readonly allBackups?: boolean;
  /** connections (requests in HTTP) currently served by this server, plus queued ones for it */
  conns: number;
  /** 0 = unlimited */
  maxconn: number;
}

export interface PickContext {
  /** hash key for source/uri/url_param/hdr; null when absent (hash algorithms fall back to roundrobin) */
  readonly key: string | null;
  /** a server index to avoid if possible (redispatch after a failure), or -1 */
  readonly avoid: number;
}

export interface Balancer {
  /** index of the chosen server, or -1 when none is usable */
  pick(ctx: PickContext): number;
  /** the set changed: usable flags, weights or backups; rebuild what depends on them */
  update(): void;
}

export type Random = () => number;
