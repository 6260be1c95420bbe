// End-to-end HTTP proxying through each front (uWS and node:http): one conformance suite, run
// against every front, with real upstream servers on 127.0.0.1.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import type { Proxy } from '../../helpers/http-harness';
import {
  startProxy,
  startServer,
  startRawServer,
  rawExchange,
  parseResponse,
  request,
} from '../../helpers/http-harness';
import { uwsAvailable } from '../../../src/http/fronts/uws-loader';

const FRONTS = ['uws', 'node'] as const;

function cfg(front: string, backend: string, extraFe = '', extraBe = ''): string {
  return `
defaults
  mode http
  timeout connect 2s
  timeout client 10s
  timeout server 10s

frontend fe
  bind 127.0.0.1:0 front ${front}
  ${extraFe}
  default_backend be

backend be
  ${extraBe}
${backend}
`;
}

/** Sends `request` on a new connection and reads until the proxy's FIN ('end'), a reset or our
 *  own give-up after 5 s ('close': uWS would otherwise keep the connection 10 s). */
async function untilClosed(port: number, request: string): Promise<['end' | 'close', Buffer]> {
  const s = net.connect(port, '127.0.0.1');
  s.write(request);
  const chunks: Buffer[] = [];
  s.on('data', (d: Buffer) => chunks.push(d));
  s.on('error', () => undefined); // a reset ends as 'close' without 'end'
  const giveUp = setTimeout(() => s.destroy(), 5000);
  const how = await Promise.race([
    once(s, 'end').then(() => 'end' as const),
    once(s, 'close').then(() => 'close' as const),
  ]);
  clearTimeout(giveUp);
  s.destroy();
  return [how, Buffer.concat(chunks)];
}

