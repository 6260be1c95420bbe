// One keep-alive TCP connection to a server, carrying one exchange at a time. Socket listeners are
// attached once per connection (not per request); the current exchange is `call`, null when idle.

import * as net from 'node:net';
import type { UpstreamErrorKind, UpstreamResponseHead, UpstreamTarget } from './types';
import { UpstreamError } from './types';
import type { Call } from './call';
import type { ResponseSink } from './parser';
import { ResponseParser } from './parser';
import { chunkHeader, CRLF, LAST_CHUNK } from './serialize';

export interface ConnectionOwner {
  /** the exchange ended cleanly and the connection may serve another one */
  release(conn: Connection): void;
  /** an idle connection saw bytes, EOF, an error or its idle timeout */
  discardIdle(conn: Connection): void;
  /** a reused connection died before any response byte: replay the call on a fresh one */
  retry(call: Call): void;
}

/**
 * Every upstream socket reads into this one buffer (net's `onread`), instead of node allocating
 * a new one per read: the bytes are parsed and handed on synchronously, before the next read of
 * any socket can land, so nothing may keep a reference to them (see UpstreamHandler.onData).
 * Under a fast download on Node 24 the per-read buffers alone raised the worker's peak RSS by
 * ~75 MiB (Node 20: ~36 MiB) before the collector caught up.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);
/** an empty write, whose callback marks the end of everything written before it */
const EMPTY = Buffer.alloc(0);

export class Connection implements ResponseSink {
  readonly key: string;
  private readonly socket: net.Socket;
  private readonly parser: ResponseParser;
  private call: Call | null = null;
  private connected = false;
  private destroyed = false;
  private exchanges = 0;
  private responseStarted = false;
  private reusable = true;
  private eofSeen = false;
  private paused = false;
  /** the socket timeout in force: re-armed only when it changes (each socket.setTimeout
   *  allocates a timer and a bound function; per request that was 7% of the proxy's CPU) */
  private timerMs = -1;
  /** when it went back to the pool (performance.now()), for the pool's idle sweep */
  idleSince = 0;

  constructor(
    private readonly owner: ConnectionOwner,
    target: UpstreamTarget,
    maxHeaderBytes: number,
  ) {
    this.key = target.key;
    this.parser = new ResponseParser(this, maxHeaderBytes);
    const s = net.connect({
      host: target.host,
      port: target.port,
      onread: { buffer: READ_BUFFER, callback: this.onRead },
    });
    this.socket = s;
    s.setNoDelay(true);
    s.on('connect', this.onConnect);
    s.on('end', this.onEnd);
    s.on('close', this.onClose);
    s.on('error', this.onError);
    s.on('timeout', this.onTimeout);
    s.on('drain', this.onDrain);
  }

  /** false once the socket can no longer carry a request (checked before reuse) */
  get alive(): boolean {
    return !this.destroyed && !this.eofSeen && this.socket.writable;
  }

  start(call: Call): void {
    this.call = call;
    call.conn = this;
    this.exchanges++;
    this.responseStarted = false;
    this.reusable = !call.head.close;
    this.paused = false;
    this.parser.reset(call.isHead);
    if (this.connected) call.connectedAt = performance.now();
    this.socket.ref();
    this.armTimer();
    // before 'connect', net queues the write and flushes it once connected
    this.socket.write(call.headBytes, 'latin1');
    if (call.ended && call.chunked) this.socket.write(LAST_CHUNK, 'latin1');
  }

  writeBody(chunk: Buffer, chunked: boolean): boolean {
    const s = this.socket;
    if (!chunked) return s.write(chunk);
    // cork: size line, data and CRLF leave in one writev without copying the data
    s.cork();
    s.write(chunkHeader(chunk.length), 'latin1');
    s.write(chunk);
    const ok = s.write(CRLF, 'latin1');
    s.uncork();
    return ok;
  }

  /** bytes written but not yet taken by the kernel (queued before connect, or backpressure) */
  get queuedBytes(): number {
    return this.socket.writableLength;
  }

  whenFlushed(cb: () => void): void {
    if (this.socket.writableLength === 0) return cb();
    // writes complete in order: an empty one's callback runs once every earlier byte is gone
    // (sent, or dropped with a destroyed socket; upstream sockets are never half-closed)
    this.socket.write(EMPTY, cb);
  }

  endBody(chunked: boolean): void {
    if (chunked) this.socket.write(LAST_CHUNK, 'latin1');
  }

  pause(): void {
    if (this.paused || this.call === null) return;
    this.paused = true;
    this.parser.pause();
    this.socket.pause();
    this.armTimer();
  }

  resume(): void {
    if (!this.paused || this.call === null) return;
    this.paused = false;
    this.socket.resume();
    this.armTimer();
    const held = this.parser.resume();
    if (held !== null) this.feed(held);
    else if (this.eofSeen && this.call !== null) this.serverEof();
  }

