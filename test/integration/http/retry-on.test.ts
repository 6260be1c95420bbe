// retry-on: which failures send a request to a server again, and the safety rule that a request
// which may have reached a server is repeated only when idempotent and fully buffered.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { Proxy } from '../../helpers/http-harness';
import { startProxy, startServer, startRawServer, request } from '../../helpers/http-harness';

type Server = Awaited<ReturnType<typeof startServer>>;

describe('retry-on', () => {
  const hits = { bad: 0, good: 0, mute: 0, closer: 0, coder: 0, junk: 0 };
  const goodBodies: string[] = [];
  let bad: Server;
  let good: Server;
  let mute: Awaited<ReturnType<typeof startRawServer>>;
  let closer: Awaited<ReturnType<typeof startRawServer>>;
  /** answers the status that ends the path (`/codes/404` → 404) */
  let coder: Server;
  let junk: Awaited<ReturnType<typeof startRawServer>>;
  let deadPort: number;
  let proxy: Proxy;

  before(async () => {
    bad = await startServer((req, res) => {
      hits.bad++;
      req.resume();
      req.on('end', () => {
        res.writeHead(503);
        res.end('bad');
      });
    });
    good = await startServer((req, res) => {
      hits.good++;
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        goodBodies.push(body);
        res.end('good');
      });
    });
    mute = await startRawServer(() => {
      hits.mute++;
    });
    closer = await startRawServer((sock) => {
      hits.closer++;
      sock.destroy();
    });
    coder = await startServer((req, res) => {
      hits.coder++;
      req.resume();
      req.on('end', () => res.writeHead(Number(/(\d{3})$/.exec(req.url ?? '')?.[1] ?? 500)).end('coded'));
    });
    junk = await startRawServer((sock) => {
      hits.junk++;
      sock.end('NOT HTTP AT ALL\r\n\r\n');
    });
    const c = net.createServer();
    await new Promise<void>((r) => c.listen(0, '127.0.0.1', r));
    deadPort = (c.address() as net.AddressInfo).port;
    await new Promise<void>((r) => c.close(() => r()));

    const be = (name: string, first: number, retryOn: string) => `
backend ${name}
  balance first
  retries 1
  option redispatch
  retry-on ${retryOn}
  timeout server 300ms
  timeout connect 200ms
  server first 127.0.0.1:${first}
  server second 127.0.0.1:${good.port}
`;
    proxy = await startProxy(`
defaults
  mode http
  timeout connect 1s
  timeout client 5s
  timeout server 5s
frontend fe
  bind 127.0.0.1:0
  use_backend status if { path_beg /status }
  use_backend empty if { path_beg /empty }
  use_backend slow if { path_beg /slow }
  use_backend dead if { path_beg /dead }
  use_backend none if { path_beg /none }
  use_backend codes if { path_beg /codes }
  use_backend allre if { path_beg /allre }
  use_backend junk if { path_beg /junk }
  use_backend every2 if { path_beg /every2 }
${be('status', bad.port, '503')}
${be('empty', closer.port, 'empty-response')}
${be('slow', mute.port, 'response-timeout')}
${be('dead', deadPort, 'conn-failure')}
${be('none', deadPort, 'none')}
${be('codes', coder.port, '404 408 425 500 501 502 504')}
${be('allre', coder.port, 'all-retryable-errors')}
${be('junk', junk.port, 'junk-response')}
backend every2
  balance first
  retries 3
  option redispatch 2
  retry-on empty-response
  timeout connect 200ms
  server first 127.0.0.1:${closer.port}
  server second 127.0.0.1:${good.port}
`);
  });
  after(async () => {
    await proxy.close();
    await bad.close();
    await good.close();
    await mute.close();
    await closer.close();
    await coder.close();
    await junk.close();
  });

  function reset(): void {
    hits.bad = hits.good = hits.mute = hits.closer = hits.coder = hits.junk = 0;
    goodBodies.length = 0;
  }

  test('a GET answered 503 is redispatched to the other server', async () => {
    reset();
    const r = await request(proxy.port('fe'), { path: '/status' });
    assert.equal(r.status, 200);
    assert.equal(r.body.toString(), 'good');
    assert.deepEqual([hits.bad, hits.good], [1, 1]);
  });

  test('a POST answered 503 is never sent again', async () => {
    reset();
    const r = await request(proxy.port('fe'), { method: 'POST', path: '/status', body: 'order=1' });
    assert.equal(r.status, 503);
    assert.deepEqual([hits.bad, hits.good], [1, 0]);
  });

  test('empty-response and response-timeout retry idempotent requests', async () => {
    reset();
    const e = await request(proxy.port('fe'), { path: '/empty' });
    assert.equal(e.status, 200);
    assert.deepEqual([hits.closer, hits.good], [1, 1]);
    reset();
    const t = await request(proxy.port('fe'), { path: '/slow' });
    assert.equal(t.status, 200);
    assert.deepEqual([hits.mute, hits.good], [1, 1]);
  });

  test('a connection failure retries even a POST, with its body intact', async () => {
    reset();
    const r = await request(proxy.port('fe'), { method: 'POST', path: '/dead', body: 'payload=42' });
    assert.equal(r.status, 200);
    assert.deepEqual(goodBodies, ['payload=42']);
  });

  test('retry-on none: a connection failure is final', async () => {
    reset();
    const r = await request(proxy.port('fe'), { path: '/none' });
    assert.equal(r.status, 503);
    assert.equal(hits.good, 0);
  });

  test('each status named in retry-on sends a GET to the other server; a status not named is final', async () => {
    for (const code of [404, 408, 425, 500, 501, 502, 504]) {
      reset();
      const r = await request(proxy.port('fe'), { path: `/codes/${code}` });
      assert.deepEqual(
        [r.status, r.body.toString(), hits.coder, hits.good],
        [200, 'good', 1, 1],
        `status ${code}`,
      );
    }
    reset();
    const r = await request(proxy.port('fe'), { path: '/codes/503' });
    assert.deepEqual([r.status, hits.coder, hits.good], [503, 1, 0]);
  });

  test('all-retryable-errors covers 500, 502, 503, 504 but not 404', async () => {
    for (const code of [500, 502, 503, 504]) {
      reset();
      const r = await request(proxy.port('fe'), { path: `/allre/${code}` });
      assert.deepEqual([r.status, hits.coder, hits.good], [200, 1, 1], `status ${code}`);
    }
    reset();
    const r = await request(proxy.port('fe'), { path: '/allre/404' });
    assert.deepEqual([r.status, hits.coder, hits.good], [404, 1, 0]);
  });

  test('junk-response: a reply that is not HTTP sends a GET to the other server', async () => {
    reset();
    const r = await request(proxy.port('fe'), { path: '/junk' });
    assert.deepEqual([r.status, r.body.toString(), hits.junk, hits.good], [200, 'good', 1, 1]);
  });

  test('option redispatch 2: the second retry goes to another server, not the last one', async () => {
    reset();
    const r = await request(proxy.port('fe'), { path: '/every2' });
    // first try and retry 1 on the same server, retry 2 redispatched (retries 3 would allow a third)
    assert.deepEqual([r.status, hits.closer, hits.good], [200, 2, 1]);
  });
});
