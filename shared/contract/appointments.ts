// Visio appointments at the booth (issue 19): the slip printed for the visitor, and the appointments the kiosk remembers
// (so the home shows them after a restart or while the hub is unreachable). Never a visitor's name or note: those go to
// the hub only (shared/appointments.ts), with consent, and are erased there after the appointment.
import { z } from 'zod';
import { EpochMs, OrganisationCode } from '../domain.js';
import { PrintJob } from './printing.js';
import { Done, Empty, verb } from './verb.js';

export const KIOSK_APPOINTMENT_STATUSES = ['booked', 'honoured', 'missed', 'cancelled', 'closed'] as const;
export const KioskAppointmentStatus = z.enum(KIOSK_APPOINTMENT_STATUSES);
const AppointmentId = z.string().min(1).max(64);
const Label = z.string().min(1).max(200);
export const MAX_BRING_ITEMS = 30;

export const KioskAppointment = z
  .object({ id: AppointmentId, organisation: OrganisationCode, startsAt: EpochMs, endsAt: EpochMs, subjectLabel: Label, status: KioskAppointmentStatus })
  .strict()
  .refine((a) => a.endsAt > a.startsAt, { message: 'endsAt after startsAt', path: ['endsAt'] });
export type KioskAppointment = z.infer<typeof KioskAppointment>;

/** What the slip says: no name, no note (DOMAIN.md). The site's name and commune are added by main. */
export const AppointmentSlip = z
  .object({ organisation: OrganisationCode, startsAt: EpochMs, subjectLabel: Label, bring: z.array(Label).max(MAX_BRING_ITEMS) })
  .strict();
export type AppointmentSlip = z.infer<typeof AppointmentSlip>;

export const appointmentsVerbs = {
  /** The visitor's slip on the site's printer, tracked as every print job (kind `other`: an appointment is not a `documents` visit). */
  'appointments.printSlip': verb({ input: AppointmentSlip, output: PrintJob, errors: ['NO_PRINTER', 'UNKNOWN_ORGANISATION'], mediatorOnly: false }),
  /** Remembers an appointment booked here (or its new status): one row per appointment id. */
  'appointments.record': verb({ input: KioskAppointment, output: Done, errors: [], mediatorOnly: false }),
  /** The appointments not over yet (ending within the grace time or later), soonest first. */
  'appointments.list': verb({ input: Empty, output: z.array(KioskAppointment), errors: [], mediatorOnly: false }),
  'appointments.update': verb({ input: z.object({ id: AppointmentId, status: KioskAppointmentStatus }).strict(), output: Done, errors: ['NOT_FOUND'], mediatorOnly: false }),
} as const;
