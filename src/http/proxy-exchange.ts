// One request's journey through the pipeline. A single object per request implements both the
// client-side events and the upstream callbacks, so the hot path creates no closures.
import type { ErrorFileModel, ForwardForModel } from '../config/model';
import type { QueueTicket, ServerRuntime, ServerSession, AcquireError } from '../backend';
import type { Exchange, LocalReply } from './exchange';
import type { ClientEvents, ClientSide } from './fronts/front';
import { ResponseFraming } from './fronts/front';
import type {
  UpstreamCall,
  UpstreamError,
  UpstreamHandler,
  UpstreamRequestHead,
  UpstreamResponseHead,
} from './upstream';
import type { HttpBackend, HttpFrontendRuntime } from './proxy';
import type { HttpObserver, HttpRequestRecord } from './record';
import { checkRequest } from './request-checks';
import { addForwarded, clientWantsClose, dropHopByHop, stripHopByHop } from './forward';
import { errorReply, reasonPhrase } from './errors';

/** Response headers the fronts produce themselves (framing) and must not be copied. */
const FRAMING = new Set(['content-length', 'date']);

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/** Shared empty list: most requests have no body, so their chunk lists are never allocated. */
const NO_CHUNKS: Buffer[] = [];

/** Request body bytes kept for a possible retry on another connection. */
const MAX_REPLAY = 64 * 1024;

export class ProxyExchange implements ClientEvents, UpstreamHandler, ServerSession {
  private readonly fe: HttpFrontendRuntime;
  private readonly ex: Exchange;
  private readonly client: ClientSide;
  private readonly bodyExpected: boolean;
  private be: HttpBackend | null = null;
  private server: ServerRuntime | null = null;
  private ticket: QueueTicket | null = null;
  private call: UpstreamCall | null = null;
  private head: UpstreamRequestHead | null = null;
  private key: string | null = null;
  private retriesLeft = 0;
  private attempts = 0;
  private bodyDone = false;
  /** every body chunk so far, while they fit in MAX_REPLAY: needed to retry on a new connection */
  private replay: Buffer[] | null = NO_CHUNKS;
  private replayBytes = 0;
  /** body chunks received while no upstream call exists (waiting in the queue or for a retry) */
  private held: Buffer[] = NO_CHUNKS;
  private heldBytes = 0;
  private bodyPaused = false;
  private headSent = false;
  private framing = ResponseFraming.None;
  private finished = false;
  private started = false;
  private attached = false;
  private clientWaiting = false;
  private clientTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private bytesIn = 0;
  // ---- accounting (HttpRequestRecord) ----
  private readonly t0 = performance.now();
  private readonly acceptDate = Date.now();
  private tAcquired = -1;
  private tConnected = -1;
  private tHead = -1;
  private status = 0;
  private serverStatus = 0;
  /** HAProxy termination state: the event that ended the exchange, then the phase it was in */
  private term = '--';
  /** phase: R request, Q queue, C connect, H waiting for headers, D data */
  private phase = 'R';
  private redispatched = false;
  private upstreamError: string | null = null;
  private clientError = false;
  private serverName: string | null = null;
  /** ServerSession: position in the server's sessions */
  serverSlot = -1;

  constructor(fe: HttpFrontendRuntime, ex: Exchange, client: ClientSide, bodyExpected: boolean) {
    this.fe = fe;
    this.ex = ex;
    this.client = client;
    this.bodyExpected = bodyExpected;
    if (!bodyExpected) this.bodyDone = true;
  }

  /** waits for a frontend slot: listen to the client meanwhile (abort, early body) */
  hold(): void {
    this.attached = true;
    this.client.attach(this);
  }

