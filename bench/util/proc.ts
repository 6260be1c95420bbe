// Process accounting from /proc: the process tree of a proxy (sluice's primary forks workers,
// nginx's master forks its worker), its CPU time and its resident memory.
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** Kernel clock ticks per second for /proc/<pid>/stat; 100 on every Linux we run on. */
function clockTicks(): number {
  try {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return n > 0 ? n : 100;
  } catch {
    return 100;
  }
}
export const CLK_TCK = clockTicks();

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Direct children, from every thread's children list (a child may be the child of any thread). */
export function childPids(pid: number): number[] {
  const out = new Set<number>();
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  for (const tid of tasks) {
    const text = read(`/proc/${pid}/task/${tid}/children`);
    if (text === null) continue;
    for (const p of text.trim().split(/\s+/)) if (p !== '') out.add(Number(p));
  }
  return [...out];
}

/** pid and all its live descendants. */
export function processTree(pid: number): number[] {
  const all: number[] = [];
  const todo = [pid];
  while (todo.length > 0) {
    const p = todo.pop() as number;
    if (all.includes(p)) continue;
    all.push(p);
    todo.push(...childPids(p));
  }
  return all;
}

/** utime+stime (+ cutime+cstime: children already reaped) of one process, in ticks. */
export function cpuTicks(pid: number): number {
  const stat = read(`/proc/${pid}/stat`);
  if (stat === null) return 0;
  // The command name may contain spaces and parentheses: fields start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime is field 14 -> index 11.
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
}

/** user and system CPU ticks of one process (utime, stime), [0, 0] when it is gone */
export function userSysTicks(pid: number): [number, number] {
  const stat = read(`/proc/${pid}/stat`);
  if (stat === null) return [0, 0];
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [Number(fields[11] ?? 0), Number(fields[12] ?? 0)];
}

export function treeCpuTicks(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + cpuTicks(p), 0);
}

/** A field of /proc/<pid>/status in KiB (VmRSS, VmHWM), or 0 when the process is gone. */
export function statusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const text = read(`/proc/${pid}/status`);
  const m = text === null ? null : new RegExp(`^${field}:\\s+([0-9]+) kB`, 'm').exec(text);
  return m === null ? 0 : Number(m[1]);
}

export function treeRssKiB(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + statusKiB(p, 'VmRSS'), 0);
}

/** Samples CPU and RSS of a process tree while a run goes on. */
export class TreeSampler {
  private readonly startTicks: number;
  private readonly startNs = process.hrtime.bigint();
  private peakKiB = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 250,
  ) {
    this.startTicks = treeCpuTicks(pid);
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  private sample(): void {
    this.peakKiB = Math.max(this.peakKiB, treeRssKiB(this.pid));
  }

  /** CPU% (100 = one core busy) and peak RSS since construction. */
  stop(): { cpuPct: number; peakRssKiB: number } {
    clearInterval(this.timer);
    this.sample();
    const ticks = treeCpuTicks(this.pid) - this.startTicks;
    const sec = Number(process.hrtime.bigint() - this.startNs) / 1e9;
    return { cpuPct: sec > 0 ? (ticks / CLK_TCK / sec) * 100 : 0, peakRssKiB: this.peakKiB };
  }
}

/** The hard RLIMIT_NOFILE of this process (children inherit it; only CAP_SYS_RESOURCE raises it). */
export function hardNofile(): number {
  const text = read('/proc/self/limits');
  const m = text === null ? null : /^Max open files\s+(\S+)\s+(\S+)/m.exec(text);
  if (m === null || m[2] === 'unlimited') return 1 << 20;
  return Number(m[2]);
}
