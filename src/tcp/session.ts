// One proxied TCP connection: take a server slot, connect (with HAProxy's retries and redispatch),
// then forward bytes both ways with backpressure and half-close, under inactivity timeouts.
// Peer misbehaviour (resets, timeouts, refused connects) ends the session; nothing throws out.
import net from 'node:net';
import type { Socket } from 'node:net';
import type { BackendRuntime, QueueTicket, ServerRuntime, ServerSession } from '../backend';
import type { TcpRoute } from './router';
import type { TcpTimeouts } from './timeouts';
import { TcpSessionStats } from './record';

export type SessionEnd = (s: TcpSession) => void;

export class TcpSession implements ServerSession {
  readonly client: Socket;
  /** what the access log reports about this session */
  readonly stats = new TcpSessionStats();
  /** ServerSession: position in the server's sessions; frontendSlot: in its listener's */
  serverSlot = -1;
  frontendSlot = -1;
  private readonly backend: BackendRuntime;
  private readonly t: TcpTimeouts;
  private readonly key: string | null;
  private readonly onEnd: SessionEnd;
  private server: Socket | null = null;
  /** the server whose slot this session holds; null once released */
  private slot: ServerRuntime | null = null;
  private ticket: QueueTicket | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retries = 0;
  private established = false;
  private connectTimedOut = false;
  private clientClosed = false;
  private serverClosed = false;
  private done = false;

  constructor(client: Socket, route: TcpRoute, key: string | null, onEnd: SessionEnd) {
    this.client = client;
    this.backend = route.backend;
    this.t = route.timeouts;
    this.key = key;
    this.onEnd = onEnd;
  }

  start(): void {
    const c = this.client;
    // errors always lead to 'close', where the session is torn down
    c.on('error', noop);
    c.on('timeout', () => this.end('c'));
    c.on('close', (hadError) => this.onClientClose(hadError));
    c.setTimeout(this.t.clientWait);
    this.acquire(-1);
  }

  /** tears the session down now (timeouts, failures, Listener.close) */
  abort(): void {
    this.stats.ended('K');
    this.client.destroy();
    if (this.server !== null) this.server.destroy();
    this.finish();
  }

  /** an abnormal end: records HAProxy's termination state (who, phase), then tears down */
  private end(who: string, phase?: 'Q' | 'C' | 'D'): void {
    this.stats.ended(who, phase);
    this.abort();
  }

  private acquire(avoid: number): void {
    const ticket = this.backend.acquire(this.key, avoid, (err, server) => {
      this.ticket = null;
      if (this.done) {
        if (server !== null) this.backend.release(server);
        return;
      }
      if (err !== null || server === null) {
        if (err === 'queue-timeout') this.end('s', 'Q');
        else this.end('S', err === 'queue-full' ? 'Q' : 'C');
        return;
      }
      this.stats.acquired(server.name);
      this.slot = server;
      server.sessions.add(this);
      this.connect();
    });
    // acquire() may have called back synchronously, leaving nothing to cancel
    if (this.slot === null && !this.done) this.ticket = ticket;
  }

  private connect(): void {
    this.retryTimer = null;
    const srv = this.slot as ServerRuntime;
    const s = net.connect({ host: srv.model.host, port: srv.model.port, allowHalfOpen: true, noDelay: true });
    this.server = s;
    this.serverClosed = false;
    this.connectTimedOut = false;
    s.on('error', noop);
    s.setTimeout(this.t.connect);
    s.on('timeout', () => {
      if (this.established) this.end('s');
      else {
        this.connectTimedOut = true;
        s.destroy();
      }
    });
    s.once('connect', () => this.onConnected());
    s.on('close', (hadError) => {
      if (this.established) this.onServerClose(hadError);
      else if (this.server === s) this.onConnectFailed();
    });
  }

  private onConnectFailed(): void {
    this.server = null;
    if (this.done) return;
    const srv = this.slot as ServerRuntime;
    srv.counters.econ++;
    const model = this.backend.model;
    if (this.retries >= model.retries) {
      this.end(this.connectTimedOut ? 's' : 'S', 'C');
      return;
    }
    this.retries++;
    this.stats.retries = this.retries;
    const r = model.redispatch;
    const redispatch =
      r.enabled &&
      (r.interval < 0 ? this.retries === model.retries : r.interval > 0 && this.retries % r.interval === 0);
    if (redispatch) {
      // a new balancer pick, steered away from the server that just failed
      srv.counters.wredis++;
      this.stats.redispatched = true;
      this.releaseSlot();
      this.acquire(srv.index);
    } else {
      // same server again: keep its slot, as HAProxy keeps the stream assigned during the turn-around
      srv.counters.wretr++;
      this.retryTimer = setTimeout(() => this.connect(), this.t.turnAround);
    }
  }

  private onConnected(): void {
    if (this.done) return;
    const c = this.client;
    const s = this.server as Socket;
    const counters = (this.slot as ServerRuntime).counters;
    this.established = true;
    this.stats.connected();
    counters.stot++;
    c.setTimeout(this.t.client);
    s.setTimeout(this.t.server);
    forward(
      c,
      s,
      (n) => {
        counters.bin += n;
        this.stats.bytesIn += n;
      },
      () => this.halfClosed(),
    );
    forward(
      s,
      c,
      (n) => {
        counters.bout += n;
        this.stats.bytesOut += n;
      },
      () => this.halfClosed(),
    );
    c.resume();
  }

  /** one direction finished: both sockets now have a closed half, so the *-fin timeouts apply */
  private halfClosed(): void {
    if (this.done) return;
    this.client.setTimeout(this.t.clientFin);
    if (this.server !== null) this.server.setTimeout(this.t.serverFin);
  }

  private onClientClose(hadError: boolean): void {
    this.clientClosed = true;
    // before the server side is up there is nothing left to serve
    if (!this.established || hadError) this.end('C');
    else if (this.serverClosed) this.finish();
  }

  private onServerClose(hadError: boolean): void {
    this.serverClosed = true;
    if (hadError) this.end('S');
    else if (this.clientClosed) this.finish();
  }

  /** the server went down (on-marked-down), came back while we used a backup, or an operator said so */
  kill(code: 'D' | 'U' | 'K'): void {
    if (!this.done) this.end(code, 'D');
  }

  private releaseSlot(): void {
    const s = this.slot;
    if (s === null) return;
    s.sessions.delete(this);
    this.slot = null;
    this.backend.release(s);
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    if (this.ticket !== null) this.ticket.cancel();
    this.ticket = null;
    this.releaseSlot();
    this.onEnd(this);
  }
}

function noop(): void {}

/** pumps src into dst with backpressure; src's end becomes dst's write-side FIN */
function forward(src: Socket, dst: Socket, count: (n: number) => void, ended: () => void): void {
  src.on('data', (chunk: Buffer) => {
    count(chunk.length);
    if (!dst.write(chunk)) src.pause();
  });
  dst.on('drain', () => src.resume());
  src.on('end', () => {
    if (!dst.destroyed) dst.end();
    ended();
  });
}
