// HTTP/1 front on node:http (`bind ... front node`). Slower than uWS, but it serves what uWS
// cannot parse: HTTP/1.0 clients and absolute-form targets (`GET http://host/path HTTP/1.1`).
// An absolute-form target is turned into origin-form and its authority replaces Host, so routing
// and forwarding see the same host (RFC 9112 §3.2.2).
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { BindModel, FrontendModel, GlobalModel } from '../../config/model';
import type { Listener } from '../../worker/listener';
import type { LocalReply } from '../exchange';
import { Exchange } from '../exchange';
import type { ClientEvents, ClientSide, RequestHandler } from './front';
import { ResponseFraming } from './front';
import { normalizeAddress } from '../../util/ip';
import { SILENT_CLOSE_STATUS, errorReply, reasonPhrase } from '../errors';
import { rejectedRecord, type RejectedRequest, type RejectTerm } from '../record';
import { fmtAddr } from './uws-front';
import { releaseSlab, takeSlab } from './body-slabs';
import type { ConnGate } from '../../worker/conn-gate';

class NodeClient implements ClientSide {
  aborted = false;
  bytesOut = 0;
  private readonly req: IncomingMessage;
  private readonly res: ServerResponse;
  private events: ClientEvents | null = null;
  private done = false;
  private readonly listener: NodeListener;

  constructor(req: IncomingMessage, res: ServerResponse, listener: NodeListener) {
    this.req = req;
    this.res = res;
    this.listener = listener;
    res.on('close', () => {
      listener.responseDone(req.socket);
      if (!this.done) {
        this.done = true;
        this.aborted = true;
        if (this.events !== null) this.events.onClientAborted();
      }
      listener.closed();
    });
    res.on('drain', () => {
      if (this.events !== null && !this.done) this.events.onClientWritable();
    });
    req.on('error', () => {
      // the 'close' of res reports the abort
    });
  }

  attach(events: ClientEvents): void {
    this.events = events;
  }

  /** llhttp has read this request to its end (head and body) */
  get requestComplete(): boolean {
    return this.req.complete;
  }

  startBody(): void {
    this.req.on('data', (chunk: Buffer) => this.events?.onClientBody(chunk, false));
    this.req.on('end', () => this.events?.onClientBody(Buffer.alloc(0), true));
  }

  /** node allocates every chunk it reads: nothing to reuse */
  releaseBody(): void {}

  pauseBody(): void {
    this.req.pause();
  }

  resumeBody(): void {
    this.req.resume();
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
    const h = headers.slice();
    if (framing === ResponseFraming.Length || (framing === ResponseFraming.None && length >= 0)) {
      h.push('content-length', String(length));
    }
    if (close || this.listener.draining) h.push('connection', 'close');
    this.res.writeHead(status, reason.length > 0 ? reason : reasonPhrase(status), h);
    if (framing === ResponseFraming.None || (framing === ResponseFraming.Length && length === 0)) {
      this.done = true;
      this.res.end();
    }
  }

  sendChunk(chunk: Buffer): boolean {
    if (this.aborted || this.done) return true;
    this.bytesOut += chunk.length;
    // node keeps what it could not send yet, and upstream reads share one buffer: a copy, in a
    // pooled slab that comes back once node has sent it (a fresh Buffer per read left garbage
    // V8 freed late: +36 MiB peak RSS per 200 MiB download on Node 20, +76 on Node 24)
    const slab = takeSlab(chunk.length);
    chunk.copy(slab);
    return this.res.write(slab.subarray(0, chunk.length), () => releaseSlab(slab));
  }

  sendEnd(): void {
    if (this.aborted || this.done) return;
    this.done = true;
    this.res.end();
  }

  sendLocal(reply: LocalReply): void {
    if (this.aborted || this.done) return;
    if (reply.status === SILENT_CLOSE_STATUS) {
      // `errorfile <code> /dev/null`: close without a word
      this.abort();
      return;
    }
    this.done = true;
    const h = reply.headers.filter((_, i, a) => (i % 2 === 0 ? a[i] : a[i - 1]) !== 'content-length');
    h.push('content-length', String(Buffer.byteLength(reply.body)));
    const close = reply.close === true || this.listener.draining;
    if (close) h.push('connection', 'close');
    this.res.writeHead(reply.status, reasonPhrase(reply.status), h);
    this.res.end(reply.body);
    // node:http still emits requests pipelined behind this one: they must never be served
    if (close) this.listener.poison(this.req.socket);
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.done = true;
    this.res.destroy();
  }

