// The foundation schema: settings, organisations, mediators, PIN lockout, visits and their audit trail, mediator calls.
// Instants are epoch milliseconds (UTC); day_key (YYYYMMDD) and week_key (ISO year × 100 + week) are Europe/Paris.
import type { Migration } from '../index.js';

export const migration0001: Migration = {
  version: 1,
  name: 'foundation',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE organisations (
        code           TEXT PRIMARY KEY,
        name           TEXT NOT NULL,
        position       INTEGER NOT NULL,
        opening_hours  TEXT NOT NULL DEFAULT '[]',
        correspondent  TEXT NOT NULL DEFAULT '',
        active         INTEGER NOT NULL DEFAULT 1
      ) STRICT;

      CREATE TABLE mediators (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL,
        pin_hash    TEXT NOT NULL,
        active      INTEGER NOT NULL DEFAULT 1,
        created_at  INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE pin_lockout (
        id            INTEGER PRIMARY KEY CHECK (id = 1),
        failures      INTEGER NOT NULL,
        locked_until  INTEGER NOT NULL
      ) STRICT;
      INSERT INTO pin_lockout (id, failures, locked_until) VALUES (1, 0, 0);

      CREATE TABLE visits (
        id            INTEGER PRIMARY KEY,
        organisation  TEXT NOT NULL,
        service       TEXT NOT NULL,
        started_at    INTEGER NOT NULL,
        ended_at      INTEGER NOT NULL,
        day_key       INTEGER NOT NULL,
        week_key      INTEGER NOT NULL,
        mediator_id   INTEGER,
        age_band      TEXT,
        commune       TEXT,
        first_visit   INTEGER,
        source        TEXT NOT NULL,
        created_at    INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX visits_by_week ON visits (week_key, organisation, service);
      CREATE INDEX visits_by_day ON visits (day_key);

      CREATE TABLE visit_audit (
        id           INTEGER PRIMARY KEY,
        visit_id     INTEGER NOT NULL,
        action       TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
        mediator_id  INTEGER,
        at           INTEGER NOT NULL,
        before_json  TEXT,
        after_json   TEXT
      ) STRICT;
      CREATE INDEX visit_audit_by_visit ON visit_audit (visit_id);

      CREATE TABLE mediator_calls (
        id               INTEGER PRIMARY KEY,
        requested_at     INTEGER NOT NULL,
        screen           TEXT NOT NULL,
        acknowledged_at  INTEGER,
        mediator_id      INTEGER
      ) STRICT;
    `);
  },
};
