import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createBalancer } from '../../../src/balance';
import { MAP_SDBM, model, servers, shares } from './fixtures';

const pickN = (b: { pick: (c: { key: null; avoid: number }) => number }, n: number): number[] =>
  Array.from({ length: n }, () => b.pick({ key: null, avoid: -1 }));

describe('roundrobin', () => {
  it('interleaves smoothly: weights 5:1:1 give a,a,b,a,c,a,a (nginx order), not a burst', () => {
    const b = createBalancer(model({ algorithm: 'roundrobin' }), MAP_SDBM, servers([5, 1, 1]), Math.random);
    assert.equal(
      pickN(b, 14)
        .map((i) => 'abc'[i])
        .join(''),
      'aabacaaaabacaa',
    );
  });

  it('spreads 3:1 so the light server comes before the heavy one is done', () => {
    const b = createBalancer(model({ algorithm: 'roundrobin' }), MAP_SDBM, servers([3, 1]), Math.random);
    assert.notDeepEqual(pickN(b, 4), [0, 0, 0, 1]);
  });

  it('follows a runtime weight change', () => {
    const set = servers([1, 1]);
    const b = createBalancer(model({ algorithm: 'roundrobin' }), MAP_SDBM, set, Math.random);
    assert.deepEqual(shares(pickN(b, 1000), 2), [0.5, 0.5]);
    set[1]!.weight = 3;
    b.update();
    assert.deepEqual(shares(pickN(b, 1000), 2), [0.25, 0.75]);
  });
});

describe('static-rr', () => {
  it('keeps the weights it was created with when they change at runtime', () => {
    const set = servers([1, 1]);
    const b = createBalancer(model({ algorithm: 'static-rr' }), MAP_SDBM, set, Math.random);
    set[1]!.weight = 3;
    b.update();
    assert.deepEqual(shares(pickN(b, 1000), 2), [0.5, 0.5]);
  });

  it('still drops a server whose weight is set to 0', () => {
    const set = servers([2, 1]);
    const b = createBalancer(model({ algorithm: 'static-rr' }), MAP_SDBM, set, Math.random);
    set[0]!.weight = 0;
    set[0]!.usable = false;
    b.update();
    assert.deepEqual(new Set(pickN(b, 100)), new Set([1]));
  });
});