  start(): void {
    const fe = this.fe;
    const ex = this.ex;
    this.started = true;
    if (this.client.aborted) return this.finish();
    if (!this.attached) {
      this.attached = true;
      this.client.attach(this);
    }
    const bad = checkRequest(ex, fe.maxHeaders, fe.bufsize);
    if (bad !== 0) return this.reply(errorReply(bad, fe.model.errorFiles), true, 'PR');
    const bodyLimit = fe.model.maxRequestBody;
    if (bodyLimit > 0 && this.bodyExpected && Number(ex.header('content-length') ?? 0) > bodyLimit) {
      // announced too large: refused before a byte of it is read (the connection closes)
      return this.reply(errorReply(413, fe.model.errorFiles), true, 'PR');
    }
    if (fe.hasRules) {
      const r = fe.rules(ex);
      if (r !== null) return this.reply(r, false, r.status >= 400 ? 'PR' : 'LR');
    }
    const name = fe.selectBackend(ex);
    const be = name === null ? undefined : fe.backends.get(name);
    if (be === undefined) return this.reply(errorReply(503, fe.model.errorFiles), false, 'PR');
    this.be = be;
    if (be.hasRules) {
      const r = be.rules(ex);
      if (r !== null) return this.reply(r, false, r.status >= 400 ? 'PR' : 'LR');
    }
    this.phase = 'Q';
    this.head = this.buildHead(be);
    this.retriesLeft = be.model.retries;
    this.key = be.key(ex);
    this.acquire(-1);
  }

  // ---- server choice ------------------------------------------------------------------------

  private acquire(avoid: number): void {
    const be = this.be as HttpBackend;
    this.ticket = be.rt.acquire(this.key, avoid, (err, server) => this.acquired(err, server));
  }

  private acquired(err: AcquireError | null, server: ServerRuntime | null): void {
    this.ticket = null;
    if (this.finished) {
      if (server) (this.be as HttpBackend).rt.release(server);
      return;
    }
    if (err !== null || server === null) {
      return this.reply(errorReply(503, this.errorFiles()), false, err === 'no-server' ? 'SC' : 'sQ');
    }
    if (this.tAcquired < 0) this.tAcquired = performance.now();
    this.phase = 'C';
    this.server = server;
    this.serverName = server.name;
    server.sessions.add(this);
    server.counters.stot++;
    this.connect();
  }

  private connect(): void {
    const server = this.server as ServerRuntime;
    const be = this.be as HttpBackend;
    this.attempts++;
    this.call = this.fe.pool.request(
      { host: server.model.host, port: server.model.port, key: server.key },
      be.model.timeouts,
      this.head as UpstreamRequestHead,
      this,
    );
    const call = this.call;
    if (this.attempts === 1) {
      for (const c of this.held) call.write(c);
    } else if (this.replay !== null) {
      for (const c of this.replay) call.write(c);
    }
    this.held = NO_CHUNKS;
    this.heldBytes = 0;
    if (this.bodyPaused) {
      this.bodyPaused = false;
      this.client.resumeBody();
    }
    if (this.bodyDone) call.end();
  }

  // ---- request body -------------------------------------------------------------------------

  onClientBody(chunk: Buffer, last: boolean): boolean {
    if (this.finished) return false;
    let kept = false;
    if (chunk.length > 0) {
      this.bytesIn += chunk.length;
      const limit = this.fe.model.maxRequestBody;
      if (limit > 0 && this.bytesIn > limit) {
        this.bodyTooLarge();
        return false;
      }
      // the front may reuse the chunk's memory: what must outlive this call is copied
      let copy: Buffer | null = null;
      if (this.replay !== null) {
        this.replayBytes += chunk.length;
        if (this.replayBytes > MAX_REPLAY) this.replay = null;
        else {
          copy = Buffer.from(chunk);
          if (this.replay === NO_CHUNKS) this.replay = [copy];
          else this.replay.push(copy);
        }
      }
      const call = this.call;
      if (call === null) {
        copy ??= Buffer.from(chunk);
        if (this.held === NO_CHUNKS) this.held = [copy];
        else this.held.push(copy);
        this.heldBytes += copy.length;
        if (this.heldBytes > MAX_REPLAY && !this.bodyPaused) {
          // waiting for a server: stop reading the client until connected
          this.bodyPaused = true;
          this.client.pauseBody();
        }
      } else {
        const ok = call.write(copy ?? chunk);
        if (copy === null && call.holdsWrites) {
          // queued (connecting, backpressure) or taken in part by the kernel: the rest is sent
          // from the front's memory, which it lends until then
          kept = true;
          call.whenFlushed(() => this.client.releaseBody(chunk));
        }
        if (!ok) {
          this.client.pauseBody();
          call.onDrain(() => this.client.resumeBody());
        }
      }
    }
    if (last) {
      this.bodyDone = true;
      if (this.call !== null) this.call.end();
    }
    return kept;
  }

