// Request bodies (chunked encoding, reuse rules) and response backpressure.

import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type * as net from 'node:net';
import { UpstreamPool } from '../../../src/http/upstream';
import type { RawServer } from './helpers';
import { req, run, startServer } from './helpers';

const cleanup: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const c of cleanup) await c();
});

async function setup(
  onSocket: (s: net.Socket, n: number) => void,
): Promise<{ server: RawServer; pool: UpstreamPool }> {
  const server = await startServer(onSocket);
  const pool = new UpstreamPool();
  cleanup.push(
    () => pool.close(),
    () => server.close(),
  );
  return { server, pool };
}

/** collects raw request bytes until `terminator`, then answers */
function capture(terminator: string, got: (raw: string) => void): (s: net.Socket) => void {
  return (s) => {
    let raw = '';
    s.setEncoding('latin1');
    s.on('data', (d: string) => {
      raw += d;
      if (raw.endsWith(terminator)) {
        got(raw);
        raw = '';
        s.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
      }
    });
  };
}

test('chunked request body: hex size, CRLF framing, empty writes skipped, last-chunk on end()', async () => {
  let raw = '';
  const { server, pool } = await setup(capture('0\r\n\r\n', (r) => (raw = r)));
  const head = req('/up', {
    method: 'POST',
    body: 'chunked',
    headers: ['host', 'h', 'transfer-encoding', 'chunked'],
  });
  const { call, done } = run(pool, server.port, head);
  // written before the connection is established: net queues it
  call.write(Buffer.from('hello'));
  call.write(Buffer.alloc(0));
  call.write(Buffer.alloc(26, 'x'));
  call.end();
  const o = await done;
  assert.equal(o.body, 'ok');
  assert.equal(
    raw,
    'POST /up HTTP/1.1\r\nhost: h\r\ntransfer-encoding: chunked\r\n\r\n' +
      '5\r\nhello\r\n1a\r\n' +
      'x'.repeat(26) +
      '\r\n0\r\n\r\n',
  );
  assert.equal(pool.stats().idle, 1, 'complete request and response: reusable');
});

test('content-length request body is written as is and the connection is reused', async () => {
  const raws: string[] = [];
  const { server, pool } = await setup(capture('abc', (r) => raws.push(r)));
  for (let i = 0; i < 2; i++) {
    const head = req('/', { method: 'PUT', body: 'length', headers: ['content-length', '3'] });
    const { call, done } = run(pool, server.port, head);
    call.write(Buffer.from('abc'));
    call.end();
    await done;
  }
  assert.deepEqual(raws, [
    'PUT / HTTP/1.1\r\ncontent-length: 3\r\n\r\nabc',
    'PUT / HTTP/1.1\r\ncontent-length: 3\r\n\r\nabc',
  ]);
  assert.equal(server.connections(), 1);
});

test('response before the request body was ended: connection not reused', async () => {
  const { server, pool } = await setup((s) => {
    s.once('data', () => s.write('HTTP/1.1 413 Too Large\r\ncontent-length: 0\r\n\r\n'));
    s.on('error', () => undefined);
  });
  const head = req('/', { method: 'POST', body: 'length', headers: ['content-length', '100'] });
  const { call, done } = run(pool, server.port, head);
  call.write(Buffer.from('partial'));
  const o = await done;
  assert.equal(o.head?.status, 413);
  assert.equal(pool.stats().idle, 0);
  assert.equal(call.write(Buffer.from('late')), true, 'writes after the end are ignored');
});

test('backpressure: 20 MiB streamed through pause/resume without buffering it all', async () => {
  const TOTAL = 20 * 1024 * 1024;
  const PIECE = 64 * 1024;
  let serverBlocked!: () => void;
  const blocked = new Promise<void>((r) => (serverBlocked = r));
  let serverFinished = false;
  const { server, pool } = await setup((s) => {
    s.once('data', () => {
      s.write(`HTTP/1.1 200 OK\r\ncontent-length: ${TOTAL}\r\n\r\n`);
      let sent = 0;
      const pump = (): void => {
        while (sent < TOTAL) {
          const piece = Buffer.alloc(PIECE);
          for (let i = 0; i < PIECE; i += 4096) piece[i] = ((sent + i) / 4096) & 0xff;
          sent += PIECE;
          if (!s.write(piece)) {
            serverBlocked();
            s.once('drain', pump);
            return;
          }
        }
        serverFinished = true;
      };
      pump();
    });
  });

  let received = 0;
  let maxChunk = 0;
  let pausedCalls = 0;
  let isPaused = false;
  let corrupt = false;
  let finishedWhilePaused = true;
  let receivedWhilePaused = -1;
  const { call, done } = run(pool, server.port, req('/big'), { connect: 2000, server: 10_000 }, (chunk) => {
    if (isPaused) pausedCalls++;
    // spot-check the pattern at every 4 KiB boundary inside the chunk
    for (let off = (4096 - (received % 4096)) % 4096; off < chunk.length; off += 4096) {
      if (chunk[off] !== (((received + off) / 4096) & 0xff)) corrupt = true;
    }
    received += chunk.length;
    maxChunk = Math.max(maxChunk, chunk.length);
    if (received === chunk.length) {
      // first chunk: hold the response until the server cannot write any more
      isPaused = true;
      void blocked.then(() => {
        finishedWhilePaused = serverFinished;
        receivedWhilePaused = received;
        isPaused = false;
        call.resume();
      });
      return false;
    }
    if (received % (PIECE * 16) < chunk.length) {
      isPaused = true;
      setImmediate(() => {
        isPaused = false;
        call.resume();
      });
      return false;
    }
    return true;
  });
  const o = await done;
  assert.equal(o.error, null);
  assert.equal(received, TOTAL);
  assert.equal(corrupt, false, 'body bytes out of order or altered');
  assert.equal(pausedCalls, 0, 'onData called while paused');
  assert.equal(finishedWhilePaused, false, 'the server wrote the whole body while we were paused');
  assert.ok(
    receivedWhilePaused > 0 && receivedWhilePaused <= 1024 * 1024,
    `read ${receivedWhilePaused} while paused`,
  );
  assert.ok(maxChunk <= 1024 * 1024, `a ${maxChunk}-byte chunk means reads were coalesced`);
  assert.ok(o.chunkCount > 20, 'chunks were handed out as they arrived');
});
