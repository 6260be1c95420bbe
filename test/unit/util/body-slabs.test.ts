// The slab pool the fronts copy body chunks into: a released slab serves the next chunk of its
// size class, and the pool keeps at most 16 MiB of free slabs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freeSlabBytes, releaseSlab, takeSlab } from '../../../src/http/fronts/body-slabs';

const KiB = 1024;

test('a released slab is handed out again for a chunk of its size class', () => {
  const a = takeSlab(100 * KiB);
  assert.equal(a.length, 128 * KiB);
  releaseSlab(a);
  assert.equal(takeSlab(65 * KiB), a);
  releaseSlab(a);
  // another class does not get it
  const b = takeSlab(200 * KiB);
  assert.notEqual(b, a);
  assert.equal(b.length, 256 * KiB);
  assert.equal(takeSlab(128 * KiB), a);
});

test('small chunks share the 16 KiB class; chunks over 512 KiB get a buffer of their own', () => {
  assert.equal(takeSlab(1).length, 16 * KiB);
  assert.equal(takeSlab(0).length, 16 * KiB);
  assert.equal(takeSlab(512 * KiB).length, 512 * KiB);
  const big = takeSlab(600 * KiB);
  assert.equal(big.length, 600 * KiB);
  const before = freeSlabBytes();
  releaseSlab(big);
  assert.equal(freeSlabBytes(), before, 'an oversized buffer is not pooled');
});

test('the pool keeps at most 16 MiB of free slabs', () => {
  const lent = Array.from({ length: 40 }, () => takeSlab(512 * KiB));
  for (const slab of lent) releaseSlab(slab);
  assert.equal(freeSlabBytes(), 16 * 1024 * KiB);
  // what the pool did not keep is freed at once where ArrayBuffer.prototype.transfer exists
  const dropped = lent.filter((slab) => slab.buffer.byteLength === 0).length;
  const canFree = typeof (ArrayBuffer.prototype as { transfer?: unknown }).transfer === 'function';
  assert.equal(dropped, canFree ? 40 - 32 : 0);
});
