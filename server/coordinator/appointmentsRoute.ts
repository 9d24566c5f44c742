// GET /coordinator/api/appointments?month=YYYY-MM (JSON) and /coordinator/api/appointments.csv: the department's visio
// appointments of a Paris month per organisation (issue 19), answered behind the coordinator's cookie by routes.ts.
import { AppointmentMonth, monthOfInstant, type AppointmentMonthCounts } from '../../shared/appointmentCounts.js';
import type { AppointmentStore } from '../appointments/store.js';
import { appointmentCountsCsv, departmentAppointmentCounts } from '../appointments/counts.js';

export const APPOINTMENTS_PATH = '/coordinator/api/appointments';
export const APPOINTMENTS_CSV_PATH = '/coordinator/api/appointments.csv';
/** Months the hub answers for: the booths' appointments began in 2026; a year far off is a typing error. */
const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;

export const isAppointmentsPath = (p: string): boolean => p === APPOINTMENTS_PATH || p === APPOINTMENTS_CSV_PATH;

/** The month asked (default: this Paris month), or null when it is not one plain YYYY-MM in range. */
export function monthAsked(url: URL, now: number): AppointmentMonth | null {
  const all = url.searchParams.getAll('month');
  if (all.length === 0) return monthOfInstant(now);
  const [month] = all;
  if (all.length > 1 || month === undefined || !AppointmentMonth.safeParse(month).success) return null;
  const year = Number(month.slice(0, 4));
  return year >= FIRST_YEAR && year <= LAST_YEAR ? month : null;
}

export type AppointmentsAnswer =
  | { kind: 'json'; status: number; body: AppointmentMonthCounts | { error: string; message: string } }
  | { kind: 'csv'; filename: string; content: string };

export async function answerAppointments(store: Pick<AppointmentStore, 'records'>, url: URL, now: number): Promise<AppointmentsAnswer> {
  const month = monthAsked(url, now);
  if (!month) return { kind: 'json', status: 400, body: { error: 'INVALID_MONTH', message: `Mois invalide : AAAA-MM attendu, entre ${FIRST_YEAR} et ${LAST_YEAR}.` } };
  const counts = await departmentAppointmentCounts(store, month);
  if (url.pathname === APPOINTMENTS_CSV_PATH) return { kind: 'csv', ...appointmentCountsCsv(counts) };
  return { kind: 'json', status: 200, body: counts };
}
