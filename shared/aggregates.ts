// The weekly aggregates a booth sends to its hub over HTTP: counts only, one payload per (site, ISO week).
// The booth's sender (electron/services/evaluation/sync.ts) and the hub's receiver (server/aggregates) both use it.
import { z } from 'zod';
import { IsoWeek, OrganisationCode, ServiceType } from './domain.js';

/** Where a booth POSTs a week's payload on its hub (with `Authorization: Bearer <booth token>`). */
export const AGGREGATES_PATH = '/coordinator/api/aggregates';

export const WeekCount = z.object({ organisation: OrganisationCode, service: ServiceType, count: z.number().int().nonnegative() }).strict();
export type WeekCount = z.infer<typeof WeekCount>;

export const WeeklyAggregatePayload = z
  .object({
    siteId: z.string().min(8).max(64),
    /** ISO week 'YYYY-Www' (Paris). */
    week: IsoWeek,
    counts: z.array(WeekCount).max(1000),
    /** The booth's revision of the week (SHA-256 of its canonical counts): the same revision again is a no-op on the hub. */
    hash: z.string().min(8).max(128),
  })
  .strict();
export type WeeklyAggregatePayload = z.infer<typeof WeeklyAggregatePayload>;
