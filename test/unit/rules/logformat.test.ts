import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileLogFormat, logFormatConstant, validateLogFormat } from '../../../src/http/rules';
import { ex } from './helpers';

const e = ex(
  '/a/b?x=1&y=2&x=3',
  ['host', 'example.com', 'x-forwarded-for', '1.1.1.1, 2.2.2.2', 'user-agent', 'UA'],
  {
    method: 'POST',
    src: '10.1.2.3',
    dstPort: 8443,
  },
);

test('literal text and %%', () => {
  assert.equal(compileLogFormat('plain text')(e), 'plain text');
  assert.equal(compileLogFormat('100%% sure')(e), '100% sure');
  assert.equal(compileLogFormat('')(e), '');
});

test('%[fetch] and %[fetch(arg)]', () => {
  const f = (s: string): string => compileLogFormat(s)(e);
  assert.equal(f('%[src]:%[src_port]'), '10.1.2.3:40000');
  assert.equal(f('%[dst_port]'), '8443');
  assert.equal(f('%[method] %[path]'), 'POST /a/b');
  assert.equal(f('%[url]'), '/a/b?x=1&y=2&x=3');
  assert.equal(f('%[query]'), 'x=1&y=2&x=3');
  assert.equal(f('%[url_param(x)]/%[url_param(y)]'), '1/2');
  assert.equal(f('%[hdr(host)]'), 'example.com');
  assert.equal(f('%[req.hdr(Host)]'), 'example.com');
  assert.equal(f('%[hdr(x-forwarded-for)]'), '2.2.2.2', 'last value of the last occurrence');
  assert.equal(f('%[hdr(x-forwarded-for,1)]'), '1.1.1.1');
  assert.equal(f('%[base]'), 'example.com/a/b');
  assert.equal(f('%[hdr(user-agent),lower]'), 'ua');
  assert.equal(f('be_%[hdr(host),upper]'), 'be_EXAMPLE.COM');
});

test('simple aliases', () => {
  assert.equal(
    compileLogFormat('%ci:%cp %fp %HM %HU %HP %HQ %HV')(e),
    '10.1.2.3:40000 8443 POST /a/b?x=1&y=2&x=3 /a/b ?x=1&y=2&x=3 HTTP/1.1',
  );
});

test('missing samples: empty in http mode, "-" in log mode', () => {
  const noq = ex('/p');
  assert.equal(compileLogFormat('[%[hdr(x-none)]][%[url_param(q)]][%[query]]')(noq), '[][][]');
  assert.equal(compileLogFormat('[%[hdr(x-none)]][%[url_param(q)]]', 'log')(noq), '[-][-]');
  assert.equal(compileLogFormat('%[base]')(noq), '/p', 'base without host is the path');
});

test('control characters in samples are %-encoded in http mode', () => {
  const bad = ex('/', ['x-in', 'a\rb\x7fc\td']);
  assert.equal(compileLogFormat('%[hdr(x-in)]')(bad), 'a%0Db%7Fc\td');
});

test('validation errors', () => {
  assert.equal(validateLogFormat('%[src] %ci %% ok'), null);
  assert.match(validateLogFormat('%[nope]') ?? '', /unsupported sample fetch 'nope'/);
  assert.match(validateLogFormat('%[src') ?? '', /missing '\]'/);
  assert.match(validateLogFormat('%[hdr]') ?? '', /expects 1 to 2 argument/);
  assert.match(validateLogFormat('%[src(x)]') ?? '', /takes no argument/);
  assert.match(validateLogFormat('%[url_param()]') ?? '', /expects 1 argument/);
  assert.match(validateLogFormat('%[hdr(host),base64]') ?? '', /unsupported converter 'base64'/);
  assert.match(validateLogFormat('%[hdr(host,x)]') ?? '', /occurrence/);
  assert.match(validateLogFormat('%Zz') ?? '', /unsupported log-format alias '%Zz'/);
  assert.match(validateLogFormat('%{+Q}[src]') ?? '', /flags/);
  assert.match(validateLogFormat('50%') ?? '', /unexpected character after '%'/);
  assert.match(validateLogFormat('%[a b]') ?? '', /malformed/);
  assert.throws(() => compileLogFormat('%[nope]'), /invalid log-format/);
});

test('logFormatConstant', () => {
  assert.equal(logFormatConstant('abc'), 'abc');
  assert.equal(logFormatConstant('a%%b'), 'a%b');
  assert.equal(logFormatConstant(''), '');
  assert.equal(logFormatConstant('%[src]'), null);
  assert.equal(logFormatConstant('%[bad'), null);
});
