// A mode tcp frontend: one net.Server per bind line, sharing the frontend's maxconn and routing.
//
// maxconn: HAProxy stops accepting and leaves the excess in the kernel backlog. Node cannot pause
// accept() on a (cluster-shared) server, so excess connections are accepted but parked unread
// (src/worker/conn-gate.ts): the client sees the same thing (connected, nothing forwarded until a
// slot frees). The worker's global maxconn gate is passed first: a connection waiting for the
// frontend's limit already holds one of the worker's.
import net from 'node:net';
import type { Server, Socket } from 'node:net';
import type { FrontendModel, BindModel } from '../config/model';
import type { WorkerContext } from '../worker/context';
import type { Listener } from '../worker/listener';
import type { Logger } from '../log';
import { TcpRouter } from './router';
import { TcpSession } from './session';
import type { TcpObserver } from './record';
import type { LiveFrontend } from '../stats';
import { SlotSet } from '../util/slot-set';
import { ConnGate } from '../worker/conn-gate';

export class TcpFrontend implements LiveFrontend {
  readonly name: string;
  readonly configuredMaxconn: number;
  readonly initialMaxconn: number;
  /** highest `active` since start or `clear counters` (the frontend's smax) */
  peak = 0;
  readonly router: TcpRouter;
  readonly log: Logger;
  /** told about every finished session (access logs) */
  readonly observers: readonly TcpObserver[];
  /** frontend maxconn, or global maxconn when unset; the runtime API changes it (setMaxconn).
   *  A slot is held from a session's start to its end (sessionEnded), across all binds. */
  private readonly sessions: ConnGate;

  constructor(fe: FrontendModel, ctx: WorkerContext) {
    this.name = fe.name;
    this.configuredMaxconn = fe.maxconn;
    this.initialMaxconn = fe.maxconn > 0 ? fe.maxconn : ctx.model.global.maxconn;
    this.sessions = new ConnGate(this.initialMaxconn);
    this.router = new TcpRouter(fe, ctx);
    this.log = ctx.log.child({ frontend: fe.name });
    this.observers = ctx.tcpObservers ?? [];
    ctx.services?.frontends.add(this);
  }

  /** sessions in progress across all binds (what maxconn counts) */
  get active(): number {
    return this.sessions.active;
  }

  resetPeak(): void {
    this.peak = this.active;
  }

  /** `set maxconn frontend|global`: running sessions go on; parked ones fill new room */
  setMaxconn(n: number): void {
    this.sessions.setLimit(n);
  }

  admit(sock: Socket, listener: TcpListener): void {
    this.sessions.hold(sock, listener, () => {
      if (this.active > this.peak) this.peak = this.active;
      listener.startSession(sock);
    });
  }

  /** a session ended: its slot goes to the oldest parked connection still alive */
  sessionEnded(): void {
    this.sessions.leave();
  }

  /** parked connections of one listener, for drain accounting */
  parkedOn(listener: TcpListener): number {
    return this.sessions.parkedOn(listener);
  }

  /** like a listener's backlog when it closes: connections never accepted are reset */
  dropParked(listener: TcpListener): void {
    this.sessions.dropParked(listener);
  }
}

export class TcpListener implements Listener {
  readonly proxy: string;
  readonly address: string;
  port: number;
  private readonly fe: TcpFrontend;
  private readonly gate: ConnGate | undefined;
  private readonly server: Server;
  private readonly sessions = new SlotSet<TcpSession>(
    (s) => s.frontendSlot,
    (s, i) => (s.frontendSlot = i),
  );
  private drainWaiters: (() => void)[] = [];
  private readonly sessionEnded = (s: TcpSession): void => this.onSessionEnd(s);

  constructor(fe: TcpFrontend, bind: BindModel, gate?: ConnGate) {
    this.fe = fe;
    this.gate = gate;
    this.proxy = fe.name;
    this.address = bind.address;
    this.port = bind.port;
    // paused: nothing is read from a client before its server connection is up
    this.server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true, noDelay: true });
    this.server.on('connection', (sock: Socket) => {
      if (gate === undefined) fe.admit(sock, this);
      else gate.enter(sock, this, () => fe.admit(sock, this));
    });
  }

  listen(): Promise<void> {
    const srv = this.server;
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => {
        reject(
          new Error(`tcp frontend '${this.proxy}': cannot bind ${this.address}:${this.port}: ${err.message}`),
        );
      };
      srv.once('error', onError);
      srv.listen({ host: this.address, port: this.port }, () => {
        srv.off('error', onError);
        // accept() failures (EMFILE...) must not kill the worker
        srv.on('error', (err) => this.fe.log.error({ err, port: this.port }, 'tcp accept error'));
        const a = srv.address();
        if (a !== null && typeof a === 'object') this.port = a.port;
        resolve();
      });
    });
  }

  startSession(sock: Socket): void {
    const peer = {
      src: unmap(sock.remoteAddress),
      srcPort: sock.remotePort ?? 0,
      dstPort: sock.localPort ?? 0,
    };
    // a client gone before we looked (no address) or no backend for it: close, as HAProxy does
    const route = peer.src === '' ? null : this.fe.router.route(peer);
    if (route === null) {
      sock.on('error', noop);
      sock.destroy();
      this.fe.sessionEnded();
      return;
    }
    const session = new TcpSession(sock, route, route.hashSource ? peer.src : null, this.sessionEnded);
    const st = session.stats;
    st.backend = route.backend.model.name;
    st.src = peer.src;
    st.srcPort = peer.srcPort;
    st.dstPort = peer.dstPort;
    this.sessions.add(session);
    session.start();
  }

  stopAccepting(): void {
    if (this.server.listening) this.server.close();
    this.fe.dropParked(this);
    this.gate?.dropParked(this);
    this.wakeDrainers();
  }

  drain(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  close(): void {
    this.stopAccepting();
    for (const s of this.sessions.snapshot()) s.abort();
  }

  private idle(): boolean {
    return this.sessions.size === 0 && this.fe.parkedOn(this) === 0 && (this.gate?.parkedOn(this) ?? 0) === 0;
  }

  private onSessionEnd(s: TcpSession): void {
    if (!this.sessions.delete(s)) return;
    const obs = this.fe.observers;
    if (obs.length > 0) {
      // before sessionEnded(): %fc counts this session, as HAProxy's feconn does at log time
      const r = s.stats.record(this.proxy, this.fe.active);
      for (let i = 0; i < obs.length; i++) (obs[i] as TcpObserver).onTcpSession(r);
    }
    this.fe.sessionEnded();
    this.wakeDrainers();
  }

  private wakeDrainers(): void {
    if (this.drainWaiters.length > 0 && this.idle()) {
      const w = this.drainWaiters;
      this.drainWaiters = [];
      for (const resolve of w) resolve();
    }
  }
}

/** IPv4-mapped IPv6 addresses are shown (and matched by ACLs) as plain IPv4 */
function unmap(addr: string | undefined): string {
  if (addr === undefined) return '';
  return addr.startsWith('::ffff:') && addr.includes('.') ? addr.slice(7) : addr;
}

function noop(): void {}
