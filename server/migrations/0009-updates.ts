// Kiosk updates (server/updates/): the releases registered by the coordinator with their staged rollout, each release's
// installer per platform (the file itself lies in the hub's data folder, `releases/<version>/<name>`), and each booth's
// last update report. Dates are epoch milliseconds, as in every hub table.
// IF NOT EXISTS: a database set back to an earlier `user_version` by hand runs the later migrations again.
import type { Migration } from '../../shared/node/migrations.js';

export const migration0009: Migration = {
  version: 9,
  name: 'updates',
  up(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS releases (
        version          TEXT PRIMARY KEY,
        created_at       INTEGER NOT NULL,
        rollout_booths   TEXT NOT NULL DEFAULT '[]',
        rollout_percent  INTEGER NOT NULL DEFAULT 0 CHECK (rollout_percent BETWEEN 0 AND 100),
        rollout_all      INTEGER NOT NULL DEFAULT 0,
        paused           INTEGER NOT NULL DEFAULT 0,
        updated_at       INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE IF NOT EXISTS release_files (
        version   TEXT NOT NULL REFERENCES releases (version) ON DELETE CASCADE,
        platform  TEXT NOT NULL,
        name      TEXT NOT NULL,
        size      INTEGER NOT NULL,
        sha512    TEXT NOT NULL,
        PRIMARY KEY (version, platform)
      ) STRICT;
      CREATE TABLE IF NOT EXISTS booth_updates (
        booth_id  INTEGER PRIMARY KEY REFERENCES booths (id) ON DELETE CASCADE,
        version   TEXT NOT NULL,
        outcome   TEXT NOT NULL,
        reason    TEXT,
        at        INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
