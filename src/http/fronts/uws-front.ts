// HTTP/1.1 front on uWebSockets.js. uWS parses the request (HTTP/1.1, origin-form only: it closes
// the connection without a response on HTTP/1.0, absolute-form targets, bare LF, CL+TE and more),
// we copy what the pipeline needs into an Exchange before the callback returns, and stream the
// response back with uWS's backpressure protocol (tryEnd/write + onWritable), corked.
import type { BindModel } from '../../config/model';
import type { Listener } from '../../worker/listener';
import type { LocalReply } from '../exchange';
import { Exchange } from '../exchange';
import type { ClientEvents, ClientSide, RequestHandler } from './front';
import { ResponseFraming } from './front';
import { loadUws } from './uws-loader';
import type { UwsHttpRequest, UwsHttpResponse, UwsListenSocket } from './uws-types';
import { normalizeAddress } from '../../util/ip';
import { SlotSet } from '../../util/slot-set';
import { SILENT_CLOSE_STATUS, reasonPhrase } from '../errors';
import { clientWantsClose } from '../forward';
import { releaseSlab, takeSlab } from './body-slabs';
import type { ConnGate } from '../../worker/conn-gate';

/** uWS's cork buffer is 16 KiB (LoopData::CORK_BUFFER_SIZE, both builds); a piece of chunked
 *  body this size fits with its chunk framing and, on the first write, uWS's Date, uWebSockets
 *  and Transfer-Encoding fields */
const CORK_PIECE = 16 * 1024 - 256;

class UwsClient implements ClientSide {
  aborted = false;
  /** position in the listener's open requests */
  openSlot = -1;
  bytesOut = 0;
  private readonly res: UwsHttpResponse;
  private readonly listener: UwsListener;
  private events: ClientEvents | null = null;
  private early: Buffer[] | null = null;
  private earlyLast = false;
  private ended = false;
  private framing = ResponseFraming.None;
  private total = 0;
  private close = false;
  private headStatus = '';
  private headHeaders: readonly string[] = [];
  private head: string | null = null;
  private headWritten = true;
  private pending: Buffer | null = null;
  private pendingOffset = 0;
  private corkChunk: Buffer | null = null;
  private corkResult = true;
  private writableSet = false;
  /** write() or tryEnd() has been called: uWS's head is closed */
  private bodyWritten = false;
  /** the response is ended with end(…, true) while its head is open, and the request did not
   *  ask to close: uWS writes `Connection: close` itself, so the head leaves it out */
  private uwsSaysClose = false;
  /** the request (set by the listener) */
  ex: Exchange | null = null;
  /** slabs holding body chunks the receiver still references (see releaseBody) */
  private lent: Buffer[] | null = null;

  // res.cork() takes a callback: these static ones, with the client in `corking`, spare every
  // request two closures (cork calls never nest, so one slot is enough)
  private static corking: UwsClient | null = null;
  private static readonly corkSend = (): void => (UwsClient.corking as UwsClient).doSend();
  private static readonly corkEnd = (): void => (UwsClient.corking as UwsClient).doEnd();

  private cork(fn: () => void): void {
    UwsClient.corking = this;
    this.res.cork(fn);
    UwsClient.corking = null;
  }

  /** onWritable is only needed once a write met backpressure: registered then, not per request */
  private watchWritable(): void {
    if (this.writableSet) return;
    this.writableSet = true;
    this.res.onWritable((offset) => this.onWritable(offset));
  }

  constructor(res: UwsHttpResponse, listener: UwsListener) {
    this.res = res;
    this.listener = listener;
  }

  // ---- from uWS -----------------------------------------------------------------------------

  onAborted(): void {
    this.aborted = true;
    this.listener.closed(this);
    if (this.events !== null) this.events.onClientAborted();
  }

  onData(ab: ArrayBuffer, last: boolean): void {
    // uWS neuters the ArrayBuffer when we return: copy it, into a slab unless it waits for attach()
    const events = this.events;
    if (events === null) {
      (this.early ??= []).push(Buffer.from(new Uint8Array(ab)));
      this.earlyLast = last;
      return;
    }
    const slab = takeSlab(ab.byteLength);
    const chunk = slab.subarray(0, ab.byteLength);
    chunk.set(new Uint8Array(ab));
    if (events.onClientBody(chunk, last)) (this.lent ??= []).push(slab);
    else releaseSlab(slab);
  }

