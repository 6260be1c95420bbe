// Where a request's CPU goes: the floor proxy (floor/child.ts: uWS + net, no features), sluice's
// HTTP pipeline (the upstream-ab child, bare config) and HAProxy (nbthread 1, when installed), each
// pinned to the proxy CPU in turn under the same wrk load after a warm-up, alternated run by run.
// Prints user and system CPU microseconds per request, medians over the runs: system time is the
// kernel's share (sockets, loopback TCP, wakeups), user time what the process itself spends. With
// --rate N the load is the suite's paced client at N req/s instead (the same offered load for all
// three), and the latency percentiles are the figures to compare. Usage:
//   npm run build && node dist/bench/floor/run.js [--runs 5] [--duration 5] [--connections 64] [--rate 10000]
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend } from '../backends';
import { chooseTool, runLoad } from '../loadgen';
import { warmupSeconds } from '../measure';
import { planPlacement } from '../util/cpus';
import { freePort, hasCommand, portOpen, spawnPinned, stopProcess, waitUntil } from '../util/child';
import { CLK_TCK, userSysTicks } from '../util/proc';
import type { Spawned } from '../util/child';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

function ms(x: number): string {
  return x.toFixed(x < 10 ? 2 : 1);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

interface Sample {
  rps: number;
  user: number;
  sys: number;
  p50: number;
  p99: number;
  p999: number;
}

async function main(): Promise<void> {
  const runs = arg('runs', 5);
  const duration = arg('duration', 5);
  const connections = arg('connections', 64);
  const asked = arg('rate', 0);
  const rate = asked > 0 ? asked : null;
  const dir = mkdtempSync(join(tmpdir(), 'sluice-floor-'));
  const place = planPlacement();
  const tool = rate === null ? chooseTool('wrk') : 'paced';
  const backend = await startBackend('auto', dir, place.backend, 4096);
  const cfg = (port: number): string => `
global
  nbthread 1
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
frontend fe
  bind 127.0.0.1:${port}
  default_backend be
backend be
  server s1 127.0.0.1:${backend.port}
`;
  const starters: Record<string, () => Promise<{ proc: Spawned; port: number }>> = {
    floor: async () => {
      const proc = spawnPinned(
        process.execPath,
        [join(__dirname, 'child.js'), String(backend.port)],
        place.proxy,
      );
      await waitUntil('the floor proxy', proc, () => proc.stdout.includes('port'));
      return { proc, port: (JSON.parse(proc.stdout.split('\n')[0] as string) as { port: number }).port };
    },
    sluice: async () => {
      process.env.SLUICE_TEST_CFG = cfg(0);
      process.env.SLUICE_LOG_LEVEL = 'warn';
      const child = join(__dirname, '..', 'upstream-ab', 'child.js');
      const proc = spawnPinned(process.execPath, [child, 'sluice'], place.proxy);
      await waitUntil('the sluice pipeline', proc, () => proc.stdout.includes('port'));
      return { proc, port: (JSON.parse(proc.stdout.split('\n')[0] as string) as { port: number }).port };
    },
  };
  if (hasCommand('haproxy')) {
    starters.haproxy = async () => {
      const port = await freePort();
      const file = join(dir, 'haproxy.cfg');
      writeFileSync(file, cfg(port));
      const proc = spawnPinned('haproxy', ['-f', file, '-db'], place.proxy);
      await waitUntil('haproxy to listen', proc, () => portOpen(port));
      return { proc, port };
    };
  } else console.log('haproxy not installed: measured without it');
  const names = Object.keys(starters);
  const samples: Record<string, Sample[]> = Object.fromEntries(names.map((n) => [n, []]));
  console.log(
    `${place.description}; backend ${backend.kind}; load: ${tool}${rate === null ? '' : ` at ${rate} req/s`}, ${connections} connections, ${duration}s x ${runs}`,
  );
  for (let r = 0; r < runs; r++) {
    for (const name of r % 2 === 0 ? names : [...names].reverse()) {
      const { proc, port } = await (starters[name] as () => Promise<{ proc: Spawned; port: number }>)();
      const load = {
        port,
        rate,
        method: 'GET',
        path: '/',
        bodyBytes: 0,
        connections,
        newConnection: false,
        durationSec: duration,
        threads: place.loadgenThreads,
        cpus: place.loadgen,
        dir,
      } as const;
      // JIT and connection pools settle first, as in the suite: a cold start's first 100 ms
      // alone would otherwise make a paced run's p99
      await runLoad(tool, { ...load, durationSec: warmupSeconds(duration) });
      const [u0, s0] = userSysTicks(proc.pid);
      const res = await runLoad(tool, load);
      const [u1, s1] = userSysTicks(proc.pid);
      await stopProcess(proc);
      const us = (ticks: number): number => (res.requests > 0 ? ((ticks / CLK_TCK) * 1e6) / res.requests : 0);
      const s = {
        rps: res.rps,
        user: us(u1 - u0),
        sys: us(s1 - s0),
        p50: res.p50Ms,
        p99: res.p99Ms,
        p999: res.p999Ms,
      };
      (samples[name] as Sample[]).push(s);
      console.log(
        `run ${r + 1} ${name.padEnd(7)} ${Math.round(s.rps)} req/s  user ${s.user.toFixed(1)} µs/req  sys ${s.sys.toFixed(1)} µs/req  p50/p99/p99.9 ${ms(s.p50)}/${ms(s.p99)}/${ms(s.p999)} ms  errors ${res.errors}`,
      );
    }
  }
  await backend.stop();
  console.log('\nmedians        req/s   user µs/req  sys µs/req  total  p50 ms  p99 ms  p99.9 ms');
  for (const name of names) {
    const xs = samples[name] as Sample[];
    const m = (f: (x: Sample) => number): number => median(xs.map(f));
    const u = m((x) => x.user);
    const sy = m((x) => x.sys);
    console.log(
      `${name.padEnd(10)} ${String(Math.round(m((x) => x.rps))).padStart(9)} ${u.toFixed(1).padStart(12)} ${sy.toFixed(1).padStart(11)} ${(u + sy).toFixed(1).padStart(6)} ${ms(m((x) => x.p50)).padStart(7)} ${ms(m((x) => x.p99)).padStart(7)} ${ms(m((x) => x.p999)).padStart(9)}`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
