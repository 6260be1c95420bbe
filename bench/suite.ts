// Runs the chosen scenarios: the backend and the log sink once, then for each scenario each
// target in turn (no proxy, sluice, each installed peer), one at a time on the same CPUs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus as osCpus, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend } from './backends';
import type { Backend } from './backends';
import { chooseTool, toolFor } from './loadgen';
import { measureIdle, measureLoad } from './measure';
import type { MeasureContext } from './measure';
import type { BenchOptions, PeerName } from './options';
import type { BenchResult, Sample, ScenarioResult, TargetResult } from './results';
import { spreads } from './results';
import type { Scenario } from './scenarios';
import { findScenarios } from './scenarios';
import { startHaproxy } from './targets/haproxy';
import { startNginx } from './targets/nginx';
import { sluiceAccepts, startSluice } from './targets/sluice';
import { ACCESS_LOG_LEVELS, haproxyConfig } from './cfg/haproxy';
import type { AccessLog } from './cfg/haproxy';
import type { StartResult, TargetContext, TargetName, TargetStarter } from './targets/types';
import { freePort, hasCommand, stdoutLines } from './util/child';
import { hardNofile } from './util/proc';
import { planPlacement, unpinned } from './util/cpus';
import type { Placement } from './util/cpus';
import { startLogSink } from './util/log-sink';
import type { LogSink } from './util/log-sink';
import { nodeHttpProxyInstalled, nodeHttpProxyVersion, startNodeHttpProxy } from './targets/node-http-proxy';

const STARTERS: Record<Exclude<TargetName, 'direct'>, TargetStarter> = {
  sluice: startSluice,
  haproxy: startHaproxy,
  nginx: startNginx,
  'http-proxy': startNodeHttpProxy,
};

/** Headroom over the idle connections: listeners, backend connections, checks, logs. */
const MAXCONN_MARGIN = 256;

function maxconnFor(s: Scenario, idle: number): number {
  return s.kind === 'idle' ? idle + MAXCONN_MARGIN : 4096;
}

/**
 * Idle connections that fit: HAProxy reserves two fds per connection (client + server side) and
 * refuses to start when `maxconn` needs more than the hard fd limit, which we cannot raise.
 */
function idleThatFits(asked: number, notes: string[]): number {
  const fit = Math.floor((hardNofile() - 64) / 2) - MAXCONN_MARGIN;
  if (asked <= fit) return asked;
  notes.push(`hard fd limit ${hardNofile()}: idle-10k opens ${fit} connections instead of ${asked}`);
  return fit;
}

function version(cmd: string, args: string[], re: RegExp): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  const m = re.exec(`${r.stdout ?? ''}${r.stderr ?? ''}`);
  return m?.[1] ?? 'unknown';
}

interface Env {
  readonly o: BenchOptions;
  readonly placement: Placement;
  readonly backend: Backend;
  readonly sink: LogSink;
  readonly dir: string;
  readonly peers: readonly PeerName[];
  readonly measure: MeasureContext;
}

async function startTarget(
  name: TargetName,
  s: Scenario,
  env: Env,
  accessLog: AccessLog,
): Promise<StartResult> {
  if (name === 'direct') {
    if (s.kind === 'idle') return { ok: false, skipped: 'no proxy, nothing to weigh' };
    const port = env.backend.port;
    return { ok: true, target: { name, port, pid: null, workerPids: () => [], stop: async () => undefined } };
  }
  const dir = mkdtempSync(join(env.dir, `${s.id}-${name}-`));
  const ctx: TargetContext = {
    scenario: s,
    dir,
    ports: { listen: await freePort(), backend: env.backend.port, logSink: env.sink.port },
    cpus: env.placement.proxy,
    maxconn: maxconnFor(s, env.measure.idleConnections),
    accessLog,
  };
  return STARTERS[name](ctx);
}

