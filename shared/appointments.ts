// Visio appointments on the hub's socket (issue 19): the frames booths, agents and planners send and receive.
// Joined into the unions of shared/protocol.ts; the hub's side is server/appointments/.
import { z } from 'zod';
import { EpochMs, OrganisationCode } from './domain.js';

const AppointmentId = z.string().min(1).max(64);
const SubjectCode = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/);
const LocalDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** A first name or initials for the agent: short, printable, no control characters (checked again by the hub). */
export const MAX_NOTE_CHARS = 40;
export const MAX_SLOTS_ASKED = 50;
export const MAX_SERIES_BOOTHS = 500;
export const MAX_SERIES_AGENTS = 100;

// ---- booth → hub ----
export const AppointmentSlotsAsk = z.strictObject({
  type: z.literal('appointment.slots'),
  organisation: OrganisationCode,
  /** From this instant (default: now). */
  from: EpochMs.optional(),
  limit: z.number().int().min(1).max(MAX_SLOTS_ASKED).optional(),
});
export const AppointmentBook = z.strictObject({
  type: z.literal('appointment.book'),
  organisation: OrganisationCode,
  startsAt: EpochMs,
  subject: SubjectCode,
  /** Shown to the agent; only with the visitor's consent; erased once the appointment is over. */
  note: z.string().max(MAX_NOTE_CHARS * 4).optional(),
  noteConsent: z.boolean().optional(),
});
export const AppointmentCancel = z.strictObject({ type: z.literal('appointment.cancel'), appointmentId: AppointmentId });
/**
 * The booth's appointments not yet over (its home shows the next one; after a restart it asks again). With `since`: every
 * appointment of the booth ending from then on, whatever became of it (the month report's counts, issue 19), the hub
 * reaching back at most MINE_SINCE_MAX_MS.
 */
export const AppointmentMine = z.strictObject({ type: z.literal('appointment.mine'), since: EpochMs.optional() });
/** How far back `appointment.mine` with `since` reaches: the kiosk keeps its appointments about that long. */
export const MINE_SINCE_MAX_MS = 400 * 86_400_000;
/** The most appointments one `appointment.mine` answer carries (the newest kept when there are more). */
export const MINE_MAX_APPOINTMENTS = 500;

// ---- planner agent → hub ----
export const SlotSeriesSpec = z.strictObject({
  /** Local date and time of the first slot (Europe/Paris unless `timeZone`): « 2026-03-30T09:00 ». */
  start: z.string().max(32),
  /** RFC 5545 RRULE without DTSTART (« FREQ=WEEKLY;BYDAY=MO,TU,TH »); absent: a one-off slot. */
  rule: z.string().max(1024).optional(),
  lengthMin: z.number().int().min(5).max(480),
  /** Places in each slot: how many agents take appointments at that time. */
  capacity: z.number().int().min(1).max(100),
  /** Booth ids that may book; absent: every booth. */
  booths: z.array(z.number().int().positive()).min(1).max(MAX_SERIES_BOOTHS).optional(),
  /** Logins of the agents who hold the places, in order (one per place); absent: the organisation's queue. */
  agents: z.array(z.string().min(1).max(64)).min(1).max(MAX_SERIES_AGENTS).optional(),
  /** Keep the slots that fall on a public holiday (default: removed). */
  onHolidays: z.boolean().optional(),
  timeZone: z.string().max(64).optional(),
});
export type SlotSeriesSpec = z.infer<typeof SlotSeriesSpec>;
export const SlotsPublish = z.strictObject({ type: z.literal('slots.publish'), series: SlotSeriesSpec });
export const SlotsClose = z.strictObject({
  type: z.literal('slots.close'),
  /** A whole series from now on, or every slot of these local days (a holiday, a closure). */
  close: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('series'), seriesId: z.number().int().positive() }),
    z.strictObject({ kind: z.literal('days'), from: LocalDay, to: LocalDay, reason: z.string().max(120).optional() }),
  ]),
});
export const SlotsList = z.strictObject({ type: z.literal('slots.list') });
export const AppointmentsList = z.strictObject({ type: z.literal('appointments.list'), range: z.enum(['day', 'week']), from: EpochMs.optional() });

/** An agent's own calendar address: a new secret (the previous one stops working) or none (revoked). */
export const AppointmentsIcal = z.strictObject({ type: z.literal('appointments.ical'), action: z.enum(['new', 'revoke']) });

export const APPOINTMENT_BOOTH_FRAMES = ['appointment.slots', 'appointment.book', 'appointment.cancel', 'appointment.mine'] as const;
export const APPOINTMENT_AGENT_FRAMES = ['slots.publish', 'slots.close', 'slots.list', 'appointments.list', 'appointments.ical', 'slots.booths'] as const;

// ---- hub → clients ----
export const FreeSlot = z.strictObject({ startsAt: EpochMs, endsAt: EpochMs, free: z.number().int().positive() });
export type FreeSlot = z.infer<typeof FreeSlot>;
export const Subject = z.strictObject({ code: z.string(), label: z.string(), bring: z.array(z.string()) });
export const AppointmentStatus = z.enum(['booked', 'honoured', 'missed', 'cancelled', 'closed']);
export type AppointmentStatus = z.infer<typeof AppointmentStatus>;
/** What a booth knows of its appointment: no note (it was typed there), no agent's name. */
export const BoothAppointment = z.strictObject({ id: AppointmentId, organisation: OrganisationCode, startsAt: EpochMs, endsAt: EpochMs, subject: z.string(), status: AppointmentStatus });
/** What an agent sees: the booth's site, the subject, and the note while the appointment is not over. */
export const AgentAppointment = BoothAppointment.extend({ siteName: z.string(), agentId: z.number().int().nullable(), subjectLabel: z.string(), note: z.string().nullable() });
export type AgentAppointment = z.infer<typeof AgentAppointment>;

