// Starting and stopping the processes a benchmark needs (backends, proxies, load generators),
// optionally pinned to CPUs with taskset. Every wait is bounded; every child can be killed.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, createReadStream, openSync, rmSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { processTree as childPidsOf } from './proc';

/** Every child still running: killed when the runner exits, even on Ctrl-C or a crash. */
const live = new Set<Spawned>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const s of live) {
      for (const pid of [...childPidsOf(s.pid), s.pid]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  });
}

/** True when `cmd` is on PATH. */
export function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

export interface Spawned {
  readonly child: ChildProcess;
  readonly pid: number;
  stdout: string;
  stderr: string;
  exited: boolean;
  /** resolves on exit */
  readonly done: Promise<number | null>;
}

/** lines written to stdout by every process started here (counts access logs sent to stdout) */
let linesOut = 0;
export function stdoutLines(): number {
  return linesOut;
}

function countLines(c: string): void {
  for (let i = c.indexOf('\n'); i !== -1; i = c.indexOf('\n', i + 1)) linesOut++;
}

/**
 * Creates a named pipe at `path` and counts the lines written to it as stdout lines. For nginx,
 * which cannot open /dev/stdout when stdout is the socket pair Node gives a child: the FIFO is
 * the pipe a container runtime would give it.
 */
export function stdoutFifo(path: string): { release: () => void } {
  rmSync(path, { force: true }); // left by the previous run of the same scenario
  execFileSync('mkfifo', [path]);
  // opening a FIFO for reading waits (in libuv's thread pool) until the writer opens it
  const reader = createReadStream(path, { encoding: 'utf8' });
  reader.on('data', (c: string | Buffer) => countLines(String(c)));
  reader.on('error', () => reader.destroy());
  return {
    // when the writer never came: open and close the write end so the waiting open returns and
    // the reader ends (non-blocking: fails harmlessly when no reader is waiting any more)
    release: () => {
      try {
        closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // no reader left
      }
    },
  };
}

/** Spawns `cmd args`, through `taskset -c cpus` when cpus is given (taskset execs: same pid). */
export function spawnPinned(
  cmd: string,
  args: readonly string[],
  cpus: string | null,
  keepOutput = 64 * 1024,
): Spawned {
  const argv = cpus === null ? [cmd, ...args] : ['taskset', '-c', cpus, cmd, ...args];
  const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  const s: Spawned = {
    child,
    pid: child.pid ?? -1,
    stdout: '',
    stderr: '',
    exited: false,
    done: new Promise((resolve) => {
      child.on('exit', (code) => {
        s.exited = true;
        resolve(code);
      });
      child.on('error', (err) => {
        s.stderr += String(err);
        s.exited = true;
        resolve(null);
      });
    }),
  };
  installExitHook();
  live.add(s);
  void s.done.then(() => live.delete(s));
  // Only the head of the output is kept: a proxy logging every request must not fill our memory.
  child.stdout?.setEncoding('utf8').on('data', (c: string) => {
    if (s.stdout.length < keepOutput) s.stdout += c;
    countLines(c);
  });
  child.stderr?.setEncoding('utf8').on('data', (c: string) => {
    if (s.stderr.length < keepOutput) s.stderr += c;
  });
  return s;
}

/** Resolves when `probe` returns true; rejects after timeoutMs or when the process exits. */
export async function waitUntil(
  what: string,
  proc: Spawned | null,
  probe: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    if (proc !== null && proc.exited)
      throw new Error(`exited before ${what}: ${(proc.stderr + proc.stdout).trim()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
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

/** SIGTERM, then SIGKILL to the whole tree after graceMs. Never throws. */
export async function stopProcess(
  proc: Spawned,
  pids: readonly number[] = [],
  graceMs = 5_000,
): Promise<void> {
  if (!proc.exited) proc.child.kill('SIGTERM');
  const timer = new Promise((r) => setTimeout(r, graceMs).unref());
  await Promise.race([proc.done, timer]);
  for (const pid of [proc.pid, ...pids]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await Promise.race([proc.done, new Promise((r) => setTimeout(r, 1_000).unref())]);
}

/** The telling part of a failed start's output: alert/error lines if any, else the last lines. */
export function failureSummary(text: string, maxChars = 400): string {
  const lines = text.trim().split('\n');
  const alerts = lines.filter((l) => /ALERT|error|Error|emerg/.test(l));
  const pick = (alerts.length > 0 ? alerts : lines.slice(-3)).join(' / ');
  return pick.length > maxChars ? pick.slice(0, maxChars) + '…' : pick;
}