/** Starts the target, measures, stops it. */
async function session(
  name: TargetName,
  s: Scenario,
  env: Env,
  accessLog: AccessLog,
  notes: string[],
  measure: MeasureContext,
): Promise<TargetResult> {
  const started = await startTarget(name, s, env, accessLog);
  if (!started.ok) {
    env.o.log(`  ${name}: skipped: ${started.skipped}`);
    return { target: name, tool: null, runs: [], stats: {}, skipped: started.skipped };
  }
  const t = started.target;
  const logsBefore = env.sink.received();
  const linesBefore = stdoutLines();
  try {
    const runs = s.kind === 'idle' ? await measureIdle(s, t, measure) : await measureLoad(s, t, measure);
    if (s.proxy === 'logged-stdout' && name !== 'direct' && accessLog !== 'off') {
      const got = stdoutLines() - linesBefore;
      env.o.log(`    ${name}: ${got} lines written to stdout`);
      if (got === 0) notes.push(`${name} wrote no access-log line to stdout although configured to log`);
    }
    if ((s.proxy === 'full' || s.proxy === 'logged') && name !== 'direct' && accessLog !== 'off') {
      const got = env.sink.received() - logsBefore;
      env.o.log(`    ${name}: ${got} access-log datagrams received`);
      // Logging costs; a target that was told to log but did not is not measured like the others.
      if (got === 0) notes.push(`${name} sent no access-log datagram although configured to log`);
    }
    return {
      target: name,
      tool: s.kind === 'idle' ? 'node:net' : toolFor(env.measure.tool, s),
      runs,
      stats: spreads(runs),
    };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    env.o.log(`  ${name}: failed: ${why}`);
    return {
      target: name,
      tool: toolFor(env.measure.tool, s),
      runs: [],
      stats: {},
      skipped: `failed: ${why}`,
    };
  } finally {
    await t.stop();
  }
}

async function runTarget(
  name: TargetName,
  s: Scenario,
  env: Env,
  accessLog: AccessLog,
  notes: string[],
): Promise<TargetResult> {
  const measure = { ...env.measure, connections: env.o.connections ?? s.connections };
  if (s.kind !== 'idle') return session(name, s, env, accessLog, notes, measure);
  // Allocators keep freed memory: after one batch of idle connections the "before" figure of the
  // next would already hold it. Each idle run gets a freshly started proxy.
  const runs: Sample[] = [];
  let last: TargetResult | null = null;
  for (let i = 0; i < env.o.runs; i++) {
    last = await session(name, s, env, accessLog, notes, { ...measure, runs: 1 });
    if (last.skipped !== undefined) return last;
    runs.push(...last.runs);
  }
  return { target: name, tool: last?.tool ?? null, runs, stats: spreads(runs) };
}

/** The richest access-log setting sluice accepts (the full path logs "if supported"). */
function chooseAccessLog(s: Scenario, env: Env, notes: string[]): AccessLog {
  if (s.proxy !== 'full' && s.proxy !== 'logged' && s.proxy !== 'logged-stdout') return 'off';
  const ports = { listen: 1, backend: env.backend.port, logSink: env.sink.port };
  const level =
    ACCESS_LOG_LEVELS.find((l) => sluiceAccepts(env.dir, haproxyConfig(s, ports, 4096, l))) ?? 'httplog';
  if (level === 'log')
    notes.push('sluice does not accept `option httplog` yet: every target logs in the default format');
  if (level === 'off')
    notes.push('sluice does not accept `log` in a frontend yet: access log off for every target');
  return level;
}

async function runScenario(s: Scenario, env: Env): Promise<ScenarioResult> {
  env.o.log(`\n== ${s.id}: ${s.title}`);
  const notes: string[] = [];
  const accessLog = chooseAccessLog(s, env, notes);
  for (const n of notes) env.o.log(`  note: ${n}`);
  const names: TargetName[] = [...(env.o.direct ? (['direct'] as const) : []), 'sluice', ...env.peers];
  const targets: TargetResult[] = [];
  for (const name of names) targets.push(await runTarget(name, s, env, accessLog, notes));
  const { id, title, measures, kind, headline } = s;
  const connections = kind === 'idle' ? env.measure.idleConnections : (env.o.connections ?? s.connections);
  return { id, title, measures, kind, headline, connections, notes, targets };
}

