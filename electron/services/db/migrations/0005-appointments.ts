// Visio appointments booked at this booth (issue 19), remembered so the home shows them after a restart or while the hub
// is unreachable: the hub's id, organisation, times, subject's label and status — never the visitor's note or name.
import type { Migration } from '../index.js';

export const migration0005: Migration = {
  version: 5,
  name: 'appointments',
  up(db) {
    db.exec(`
      CREATE TABLE appointments (
        id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
        organisation TEXT NOT NULL,
        starts_at INTEGER NOT NULL,
        ends_at INTEGER NOT NULL CHECK (ends_at > starts_at),
        subject_label TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('booked', 'honoured', 'missed', 'cancelled', 'closed')),
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX appointments_ends_at ON appointments (ends_at);
    `);
  },
};