  /** max-request-body-size passed by a body without a length (a declared one is refused before):
   *  what was forwarded never ends, so the server cannot take it for a complete request */
  private bodyTooLarge(): void {
    this.clientError = true;
    if (!this.headSent) return this.reply(errorReply(413, this.errorFiles()), true, 'PD');
    this.term = 'PD';
    this.client.abort();
    this.finish();
  }

  /** the server went down (on-marked-down), came back while we used a backup, or an operator said so */
  kill(code: 'D' | 'U' | 'K'): void {
    if (this.finished) return;
    this.term = code + this.phase;
    if (this.headSent) this.client.abort();
    else this.client.sendLocal(errorReply(503, this.errorFiles()));
    this.finish();
  }

  onClientAborted(): void {
    if (this.finished) return;
    if (this.call !== null && this.call.connectedAt >= 0) this.tConnected = this.call.connectedAt;
    // HAProxy's phases once connected: D while the request body still flows, H while the
    // response head is awaited
    const connected = this.phase === 'C' && this.tConnected >= 0;
    this.term = 'C' + (connected ? (this.bodyDone ? 'H' : 'D') : this.phase);
    this.finish();
  }

  onClientError(status: number): void {
    if (this.finished) return;
    // HAProxy's bad request during the body: PH with the 400 while no response has begun, PD
    // once it has (then the client can only be cut off); counted as a failed request
    this.term = this.headSent ? 'PD' : 'PH';
    if (!this.headSent) this.status = status;
    this.clientError = true;
    this.finish();
  }

  onClientWritable(): void {
    if (this.clientWaiting) {
      this.clientWaiting = false;
      this.stopClientTimer();
      if (this.call !== null) this.call.resume();
    }
  }

  // ---- upstream response --------------------------------------------------------------------

  onHead(head: UpstreamResponseHead): void {
    if (this.finished) return;
    const be = this.be as HttpBackend;
    if (be.retryStatuses.has(head.status) && this.canRetryL7()) {
      // retry-on <status>: this response is dropped and the request goes out again
      const call = this.call;
      this.call = null;
      if (call !== null) call.abort();
      (this.server as ServerRuntime).counters.eresp++;
      return this.retry();
    }
    this.replay = null;
    this.tHead = performance.now();
    if (this.call !== null) this.tConnected = this.call.connectedAt;
    this.phase = 'D';
    this.serverStatus = head.status;
    this.status = head.status;
    const ex = this.ex;
    let framing: ResponseFraming;
    let length = -1;
    if (ex.method === 'HEAD' || head.status === 204 || head.status === 304 || head.body === 'none') {
      framing = ResponseFraming.None;
      if (ex.method === 'HEAD' && head.body === 'none') {
        const cl = findContentLength(head.headers);
        if (cl >= 0) length = cl;
      }
    } else if (head.body === 'length') {
      framing = ResponseFraming.Length;
      length = head.contentLength;
    } else {
      framing = ResponseFraming.Stream;
    }
    // the parser's list is ours alone: filtered in place
    const headers = dropHopByHop(head.headers, FRAMING);
    this.framing = framing;
    this.headSent = true;
    const close = this.clientClose();
    this.client.sendHead(head.status, head.reason, headers, framing, length, close);
  }

