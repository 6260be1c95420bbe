// The paced client behind the fixed-rate scenario (bench/loadgen/paced-child.ts): it must send
// exactly rate × duration requests, time them, and count a bad answer as an error, or the
// latency-at-equal-load figures it produces mean nothing.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import type { LoadResult, LoadSpec } from '../../../bench/loadgen/types';

const CHILD = join(__dirname, '..', '..', '..', 'bench', 'loadgen', 'paced-child.js');

async function listen(status: number): Promise<{ server: Server; port: number; seen: () => number }> {
  let seen = 0;
  const server = createServer((req, res) => {
    seen++;
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'text/plain', 'content-length': '13' });
      res.end('hello, world\n');
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, seen: () => seen };
}

function runPaced(port: number, rate: number, durationSec: number): Promise<LoadResult> {
  const spec: LoadSpec = {
    port,
    method: 'GET',
    path: '/small',
    bodyBytes: 0,
    connections: 8,
    newConnection: false,
    durationSec,
    rate,
    threads: 1,
    cpus: null,
    dir: '.',
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`paced-child exited ${String(code)}: ${err}`));
      else resolve(JSON.parse(out.trim()) as LoadResult);
    });
  });
}

test(
  'the paced client sends exactly rate × duration requests and times each one',
  { timeout: 30_000 },
  async () => {
    const { server, port, seen } = await listen(200);
    try {
      const r = await runPaced(port, 1000, 2);
      assert.equal(r.tool, 'paced');
      assert.equal(r.errors, 0);
      assert.equal(r.requests, 2000);
      assert.equal(seen(), 2000, 'the server saw every request, no more');
      assert.equal(r.rps, 1000);
      assert.equal(r.bytesPerSec * 2 > 2000 * 13, true, 'heads and bodies were counted');
      assert.ok(r.p50Ms > 0 && r.p50Ms <= r.p99Ms && r.p99Ms <= r.p999Ms, JSON.stringify(r));
    } finally {
      server.close();
      server.closeAllConnections();
    }
  },
);

test(
  'the paced client counts a non-2xx answer as an error, not as a measured request',
  { timeout: 30_000 },
  async () => {
    const { server, port } = await listen(503);
    try {
      const r = await runPaced(port, 200, 1);
      assert.equal(r.requests, 0);
      assert.ok(r.errors > 0, JSON.stringify(r));
    } finally {
      server.close();
      server.closeAllConnections();
    }
  },
);
