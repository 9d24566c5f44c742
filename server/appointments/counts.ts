// The department's appointments counted per organisation for a Paris month (issue 19): the hub's rows read through the
// shared counting rules (shared/appointmentCounts.ts), for the coordinator's « Rendez-vous » view and its CSV.
import { APPOINTMENT_COUNT_HEADERS_FR, APPOINTMENT_COUNT_KEYS, monthAppointmentCounts, monthBounds, type AppointmentMonth, type AppointmentMonthCounts } from '../../shared/appointmentCounts.js';
import { ORGANISATION_CODES } from '../../shared/domain.js';
import type { AppointmentStore } from './store.js';

/** Every appointment of the month, whatever booth booked it and whatever became of it. */
export async function departmentAppointmentCounts(store: Pick<AppointmentStore, 'records'>, month: AppointmentMonth): Promise<AppointmentMonthCounts> {
  const { start, end } = monthBounds(month);
  return monthAppointmentCounts(await store.records(start, end), month, ORGANISATION_CODES);
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