  onData(chunk: Buffer): boolean {
    if (this.finished) return true;
    (this.server as ServerRuntime).counters.bout += chunk.length;
    if (!this.client.sendChunk(chunk)) {
      this.clientWaiting = true;
      (this.call as UpstreamCall).pause();
      this.startClientTimer();
    }
    return true;
  }

  onEnd(): void {
    if (this.finished) return;
    if (this.framing !== ResponseFraming.None) this.client.sendEnd();
    this.call = null; // the pool owns the connection again
    this.finish();
  }

  onError(err: UpstreamError): void {
    if (this.finished) return;
    const server = this.server as ServerRuntime;
    if (this.call !== null && this.call.connectedAt >= 0) this.tConnected = this.call.connectedAt;
    this.call = null;
    this.upstreamError = err.kind;
    if (this.headSent) {
      // body truncated: never let the client take it as complete
      server.counters.eresp++;
      this.term = err.kind === 'timeout' ? 'sD' : 'SD';
      this.client.abort();
      return this.finish();
    }
    const retryOn = (this.be as HttpBackend).model.retryOn;
    if (err.kind === 'connect' || err.kind === 'connect-timeout') {
      server.counters.econ++;
      // nothing reached the server: any method may go again, if we still hold its body
      if (retryOn.connFailure && this.retriesLeft > 0 && this.replay !== null) return this.retry();
      return this.reply(errorReply(503, this.errorFiles()), false, err.kind === 'connect' ? 'SC' : 'sC');
    }
    server.counters.eresp++;
    const l7 =
      err.kind === 'timeout'
        ? retryOn.responseTimeout
        : err.kind === 'protocol'
          ? retryOn.junkResponse
          : retryOn.emptyResponse;
    if (l7 && this.canRetryL7()) return this.retry();
    const term = err.kind === 'timeout' ? 'sH' : err.kind === 'protocol' ? 'PH' : 'SH';
    this.reply(errorReply(err.kind === 'timeout' ? 504 : 502, this.errorFiles()), false, term);
  }

  /**
   * A request that may have reached the server goes again only when that is safe: an idempotent
   * method (RFC 9110 §9.2.2), and a body received in full and still held. A POST never repeats.
   */
  private canRetryL7(): boolean {
    return this.retriesLeft > 0 && this.replay !== null && this.bodyDone && IDEMPOTENT.has(this.ex.method);
  }

