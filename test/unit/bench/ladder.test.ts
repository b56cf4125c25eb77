// The rate ladder's rules (bench/lib/ladder.ts): which rate passes, when a third run is skipped,
// the refinement rate and the latency runs' rate — the rules RESULTS.md's headline ratio rests on.
import { describe, expect, it } from 'vitest';
import { DROP_LIMIT, latencyRate, moreRunsNeeded, rateVerdict, refinementRate } from '../../../bench/lib/ladder.js';

describe('rate ladder rules', () => {
  it('a rate passes when the median of its runs\' drop rates is at most 2.5 % (ISC)', () => {
    expect(DROP_LIMIT).toBe(2.5);
    expect(rateVerdict([0.1, 9.0, 2.5])).toEqual({ medianDrop: 2.5, pass: true });
    expect(rateVerdict([2.6, 0, 3.0])).toEqual({ medianDrop: 2.6, pass: false });
    // One bad run among three does not fail a rate; two do.
    expect(rateVerdict([0, 40, 0]).pass).toBe(true);
    expect(rateVerdict([40, 0, 40]).pass).toBe(false);
    // Two agreeing runs (the third skipped) decide alike.
    expect(rateVerdict([1, 2]).pass).toBe(true);
    expect(rateVerdict([3, 30]).pass).toBe(false);
    expect(rateVerdict([]).pass).toBe(false);
  });

  it('the third run is skipped exactly when the first two agree; a quick ladder runs once', () => {
    expect(moreRunsNeeded([], 3)).toBe(true);
    expect(moreRunsNeeded([5], 3)).toBe(true);
    expect(moreRunsNeeded([0.5, 2.5], 3)).toBe(false);
    expect(moreRunsNeeded([3, 50], 3)).toBe(false);
    expect(moreRunsNeeded([2.5, 2.6], 3)).toBe(true);
    expect(moreRunsNeeded([0, 0, 0], 3)).toBe(false);
    expect(moreRunsNeeded([], 1)).toBe(true);
    expect(moreRunsNeeded([9], 1)).toBe(false);
    // Whatever the third run gives, the skipped case's verdict is the one the two runs agree on.
    for (const third of [0, 2.5, 2.6, 100]) {
      expect(rateVerdict([0.5, 2.5, third]).pass).toBe(true);
      expect(rateVerdict([3, 50, third]).pass).toBe(false);
    }
  });

  it('one refinement rate between last pass and first fail, rounded to 100/s, never a rate already measured', () => {
    expect(refinementRate(4000, 6000)).toBe(5000);
    expect(refinementRate(3000, 4000)).toBe(3500);
    expect(refinementRate(4000, 4500)).toBeUndefined(); // within 15 %
    expect(refinementRate(200, 250)).toBeUndefined(); // the rounded middle would be 200 again
    expect(refinementRate(undefined, 4000)).toBeUndefined();
    expect(refinementRate(8000, undefined)).toBeUndefined();
  });

  it('latency runs at half the maximum, in steps of 50/s, at least 50/s', () => {
    expect(latencyRate(5000, 1000)).toBe(2500);
    expect(latencyRate(3500, 1000)).toBe(1750);
    expect(latencyRate(200, 100)).toBe(100);
    expect(latencyRate(0, 100)).toBe(50);
    expect(latencyRate(0, 1000)).toBe(500);
  });
});
