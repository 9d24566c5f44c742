// The hub's bounds on weekly counts: configured limits are checked, and hostile counts are refused with words.
import { describe, expect, it } from 'vitest';
import { AGGREGATE_LIMIT_CEILING, AggregateLimitsSchema, DEFAULT_AGGREGATE_LIMITS, outOfBounds, weekWithin } from '../../../../server/aggregates/bounds.js';

const count = (n: number, organisation = 'CAF', service = 'info') => ({ organisation, service, count: n });

describe('aggregate bounds', () => {
  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, AGGREGATE_LIMIT_CEILING + 1, Number.MAX_SAFE_INTEGER])('refuses a configured limit of %s', (n) => {
    expect(AggregateLimitsSchema.safeParse({ maxCount: n, maxWeekTotal: 100 }).success).toBe(false);
    expect(AggregateLimitsSchema.safeParse({ maxCount: 100, maxWeekTotal: n }).success).toBe(false);
  });

  it('refuses unknown configuration keys and accepts the defaults', () => {
    expect(AggregateLimitsSchema.safeParse({ ...DEFAULT_AGGREGATE_LIMITS, extra: 1 }).success).toBe(false);
    expect(AggregateLimitsSchema.safeParse(DEFAULT_AGGREGATE_LIMITS).success).toBe(true);
  });

  it('refuses one count over the bound, and the same count split in repeated rows', () => {
    const limits = { maxCount: 100, maxWeekTotal: 1_000 };
    expect(outOfBounds([count(100)], limits)).toBeNull();
    expect(outOfBounds([count(101)], limits)).toMatch(/CAF \/ info \(101\).*100/);
    expect(outOfBounds([count(60), count(41)], limits)).toMatch(/CAF \/ info \(101\)/);
  });

  it('refuses a week whose total is over the bound even when each count is within it', () => {
    const limits = { maxCount: 100, maxWeekTotal: 250 };
    const rows = ['info', 'documents', 'visio'].map((service) => count(90, 'CAF', service));
    expect(outOfBounds(rows, limits)).toMatch(/total de la semaine.*250/);
  });

  it('refuses counts of 2^53 − 1 without losing precision in the sum', () => {
    expect(outOfBounds([count(Number.MAX_SAFE_INTEGER), count(Number.MAX_SAFE_INTEGER, 'CPAM')], DEFAULT_AGGREGATE_LIMITS)).not.toBeNull();
  });

  it.each([-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2, 20_001])('leaves a stored week total of %s out of the views', (total) => {
    expect(weekWithin(total, DEFAULT_AGGREGATE_LIMITS.maxWeekTotal)).toBe(false);
  });
});
