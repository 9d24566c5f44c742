// The department's appointments counted per organisation for a Paris month (issue 19): the hub's rows read through the
// shared counting rules (shared/appointmentCounts.ts), for the coordinator's « Rendez-vous » view and its CSV.
import { APPOINTMENT_COUNT_HEADERS_FR, APPOINTMENT_COUNT_KEYS, monthAppointmentCounts, monthBounds, type AppointmentMonth, type AppointmentMonthCounts, type AppointmentRecord } from '../../shared/appointmentCounts.js';
import { ORGANISATION_CODES } from '../../shared/domain.js';
import type { HubDb } from '../store.js';

/** Every appointment of the month, whatever booth booked it and whatever became of it. */
export function departmentAppointmentCounts(db: HubDb, month: AppointmentMonth): AppointmentMonthCounts {
  const { start, end } = monthBounds(month);
  const rows = db
    .prepare('SELECT id, organisation, starts_at AS startsAt, status, updated_at AS updatedAt FROM appointments WHERE starts_at >= ? AND starts_at < ?')
    .iterate(start, end) as IterableIterator<AppointmentRecord>;
  return monthAppointmentCounts(rows, month, ORGANISATION_CODES);
}

/** UTF-8 with BOM, ';' separators, French headers: one line per organisation, then the department's total. */
export function appointmentCountsCsv(counts: AppointmentMonthCounts): { filename: string; content: string } {
  const lines = [
    ['Organisme', ...APPOINTMENT_COUNT_KEYS.map((k) => APPOINTMENT_COUNT_HEADERS_FR[k])].join(';'),
    ...counts.rows.map((r) => [r.organisation, ...APPOINTMENT_COUNT_KEYS.map((k) => String(r.counts[k]))].join(';')),
    ['Total', ...APPOINTMENT_COUNT_KEYS.map((k) => String(counts.totals[k]))].join(';'),
  ];
  return { filename: `rendez-vous_${counts.month}.csv`, content: `\uFEFF${lines.join('\r\n')}\r\n` };
}
