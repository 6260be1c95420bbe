// Measuring one target on one scenario: a warm-up, then N runs while the proxy's process tree is
// sampled (CPU from /proc/<pid>/stat, RSS from /proc/<pid>/status); or, for the idle scenario,
// the worker's VmRSS before and after N idle keep-alive connections are opened.
import { join } from 'node:path';
import type { LoadSpec } from './loadgen';
import { runLoad } from './loadgen';
import type { ToolName } from './options';
import type { Sample } from './results';
import type { Scenario } from './scenarios';
import type { RunningTarget } from './targets/types';
import { spawnPinned, stopProcess, waitUntil } from './util/child';
import { TreeSampler, statusKiB } from './util/proc';

export interface MeasureContext {
  readonly tool: ToolName;
  readonly durationSec: number;
  readonly runs: number;
  readonly connections: number;
  readonly loadgenCpus: string | null;
  readonly loadgenThreads: number;
  readonly dir: string;
  readonly idleConnections: number;
  readonly log: (line: string) => void;
}

const MiB = 1024 * 1024;

function spec(s: Scenario, port: number, ctx: MeasureContext, durationSec: number): LoadSpec {
  return {
    port,
    method: s.method,
    path: s.path,
    bodyBytes: s.bodyBytes,
    connections: ctx.connections,
    newConnection: s.newConnection,
    durationSec,
    rate: s.rate,
    threads: ctx.loadgenThreads,
    cpus: ctx.loadgenCpus,
    dir: ctx.dir,
  };
}

/** Seconds of load before anything is recorded: half a run, between 1 and 2 s. */
export function warmupSeconds(durationSec: number): number {
  return Math.max(1, Math.min(2, Math.floor(durationSec / 2)));
}

/** Warm-up plus ctx.runs measured runs. */
export async function measureLoad(s: Scenario, t: RunningTarget, ctx: MeasureContext): Promise<Sample[]> {
  // JIT, connection pools and health-check state settle before anything is recorded.
  await runLoad(ctx.tool, spec(s, t.port, ctx, warmupSeconds(ctx.durationSec)));
  const out: Sample[] = [];
  for (let i = 0; i < ctx.runs; i++) {
    const sampler = t.pid === null ? null : new TreeSampler(t.pid);
    const r = await runLoad(ctx.tool, spec(s, t.port, ctx, ctx.durationSec));
    const acct = sampler?.stop();
    const sample: Sample = {
      rps: r.rps,
      mbps: r.bytesPerSec / MiB,
      p50Ms: r.p50Ms,
      p99Ms: r.p99Ms,
      p999Ms: r.p999Ms,
      errors: r.errors,
    };
    if (acct !== undefined) {
      sample.cpuPct = acct.cpuPct;
      // On a small machine the proxy may not saturate its core; throughput per busy core compares
      // the cost of a request even then.
      if (acct.cpuPct > 0) sample.rpsPerCore = r.rps / (acct.cpuPct / 100);
      sample.peakRssMiB = acct.peakRssKiB / 1024;
    }
    ctx.log(
      `    run ${i + 1}/${ctx.runs} ${t.name} [${r.tool}]: ${Math.round(r.rps)} req/s, ` +
        `${sample.mbps?.toFixed(1)} MB/s, p99 ${r.p99Ms.toFixed(2)} ms, errors ${r.errors}` +
        (acct ? `, cpu ${acct.cpuPct.toFixed(0)}%, rss ${(acct.peakRssKiB / 1024).toFixed(0)} MiB` : ''),
    );
    out.push(sample);
  }
  return out;
}

function workerRssKiB(t: RunningTarget): number {
  return t.workerPids().reduce((sum, p) => sum + statusKiB(p, 'VmRSS'), 0);
}

/** Opens ctx.idleConnections keep-alive connections (one request each) and weighs them. */
export async function measureIdle(_s: Scenario, t: RunningTarget, ctx: MeasureContext): Promise<Sample[]> {
  const out: Sample[] = [];
  for (let i = 0; i < ctx.runs; i++) {
    // A little traffic first so that lazily built state is in the "before" figure.
    await runLoad(ctx.tool, spec(_s, t.port, { ...ctx, connections: 16 }, 1));
    await new Promise((r) => setTimeout(r, 500));
    const before = workerRssKiB(t);
    const child = spawnPinned(
      process.execPath,
      [join(__dirname, 'loadgen', 'idle-child.js'), String(t.port), String(ctx.idleConnections)],
      ctx.loadgenCpus,
    );
    await waitUntil('idle connections to open', child, () => child.stdout.includes('ready'), 120_000);
    const [, okRaw, failedRaw] = /ready (\d+) (\d+)/.exec(child.stdout) ?? [];
    const ok = Number(okRaw);
    // Let the proxy finish whatever it does after a response (timers, buffer release).
    await new Promise((r) => setTimeout(r, 1_000));
    const after = workerRssKiB(t);
    await stopProcess(child, [], 10_000);
    const dropped = Number(/closed (\d+)/.exec(child.stdout)?.[1] ?? 0);
    const sample: Sample = {
      connections: ok,
      rssBeforeMiB: before / 1024,
      rssAfterMiB: after / 1024,
      bytesPerConn: ok > 0 ? ((after - before) * 1024) / ok : 0,
      errors: Number(failedRaw) + dropped,
    };
    ctx.log(
      `    run ${i + 1}/${ctx.runs} ${t.name}: ${ok} idle conns, worker RSS ${(before / 1024).toFixed(1)} -> ` +
        `${(after / 1024).toFixed(1)} MiB, ${Math.round(sample.bytesPerConn ?? 0)} B/conn, ` +
        `failed ${failedRaw}, dropped ${dropped}`,
    );
    out.push(sample);
    // The proxy must notice the closes before the next run's "before".
    await new Promise((r) => setTimeout(r, 1_000));
  }
  return out;
}
