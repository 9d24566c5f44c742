// Paris calendar months for the evaluation tools: month keys 'YYYY-MM', their day-key ranges, shifting by months.
import { z } from 'zod';
import { parisParts } from '../../../shared/time.js';

export const MonthKey = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month YYYY-MM');
export type MonthKey = z.infer<typeof MonthKey>;

/** The Paris month of an instant, 'YYYY-MM'. */
export function monthOf(epochMs: number): MonthKey {
  const p = parisParts(epochMs);
  return `${p.year}-${String(p.month).padStart(2, '0')}`;
}

/** First and last day keys (YYYYMMDD) of a month. */
export function monthDayRange(month: MonthKey): { fromDayKey: number; toDayKey: number } {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const lastDay = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return { fromDayKey: year * 10_000 + m * 100 + 1, toDayKey: year * 10_000 + m * 100 + lastDay };
}

/** The Paris day key `months` after (or before, when negative) an instant's day; the month's last day when it is shorter. */
export function shiftMonthsDayKey(epochMs: number, months: number): number {
  const p = parisParts(epochMs);
  const index = p.year * 12 + (p.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return year * 10_000 + month * 100 + Math.min(p.day, lastDay);
}
