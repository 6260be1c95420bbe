// Per-target keep-alive pools. Idle connections are reused LIFO: the most recently used one is the
// least likely to have hit the server's keep-alive timeout, and the cold ones at the bottom age out.

import type {
  UpstreamCall,
  UpstreamHandler,
  UpstreamRequestHead,
  UpstreamTarget,
  UpstreamTimeouts,
} from './types';
import type { CallOwner } from './call';
import { Call } from './call';
import type { ConnectionOwner } from './connection';
import { Connection } from './connection';
import { DEFAULT_MAX_HEADER_BYTES } from './parser';

/** Idle connections kept per server. It must cover the concurrency a worker sends to one server:
 *  with 64, 256 concurrent clients made three requests in four open a new upstream connection
 *  (bench/upstream-ab at 256 connections: 83 -> 40 us CPU per request when raised to 1024). */
export const DEFAULT_MAX_IDLE_PER_TARGET = 1024;
/** below common server keep-alive timeouts (nginx 75 s, node 5 s is the outlier) */
export const DEFAULT_IDLE_TIMEOUT_MS = 4_000;

export interface UpstreamPoolOptions {
  maxIdlePerTarget?: number;
  idleTimeoutMs?: number;
  /** limit for a response's status line + headers (and separately its trailers) */
  maxHeaderBytes?: number;
}

export class UpstreamPool implements ConnectionOwner, CallOwner {
  readonly idleTimeoutMs: number;
  private readonly maxIdle: number;
  private readonly maxHeaderBytes: number;
  private readonly idle = new Map<string, Connection[]>();
  private idleCount = 0;
  private activeCount = 0;
  private closed = false;
  /** closes connections idle for idleTimeoutMs; runs only while some are idle */
  private sweeper: NodeJS.Timeout | null = null;
  private readonly sweep = (): void => this.closeStale();

  constructor(opts: UpstreamPoolOptions = {}) {
    this.maxIdle = opts.maxIdlePerTarget ?? DEFAULT_MAX_IDLE_PER_TARGET;
    this.idleTimeoutMs = opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.maxHeaderBytes = opts.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  }

  /** Callbacks never run synchronously inside this call. */
  request(
    target: UpstreamTarget,
    timeouts: UpstreamTimeouts,
    head: UpstreamRequestHead,
    handler: UpstreamHandler,
  ): UpstreamCall {
    const call = new Call(this, target, timeouts, head, handler);
    this.activeCount++;
    const conn = this.takeIdle(target.key) ?? new Connection(this, target, this.maxHeaderBytes);
    conn.start(call);
    return call;
  }

  /** destroys idle connections; in-flight exchanges finish, and their connections are then closed */
  close(): void {
    this.closed = true;
    this.stopSweeping();
    for (const list of this.idle.values()) for (const c of list) c.destroy();
    this.idle.clear();
    this.idleCount = 0;
  }

  stats(): { idle: number; active: number } {
    return { idle: this.idleCount, active: this.activeCount };
  }

  // ---- ConnectionOwner / CallOwner -------------------------------------------------------------

  release(conn: Connection): void {
    let list = this.idle.get(conn.key);
    if (list === undefined) {
      list = [];
      this.idle.set(conn.key, list);
    }
    if (this.closed || list.length >= this.maxIdle || !conn.alive) {
      conn.destroy();
      return;
    }
    list.push(conn);
    this.idleCount++;
    conn.toIdle();
    // an eighth of the idle timeout: a connection lives at most 12.5% longer than asked
    if (this.sweeper === null) {
      this.sweeper = setInterval(this.sweep, Math.max(10, this.idleTimeoutMs / 8));
      this.sweeper.unref();
    }
  }

  discardIdle(conn: Connection): void {
    conn.destroy();
    const list = this.idle.get(conn.key);
    if (list === undefined) return;
    const i = list.lastIndexOf(conn);
    if (i === -1) return;
    list.splice(i, 1);
    this.idleCount--;
  }

  retry(call: Call): void {
    call.retried = true;
    new Connection(this, call.target, this.maxHeaderBytes).start(call);
  }

  callDone(): void {
    this.activeCount--;
  }

  /** each idle list is in release order (LIFO reuse), so the stale ones are at its start */
  private closeStale(): void {
    const limit = performance.now() - this.idleTimeoutMs;
    for (const list of this.idle.values()) {
      let n = 0;
      while (n < list.length && (list[n] as Connection).idleSince <= limit)
        (list[n++] as Connection).destroy();
      if (n > 0) {
        list.splice(0, n);
        this.idleCount -= n;
      }
    }
    if (this.idleCount === 0) this.stopSweeping();
  }

  private stopSweeping(): void {
    if (this.sweeper !== null) clearInterval(this.sweeper);
    this.sweeper = null;
  }

  private takeIdle(key: string): Connection | null {
    const list = this.idle.get(key);
    if (list === undefined) return null;
    while (list.length > 0) {
      const conn = list.pop() as Connection;
      this.idleCount--;
      if (conn.alive) return conn;
      conn.destroy();
    }
    return null;
  }
}