  /** HAProxy: retry the same server after min(timeout connect, 1s), redispatch on the last retry */
  private retry(): void {
    const be = this.be as HttpBackend;
    const server = this.server as ServerRuntime;
    this.retriesLeft--;
    const done = be.model.retries - this.retriesLeft;
    const rd = be.model.redispatch;
    const redispatch =
      rd.enabled &&
      (rd.interval === -1 ? this.retriesLeft === 0 : rd.interval > 0 && done % rd.interval === 0);
    if (redispatch) {
      server.counters.wredis++;
      this.redispatched = true;
      server.sessions.delete(this);
      be.rt.release(server);
      this.server = null;
      this.acquire(server.index);
      return;
    }
    server.counters.wretr++;
    const delay = Math.min(be.model.timeouts.connect ?? 1000, 1000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.finished) this.connect();
    }, delay);
  }

  // ---- helpers ------------------------------------------------------------------------------

  private buildHead(be: HttpBackend): UpstreamRequestHead {
    const ex = this.ex;
    const headers = stripHopByHop(ex.headers);
    // we always speak HTTP/1.1 upstream; an HTTP/1.0 request may lack Host, and RFC 9112 §3.2
    // then asks for an empty one
    if (ex.version === '1.0' && ex.header('host') === undefined) headers.push('host', '');
    const ff: ForwardForModel | null = be.model.forwardFor ?? this.fe.model.forwardFor;
    if (ff !== null) addForwarded(headers, ex, ff, this.fe.forwardForExcepted(ff.except, ex.src));
    let body: UpstreamRequestHead['body'] = 'none';
    if (this.bodyExpected) {
      if (ex.header('content-length') !== undefined) body = 'length';
      else {
        body = 'chunked';
        headers.push('transfer-encoding', 'chunked');
      }
    }
    const close =
      be.model.httpConnectionMode !== 'keep-alive' || this.fe.model.httpConnectionMode !== 'keep-alive';
    if (close) headers.push('connection', 'close');
    return { method: ex.method, target: ex.url, headers, body, close };
  }

  private clientClose(): boolean {
    const mode = this.fe.model.httpConnectionMode;
    return mode === 'close' || clientWantsClose(this.ex);
  }

  private errorFiles(): readonly ErrorFileModel[] {
    return this.be !== null && this.be.model.errorFiles.length > 0
      ? this.be.model.errorFiles
      : this.fe.model.errorFiles;
  }

  private reply(r: LocalReply, forceClose: boolean, term: string): void {
    if (this.finished) return;
    this.term = term;
    this.status = r.status;
    if (!this.client.aborted) {
      // an unread request body would be parsed as the next request: close instead
      const close = forceClose || r.close === true || !this.bodyDone || this.clientClose();
      this.client.sendLocal(close && r.close !== true ? { ...r, close: true } : r);
    }
    this.finish();
  }

  private startClientTimer(): void {
    const t = this.fe.model.timeouts.client;
    if (t === null || this.clientTimer !== null) return;
    this.clientTimer = setTimeout(() => {
      this.clientTimer = null;
      if (this.finished) return;
      this.term = 'c' + this.phase;
      this.client.abort();
      this.finish();
    }, t);
  }

  private stopClientTimer(): void {
    if (this.clientTimer !== null) {
      clearTimeout(this.clientTimer);
      this.clientTimer = null;
    }
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.stopClientTimer();
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    if (this.ticket !== null) {
      this.ticket.cancel();
      this.ticket = null;
    }
    if (this.call !== null) {
      this.call.abort();
      this.call = null;
    }
    if (this.server !== null) {
      this.server.sessions.delete(this);
      this.server.counters.bin += this.bytesIn;
      (this.be as HttpBackend).rt.release(this.server);
      this.server = null;
    }
    this.fe.exchangeDone(this, this.started);
    const observers = this.fe.observers;
    if (observers.length > 0) {
      const r = this.record();
      for (let i = 0; i < observers.length; i++) (observers[i] as HttpObserver).onHttpRequest(r);
    }
  }

  private record(): HttpRequestRecord {
    const end = performance.now();
    const t0 = this.t0;
    const tAcq = this.tAcquired;
    const tCon = this.tConnected;
    return {
      frontend: this.fe.model.name,
      backend: this.be !== null ? this.be.model.name : null,
      server: this.serverName,
      ex: this.ex,
      status: this.client.aborted && this.term[0] === 'C' && !this.headSent ? 0 : this.status,
      serverStatus: this.serverStatus,
      bytesIn: this.bytesIn,
      bytesOut: this.client.bytesOut,
      acceptDate: this.acceptDate,
      tR: 0,
      tW: tAcq >= 0 ? Math.round(tAcq - t0) : -1,
      tC: tCon >= 0 && tAcq >= 0 ? Math.max(0, Math.round(tCon - tAcq)) : -1,
      tr: this.tHead >= 0 && tCon >= 0 ? Math.max(0, Math.round(this.tHead - tCon)) : -1,
      tA: Math.round(end - t0),
      retries: Math.max(0, this.attempts - 1),
      redispatched: this.redispatched,
      termination: this.term,
      upstreamError: this.upstreamError,
      clientError: this.clientError,
    };
  }
}

function findContentLength(h: readonly string[]): number {
  for (let i = 0; i < h.length; i += 2) {
    if (h[i] === 'content-length') {
      const n = Number(h[i + 1]);
      return Number.isSafeInteger(n) && n >= 0 ? n : -1;
    }
  }
  return -1;
}

export { reasonPhrase };
