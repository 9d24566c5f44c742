// Slot generation (server/appointments/generate.ts): local time kept across both daylight-saving changes, the spring
// gap handled explicitly, holidays and closures removed, hostile rules refused or bounded.
import { describe, expect, it } from 'vitest';
import { generateSlots, HORIZON_DAYS, MAX_SLOTS_PER_SERIES, type Generated } from '../../../../server/appointments/generate.js';
import { easterSunday, frenchHolidays } from '../../../../server/appointments/holidays.js';
import { instantOf, wallOf } from '../../../../server/appointments/localTime.js';

const MARCH_1 = Date.UTC(2026, 2, 1);
const iso = (t: number): string => new Date(t).toISOString().slice(0, 16);
const ok = (g: Generated) => {
  if (!g.ok) throw new Error(`refused: ${g.code} ${g.message}`);
  return g;
};
const parisHour = (t: number): string => {
  const w = wallOf(t);
  return `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
};

describe('slots in Europe/Paris local time', () => {
  it('keeps a Monday 09:00 at 09:00 across the March and October changes (UTC moves, local does not)', () => {
    const g = ok(generateSlots({ start: '2026-03-23T09:00', rule: 'FREQ=WEEKLY;BYDAY=MO;UNTIL=20261103T000000', lengthMin: 30 }, MARCH_1));
    const byDay = new Map(g.occurrences.map((o) => [o.day, iso(o.startsAt)]));
    expect(byDay.get('2026-03-23')).toBe('2026-03-23T08:00');
    expect(byDay.get('2026-03-30')).toBe('2026-03-30T07:00');
    expect(byDay.get('2026-10-19')).toBe('2026-10-19T07:00');
    expect(byDay.get('2026-10-26')).toBe('2026-10-26T08:00');
    expect(g.occurrences.every((o) => parisHour(o.startsAt) === '09:00' && o.endsAt - o.startsAt === 30 * 60_000)).toBe(true);
  });

  it('moves a 02:30 start on the spring-forward night to 03:30 (RFC 5545: offset before the gap) and says so', () => {
    const g = ok(generateSlots({ start: '2026-03-28T02:30', rule: 'FREQ=DAILY;COUNT=3', lengthMin: 30, onHolidays: true }, MARCH_1));
    expect(g.occurrences.map((o) => [o.day, iso(o.startsAt), parisHour(o.startsAt), o.shifted])).toEqual([
      ['2026-03-28', '2026-03-28T01:30', '02:30', false],
      ['2026-03-29', '2026-03-29T01:30', '03:30', true],
      ['2026-03-30', '2026-03-30T00:30', '02:30', false],
    ]);
  });

  it('reads a 02:30 start on the October night (it happens twice) as the first, still in summer time', () => {
    const first = instantOf({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 });
    expect(iso(first.instant)).toBe('2026-10-25T00:30');
    expect(first.shifted).toBe(false);
  });
});

describe('holidays and closures', () => {
  it('knows Easter and the holidays that follow it', () => {
    expect(easterSunday(2025)).toEqual([4, 20]);
    expect(easterSunday(2026)).toEqual([4, 5]);
    expect(easterSunday(2027)).toEqual([3, 28]);
    const h2026 = frenchHolidays(2026);
    for (const day of ['2026-01-01', '2026-04-06', '2026-05-01', '2026-05-08', '2026-05-14', '2026-05-25', '2026-07-14', '2026-08-15', '2026-11-01', '2026-11-11', '2026-12-25']) {
      expect(h2026.has(day), day).toBe(true);
    }
    expect(h2026.size).toBe(11);
  });

  it('removes slots on public holidays unless the planner keeps them', () => {
    const spec = { start: '2026-04-06T10:00', rule: 'FREQ=DAILY;UNTIL=20260526T000000', lengthMin: 20 };
    const removed = ok(generateSlots(spec, MARCH_1));
    const days = new Set(removed.occurrences.map((o) => o.day));
    for (const d of ['2026-04-06', '2026-05-01', '2026-05-08', '2026-05-14', '2026-05-25']) expect(days.has(d), d).toBe(false);
    expect(removed.skipped.holidays).toBe(5);
    const kept = ok(generateSlots({ ...spec, onHolidays: true }, MARCH_1));
    expect(kept.occurrences.length).toBe(removed.occurrences.length + 5);
  });

  it('removes the days of a closure, both ends included, and never makes a slot in the past', () => {
    const g = ok(generateSlots({ start: '2026-06-01T14:00', rule: 'FREQ=DAILY;COUNT=10', lengthMin: 30 }, Date.UTC(2026, 5, 2, 11), [{ from: '2026-06-05', to: '2026-06-07' }]));
    expect(g.occurrences.map((o) => o.day)).toEqual(['2026-06-02', '2026-06-03', '2026-06-04', '2026-06-08', '2026-06-09', '2026-06-10']);
    expect(g.skipped).toEqual({ holidays: 0, closures: 3, past: 1 });
  });
});

describe('hostile series', () => {
  const base = { start: '2026-06-01T09:00', lengthMin: 30 };
  it.each([
    ['a rule of 10 KB', 'FREQ=DAILY;' + 'BYHOUR=9;'.repeat(1200)],
    ['a sub-hourly frequency', 'FREQ=MINUTELY'],
    ['seconds', 'FREQ=SECONDLY;INTERVAL=1'],
    ['a DTSTART smuggled in', 'DTSTART:20260601T090000\nRRULE:FREQ=DAILY'],
    ['a time zone in the rule', 'FREQ=DAILY;TZID=Europe/Paris'],
    ['an unknown part', 'FREQ=DAILY;X-EVIL=1'],
    ['no frequency', 'BYDAY=MO'],
    ['garbage', 'FREQ=SOMETIMES'],
    ['a zero interval', 'FREQ=DAILY;INTERVAL=0'],
  ])('refuses %s', (_what, rule) => {
    const g = generateSlots({ ...base, rule }, MARCH_1);
    expect(g.ok).toBe(false);
    if (!g.ok) expect(g.code).toBe('BAD_RULE');
  });

  it('refuses unknown time zones and impossible starts', () => {
    for (const timeZone of ['Mars/Olympus', '../../etc/passwd', '', 'x'.repeat(200)]) expect(generateSlots({ ...base, timeZone }, MARCH_1)).toMatchObject({ ok: false, code: 'BAD_TIME_ZONE' });
    for (const start of ['2026-02-30T09:00', '2026-06-01 09:00', '2026-06-01T24:00', '1900-01-01T09:00', '2026-06-01T09:00Z']) expect(generateSlots({ ...base, start }, MARCH_1)).toMatchObject({ ok: false, code: 'BAD_START' });
  });

  it('bounds an hourly rule without end to the slot cap, and a huge COUNT to the horizon, quickly', () => {
    const started = performance.now();
    const hourly = ok(generateSlots({ ...base, rule: 'FREQ=HOURLY', onHolidays: true }, MARCH_1));
    expect(hourly.truncated).toBe(true);
    expect(hourly.occurrences.length).toBeLessThanOrEqual(MAX_SLOTS_PER_SERIES);
    const daily = ok(generateSlots({ ...base, rule: 'FREQ=DAILY;COUNT=999999999', onHolidays: true }, MARCH_1));
    const last = daily.occurrences.at(-1)?.startsAt ?? 0;
    expect(last).toBeLessThanOrEqual(MARCH_1 + HORIZON_DAYS * 86_400_000);
    expect(daily.occurrences.length).toBeGreaterThan(300);
    const never = ok(generateSlots({ ...base, rule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' }, MARCH_1));
    expect(never.occurrences).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
