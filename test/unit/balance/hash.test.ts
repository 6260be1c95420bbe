import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { crc32, djb2, fullHash, hashSource, hashString, none, sdbm, wt6 } from '../../../src/balance/hash';
import { CONSISTENT, MAP_SDBM } from './fixtures';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const run = (f: (b: Uint8Array, n: number) => number, s: string): number => f(bytes(s), bytes(s).length);

describe('hash functions', () => {
  it('sdbm is h * 65599 + c in 32 bits', () => {
    assert.equal(run(sdbm, ''), 0);
    assert.equal(run(sdbm, 'a'), 97);
    assert.equal(run(sdbm, 'ab'), 97 * 65599 + 98);
    // long input wraps: compare with BigInt arithmetic
    const s = 'the quick brown fox jumps over the lazy dog';
    let h = 0n;
    for (const c of bytes(s)) h = (h * 65599n + BigInt(c)) % 2n ** 32n;
    assert.equal(run(sdbm, s), Number(h));
  });

  it('djb2 is h * 33 + c from 5381', () => {
    assert.equal(run(djb2, ''), 5381);
    assert.equal(run(djb2, 'a'), 5381 * 33 + 97);
    let h = 5381n;
    for (const c of bytes('0123456789abcdefXYZ')) h = (h * 33n + BigInt(c)) % 2n ** 32n;
    assert.equal(run(djb2, '0123456789abcdefXYZ'), Number(h));
  });

  it('crc32 matches the standard check value', () => {
    assert.equal(run(crc32, '123456789'), 0xcbf43926);
    assert.equal(run(crc32, ''), 0);
  });

  it('wt6 is a 32-bit value that depends on every byte', () => {
    const a = run(wt6, 'www.example.com');
    assert.ok(Number.isInteger(a) && a >= 0 && a < 2 ** 32);
    assert.notEqual(a, run(wt6, 'www.example.con'));
    assert.equal(a, run(wt6, 'www.example.com'));
  });

  it('none reads the key as a decimal integer', () => {
    assert.equal(run(none, '12345'), 12345);
    assert.equal(run(none, '42abc'), 42);
    assert.equal(run(none, String(2 ** 32 + 7)), 7);
    assert.equal(run(none, '-1'), 2 ** 32 - 1);
    assert.equal(run(none, 'abc'), 0);
  });

  it('avalanche spreads adjacent inputs and stays in 32 bits', () => {
    const a = fullHash(1);
    const b = fullHash(2);
    assert.ok(a >= 0 && a < 2 ** 32 && b >= 0 && b < 2 ** 32);
    assert.ok(Math.abs(a - b) > 1_000_000);
    assert.equal(hashString({ method: 'map-based', fn: 'sdbm', avalanche: true }, 'a'), fullHash(97));
  });

  it('hashes keys as UTF-8', () => {
    assert.equal(hashString(MAP_SDBM, 'é'), run(sdbm, 'é'));
    const long = 'x'.repeat(5000) + 'é';
    assert.equal(hashString(MAP_SDBM, long), run(sdbm, long));
  });
});

describe('source address hashing', () => {
  it('uses the IPv4 address as a big-endian word, as HAProxy does', () => {
    assert.equal(hashSource(MAP_SDBM, '10.0.0.1'), 0x0a000001);
    assert.equal(hashSource(MAP_SDBM, '255.255.255.255'), 0xffffffff);
  });

  it('treats IPv4-mapped IPv6 as IPv4', () => {
    assert.equal(hashSource(MAP_SDBM, '::ffff:10.0.0.1'), 0x0a000001);
    assert.equal(hashSource(CONSISTENT, '::FFFF:10.0.0.1'), hashSource(CONSISTENT, '10.0.0.1'));
  });

  it('XORs the four words of an IPv6 address', () => {
    assert.equal(hashSource(MAP_SDBM, '2001:db8::1'), (0x20010db8 ^ 0 ^ 0 ^ 1) >>> 0);
    assert.equal(hashSource(MAP_SDBM, '2001:db8:0:0:0:0:0:1'), hashSource(MAP_SDBM, '2001:db8::1'));
    assert.equal(hashSource(MAP_SDBM, 'fe80::1%eth0'), (0xfe800000 ^ 1) >>> 0);
  });

  it('falls back to the string hash for something that is not an address', () => {
    assert.equal(hashSource(MAP_SDBM, 'not-an-ip'), hashString(MAP_SDBM, 'not-an-ip'));
    assert.equal(hashSource(MAP_SDBM, '1.2.3.400'), hashString(MAP_SDBM, '1.2.3.400'));
  });
});
