// Slow and abusive clients against the real sluice CLI (1 worker), one front at a time:
// slowhttptest's slow headers (-H), slow body (-B) and slow read (-X), and a flood of idle TCP
// connections up to global maxconn, while a normal client sends requests on fresh connections
// alongside. Reports the normal client's failures and latency percentiles against an unloaded
// round, and the worker's peak RSS. test/integration/hardening/slow-clients.test.ts runs it short;
// by hand, longer, for the figures in docs/hardening.md:
//   npx tsc -p . && node dist/bench/slow-clients.js [seconds-per-attack=15] [connections=1000] [front] [attack]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSluice } from '../test/helpers/sluice-process';
import { get } from '../test/integration/process/fixtures';

export type Attack = 'none' | 'slow-headers' | 'slow-body' | 'slow-read' | 'idle-flood';
export const ATTACKS: readonly Attack[] = ['none', 'slow-headers', 'slow-body', 'slow-read', 'idle-flood'];

export interface RoundResult {
  readonly front: string;
  readonly kind: Attack;
  readonly requests: number;
  readonly failures: number;
  readonly firstFailure: string;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** the worker's peak VmRSS during the round, MiB */
  readonly peakRssMiB: number;
  /** attacker connections open at their peak and at the end (slowhttptest's CSV, or the idle sockets) */
  readonly attack: AttackStats;
}

export interface RoundOptions {
  readonly front: 'uws' | 'node';
  readonly seconds: number;
  /** attacker connections (slowhttptest -c) and idle flood size (capped by maxconn) */
  readonly connections: number;
  readonly maxconn: number;
}

const BIG = Buffer.alloc(256 * 1024, 0x61);

function startBackend(): Promise<http.Server> {
  const srv = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => (req.url === '/big' ? res.end(BIG) : res.end('ok')));
    req.on('error', () => res.destroy());
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(srv)));
}

function config(front: string, backendPort: number, maxconn: number): string {
  return `
global
    maxconn ${maxconn}
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
    timeout http-request 5s
frontend fe
    bind 127.0.0.1:0 front ${front}
    default_backend be
backend be
    server s1 127.0.0.1:${backendPort}
`;
}

function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? 0 : Number(m[1]) / 1024;
  } catch {
    return 0;
  }
}

function pct(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number;
}

function slowhttptestArgs(attack: Attack, port: number, o: RoundOptions): string[] {
  const common = ['-c', String(o.connections), '-r', String(Math.min(o.connections, 500))];
  const timing = ['-i', '1', '-l', String(o.seconds), '-p', '3'];
  const base = `http://127.0.0.1:${port}`;
  if (attack === 'slow-headers') return ['-H', ...common, ...timing, '-u', `${base}/`];
  if (attack === 'slow-body') return ['-B', ...common, ...timing, '-s', '65536', '-u', `${base}/`];
  // slow read: a 256 KiB response, read 32 bytes a second through a tiny window; one request per
  // connection (-k 1), since uWS aborts a connection that pipelines behind a running request
  return [
    '-X',
    ...common,
    ...timing,
    '-k',
    '1',
    '-n',
    '1',
    '-z',
    '32',
    '-w',
    '512',
    '-y',
    '1024',
    '-u',
    `${base}/big`,
  ];
}

/** The attacker's side, from slowhttptest's per-second CSV (-g -o). */
export interface AttackStats {
  readonly peakConnected: number;
  readonly connectedAtEnd: number;
  readonly closed: number;
}

function readStats(csv: string): AttackStats {
  const rows = csv
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map(Number));
  const connected = rows.map((r) => r[3] ?? 0);
  const last = rows[rows.length - 1] ?? [];
  return {
    peakConnected: Math.max(0, ...connected),
    connectedAtEnd: last[3] ?? 0,
    closed: last[1] ?? 0,
  };
}

/** Runs slowhttptest until it ends (bounded: killed after its own length + 15 s). */
function runSlowhttptest(args: string[]): { done: Promise<AttackStats>; kill: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-slow-'));
  const p = spawn('slowhttptest', ['-g', '-o', join(dir, 'stats'), ...args], { stdio: 'ignore' });
  const kill = (): void => {
    if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  };
  const seconds = Number(args[args.indexOf('-l') + 1]);
  const timer = setTimeout(kill, (seconds + 15) * 1000);
  p.on('error', () => undefined);
  const done = new Promise<AttackStats>((resolve) =>
    p.on('close', () => {
      clearTimeout(timer);
      let stats: AttackStats = { peakConnected: 0, connectedAtEnd: 0, closed: 0 };
      try {
        stats = readStats(readFileSync(join(dir, 'stats.csv'), 'utf8'));
      } catch {
        // killed before it wrote its statistics
      }
      rmSync(dir, { recursive: true, force: true });
      resolve(stats);
    }),
  );
  return { done, kill };
}

