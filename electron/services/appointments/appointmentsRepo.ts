// The appointments this booth booked, in the kiosk's database (migration 0005): recorded as the hub answers, listed for
// the home until their grace time is over, counted in the month report. No note and no name are ever stored here.
import type { AppointmentRecord } from '../../../shared/appointmentCounts.js';
import type { KioskAppointment } from '../../../shared/contract/index.js';
import type { Db } from '../db/index.js';

interface Row {
  id: string;
  organisation: string;
  starts_at: number;
  ends_at: number;
  subject_label: string;
  status: KioskAppointment['status'];
}

const toAppointment = (r: Row): KioskAppointment => ({ id: r.id, organisation: r.organisation, startsAt: r.starts_at, endsAt: r.ends_at, subjectLabel: r.subject_label, status: r.status });

/** The subject's label is the one first recorded (an appointment's subject never changes; the hub's later answers name
 *  it by its code only). An honoured appointment stays honoured: its call took place (a late « non honoré » or cancellation cannot undo it). */
const KEEP_HONOURED = "CASE WHEN appointments.status = 'honoured' THEN 'honoured' ELSE excluded.status END";

/** The appointments starting in [from, to), for counting (shared/appointmentCounts.ts). */
export function appointmentRecordsBetween(db: Db, from: number, to: number): AppointmentRecord[] {
  return db
    .prepare<[number, number], AppointmentRecord>('SELECT id, organisation, starts_at AS startsAt, status, updated_at AS updatedAt FROM appointments WHERE starts_at >= ? AND starts_at < ?')
    .all(from, to);
}

/** The most a list returns: a booth books a few appointments a day. */
const LIST_LIMIT = 200;

export function createAppointmentsRepo(db: Db) {
  const upsert = db.prepare<[string, string, number, number, string, string, number]>(
    `INSERT INTO appointments (id, organisation, starts_at, ends_at, subject_label, status, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET organisation = excluded.organisation, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
       subject_label = appointments.subject_label, status = ${KEEP_HONOURED}, updated_at = excluded.updated_at`,
  );
  const list = db.prepare<[number, number], Row>('SELECT * FROM appointments WHERE ends_at >= ? ORDER BY starts_at, id LIMIT ?');
  const update = db.prepare<[string, number, string]>("UPDATE appointments SET status = CASE WHEN status = 'honoured' THEN 'honoured' ELSE ? END, updated_at = ? WHERE id = ?");
  const purge = db.prepare<[number]>('DELETE FROM appointments WHERE ends_at < ?');
  return {
    record(a: KioskAppointment, now: number): void {
      upsert.run(a.id, a.organisation, a.startsAt, a.endsAt, a.subjectLabel, a.status, now);
    },
    /** Appointments whose end is not older than `since` (now less the grace time), soonest first. */
    list(since: number): KioskAppointment[] {
      return list.all(since, LIST_LIMIT).map(toAppointment);
    },
    update(id: string, status: KioskAppointment['status'], now: number): boolean {
      return update.run(status, now, id).changes > 0;
    },
    /** Forgets appointments over for long (kept past the month report's reach: see KEEP_AFTER_END_MS). */
    purge(before: number): number {
      return purge.run(before).changes;
    },
  };
}
