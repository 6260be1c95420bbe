// The workers of one generation: forks them, hands them the Model, respawns the ones that die
// after startup, and tells the primary when the generation is up, broken, or gone.
import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import type { Model } from '../config/model';
import type { FromWorker, ListenerInfo, ObserveEvent, ToWorker } from '../ipc';
import { isFromWorker } from '../ipc';
import type { Logger } from '../log';
import { Backoff } from './backoff';

/** A worker that has not reported after this long is stuck; an unusable proxy must not look alive. */
export const STARTUP_TIMEOUT_MS = 60_000;

export interface PoolEvents {
  /** every worker reported 'listening' for the first time */
  started(listeners: readonly ListenerInfo[]): void;
  /** the generation cannot serve: a worker reported 'fatal', or died before it ever listened */
  fatal(message: string): void;
  /** stop() was called and the last worker is gone */
  exited(): void;
  /** any other message of the current generation (statistics, runtime API, health) */
  message?(worker: Worker, m: FromWorker): void;
  /** passive health observations from a worker (src/health decides) */
  observe?(events: readonly ObserveEvent[]): void;
  /** a worker (first start or respawn) reported 'listening': bring it up to date through `send` */
  workerListening?(send: (msg: ToWorker) => void, worker: Worker): void;
}

interface Slot {
  readonly index: number;
  readonly backoff: Backoff;
  worker: Worker | null;
  forkedAt: number;
  listeners: readonly ListenerInfo[] | null;
  respawnTimer: NodeJS.Timeout | null;
}