  /** llhttp rejected this request's body after its head went into the pipeline */
  bodyError(status: number): void {
    const socket = this.req.socket;
    if (this.aborted || this.done) {
      // already answered (or gone): the rest of the connection is unusable either way
      socket.destroy();
      return;
    }
    this.aborted = true;
    this.done = true;
    // a response already under way can only be cut short; otherwise the error is the answer
    const written = this.res.headersSent ? 0 : this.listener.writeError(status, socket);
    if (written === 0) socket.destroy();
    this.events?.onClientError(written);
  }
}

export class NodeListener implements Listener {
  readonly proxy: string;
  readonly address: string;
  port = 0;
  draining = false;
  private readonly server: http.Server;
  private active = 0;
  private drainWaiters: (() => void)[] = [];
  /** connections that sent a request answered with close: what follows on them is dropped */
  private readonly poisoned = new WeakSet<Socket>();
  /** responses not finished yet, per connection: a parse error waits for them (answers in order) */
  private readonly inflight = new WeakMap<Socket, number>();
  private readonly deferredError = new WeakMap<Socket, { status: number; term: RejectTerm }>();
  private readonly lastRequest = new WeakMap<Socket, NodeClient>();
  /** accept time of each connection: the date of a first request that llhttp rejects */
  private readonly accepted = new WeakMap<Socket, number>();
  private errorFiles: FrontendModel['errorFiles'] = [];
  private readonly handler: RequestHandler;
  private gate: ConnGate | undefined;

  private constructor(proxy: string, address: string, server: http.Server, handler: RequestHandler) {
    this.proxy = proxy;
    this.address = address;
    this.server = server;
    this.handler = handler;
  }

