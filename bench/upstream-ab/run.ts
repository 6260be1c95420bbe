// A/B of the upstream client inside the real pipeline: the same frontend, config and backend, once
// with sluice's hand-written client and once with undici, alternated run by run so machine noise
// hits both alike. Prints medians and the ratio. Usage:
//   npm run build && node dist/bench/upstream-ab/run.js [--runs 5] [--duration 5] [--connections 64]
// With `--builds <dirA> <dirB>` it compares two builds of sluice instead (each a tsc output dir,
// e.g. before and after an optimisation), both with sluice's own client.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend } from '../backends';
import { chooseTool, runLoad } from '../loadgen';
import { planPlacement } from '../util/cpus';
import { spawnPinned, stopProcess, waitUntil } from '../util/child';
import { CLK_TCK, cpuTicks } from '../util/proc';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

async function main(): Promise<void> {
  const runs = arg('runs', 5);
  const duration = arg('duration', 5);
  const connections = arg('connections', 64);
  const dir = mkdtempSync(join(tmpdir(), 'sluice-ab-'));
  const place = planPlacement();
  const tool = chooseTool(null);
  const backend = await startBackend('auto', dir, place.backend, 4096);
  const cfg = `
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
frontend fe
  bind 127.0.0.1:0
  default_backend be
backend be
  server s1 127.0.0.1:${backend.port}
`;
  const bi = process.argv.indexOf('--builds');
  const builds = bi >= 0 ? [process.argv[bi + 1] as string, process.argv[bi + 2] as string] : null;
  const names = builds ?? ['sluice', 'undici'];
  const rps: Record<string, number[]> = { [names[0] as string]: [], [names[1] as string]: [] };
  const p99: Record<string, number[]> = { [names[0] as string]: [], [names[1] as string]: [] };
  // proxy CPU time per request: robust to other load on the machine, unlike req/s
  const cpu: Record<string, number[]> = { [names[0] as string]: [], [names[1] as string]: [] };
  console.log(
    `${place.description}; backend ${backend.kind}; load: ${tool}, ${connections} connections, ${duration}s x ${runs}`,
  );
  for (let r = 0; r < runs; r++) {
    for (const which of r % 2 === 0 ? names : [...names].reverse()) {
      process.env.SLUICE_TEST_CFG = cfg;
      process.env.SLUICE_LOG_LEVEL = 'warn';
      const child = builds ? join(which, 'bench', 'upstream-ab', 'child.js') : join(__dirname, 'child.js');
      const proc = spawnPinned(process.execPath, [child, builds ? 'sluice' : which], place.proxy);
      await waitUntil(`the ${which} proxy`, proc, () => proc.stdout.includes('port'));
      const port = (JSON.parse(proc.stdout.split('\n')[0] as string) as { port: number }).port;
      const ticks0 = cpuTicks(proc.pid);
      const res = await runLoad(tool, {
        port,
        rate: null,
        method: 'GET',
        path: '/',
        bodyBytes: 0,
        connections,
        newConnection: false,
        durationSec: duration,
        threads: place.loadgenThreads,
        cpus: place.loadgen,
        dir,
      });
      const usPerReq =
        res.requests > 0 ? (((cpuTicks(proc.pid) - ticks0) / CLK_TCK) * 1e6) / res.requests : 0;
      (cpu[which] as number[]).push(usPerReq);
      await stopProcess(proc);
      (rps[which] as number[]).push(res.rps);
      (p99[which] as number[]).push(res.p99Ms);
      console.log(
        `run ${r + 1} ${which.padEnd(6)} ${Math.round(res.rps)} req/s  p99 ${res.p99Ms.toFixed(2)} ms  ${usPerReq.toFixed(1)} µs CPU/req  errors ${res.errors}`,
      );
    }
  }
  await backend.stop();
  const [na, nb] = names as [string, string];
  const a = median(rps[na] as number[]);
  const b = median(rps[nb] as number[]);
  const pa = median(p99[na] as number[]).toFixed(2);
  const pb = median(p99[nb] as number[]).toFixed(2);
  const ca = median(cpu[na] as number[]);
  const cb = median(cpu[nb] as number[]);
  console.log(
    `median: ${na} ${Math.round(a)} req/s (p99 ${pa} ms, ${ca.toFixed(1)} µs CPU/req), ${nb} ${Math.round(b)} req/s (p99 ${pb} ms, ${cb.toFixed(1)} µs CPU/req); req/s ratio ${(a / b).toFixed(2)}, CPU/req ratio ${(ca / cb).toFixed(2)}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