type Phase = 'starting' | 'running' | 'stopping';

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private phase: Phase = 'starting';
  private startupTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly model: Model,
    private readonly generation: number,
    size: number,
    private readonly log: Logger,
    private readonly events: PoolEvents,
  ) {
    for (let index = 0; index < size; index++) {
      this.slots.push({
        index,
        backoff: new Backoff(),
        worker: null,
        forkedAt: 0,
        listeners: null,
        respawnTimer: null,
      });
    }
  }

  start(): void {
    for (const slot of this.slots) this.fork(slot);
    this.startupTimer = setTimeout(() => {
      if (this.phase === 'starting')
        this.events.fatal(`workers did not start within ${STARTUP_TIMEOUT_MS} ms`);
    }, STARTUP_TIMEOUT_MS);
  }

  pids(): number[] {
    const out: number[] = [];
    for (const s of this.slots) if (s.worker?.process.pid !== undefined) out.push(s.worker.process.pid);
    return out;
  }

  /** the live workers of this generation */
  workers(): Worker[] {
    const out: Worker[] = [];
    for (const s of this.slots) if (s.worker !== null) out.push(s.worker);
    return out;
  }

  get alive(): number {
    let n = 0;
    for (const s of this.slots) if (s.worker !== null) n++;
    return n;
  }

  /** Sends a message to every connected worker of this generation. */
  broadcast(msg: ToWorker): void {
    for (const s of this.slots) {
      if (s.worker === null || s.listeners === null || !s.worker.isConnected()) continue;
      s.worker.send(msg);
    }
  }

  /** Asks every worker to stop; graceful ones drain their connections first. No respawn after this. */
  stop(graceful: boolean): void {
    this.enterStopping();
    const msg: ToWorker = { type: 'stop', generation: this.generation, graceful };
    for (const s of this.slots) {
      if (s.worker === null || !s.worker.isConnected()) continue;
      s.worker.send(msg);
    }
    this.checkExited();
  }

  /** Kills every worker now (hard-stop-after, second signal, or a stop that hangs). */
  kill(): void {
    this.enterStopping();
    for (const s of this.slots) s.worker?.process.kill('SIGKILL');
    this.checkExited();
  }

  private enterStopping(): void {
    this.phase = 'stopping';
    if (this.startupTimer !== null) clearTimeout(this.startupTimer);
    for (const s of this.slots) {
      if (s.respawnTimer !== null) clearTimeout(s.respawnTimer);
      s.respawnTimer = null;
    }
  }

  private checkExited(): void {
    if (this.phase === 'stopping' && this.alive === 0) this.events.exited();
  }

  private fork(slot: Slot): void {
    const worker = cluster.fork({ SLUICE_WORKER_SLOT: String(slot.index) });
    slot.worker = worker;
    slot.forkedAt = Date.now();
    slot.listeners = null;
    const pid = worker.process.pid;
    worker.on('message', (m: unknown) => this.onMessage(slot, worker, m));
    worker.on('exit', (code: number | null, signal: string | null) =>
      this.onExit(slot, worker, code, signal),
    );
    // An 'error' here means the IPC pipe broke: the 'exit' that follows does the bookkeeping.
    worker.on('error', (err: Error) => this.log.warn({ worker: pid, err }, 'worker IPC error'));
    const start: ToWorker = { type: 'start', generation: this.generation, model: this.model };
    worker.send(start);
    this.log.debug({ worker: pid, slot: slot.index }, 'worker forked');
  }

  private onMessage(slot: Slot, worker: Worker, m: unknown): void {
    if (!isFromWorker(m)) {
      this.log.warn({ worker: worker.process.pid }, 'invalid IPC message from worker ignored');
      return;
    }
    if (m.generation !== this.generation || slot.worker !== worker) return;
    switch (m.type) {
      case 'listening':
        this.onListening(slot, worker, m.listeners);
        return;
      case 'fatal':
        this.log.error({ worker: worker.process.pid, reason: m.message }, `worker failed: ${m.message}`);
        if (this.phase !== 'stopping') this.events.fatal(m.message);
        return;
      case 'drained':
        this.log.debug({ worker: worker.process.pid }, 'worker drained');
        return;
      case 'observe':
        this.events.observe?.(m.events);
        return;
      default:
        this.events.message?.(worker, m);
        return;
    }
  }

  private onListening(slot: Slot, worker: Worker, listeners: readonly ListenerInfo[]): void {
    slot.listeners = listeners;
    this.events.workerListening?.((msg) => worker.send(msg), worker);
    if (this.phase === 'running') {
      this.log.info({ worker: worker.process.pid, slot: slot.index }, 'worker respawned and listening');
      return;
    }
    if (this.phase !== 'starting' || this.slots.some((s) => s.listeners === null)) return;
    this.phase = 'running';
    if (this.startupTimer !== null) clearTimeout(this.startupTimer);
    this.events.started(mergeListeners(this.slots));
  }

  private onExit(slot: Slot, worker: Worker, code: number | null, signal: string | null): void {
    if (slot.worker !== worker) return;
    slot.worker = null;
    const pid = worker.process.pid;
    if (this.phase === 'stopping') {
      this.log.debug({ worker: pid, code, signal }, 'worker exited');
      this.checkExited();
      return;
    }
    if (this.phase === 'starting' && slot.listeners === null) {
      // Respawning would only repeat the same failure (bad module, bind error, ...): give up now.
      const how = signal !== null ? `signal ${signal}` : `code ${code}`;
      this.log.error({ worker: pid, code, signal }, 'worker exited during startup');
      this.events.fatal(`worker ${pid} exited during startup (${how})`);
      return;
    }
    const delay = slot.backoff.next(Date.now() - slot.forkedAt);
    this.log.warn(
      { worker: pid, slot: slot.index, code, signal, respawnInMs: delay },
      'worker exited unexpectedly',
    );
    slot.respawnTimer = setTimeout(() => {
      slot.respawnTimer = null;
      this.fork(slot);
      this.log.info({ worker: slot.worker?.process.pid, slot: slot.index }, 'worker respawned');
    }, delay);
  }
}

/** One entry per distinct listener (workers normally report the same set). */
function mergeListeners(slots: readonly Slot[]): ListenerInfo[] {
  const seen = new Map<string, ListenerInfo>();
  for (const s of slots) {
    for (const l of s.listeners ?? []) seen.set(`${l.proxy} ${l.kind} ${l.address} ${l.port}`, l);
  }
  return [...seen.values()];
}
