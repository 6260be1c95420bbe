import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileText } from '../../../src/config';

function backend(lines: string): ReturnType<typeof compileText> {
  return compileText(`backend be\n  mode http\n${lines}\n  server s 127.0.0.1:1\n`, 't.cfg', {});
}

test('retry-on defaults to conn-failure only', () => {
  const m = backend('').model;
  assert.ok(m);
  const r = m.backends[0]?.retryOn;
  assert.deepEqual(r, {
    connFailure: true,
    emptyResponse: false,
    junkResponse: false,
    responseTimeout: false,
    zeroRttRejected: false,
    statuses: [],
  });
});

test('retry-on all-retryable-errors plus statuses, not cumulative', () => {
  const m = backend('  retry-on conn-failure\n  retry-on all-retryable-errors 404').model;
  assert.ok(m);
  const r = m.backends[0]?.retryOn;
  assert.ok(r);
  assert.equal(r.emptyResponse && r.junkResponse && r.responseTimeout && r.zeroRttRejected, true);
  assert.deepEqual(r.statuses, [404, 500, 502, 503, 504]);
});

test('retry-on rejects unknown keywords and statuses, with the line', () => {
  const r = backend('  retry-on conn-failure 418 bogus');
  assert.equal(r.model, null);
  const alerts = r.diagnostics.filter((d) => d.severity === 'alert');
  assert.deepEqual(
    alerts.map((d) => [d.line, d.message]),
    [
      [3, "'retry-on' : unknown keyword '418'."],
      [3, "'retry-on' : unknown keyword 'bogus'."],
    ],
  );
});

test('retry-on none stands alone; retry-on is not valid in a frontend', () => {
  assert.equal(backend('  retry-on none conn-failure').model, null);
  const fe = compileText('frontend f\n  bind :8080\n  retry-on conn-failure\n', 't.cfg', {});
  assert.ok(fe.diagnostics.some((d) => d.line === 3));
});
