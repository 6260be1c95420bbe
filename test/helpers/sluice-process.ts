// Runs the real `sluice` command (primary + cluster workers) as a child process for black-box
// tests: write a config, start it, wait for the "sluice started" log line, read the listener
// ports from it, stop it. Every wait is bounded and every process started here can be killed.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ListenerInfo } from '../../src/ipc';

/** The compiled CLI entry of the same build as this helper (dist/ or any dist-*). */
export const SLUICE_CLI = join(__dirname, '..', '..', 'src', 'cli', 'main-entry.js');

export const DEFAULT_TIMEOUT_MS = 15_000;

/** One pino JSON line from the primary or a worker (they share stdout). */
export interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly pid: number;
  readonly component?: string;
  readonly [key: string]: unknown;
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A free TCP port on 127.0.0.1 (bound, read, released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh temp dir holding `sluice.cfg` with this text; remove it with cleanup(). */
export function writeConfig(text: string): { dir: string; file: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-test-'));
  const file = join(dir, 'sluice.cfg');
  writeFileSync(file, text);
  return { dir, file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface SpawnOptions {
  /** merged over process.env; a key set to undefined is removed */
  readonly env?: NodeJS.ProcessEnv;
  /** pass --insecure-run-as-root (default true): tests and CI run as root, and their configs
   *  have no `user`; false for tests of that refusal itself */
  readonly insecureRunAsRoot?: boolean;
}

/** The opt-in every test start passes unless told otherwise (see SpawnOptions). */
export const ROOT_OPT_IN = '--insecure-run-as-root';

const live = new Set<SluiceProcess>();
// A timed-out test never reaches its `after` hook: the test process's own exit is the last chance
// not to leave a primary and its workers running.
process.on('exit', () => {
  for (const p of live) p.kill();
});

export class SluiceProcess {
  readonly child: ChildProcess;
  readonly logs: LogLine[] = [];
  /** stdout lines that are not JSON (e.g. "Configuration file is valid") */
  readonly text: string[] = [];
  stderr = '';
  exit: ExitInfo | null = null;
  private partial = '';
  private readonly waiters = new Set<() => void>();

  constructor(args: readonly string[], opts: SpawnOptions = {}) {
    // `sluice cli …` talks to a stats socket and takes no proxy flags
    const optIn = opts.insecureRunAsRoot !== false && args[0] !== 'cli' ? [ROOT_OPT_IN] : [];
    this.child = spawn(process.execPath, [SLUICE_CLI, ...optIn, ...args], {
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.onStdout(chunk));
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.notify();
    });
    live.add(this);
    this.child.on('exit', (code, signal) => {
      live.delete(this);
      this.exit = { code, signal };
      this.notify();
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Every worker pid ever seen in the logs (live or not): "sluice started" lists them all. */
  workerPids(): number[] {
    const pids = new Set<number>();
    for (const l of this.logs) {
      if (Array.isArray(l.pids)) for (const p of l.pids) if (typeof p === 'number') pids.add(p);
    }
    for (const l of this.logs) if (l.pid !== this.pid) pids.add(l.pid);
    for (const l of this.logs) if (typeof l.worker === 'number') pids.add(l.worker);
    return [...pids];
  }

  /** Resolves with the first log line (already seen or future) that matches; rejects on timeout or exit. */
  waitForLog(match: (l: LogLine) => boolean, timeoutMs = DEFAULT_TIMEOUT_MS, from = 0): Promise<LogLine> {
    return this.waitFor(
      () => this.logs.slice(from).find(match),
      `log line (${match.toString()})`,
      timeoutMs,
      true,
    );
  }

  waitForMsg(msg: string, timeoutMs = DEFAULT_TIMEOUT_MS, from = 0): Promise<LogLine> {
    return this.waitForLog((l) => l.msg === msg, timeoutMs, from);
  }

  waitForExit(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ExitInfo> {
    return this.waitFor(() => this.exit ?? undefined, 'process exit', timeoutMs, false);
  }

  /** Sends `signal` and waits for the exit; SIGKILLs everything if it takes longer than timeoutMs. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ExitInfo> {
    if (this.exit === null) this.child.kill(signal);
    try {
      return await this.waitForExit(timeoutMs);
    } finally {
      this.kill();
    }
  }

  /** Kills the primary and every worker seen in the logs; for `after` hooks. Never throws. */
  kill(): void {
    for (const pid of [this.pid, ...this.workerPids()]) {
      if (pid <= 0) continue;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  describe(): string {
    const out = this.logs.map((l) => JSON.stringify(l)).concat(this.text);
    return `--- stdout ---\n${out.join('\n')}\n--- stderr ---\n${this.stderr}`;
  }

  private onStdout(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') continue;
      try {
        const v = JSON.parse(line) as unknown;
        if (typeof v === 'object' && v !== null && 'msg' in v) {
          this.logs.push(v as LogLine);
          continue;
        }
      } catch {
        // not a log line
      }
      this.text.push(line);
    }
    this.notify();
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  private waitFor<T>(
    probe: () => T | undefined,
    what: string,
    timeoutMs: number,
    failOnExit: boolean,
  ): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const v = probe();
        if (v !== undefined) return done(() => resolve(v));
        if (failOnExit && this.exit !== null) {
          done(() =>
            reject(
              new Error(`sluice exited (${JSON.stringify(this.exit)}) before ${what}\n${this.describe()}`),
            ),
          );
        }
      };
      const timer = setTimeout(
        () =>
          done(() =>
            reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${this.describe()}`)),
          ),
        timeoutMs,
      );
      const done = (settle: () => void): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        settle();
      };
      this.waiters.add(check);
      check();
    });
  }
}

/** Runs sluice to completion (e.g. -v, -c) and returns its exit and output. */
export async function runSluice(
  args: readonly string[],
  opts: SpawnOptions & { timeoutMs?: number } = {},
): Promise<ExitInfo & { stdout: string; stderr: string }> {
  const p = new SluiceProcess(args, opts);
  try {
    const exit = await p.waitForExit(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    // 'exit' may precede the last 'data' events: wait for the pipes to close too.
    await Promise.all(
      [p.child.stdout, p.child.stderr].map((s) =>
        s === null || s.closed ? Promise.resolve() : new Promise((r) => s.once('close', r)),
      ),
    );
    const stdout = [...p.logs.map((l) => JSON.stringify(l)), ...p.text].join('\n');
    return { ...exit, stdout, stderr: p.stderr };
  } finally {
    p.kill();
  }
}

export interface StartedSluice {
  readonly proc: SluiceProcess;
  readonly configFile: string;
  readonly dir: string;
  /** the "sluice started" log line */
  readonly started: LogLine;
  readonly listeners: readonly ListenerInfo[];
  /** port of the first listener of a proxy */
  port(proxy: string): number;
  /** SIGTERM, wait for exit, remove the temp dir */
  stop(): Promise<ExitInfo>;
}

export interface StartOptions extends SpawnOptions {
  /** -w; default 2 (enough to exercise sharing without loading the test machine); null = no -w,
   *  so the configuration's nbthread (or the CPU count) applies */
  readonly workers?: number | null;
  readonly args?: readonly string[];
  readonly timeoutMs?: number;
}

/** Starts sluice on a config text and waits until every worker listens. */
export async function startSluice(configText: string, opts: StartOptions = {}): Promise<StartedSluice> {
  const cfg = writeConfig(configText);
  const workers = opts.workers === null ? [] : ['-w', String(opts.workers ?? 2)];
  const args = [...workers, ...(opts.args ?? []), '-f', cfg.file];
  const proc = new SluiceProcess(args, opts);
  let started: LogLine;
  try {
    started = await proc.waitForMsg('sluice started', opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  } catch (err) {
    proc.kill();
    cfg.cleanup();
    throw err;
  }
  const listeners = Array.isArray(started.listeners) ? (started.listeners as ListenerInfo[]) : [];
  return {
    proc,
    configFile: cfg.file,
    dir: cfg.dir,
    started,
    listeners,
    port(proxy: string): number {
      const l = listeners.find((x) => x.proxy === proxy);
      if (l === undefined)
        throw new Error(`no listener for proxy '${proxy}' in ${JSON.stringify(listeners)}`);
      return l.port;
    },
    async stop(): Promise<ExitInfo> {
      try {
        return await proc.stop('SIGTERM');
      } finally {
        cfg.cleanup();
      }
    },
  };
}
