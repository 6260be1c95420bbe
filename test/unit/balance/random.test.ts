import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createBalancer } from '../../../src/balance';
import { MAP_SDBM, model, mulberry32, servers } from './fixtures';

const NO_KEY = { key: null, avoid: -1 } as const;

describe('random', () => {
  it('with two draws, keeps connections more even than a single draw', () => {
    const spread = (draws: number): number => {
      const set = servers([1, 1, 1, 1, 1, 1, 1, 1]);
      const b = createBalancer(model({ algorithm: 'random', draws }), MAP_SDBM, set, mulberry32(17));
      for (let i = 0; i < 800; i++) set[b.pick(NO_KEY)]!.conns++;
      const c = set.map((s) => s.conns);
      return Math.max(...c) - Math.min(...c);
    };
    const one = spread(1);
    const two = spread(2);
    assert.ok(two < one, `draws=2 spread ${two}, draws=1 spread ${one}`);
    assert.ok(two <= 4, `draws=2 spread ${two}`);
  });

  it('uses the injected randomness', () => {
    const set = servers([1, 1, 1, 1]);
    const a = createBalancer(model({ algorithm: 'random', draws: 1 }), MAP_SDBM, set, () => 0);
    const z = createBalancer(model({ algorithm: 'random', draws: 1 }), MAP_SDBM, set, () => 0.999999);
    assert.equal(a.pick(NO_KEY), 0);
    assert.equal(z.pick(NO_KEY), 3);
  });

  it('treats a missing draw count as the default of 2', () => {
    const set = servers([1, 1], [{ conns: 10 }]);
    const seq = [0.1, 0.9];
    let i = 0;
    const b = createBalancer(model({ algorithm: 'random', draws: 0 }), MAP_SDBM, set, () => seq[i++ % 2]!);
    // draws server 0 then server 1; the second is less loaded
    assert.equal(b.pick(NO_KEY), 1);
  });
});
