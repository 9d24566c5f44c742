// Plausible bounds on a booth's weekly counts. The largest France Services sites give a few thousand services a week:
// a count beyond the bounds is a fault or an attack, refused to the booth that sent it, and a week already stored out of
// bounds (by an older hub) is left out of the department's views instead of breaking them for every site.
import { z } from 'zod';

export interface AggregateLimits {
  /** Largest count of one organisation and type of service in one site's week. */
  maxCount: number;
  /** Largest total of one site's week (the sum of its counts). */
  maxWeekTotal: number;
}

/** A few times what the largest real site does in a week. */
export const DEFAULT_AGGREGATE_LIMITS: AggregateLimits = { maxCount: 10_000, maxWeekTotal: 20_000 };

/**
 * No configuration may set a limit above this. The department's totals are kept over the site-weeks within it, so they
 * stay exact integers (far below 2^53) for any number of sites and weeks; a week stored above it by an older hub is
 * never in them.
 */
export const AGGREGATE_LIMIT_CEILING = 1_000_000;

export const AggregateLimitsSchema = z
  .object({
    maxCount: z.number().int().min(1).max(AGGREGATE_LIMIT_CEILING),
    maxWeekTotal: z.number().int().min(1).max(AGGREGATE_LIMIT_CEILING),
  })
  .strict();

/** Whether a stored week's total is one the department's views may show under these limits. */
export const weekWithin = (total: number, maxWeekTotal: number): boolean => Number.isSafeInteger(total) && total >= 0 && total <= maxWeekTotal;

/**
 * Null when a week's counts are within the limits; else what is wrong, in French for the booth's incident log. Counts
 * of the same organisation and type of service are added up first, as the store does.
 */
export function outOfBounds(counts: readonly { organisation: string; service: string; count: number }[], limits: AggregateLimits): string | null {
  const merged = new Map<string, number>();
  let total = 0;
  for (const c of counts) {
    const key = `${c.organisation} / ${c.service}`;
    const sum = (merged.get(key) ?? 0) + c.count;
    if (sum > limits.maxCount) return `Le comptage ${key} (${sum}) dépasse la borne du hub : ${limits.maxCount} par semaine.`;
    merged.set(key, sum);
    total += c.count;
    if (total > limits.maxWeekTotal) return `Le total de la semaine dépasse la borne du hub : ${limits.maxWeekTotal} services.`;
  }
  return null;
}
