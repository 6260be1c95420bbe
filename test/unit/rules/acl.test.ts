import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileAclTerm, validateAclTerm } from '../../../src/http/rules';
import { ex, term } from './helpers';

const m = (t: ReturnType<typeof term>, e: ReturnType<typeof ex>): boolean => compileAclTerm(t)(e);

test('path with str/beg/end/sub/reg/dir/dom/len/found', () => {
  const e = ex('/static/img/logo.PNG?x=1');
  assert.ok(m(term('path', 'str', ['/static/img/logo.PNG']), e));
  assert.ok(!m(term('path', 'str', ['/static/img/logo.png']), e));
  assert.ok(m(term('path', 'str', ['/static/img/logo.png'], { i: true }), e));
  assert.ok(m(term('path', 'beg', ['/api', '/static']), e));
  assert.ok(!m(term('path', 'beg', ['/STATIC']), e));
  assert.ok(m(term('path', 'beg', ['/STATIC'], { i: true }), e));
  assert.ok(m(term('path', 'end', ['.png'], { i: true }), e));
  assert.ok(!m(term('path', 'end', ['.png']), e));
  assert.ok(m(term('path', 'sub', ['img/']), e));
  assert.ok(m(term('path', 'reg', ['^/static/.*\\.png$'], { i: true }), e));
  assert.ok(!m(term('path', 'reg', ['^/static/.*\\.png$']), e));
  assert.ok(m(term('path', 'dir', ['img']), e));
  assert.ok(m(term('path', 'dir', ['/static/img/']), e));
  assert.ok(!m(term('path', 'dir', ['im']), e));
  assert.ok(!m(term('path', 'dir', ['IMG']), e));
  assert.ok(m(term('path', 'dir', ['IMG'], { i: true }), e));
  assert.ok(m(term('path', 'len', ['20']), e));
  assert.ok(m(term('path', 'len', ['gt 10']), e));
  assert.ok(!m(term('path', 'len', ['lt 10']), e));
  assert.ok(m(term('path', 'found', []), e));
});

test('url and query', () => {
  const e = ex('/a?b=1&c=2');
  assert.ok(m(term('url', 'str', ['/a?b=1&c=2']), e));
  assert.ok(m(term('url', 'sub', ['c=2']), e));
  assert.ok(m(term('query', 'str', ['b=1&c=2']), e));
  assert.ok(m(term('query', 'beg', ['B=1'], { i: true }), e));
  assert.ok(m(term('query', 'found', []), e));
  assert.ok(!m(term('query', 'found', []), ex('/a')));
  assert.ok(m(term('query', 'found', []), ex('/a?')));
  assert.ok(m(term('query', 'len', ['0']), ex('/a?')));
});

test('url_param iterates every occurrence and needs a "="', () => {
  const e = ex('/p?id=7&tag=a&tag=B&flag&empty=');
  assert.ok(m(term('url_param', 'str', ['7'], { arg: 'id' }), e));
  assert.ok(m(term('url_param', 'str', ['B'], { arg: 'tag' }), e));
  assert.ok(m(term('url_param', 'str', ['b'], { arg: 'tag', i: true }), e));
  assert.ok(!m(term('url_param', 'str', ['b'], { arg: 'tag' }), e));
  assert.ok(m(term('url_param', 'int', ['5:10'], { arg: 'id' }), e));
  assert.ok(!m(term('url_param', 'found', [], { arg: 'flag' }), e));
  assert.ok(m(term('url_param', 'found', [], { arg: 'empty' }), e));
  assert.ok(!m(term('url_param', 'found', [], { arg: 'i' }), e), 'prefix of a name is not the name');
  assert.ok(!m(term('url_param', 'found', [], { arg: 'id' }), ex('/p')));
});

test('hdr iterates all comma-separated values of all occurrences', () => {
  const e = ex('/', [
    'x-forwarded-for',
    '10.0.0.1, 10.0.0.2',
    'accept',
    'text/html',
    'x-forwarded-for',
    '172.16.0.9',
  ]);
  assert.ok(m(term('hdr', 'str', ['10.0.0.2'], { arg: 'x-forwarded-for' }), e));
  assert.ok(m(term('hdr', 'str', ['172.16.0.9'], { arg: 'x-forwarded-for' }), e));
  assert.ok(m(term('hdr', 'ip', ['10.0.0.0/8'], { arg: 'x-forwarded-for' }), e));
  assert.ok(!m(term('hdr', 'str', ['10.0.0.1, 10.0.0.2'], { arg: 'x-forwarded-for' }), e));
  assert.ok(m(term('hdr', 'found', [], { arg: 'accept' }), e));
  assert.ok(!m(term('hdr', 'found', [], { arg: 'cookie' }), e));
  assert.ok(m(term('hdr', 'str', ['text/html'], { arg: 'ACCEPT' }), e), 'header name is case-insensitive');
  assert.ok(m(term('hdr', 'str', ['text/html']), e), 'no name: every header');
  const q = ex('/', ['x-list', '"a,b", c']);
  assert.ok(m(term('hdr', 'str', ['"a,b"'], { arg: 'x-list' }), q), 'quoted commas do not split');
});