  static start(
    bind: BindModel,
    fe: FrontendModel,
    global: GlobalModel,
    handler: RequestHandler,
    gate?: ConnGate,
  ): Promise<NodeListener> {
    const t = fe.timeouts;
    const server = http.createServer({
      // node counts the request line in maxHeaderSize: leave room so that checkRequest tells an
      // overlong target (414) from an overlong header section (431) up to twice tune.bufsize
      maxHeaderSize: global.tune.bufsize * 2,
      requestTimeout: 0,
      headersTimeout: t.httpRequest ?? 60_000,
      // node only enforces headersTimeout when this sweep runs (default every 30 s): a slowloris
      // client would hold its connection that much longer than `timeout http-request` says
      connectionsCheckingInterval: Math.max(100, Math.min(1000, (t.httpRequest ?? 60_000) / 4)),
      keepAliveTimeout: t.httpKeepAlive ?? t.httpRequest ?? 5_000,
      joinDuplicateHeaders: false,
      // node's own Host check answers 400 yet serves what is pipelined behind: sluice checks Host
      requireHostHeader: false,
    });
    server.timeout = t.client ?? 0;
    server.maxHeadersCount = global.tune.maxhdr;
    const l = new NodeListener(fe.name, bind.address, server, handler);
    l.errorFiles = fe.errorFiles;
    l.gate = gate;
    const track = (socket: Socket): void => {
      l.accepted.set(socket, Date.now());
      // read now: once a reset closed the handle, the peer's address can no longer be asked
      void socket.remoteAddress;
      // ahead of node's own 'end' handler, which shuts the socket: the 400 can still go out
      socket.prependOnceListener('end', () => l.onClientEnd(socket));
    };
    if (gate === undefined) server.on('connection', track);
    else holdConnections(server, gate, l, track);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => l.onRequest(req, res, fe, handler));
    server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => l.onClientError(err, socket));
    return new Promise((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        const why = err.code === 'EADDRINUSE' ? 'address already in use' : err.message;
        reject(new Error(`cannot bind ${fmtAddr(bind.address, bind.port)} for proxy '${fe.name}': ${why}`));
      });
      server.listen({ host: bind.address, port: bind.port, exclusive: false }, () => {
        const a = server.address();
        if (a !== null && typeof a === 'object') l.port = a.port;
        server.on('error', () => {
          // errors after listen are per-connection and reported through clientError
        });
        resolve(l);
      });
    });
  }

  private onRequest(
    req: IncomingMessage,
    res: ServerResponse,
    fe: FrontendModel,
    handler: RequestHandler,
  ): void {
    const sock = req.socket;
    if (this.poisoned.has(sock)) {
      sock.end();
      return;
    }
    this.active++;
    this.inflight.set(sock, (this.inflight.get(sock) ?? 0) + 1);
    const client = new NodeClient(req, res, this);
    this.lastRequest.set(sock, client);
    const bad = versionError(req);
    if (bad !== 0) {
      this.answerUnparsed(client, bad, sock);
      return;
    }
    const raw = req.rawHeaders;
    const headers: string[] = new Array<string>(raw.length);
    for (let i = 0; i < raw.length; i += 2) {
      headers[i] = (raw[i] as string).toLowerCase();
      headers[i + 1] = raw[i + 1] as string;
    }
    let url = req.url ?? '/';
    if (url.charCodeAt(0) !== 0x2f && url !== '*') {
      const origin = absoluteToOrigin(url);
      if (origin === null) {
        this.answerUnparsed(client, 400, sock);
        return;
      }
      url = origin.path;
      const kept: string[] = [];
      for (let i = 0; i < headers.length; i += 2) {
        if (headers[i] !== 'host') kept.push(headers[i] as string, headers[i + 1] as string);
      }
      kept.push('host', origin.authority);
      headers.length = 0;
      headers.push(...kept);
    }
    const ex = new Exchange(
      req.method ?? 'GET',
      url,
      req.httpVersion === '1.0' ? '1.0' : '1.1',
      headers,
      normalizeAddress(sock.remoteAddress ?? ''),
      sock.remotePort ?? 0,
      this.port,
      fe.name,
      false,
    );
    const cl = req.headers['content-length'];
    const bodyExpected = (cl !== undefined && cl !== '0') || req.headers['transfer-encoding'] !== undefined;
    handler.handle(ex, client, bodyExpected);
    if (bodyExpected) client.startBody();
    else req.resume();
  }

  /** a head node parsed but sluice cannot take as HTTP/1.x (its version, its target form) */
  private answerUnparsed(client: NodeClient, status: number, sock: Socket): void {
    const peer = this.peer(sock);
    const reply = errorReply(status, this.errorFiles);
    client.attach({
      onClientBody: () => false,
      onClientAborted() {},
      onClientWritable() {},
      onClientError() {},
    });
    client.sendLocal({ ...reply, close: true });
    // node hands over complete heads: received now, answered at once (as the pipeline records)
    this.handler.rejected(rejectedRecord(this.proxy, reply.status, 'PR', peer, Date.now(), 0));
  }

  private peer(socket: Socket): RejectedRequest {
    return {
      src: normalizeAddress(socket.remoteAddress ?? ''),
      srcPort: socket.remotePort ?? 0,
      dstPort: this.port,
      bytesRead: socket.bytesRead,
    };
  }

  poison(socket: Socket): void {
    this.poisoned.add(socket);
  }

  responseDone(socket: Socket): void {
    const n = (this.inflight.get(socket) ?? 1) - 1;
    this.inflight.set(socket, n);
    const error = this.deferredError.get(socket);
    if (n === 0 && error !== undefined) {
      this.deferredError.delete(socket);
      this.rejectBytes(error.status, error.term, socket);
    }
  }

  /**
   * The client closed or reset the connection before its first request was complete, null
   * connections included: HAProxy answers 400 when it still can, logs `<BADREQ>` with CR (unless
   * dontlognull and nothing came) and counts ereq. A reset between later requests is not
   * covered: node does not say whether bytes of a next request had come.
   */
  private clientAborted(socket: Socket, reset: boolean): void {
    if (this.lastRequest.has(socket) || this.poisoned.has(socket)) return;
    this.poisoned.add(socket);
    // HAProxy logs the 400 it meant to send even when a reset left no one to send it to
    const written = reset ? 0 : this.writeError(400, socket);
    this.logRejected(written === 0 ? 400 : written, 'CR', socket);
  }

  /** an end of input: one cutting a head short is a clientError (HPE_INVALID_EOF_STATE) */
  onClientEnd(socket: Socket): void {
    if (socket.bytesRead === 0) this.clientAborted(socket, false);
  }

  private onClientError(err: NodeJS.ErrnoException, socket: Socket): void {
    const last = this.lastRequest.get(socket);
    const eof = err.code === 'HPE_INVALID_EOF_STATE';
    if (err.code === 'ECONNRESET' || (eof && last === undefined)) {
      this.clientAborted(socket, !eof);
      if (!eof) socket.destroy();
      return;
    }
    if ((eof && last !== undefined && !last.requestComplete) || !socket.writable) {
      // an end of input inside a body is the client aborting: closing the socket tells the
      // request (CD in its log line). The end of a connection already answered lands here too.
      socket.destroy();
      return;
    }
    const status =
      err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const term = eof ? 'CR' : status === 408 ? 'cR' : 'PR';
    this.poisoned.add(socket);
    if (last !== undefined && !last.requestComplete) {
      // inside the body of a request the pipeline already has: its exchange logs and counts it
      last.bodyError(status);
      return;
    }
    if ((this.inflight.get(socket) ?? 0) > 0 && last !== undefined) {
      // responses to earlier pipelined requests go first (RFC 9112 §9.3.2)
      this.deferredError.set(socket, { status, term });
      return;
    }
    this.rejectBytes(status, term, socket);
  }

  /** answers bytes llhttp rejected, then counts and logs them as HAProxy's <BADREQ> */
  private rejectBytes(status: number, term: RejectTerm, socket: Socket): void {
    this.logRejected(this.writeError(status, socket), term, socket);
  }

  private logRejected(status: number, term: RejectTerm, socket: Socket): void {
    const peer = this.peer(socket);
    const now = Date.now();
    // node says nothing of when a later request's first byte came: only a connection's first
    // request has a start (its accept), later ones are dated when rejected
    const since = this.lastRequest.has(socket) ? now : (this.accepted.get(socket) ?? now);
    this.handler.rejected(rejectedRecord(this.proxy, status, term, peer, since, now - since));
  }

  /** the status written, or 0 when the connection was closed without one */
  writeError(status: number, socket: Socket): number {
    if (!socket.writable) {
      socket.destroy();
      return 0;
    }
    const r = errorReply(status, this.errorFiles);
    if (r.status === SILENT_CLOSE_STATUS) {
      socket.destroy();
      return 0;
    }
    const body = typeof r.body === 'string' ? Buffer.from(r.body) : r.body;
    let head = `HTTP/1.1 ${r.status} ${reasonPhrase(r.status)}\r\n`;
    for (let i = 0; i < r.headers.length; i += 2) {
      if (r.headers[i] !== 'content-length') head += `${r.headers[i]}: ${r.headers[i + 1]}\r\n`;
    }
    head += `content-length: ${body.length}\r\nconnection: close\r\n\r\n`;
    socket.end(Buffer.concat([Buffer.from(head, 'latin1'), body]));
    return r.status;
  }

  closed(): void {
    this.active--;
    if (this.draining) this.server.closeIdleConnections();
    if (this.active === 0 && this.drainWaiters.length > 0) {
      const w = this.drainWaiters;
      this.drainWaiters = [];
      for (const f of w) f();
    }
  }

  stopAccepting(): void {
    this.server.close();
    this.gate?.dropParked(this);
  }

  drain(): Promise<void> {
    this.draining = true;
    this.server.closeIdleConnections();
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  close(): void {
    this.stopAccepting();
    this.server.closeAllConnections();
  }
}

