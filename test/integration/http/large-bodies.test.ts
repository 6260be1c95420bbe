// 200 MiB uploads and downloads pass through a proxy process in bounded memory, and a slow
// client holds the upstream back instead of filling the proxy's memory.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startServer } from '../../helpers/http-harness';
import { procStatusBytes } from '../../helpers/proc';
import { loadUws, uwsAvailable } from '../../../src/http/fronts/uws-loader';

const MiB = 1024 * 1024;
const TOTAL = 200 * MiB;
const CHUNK = Buffer.alloc(256 * 1024, 'z');
/** growth of the proxy process's peak RSS allowed while 200 MiB stream through */
const RSS_BUDGET = 64 * MiB;

async function startChild(cfg: string): Promise<{ child: ChildProcess; port: number; pid: number }> {
  const child = spawn(process.execPath, [join(__dirname, '..', '..', 'fixtures', 'proxy-child.js')], {
    env: { ...process.env, SLUICE_TEST_CFG: cfg, SLUICE_LOG_LEVEL: 'warn' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const [line] = (await once(rl, 'line')) as [string];
  const info = JSON.parse(line) as { port: number; pid: number };
  return { child, port: info.port, pid: info.pid };
}

/** `size` bytes, each depending on its position (a shifted or reordered chunk changes the hash)
 *  and on `seed` (a chunk of another body does too) */
function patterned(size: number, seed = 0): Buffer {
  const b = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) b[i] = (i * 7 + (i >>> 13) + seed) & 0xff;
  return b;
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** writes `total` bytes with backpressure */
async function pump(w: NodeJS.WritableStream, total: number): Promise<void> {
  let sent = 0;
  while (sent < total) {
    const n = Math.min(CHUNK.length, total - sent);
    sent += n;
    if (!w.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) await once(w, 'drain');
  }
}

for (const front of ['uws', 'node'] as const) {
  describe(
    `large bodies, ${front} front`,
    { skip: front === 'uws' && !uwsAvailable() ? 'uWebSockets.js does not load here' : false },
    () => {
      let upstream: Awaited<ReturnType<typeof startServer>>;
      let proxy: Awaited<ReturnType<typeof startChild>>;
      let upstreamSent = 0;

      before(
        async () => {
          upstream = await startServer((req, res) => {
            if (req.method === 'POST' && req.url === '/slow-sha') {
              // a server that stops reading for a while every few reads: the proxy's writes to it
              // are taken in part and finish later
              const hash = createHash('sha256');
              let n = 0;
              let reads = 0;
              req.on('data', (d: Buffer) => {
                hash.update(d);
                n += d.length;
                if (++reads % 8 === 0) {
                  req.pause();
                  setTimeout(() => req.resume(), 20);
                }
              });
              req.on('end', () => res.end(`${n} ${hash.digest('hex')}`));
              return;
            }
            if (req.method === 'POST') {
              let n = 0;
              req.on('data', (d: Buffer) => (n += d.length));
              req.on('end', () => res.end(String(n)));
              return;
            }
            const url = new URL(req.url ?? '/', 'http://x');
            const size = Number(url.searchParams.get('size'));
            if (url.pathname === '/pattern') {
              // every byte depends on its position; chunked when asked (no content-length)
              const body = patterned(size);
              res.writeHead(200, url.searchParams.has('chunked') ? {} : { 'content-length': String(size) });
              void (async () => {
                for (let at = 0; at < size; at += 100_003) {
                  if (!res.write(body.subarray(at, at + 100_003))) await once(res, 'drain');
                }
                res.end();
              })().catch(() => res.destroy());
              return;
            }
            res.writeHead(200, { 'content-length': String(size) });
            upstreamSent = 0;
            void (async () => {
              while (upstreamSent < size) {
                const n = Math.min(CHUNK.length, size - upstreamSent);
                upstreamSent += n;
                if (!res.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) await once(res, 'drain');
              }
              res.end();
            })().catch(() => res.destroy());
          });
          proxy = await startChild(`
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend fe
  bind 127.0.0.1:0 front ${front}
  default_backend be
backend be
  server s1 127.0.0.1:${upstream.port}
`);
        },
        { timeout: 30_000 },
      );
      after(async () => {
        proxy.child.stdin?.end();
        proxy.child.kill();
        await upstream.close();
      });

      test('a 200 MiB download streams through in bounded memory', { timeout: 60_000 }, async () => {
        const base = procStatusBytes(proxy.pid, 'VmHWM');
        let got = 0;
        await new Promise<void>((resolve, reject) => {
          http
            .get({ host: '127.0.0.1', port: proxy.port, path: `/dl?size=${TOTAL}`, agent: false }, (res) => {
              res.on('data', (d: Buffer) => (got += d.length));
              res.on('end', resolve);
              res.on('error', reject);
            })
            .on('error', reject);
        });
        assert.equal(got, TOTAL);
        const growth = procStatusBytes(proxy.pid, 'VmHWM') - base;
        assert.ok(growth < RSS_BUDGET, `peak RSS grew by ${(growth / MiB).toFixed(1)} MiB`);
      });

      // uWS 20.57 goes on reading a request body after pause() (docs/hardening.md, "Request
      // body backpressure"): how much it queues for the server depends on timing, up to the whole
      // body. Run, reported, not counted, there.
      const pauseLeaks = front === 'uws' && uwsAvailable() && loadUws().version === '20.57';
      const uploadTodo = pauseLeaks ? 'uWS 20.57 does not hold a paused request body' : false;

      test(
        'a 200 MiB upload streams through in bounded memory',
        { todo: uploadTodo, timeout: 60_000 },
        async () => {
          const base = procStatusBytes(proxy.pid, 'VmHWM');
          const body = await new Promise<string>((resolve, reject) => {
            const req = http.request(
              {
                host: '127.0.0.1',
                port: proxy.port,
                method: 'POST',
                path: '/up',
                agent: false,
                headers: { 'content-length': String(TOTAL) },
              },
              (res) => {
                let s = '';
                res.on('data', (d: Buffer) => (s += d.toString()));
                res.on('end', () => resolve(s));
              },
            );
            req.on('error', reject);
            pump(req, TOTAL).then(() => req.end(), reject);
          });
          assert.equal(body, String(TOTAL));
          const growth = procStatusBytes(proxy.pid, 'VmHWM') - base;
          assert.ok(growth < RSS_BUDGET, `peak RSS grew by ${(growth / MiB).toFixed(1)} MiB`);
        },
      );

      test('a client that stops reading holds the upstream back', { timeout: 60_000 }, async () => {
        const size = 100 * MiB;
        const sock = net.connect(proxy.port, '127.0.0.1');
        sock.write(`GET /dl?size=${size} HTTP/1.1\r\nHost: x\r\n\r\n`);
        let received = 0;
        sock.on('data', (d: Buffer) => (received += d.length));
        await once(sock, 'data');
        sock.pause();
        // wait until the upstream stops making progress (it is blocked by backpressure)
        let last = -1;
        for (let i = 0; i < 200 && upstreamSent !== last; i++) {
          last = upstreamSent;
          await new Promise((r) => setTimeout(r, 25));
        }
        assert.ok(upstreamSent < size, 'the upstream must be blocked, not done');
        const inFlight = upstreamSent - received;
        assert.ok(
          inFlight < 32 * MiB,
          `bytes held between upstream and client: ${(inFlight / MiB).toFixed(1)} MiB`,
        );
        sock.resume();
        let closed = false;
        const closing = once(sock, 'close').then(() => (closed = true));
        while (received < size && !closed) await Promise.race([once(sock, 'data'), closing]);
        assert.ok(received >= size, `the proxy closed the connection after ${received} of ${size} bytes`);
        sock.destroy();
      });

      test(
        'uploads to a server that reads in stalls arrive byte for byte, three at a time',
        { timeout: 60_000 },
        async () => {
          // the proxy hands the server's socket more than it takes at once: the rest is sent from
          // memory the front must not reuse until then (uWS: pooled slabs) while the other uploads
          // go on
          const size = 24 * MiB + 12_345;
          const upload = (seed: number, chunked: boolean): Promise<string> =>
            new Promise<string>((resolve, reject) => {
              const body = patterned(size, seed);
              const req = http.request(
                {
                  host: '127.0.0.1',
                  port: proxy.port,
                  method: 'POST',
                  path: '/slow-sha',
                  agent: false,
                  headers: chunked ? {} : { 'content-length': String(size) },
                },
                (res) => {
                  let s = '';
                  res.on('data', (d: Buffer) => (s += d.toString()));
                  res.on('end', () => resolve(s));
                  res.on('error', reject);
                },
              );
              req.on('error', reject);
              void (async () => {
                for (let at = 0; at < size; at += 300_007) {
                  if (!req.write(body.subarray(at, at + 300_007))) await once(req, 'drain');
                }
                req.end();
              })().catch(reject);
            });
          const answers = await Promise.all([upload(1, false), upload(2, false), upload(3, true)]);
          answers.forEach((answer, i) => assert.equal(answer, `${size} ${sha256(patterned(size, i + 1))}`));
        },
      );

      test(
        'bodies read in stalls arrive byte for byte, two at a time (content-length, chunked)',
        { timeout: 60_000 },
        async () => {
          // each client stops for a while every few reads: the proxy keeps what it could not send
          // yet while it reads for the other (reads from servers share one buffer), then sends it
          const size = 24 * MiB + 12_345;
          const fetch = (path: string): Promise<Buffer> =>
            new Promise<Buffer>((resolve, reject) => {
              const got: Buffer[] = [];
              http
                .get({ host: '127.0.0.1', port: proxy.port, path, agent: false }, (res) => {
                  let reads = 0;
                  res.on('data', (d: Buffer) => {
                    got.push(d);
                    if (++reads % 16 === 0) {
                      res.pause();
                      setTimeout(() => res.resume(), 20);
                    }
                  });
                  res.on('end', () => resolve(Buffer.concat(got)));
                  res.on('error', reject);
                })
                .on('error', reject);
            });
          const bodies = await Promise.all([
            fetch(`/pattern?size=${size}`),
            fetch(`/pattern?size=${size}&chunked`),
          ]);
          const want = sha256(patterned(size));
          for (const body of bodies) {
            assert.equal(body.length, size);
            assert.equal(sha256(body), want);
          }
        },
      );
    },
  );
}
