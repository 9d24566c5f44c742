// The rural bench's verdict « never worse than bare WebRTC » (tests/bench/rural/metrics.ts): a figure is worse only when
// the difference of means is unlikely to come from the calls' own spread (exact one-sided permutation test), the
// figures of a profile being asked together (Holm's correction).
import { describe, expect, it } from 'vitest';
import { compare, compareAll, holm, pWorse } from '../../../bench/rural/metrics.js';

describe('pWorse, the exact permutation test', () => {
  it('gives 1 when both groups hold the same values', () => {
    expect(pWorse([1, 1, 1], [1, 1, 1], 1)).toBe(1);
  });

  it('gives one split in C(8,4) = 70 when every value of one group is worse than every value of the other', () => {
    expect(pWorse([10, 11, 12, 13], [1, 2, 3, 4], 1)).toBeCloseTo(1 / 70, 12);
    // Lower is worse for frames per second: the same groups the other way round.
    expect(pWorse([1, 2, 3, 4], [10, 11, 12, 13], -1)).toBeCloseTo(1 / 70, 12);
  });

  it('counts ties as « as bad »: two groups of one value each give 1/2', () => {
    expect(pWorse([2], [1], 1)).toBe(0.5);
  });

  it('samples splits beyond 20 values, with the same answer every time', () => {
    const worse = Array.from({ length: 11 }, (_, i) => 20 + i);
    const good = Array.from({ length: 11 }, (_, i) => i);
    const p = pWorse(worse, good, 1);
    expect(p).toBeLessThan(0.001);
    expect(pWorse(worse, good, 1)).toBe(p);
  });

  it('says nothing of empty groups', () => {
    expect(pWorse([], [1], 1)).toBeNaN();
  });
});

describe('compare, Relais against the bare call', () => {
  it('is « better-or-equal » when the mean is as good, whatever the spread', () => {
    expect(compare([0.1, 0.2], [0.1, 0.2], 1).verdict).toBe('better-or-equal');
    expect(compare([15, 15], [14.8, 15], -1).verdict).toBe('better-or-equal');
  });

  it('is « within-noise » when a small difference is well inside the calls’ own spread', () => {
    const r = compare([0.3, 0, 0.6, 0.1, 0.2, 0, 0.9, 0.3], [0.2, 0.1, 0.4, 0, 0.3, 0, 0.6, 0.2], 1);
    expect(r.verdict).toBe('within-noise');
    expect(r.p).toBeGreaterThan(0.2);
  });

  it('is « worse » when the difference is systematic', () => {
    const r = compare([2.1, 2.3, 2.2, 2.4, 2.0, 2.5, 2.2, 2.3], [1.0, 1.1, 0.9, 1.2, 1.0, 0.8, 1.1, 1.0], 1);
    expect(r.verdict).toBe('worse');
    expect(r.p).toBeCloseTo(1 / 12_870, 12);
  });
});

describe('holm, the correction for asking several figures at once', () => {
  it('keeps a p-value significant only under alpha divided by the number of tests still standing', () => {
    // Thresholds for 4 tests: 0.0125, then 0.0167, then 0.025, then 0.05.
    expect(holm([0.01, 0.015, 0.02, 0.04])).toEqual([true, true, true, true]);
    expect(holm([0.04, 0.01, 0.3, 0.015])).toEqual([false, true, false, true]);
    // One p of 0.047 among nine figures is what chance gives: not significant.
    expect(holm([0.047, 1, 1, 0.5, 0.16, 1, 0.5, 0.05, 1])).toEqual(Array(9).fill(false));
    // Stops at the first that fails, even if a later one would pass its own threshold alone.
    expect(holm([0.03, 0.04])).toEqual([false, false]);
    expect(holm([])).toEqual([]);
  });
});

describe('compareAll', () => {
  const systematic = { relais: [2.1, 2.3, 2.2, 2.4, 2.0, 2.5, 2.2, 2.3], bare: [1.0, 1.1, 0.9, 1.2, 1.0, 0.8, 1.1, 1.0], worse: 1 as const };
  const equal = { relais: [15, 15, 15, 15], bare: [15, 15, 15, 15], worse: -1 as const };
  // Alone, p = 1/70 ≈ 0.014 < 0.05: « worse »; among four figures its threshold is 0.0125.
  const borderline = { relais: [10, 11, 12, 13], bare: [1, 2, 3, 4], worse: 1 as const };

  it('still finds a systematic difference among many figures', () => {
    expect(compareAll([systematic, equal, equal, equal]).map((c) => c.verdict)).toEqual(['worse', 'better-or-equal', 'better-or-equal', 'better-or-equal']);
  });

  it('does not call « worse » what one test among several gives by chance', () => {
    expect(compare(borderline.relais, borderline.bare, 1).verdict).toBe('worse');
    expect(compareAll([borderline]).map((c) => c.verdict)).toEqual(['worse']);
    expect(compareAll([borderline, equal, equal, equal]).map((c) => c.verdict)).toEqual(['within-noise', 'better-or-equal', 'better-or-equal', 'better-or-equal']);
  });
});
