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
import { fmtAddr } from './uws-front';

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

  startBody(): void {
    this.req.on('data', (chunk: Buffer) => this.events?.onClientBody(chunk, false));
    this.req.on('end', () => this.events?.onClientBody(Buffer.alloc(0), true));
  }

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
    return this.res.write(chunk);
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
    if (reply.close === true || this.listener.draining) h.push('connection', 'close');
    this.res.writeHead(reply.status, reasonPhrase(reply.status), h);
    this.res.end(reply.body);
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.done = true;
    this.res.destroy();
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

  private constructor(proxy: string, address: string, server: http.Server) {
    this.proxy = proxy;
    this.address = address;
    this.server = server;
  }

  static start(
    bind: BindModel,
    fe: FrontendModel,
    global: GlobalModel,
    handler: RequestHandler,
  ): Promise<NodeListener> {
    const t = fe.timeouts;
    const server = http.createServer({
      maxHeaderSize: global.tune.bufsize,
      requestTimeout: 0,
      headersTimeout: t.httpRequest ?? 60_000,
      keepAliveTimeout: t.httpKeepAlive ?? t.httpRequest ?? 5_000,
      joinDuplicateHeaders: false,
    });
    server.timeout = t.client ?? 0;
    server.maxHeadersCount = global.tune.maxhdr;
    const l = new NodeListener(fe.name, bind.address, server);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => l.onRequest(req, res, fe, handler));
    server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) =>
      l.onClientError(err, socket, fe),
    );
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
    this.active++;
    const client = new NodeClient(req, res, this);
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
        client.attach({ onClientBody() {}, onClientAborted() {}, onClientWritable() {} });
        client.sendLocal(errorReply(400));
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
    const sock = req.socket;
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

  private onClientError(err: NodeJS.ErrnoException, socket: Socket, fe: FrontendModel): void {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const status =
      err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const r = errorReply(status, fe.errorFiles);
    if (r.status === SILENT_CLOSE_STATUS) {
      socket.destroy();
      return;
    }
    const body = typeof r.body === 'string' ? Buffer.from(r.body) : r.body;
    let head = `HTTP/1.1 ${r.status} ${reasonPhrase(r.status)}\r\n`;
    for (let i = 0; i < r.headers.length; i += 2) {
      if (r.headers[i] !== 'content-length') head += `${r.headers[i]}: ${r.headers[i + 1]}\r\n`;
    }
    head += `content-length: ${body.length}\r\nconnection: close\r\n\r\n`;
    socket.end(Buffer.concat([Buffer.from(head, 'latin1'), body]));
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
  }

  drain(): Promise<void> {
    this.draining = true;
    this.server.closeIdleConnections();
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  close(): void {
    this.server.close();
    this.server.closeAllConnections();
  }
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