/** Opens up to `n` connections that never send a byte; resolves once they are all connected. */
async function idleFlood(port: number, n: number): Promise<net.Socket[]> {
  const socks: net.Socket[] = [];
  const batch = 100;
  for (let i = 0; i < n; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, n - i) }, () => {
        return new Promise<void>((resolve) => {
          const s = net.connect(port, '127.0.0.1', () => resolve());
          // flowing, so that a close by sluice (a FIN, not only a reset) is seen
          s.resume();
          s.on('error', () => resolve());
          s.on('close', () => resolve());
          socks.push(s);
        });
      }),
    );
  }
  return socks;
}

/** One round: optional attack, normal client alongside for `seconds`, RSS sampled. */
export async function runRound(attack: Attack, o: RoundOptions): Promise<RoundResult> {
  const backend = await startBackend();
  const s = await startSluice(config(o.front, (backend.address() as AddressInfo).port, o.maxconn), {
    workers: 1,
  });
  const [worker] = s.started.pids as number[];
  let peak = rssMiB(worker ?? -1);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(worker ?? -1))), 200);
  let stats: AttackStats = { peakConnected: 0, connectedAtEnd: 0, closed: 0 };
  let kill = (): void => undefined;
  let attackDone: Promise<AttackStats> | null = null;
  let idle: net.Socket[] = [];
  const lat: number[] = [];
  let failures = 0;
  let firstFailure = '';
  try {
    const port = s.port('fe');
    if (attack === 'idle-flood') {
      idle = await idleFlood(port, Math.min(o.connections, o.maxconn));
      const open = idle.filter((x) => !x.destroyed).length;
      stats = { peakConnected: open, connectedAtEnd: open, closed: idle.length - open };
    } else if (attack !== 'none') {
      const r = runSlowhttptest(slowhttptestArgs(attack, port, o));
      kill = r.kill;
      attackDone = r.done;
      // let the attacker reach its connection count before measuring
      await new Promise((r2) => setTimeout(r2, Math.min(2000, (o.connections / 500) * 1000 + 500)));
    }
    const end = Date.now() + o.seconds * 1000;
    while (Date.now() < end) {
      const t0 = performance.now();
      try {
        const r = await get(port, '/', 5000);
        if (r.status !== 200 || r.body !== 'ok') throw new Error(`status ${r.status}`);
        lat.push(performance.now() - t0);
      } catch (err) {
        failures++;
        if (firstFailure === '') firstFailure = err instanceof Error ? err.message : String(err);
      }
    }
    if (attack === 'idle-flood') {
      const open = idle.filter((x) => !x.destroyed).length;
      stats = { ...stats, connectedAtEnd: open, closed: idle.length - open };
    }
  } finally {
    clearInterval(sampler);
    for (const x of idle) x.destroy();
    kill();
    if (attackDone !== null) stats = await attackDone;
    s.proc.kill();
    await s.stop().catch(() => undefined);
    backend.closeAllConnections();
    await new Promise((r) => backend.close(r));
  }
  lat.sort((a, b) => a - b);
  return {
    front: o.front,
    kind: attack,
    requests: lat.length + failures,
    failures,
    firstFailure,
    p50Ms: pct(lat, 0.5),
    p99Ms: pct(lat, 0.99),
    maxMs: lat.length > 0 ? (lat[lat.length - 1] as number) : 0,
    peakRssMiB: Math.round(peak),
    attack: stats,
  };
}

export function markdownRow(r: RoundResult, baselineP99: number): string {
  const ratio = baselineP99 > 0 ? (r.p99Ms / baselineP99).toFixed(1) : '-';
  const a = r.kind === 'none' ? '-' : `${r.attack.peakConnected} / ${r.attack.connectedAtEnd}`;
  return `| ${r.front} | ${r.kind} | ${a} | ${r.requests} | ${r.failures} | ${r.p50Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} | ${ratio}× | ${r.maxMs.toFixed(0)} | ${r.peakRssMiB} |`;
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 15);
  const connections = Number(process.argv[3] ?? 1000);
  const maxconn = connections + 100;
  console.log(`${seconds} s per round, ${connections} attacker connections, global maxconn ${maxconn}`);
  console.log(
    '| front | attack | attacker conns peak / end | requests | failed | p50 ms | p99 ms | p99 vs unloaded | max ms | peak RSS MiB |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  const fronts = (['uws', 'node'] as const).filter((f) => (process.argv[4] ?? f) === f);
  for (const front of fronts) {
    let base = 0;
    for (const attack of ATTACKS.filter((a) => a === 'none' || (process.argv[5] ?? a) === a)) {
      const r = await runRound(attack, { front, seconds, connections, maxconn });
      if (attack === 'none') base = r.p99Ms;
      console.log(markdownRow(r, base));
    }
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