/** Peers asked for and installed; the others are noted. */
function installedPeers(o: BenchOptions, notes: string[]): PeerName[] {
  return o.peers.filter((p) => {
    if (p === 'http-proxy' ? nodeHttpProxyInstalled() : hasCommand(p)) return true;
    notes.push(
      `${p} is not installed: skipped (${p === 'http-proxy' ? 'npm install' : `apt-get install ${p}`})`,
    );
    return false;
  });
}

export async function runSuite(o: BenchOptions): Promise<BenchResult> {
  const startedAt = new Date().toISOString();
  const { found, unknown } = findScenarios(o.scenarios);
  if (unknown.length > 0) throw new Error(`unknown scenario(s): ${unknown.join(', ')}`);
  const notes: string[] = [];
  const tool = chooseTool(o.tool);
  if (tool === 'wrk' && !hasCommand('wrk')) throw new Error('--tool wrk: wrk is not installed');
  if (tool === 'autocannon' && !o.smoke) {
    notes.push('autocannon saturates near 40k req/s on small machines: install wrk for throughput ratios');
  }
  const peers = installedPeers(o, notes);
  const idle = found.some((s) => s.kind === 'idle')
    ? idleThatFits(o.idleConnections, notes)
    : o.idleConnections;
  // Smoke runs take whatever CPUs there are: pinning a test process would disturb the test runner.
  const placement = o.smoke ? unpinned(availableParallelism(), 'smoke mode') : planPlacement();
  // The runner itself samples /proc and sinks logs: keep it off the proxy's core.
  if (placement.loadgen !== null)
    spawnSync('taskset', ['-pc', placement.loadgen, String(process.pid)], { stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-'));
  mkdirSync(o.resultsDir, { recursive: true });
  o.log(`placement: ${placement.description}; load generator: ${tool}; peers: ${peers.join(', ') || 'none'}`);
  for (const n of notes) o.log(`note: ${n}`);
  const sink = await startLogSink();
  let backend: Backend | null = null;
  try {
    backend = await startBackend(o.backend, dir, placement.backend, 8192);
    o.log(`backend: ${backend.kind} on 127.0.0.1:${backend.port}`);
    const measure: MeasureContext = {
      tool,
      durationSec: o.durationSec,
      runs: o.runs,
      connections: 64,
      loadgenCpus: placement.loadgen,
      loadgenThreads: placement.loadgenThreads,
      dir,
      idleConnections: idle,
      log: o.log,
    };
    const env: Env = { o, placement, backend, sink, dir, peers, measure };
    const scenarios: ScenarioResult[] = [];
    for (const s of found) scenarios.push(await runScenario(s, env));
    const versions: Record<string, string> = { node: process.version, sluice: 'workspace' };
    if (peers.includes('haproxy')) versions.haproxy = version('haproxy', ['-v'], /version (\S+)/);
    if (peers.includes('nginx') || backend.kind === 'nginx')
      versions.nginx = version('nginx', ['-v'], /nginx\/(\S+)/);
    if (tool === 'wrk') versions.wrk = version('wrk', ['-v'], /wrk (\S+)/);
    if (peers.includes('http-proxy')) versions['http-proxy'] = nodeHttpProxyVersion();
    return {
      startedAt,
      finishedAt: new Date().toISOString(),
      smoke: o.smoke,
      machine: {
        cpus: placement.cpus,
        cpuModel: osCpus()[0]?.model ?? 'unknown',
        node: process.version,
        kernel: release(),
      },
      placement: placement.description,
      backend: backend.kind,
      tool,
      durationSec: o.durationSec,
      runsPerTarget: o.runs,
      versions,
      notes,
      scenarios,
    };
  } finally {
    await backend?.stop();
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
