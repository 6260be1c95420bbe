import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compileIpMatcher,
  isIpAddress,
  normalizeAddress,
  parseIPv4,
  parseIPv6,
  parseIpPattern,
  validateIpPattern,
} from '../../../src/util/ip';

test('parseIPv4 accepts dotted quads and rejects everything else', () => {
  assert.equal(parseIPv4('0.0.0.0'), 0);
  assert.equal(parseIPv4('255.255.255.255'), 0xffffffff);
  assert.equal(parseIPv4('10.1.2.3'), 0x0a010203);
  for (const bad of [
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '1.2.3.4 ',
    'a.b.c.d',
    '1..2.3',
    '1.2.3.0004',
    '-1.2.3.4',
  ])
    assert.equal(parseIPv4(bad), -1, bad);
});

test('parseIPv6 handles compression, embedded IPv4, brackets and zones', () => {
  const w = new Uint32Array(4);
  assert.ok(parseIPv6('::1', w));
  assert.deepEqual([...w], [0, 0, 0, 1]);
  assert.ok(parseIPv6('2001:db8::8:800:200c:417a', w));
  assert.deepEqual([...w], [0x20010db8, 0, 0x00080800, 0x200c417a]);
  assert.ok(parseIPv6('::ffff:1.2.3.4', w));
  assert.deepEqual([...w], [0, 0, 0xffff, 0x01020304]);
  assert.ok(parseIPv6('[fe80::1%eth0]', w));
  assert.deepEqual([...w], [0xfe800000, 0, 0, 1]);
  assert.ok(parseIPv6('::', w));
  assert.deepEqual([...w], [0, 0, 0, 0]);
  assert.ok(parseIPv6('1:2:3:4:5:6:7:8', w));
  assert.deepEqual([...w], [0x00010002, 0x00030004, 0x00050006, 0x00070008]);
  for (const bad of [
    '',
    ':',
    ':::',
    '1:2',
    '1::2::3',
    '12345::',
    '1:2:3:4:5:6:7:8:9',
    'g::1',
    '1:',
    '1.2.3.4',
    '::1.2.3',
  ])
    assert.equal(parseIPv6(bad, w), false, bad);
});

test('isIpAddress and validateIpPattern', () => {
  assert.ok(isIpAddress('1.2.3.4'));
  assert.ok(isIpAddress('::1'));
  assert.ok(!isIpAddress('example.com'));
  assert.equal(validateIpPattern('10.0.0.0/8'), null);
  assert.equal(validateIpPattern('10.0.0.0/255.0.0.0'), null);
  assert.equal(validateIpPattern('2001:db8::/32'), null);
  assert.match(validateIpPattern('10.0.0.0/33') ?? '', /not a valid/);
  assert.match(validateIpPattern('10.0.0.0/255.0.255.0') ?? '', /not a valid/);
  assert.match(validateIpPattern('::/129') ?? '', /not a valid/);
  assert.match(validateIpPattern('bogus') ?? '', /not a valid/);
});

test('parseIpPattern turns mapped IPv6 networks into IPv4 ranges', () => {
  assert.deepEqual(parseIpPattern('::ffff:10.0.0.0/104'), {
    family: 4,
    range: { lo: 0x0a000000, hi: 0x0affffff },
  });
});

test('IPv4 CIDR matching, including IPv4-mapped IPv6 addresses', () => {
  const m = compileIpMatcher(['10.0.0.0/8', '192.168.1.1', '172.16.0.0/255.240.0.0']);
  assert.ok(m('10.255.0.1'));
  assert.ok(m('192.168.1.1'));
  assert.ok(!m('192.168.1.2'));
  assert.ok(m('172.31.255.255'));
  assert.ok(!m('172.32.0.0'));
  assert.ok(m('::ffff:10.1.1.1'));
  assert.ok(m('::FFFF:192.168.1.1'));
  assert.ok(!m('::ffff:11.1.1.1'));
  assert.ok(!m('2001:db8::1'));
});

test('IPv6 CIDR matching, and IPv4 addresses against mapped IPv6 patterns', () => {
  const m = compileIpMatcher(['2001:db8::/32', '::1', '::ffff:0:0/96']);
  assert.ok(m('2001:db8:ffff::1'));
  assert.ok(!m('2001:db9::1'));
  assert.ok(m('::1'));
  assert.ok(m('[::1]'));
  assert.ok(m('8.8.8.8'), 'every IPv4 address is in ::ffff:0:0/96');
  const only6 = compileIpMatcher(['fe80::/10']);
  assert.ok(only6('fe80::1'));
  assert.ok(only6('febf::1'));
  assert.ok(!only6('fec0::1'));
  assert.ok(!only6('1.2.3.4'));
});

test('overlapping and adjacent ranges merge; /0 matches everything', () => {
  const m = compileIpMatcher(['10.0.0.0/9', '10.128.0.0/9', '10.64.0.0/10', '9.255.255.255']);
  assert.ok(m('9.255.255.255'));
  assert.ok(m('10.200.0.1'));
  assert.ok(!m('11.0.0.0'));
  assert.ok(compileIpMatcher(['0.0.0.0/0'])('255.255.255.255'));
  assert.ok(compileIpMatcher(['::/0'])('2001::1'));
});

test('bad input never throws and never matches', () => {
  const m = compileIpMatcher(['not-an-ip', '10.0.0.0/8']);
  for (const bad of ['', 'x', '10.0.0', '10.0.0.0.0', ':::', '::ffff:999.1.1.1', '10.0.0.1/8'])
    assert.equal(m(bad), false, bad);
  assert.equal(compileIpMatcher([])('10.0.0.1'), false);
  assert.equal(compileIpMatcher(['garbage'])('10.0.0.1'), false);
});

test('normalizeAddress strips only the IPv4-mapped prefix', () => {
  assert.equal(normalizeAddress('::ffff:1.2.3.4'), '1.2.3.4');
  assert.equal(normalizeAddress('::FFFF:1.2.3.4'), '1.2.3.4');
  assert.equal(normalizeAddress('::ffff:abcd'), '::ffff:abcd');
  assert.equal(normalizeAddress('2001:db8::1'), '2001:db8::1');
  assert.equal(normalizeAddress('1.2.3.4'), '1.2.3.4');
});