export const AppointmentRefusalCode = z.enum([
  'SLOT_TAKEN',
  'UNKNOWN_SUBJECT',
  'BAD_NOTE',
  'NOTE_WITHOUT_CONSENT',
  'TOO_MANY_APPOINTMENTS',
  'UNKNOWN_APPOINTMENT',
  'BAD_RULE',
  'BAD_START',
  'BAD_TIME_ZONE',
  'BAD_DAYS',
  'UNKNOWN_AGENT',
  'UNKNOWN_SERIES',
  'NO_SLOT',
]);
export type AppointmentRefusalCode = z.infer<typeof AppointmentRefusalCode>;

export const AppointmentSlotsAnswer = z.strictObject({
  type: z.literal('appointment.slots'),
  organisation: OrganisationCode,
  subjects: z.array(Subject),
  slots: z.array(FreeSlot),
});
export const AppointmentBooked = z.strictObject({ type: z.literal('appointment.booked'), appointment: BoothAppointment, bring: z.array(z.string()) });
/** A booking, cancellation or planner's change refused: a code, a French message, and for SLOT_TAKEN the next free slots. */
export const AppointmentRefused = z.strictObject({
  type: z.literal('appointment.refused'),
  code: AppointmentRefusalCode,
  message: z.string(),
  next: z.array(FreeSlot),
});
export const ChangeReason = z.enum(['cancelled_by_booth', 'cancelled_by_organisation', 'missed', 'honoured']);
/** To a booth: its appointment changed (cancelled by itself or by the organisation, or marked « non honoré »). */
export const AppointmentChanged = z.strictObject({ type: z.literal('appointment.changed'), appointment: BoothAppointment, reason: ChangeReason });
/** To the holding agent (or, without a holder, the organisation's agents): an appointment booked, cancelled or missed. */
export const AppointmentsChanged = z.strictObject({ type: z.literal('appointments.changed'), appointment: AgentAppointment, reason: ChangeReason.or(z.literal('booked')) });
export const SlotsPublished = z.strictObject({
  type: z.literal('slots.published'),
  seriesId: z.number().int().positive(),
  slots: z.number().int().nonnegative(),
  skipped: z.strictObject({ holidays: z.number().int(), closures: z.number().int(), past: z.number().int() }),
  /** Starts moved from the spring-forward gap (02:00–03:00 does not exist that night) to the hour after. */
  shifted: z.array(EpochMs),
  truncated: z.boolean(),
});
export const SlotsClosed = z.strictObject({ type: z.literal('slots.closed'), slots: z.number().int().nonnegative(), affected: z.array(AgentAppointment) });
export const SeriesSummary = z.strictObject({
  id: z.number().int(),
  start: z.string(),
  rule: z.string().nullable(),
  lengthMin: z.number().int(),
  capacity: z.number().int(),
  booths: z.array(z.number().int()).nullable(),
  agents: z.array(z.string()),
  upcoming: z.number().int(),
  booked: z.number().int(),
});
export const SlotsListAnswer = z.strictObject({
  type: z.literal('slots.list'),
  series: z.array(SeriesSummary),
  closures: z.array(z.strictObject({ from: LocalDay, to: LocalDay, reason: z.string().nullable() })),
});
export const AppointmentMineAnswer = z.strictObject({ type: z.literal('appointment.mine'), appointments: z.array(BoothAppointment) });
export const AppointmentsListAnswer = z.strictObject({ type: z.literal('appointments.list'), from: EpochMs, to: EpochMs, appointments: z.array(AgentAppointment) });
/** The agent's new calendar path (« /agents/ical/<secret>.ics », shown once, the console prefixes its origin), or null once revoked. */
export const AppointmentsIcalAnswer = z.strictObject({ type: z.literal('appointments.ical'), path: z.string().max(256).nullable() });

// ---- what any agent rung for an appointment sees (its holder, or another agent once the call widens) ----
export const MAX_SUBJECT_LABEL_CHARS = 120;
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** One line of text for a screen: at most `maxChars` code points, no control or direction-changing characters. */
const PrintableLine = (maxChars: number) =>
  z
    .string()
    .min(1)
    .max(maxChars * 2)
    .refine((s) => [...s].length <= maxChars && !UNPRINTABLE.test(s) && s.trim() === s);
/**
 * Carried by `call.ringing`: the start, the subject's label, and the note only when the visitor consented to it being
 * noted. The hub never logs it (the note is erased once the appointment is over, DOMAIN.md).
 */
export const RingingAppointment = z.strictObject({
  startsAt: EpochMs,
  subjectLabel: PrintableLine(MAX_SUBJECT_LABEL_CHARS),
  note: PrintableLine(MAX_NOTE_CHARS).optional(),
});
export type RingingAppointment = z.infer<typeof RingingAppointment>;

// ---- the booths a planner may publish a slot series for ----
export const MAX_BOOTH_CHOICES = 2_000;
/** A planner asks for the department's booths (the planner right only; FORBIDDEN to a booth or another agent). */
export const SlotsBooths = z.strictObject({ type: z.literal('slots.booths') });
/** A booth as the planner picks it: its id, its site's name and its commune when the hub knows it; nothing else. */
export const BoothChoice = z.strictObject({ id: z.number().int().positive(), siteName: z.string().max(120), commune: z.string().max(80).nullable() });
export type BoothChoice = z.infer<typeof BoothChoice>;
export const SlotsBoothsAnswer = z.strictObject({ type: z.literal('slots.booths'), booths: z.array(BoothChoice).max(MAX_BOOTH_CHOICES) });
