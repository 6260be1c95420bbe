import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SlotSet } from '../../../src/util/slot-set';

interface Item {
  id: number;
  slot: number;
  other: number;
}

const make = (): SlotSet<Item> =>
  new SlotSet<Item>(
    (i) => i.slot,
    (i, s) => (i.slot = s),
  );

test('slot set: add, delete and membership behave as a Set over any sequence of operations', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 15 })), { maxLength: 200 }),
      (ops) => {
        const items = Array.from({ length: 16 }, (_, id) => ({ id, slot: -1, other: -1 }));
        const set = make();
        const ref = new Set<Item>();
        for (const [add, n] of ops) {
          const it = items[n] as Item;
          if (add) {
            set.add(it);
            ref.add(it);
          } else assert.equal(set.delete(it), ref.delete(it));
          assert.equal(set.size, ref.size);
        }
        for (const it of items) assert.equal(set.has(it), ref.has(it));
        assert.deepEqual(new Set(set.snapshot()), ref);
      },
    ),
  );
});

test('slot set: a member of one set is not a member of another using the same slot field', () => {
  const a = make();
  const b = make();
  const x = { id: 1, slot: -1, other: -1 };
  const y = { id: 2, slot: -1, other: -1 };
  a.add(x);
  b.add(y);
  assert.equal(b.has(x), false);
  assert.equal(b.delete(x), false);
  assert.equal(a.has(x), true);
  // moved: out of a, into b (a redispatched session changes servers this way)
  assert.equal(a.delete(x), true);
  b.add(x);
  assert.deepEqual(new Set(b.snapshot()), new Set([x, y]));
});

test('slot set: the snapshot stays valid while members leave', () => {
  const s = make();
  const items = Array.from({ length: 5 }, (_, id) => ({ id, slot: -1, other: -1 }));
  for (const it of items) s.add(it);
  for (const it of s.snapshot()) s.delete(it);
  assert.equal(s.size, 0);
});
