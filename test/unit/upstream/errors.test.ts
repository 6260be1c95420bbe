// Transport failures and how they are classified (UpstreamErrorKind, requestUnsent).

import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { UpstreamPool } from '../../../src/http/upstream';
import type { RawServer } from './helpers';
import { onRequests, req, run, startServer } from './helpers';

let server: RawServer;
let pool: UpstreamPool;

before(async () => {
  server = await startServer((s) =>
    onRequests(s, (line) => {
      const target = line.split(' ')[1];
      switch (target) {
        case '/short-cl':
          s.end('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly this');
          break;
        case '/short-chunked':
          s.end('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhel');
          break;
        case '/rst-mid-body':
          s.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npartial', () => s.resetAndDestroy());
          break;
        case '/close-before-answer':
          s.end();
          break;
        case '/partial-head':
          s.end('HTTP/1.1 200 OK\r\ncontent-le');
          break;
        case '/silent':
          break;
        case '/slow-body':
          s.write('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc');
          break;
      }
    }),
  );
  pool = new UpstreamPool();
});

after(async () => {
  pool.close();
  await server.close();
});

test('content-length longer than the body, then close: reset after head', async () => {
  const o = await run(pool, server.port, req('/short-cl')).done;
  assert.equal(o.head?.status, 200);
  assert.equal(o.body, 'only this');
  assert.equal(o.ended, false);
  assert.equal(o.error?.kind, 'reset');
  assert.equal(o.error?.requestUnsent, false);
});

test('chunked body cut mid-chunk: reset after head', async () => {
  const o = await run(pool, server.port, req('/short-chunked')).done;
  assert.equal(o.head?.body, 'chunked');
  assert.equal(o.body, 'hel');
  assert.equal(o.error?.kind, 'reset');
});

test('server resets the connection mid-body: reset', async () => {
  const o = await run(pool, server.port, req('/rst-mid-body')).done;
  assert.equal(o.head?.status, 200);
  assert.equal(o.ended, false);
  assert.equal(o.error?.kind, 'reset');
});

test('server closes before answering: empty, request was sent', async () => {
  const o = await run(pool, server.port, req('/close-before-answer')).done;
  assert.equal(o.head, null);
  assert.equal(o.error?.kind, 'empty');
  assert.equal(o.error?.requestUnsent, false);
});

test('server closes inside the head: reset, no head', async () => {
  const o = await run(pool, server.port, req('/partial-head')).done;
  assert.equal(o.head, null);
  assert.equal(o.error?.kind, 'reset');
});

test('server accepts and never answers: timeout', async () => {
  const t0 = Date.now();
  const o = await run(pool, server.port, req('/silent'), { connect: 1000, server: 100 }).done;
  assert.equal(o.error?.kind, 'timeout');
  assert.equal(o.error?.requestUnsent, false);
  assert.ok(Date.now() - t0 >= 90, 'fired too early');
  assert.equal(pool.stats().active, 0);
});

test('server stalls mid-body: timeout after head', async () => {
  const o = await run(pool, server.port, req('/slow-body'), { connect: 1000, server: 100 }).done;
  assert.equal(o.head?.status, 200);
  assert.equal(o.body, 'abc');
  assert.equal(o.error?.kind, 'timeout');
});

test('connection refused: connect, request unsent', async () => {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const o = await run(pool, port, req('/')).done;
  assert.equal(o.error?.kind, 'connect');
  assert.equal(o.error?.requestUnsent, true);
  assert.equal(pool.stats().active, 0);
});

test('abort: no callbacks afterwards, connection destroyed', async () => {
  let closed!: () => void;
  const serverSawClose = new Promise<void>((r) => (closed = r));
  const s = await startServer((sock) => {
    sock.on('close', () => closed());
    onRequests(sock, () => sock.write('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc'));
  });
  try {
    let calls = 0;
    const { call } = run(pool, s.port, req('/'), undefined, () => {
      calls++;
      call.abort();
      return true;
    });
    await serverSawClose;
    assert.equal(calls, 1);
    assert.equal(pool.stats().active, 0);
  } finally {
    await s.close();
  }
});
