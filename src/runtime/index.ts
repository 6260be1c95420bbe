// The runtime API's door: the command registry with every built-in command, the stats sockets,
// and the primary's statistics hub. The primary creates one Runtime and feeds it worker messages.
import type { Worker } from 'node:cluster';
import type { Model } from '../config/model';
import type { ServerStateStore } from '../health/types';
import type { FromWorker, ToWorker } from '../ipc';
import type { Logger } from '../log';
import { aggregate, statusesFromModel } from '../stats';
import { registerBuiltins } from './commands';
import { StatsHub } from './hub';
import type { Renderer } from './hub';
import { CommandRegistry } from './registry';
import { renderService } from './render';
import { StatsSockets } from './server';
import type { RuntimeServices } from './services';

export interface RuntimeOptions {
  readonly model: Model;
  readonly log: Logger;
  readonly generation: number;
  readonly version: string;
  readonly workers: () => readonly Worker[];
  readonly store: () => ServerStateStore | null;
}

export class Runtime {
  readonly registry = new CommandRegistry();
  readonly hub: StatsHub;
  readonly services: RuntimeServices;
  readonly sockets: StatsSockets;

  constructor(opts: RuntimeOptions) {
    this.hub = new StatsHub(opts.workers, opts.generation);
    registerBuiltins(this.registry);
    const startedAt = Date.now();
    const hub = this.hub;
    this.services = {
      model: opts.model,
      log: opts.log,
      registry: this.registry,
      hub,
      limits: { globalMaxconn: opts.model.global.maxconn, frontends: new Map(), servers: new Map() },
      pid: process.pid,
      version: opts.version,
      startedAt,
      store: opts.store,
      servers: () => opts.store()?.list() ?? statusesFromModel(opts.model, startedAt),
      stats: async () => aggregate(await hub.collect()),
      workerPids: () => opts.workers().flatMap((w) => (w.process.pid === undefined ? [] : [w.process.pid])),
    };
    this.sockets = new StatsSockets(this.registry, this.services);
    const services = this.services;
    this.hub.renderer = (req) => renderService(req, services);
  }

  /** opens every `stats socket`; rejects naming the one that failed */
  open(): Promise<void> {
    return this.sockets.open(
      this.services.model.global.statsSockets,
      this.services.model.global.statsTimeout,
    );
  }

  set renderer(r: Renderer) {
    this.hub.renderer = r;
  }

  /** true when the worker message was for statistics or the runtime API */
  onWorkerMessage(worker: Worker, m: FromWorker): boolean {
    return this.hub.onMessage(worker, m);
  }

  /** a worker (re)started: give it the runtime changes made so far */
  workerListening(send: (msg: ToWorker) => void): void {
    this.hub.replay(send);
  }

  close(): void {
    this.sockets.close();
  }
}

export { CommandRegistry, levelAllows, PERMISSION_DENIED, type CommandDef, type Level } from './registry';
export { splitLine } from './parse';
export type { RuntimeServices } from './services';
export { StatsHub } from './hub';
