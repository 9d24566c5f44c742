// Enrolment (server/enrolment/): a booth created from the coordinator's dashboard waits for its one-time code; only the
// code's SHA-256 is kept, with its expiry and the instant it was used. The commune the coordinator typed sits here too.
// IF NOT EXISTS: a database set back to an earlier `user_version` by hand runs the later migrations again.
import type { Migration } from '../../shared/node/migrations.js';

export const migration0007: Migration = {
  version: 7,
  name: 'enrolment',
  up(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS booth_enrolments (
        booth_id    INTEGER PRIMARY KEY REFERENCES booths (id) ON DELETE CASCADE,
        commune     TEXT NOT NULL,
        code_hash   TEXT NOT NULL UNIQUE,
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,
        used_at     INTEGER
      ) STRICT;
    `);
  },
};
