// The weekly aggregates received from booths (server/aggregates/): sites, their weeks, counts, department totals.
// IF NOT EXISTS: hubs before numbered migrations created these tables at each start, outside `user_version` (schema 2).
import type { Migration } from '../../shared/node/migrations.js';

export const migration0003: Migration = {
  version: 3,
  name: 'aggregates',
  up(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS aggregate_sites (
        site_id           TEXT PRIMARY KEY,
        site_name         TEXT NOT NULL,
        last_received_at  INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE IF NOT EXISTS aggregate_weeks (
        site_id      TEXT NOT NULL,
        week_key     INTEGER NOT NULL,
        hash         TEXT NOT NULL,
        total        INTEGER NOT NULL,
        received_at  INTEGER NOT NULL,
        PRIMARY KEY (site_id, week_key)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS aggregate_weeks_by_week ON aggregate_weeks (week_key, site_id, total);
      CREATE TABLE IF NOT EXISTS aggregate_counts (
        site_id       TEXT NOT NULL,
        week_key      INTEGER NOT NULL,
        organisation  TEXT NOT NULL,
        service       TEXT NOT NULL,
        count         INTEGER NOT NULL,
        PRIMARY KEY (site_id, week_key, organisation, service)
      ) STRICT, WITHOUT ROWID;
      -- Department totals per week, kept in step with aggregate_counts by storeWeek over the site-weeks whose total is
      -- within AGGREGATE_LIMIT_CEILING: the dashboard's totals read weeks × organisations × services rows instead of every
      -- site's counts.
      CREATE TABLE IF NOT EXISTS aggregate_department_weeks (
        week_key      INTEGER NOT NULL,
        organisation  TEXT NOT NULL,
        service       TEXT NOT NULL,
        count         INTEGER NOT NULL,
        PRIMARY KEY (week_key, organisation, service)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
