// Retention: visits older than the setting are purged after their counts are written to daily_aggregates, in one transaction.
import { dayLabel, parisWallTimeToEpoch } from '../../../shared/time.js';
import type { Db } from '../db/index.js';
import { shiftMonthsDayKey } from './calendar.js';
import { DEFAULT_RETENTION_MONTHS } from './settings.js';

export interface PurgeResult {
  /** First day kept, 'YYYY-MM-DD': visits of earlier days are gone, their counts kept. */
  keptFrom: string;
  visitsDeleted: number;
  auditRowsDeleted: number;
  /** (day, organisation, service) counts written or added to. */
  aggregateRows: number;
}

/** Purges detailed visits of days before `now` minus `months` (Paris calendar); counts stay readable via counts.ts. */
export function purge(db: Db, now: number, months: number = DEFAULT_RETENTION_MONTHS): PurgeResult {
  if (!Number.isInteger(months) || months < 1) throw new RangeError(`retention months must be a positive integer: ${months}`);
  const cutoffDayKey = shiftMonthsDayKey(now, -months);
  const cutoffMs = parisWallTimeToEpoch(Math.floor(cutoffDayKey / 10_000), Math.floor(cutoffDayKey / 100) % 100, cutoffDayKey % 100, 0, 0);
  return db.transaction((): PurgeResult => {
    const aggregated = db
      .prepare(
        `INSERT INTO daily_aggregates (day_key, week_key, organisation, service, count)
         SELECT day_key, week_key, organisation, service, COUNT(*) FROM visits WHERE day_key < ?
         GROUP BY day_key, week_key, organisation, service
         ON CONFLICT (day_key, organisation, service) DO UPDATE SET count = count + excluded.count`,
      )
      .run(cutoffDayKey);
    const auditOfPurged = db.prepare('DELETE FROM visit_audit WHERE visit_id IN (SELECT id FROM visits WHERE day_key < ?)').run(cutoffDayKey);
    // Audit rows of visits deleted long ago carry their before-image: they go too.
    const oldAudit = db.prepare('DELETE FROM visit_audit WHERE at < ?').run(cutoffMs);
    const visits = db.prepare('DELETE FROM visits WHERE day_key < ?').run(cutoffDayKey);
    return {
      keptFrom: dayLabel(cutoffDayKey),
      visitsDeleted: visits.changes,
      auditRowsDeleted: auditOfPurged.changes + oldAudit.changes,
      aggregateRows: aggregated.changes,
    };
  })();
}