  onWritable(offset: number): boolean {
    if (this.aborted || this.ended) return true;
    if (this.pending !== null) {
      const chunk = this.pending.subarray(offset - this.pendingOffset);
      const [ok, done] = this.res.tryEnd(chunk, this.total);
      if (done) return this.finished();
      if (!ok) return false;
      this.bytesOut += this.pending.length;
      this.pending = null;
    }
    if (this.events !== null) this.events.onClientWritable();
    return true;
  }

  // ---- ClientSide ---------------------------------------------------------------------------

  attach(events: ClientEvents): void {
    this.events = events;
    const early = this.early;
    if (early !== null) {
      this.early = null;
      for (let i = 0; i < early.length; i++) {
        events.onClientBody(early[i] as Buffer, this.earlyLast && i === early.length - 1);
      }
    }
  }

  releaseBody(chunk: Buffer): void {
    const lent = this.lent;
    if (lent === null) return;
    const i = lent.findIndex((slab) => slab.buffer === chunk.buffer);
    if (i < 0) return;
    releaseSlab(lent[i] as Buffer);
    lent.splice(i, 1);
  }

  pauseBody(): void {
    if (!this.aborted) this.res.pause();
  }

  resumeBody(): void {
    if (!this.aborted) this.res.resume();
  }

  sendHead(
    status: number,
    reason: string,
    headers: readonly string[],
    framing: ResponseFraming,
    length: number,
    close: boolean,
  ): void {
    if (this.aborted) return;
    this.headStatus = `${status} ${reason.length > 0 ? reason : reasonPhrase(status)}`;
    this.headHeaders = headers;
    this.headWritten = false;
    this.head = null;
    this.framing = framing;
    this.total = length;
    this.close = close || this.listener.draining;
    if (framing === ResponseFraming.None) {
      this.res.cork(() => {
        this.writeHead();
        // uWS 20.30 turns an explicit `undefined` length into a garbage Content-Length: only pass
        // arguments when there is a length to announce
        if (length >= 0) this.res.endWithoutBody(length, this.close);
        else this.res.endWithoutBody();
      });
      this.finished();
    } else if (framing === ResponseFraming.Length && length === 0) {
      this.cork(UwsClient.corkEnd);
    }
  }

  sendChunk(chunk: Buffer): boolean {
    if (this.aborted || this.ended) return true;
    if (this.framing !== ResponseFraming.Length && !this.fitsCork(chunk.length))
      return this.sendPieces(chunk);
    this.corkChunk = chunk;
    this.cork(UwsClient.corkSend);
    this.corkChunk = null;
    return this.corkResult;
  }

  /**
   * A chunked-response chunk larger than uWS's cork buffer. Inside a cork, write() copies the
   * chunk's framing into the cork buffer, and data that does not fit makes it flush that buffer
   * first; when the flush cannot complete (the client is not reading), both builds return without
   * writing or keeping the data (AsyncSocket::uncork, uNetworking/uWebSockets.js#1005 and #1249):
   * the client gets a chunk header with no data. So such a chunk goes out in pieces that fit the
   * cork buffer, one cork each: whatever the flush cannot send, uWS keeps. The head goes first on
   * its own for the same reason (also when it is the head that leaves no room for the chunk).
   * Length responses are not affected: tryEnd is told what it could not send and the rest is
   * retried from `pending`.
   */
  private sendPieces(chunk: Buffer): boolean {
    if (!this.headWritten) this.res.cork(() => this.writeHead());
    let ok = true;
    for (let at = 0; at < chunk.length && !this.aborted; at += CORK_PIECE) {
      this.corkChunk = chunk.subarray(at, at + CORK_PIECE);
      this.cork(UwsClient.corkSend);
      ok &&= this.corkResult;
    }
    this.corkChunk = null;
    return ok;
  }

  sendEnd(): void {
    if (this.aborted || this.ended) return;
    // The last chunk of a Length response may still wait in `pending`: the upstream's message
    // is complete before the client has taken it. onWritable's tryEnd sends it, and reaching the
    // length ends the response. Ending it here would leave the tail unsent (uWS 20.30 then waits
    // forever; 20.57, with Connection: close, cuts the connection short).
    if (this.pending !== null) return;
    this.cork(UwsClient.corkEnd);
  }