for (const front of FRONTS) {
  describe(
    `http proxy, ${front} front`,
    { skip: front === 'uws' && !uwsAvailable() ? 'uWebSockets.js does not load here' : false },
    () => {
      let echo: Awaited<ReturnType<typeof startServer>>;
      let proxy: Proxy;
      let port: number;
      const seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: Buffer }[] = [];

      before(async () => {
        echo = await startServer((req, res) => {
          const chunks: Buffer[] = [];
          req.on('data', (d: Buffer) => chunks.push(d));
          req.on('end', () => {
            const body = Buffer.concat(chunks);
            seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
            const url = req.url ?? '/';
            if (url.startsWith('/chunked')) {
              res.writeHead(200, { 'content-type': 'text/plain' });
              res.write('hello ');
              res.end('chunks');
            } else if (url.startsWith('/nocontent')) {
              res.writeHead(204);
              res.end();
            } else if (url.startsWith('/notmodified')) {
              res.writeHead(304, { etag: '"x"' });
              res.end();
            } else if (req.method === 'HEAD' && url === '/nolength') {
              res.writeHead(200, { 'x-head': 'no length' });
              res.end();
            } else if (req.method === 'HEAD') {
              res.writeHead(200, { 'content-length': '11' });
              res.end();
            } else if (url.startsWith('/status/')) {
              res.writeHead(Number(url.slice(8)), 'Custom Reason');
              res.end('s');
            } else {
              res.setHeader('x-upstream', 'echo');
              res.setHeader('connection', 'x-secret');
              res.setHeader('x-secret', 'must-not-pass');
              res.end(JSON.stringify({ method: req.method, url, len: body.length, headers: req.headers }));
            }
          });
        });
        proxy = await startProxy(cfg(front, `  server s1 127.0.0.1:${echo.port}`, 'option forwardfor'));
        port = proxy.port('fe');
      });
      after(async () => {
        await proxy.close();
        await echo.close();
      });

      test('GET is forwarded with Host kept, X-Forwarded-For added, hop-by-hop removed', async () => {
        const r = await request(port, {
          path: '/a/b?x=1',
          headers: { host: 'example.test', connection: 'x-drop-me', 'x-drop-me': '1', 'x-keep': 'yes' },
        });
        assert.equal(r.status, 200);
        const j = JSON.parse(r.body.toString()) as { url: string; headers: Record<string, string> };
        assert.equal(j.url, '/a/b?x=1');
        assert.equal(j.headers.host, 'example.test');
        assert.equal(j.headers['x-forwarded-for'], '127.0.0.1');
        assert.equal(j.headers['x-keep'], 'yes');
        assert.equal(j.headers['x-drop-me'], undefined);
        assert.equal(r.headers['x-upstream'], 'echo');
        assert.equal(r.headers['x-secret'], undefined, 'response headers named in Connection are removed');
      });

      test('POST with content-length and with chunked body reach the server intact', async () => {
        const body = Buffer.alloc(300_000, 'x');
        const r1 = await request(port, {
          method: 'POST',
          path: '/post',
          body,
          headers: { 'content-length': body.length },
        });
        assert.equal(JSON.parse(r1.body.toString()).len, body.length);
        const r2 = await request(port, {
          method: 'POST',
          path: '/post',
          body,
          headers: { 'transfer-encoding': 'chunked' },
        });
        assert.equal(JSON.parse(r2.body.toString()).len, body.length);
        const last = seen[seen.length - 1];
        assert.ok(last);
        assert.equal(last.headers['transfer-encoding'], 'chunked');
      });

      test('chunked, 204, 304, HEAD and custom reason responses', async () => {
        const c = await request(port, { path: '/chunked' });
        assert.equal(c.body.toString(), 'hello chunks');
        const n = await request(port, { path: '/nocontent' });
        assert.equal(n.status, 204);
        assert.equal(n.body.length, 0);
        const nm = await request(port, { path: '/notmodified' });
        assert.equal(nm.status, 304);
        const raw = await rawExchange(port, 'HEAD /h HTTP/1.1\r\nHost: x\r\n\r\n', 300);
        const head = parseResponse(raw);
        assert.ok(head);
        assert.equal(head.status, 200);
        assert.equal(head.headers['content-length'], '11', 'HEAD keeps the upstream content-length');
        assert.ok(raw.toString('latin1').endsWith('\r\n\r\n'), 'no body after a HEAD response');
        // regression: uWS wrote "Content-Length: 9223372036854775808" when given an undefined length
        const nl = parseResponse(await rawExchange(port, 'HEAD /nolength HTTP/1.1\r\nHost: x\r\n\r\n', 300));
        assert.ok(nl);
        assert.equal(nl.headers['x-head'], 'no length');
        assert.equal(nl.headers['content-length'], undefined, 'no invented content-length on HEAD');
        const s = await rawExchange(port, 'GET /status/299 HTTP/1.1\r\nHost: x\r\n\r\n', 300);
        assert.match(s.toString('latin1'), /^HTTP\/1\.1 299 Custom Reason\r\n/);
      });

      test('a client asking Connection: close is told connection: close, then the connection ends', async () => {
        // RFC 9112 §9.6: the side that closes after a response says so in it
        for (const path of ['/plain', '/chunked']) {
          const [how, raw] = await untilClosed(
            port,
            `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
          );
          const r = parseResponse(raw);
          assert.ok(r, `no response to ${path}`);
          assert.equal(r.status, 200);
          assert.equal(r.headers.connection, 'close', `${path}: ${r.rawHead}`);
          assert.equal(how, 'end', `${path}: the proxy did not close the connection`);
        }
      });

      test('option httpclose: a keep-alive client is told connection: close, bodies intact', async () => {
        // the proxy, not the client, decides to close here (as for a draining worker); uWS 20.30
        // and 20.57 wrote their own Connection field into a chunked body when asked to close
        // after it (docs/hardening.md)
        const p = await startProxy(cfg(front, `  server s1 127.0.0.1:${echo.port}`, 'option httpclose'));
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        try {
          for (const path of ['/plain', '/chunked']) {
            const r = await request(p.port('fe'), { path, agent });
            assert.equal(r.status, 200);
            assert.equal(r.headers.connection, 'close', path);
            if (path === '/chunked') assert.equal(r.body.toString(), 'hello chunks');
            else assert.equal((JSON.parse(r.body.toString()) as { url: string }).url, '/plain');
          }
          // and closes the connection after a response whose body came in one piece (on uWS
          // binds, a larger or chunked body leaves it to the client: docs/hardening.md)
          const [how, bytes] = await untilClosed(
            p.port('fe'),
            'GET /plain HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n',
          );
          const raw = bytes.toString('latin1');
          assert.equal(how, 'end', `the proxy did not close the connection: ${raw.slice(0, 200)}`);
          assert.equal(raw.match(/^connection: close\r$/gim)?.length, 1, raw);
        } finally {
          agent.destroy();
          await p.close();
        }
      });

      test('keep-alive: sequential requests reuse one upstream connection', async () => {
        const before = echo.connections();
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        for (let i = 0; i < 20; i++) {
          const r = await request(port, { path: `/ka/${i}`, agent });
          assert.equal(r.status, 200);
        }
        agent.destroy();
        assert.ok(
          echo.connections() - before <= 1,
          `expected 1 upstream connection, got ${echo.connections() - before}`,
        );
      });

      test('a malformed request gets 400 and is never forwarded', async () => {
        const n = seen.length;
        const raw = await rawExchange(
          port,
          'POST /smuggle HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!',
          500,
        );
        const text = raw.toString('latin1');
        // uWS closes on some malformed input itself; either way nothing may reach the backend
        if (text.length > 0) assert.match(text, /^HTTP\/1\.1 400 /);
        assert.equal(seen.length, n, 'nothing reached the backend');
      });

      test('client abort tears down the upstream exchange', async () => {
        let closedUpstream!: () => void;
        const upstreamClosed = new Promise<void>((r) => (closedUpstream = r));
        const slow = await startServer((req, res) => {
          res.writeHead(200, { 'content-length': '1000000' });
          res.write('x'.repeat(1000));
          req.socket.on('close', () => closedUpstream());
        });
        const p = await startProxy(cfg(front, `  server s1 127.0.0.1:${slow.port}`));
        const sock = net.connect(p.port('fe'), '127.0.0.1');
        sock.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
        await once(sock, 'data');
        sock.destroy();
        await upstreamClosed;
        await p.close();
        await slow.close();
      });

      test('an upstream dying mid-body closes the client connection (no truncated body as complete)', async () => {
        const dying = await startRawServer((sock) => {
          sock.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly-part');
          setImmediate(() => sock.destroy());
        });
        const p = await startProxy(cfg(front, `  server s1 127.0.0.1:${dying.port}`));
        const raw = await rawExchange(p.port('fe'), 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', 2000);
        const text = raw.toString('latin1');
        assert.match(text, /^HTTP\/1\.1 200/);
        const r = parseResponse(raw);
        assert.ok(r);
        assert.ok(r.body.length < 100, 'the client never gets the announced 100 bytes');
        await p.close();
        await dying.close();
      });

      test('503 when the server refuses connections (after retries), 504 on timeout server', async () => {
        const closed = net.createServer();
        await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
        const deadPort = (closed.address() as net.AddressInfo).port;
        await new Promise<void>((r) => closed.close(() => r()));
        const p = await startProxy(
          cfg(front, `  server s1 127.0.0.1:${deadPort}`, '', 'retries 1\n  timeout connect 100ms'),
        );
        const r = await request(p.port('fe'));
        assert.equal(r.status, 503);
        await p.close();

        const mute = await startRawServer(() => {});
        const p2 = await startProxy(
          cfg(front, `  server s1 127.0.0.1:${mute.port}`, '', 'timeout server 200ms'),
        );
        const r2 = await request(p2.port('fe'));
        assert.equal(r2.status, 504);
        await p2.close();
        await mute.close();
      });

      test('502 on an invalid upstream response', async () => {
        const bad = await startRawServer((sock) =>
          sock.end('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'),
        );
        const p = await startProxy(cfg(front, `  server s1 127.0.0.1:${bad.port}`));
        const r = await request(p.port('fe'));
        assert.equal(r.status, 502);
        await p.close();
        await bad.close();
      });

      test('server maxconn queues requests; a full queue and timeout queue give 503', async () => {
        const held: http.ServerResponse[] = [];
        let arrived!: () => void;
        let arrivedP = new Promise<void>((r) => (arrived = r));
        const slow = await startServer((_req, res) => {
          held.push(res);
          arrived();
        });
        const p = await startProxy(
          cfg(front, `  server s1 127.0.0.1:${slow.port} maxconn 1 maxqueue 1`, '', 'timeout queue 300ms'),
        );
        const fport = p.port('fe');
        const first = request(fport, { path: '/1' });
        await arrivedP;
        arrivedP = new Promise<void>((r) => (arrived = r));
        const second = request(fport, { path: '/2' }); // queued
        // wait until it is queued, then a third overflows maxqueue
        const be = p.backends.get('be');
        assert.ok(be);
        for (let i = 0; i < 200 && be.queued === 0; i++) await new Promise((r) => setImmediate(r));
        assert.equal(be.queued, 1);
        const third = await request(fport, { path: '/3' });
        assert.equal(third.status, 503, 'queue full');
        const secondRes = await second;
        assert.equal(secondRes.status, 503, 'timeout queue');
        (held[0] as http.ServerResponse).end('ok');
        assert.equal((await first).status, 200);
        await p.close();
        await slow.close();
      });

      test('frontend maxconn: requests over the limit wait for a slot instead of failing', async () => {
        let concurrent = 0;
        let peak = 0;
        const held: (() => void)[] = [];
        const slow = await startServer((_req, res) => {
          concurrent++;
          peak = Math.max(peak, concurrent);
          held.push(() => {
            concurrent--;
            res.end('done');
          });
        });
        const p = await startProxy(cfg(front, `  server s1 127.0.0.1:${slow.port}`, 'maxconn 1'));
        const fport = p.port('fe');
        const all = [
          request(fport, { path: '/1' }),
          request(fport, { path: '/2' }),
          request(fport, { path: '/3' }),
        ];
        for (let answered = 0; answered < 3; answered++) {
          for (let i = 0; i < 500 && held.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
          assert.equal(held.length, 1, 'exactly one request reaches the server at a time');
          (held.shift() as () => void)();
        }
        const results = await Promise.all(all);
        assert.deepEqual(
          results.map((r) => r.status),
          [200, 200, 200],
        );
        assert.equal(peak, 1);
        await p.close();
        await slow.close();
      });

      test('close-delimited and HTTP/1.0 upstream responses arrive whole', async () => {
        const raw = await startRawServer((sock, data) => {
          const http10 = data.toString('latin1').startsWith('GET /10');
          sock.end(
            `HTTP/${http10 ? '1.0' : '1.1'} 200 OK\r\ncontent-type: text/plain\r\n\r\n${'y'.repeat(70_000)}`,
          );
        });
        const p = await startProxy(cfg(front, `  server s1 127.0.0.1:${raw.port}`));
        for (const path of ['/11', '/10']) {
          const r = await request(p.port('fe'), { path });
          assert.equal(r.status, 200);
          assert.equal(r.body.length, 70_000, `whole body for ${path}`);
        }
        await p.close();
        await raw.close();
      });

      test('a slow server trickling its body is streamed through in order', async () => {
        const slow = await startServer((_req, res) => {
          res.writeHead(200, { 'content-type': 'text/plain' });
          let i = 0;
          const tick = (): void => {
            if (i === 10) {
              res.end();
              return;
            }
            res.write(`part${i++};`);
            setTimeout(tick, 15);
          };
          tick();
        });
        const p = await startProxy(cfg(front, `  server s1 127.0.0.1:${slow.port}`));
        const r = await request(p.port('fe'));
        assert.equal(r.body.toString(), Array.from({ length: 10 }, (_, i) => `part${i};`).join(''));
        await p.close();
        await slow.close();
      });
    },
  );
}
