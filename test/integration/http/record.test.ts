// The per-request record every observer (logs, stats, passive checks) receives: status, server,
// bytes, HAProxy timers and termination state, for normal and failed exchanges.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import type { Proxy } from '../../helpers/http-harness';
import { startProxy, startServer, startRawServer, request } from '../../helpers/http-harness';
import type { HttpRequestRecord } from '../../../src/http/record';

describe('http request records', () => {
  const records: HttpRequestRecord[] = [];
  let ok: Awaited<ReturnType<typeof startServer>>;
  let mute: Awaited<ReturnType<typeof startRawServer>>;
  let endless: Awaited<ReturnType<typeof startServer>>;
  let proxy: Proxy;
  let deadPort: number;

  async function next(n: number): Promise<HttpRequestRecord> {
    for (let i = 0; i < 400 && records.length < n; i++) await new Promise((r) => setTimeout(r, 5));
    const r = records[n - 1];
    assert.ok(r, `record ${n} was emitted`);
    return r;
  }

  before(async () => {
    ok = await startServer((_req, res) => res.end('hello'));
    mute = await startRawServer(() => {});
    endless = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': '100000000' });
      res.write('x'.repeat(10000));
    });
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    deadPort = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    proxy = await startProxy(
      `
defaults
  mode http
  timeout connect 1s
  timeout client 5s
  timeout server 300ms
frontend fe
  bind 127.0.0.1:0
  http-request deny if { path /deny }
  http-request redirect location /elsewhere if { path /moved }
  use_backend dead if { path /dead }
  use_backend mute if { path /mute }
  use_backend endless if { path /endless }
  default_backend ok
backend ok
  server s1 127.0.0.1:${ok.port}
backend dead
  retries 2
  timeout connect 100ms
  server d1 127.0.0.1:${deadPort}
backend mute
  server m1 127.0.0.1:${mute.port}
backend endless
  server e1 127.0.0.1:${endless.port}
`,
      { httpObservers: [{ onHttpRequest: (r) => records.push(r) }] },
    );
  });
  after(async () => {
    await proxy.close();
    await ok.close();
    await mute.close();
    await endless.close();
  });

  test('a normal exchange', async () => {
    const res = await request(proxy.port('fe'), { path: '/x' });
    assert.equal(res.status, 200);
    const r = await next(1);
    assert.equal(r.frontend, 'fe');
    assert.equal(r.backend, 'ok');
    assert.equal(r.server, 's1');
    assert.equal(r.status, 200);
    assert.equal(r.serverStatus, 200);
    assert.equal(r.bytesOut, 5);
    assert.equal(r.termination, '--');
    assert.ok(r.tW >= 0 && r.tC >= 0 && r.tr >= 0 && r.tA >= r.tr);
    assert.equal(r.ex?.url, '/x');
  });

  test('deny and redirect are PR and LR, with no server', async () => {
    await request(proxy.port('fe'), { path: '/deny' });
    const d = await next(2);
    assert.deepEqual([d.status, d.termination, d.server, d.tC], [403, 'PR', null, -1]);
    await request(proxy.port('fe'), { path: '/moved' });
    const m = await next(3);
    assert.deepEqual([m.status, m.termination], [302, 'LR']);
  });

  test('a refused server after retries is SC with the retries counted', async () => {
    const res = await request(proxy.port('fe'), { path: '/dead' });
    assert.equal(res.status, 503);
    const r = await next(4);
    assert.deepEqual(
      [r.status, r.termination, r.server, r.retries, r.upstreamError],
      [503, 'SC', 'd1', 2, 'connect'],
    );
  });

  test('timeout server while waiting for headers is sH / 504', async () => {
    const res = await request(proxy.port('fe'), { path: '/mute' });
    assert.equal(res.status, 504);
    const r = await next(5);
    assert.deepEqual([r.status, r.termination], [504, 'sH']);
  });

  test('a client leaving during the body is CD', async () => {
    const sock = net.connect(proxy.port('fe'), '127.0.0.1');
    sock.write('GET /endless HTTP/1.1\r\nHost: x\r\n\r\n');
    await once(sock, 'data');
    sock.destroy();
    const r = await next(6);
    assert.equal(r.termination, 'CD');
    assert.equal(r.status, 200);
    assert.ok(r.bytesOut > 0);
  });
});
