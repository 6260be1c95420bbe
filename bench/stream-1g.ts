// 1 GiB through one worker, each way: the worker's peak RSS must grow by less than 64 MiB
// (CI runs the same check with 200 MiB in test/integration/http/large-bodies.test.ts). Usage:
//   npm run build && node dist/bench/stream-1g.js [--mib 1024]
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnPinned, stopProcess, waitUntil, freePort, portOpen } from './util/child';
import { childPids, statusKiB } from './util/proc';

const MiB = 1024 * 1024;
const CHUNK = Buffer.alloc(256 * 1024, 'z');

async function pump(w: NodeJS.WritableStream, total: number): Promise<void> {
  for (let sent = 0; sent < total;) {
    const n = Math.min(CHUNK.length, total - sent);
    sent += n;
    if (!w.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) await once(w, 'drain');
  }
}

function download(port: number, size: number): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: `/dl?size=${size}`, agent: false }, (res) => {
        let got = 0;
        res.on('data', (d: Buffer) => (got += d.length));
        res.on('end', () => resolve(got));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** uWS 20.30 refuses a Content-Length of 10 digits or more (>= 1e9 bytes): send such bodies chunked */
function upload(port: number, size: number, chunked: boolean): Promise<string> {
  const headers = chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(size) };
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/up',
        agent: false,
        headers,
      },
      (res) => {
        let s = '';
        res.on('data', (d: Buffer) => (s += d.toString()));
        res.on('end', () => resolve(s));
      },
    );
    req.on('error', reject);
    pump(req, size).then(() => req.end(), reject);
  });
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--mib');
  const size = (i >= 0 ? Number(process.argv[i + 1]) : 1024) * MiB;
  const upstream = http.createServer((req, res) => {
    if (req.method === 'POST') {
      let n = 0;
      req.on('data', (d: Buffer) => (n += d.length));
      req.on('end', () => res.end(String(n)));
      return;
    }
    const want = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('size'));
    res.writeHead(200, { 'content-length': String(want) });
    pump(res, want).then(
      () => res.end(),
      () => res.destroy(),
    );
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const up = (upstream.address() as AddressInfo).port;
  console.log(`front  direction          bytes        worker peak RSS before -> after (growth)`);
  for (const front of ['uws', 'node']) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'sluice-1g-'));
    const cfg = join(dir, 'stream.cfg');
    writeFileSync(
      cfg,
      `defaults\n  mode http\n  timeout connect 5s\n  timeout client 120s\n  timeout server 120s\nfrontend fe\n  bind 127.0.0.1:${port} front ${front}\n  default_backend be\nbackend be\n  server s1 127.0.0.1:${up}\n`,
    );
    const proc = spawnPinned(
      process.execPath,
      // the bench runs as root on our machines; its throwaway config has no `user`
      [join(__dirname, '..', '..', 'bin', 'sluice.js'), '--insecure-run-as-root', '-w', '1', '-f', cfg],
      null,
    );
    await waitUntil('sluice to listen', proc, () => portOpen(port));
    const worker = childPids(proc.pid)[0];
    if (worker === undefined) throw new Error('no worker process found');
    for (const dirn of ['download', 'upload'] as const) {
      const before = statusKiB(worker, 'VmHWM');
      const chunked = dirn === 'upload' && front === 'uws' && size >= 1e9;
      const moved =
        dirn === 'download' ? await download(port, size) : Number(await upload(port, size, chunked));
      const after = statusKiB(worker, 'VmHWM');
      const growth = (after - before) / 1024;
      const ok = moved === size && growth < 64;
      console.log(
        `${front.padEnd(6)} ${(dirn + (chunked ? ' (chunked)' : '')).padEnd(18)} ${String(moved).padEnd(12)} ${(before / 1024).toFixed(1)} -> ${(after / 1024).toFixed(1)} MiB (+${growth.toFixed(1)} MiB) ${ok ? 'ok' : 'FAIL'}`,
      );
      if (!ok) process.exitCode = 1;
    }
    await stopProcess(proc);
  }
  upstream.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
