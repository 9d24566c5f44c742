// The fleet (server/fleet/): each booth's connection state and last health report, its bounded history of state
// changes, and the alerts in progress (one row per booth and rule: the unique key decides which hub sends the e-mail).
// IF NOT EXISTS: a database set back to an earlier `user_version` by hand runs the later migrations again.
import type { Migration } from '../../shared/node/migrations.js';

export const migration0006: Migration = {
  version: 6,
  name: 'fleet',
  up(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS booth_health (
        booth_id     INTEGER PRIMARY KEY REFERENCES booths (id) ON DELETE CASCADE,
        online       INTEGER NOT NULL DEFAULT 0,
        since        INTEGER,
        health       TEXT,
        reported_at  INTEGER,
        problems     TEXT NOT NULL DEFAULT '{}'
      ) STRICT;
      CREATE TABLE IF NOT EXISTS booth_events (
        id        INTEGER PRIMARY KEY,
        booth_id  INTEGER NOT NULL REFERENCES booths (id) ON DELETE CASCADE,
        at        INTEGER NOT NULL,
        kind      TEXT NOT NULL,
        problem   TEXT,
        version   TEXT
      ) STRICT;
      CREATE INDEX IF NOT EXISTS booth_events_by_booth ON booth_events (booth_id, id);
      CREATE TABLE IF NOT EXISTS fleet_alerts (
        booth_id    INTEGER NOT NULL REFERENCES booths (id) ON DELETE CASCADE,
        rule        TEXT NOT NULL,
        started_at  INTEGER NOT NULL,
        PRIMARY KEY (booth_id, rule)
      ) STRICT;
    `);
  },
};