/**
 * Global maxconn on a node bind: the server accepts paused, and node's own connection listener
 * (which starts the HTTP parser and its timeouts) runs only once the gate admits the connection,
 * so a connection waiting for a slot is neither read nor timed, as if still in the backlog.
 */
function holdConnections(
  server: http.Server,
  gate: ConnGate,
  l: NodeListener,
  track: (socket: Socket) => void,
): void {
  const nodeListeners = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  (server as unknown as { pauseOnConnect: boolean }).pauseOnConnect = true;
  server.on('connection', (socket: Socket) => {
    gate.enter(socket, l, () => {
      for (const f of nodeListeners) f.call(server, socket);
      track(socket);
      socket.resume();
    });
  });
}

/** `http://host[:port]/path?q` → { authority, path }, or null for anything else */
export function absoluteToOrigin(target: string): { authority: string; path: string } | null {
  const m = /^[hH][tT][tT][pP][sS]?:\/\/([^/?#@\s]+)([^#\s]*)$/.exec(target);
  if (m === null) return null;
  const rest = m[2] as string;
  const path = rest.length === 0 ? '/' : rest.charCodeAt(0) === 0x3f ? `/${rest}` : rest;
  if (path.charCodeAt(0) !== 0x2f) return null;
  return { authority: m[1] as string, path };
}

/** 0 for HTTP/1.0 and 1.1; 505 for another version, 400 for HTTP/0.9 (a request line without one) */
function versionError(req: IncomingMessage): number {
  if (req.httpVersionMajor === 1) return req.httpVersionMinor <= 1 ? 0 : 505;
  return req.httpVersionMajor === 0 ? 400 : 505;
}
