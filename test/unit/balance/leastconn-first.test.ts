import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createBalancer } from '../../../src/balance';
import { MAP_SDBM, model, servers } from './fixtures';

const NO_KEY = { key: null, avoid: -1 } as const;

describe('leastconn', () => {
  it('picks the least loaded server', () => {
    const set = servers([1, 1, 1], [{ conns: 5 }, { conns: 1 }, { conns: 3 }]);
    const b = createBalancer(model({ algorithm: 'leastconn' }), MAP_SDBM, set, Math.random);
    assert.equal(b.pick(NO_KEY), 1);
  });

  it('compares load per weight unit', () => {
    // (4+1)/4 = 1.25 beats (2+1)/1 = 3 although it has more connections
    const set = servers([4, 1], [{ conns: 4 }, { conns: 2 }]);
    const b = createBalancer(model({ algorithm: 'leastconn' }), MAP_SDBM, set, Math.random);
    assert.equal(b.pick(NO_KEY), 0);
  });

  it('balances connections as they are taken and released', () => {
    const set = servers([1, 1, 1]);
    const b = createBalancer(model({ algorithm: 'leastconn' }), MAP_SDBM, set, Math.random);
    for (let i = 0; i < 9; i++) set[b.pick(NO_KEY)]!.conns++;
    assert.deepEqual(
      set.map((s) => s.conns),
      [3, 3, 3],
    );
    set[2]!.conns = 0;
    assert.equal(b.pick(NO_KEY), 2);
  });

  it('rotates among equally loaded servers', () => {
    const b = createBalancer(model({ algorithm: 'leastconn' }), MAP_SDBM, servers([1, 1, 1]), Math.random);
    const got = Array.from({ length: 6 }, () => b.pick(NO_KEY));
    assert.deepEqual(got, [0, 1, 2, 0, 1, 2]);
  });
});

describe('first', () => {
  it('fills servers in id order up to their maxconn', () => {
    const set = servers(
      [1, 1, 1],
      [
        { id: 3, maxconn: 2 },
        { id: 1, maxconn: 2 },
        { id: 2, maxconn: 2 },
      ],
    );
    const b = createBalancer(model({ algorithm: 'first' }), MAP_SDBM, set, Math.random);
    const got: number[] = [];
    for (let i = 0; i < 7; i++) {
      const idx = b.pick(NO_KEY);
      got.push(idx);
      if (idx >= 0) set[idx]!.conns++;
    }
    assert.deepEqual(got, [1, 1, 2, 2, 0, 0, -1]);
    set[2]!.conns--;
    assert.equal(b.pick(NO_KEY), 2);
  });

  it('ignores weights other than 0', () => {
    const set = servers([1, 100]);
    const b = createBalancer(model({ algorithm: 'first' }), MAP_SDBM, set, Math.random);
    assert.equal(b.pick(NO_KEY), 0);
  });
});
