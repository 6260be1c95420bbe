// Live state of backends and servers inside one worker: which servers are usable, their effective
// weights, connection counts, and the backend queue. Wraps the immutable Model; never mutates it.
// HTTP and TCP proxying both take a server "slot" here and give it back when done.
import type { BackendModel, ServerModel } from '../config/model';
import type { Balancer, BalanceServer, Random } from '../balance/types';
import { createBalancer } from '../balance';
import { SlotSet } from '../util/slot-set';

export type AdminState = 'READY' | 'DRAIN' | 'MAINT';
export type OperState = 'UP' | 'DOWN';

export interface ServerCounters {
  /** total sessions (HTTP: requests) sent to this server */
  stot: number;
  /** bytes client → server */
  bin: number;
  /** bytes server → client */
  bout: number;
  /** connection errors */
  econ: number;
  /** response errors (invalid response, timeout, reset) */
  eresp: number;
  /** retries and redispatches */
  wretr: number;
  wredis: number;
}

export function newServerCounters(): ServerCounters {
  return { stot: 0, bin: 0, bout: 0, econ: 0, eresp: 0, wretr: 0, wredis: 0 };
}

/** Something holding a slot on a server that can be cut short (on-marked-down, shutdown sessions). */
export interface ServerSession {
  /** end now; `code` is HAProxy's termination cause: D (server down), U (backup session of a
   *  server that came back), K (killed by the operator) */
  kill(code: 'D' | 'U' | 'K'): void;
  /** its position in the server's `sessions` (SlotSet), -1 when in none */
  serverSlot: number;
}

export class ServerRuntime implements BalanceServer {
  readonly index: number;
  readonly id: number;
  readonly name: string;
  readonly backup: boolean;
  readonly allBackups: boolean;
  /** replaced (never mutated) when the address changes at runtime */
  model: ServerModel;
  /** "backend/server@host:port": the key of this server's upstream connection pool (the address is
   *  part of it so that a changed address never reuses connections to the old one) */
  key: string;
  /** removed at runtime (`del server`): never usable again */
  removed = false;
  private readonly backendName: string;
  weight: number;
  usable: boolean;
  conns = 0;
  /** `maxconn` as configured or set at runtime; 0 = unlimited */
  private baseMaxconn: number;
  /** slowstart: % of baseMaxconn admitted while the server ramps (from the primary) */
  throttle = 100;
  admin: AdminState;
  oper: OperState = 'UP';
  readonly counters = newServerCounters();
  /** sessions (TCP) and exchanges (HTTP) holding a slot on this server */
  readonly sessions = new SlotSet<ServerSession>(
    (s) => s.serverSlot,
    (s, i) => (s.serverSlot = i),
  );

  constructor(backend: string, index: number, model: ServerModel, allBackups = false) {
    this.index = index;
    this.id = model.id;
    this.name = model.name;
    this.backup = model.backup;
    this.allBackups = allBackups;
    this.model = model;
    this.backendName = backend;
    this.key = `${backend}/${model.name}@${model.host}:${model.port}`;
    this.weight = model.weight;
    this.baseMaxconn = model.maxconn;
    this.admin = model.disabled ? 'MAINT' : 'READY';
    this.usable = this.computeUsable();
  }

  /**
   * The connection limit now: a server ramping up under slowstart admits a growing share of its
   * maxconn, at least one (HAProxy's srv_dynamic_maxconn); 0 = unlimited.
   */
  get maxconn(): number {
    const m = this.baseMaxconn;
    return m === 0 || this.throttle >= 100 ? m : Math.max(1, Math.floor((m * this.throttle) / 100));
  }

  set maxconn(v: number) {
    this.baseMaxconn = v;
  }

  computeUsable(): boolean {
    return !this.removed && this.oper === 'UP' && this.admin === 'READY' && this.weight > 0;
  }

  /** a runtime address change (`set server addr`): new connections go to the new address */
  setAddress(host: string, port: number): void {
    if (host === this.model.host && port === this.model.port) return;
    this.model = { ...this.model, host, port };
    this.key = `${this.backendName}/${this.model.name}@${host}:${port}`;
  }

  /** ends every session on this server; returns how many there were */
  killSessions(code: 'D' | 'U' | 'K'): number {
    const all = this.sessions.snapshot();
    for (const s of all) s.kill(code);
    return all.length;
  }

  /** true when a new connection may start now */
  hasFreeSlot(): boolean {
    return this.maxconn === 0 || this.conns < this.maxconn;
  }
}

export type AcquireError = 'no-server' | 'queue-full' | 'queue-timeout';

export type AcquireCallback = (err: AcquireError | null, server: ServerRuntime | null) => void;

/** A request waiting in the backend queue; cancel() removes it (client went away). */
export interface QueueTicket {
  cancel(): void;
}

interface Waiter {
  key: string | null;
  avoid: number;
  cb: AcquireCallback;
  timer: NodeJS.Timeout | null;
  done: boolean;
}