  sendLocal(reply: LocalReply): void {
    if (this.aborted || this.ended) return;
    if (reply.status === SILENT_CLOSE_STATUS) {
      // `errorfile <code> /dev/null`: close without a word
      this.abort();
      return;
    }
    const close = reply.close === true || this.listener.draining;
    this.ended = true;
    if (!close) return this.writeLocal(reply, false);
    // uWS keeps dispatching requests pipelined behind a response ended with close while it is still
    // parsing the same packet. Answered from the next turn instead, the reply goes out and the
    // connection shuts down; if anything was pipelined behind, uWS aborts the connection first
    // (nothing behind an error is ever served: rule 39).
    setImmediate(() => {
      if (!this.aborted) this.writeLocal(reply, true);
    });
  }

  private writeLocal(reply: LocalReply, close: boolean): void {
    this.res.cork(() => {
      this.res.writeStatus(`${reply.status} ${reasonPhrase(reply.status)}`);
      const h = reply.headers;
      for (let i = 0; i < h.length; i += 2) {
        const name = h[i] as string;
        if (name !== 'content-length') this.res.writeHeader(name, h[i + 1] as string);
      }
      this.res.end(reply.body, close);
    });
    this.finished();
  }

  abort(): void {
    if (this.aborted || this.ended) return;
    this.aborted = true;
    this.listener.closed(this);
    this.res.close();
  }

  // ---- internals ----------------------------------------------------------------------------

  private writeHead(): void {
    if (this.headWritten) return;
    this.headWritten = true;
    this.res.writeStatus(this.headText());
  }

  /** `bytes` of body fit the cork buffer with the head when that is still to be written (a head
   *  holds latin-1 at most: two UTF-8 bytes a character) */
  private fitsCork(bytes: number): boolean {
    return bytes + (this.headWritten ? 0 : 2 * this.headText().length) <= CORK_PIECE;
  }

  /** The whole head as one writeStatus text: uWS copies the status text verbatim and ends it
   *  with CRLF, as it does each writeHeader, so one native call replaces one per field. Values
   *  carry no CR or LF: the upstream parser and the rule compiler refuse them. */
  private headText(): string {
    if (this.head !== null) return this.head;
    let head = this.headStatus;
    const h = this.headHeaders;
    for (let i = 0; i < h.length; i += 2) head += `\r\n${h[i] as string}: ${h[i + 1] as string}`;
    if (this.close && !this.uwsSaysClose && (this.framing !== ResponseFraming.None || this.total < 0))
      head += '\r\nconnection: close';
    this.head = head;
    return head;
  }

  private doSend(): void {
    const chunk = this.corkChunk as Buffer;
    if (
      this.close &&
      this.framing === ResponseFraming.Length &&
      !this.bodyWritten &&
      chunk.length === this.total &&
      this.fitsCork(chunk.length)
    ) {
      // The whole body in one chunk, and the connection to close after it. uWS only closes when
      // asked by end(…, true) while the head is open (or when the request asked): so end()
      // rather than tryEnd. The body fits the cork buffer, so end() cannot lose it (sendPieces).
      this.closingEnd(chunk);
      this.bytesOut += chunk.length;
      this.corkResult = true;
      return;
    }
    this.writeHead();
    this.bodyWritten = true;
    if (this.framing === ResponseFraming.Length) {
      const offset = this.res.getWriteOffset();
      const [ok, done] = this.res.tryEnd(chunk, this.total);
      if (done) {
        this.bytesOut += chunk.length;
        this.finished();
        this.corkResult = true;
      } else if (ok) {
        this.bytesOut += chunk.length;
        this.corkResult = true;
      } else {
        // tryEnd keeps nothing it could not send, and upstream reads share one buffer: a copy
        this.pending = Buffer.from(chunk);
        this.pendingOffset = offset;
        this.corkResult = false;
        this.watchWritable();
      }
    } else {
      this.bytesOut += chunk.length;
      this.corkResult = this.res.write(chunk);
      if (!this.corkResult) this.watchWritable();
    }
  }

  private doEnd(): void {
    // end(…, true) writes a Connection field unless the request carried `Connection: close`,
    // wherever the response is: after body bytes that field lands inside the body (chunked
    // framing broken: `option httpclose`, a draining worker). So closing is only asked for while
    // the head is still open; after a body, the `connection: close` in our head tells the client,
    // and uWS closes by itself when the request asked for it.
    if (this.close && !this.bodyWritten) return this.closingEnd(undefined);
    this.writeHead();
    this.res.end();
    this.finished();
  }

