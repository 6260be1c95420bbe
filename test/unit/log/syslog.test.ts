import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accessSeverity, framer, priority } from '../../../src/log/syslog';
import { rfc3164Date, isoLocal } from '../../../src/log/dates';
import type { LogTarget } from '../../../src/config/model';

function target(over: Partial<LogTarget> = {}): LogTarget {
  return {
    target: 'stdout',
    kind: 'stdout',
    host: null,
    port: null,
    path: null,
    format: 'rfc3164',
    facility: 'local0',
    level: null,
    minLevel: null,
    len: 1024,
    origin: { file: 't', line: 1 },
    ...over,
  };
}

const NOW = Date.UTC(2024, 0, 5, 9, 3, 7, 42);

test('PRI is facility * 8 + severity; access logs are info', () => {
  assert.equal(priority(target(), 6), 134);
  assert.equal(priority(target({ facility: 'local7' }), 6), 190);
  assert.equal(priority(target({ facility: 'daemon' }), 6), 30);
  assert.equal(accessSeverity(target()), 6);
  // a target that only takes notice and worse gets no traffic logs, as in HAProxy
  assert.equal(accessSeverity(target({ level: 'notice' })), null);
  assert.equal(accessSeverity(target({ level: 'info' })), 6);
  assert.equal(accessSeverity(target({ level: 'debug', minLevel: 'notice' })), 5);
});

test('rfc3164: <PRI>Mmm dd hh:mm:ss host tag[pid]: msg', () => {
  const f = framer(target(), 6, false, 'lb1', 42);
  const line = f('hello', NOW);
  assert.equal(line, `<134>${rfc3164Date(NOW)} lb1 sluice[42]: hello`);
  assert.match(line, /^<134>[A-Z][a-z]{2} [ 1-3]\d \d\d:\d\d:\d\d lb1 sluice\[42\]: hello$/);
});

test('rfc5424: <PRI>1 ISO host tag pid - - msg', () => {
  const line = framer(target({ format: 'rfc5424' }), 6, false, 'lb1', 42)('hello', NOW);
  assert.equal(line, `<134>1 ${isoLocal(NOW)} lb1 sluice 42 - - hello`);
  assert.match(line, /^<134>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.042[+-]\d\d:\d\d lb1 sluice 42 - - hello$/);
});

test('raw, short, json; len truncates', () => {
  assert.equal(framer(target({ format: 'raw' }), 6, false)('m', NOW), 'm');
  assert.equal(framer(target({ format: 'short' }), 6, false)('m', NOW), '<134>m');
  assert.equal(framer(target({ format: 'json' }), 6, true)('{"a":1}', NOW), '{"a":1}');
  const wrapped = JSON.parse(framer(target({ format: 'json' }), 6, false, 'h', 7)('a "b"', NOW)) as Record<
    string,
    unknown
  >;
  assert.equal(wrapped.msg, 'a "b"');
  assert.equal(wrapped.pid, 7);
  assert.equal(framer(target({ format: 'raw', len: 80 }), 6, false)('x'.repeat(200), NOW).length, 80);
});
