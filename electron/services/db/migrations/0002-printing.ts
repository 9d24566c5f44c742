// Print jobs: what was printed and how it ended. Never the document's bytes nor what a visitor typed into a form.
import type { Migration } from '../index.js';

export const migration0002: Migration = {
  version: 2,
  name: 'printing',
  up(db) {
    db.exec(`
      CREATE TABLE print_jobs (
        id             INTEGER PRIMARY KEY,
        cups_job_id    INTEGER,
        printer        TEXT NOT NULL,
        title          TEXT NOT NULL,
        kind           TEXT NOT NULL CHECK (kind IN ('form', 'document', 'grid', 'other')),
        organisation   TEXT,
        pages          INTEGER NOT NULL,
        copies         INTEGER NOT NULL,
        duplex         INTEGER NOT NULL DEFAULT 0,
        state          TEXT NOT NULL,
        state_reasons  TEXT NOT NULL DEFAULT '[]',
        message        TEXT NOT NULL DEFAULT '',
        created_at     INTEGER NOT NULL,
        updated_at     INTEGER NOT NULL,
        ended_at       INTEGER,
        attempts       INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX print_jobs_active ON print_jobs (ended_at, id);
    `);
  },
};
