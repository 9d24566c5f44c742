import { describe, expect, it } from 'vitest';
import {
  dayKeyOf,
  isoWeekLabel,
  isoWeekOfDate,
  mondayOfIsoWeek,
  parisParts,
  parisWallTimeToEpoch,
  shiftWeek,
  weekKeyFromLabel,
  weekKeyOf,
  weeksInIsoYear,
} from '../../../../shared/time.js';

const utc = (iso: string): number => Date.parse(iso);

describe('ISO weeks in Paris time', () => {
  it('puts 2026-12-28 to 2027-01-03 in week 53 of 2026, and 2027-01-04 in 2027-W01', () => {
    for (let d = 28; d <= 31; d++) expect(weekKeyOf(parisWallTimeToEpoch(2026, 12, d, 12, 0))).toBe(202653);
    for (let d = 1; d <= 3; d++) expect(weekKeyOf(parisWallTimeToEpoch(2027, 1, d, 12, 0))).toBe(202653);
    expect(weekKeyOf(parisWallTimeToEpoch(2027, 1, 4, 0, 0))).toBe(202701);
    expect(weeksInIsoYear(2026)).toBe(53);
    expect(weeksInIsoYear(2027)).toBe(52);
  });

  it('puts 2026-12-31 and 2027-01-01 on different days but in the same ISO week', () => {
    const eve = parisWallTimeToEpoch(2026, 12, 31, 23, 30);
    const newYear = parisWallTimeToEpoch(2027, 1, 1, 0, 30);
    expect(dayKeyOf(eve)).toBe(20261231);
    expect(dayKeyOf(newYear)).toBe(20270101);
    expect(weekKeyOf(eve)).toBe(weekKeyOf(newYear));
  });

  it('uses the Paris day, not the UTC day, at New Year: 2026-12-31T23:30Z is 2027-01-01 in Paris', () => {
    expect(dayKeyOf(utc('2026-12-31T23:30:00Z'))).toBe(20270101);
  });

  it('puts the first days of January in the previous ISO year when they fall before the first Thursday', () => {
    expect(isoWeekOfDate(2021, 1, 3)).toEqual({ isoYear: 2020, week: 53 });
    expect(isoWeekOfDate(2024, 12, 30)).toEqual({ isoYear: 2025, week: 1 });
    expect(isoWeekOfDate(2026, 1, 1)).toEqual({ isoYear: 2026, week: 1 });
  });

  it('keeps Sunday 23:30 Paris in its week and Monday 00:30 Paris in the next, across the spring change (2026-03-29)', () => {
    const sundayEarly = parisWallTimeToEpoch(2026, 3, 29, 0, 30); // still winter time: 2026-03-28T23:30Z, a Saturday in UTC
    const sundayLate = parisWallTimeToEpoch(2026, 3, 29, 23, 30); // summer time: 21:30Z
    const mondayEarly = parisWallTimeToEpoch(2026, 3, 30, 0, 30); // 2026-03-29T22:30Z, still Sunday in UTC
    expect(sundayEarly).toBe(utc('2026-03-28T23:30:00Z'));
    expect(sundayLate).toBe(utc('2026-03-29T21:30:00Z'));
    expect(mondayEarly).toBe(utc('2026-03-29T22:30:00Z'));
    expect(weekKeyOf(sundayEarly)).toBe(202613);
    expect(weekKeyOf(sundayLate)).toBe(202613);
    expect(weekKeyOf(mondayEarly)).toBe(202614);
    expect(dayKeyOf(mondayEarly)).toBe(20260330);
  });

  it('keeps Sunday 23:30 Paris in its week and Monday 00:30 Paris in the next, across the autumn change (2026-10-25)', () => {
    const sundayEarly = parisWallTimeToEpoch(2026, 10, 25, 0, 30); // summer time: 2026-10-24T22:30Z
    const sundayLate = parisWallTimeToEpoch(2026, 10, 25, 23, 30); // winter time: 22:30Z
    const mondayEarly = parisWallTimeToEpoch(2026, 10, 26, 0, 30); // 2026-10-25T23:30Z
    expect(sundayEarly).toBe(utc('2026-10-24T22:30:00Z'));
    expect(sundayLate).toBe(utc('2026-10-25T22:30:00Z'));
    expect(mondayEarly).toBe(utc('2026-10-25T23:30:00Z'));
    expect(weekKeyOf(sundayEarly)).toBe(202643);
    expect(weekKeyOf(sundayLate)).toBe(202643);
    expect(weekKeyOf(mondayEarly)).toBe(202644);
  });

  it('resolves a wall time skipped in spring to the instant one hour later', () => {
    const skipped = parisWallTimeToEpoch(2026, 3, 29, 2, 30);
    expect(skipped).toBe(utc('2026-03-29T01:30:00Z'));
    expect(parisParts(skipped)).toMatchObject({ hour: 3, minute: 30 });
  });

  it('resolves a wall time repeated in autumn to one of its two real instants', () => {
    const repeated = parisWallTimeToEpoch(2026, 10, 25, 2, 30);
    expect([utc('2026-10-25T00:30:00Z'), utc('2026-10-25T01:30:00Z')]).toContain(repeated);
    expect(parisParts(repeated)).toMatchObject({ day: 25, hour: 2, minute: 30 });
  });

  it('labels, parses and shifts week keys across year ends', () => {
    expect(isoWeekLabel(202605)).toBe('2026-W05');
    expect(weekKeyFromLabel('2026-W53')).toBe(202653);
    expect(() => weekKeyFromLabel('2026-53')).toThrow(RangeError);
    expect(shiftWeek(202652, 1)).toBe(202653);
    expect(shiftWeek(202653, 1)).toBe(202701);
    expect(shiftWeek(202701, -1)).toBe(202653);
    expect(mondayOfIsoWeek(202653)).toEqual({ year: 2026, month: 12, day: 28 });
    expect(mondayOfIsoWeek(202501)).toEqual({ year: 2024, month: 12, day: 30 });
  });

  it('gives the ISO weekday of a Paris instant, Monday = 1 and Sunday = 7', () => {
    expect(parisParts(parisWallTimeToEpoch(2026, 2, 2, 9, 0)).weekday).toBe(1);
    expect(parisParts(parisWallTimeToEpoch(2026, 2, 8, 9, 0)).weekday).toBe(7);
  });
});
