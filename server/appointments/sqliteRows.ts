// Rows of the appointments' tables and their reading into the store's types (shared by the SQLite store's files).
import type { Appointment } from './store.js';

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
  note_consent: number;
  status: Appointment['status'];
  site_name: string | null;
}

/** The columns an appointment is read with (`a` the appointment, `b` its booth, `s` its subject). */
export const APPOINTMENT_COLUMNS = `a.id, a.slot_id, a.organisation, a.booth_id, a.agent_id, a.starts_at, a.ends_at, a.subject, a.note, a.note_consent,
  a.status, b.name AS site_name, s.label AS subject_label`;
export const APPOINTMENT_JOINS = `LEFT JOIN booths b ON b.id = a.booth_id
  LEFT JOIN appointment_subjects s ON s.organisation = a.organisation AND s.code = a.subject`;

export const toAppointment = (r: AppointmentSql): Appointment => ({
  id: r.id,
  slotId: r.slot_id,
  organisation: r.organisation,
  boothId: r.booth_id,
  agentId: r.agent_id,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  subject: r.subject,
  subjectLabel: r.subject_label ?? r.subject,
  note: r.note_consent === 1 ? r.note : null,
  noteConsent: r.note_consent === 1,
  status: r.status,
  siteName: r.site_name ?? '',
});
