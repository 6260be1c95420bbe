// The primary process: validates the configuration, checks every bind is free, forks the
// workers, and turns SIGTERM/SIGINT into a graceful stop bounded by `hard-stop-after`.
// It never touches client traffic.
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { formatCheckReport, formatDiagnostic, loadConfig } from '../config';
import { hasListener, NO_LISTENER, type Model } from '../config/model';
import { expandConfigPaths } from '../cli/config-files';
import { packageVersion } from '../cli/version';
import { logger } from '../log';
import type { Logger } from '../log';
import { PidFile } from './pidfile';
import { WorkerPool } from './pool';
import { probeBinds } from './probe';
import { ROOT_OPTED_IN, ROOT_REFUSED, runAsRootVerdict } from './run-as-root';
import { Runtime } from '../runtime';
import {
  INIT_ADDR_FAILED,
  initServerAddresses,
  loadServerStates,
  saveServerStates,
  startHealth,
} from '../health';
import type { Health, ServerStateStore } from '../health';

export interface PrimaryOptions {
  readonly files: readonly string[];
  /** -w: overrides global nbthread */
  readonly workers: number | null;
  /** --insecure-run-as-root */
  readonly insecureRunAsRoot?: boolean;
}

/** After a non-graceful stop was requested, workers still alive this much later are killed. */
export const FORCE_KILL_AFTER_MS = 2_000;

const GENERATION = 1;

let health: Health | null = null;

/** The running instance's server state store (null before startup): the runtime API steers it. */
export function serverStateStore(): ServerStateStore | null {
  return health?.store ?? null;
}

function alert(message: string): void {
  process.stderr.write(`${'[ALERT]'.padEnd(10, ' ')} (${process.pid}) : ${message}\n`);
}

/** Compiles the configuration; prints what haproxy prints at startup. Returns null when invalid. */
function compile(files: readonly string[]): Model | null {
  const result = loadConfig(expandConfigPaths(files), process.env);
  if (result.model === null) {
    process.stderr.write(formatCheckReport(result, process.pid).replace(/\n?$/, '\n'));
    return null;
  }
  for (const d of result.diagnostics) process.stderr.write(formatDiagnostic(d, process.pid) + '\n');
  return result.model;
}

export function workerCount(model: Model, override: number | null): number {
  return override ?? model.global.nbthread ?? availableParallelism();
}

export function runPrimary(opts: PrimaryOptions): void {
  const model = compile(opts.files);
  if (model === null) {
    process.exitCode = 1;
    return;
  }
  if (!hasListener(model)) {
    alert(`[sluice.main()] ${NO_LISTENER} ! Exiting.`);
    process.exitCode = 1;
    return;
  }
  // before anything binds or forks: one message, not one failing worker after another
  const root = runAsRootVerdict(model.global, process.getuid?.() ?? null, opts.insecureRunAsRoot === true);
  if (root === 'refuse') {
    alert(ROOT_REFUSED);
    process.exitCode = 1;
    return;
  }
  const log = logger('primary');
  if (root === 'warn') log.warn(ROOT_OPTED_IN);
  void startProxy(model, opts, log).catch((err: unknown) => {
    log.fatal({ err }, 'primary failed');
    process.exit(1);
  });
}

async function startProxy(configured: Model, opts: PrimaryOptions, log: Logger): Promise<void> {
  // the probe also fixes `port 0` binds to one kernel-chosen port that every worker shares
  const { failures, model } = await probeBinds(configured);
  if (failures.length > 0) {
    for (const f of failures) {
      alert(f.message);
      log.fatal({ proxy: f.proxy, address: f.address, port: f.port, code: f.code }, f.message);
    }
    process.exit(1);
  }

  const pidfile = model.global.pidfile === null ? null : new PidFile(model.global.pidfile);
  if (pidfile !== null) {
    try {
      pidfile.write();
    } catch (err) {
      alert(`cannot write pidfile '${pidfile.path}': ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    }
    // Covers every way out, including process.exit() from the paths below.
    process.on('exit', () => pidfile.remove());
  }

  // SCHED_NONE: tcp-mode net listeners are shared handles accepted by the kernel in each worker,
  // instead of the primary accepting every connection and passing it round-robin.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  cluster.setupPrimary({ exec: join(__dirname, '..', 'worker', 'main.js') });

  const size = workerCount(model, opts.workers);
  let exitCode = 0;
  let stopRequested = false;
  let killTimer: NodeJS.Timeout | null = null;

  // states changed before the pool exists reach workers in the snapshot sent on 'listening'
  let statePool: WorkerPool | null = null;
  health = startHealth(
    model,
    (updates) => statePool?.broadcast({ type: 'server-state', generation: GENERATION, updates }),
    { log: logger('health') },
  );
  const hc = health;
  // before the first worker forks, so none ever serves with the configuration's states instead
  loadServerStates(model, hc.store, logger('health'));
  // then `init-addr`: a server name nothing resolves stops the startup, as in HAProxy
  const unresolved = await initServerAddresses(hc.store, logger('health'));
  if (unresolved.length > 0) {
    for (const a of unresolved) alert(a);
    alert(INIT_ADDR_FAILED);
    process.exit(1);
  }
  // the stats sockets open before any worker exists: a socket that cannot open stops the startup
  const runtime = new Runtime({
    model,
    log: logger('runtime'),
    generation: GENERATION,
    version: packageVersion(),
    workers: () => pool.workers(),
    store: () => health?.store ?? null,
  });
  try {
    await runtime.open();
  } catch (err) {
    alert(err instanceof Error ? err.message : String(err));
    runtime.close();
    process.exit(1);
  }
  process.on('exit', () => runtime.close());
  const pool = new WorkerPool(model, GENERATION, size, log, {
    message(worker, m) {
      runtime.onWorkerMessage(worker, m);
    },
    workerListening(send) {
      send({ type: 'server-state', generation: GENERATION, updates: hc.snapshot() });
      runtime.workerListening(send);
    },
    observe(events) {
      hc.observe(events);
    },
    started(listeners) {
      log.info({ version: packageVersion(), workers: size, pids: pool.pids(), listeners }, 'sluice started');
    },
    fatal(message) {
      if (exitCode !== 0) return;
      alert(message);
      exitCode = 1;
      stopRequested = true;
      pool.stop(false);
      killTimer ??= setTimeout(() => pool.kill(), FORCE_KILL_AFTER_MS);
    },
    exited() {
      if (killTimer !== null) clearTimeout(killTimer);
      hc.stop();
      // a stop asked for by a signal, not a failed startup: the next start resumes these states
      if (stopRequested && exitCode === 0) saveServerStates(model, hc.store, logger('health'));
      log.info({ exitCode }, 'sluice stopped');
      process.exit(exitCode);
    },
  });

  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopRequested) {
      log.warn({ signal }, 'second stop signal: killing workers now');
      pool.kill();
      return;
    }
    stopRequested = true;
    const hardStopAfter = model.global.hardStopAfter;
    log.info({ signal, hardStopAfterMs: hardStopAfter }, 'graceful stop requested');
    pool.stop(true);
    if (hardStopAfter !== null) {
      killTimer = setTimeout(() => {
        log.warn(
          { workers: pool.pids(), hardStopAfterMs: hardStopAfter },
          'hard-stop-after expired: killing workers',
        );
        pool.kill();
      }, hardStopAfter);
    }
  };
  statePool = pool;
  hc.start();
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // Workers exit when the IPC channel closes, so dying here does not leave orphans serving traffic.
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception in primary');
    pool.kill();
    process.exit(1);
  });

  pool.start();
}
