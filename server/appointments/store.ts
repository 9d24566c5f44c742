// The appointments' store: what the hub needs of slots and bookings, behind an interface with two implementations: the
// hub's SQLite file (sqliteStore.ts, answering at once) and PostgreSQL shared by the nodes of a hub across machines
// (server/sharedStore/postgresAppointments.ts). Every race — the last place of a slot, the holding agent, the sweep run
// by several nodes at once — is decided by the store.
import type { AppointmentRecord } from '../../shared/appointmentCounts.js';
import type { AgentAppointment, AppointmentRefusalCode, AppointmentStatus, BoothChoice, FreeSlot } from '../../shared/appointments.js';
import type { MaybePromise } from '../maybe.js';
import type { DayRange, Occurrence } from './generate.js';

export interface Subject {
  code: string;
  label: string;
  bring: string[];
}

export type Appointment = AgentAppointment & { boothId: number; slotId: number; noteConsent: boolean };

export interface SeriesRecord {
  organisation: string;
  start: string;
  rule: string | null;
  timeZone: string;
  lengthMin: number;
  capacity: number;
  /** null: every booth. */
  booths: number[] | null;
  agentIds: number[];
  onHolidays: boolean;
  createdBy: number | null;
}

export interface BookRequest {
  organisation: string;
  boothId: number;
  startsAt: number;
  subject: string;
  /** Already checked by `checkNote`; null without consent. */
  note: string | null;
  newId: () => string;
}

export type BookResult = { ok: true; appointment: Appointment } | { ok: false; code: AppointmentRefusalCode };

export interface SeriesSummaryRow {
  id: number;
  start: string;
  rule: string | null;
  lengthMin: number;
  capacity: number;
  booths: number[] | null;
  agents: string[];
  upcoming: number;
  booked: number;
}

/** The store as the SQLite file answers it: at once. */
export interface SqliteAppointmentStore {
  subjects(organisation: string): Subject[];
  /** Closures of an organisation ending on or after this local day. */
  closures(organisation: string, fromDay: string): Array<DayRange & { reason: string | null }>;
  publish(series: SeriesRecord, occurrences: readonly Occurrence[], now: number): { seriesId: number; slots: number };
  /** Closes a series' slots from `now` on; the appointments they held are returned (status `closed`). */
  closeSeries(organisation: string, seriesId: number, now: number): { slots: number; affected: Appointment[] } | null;
  /** Closes every slot of these local days; the appointments they held are returned (status `closed`). */
  closeDays(organisation: string, range: DayRange, reason: string | null, now: number): { slots: number; affected: Appointment[] };
  listSeries(organisation: string, now: number): SeriesSummaryRow[];
  /** The next start times with a free place this booth may book, next first (places of one start summed). */
  freeSlots(organisation: string, boothId: number, from: number, limit: number): FreeSlot[];
  /** Takes one place at this start, or says why not (SLOT_TAKEN: none left, or another booth took the last). */
  book(request: BookRequest, now: number): BookResult;
  /** A booth cancels its booked appointment: its place is freed. */
  cancel(appointmentId: string, boothId: number, now: number): Appointment | null;
  /** The call was answered: booked → honoured, once (false when it was not booked). */
  honour(appointmentId: string, now: number): boolean;
  /** Marks « non honoré » what was not honoured `graceMs` after its start; erases the notes of what is over. */
  sweep(now: number, graceMs: number): { missed: Appointment[]; notesErased: number };
  byId(appointmentId: string): Appointment | null;
  forAgent(agentId: number, organisation: string, from: number, to: number): Appointment[];
  forBooth(boothId: number, from: number): Appointment[];
  isPlanner(agentId: number): boolean;
  setPlanner(agentId: number, on: boolean): boolean;
  /** Sets (hash) or removes (null) an agent's iCalendar secret. */
  setIcalHash(agentId: number, hash: string | null): boolean;
  agentIdByIcalHash(hash: string): number | null;
  agentIdsByLogin(organisation: string, logins: readonly string[]): number[] | null;
  /**
   * The department's booths not revoked, by id, for a planner choosing those a series is for: the site's name (120
   * characters at most) and the commune typed when the coordinator created it in the dashboard (80 at most; null for a
   * booth added with `booth add`).
   */
  boothChoices(): BoothChoice[];
  /** Every appointment starting in [start, end), whatever became of it (the coordinator's month counts). */
  records(start: number, end: number): AppointmentRecord[];
}

type Method<K extends keyof SqliteAppointmentStore> = SqliteAppointmentStore[K];
/** The store as PostgreSQL answers it: later. */
export type PostgresAppointmentStore = { [K in keyof SqliteAppointmentStore]: (...args: Parameters<Method<K>>) => Promise<ReturnType<Method<K>>> };
/** What the hub's rules (service.ts, frames.ts, ical.ts, counts.ts) use: either store. */
export type AppointmentStore = { [K in keyof SqliteAppointmentStore]: (...args: Parameters<Method<K>>) => MaybePromise<ReturnType<Method<K>>> };

/** A note is a first name or initials: printable, short; anything else is refused (never stripped silently). */
export function checkNote(note: string | undefined, consent: boolean | undefined, maxChars: number): { ok: true; note: string | null } | { ok: false; code: AppointmentRefusalCode } {
  if (note === undefined || note.trim() === '') return { ok: true, note: null };
  if (!consent) return { ok: false, code: 'NOTE_WITHOUT_CONSENT' };
  const trimmed = note.trim();
  // eslint-disable-next-line no-control-regex
  if ([...trimmed].length > maxChars || /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(trimmed)) return { ok: false, code: 'BAD_NOTE' };
  return { ok: true, note: trimmed };
}

export type { AppointmentStatus };
