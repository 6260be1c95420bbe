// Worker entry (cluster exec): waits for the Model, starts every frontend, reports back, and on
// 'stop' drains. Data plane only: the primary decides about everything else.
import type { StartedListener } from './frontends';
import { startFrontend } from './frontends';
import { dropPrivileges } from './privileges';
import { createBackends } from '../backend';
import type { FromWorker, ToWorker } from '../ipc';
import { isToWorker } from '../ipc';
import { AccessLogs, logger } from '../log';
import type { WorkerContext } from './context';
import { ConnGate } from './conn-gate';
import { WorkerStatsAgent } from '../stats';
import { applyServerStates, ObserveReporter } from '../health';
import type { ServerTransitionHooks } from '../health';
import type { BackendRuntime } from '../backend';

type State = 'idle' | 'starting' | 'serving' | 'stopping';

const log = logger('worker');
let state: State = 'idle';
let generation = 0;
const started: StartedListener[] = [];
/** a 'stop' that arrived while frontends were still starting; applied once they are up */
let pendingStop: boolean | null = null;
let accessLogs: AccessLogs | null = null;
/** counters for the runtime API; also asks the primary to render the stats page / exporter */
let stats: WorkerStatsAgent | null = null;
/** the live backends, once started: server-state messages from the primary update them */
let liveBackends: ReadonlyMap<string, BackendRuntime> | null = null;

function send(msg: FromWorker): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined || !process.connected) return resolve();
    process.send(msg, undefined, {}, () => resolve());
  });
}

function closeAll(): void {
  for (const s of started) {
    try {
      s.listener.close();
    } catch (err) {
      log.warn({ err, proxy: s.listener.proxy }, 'listener close failed');
    }
  }
}

async function start(msg: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  if (state !== 'idle') {
    log.warn({ generation: msg.generation }, 'worker already started: start message ignored');
    return;
  }
  state = 'starting';
  generation = msg.generation;
  const { model } = msg;
  const backends = createBackends(model.backends);
  liveBackends = backends;
  const observer = new ObserveReporter(
    backends,
    (events) => void send({ type: 'observe', generation, events }),
  );
  stats = new WorkerStatsAgent(
    backends,
    generation,
    (m) => void send(m),
    log,
    Number(process.env.SLUICE_WORKER_SLOT ?? 0),
  );
  // access logs are written here, by each worker, with no IPC per request
  accessLogs = new AccessLogs(model, backends, log);
  const logObservers = accessLogs.enabled ? [accessLogs] : [];
  const connections = new ConnGate(model.global.maxconn);
  stats.frontends.gate = connections;
  const ctx: WorkerContext = {
    generation,
    model,
    backends,
    log,
    connections,
    httpObservers: [stats.collector, observer, ...logObservers],
    services: stats,
    tcpObservers: [stats.collector, observer, ...logObservers],
  };
  try {
    for (const fe of model.frontends) started.push(...(await startFrontend(fe, ctx)));
    dropPrivileges(model.global, log);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log.error({ err }, `worker startup failed: ${message}`);
    closeAll();
    await send({ type: 'fatal', generation, message });
    process.exit(1);
  }
  state = 'serving';
  const listeners = started.map((s) => s.info);
  log.debug({ listeners }, 'worker listening');
  await send({ type: 'listening', generation, listeners });
  if (pendingStop !== null) await stop(pendingStop);
}

async function stop(graceful: boolean): Promise<void> {
  if (state === 'starting') {
    pendingStop = pendingStop === null ? graceful : pendingStop && graceful;
    return;
  }
  if (state === 'stopping') {
    // A hard stop may overtake a graceful one that is still draining.
    if (!graceful) {
      closeAll();
      process.exit(0);
    }
    return;
  }
  state = 'stopping';
  for (const s of started) s.listener.stopAccepting();
  log.info({ graceful }, 'worker stopping');
  if (graceful) {
    await Promise.all(started.map((s) => s.listener.drain()));
  } else {
    closeAll();
  }
  // buffered access-log lines must reach their targets before the process is gone
  if (accessLogs !== null) await accessLogs.flush();
  await send({ type: 'drained', generation });
  process.exit(0);
}

/** on-marked-down shutdown-sessions and on-marked-up shutdown-backup-sessions */
const TRANSITION_HOOKS: ServerTransitionHooks = {
  onDown(_be, s) {
    if (s.model.onMarkedDown === 'shutdown-sessions') s.killSessions('D');
  },
  onUp(be, s) {
    if (s.backup || s.model.onMarkedUp !== 'shutdown-backup-sessions') return;
    for (const b of be.servers) if (b.backup) b.killSessions('U');
  },
};

function onMessage(m: unknown): void {
  if (!isToWorker(m)) {
    log.warn('invalid IPC message from primary ignored');
    return;
  }
  if (m.type === 'start') {
    void start(m);
  } else if (m.type === 'server-state') {
    if (m.generation === generation && liveBackends !== null) {
      applyServerStates(liveBackends, m.updates, log, TRANSITION_HOOKS);
    }
  } else if (m.type !== 'stop') {
    if (m.generation === generation) stats?.onMessage(m);
  } else if (state === 'idle' || m.generation === generation) {
    void stop(m.graceful);
  }
}

export function runWorker(): void {
  process.on('message', onMessage);
  // A worker in an unknown state must not keep serving: log, exit, and let the primary respawn.
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception in worker');
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    log.fatal({ err: reason }, 'unhandled rejection in worker');
    process.exit(1);
  });
  // Ctrl-C reaches the whole process group: the primary turns it into a coordinated stop.
  process.on('SIGINT', () => undefined);
  // A SIGTERM sent to this worker alone (or to the cgroup, as systemd does) drains it.
  process.on('SIGTERM', () => void stop(true));
  // Without the primary nobody would respawn or stop us: leave rather than serve unsupervised.
  process.on('disconnect', () => {
    if (state !== 'stopping') {
      log.warn('primary went away: stopping');
      closeAll();
      process.exit(0);
    }
  });
}

if (require.main === module) runWorker();
