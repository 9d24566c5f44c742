// Visit counts that survive retention: live `visits` rows for days still in the detail window, `daily_aggregates` for purged days.
// Retention writes a day's counts and deletes its visits in one transaction, so a day is in exactly one of the two sources.
import type { ServiceType } from '../../../shared/domain.js';
import type { Db } from '../db/index.js';

export interface ServiceCount {
  organisation: string;
  /** Only ServiceType values are recorded: every visit's service passed the contract's schema (or a daily aggregate of them). */
  service: ServiceType;
  count: number;
}

export interface DayServiceCount extends ServiceCount {
  dayKey: number;
}

/** Counts per organisation and type of service of one ISO week (week key 202605): what the weekly grid and the hub sync read. */
export function weekCounts(db: Db, weekKey: number): ServiceCount[] {
  return db
    .prepare<[number, number], ServiceCount>(
      `SELECT organisation, service, SUM(c) AS count FROM (
         SELECT organisation, service, COUNT(*) AS c FROM visits WHERE week_key = ? GROUP BY organisation, service
         UNION ALL
         SELECT organisation, service, SUM(count) AS c FROM daily_aggregates WHERE week_key = ? GROUP BY organisation, service
       ) GROUP BY organisation, service ORDER BY organisation, service`,
    )
    .all(weekKey, weekKey);
}

/** Counts per day, organisation and type of service between two day keys (YYYYMMDD, inclusive). */
export function dailyCounts(db: Db, fromDayKey: number, toDayKey: number): DayServiceCount[] {
  return db
    .prepare<[number, number, number, number], DayServiceCount>(
      `SELECT day_key AS dayKey, organisation, service, COUNT(*) AS count FROM visits
         WHERE day_key BETWEEN ? AND ? GROUP BY day_key, organisation, service
       UNION ALL
       SELECT day_key AS dayKey, organisation, service, count FROM daily_aggregates
         WHERE day_key BETWEEN ? AND ?`,
    )
    .all(fromDayKey, toDayKey, fromDayKey, toDayKey);
}
