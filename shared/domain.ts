// The vocabulary of the booth (DOMAIN.md): organisations, types of service, the anonymous profile.
import { z } from 'zod';

export const ORGANISATION_CODES = ['CAF', 'CPAM', 'CARSAT', 'FT', 'ML', 'UDAF'] as const;
/** Seeded organisations; a site may add its own, so stored codes are free strings of this shape. */
export const OrganisationCode = z.string().regex(/^[A-Z][A-Z0-9_]{1,15}$/, 'organisation code');
export type OrganisationCode = z.infer<typeof OrganisationCode>;

export const SERVICE_TYPES = ['info', 'documents', 'visio', 'teleservice', 'internet'] as const;
export const ServiceType = z.enum(SERVICE_TYPES);
export type ServiceType = z.infer<typeof ServiceType>;

export const AGE_BANDS = ['under25', '25to59', '60plus'] as const;
export const AgeBand = z.enum(AGE_BANDS);
export type AgeBand = z.infer<typeof AgeBand>;

/** Where a visit record came from: typed by the mediator, or counted by the kiosk itself. */
export const VisitSource = z.enum(['mediator', 'visio', 'print', 'teleservice']);
export type VisitSource = z.infer<typeof VisitSource>;

/** Epoch milliseconds (UTC): the one representation of instants in storage and on the wire. */
export const EpochMs = z.number().int().nonnegative();

/** ISO week as `YYYY-Www` (e.g. `2026-W05`), weeks in Europe/Paris time. */
export const IsoWeek = z.string().regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/, 'ISO week YYYY-Www');
export type IsoWeek = z.infer<typeof IsoWeek>;

/** A calendar day in Europe/Paris as `YYYY-MM-DD`. */
export const LocalDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'day YYYY-MM-DD');
export type LocalDay = z.infer<typeof LocalDay>;

/** `HH:MM` in Europe/Paris. */
export const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time HH:MM');

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export const OpeningSlot = z
  .object({ weekday: z.number().int().min(1).max(7), from: ClockTime, to: ClockTime })
  .refine((s) => s.from < s.to, { message: 'from must be before to', path: ['to'] });
export type OpeningSlot = z.infer<typeof OpeningSlot>;