  /** ends the response with its whole body (or none) and has uWS close the connection after it */
  private closingEnd(body: Buffer | undefined): void {
    if (!this.headWritten) this.uwsSaysClose = this.ex !== null && !clientWantsClose(this.ex);
    this.head = null;
    this.writeHead();
    this.bodyWritten = true;
    this.res.end(body, true);
    this.finished();
  }

  private finished(): boolean {
    this.ended = true;
    this.listener.closed(this);
    return true;
  }
}

export class UwsListener implements Listener {
  readonly proxy: string;
  readonly address: string;
  port = 0;
  draining = false;
  private listenSocket: UwsListenSocket | null = null;
  private readonly open = new SlotSet<UwsClient>(
    (c) => c.openSlot,
    (c, i) => (c.openSlot = i),
  );
  private drainWaiters: (() => void)[] = [];

  private constructor(proxy: string, address: string) {
    this.proxy = proxy;
    this.address = address;
  }

  /** `bufsize`: tune.bufsize; uWS lets heads up to twice that through, so that sluice's own
   *  checks tell an overlong target (414) from an overlong header section (431), as on node */
  static start(
    bind: BindModel,
    proxy: string,
    handler: RequestHandler,
    bufsize: number,
    gate?: ConnGate,
  ): Promise<UwsListener> {
    const { uws } = loadUws(2 * bufsize);
    const l = new UwsListener(proxy, bind.address);
    const app = uws.App();
    // global maxconn: uWS cannot leave a connection unread before its first request, so one over
    // the limit is closed at once. Only builds with filter() say when connections open (20.57).
    if (gate !== undefined && app.filter !== undefined) {
      app.filter((res, count) => {
        if (count < 0) gate.leave();
        else if (!gate.enterNow()) res.close();
      });
    }
    app.any('/*', (res: UwsHttpResponse, req: UwsHttpRequest) => {
      const src = normalizeAddress(Buffer.from(res.getRemoteAddressAsText()).toString('latin1'));
      const client = new UwsClient(res, l);
      l.open.add(client);
      res.onAborted(() => client.onAborted());
      const headers: string[] = [];
      collected = headers;
      req.forEach(collectHeader);
      // getQuery() is undefined (not '') without a query string in uWS 20.30
      const query = req.getQuery() as string | undefined;
      const url = query ? `${req.getUrl()}?${query}` : req.getUrl();
      const ex = new Exchange(
        req.getCaseSensitiveMethod(),
        url,
        '1.1',
        headers,
        src,
        0,
        l.port,
        proxy,
        false,
      );
      client.ex = ex;
      const cl = req.getHeader('content-length');
      const bodyExpected = (cl.length > 0 && cl !== '0') || req.getHeader('transfer-encoding').length > 0;
      if (bodyExpected) res.onData((ab, last) => client.onData(ab, last));
      handler.handle(ex, client, bodyExpected);
    });
    return new Promise((resolve, reject) => {
      app.listen(bind.address, bind.port, (ls) => {
        if (ls === false) {
          reject(
            new Error(
              `cannot bind ${fmtAddr(bind.address, bind.port)} for proxy '${proxy}': address in use or not available`,
            ),
          );
          return;
        }
        l.listenSocket = ls;
        l.port = uws.us_socket_local_port(ls);
        resolve(l);
      });
    });
  }

  closed(c: UwsClient): void {
    if (this.open.delete(c) && this.open.size === 0 && this.drainWaiters.length > 0) {
      const w = this.drainWaiters;
      this.drainWaiters = [];
      for (const f of w) f();
    }
  }

  stopAccepting(): void {
    if (this.listenSocket !== null) {
      loadUws().uws.us_listen_socket_close(this.listenSocket);
      this.listenSocket = null;
    }
  }

  drain(): Promise<void> {
    // responses sent from now on carry Connection: close; idle keep-alive connections are closed
    // when the worker exits (uWS does not expose its idle HTTP sockets)
    this.draining = true;
    if (this.open.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  close(): void {
    this.stopAccepting();
    for (const c of this.open.snapshot()) c.abort();
  }
}

/** req.forEach's callback, shared by every request: it appends to `collected` */
let collected: string[] = [];
function collectHeader(k: string, v: string): void {
  collected.push(k, v);
}

function fmtAddr(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

// UwsClient: for the unit tests, which drive it against a recording response
export { fmtAddr, UwsClient };
