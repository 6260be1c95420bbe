import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileAccessLogFormat, validateAccessLogFormat } from '../../../src/log/format';
import { LogEntry } from '../../../src/log/entry';
import { escapeLog } from '../../../src/log/escape';
import { httpJson, tcpJson } from '../../../src/log/json';
import { logDate } from '../../../src/log/dates';
import { Exchange } from '../../../src/http/exchange';
import { HTTPLOG_FORMAT, TCPLOG_FORMAT } from '../../../src/config/model';

function entry(over: Partial<LogEntry> = {}): LogEntry {
  const e = new LogEntry();
  e.ex = new Exchange('GET', '/index.html', '1.1', [], '10.0.1.2', 33317, 80, 'http-in', false);
  Object.assign(e, {
    ci: '10.0.1.2',
    cp: 33317,
    ft: 'http-in',
    b: 'static',
    s: 'srv1',
    date: Date.UTC(2009, 1, 6, 12, 14, 14, 655),
    TR: 10,
    Tw: 0,
    Tc: 30,
    Tr: 69,
    Ta: 109,
    Tt: 109,
    ST: 200,
    B: 2750,
    ts: '--',
    ac: 1,
    fc: 1,
    bc: 1,
    sc: 1,
    rc: 0,
    ...over,
  });
  return e;
}

test('option httplog prints HAProxy’s line; empty captures take their separator with them', () => {
  const e = entry();
  const line = compileAccessLogFormat(HTTPLOG_FORMAT)(e);
  assert.equal(
    line,
    `10.0.1.2:33317 [${logDate(e.date)}] http-in static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 "GET /index.html HTTP/1.1"`,
  );
});

test('option tcplog prints HAProxy’s TCP line', () => {
  const e = entry({
    http: false,
    TR: -1,
    Tr: -1,
    Tt: 5012,
    Tw: 1,
    Tc: 2,
    B: 4096,
    ts: 'cD',
    rc: 2,
    redispatched: true,
  });
  assert.equal(
    compileAccessLogFormat(TCPLOG_FORMAT)(e),
    `10.0.1.2:33317 [${logDate(e.date)}] http-in static/srv1 1/2/5012 4096 cD 1/1/1/1/+2 0/0`,
  );
});

test('request bytes are #XX-encoded: a forged line or quote cannot escape the field', () => {
  const e = entry();
  e.ex = new Exchange('GET', '/a"b\n#c\x7f\u00e9', '1.1', [], '10.0.1.2', 1, 80, 'fe', false);
  const line = compileAccessLogFormat('%{+Q}r %HU')(e);
  assert.equal(line, '"GET /a#22b#0A#23c#7F#E9 HTTP/1.1" /a#22b#0A#23c#7F#E9');
  assert.ok(!line.includes('\n'));
  assert.equal(escapeLog('\u20ac'), '#E2#82#AC');
  assert.equal(escapeLog('plain/ascii?x=1'), 'plain/ascii?x=1');
});

test('samples, %% and quoting; a missing sample prints "-"', () => {
  const e = entry();
  e.ex = new Exchange(
    'GET',
    '/p?x=1',
    '1.1',
    ['host', 'a\tb', 'user-agent', 'curl'],
    '10.0.1.2',
    1,
    80,
    'fe',
    false,
  );
  const f = compileAccessLogFormat('%[hdr(host)] %{+Q}[hdr(user-agent)] %[hdr(none)] 100%% %{+Q}b %ST');
  assert.equal(f(e), 'a#09b "curl" - 100% "static" 200');
});

test('separators collapse and trim, literal text stays', () => {
  const f = compileAccessLogFormat('  a   %ST  %hr  %hs  b:%B  ');
  assert.equal(f(entry()), 'a 200 b:2750');
});

test('invalid or unsupported formats are reported', () => {
  assert.equal(validateAccessLogFormat(HTTPLOG_FORMAT), null);
  assert.equal(validateAccessLogFormat(TCPLOG_FORMAT), null);
  assert.match(validateAccessLogFormat('%ZZ') ?? '', /unsupported log-format variable '%ZZ'/);
  assert.match(validateAccessLogFormat('%{+Z}r') ?? '', /flag '\+Z'/);
  assert.match(validateAccessLogFormat('%[nope]') ?? '', /unsupported sample fetch/);
  assert.match(validateAccessLogFormat('%[src') ?? '', /missing '\]'/);
  assert.match(validateAccessLogFormat('50% off') ?? '', /unexpected character/);
});

test('JSON lines parse back, whatever the request bytes', () => {
  const e = entry({ ts: 'sH', ST: 504 });
  e.ex = new Exchange('GET', '/x"\\\n\u0000', '1.0', [], '::1', 5, 80, 'fe', false);
  const v = JSON.parse(httpJson(e)) as Record<string, unknown>;
  assert.equal(v.r, 'GET /x"\\\n\u0000 HTTP/1.0');
  assert.equal(v.tsc, 'sH--');
  assert.equal(v.ST, 504);
  assert.equal(v.t, '2009-02-06T12:14:14.655Z');
  assert.deepEqual(Object.keys(v), [
    't',
    'ci',
    'cp',
    'ft',
    'b',
    's',
    'Tq',
    'Tw',
    'Tc',
    'Tr',
    'Ta',
    'Tt',
    'ST',
    'B',
    'U',
    'tsc',
    'ac',
    'fc',
    'bc',
    'sc',
    'rc',
    'sq',
    'bq',
    'r',
  ]);
  const t = JSON.parse(tcpJson(entry({ http: false, ts: 'SC', s: '<NOSRV>' }))) as Record<string, unknown>;
  assert.equal(t.ts, 'SC');
  assert.equal(t.s, '<NOSRV>');
});