  /** the caller gave up: no more callbacks */
  abortExchange(): void {
    this.call = null;
    this.destroy();
  }

  /** parked in the pool: reading (to notice EOF or stray bytes), not holding the process open.
   *  The pool's sweep closes it after the idle timeout; the server timeout stays armed meanwhile
   *  (a connection idle that long goes too). */
  toIdle(): void {
    this.paused = false;
    this.socket.resume();
    this.socket.unref();
    this.idleSince = performance.now();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.parser.halt();
    this.socket.destroy();
  }

  // ---- parser sink ---------------------------------------------------------------------------

  onParsedInterim(status: number, reason: string, headers: string[]): void {
    const call = this.call;
    if (call !== null && call.handler.onInterim !== undefined)
      call.handler.onInterim(status, reason, headers);
  }

  onParsedHead(head: UpstreamResponseHead): void {
    if (head.willClose) this.reusable = false;
    if (this.call !== null) this.call.handler.onHead(head);
  }

  onParsedData(chunk: Buffer): void {
    const call = this.call;
    if (call !== null && !call.handler.onData(chunk)) this.pause();
  }

  onParsedEnd(trailers: string[] | null, extraBytes: boolean): void {
    const call = this.call;
    if (call === null) return;
    const reusable = this.reusable && !extraBytes && !this.eofSeen && call.bodyDone && !this.destroyed;
    this.call = null;
    call.finish();
    call.handler.onEnd(trailers);
    if (reusable && !this.destroyed) this.owner.release(this);
    else this.destroy();
  }

  // ---- socket events -------------------------------------------------------------------------

  private readonly onConnect = (): void => {
    this.connected = true;
    if (this.call !== null) this.call.connectedAt = performance.now();
    this.armTimer();
  };

  /** always true: a pause is asked for by pause(), never by the return value */
  private readonly onRead = (nread: number, buffer: Uint8Array): boolean => {
    const buf = buffer as Buffer;
    if (this.call === null) {
      // bytes nobody asked for: the connection is out of sync with the server
      this.owner.discardIdle(this);
      return true;
    }
    this.responseStarted = true;
    this.feed(nread === buf.length ? buf : buf.subarray(0, nread));
    return true;
  };

  private readonly onEnd = (): void => {
    this.eofSeen = true;
    if (this.call === null) this.owner.discardIdle(this);
    else if (!this.parser.hasPending) this.serverEof();
  };

  private readonly onClose = (): void => {
    this.destroyed = true;
    if (this.call === null) this.owner.discardIdle(this);
    // bytes held back by a pause still belong to the response: resume() finishes the exchange
    else if (!(this.eofSeen && this.parser.hasPending)) this.lost('connection closed');
  };

  private readonly onError = (err: Error): void => {
    if (this.call === null) this.owner.discardIdle(this);
    else this.lost(err.message);
  };

  private readonly onTimeout = (): void => {
    if (this.call === null) this.owner.discardIdle(this);
    else if (!this.connected) this.fail('connect-timeout', 'connect timeout', true);
    else this.fail('timeout', 'server timeout', false);
  };

  private readonly onDrain = (): void => {
    if (this.call !== null) this.call.drained();
  };

  // ---- internals -----------------------------------------------------------------------------

  private feed(buf: Buffer): void {
    if (!this.parser.execute(buf)) {
      this.fail('protocol', this.parser.error ?? 'invalid response', false);
      return;
    }
    if (this.eofSeen && this.call !== null && !this.parser.hasPending && !this.paused) this.serverEof();
  }

  private serverEof(): void {
    if (this.parser.eof()) return;
    this.lost('server closed the connection');
  }

  /** the socket went away mid-exchange: classify by how far the exchange got */
  private lost(why: string): void {
    const call = this.call;
    if (call === null) return;
    if (!this.connected) {
      this.fail('connect', why, true);
    } else if (this.responseStarted) {
      this.fail('reset', why, false);
    } else if (this.exchanges > 1 && call.replayable) {
      // keep-alive race: the server closed an idle connection as we picked it (RFC 9112 §9.3.1)
      this.call = null;
      this.destroy();
      this.owner.retry(call);
    } else {
      this.fail('empty', why, false);
    }
  }

  private fail(kind: UpstreamErrorKind, why: string, requestUnsent: boolean): void {
    const call = this.call;
    this.call = null;
    this.destroy();
    if (call === null) return;
    call.finish();
    call.handler.onError(new UpstreamError(kind, `${kind}: ${why}`, requestUnsent));
  }

  /** one socket timer serves as connect or server timeout depending on the state */
  private armTimer(): void {
    if (this.destroyed) return;
    const call = this.call;
    if (call === null) return;
    const ms = (!this.connected ? call.timeouts.connect : this.paused ? 0 : call.timeouts.server) ?? 0;
    if (ms === this.timerMs) return;
    this.timerMs = ms;
    this.socket.setTimeout(ms);
  }
}
