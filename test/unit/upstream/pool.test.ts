// Keep-alive reuse and the cases where a connection must not go back to the pool.

import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { UpstreamPool } from '../../../src/http/upstream';
import type { RawServer } from './helpers';
import { onRequests, req, routes, run, startServer, until } from './helpers';

const OK2 = 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok';
const cleanup: (() => Promise<void> | void)[] = [];

after(async () => {
  for (const c of cleanup) await c();
});

async function setup(
  onSocket: Parameters<typeof startServer>[0],
  opts?: ConstructorParameters<typeof UpstreamPool>[0],
): Promise<{ server: RawServer; pool: UpstreamPool }> {
  const server = await startServer(onSocket);
  const pool = new UpstreamPool(opts);
  cleanup.push(
    () => pool.close(),
    () => server.close(),
  );
  return { server, pool };
}

test('keep-alive: N sequential requests use one connection', async () => {
  const { server, pool } = await setup(routes({ '/': OK2 }));
  for (let i = 0; i < 20; i++) {
    const o = await run(pool, server.port, req('/')).done;
    assert.equal(o.body, 'ok');
  }
  assert.equal(server.connections(), 1);
  assert.deepEqual(pool.stats(), { idle: 1, active: 0 });
});

test('concurrent requests open parallel connections, then all are pooled', async () => {
  const { server, pool } = await setup(routes({ '/': OK2 }));
  const all = await Promise.all([1, 2, 3].map(() => run(pool, server.port, req('/')).done));
  assert.deepEqual(
    all.map((o) => o.body),
    ['ok', 'ok', 'ok'],
  );
  assert.equal(server.connections(), 3);
  assert.deepEqual(pool.stats(), { idle: 3, active: 0 });
});

test('idle cap per target: connections beyond maxIdlePerTarget are closed', async () => {
  const { server, pool } = await setup(routes({ '/': OK2 }), { maxIdlePerTarget: 2 });
  await Promise.all([1, 2, 3, 4].map(() => run(pool, server.port, req('/')).done));
  assert.equal(pool.stats().idle, 2);
});

test('a connection closed by the server while idle is discarded, not reused', async () => {
  const { server, pool } = await setup((s) => onRequests(s, () => s.end(OK2)));
  const a = await run(pool, server.port, req('/')).done;
  assert.equal(a.body, 'ok');
  await until(() => pool.stats().idle === 0, 'idle connection to be discarded');
  const b = await run(pool, server.port, req('/')).done;
  assert.equal(b.body, 'ok');
  assert.equal(server.connections(), 2);
});

test('bytes arriving on an idle connection get it discarded', async () => {
  const { server, pool } = await setup((s) =>
    onRequests(s, () => {
      s.write(OK2);
      setImmediate(() => s.write('HTTP/1.1 200 OK\r\n'));
    }),
  );
  await run(pool, server.port, req('/')).done;
  await until(() => pool.stats().idle === 0, 'idle connection to be discarded');
  await run(pool, server.port, req('/')).done;
  assert.equal(server.connections(), 2);
});

test('garbage after a complete response: connection not reused', async () => {
  const { server, pool } = await setup(routes({ '/': OK2 + 'GARBAGE' }));
  const o = await run(pool, server.port, req('/')).done;
  assert.equal(o.body, 'ok');
  assert.equal(pool.stats().idle, 0);
  await run(pool, server.port, req('/')).done;
  assert.equal(server.connections(), 2);
});

test('idle timeout closes pooled connections', async () => {
  let closed!: () => void;
  const serverSawClose = new Promise<void>((r) => (closed = r));
  const { server, pool } = await setup(
    (s) => {
      s.on('close', () => closed());
      routes({ '/': OK2 })(s);
    },
    { idleTimeoutMs: 50 },
  );
  await run(pool, server.port, req('/')).done;
  assert.equal(pool.stats().idle, 1);
  await serverSawClose;
  assert.equal(pool.stats().idle, 0);
});

test('head.close adds connection: close and the connection is not reused', async () => {
  let seen = '';
  const { server, pool } = await setup((s) => {
    onRequests(s, () => s.write(OK2));
    s.on('data', (d: string) => (seen += d));
  });
  await run(pool, server.port, req('/', { close: true })).done;
  assert.match(seen, /^GET \/ HTTP\/1\.1\r\nhost: test\r\nconnection: close\r\n\r\n$/);
  assert.equal(pool.stats().idle, 0);
});

test('keep-alive race: reused connection closed before any response byte is retried once', async () => {
  // the server answers the first request, then hangs up on the next one without a byte
  const { server, pool } = await setup((s, n) =>
    onRequests(s, (_line, i) => {
      if (n === 1 && i === 2) s.destroy();
      else s.write(OK2);
    }),
  );
  await run(pool, server.port, req('/')).done;
  const o = await run(pool, server.port, req('/')).done;
  assert.equal(o.error, null);
  assert.equal(o.body, 'ok');
  assert.equal(server.connections(), 2);
});

test('keep-alive race with a non-idempotent method: empty, not replayed', async () => {
  const { server, pool } = await setup((s, n) =>
    onRequests(s, (_line, i) => {
      if (n === 1 && i === 2) s.destroy();
      else s.write(OK2);
    }),
  );
  await run(pool, server.port, req('/')).done;
  const o = await run(pool, server.port, req('/', { method: 'POST' })).done;
  assert.equal(o.error?.kind, 'empty');
  assert.equal(o.error?.requestUnsent, false);
  assert.equal(server.connections(), 1);
});

test('close() destroys idle connections', async () => {
  let closed!: () => void;
  const serverSawClose = new Promise<void>((r) => (closed = r));
  const { server, pool } = await setup((s) => {
    s.on('close', () => closed());
    routes({ '/': OK2 })(s);
  });
  await run(pool, server.port, req('/')).done;
  pool.close();
  assert.deepEqual(pool.stats(), { idle: 0, active: 0 });
  await serverSawClose;
});
