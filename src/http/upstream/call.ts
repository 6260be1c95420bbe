// The caller's handle on one exchange. It outlives its connection's involvement: once the exchange
// is over (or moved to a fresh connection by the one retry), stale calls become no-ops instead of
// touching a connection that now serves someone else.

import type {
  UpstreamCall,
  UpstreamHandler,
  UpstreamRequestHead,
  UpstreamTarget,
  UpstreamTimeouts,
} from './types';
import type { Connection } from './connection';
import { serializeHead } from './serialize';

export interface CallOwner {
  callDone(): void;
}

/** RFC 9110 §9.2.2: only these may be replayed when a reused connection dies before answering */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

export class Call implements UpstreamCall {
  conn: Connection | null = null;
  readonly headBytes: string;
  readonly chunked: boolean;
  /** a body byte went to a socket: the request can no longer be replayed */
  bodyWritten = false;
  ended = false;
  retried = false;
  done = false;
  connectedAt = -1;
  private drainCb: (() => void) | null = null;

  constructor(
    private readonly owner: CallOwner,
    readonly target: UpstreamTarget,
    readonly timeouts: UpstreamTimeouts,
    readonly head: UpstreamRequestHead,
    readonly handler: UpstreamHandler,
  ) {
    this.headBytes = serializeHead(head);
    this.chunked = head.body === 'chunked';
  }

  get isHead(): boolean {
    return this.head.method === 'HEAD';
  }

  /** the request is complete on the wire, a precondition for reusing the connection */
  get bodyDone(): boolean {
    return this.ended || this.head.body === 'none';
  }

  get replayable(): boolean {
    return !this.retried && !this.bodyWritten && IDEMPOTENT.has(this.head.method);
  }

  write(chunk: Buffer): boolean {
    const c = this.conn;
    if (c === null || this.ended || chunk.length === 0) return true;
    this.bodyWritten = true;
    return c.writeBody(chunk, this.chunked);
  }

  get holdsWrites(): boolean {
    return this.conn !== null && this.conn.queuedBytes > 0;
  }

  whenFlushed(cb: () => void): void {
    if (this.conn !== null) this.conn.whenFlushed(cb);
    else cb();
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.conn !== null) this.conn.endBody(this.chunked);
  }

  onDrain(cb: () => void): void {
    this.drainCb = cb;
  }

  drained(): void {
    const cb = this.drainCb;
    if (cb === null || this.done) return;
    this.drainCb = null;
    cb();
  }

  pause(): void {
    if (this.conn !== null) this.conn.pause();
  }

  resume(): void {
    if (this.conn !== null) this.conn.resume();
  }

  abort(): void {
    const c = this.conn;
    if (this.done) return;
    this.finish();
    if (c !== null) c.abortExchange();
  }

  /** the exchange is over (ended, failed or aborted): detach and stop counting it as active */
  finish(): void {
    if (this.done) return;
    this.done = true;
    this.conn = null;
    this.drainCb = null;
    this.owner.callDone();
  }
}
