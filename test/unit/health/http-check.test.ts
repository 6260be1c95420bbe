// The bytes an HTTP check sends and the verdict on what comes back: HTTP/1.0 and HTTP/1.1
// requests (Host only when given), `http-check expect [!] status|rstatus|string|rstring`, and
// `http-check disable-on-404`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HttpCheckModel } from '../../../src/config/model';
import { buildCheckRequest, httpJudge } from '../../../src/health/http-check';

const DEFAULT: HttpCheckModel = { method: 'OPTIONS', uri: '/', version: 'HTTP/1.0', host: null };

function judge(hc: HttpCheckModel, reply: string, serverUp = true): ReturnType<ReturnType<typeof httpJudge>> {
  return httpJudge(hc, serverUp)(Buffer.from(reply, 'latin1'), true);
}

test('option httpchk alone sends HAProxy default request: OPTIONS / HTTP/1.0, no Host', () => {
  assert.equal(
    buildCheckRequest(DEFAULT).toString('latin1'),
    'OPTIONS / HTTP/1.0\r\nConnection: close\r\n\r\n',
  );
});

test('HTTP/1.1 with a Host, other headers and a body (Content-Length added)', () => {
  const hc: HttpCheckModel = {
    method: 'POST',
    uri: '/health',
    version: 'HTTP/1.1',
    host: 'health.local',
    headers: [['X-Probe', '1']],
    body: 'ping',
  };
  assert.equal(
    buildCheckRequest(hc).toString('latin1'),
    'POST /health HTTP/1.1\r\nHost: health.local\r\nX-Probe: 1\r\nContent-Length: 4\r\nConnection: close\r\n\r\nping',
  );
});

test('without expect, 2xx and 3xx pass; anything else is Layer7 wrong status with the reason', () => {
  assert.deepEqual(judge(DEFAULT, 'HTTP/1.1 301 Moved\r\n\r\n'), {
    ok: true,
    status: 'L7OK',
    code: 301,
    info: '',
  });
  assert.deepEqual(judge(DEFAULT, 'HTTP/1.1 503 Service Unavailable\r\n\r\n'), {
    ok: false,
    status: 'L7STS',
    code: 503,
    info: 'Service Unavailable',
  });
  assert.deepEqual(judge(DEFAULT, 'garbage\r\n\r\n'), {
    ok: false,
    status: 'L7RSP',
    code: null,
    info: 'invalid status line',
  });
});

test('expect status, rstatus, string and rstring, each negated with !', () => {
  const ok = (
    kind: 'status' | 'rstatus' | 'string' | 'rstring',
    negate: boolean,
    pattern: string,
    reply: string,
  ) => judge({ ...DEFAULT, expect: { kind, negate, pattern } }, reply)?.ok;
  const r200 = 'HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nall is ok';
  const r404 = 'HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\ngone';
  assert.equal(ok('status', false, '200-299,404', r404), true);
  assert.equal(ok('status', true, '404', r404), false);
  assert.equal(ok('rstatus', false, '^2', r200), true);
  assert.equal(ok('rstatus', true, '^2', r200), false);
  assert.equal(ok('string', false, 'is ok', r200), true);
  assert.equal(ok('string', true, 'is ok', r200), false);
  assert.equal(ok('rstring', false, '^all', r200), true);
  assert.equal(ok('rstring', true, '^gone$', r404), false);
});

test('disable-on-404: a 404 from a server that is UP passes conditionally (L7OKC); from a DOWN one it fails', () => {
  const hc: HttpCheckModel = { ...DEFAULT, disableOn404: true };
  const r404 = 'HTTP/1.1 404 Not Found\r\n\r\n';
  assert.deepEqual(judge(hc, r404, true), { ok: true, status: 'L7OKC', code: 404, info: 'Not Found' });
  assert.deepEqual(judge(hc, r404, false), { ok: false, status: 'L7STS', code: 404, info: 'Not Found' });
  // without the option a 404 is an ordinary wrong status
  assert.equal(judge(DEFAULT, r404, true)?.status, 'L7STS');
});
