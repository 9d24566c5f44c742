// The weekly aggregates a booth sends to its hub: counts only, one payload per (site, ISO week).
// Proposed to move to shared/protocol.ts, where the booth's sender can also use it.
import { z } from 'zod';
import { IsoWeek, OrganisationCode, ServiceType } from '../../shared/domain.js';

export const WeekCount = z.object({ organisation: OrganisationCode, service: ServiceType, count: z.number().int().nonnegative() }).strict();
export type WeekCount = z.infer<typeof WeekCount>;

export const WeeklyAggregatePayload = z
  .object({
    siteId: z.string().min(8).max(64),
    week: IsoWeek,
    counts: z.array(WeekCount).max(1000),
    /** The booth's revision of the week (a hash of its counts): the same revision again is a no-op on the hub. */
    hash: z.string().min(8).max(128),
  })
  .strict();
export type WeeklyAggregatePayload = z.infer<typeof WeeklyAggregatePayload>;
