// Malformed or conflicting responses: each must end in UpstreamError('protocol') and a destroyed,
// never reused, connection (shared/corpus/http1-malformed-rules.md #40-41).

import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { UpstreamPool } from '../../../src/http/upstream';
import type { RawServer } from './helpers';
import { req, routes, run, startServer } from './helpers';

const OK = 'HTTP/1.1 200 OK\r\n';

/** target → [raw response, whether onHead may have been called before the error] */
const CASES: Record<string, [string, boolean]> = {
  '/te-and-cl': [
    OK + 'transfer-encoding: chunked\r\ncontent-length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
    false,
  ],
  '/cl-differs': [OK + 'content-length: 5\r\ncontent-length: 6\r\n\r\nhello!', false],
  '/cl-list-differs': [OK + 'content-length: 5, 6\r\n\r\nhello!', false],
  '/cl-plus': [OK + 'content-length: +5\r\n\r\nhello', false],
  '/cl-negative': [OK + 'content-length: -1\r\n\r\n', false],
  '/cl-hex': [OK + 'content-length: 0x5\r\n\r\nhello', false],
  '/cl-suffix': [OK + 'content-length: 5abc\r\n\r\nhello', false],
  '/cl-empty': [OK + 'content-length:\r\n\r\n', false],
  '/cl-overflow': [OK + 'content-length: 1234567890123456\r\n\r\n', false],
  '/cl-space-inside': [OK + 'content-length: 5 5\r\n\r\nhello', false],
  '/te-gzip': [OK + 'transfer-encoding: gzip\r\n\r\nxx', false],
  '/te-gzip-chunked': [OK + 'transfer-encoding: gzip, chunked\r\n\r\n0\r\n\r\n', false],
  '/te-chunked-twice': [
    OK + 'transfer-encoding: chunked\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n',
    false,
  ],
  '/te-http10': ['HTTP/1.0 200 OK\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n', false],
  '/chunk-size-nonhex': [OK + 'transfer-encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n', true],
  '/chunk-size-0x': [OK + 'transfer-encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n', true],
  '/chunk-size-trailing-sp': [OK + 'transfer-encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n', true],
  '/chunk-size-overflow': [OK + 'transfer-encoding: chunked\r\n\r\nfffffffffffffffff\r\n', true],
  '/chunk-size-bare-lf': [OK + 'transfer-encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n', true],
  '/chunk-ext-bad': [OK + 'transfer-encoding: chunked\r\n\r\n5;\r\nhello\r\n0\r\n\r\n', true],
  '/chunk-runaway': [OK + 'transfer-encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n', true],
  '/status-no-version': ['200 OK\r\ncontent-length: 0\r\n\r\n', false],
  '/status-lowercase': ['http/1.1 200 OK\r\ncontent-length: 0\r\n\r\n', false],
  '/status-http2': ['HTTP/2.0 200 OK\r\ncontent-length: 0\r\n\r\n', false],
  '/status-two-digits': ['HTTP/1.1 20 OK\r\ncontent-length: 0\r\n\r\n', false],
  '/status-double-sp': ['HTTP/1.1  200 OK\r\ncontent-length: 0\r\n\r\n', false],
  '/status-ctl-reason': ['HTTP/1.1 200 O\x01K\r\ncontent-length: 0\r\n\r\n', false],
  '/101': ['HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n', false],
  '/obs-fold': [OK + 'x-long: a\r\n  continued\r\ncontent-length: 0\r\n\r\n', false],
  '/bare-lf-status': ['HTTP/1.1 200 OK\ncontent-length: 0\r\n\r\n', false],
  '/bare-lf-header': [OK + 'content-length: 0\n\r\n', false],
  '/bare-cr-value': [OK + 'x: a\rb\r\ncontent-length: 0\r\n\r\n', false],
  '/space-before-colon': [OK + 'content-length : 0\r\n\r\n', false],
  '/empty-name': [OK + ': x\r\ncontent-length: 0\r\n\r\n', false],
  '/no-colon': [OK + 'nocolon\r\ncontent-length: 0\r\n\r\n', false],
  '/nul-in-value': [OK + 'x: a\x00b\r\ncontent-length: 0\r\n\r\n', false],
  '/del-in-value': [OK + 'x: a\x7fb\r\ncontent-length: 0\r\n\r\n', false],
  '/leading-empty-line': ['\r\n' + OK + 'content-length: 0\r\n\r\n', false],
  '/header-too-large': [OK + 'x-big: ' + 'a'.repeat(70 * 1024) + '\r\ncontent-length: 0\r\n\r\n', false],
  '/trailer-obs-fold': [OK + 'transfer-encoding: chunked\r\n\r\n0\r\nx: a\r\n b\r\n\r\n', true],
};

let server: RawServer;
let pool: UpstreamPool;

before(async () => {
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(CASES)) raw[k] = v[0];
  server = await startServer(routes(raw));
  pool = new UpstreamPool();
});

after(async () => {
  pool.close();
  await server.close();
});

for (const [target, [, headFirst]] of Object.entries(CASES)) {
  test(`protocol error: ${target.slice(1)}`, async () => {
    const o = await run(pool, server.port, req(target)).done;
    assert.equal(o.ended, false, 'response must not complete');
    assert.equal(o.error?.kind, 'protocol', String(o.error));
    assert.equal(o.error?.requestUnsent, false);
    if (!headFirst) assert.equal(o.head, null, 'no head for a malformed head section');
    assert.equal(pool.stats().idle, 0);
    assert.equal(pool.stats().active, 0);
  });
}

test('header limit is configurable: 1 KiB limit rejects a 2 KiB header', async () => {
  const small = new UpstreamPool({ maxHeaderBytes: 1024 });
  const s = await startServer(
    routes({ '/': OK + 'x: ' + 'b'.repeat(2048) + '\r\ncontent-length: 0\r\n\r\n' }),
  );
  try {
    const o = await run(small, s.port, req('/')).done;
    assert.equal(o.error?.kind, 'protocol');
    assert.match(o.error?.message ?? '', /larger than 1024/);
  } finally {
    small.close();
    await s.close();
  }
});
