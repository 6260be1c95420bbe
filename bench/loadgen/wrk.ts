// wrk (C, epoll): the load generator throughput ratios come from, because it outruns any
// single-worker proxy on one core where autocannon saturates near 40k req/s. Its Lua `done` hook
// prints one JSON line so p99.9 and the error counters come out exactly, not parsed from a table.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnPinned } from '../util/child';
import type { LoadResult, LoadSpec } from './types';

const MARK = 'WRKJSON ';

function luaScript(spec: LoadSpec): string {
  const lines: string[] = [`wrk.method = "${spec.method}"`];
  if (spec.bodyBytes > 0) {
    lines.push(`wrk.body = string.rep("x", ${spec.bodyBytes})`);
    lines.push('wrk.headers["Content-Type"] = "application/octet-stream"');
  }
  if (spec.newConnection) lines.push('wrk.headers["Connection"] = "close"');
  lines.push(
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    `  io.write(string.format('${MARK}{"requests":%d,"duration_us":%d,"bytes":%d,` +
      `"errors":%d,"p50":%d,"p99":%d,"p999":%d}\\n',`,
    '    summary.requests, summary.duration, summary.bytes,',
    '    e.connect + e.read + e.write + e.status + e.timeout,',
    '    latency:percentile(50), latency:percentile(99), latency:percentile(99.9)))',
    'end',
  );
  return lines.join('\n') + '\n';
}

interface WrkJson {
  requests: number;
  duration_us: number;
  bytes: number;
  errors: number;
  p50: number;
  p99: number;
  p999: number;
}

export async function runWrk(spec: LoadSpec): Promise<LoadResult> {
  const script = join(spec.dir, `wrk-${process.pid}.lua`);
  writeFileSync(script, luaScript(spec));
  const threads = Math.max(1, Math.min(spec.threads, spec.connections));
  const args = [
    `-t${threads}`,
    `-c${spec.connections}`,
    // wrk only takes whole seconds.
    `-d${Math.max(1, Math.round(spec.durationSec))}s`,
    '--timeout',
    '10s',
    '-s',
    script,
    `http://127.0.0.1:${spec.port}${spec.path}`,
  ];
  const proc = spawnPinned('wrk', args, spec.cpus);
  const code = await proc.done;
  const line = proc.stdout.split('\n').find((l) => l.startsWith(MARK));
  if (line === undefined)
    throw new Error(
      `wrk failed (exit ${String(code)}): ${(proc.stderr + proc.stdout).trim().split('\n')[0]}`,
    );
  const r = JSON.parse(line.slice(MARK.length)) as WrkJson;
  const sec = r.duration_us / 1e6;
  return {
    tool: 'wrk',
    requests: r.requests,
    durationSec: sec,
    rps: r.requests / sec,
    bytesPerSec: r.bytes / sec,
    p50Ms: r.p50 / 1000,
    p99Ms: r.p99 / 1000,
    p999Ms: r.p999 / 1000,
    errors: r.errors,
  };
}
