// uWS (both builds) reads some invalid chunked syntax leniently and hands sluice only the decoded
// body (front-parsers.ts). docs/hardening.md gives the way to keep such bodies off a uWS bind
// altogether, which RFC 9112 §6.3 allows (411 to a body without a length), valid in HAProxy too:
//   http-request return status 411 if { req.hdr(transfer-encoding) -m found }
// With it, every chunked case the uWS parser tolerates gets the 411 (or, with a request pipelined
// behind, a bare close), the connection closes, and neither the case nor the request pipelined
// behind it reaches the backend; Content-Length bodies still pass.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startProxy, type Proxy } from '../helpers/http-harness';
import { uwsAvailable } from '../../src/http/fronts/uws-loader';
import { CASES } from './cases';
import { startRecorder, type Recorder } from './recorder';
import { ANSWER_MS, IDLE_MS, caseBytes, label, send } from './runner';

/** the chunked cases uWS tolerates (c25a, an empty header name, is not a body matter) */
const TOLERATED_CHUNKED = ['c10b', 'c10e', 'c10f', 'c11a', 'c11b', 'c12a', 'c12b', 'c12c'];

describe(
  'uWS front refusing chunked request bodies with 411',
  { skip: uwsAvailable() ? false : 'uWebSockets.js does not load here' },
  () => {
    let rec: Recorder;
    let proxy: Proxy;
    before(async () => {
      rec = await startRecorder();
      proxy = await startProxy(`
defaults
  mode http
  timeout connect 1s
  timeout client 5s
  timeout server 5s
frontend fe
  bind 127.0.0.1:0 front uws
  http-request return status 411 if { req.hdr(transfer-encoding) -m found }
  default_backend be
backend be
  server s1 127.0.0.1:${rec.port}
`);
    });
    after(async () => {
      await proxy.close();
      await rec.close();
    });

    for (const id of TOLERATED_CHUNKED) {
      const c = CASES.find((x) => x.id === id);
      test(`${id}: ${c?.title ?? '?'} → 411, closed, nothing forwarded`, async () => {
        assert.ok(c !== undefined, `case ${id} is in the table`);
        const alone = await send(proxy.port('fe'), caseBytes(c, false), IDLE_MS, ANSWER_MS);
        assert.equal(alone.status, 411, label(alone));
        assert.equal(alone.responses, 1, label(alone));
        assert.ok(alone.closed, 'connection closed');
        // with a valid request pipelined behind, which must not be served either: uWS may abort
        // the connection before the 411 goes out, or (20.57) answer 505 to the bytes after the
        // body it read as a next request line
        const piped = await send(proxy.port('fe'), caseBytes(c, true), IDLE_MS, ANSWER_MS);
        assert.ok([0, 411, 505].includes(piped.status) && piped.closed, label(piped));
        assert.deepEqual(
          rec.tagged(id).map((r) => r.url),
          [],
        );
      });
    }

    test('a Content-Length body still reaches the backend', async () => {
      const body = 'hello';
      const got = await send(
        proxy.port('fe'),
        Buffer.from(`POST /cl-ok HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`),
        IDLE_MS,
        ANSWER_MS,
      );
      assert.equal(got.status, 200, label(got));
      assert.deepEqual(
        rec.tagged('cl-ok').map((r) => [r.body, r.complete]),
        [[body, true]],
      );
    });
  },
);
