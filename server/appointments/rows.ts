// Rows of the appointments' tables and their reading into the store's types, shared by both stores: the SQLite file's
// (sqliteSlots.ts, sqliteBookings.ts) and PostgreSQL's (server/sharedStore/postgresAppointments.ts) select the same
// columns with the same joins, and read them here into one shape.
import type { BoothChoice } from '../../shared/appointments.js';
import type { Appointment, SeriesSummaryRow } from './store.js';

export interface AppointmentSql {
  id: string;
  slot_id: number;
  organisation: string;
  booth_id: number;
  agent_id: number | null;
  starts_at: number;
  ends_at: number;
  subject: string;
  subject_label: string | null;
  note: string | null;
  /** SQLite's INTEGER 0/1, PostgreSQL's BOOLEAN. */
  note_consent: number | boolean;
  status: Appointment['status'];
  site_name: string | null;
}

/** The columns an appointment is read with (`a` the appointment, `b` its booth, `s` its subject). */
export const APPOINTMENT_COLUMNS = `a.id, a.slot_id, a.organisation, a.booth_id, a.agent_id, a.starts_at, a.ends_at, a.subject, a.note, a.note_consent,
  a.status, b.name AS site_name, s.label AS subject_label`;
export const APPOINTMENT_JOINS = `LEFT JOIN booths b ON b.id = a.booth_id
  LEFT JOIN appointment_subjects s ON s.organisation = a.organisation AND s.code = a.subject`;

export const toAppointment = (r: AppointmentSql): Appointment => {
  const consent = r.note_consent === 1 || r.note_consent === true;
  return {
    id: r.id,
    slotId: r.slot_id,
    organisation: r.organisation,
    boothId: r.booth_id,
    agentId: r.agent_id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    subject: r.subject,
    subjectLabel: r.subject_label ?? r.subject,
    note: consent ? r.note : null,
    noteConsent: consent,
    status: r.status,
    siteName: r.site_name ?? '',
  };
};

export interface BoothChoiceSql {
  id: number;
  name: string;
  commune: string | null;
}

/** A booth a planner may choose: its site's name (120 characters at most) and its commune (80 at most; none if empty). */
/** The department's booths not revoked with their commune, read the same by both stores. */
export const BOOTH_CHOICES_SQL = 'SELECT b.id, b.name, e.commune FROM booths b LEFT JOIN booth_enrolments e ON e.booth_id = b.id WHERE b.revoked_at IS NULL ORDER BY b.id';
export const toBoothChoice = (r: BoothChoiceSql): BoothChoice => ({ id: r.id, siteName: r.name.slice(0, 120), commune: r.commune ? r.commune.slice(0, 80) : null });

/** A slot series' row as both stores select it (their booths and agents read beside it, each store its own way). */
export interface SeriesSql {
  id: number;
  start_local: string;
  rule: string | null;
  length_min: number;
  capacity: number;
  upcoming: number;
  booked: number;
}

/** The planner's view of a series: `booths` null when it is for every booth. */
export const toSeriesSummary = (r: SeriesSql, booths: number[] | null, agents: string[]): SeriesSummaryRow => ({
  id: r.id,
  start: r.start_local,
  rule: r.rule,
  lengthMin: r.length_min,
  capacity: r.capacity,
  booths,
  agents,
  upcoming: r.upcoming,
  booked: r.booked,
});
