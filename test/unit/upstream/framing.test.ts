// Body framing of well-formed responses, one case per test, against a raw-byte server.

import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { UpstreamPool } from '../../../src/http/upstream';
import type { RawServer } from './helpers';
import { req, routes, run, startServer } from './helpers';

const R: Record<string, string> = {
  '/cl': 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Up: A\r\n\r\nhello',
  '/cl-list': 'HTTP/1.1 200 OK\r\ncontent-length: 5, 5\r\n\r\nhello',
  '/cl-zero': 'HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n',
  '/chunked':
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' +
    '5;name=val;q="a \\"b\\""\r\nhello\r\n6 ; x\r\n world\r\n0\r\nX-Checksum: abc\r\nX-Two: 2\r\n\r\n',
  '/chunked-no-trailers': 'HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\n\r\na\r\n0123456789\r\n0\r\n\r\n',
  '/close': 'HTTP/1.1 200 OK\r\nx: y\r\n\r\nuntil the end',
  '/head': 'HTTP/1.1 200 OK\r\ncontent-length: 1234\r\n\r\n',
  '/204': 'HTTP/1.1 204 No Content\r\ncontent-length: 5\r\n\r\nhello',
  '/304': 'HTTP/1.1 304 Not Modified\r\ncontent-length: 5\r\n\r\n',
  '/continue': 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok',
  '/103':
    'HTTP/1.1 103 Early Hints\r\nlink: </s.css>; rel=preload\r\n\r\n' +
    'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok',
  '/no-reason': 'HTTP/1.1 200\r\ncontent-length: 2\r\n\r\nok',
  '/empty-reason': 'HTTP/1.1 200 \r\ncontent-length: 2\r\n\r\nok',
  '/http10': 'HTTP/1.0 200 OK\r\ncontent-length: 2\r\n\r\nok',
  '/conn-close': 'HTTP/1.1 200 OK\r\nconnection: keep-alive, Close\r\ncontent-length: 2\r\n\r\nok',
};

let server: RawServer;
let pool: UpstreamPool;

before(async () => {
  server = await startServer(routes(R, new Set(['/close', '/http10', '/conn-close'])));
  pool = new UpstreamPool();
});

after(async () => {
  pool.close();
  await server.close();
});

test('content-length body, header names lower-cased, values as sent', async () => {
  const o = await run(pool, server.port, req('/cl')).done;
  assert.equal(o.error, null);
  assert.equal(o.head?.status, 200);
  assert.equal(o.head?.reason, 'OK');
  assert.deepEqual(o.head?.headers, ['content-length', '5', 'x-up', 'A']);
  assert.equal(o.head?.body, 'length');
  assert.equal(o.head?.contentLength, 5);
  assert.equal(o.head?.willClose, false);
  assert.equal(o.body, 'hello');
  assert.equal(o.trailers, null);
});

test('identical content-length list "5, 5" is accepted', async () => {
  const o = await run(pool, server.port, req('/cl-list')).done;
  assert.equal(o.error, null);
  assert.equal(o.head?.contentLength, 5);
  assert.equal(o.body, 'hello');
});

test('content-length 0 ends with the head', async () => {
  const o = await run(pool, server.port, req('/cl-zero')).done;
  assert.equal(o.ended, true);
  assert.equal(o.body, '');
});

test('chunked body with extensions and trailers', async () => {
  const o = await run(pool, server.port, req('/chunked')).done;
  assert.equal(o.error, null);
  assert.equal(o.head?.body, 'chunked');
  assert.equal(o.head?.contentLength, -1);
  assert.equal(o.body, 'hello world');
  assert.deepEqual(o.trailers, ['x-checksum', 'abc', 'x-two', '2']);
});

test('chunked (any case) without trailers', async () => {
  const o = await run(pool, server.port, req('/chunked-no-trailers')).done;
  assert.equal(o.body, '0123456789');
  assert.equal(o.trailers, null);
});

test('HEAD response with content-length has no body and keeps the connection', async () => {
  const before = server.connections();
  const o = await run(pool, server.port, req('/head', { method: 'HEAD' })).done;
  assert.equal(o.ended, true);
  assert.equal(o.head?.body, 'none');
  assert.equal(o.chunks.length, 0);
  assert.deepEqual(o.head?.headers, ['content-length', '1234']);
  const o2 = await run(pool, server.port, req('/cl')).done;
  assert.equal(o2.body, 'hello');
  assert.ok(server.connections() - before <= 1, 'HEAD response left the connection reusable');
});

test('204 with body bytes: no body, connection not reused', async () => {
  const o = await run(pool, server.port, req('/204')).done;
  assert.equal(o.ended, true);
  assert.equal(o.head?.body, 'none');
  assert.equal(o.chunks.length, 0);
  assert.equal(pool.stats().idle, 0, 'a connection with stray bytes went back to the pool');
});

test('304 with content-length has no body', async () => {
  const o = await run(pool, server.port, req('/304')).done;
  assert.equal(o.ended, true);
  assert.equal(o.head?.status, 304);
  assert.equal(o.head?.body, 'none');
});

test('100 Continue goes to onInterim, then the final response', async () => {
  const o = await run(pool, server.port, req('/continue')).done;
  assert.deepEqual(o.interims, [{ status: 100, reason: 'Continue', headers: [] }]);
  assert.equal(o.head?.status, 200);
  assert.equal(o.body, 'ok');
});

test('103 Early Hints with headers goes to onInterim', async () => {
  const o = await run(pool, server.port, req('/103')).done;
  assert.deepEqual(o.interims, [
    { status: 103, reason: 'Early Hints', headers: ['link', '</s.css>; rel=preload'] },
  ]);
  assert.equal(o.body, 'ok');
});

test('status line without the SP before an empty reason is accepted (lenient, decided)', async () => {
  const a = await run(pool, server.port, req('/no-reason')).done;
  assert.equal(a.head?.status, 200);
  assert.equal(a.head?.reason, '');
  const b = await run(pool, server.port, req('/empty-reason')).done;
  assert.equal(b.head?.reason, '');
  assert.equal(b.body, 'ok');
});

test('no content-length, no transfer-encoding: read until close, not reusable', async () => {
  const o = await run(pool, server.port, req('/close')).done;
  assert.equal(o.error, null);
  assert.equal(o.head?.body, 'close');
  assert.equal(o.head?.willClose, true);
  assert.equal(o.body, 'until the end');
  assert.equal(pool.stats().idle, 0);
});

test('HTTP/1.0 response: willClose, not reused', async () => {
  const o = await run(pool, server.port, req('/http10')).done;
  assert.equal(o.body, 'ok');
  assert.equal(o.head?.willClose, true);
  assert.equal(pool.stats().idle, 0);
});

test('connection: close token in a list: willClose, not reused', async () => {
  const o = await run(pool, server.port, req('/conn-close')).done;
  assert.equal(o.body, 'ok');
  assert.equal(o.head?.willClose, true);
  assert.equal(pool.stats().idle, 0);
});
