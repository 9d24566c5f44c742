// Appointments counted per organisation and Paris month (shared/appointmentCounts.ts): month edges in Paris time, the
// daylight-saving changes, one count per appointment however many records it has, honoured never undone.
import { describe, expect, it } from 'vitest';
import {
  AppointmentMonthCounts,
  countAppointments,
  latestRecords,
  monthAppointmentCounts,
  monthBounds,
  monthOfInstant,
  previousMonth,
  type AppointmentRecord,
} from '../../../../shared/appointmentCounts.js';

const rec = (id: string, organisation: string, startsAt: string | number, status: AppointmentRecord['status'], updatedAt?: number): AppointmentRecord => ({
  id,
  organisation,
  startsAt: typeof startsAt === 'number' ? startsAt : Date.parse(startsAt),
  status,
  ...(updatedAt !== undefined ? { updatedAt } : {}),
});

describe('month bounds in Paris time', () => {
  it('starts a winter month at 23:00 UTC the day before and a summer month at 22:00 UTC', () => {
    expect(new Date(monthBounds('2026-01').start).toISOString()).toBe('2025-12-31T23:00:00.000Z');
    expect(new Date(monthBounds('2026-07').start).toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(new Date(monthBounds('2026-12').end).toISOString()).toBe('2026-12-31T23:00:00.000Z');
  });

  it('gives March 2026 one hour less and October 2026 one hour more (the clock changes inside them)', () => {
    const march = monthBounds('2026-03');
    const october = monthBounds('2026-10');
    expect(march.end - march.start).toBe(31 * 86_400_000 - 3_600_000);
    expect(october.end - october.start).toBe(31 * 86_400_000 + 3_600_000);
  });

  it('names the Paris month of an instant and the month before', () => {
    expect(monthOfInstant(Date.parse('2026-10-31T23:30:00Z'))).toBe('2026-11');
    expect(monthOfInstant(Date.parse('2026-10-31T22:59:59Z'))).toBe('2026-10');
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(previousMonth('2026-11')).toBe('2026-10');
  });
});

describe('counting a month', () => {
  it('counts each status per organisation: booked counts all, cancelled includes slots the organisation closed', () => {
    const records = [
      rec('a', 'CAF', '2026-11-03T09:00:00Z', 'honoured'),
      rec('b', 'CAF', '2026-11-04T09:00:00Z', 'missed'),
      rec('c', 'CAF', '2026-11-05T09:00:00Z', 'cancelled'),
      rec('d', 'CAF', '2026-11-06T09:00:00Z', 'closed'),
      rec('e', 'CAF', '2026-11-28T09:00:00Z', 'booked'),
      rec('f', 'CPAM', '2026-11-10T13:30:00Z', 'honoured'),
    ];
    const counts = monthAppointmentCounts(records, '2026-11', ['CPAM', 'CAF']);
    expect(counts.rows).toEqual([
      { organisation: 'CPAM', counts: { booked: 1, honoured: 1, missed: 0, cancelled: 0 } },
      { organisation: 'CAF', counts: { booked: 5, honoured: 1, missed: 1, cancelled: 2 } },
    ]);
    expect(counts.totals).toEqual({ booked: 6, honoured: 2, missed: 1, cancelled: 2 });
    expect(AppointmentMonthCounts.safeParse(counts).success).toBe(true);
  });

  it('puts an appointment at 00:30 Paris on the 1st in that month, not the one before (UTC says the day before)', () => {
    const justIn = rec('in', 'CAF', '2026-11-30T23:30:00Z', 'honoured'); // 1 December 00:30 in Paris
    const justOut = rec('out', 'CAF', '2026-11-30T22:59:59Z', 'honoured'); // 30 November 23:59:59 in Paris
    expect(monthAppointmentCounts([justIn, justOut], '2026-12').totals.honoured).toBe(1);
    expect(monthAppointmentCounts([justIn, justOut], '2026-11').totals.honoured).toBe(1);
    const { start } = monthBounds('2026-12');
    expect(monthAppointmentCounts([rec('edge', 'CAF', start, 'missed')], '2026-12').totals.missed).toBe(1);
    expect(monthAppointmentCounts([rec('edge', 'CAF', start, 'missed')], '2026-11').totals.missed).toBe(0);
  });

  it('keeps the last night of October (summer time ends) in October and 31 March 01:30 UTC in March', () => {
    // 25 October 2026 02:30 happens twice in Paris; 31 October 23:30 Paris (winter, UTC+1) is 22:30 UTC.
    const lastOctoberNight = rec('o', 'FT', '2026-10-31T22:30:00Z', 'honoured');
    const doubledHour = rec('d', 'FT', '2026-10-25T01:30:00Z', 'missed');
    const october = monthAppointmentCounts([lastOctoberNight, doubledHour], '2026-10');
    expect(october.totals).toEqual({ booked: 2, honoured: 1, missed: 1, cancelled: 0 });
    // 31 March 23:30 Paris (summer, UTC+2) is 21:30 UTC; 22:30 UTC is already 1 April.
    expect(monthAppointmentCounts([rec('m', 'FT', '2026-03-31T21:30:00Z', 'booked')], '2026-03').totals.booked).toBe(1);
    expect(monthAppointmentCounts([rec('a', 'FT', '2026-03-31T22:30:00Z', 'booked')], '2026-04').totals.booked).toBe(1);
  });

  it('counts an appointment once however many records of it are given, the latest status winning', () => {
    const records = [rec('x', 'CAF', '2026-11-03T09:00:00Z', 'booked', 1), rec('x', 'CAF', '2026-11-03T09:00:00Z', 'missed', 3), rec('x', 'CAF', '2026-11-03T09:00:00Z', 'booked', 2)];
    expect(monthAppointmentCounts(records, '2026-11').totals).toEqual({ booked: 1, honoured: 0, missed: 1, cancelled: 0 });
  });

  it('keeps an honoured appointment honoured when a cancellation or « non honoré » comes after it', () => {
    const records = [
      rec('h', 'CAF', '2026-11-03T09:00:00Z', 'honoured', 10),
      rec('h', 'CAF', '2026-11-03T09:00:00Z', 'cancelled', 20),
      rec('h', 'CAF', '2026-11-03T09:00:00Z', 'missed', 30),
      rec('k', 'CAF', '2026-11-04T09:00:00Z', 'missed', 50),
      rec('k', 'CAF', '2026-11-04T09:00:00Z', 'honoured', 40),
    ];
    expect(latestRecords(records).map((r) => [r.id, r.status])).toEqual([
      ['h', 'honoured'],
      ['k', 'honoured'],
    ]);
    expect(monthAppointmentCounts(records, '2026-11').totals).toEqual({ booked: 2, honoured: 2, missed: 0, cancelled: 0 });
  });

  it('gives empty rows and zero totals for a month without appointments, and leaves out other months', () => {
    const counts = countAppointments([rec('x', 'CAF', '2025-11-03T09:00:00Z', 'honoured')], monthBounds('2026-11').start, monthBounds('2026-11').end);
    expect(counts).toEqual({ rows: [], totals: { booked: 0, honoured: 0, missed: 0, cancelled: 0 } });
  });

  it('orders organisations not in the given order after those in it, by code', () => {
    const records = [rec('1', 'UDAF', '2026-11-03T09:00:00Z', 'booked'), rec('2', 'ML', '2026-11-03T09:00:00Z', 'booked'), rec('3', 'CAF', '2026-11-03T09:00:00Z', 'booked')];
    expect(monthAppointmentCounts(records, '2026-11', ['CAF']).rows.map((r) => r.organisation)).toEqual(['CAF', 'ML', 'UDAF']);
  });
});