const NO_TICKET: QueueTicket = { cancel() {} };

export class BackendRuntime {
  readonly name: string;
  readonly model: BackendModel;
  readonly servers: ServerRuntime[];
  readonly balancer: Balancer;
  private readonly queue: Waiter[] = [];
  private readonly queueTimeout: number | null;
  /** requests currently waiting in the queue */
  get queued(): number {
    return this.queue.length;
  }

  constructor(model: BackendModel, random: Random = Math.random) {
    this.name = model.name;
    this.model = model;
    const all = model.allBackups === true;
    this.servers = model.servers.map((s, i) => new ServerRuntime(model.name, i, s, all));
    this.balancer = createBalancer(model.balance, model.hashType, this.servers, random);
    // timeout queue falls back to timeout connect, as in HAProxy
    this.queueTimeout = model.timeouts.queue ?? model.timeouts.connect;
  }

  /** one PickContext reused for every pick: a pick is synchronous, nothing keeps a reference */
  private readonly pickCtx: { key: string | null; avoid: number } = { key: null, avoid: -1 };

  private pickWith(key: string | null, avoid: number): number {
    this.pickCtx.key = key;
    this.pickCtx.avoid = avoid;
    return this.balancer.pick(this.pickCtx);
  }

  /** some server could take traffic (ignoring maxconn) */
  hasUsableServer(): boolean {
    for (const s of this.servers) if (s.usable) return true;
    return false;
  }

  /** refresh usable flags after a state or weight change, and let queued requests in */
  serversChanged(): void {
    for (const s of this.servers) s.usable = s.computeUsable();
    this.balancer.update();
    this.drainQueue();
  }

  /** a server added at runtime (`add server`); the balancer sees it from the next update */
  addServer(model: ServerModel): ServerRuntime {
    const s = new ServerRuntime(this.name, this.servers.length, model, this.model.allBackups === true);
    this.servers.push(s);
    this.serversChanged();
    return s;
  }

  /**
   * Picks a server and takes a slot on it. Calls back synchronously when a server has a free slot
   * or none is usable; otherwise queues (bounded by maxqueue and timeout queue).
   * `avoid` is a server index to steer away from (redispatch), or -1.
   */
  acquire(key: string | null, avoid: number, cb: AcquireCallback): QueueTicket {
    const idx = this.pickWith(key, avoid);
    if (idx >= 0) {
      const s = this.servers[idx] as ServerRuntime;
      s.conns++;
      cb(null, s);
      return NO_TICKET;
    }
    if (!this.hasUsableServer()) {
      cb('no-server', null);
      return NO_TICKET;
    }
    if (this.queueFull()) {
      cb('queue-full', null);
      return NO_TICKET;
    }
    const w: Waiter = { key, avoid, cb, timer: null, done: false };
    if (this.queueTimeout !== null) {
      w.timer = setTimeout(() => this.expire(w), this.queueTimeout);
    }
    this.queue.push(w);
    return {
      cancel: () => {
        if (w.done) return;
        w.done = true;
        if (w.timer) clearTimeout(w.timer);
        const i = this.queue.indexOf(w);
        if (i >= 0) this.queue.splice(i, 1);
      },
    };
  }

  /** gives back a slot taken by acquire() */
  release(server: ServerRuntime): void {
    server.conns--;
    if (this.queue.length > 0) this.drainQueue();
  }

  /** the queue is bounded by the sum of the servers' maxqueue when every server sets one */
  private queueFull(): boolean {
    let limit = 0;
    for (const s of this.servers) {
      if (!s.usable) continue;
      if (s.model.maxqueue === 0) return false;
      limit += s.model.maxqueue;
    }
    return this.queue.length >= limit;
  }

  private drainQueue(): void {
    while (this.queue.length > 0) {
      const w = this.queue[0] as Waiter;
      const idx = this.pickWith(w.key, w.avoid);
      if (idx < 0) {
        if (!this.hasUsableServer()) {
          this.queue.shift();
          this.finish(w, 'no-server', null);
          continue;
        }
        return;
      }
      this.queue.shift();
      const s = this.servers[idx] as ServerRuntime;
      s.conns++;
      this.finish(w, null, s);
    }
  }

  private expire(w: Waiter): void {
    const i = this.queue.indexOf(w);
    if (i >= 0) this.queue.splice(i, 1);
    this.finish(w, 'queue-timeout', null);
  }

  private finish(w: Waiter, err: AcquireError | null, s: ServerRuntime | null): void {
    if (w.done) {
      if (s) this.release(s);
      return;
    }
    w.done = true;
    if (w.timer) clearTimeout(w.timer);
    w.cb(err, s);
  }
}

export function createBackends(
  backends: readonly BackendModel[],
  random?: Random,
): Map<string, BackendRuntime> {
  const m = new Map<string, BackendRuntime>();
  for (const b of backends) m.set(b.name, new BackendRuntime(b, random));
  return m;
}
