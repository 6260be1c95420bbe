import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { growthPct, secondHalfSlopePerHour, slope } from '../../../bench/util/trend';

describe('soak trend', () => {
  it('growth is relative to the baseline', () => {
    assert.equal(growthPct(100, 105), 5);
    assert.equal(growthPct(8, 6), -25);
  });

  it('the slope of a line is its gradient; a flat series has none', () => {
    assert.equal(slope([0, 1, 2, 3], [1, 3, 5, 7]), 2);
    assert.equal(slope([0, 1, 2], [4, 4, 4]), 0);
    assert.equal(slope([1], [5]), 0);
  });

  it('only the second half counts, per hour: an early rise then a plateau is no trend', () => {
    const minutes = [1, 2, 3, 4, 5, 6, 7, 8];
    assert.equal(secondHalfSlopePerHour(minutes, [7.5, 7.7, 7.7, 7.7, 7.7, 7.7, 7.7, 7.7]), 0);
    // +0.1 per minute throughout: 6 per hour
    const rising = minutes.map((m) => 7 + m / 10);
    assert.ok(Math.abs(secondHalfSlopePerHour(minutes, rising) - 6) < 1e-9);
  });
});