test('hdr(host) virtual hosting with dom/end/beg and -i', () => {
  const e = ex('/', ['host', 'WWW.Example.com:8443']);
  assert.ok(m(term('hdr', 'dom', ['example.com'], { arg: 'host', i: true }), e));
  assert.ok(!m(term('hdr', 'dom', ['example.com'], { arg: 'host' }), e));
  assert.ok(m(term('hdr', 'dom', ['www'], { arg: 'host', i: true }), e));
  assert.ok(!m(term('hdr', 'dom', ['ample.com'], { arg: 'host', i: true }), e));
  assert.ok(m(term('hdr', 'beg', ['www.'], { arg: 'host', i: true }), e));
  assert.ok(m(term('hdr', 'end', [':8443'], { arg: 'host' }), e));
  assert.ok(m(term('hdr', 'str', ['www.example.com:8443'], { arg: 'host', i: true }), e));
  assert.ok(m(term('hdr', 'reg', ['^www\\.example\\.com(:\\d+)?$'], { arg: 'host', i: true }), e));
  assert.ok(m(term('hdr', 'len', ['20']), e));
});

test('method is case-sensitive unless -i', () => {
  assert.ok(m(term('method', 'str', ['GET', 'HEAD']), ex('/', [], { method: 'HEAD' })));
  assert.ok(!m(term('method', 'str', ['get']), ex('/')));
  assert.ok(m(term('method', 'str', ['get'], { i: true }), ex('/')));
  assert.ok(m(term('method', 'beg', ['PO']), ex('/', [], { method: 'POST' })));
});

test('src with ip (v4, v6, mapped, CIDR) and bad addresses', () => {
  const t = term('src', 'ip', ['10.0.0.0/8', '2001:db8::/32', '127.0.0.1']);
  assert.ok(m(t, ex('/', [], { src: '10.2.3.4' })));
  assert.ok(m(t, ex('/', [], { src: '::ffff:10.2.3.4' })));
  assert.ok(m(t, ex('/', [], { src: '2001:db8::5' })));
  assert.ok(m(t, ex('/', [], { src: '127.0.0.1' })));
  assert.ok(!m(t, ex('/', [], { src: '11.0.0.1' })));
  assert.ok(!m(t, ex('/', [], { src: 'garbage' })));
  assert.ok(!m(t, ex('/', [], { src: '' })));
  assert.ok(m(term('src', 'str', ['192.0.2.10']), ex('/')));
});

test('dst_port with int operators and ranges', () => {
  const at = (port: number, ...p: string[]): boolean =>
    m(term('dst_port', 'int', p), ex('/', [], { dstPort: port }));
  assert.ok(at(443, '443'));
  assert.ok(at(443, 'eq 443'));
  assert.ok(!at(444, 'eq 443'));
  assert.ok(at(443, 'ge 443') && !at(442, 'ge 443'));
  assert.ok(at(444, 'gt 443') && !at(443, 'gt 443'));
  assert.ok(at(443, 'le 443') && !at(444, 'le 443'));
  assert.ok(at(442, 'lt 443') && !at(443, 'lt 443'));
  assert.ok(at(8080, '8000:8999') && !at(9000, '8000:8999'));
  assert.ok(at(1, ':1024') && at(65535, '1024:'));
  assert.ok(at(80, '443', '80'));
  assert.ok(m(term('dst_port', 'str', ['8080']), ex('/')));
});

test('req_ver and always_true/false', () => {
  assert.ok(m(term('req_ver', 'str', ['1.0']), ex('/', [], { version: '1.0' })));
  assert.ok(!m(term('req_ver', 'str', ['1.0']), ex('/')));
  assert.ok(m(term('always_true', 'found', []), ex('/')));
  assert.ok(!m(term('always_false', 'found', []), ex('/')));
});

test('int match on string samples casts like HAProxy', () => {
  const e = ex('/', ['content-length', '1500', 'x-bad', 'abc']);
  assert.ok(m(term('hdr', 'int', ['gt 1024'], { arg: 'content-length' }), e));
  assert.ok(m(term('hdr', 'int', ['0'], { arg: 'x-bad' }), e));
});

test('no patterns never match, invalid patterns never match and are reported', () => {
  assert.ok(!m(term('path', 'str', []), ex('/')));
  assert.ok(!m(term('path', 'reg', ['(']), ex('/(')));
  assert.match(validateAclTerm(term('path', 'reg', ['('])) ?? '', /invalid regex/);
  assert.match(validateAclTerm(term('src', 'ip', ['10.0.0.0/40'])) ?? '', /not a valid/);
  assert.match(validateAclTerm(term('dst_port', 'int', ['ge'])) ?? '', /not a valid integer/);
  assert.match(validateAclTerm(term('url_param', 'found', [])) ?? '', /parameter name/);
  assert.equal(validateAclTerm(term('dst_port', 'int', ['eq 3', '3:5', ':5', '3:'])), null);
});
