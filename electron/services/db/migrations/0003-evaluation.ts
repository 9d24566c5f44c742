// The evaluation tools: satisfaction survey, monthly audit, incident log, counts kept after retention, the hub sync queue.
// Instants are epoch milliseconds; day_key (YYYYMMDD) and week_key (ISO year × 100 + week) are Europe/Paris, as in 0001.
import type { Migration } from '../index.js';

export const migration0003: Migration = {
  version: 3,
  name: 'evaluation',
  up(db) {
    db.exec(`
      -- Anonymous: an organisation, a type of service, a day and the scores; no free text.
      CREATE TABLE survey_responses (
        id            INTEGER PRIMARY KEY,
        organisation  TEXT NOT NULL,
        service       TEXT NOT NULL,
        answered_at   INTEGER NOT NULL,
        day_key       INTEGER NOT NULL,
        week_key      INTEGER NOT NULL,
        answers       TEXT NOT NULL
      ) STRICT;
      CREATE INDEX survey_by_day ON survey_responses (day_key);

      CREATE TABLE audits (
        id           INTEGER PRIMARY KEY,
        month        TEXT NOT NULL,
        mediator_id  INTEGER,
        done_at      INTEGER NOT NULL,
        items        TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audits_by_month ON audits (month, done_at);

      CREATE TABLE incidents (
        id            INTEGER PRIMARY KEY,
        category      TEXT NOT NULL CHECK (category IN ('equipment', 'connection', 'organisation_unreachable', 'other')),
        organisation  TEXT,
        what          TEXT NOT NULL,
        action        TEXT NOT NULL DEFAULT '',
        status        TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
        opened_at     INTEGER NOT NULL,
        resolved_at   INTEGER,
        fault_key     TEXT,
        occurrences   INTEGER NOT NULL DEFAULT 1,
        last_seen_at  INTEGER NOT NULL,
        auto_resolved INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      -- One open incident per fault the kiosk sees; a fault seen again after resolution opens a new one.
      CREATE UNIQUE INDEX incidents_open_fault ON incidents (fault_key) WHERE status = 'open' AND fault_key IS NOT NULL;
      CREATE INDEX incidents_by_opened ON incidents (opened_at);
      CREATE INDEX incidents_by_status ON incidents (status, opened_at);

      -- Counts of visits of purged days (retention): per day so that month reports stay exact after purge.
      CREATE TABLE daily_aggregates (
        day_key       INTEGER NOT NULL,
        week_key      INTEGER NOT NULL,
        organisation  TEXT NOT NULL,
        service       TEXT NOT NULL,
        count         INTEGER NOT NULL CHECK (count >= 0),
        PRIMARY KEY (day_key, organisation, service)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX daily_aggregates_by_week ON daily_aggregates (week_key, organisation, service, count);

      -- Weekly aggregates waiting for (or already accepted by) the hub; one row per week.
      CREATE TABLE sync_queue (
        week_key         INTEGER PRIMARY KEY,
        payload_hash     TEXT NOT NULL,
        state            TEXT NOT NULL CHECK (state IN ('pending', 'sent')),
        attempts         INTEGER NOT NULL DEFAULT 0,
        next_attempt_at  INTEGER NOT NULL,
        last_error       TEXT,
        sent_hash        TEXT,
        sent_at          INTEGER
      ) STRICT;
      CREATE INDEX sync_queue_due ON sync_queue (state, next_attempt_at);

      -- Covering index of the month report and CSV range scans (no table lookups).
      CREATE INDEX visits_by_day_org_service ON visits (day_key, organisation, service);
    `);
  },
};
