// Visio appointments counted per organisation over a Paris month (issue 19): booked (« pris »), honoured, missed
// (« non honoré ») and cancelled, from appointment records; the same rules for the kiosk's month report and CSV and the
// hub's department dashboard. Pure: no clock, no database. The zod schemas carry the counts over HTTP.
import { z } from 'zod';
import { EpochMs, OrganisationCode } from './domain.js';
import { parisParts, parisWallTimeToEpoch } from './time.js';

export const APPOINTMENT_COUNT_STATUSES = ['booked', 'honoured', 'missed', 'cancelled', 'closed'] as const;
export type CountedStatus = (typeof APPOINTMENT_COUNT_STATUSES)[number];

/** What counting needs of an appointment; `updatedAt` orders two records of one id (a history, or two sources). */
export interface AppointmentRecord {
  id: string;
  organisation: string;
  startsAt: number;
  status: CountedStatus;
  updatedAt?: number;
}

export const AppointmentMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month YYYY-MM');
export type AppointmentMonth = z.infer<typeof AppointmentMonth>;

const Count = z.number().int().nonnegative();
/**
 * `booked`: every appointment whose slot falls in the period, whatever became of it (« pris »); `honoured`: the visitor
 * joined and an agent answered; `missed`: not joined within the grace time (« non honoré »); `cancelled`: by the booth or by
 * the organisation (a closed slot). Appointments still to come count in `booked` only.
 */
export const AppointmentCounts = z.strictObject({ booked: Count, honoured: Count, missed: Count, cancelled: Count });
export type AppointmentCounts = z.infer<typeof AppointmentCounts>;
export const APPOINTMENT_COUNT_KEYS = ['booked', 'honoured', 'missed', 'cancelled'] as const satisfies ReadonlyArray<keyof AppointmentCounts>;

export const AppointmentCountRow = z.strictObject({ organisation: OrganisationCode, counts: AppointmentCounts });
export type AppointmentCountRow = z.infer<typeof AppointmentCountRow>;

/** The department's (or a booth's) counts of one month: rows by organisation code, and their totals. */
export const AppointmentMonthCounts = z.strictObject({
  month: AppointmentMonth,
  from: EpochMs,
  to: EpochMs,
  rows: z.array(AppointmentCountRow).max(500),
  totals: AppointmentCounts,
});
export type AppointmentMonthCounts = z.infer<typeof AppointmentMonthCounts>;

export const zeroCounts = (): AppointmentCounts => ({ booked: 0, honoured: 0, missed: 0, cancelled: 0 });

/** Paris midnight on the month's first day, and on the next month's first day: [start, end). */
export function monthBounds(month: AppointmentMonth): { start: number; end: number } {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const next = m === 12 ? { year: year + 1, m: 1 } : { year, m: m + 1 };
  return { start: parisWallTimeToEpoch(year, m, 1, 0, 0), end: parisWallTimeToEpoch(next.year, next.m, 1, 0, 0) };
}

/** The Paris month of an instant, 'YYYY-MM'. */
export function monthOfInstant(epochMs: number): AppointmentMonth {
  const p = parisParts(epochMs);
  return `${p.year}-${String(p.month).padStart(2, '0')}`;
}

/** The month before, 'YYYY-MM'. */
export function previousMonth(month: AppointmentMonth): AppointmentMonth {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
}

/**
 * One record per appointment id. An honoured appointment stays honoured (a call took place: a late cancellation or a
 * « non honoré » sent before the honour was known cannot undo it); otherwise the latest record wins.
 */
export function latestRecords<T extends AppointmentRecord>(records: Iterable<T>): T[] {
  const byId = new Map<string, T>();
  for (const r of records) {
    const known = byId.get(r.id);
    if (!known) byId.set(r.id, r);
    else if (known.status === 'honoured') continue;
    else if (r.status === 'honoured' || (r.updatedAt ?? 0) >= (known.updatedAt ?? 0)) byId.set(r.id, r);
  }
  return [...byId.values()];
}

/** Counts per organisation of the appointments starting in [from, to); `order` puts those organisations first. */
export function countAppointments(records: Iterable<AppointmentRecord>, from: number, to: number, order: readonly string[] = []): { rows: AppointmentCountRow[]; totals: AppointmentCounts } {
  const byOrg = new Map<string, AppointmentCounts>();
  const totals = zeroCounts();
  for (const r of latestRecords(records)) {
    if (!(r.startsAt >= from && r.startsAt < to)) continue;
    let c = byOrg.get(r.organisation);
    if (!c) byOrg.set(r.organisation, (c = zeroCounts()));
    const add = (key: keyof AppointmentCounts): void => {
      c[key] += 1;
      totals[key] += 1;
    };
    add('booked');
    if (r.status === 'honoured') add('honoured');
    else if (r.status === 'missed') add('missed');
    else if (r.status === 'cancelled' || r.status === 'closed') add('cancelled');
  }
  const rank = (code: string): number => {
    const i = order.indexOf(code);
    return i === -1 ? order.length : i;
  };
  const rows = [...byOrg.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([organisation, counts]) => ({ organisation, counts }));
  return { rows, totals };
}

/** A Paris month's counts per organisation. */
export function monthAppointmentCounts(records: Iterable<AppointmentRecord>, month: AppointmentMonth, order: readonly string[] = []): AppointmentMonthCounts {
  const { start, end } = monthBounds(month);
  return { month, from: start, to: end, ...countAppointments(records, start, end, order) };
}

/** The French headers of the counts, in column order (month report, CSV files, dashboard). */
export const APPOINTMENT_COUNT_HEADERS_FR: Record<keyof AppointmentCounts, string> = { booked: 'Pris', honoured: 'Honorés', missed: 'Non honorés', cancelled: 'Annulés' };
