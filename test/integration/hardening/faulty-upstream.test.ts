// Broken servers behind sluice, on both fronts: each answers 502/504 as HAProxy would (or cuts
// the client connection once a body was under way — never a truncated body presented as
// complete), counts the failure, and never reuses the broken upstream connection.
// (CL+TE, a mute server and a mid-body reset are in test/integration/http/proxy.test.ts; parser
// details in test/unit/upstream/malformed.test.ts.)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type net from 'node:net';
import { startProxy, startRawServer, rawExchange, parseResponse } from '../../helpers/http-harness';
import { uwsAvailable } from '../../../src/http/fronts/uws-loader';

const FRONTS = ['uws', 'node'] as const;
const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

interface Fault {
  readonly name: string;
  readonly method?: string;
  /** what the server does with the first request on each connection */
  readonly act: (s: net.Socket) => void;
  /** 502/504, or 'cut' when the client connection must be closed after a partial body */
  readonly want: number | 'cut';
}

const FAULTS: readonly Fault[] = [
  {
    name: 'invalid status line',
    act: (s) => s.write('HTTP/1.1 2OO OK\r\nContent-Length: 2\r\n\r\nok'),
    want: 502,
  },
  { name: 'not HTTP at all', act: (s) => s.write('SSH-2.0-OpenSSH\r\n'), want: 502 },
  {
    name: 'two different Content-Length',
    act: (s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok'),
    want: 502,
  },
  { name: 'closes before answering', act: (s) => s.destroy(), want: 502 },
  { name: 'accepts and never answers', act: () => {}, want: 504 },
  {
    name: 'answers one byte per 400 ms (timeout server 300ms is an idle timeout, as in HAProxy)',
    act: (s) => {
      let i = 0;
      const t = setInterval(
        () => (i < OK.length && !s.destroyed ? s.write(OK[i++] as string) : clearInterval(t)),
        400,
      );
      s.on('close', () => clearInterval(t));
    },
    want: 504,
  },
  {
    name: 'Content-Length longer than the body, then close',
    act: (s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort'),
    want: 'cut',
  },
  {
    name: 'chunked body that stops mid-chunk',
    act: (s) => s.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\nshort'),
    want: 'cut',
  },
];

/** answers after the fault: the same connection must not be used again */
const REUSE: readonly Fault[] = [
  { name: 'garbage after a complete response', act: (s) => s.write(`${OK}GARBAGE`), want: 200 as never },
  {
    name: 'a 204 with a body',
    act: (s) => s.write('HTTP/1.1 204 No Content\r\n\r\nBODY-AFTER-204'),
    want: 204 as never,
  },
  {
    name: 'a HEAD response with a body',
    method: 'HEAD',
    act: (s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nBODY'),
    want: 200 as never,
  },
];

function cfg(front: string, port: number): string {
  return `
defaults
  mode http
  timeout connect 500ms
  timeout client 5s
  timeout server 300ms
  retries 0
frontend fe
  bind 127.0.0.1:0 front ${front}
  default_backend be
backend be
  server s1 127.0.0.1:${port}
`;
}

for (const front of FRONTS) {
  describe(
    `faulty upstreams, ${front} front`,
    { skip: front === 'uws' && !uwsAvailable() ? 'uWebSockets.js does not load here' : false },
    () => {
      for (const f of FAULTS) {
        test(`${f.name} → ${f.want === 'cut' ? 'client connection cut' : f.want}, counted`, async () => {
          const srv = await startRawServer((s) => f.act(s));
          const p = await startProxy(cfg(front, srv.port));
          try {
            const raw = await rawExchange(p.port('fe'), 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', 1500);
            const r = parseResponse(raw);
            if (f.want === 'cut') {
              assert.ok(r !== null && r.status === 200, 'the head went out');
              const cl = Number(r.headers['content-length'] ?? -1);
              const chunkedDone = raw.toString('latin1').endsWith('0\r\n\r\n');
              assert.ok(cl < 0 ? !chunkedDone : r.body.length < cl, 'the body is visibly incomplete');
            } else {
              assert.equal(r?.status, f.want);
            }
            const counters = p.backends.get('be')?.servers[0]?.counters;
            assert.ok(counters !== undefined && counters.eresp >= 1, 'eresp counted');
          } finally {
            await p.close();
            await srv.close();
          }
        });
      }

      for (const f of REUSE) {
        test(`${f.name}: no body forwarded, the connection is not reused`, async () => {
          let conns = 0;
          const srv = await startRawServer((s) => {
            conns++;
            f.act(s);
          });
          const p = await startProxy(cfg(front, srv.port));
          try {
            const method = f.method ?? 'GET';
            const first = await rawExchange(p.port('fe'), `${method} / HTTP/1.1\r\nHost: x\r\n\r\n`, 300);
            assert.ok(!first.toString('latin1').includes('BODY'), 'no extra bytes reach the client');
            assert.ok(!first.toString('latin1').includes('GARBAGE'));
            await rawExchange(p.port('fe'), `${method} / HTTP/1.1\r\nHost: x\r\n\r\n`, 300);
            assert.equal(conns, 2, 'a fresh upstream connection for the second request');
          } finally {
            await p.close();
            await srv.close();
          }
        });
      }
    },
  );
}
