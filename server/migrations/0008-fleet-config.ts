// The configuration pushed from the hub (server/fleetConfig/): every published version (for every booth, or one), and per
// booth the version it last said it runs and its last refusal. A version is never changed nor deleted: rolling back
// publishes an older one's configuration again under a new number.
// IF NOT EXISTS: a database set back to an earlier `user_version` by hand runs the later migrations again.
import type { Migration } from '../../shared/node/migrations.js';

export const migration0008: Migration = {
  version: 8,
  name: 'fleet-config',
  up(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS fleet_config_versions (
        version           INTEGER PRIMARY KEY AUTOINCREMENT,
        target_booth      INTEGER REFERENCES booths (id) ON DELETE CASCADE,
        config            TEXT NOT NULL,
        published_at      INTEGER NOT NULL,
        published_by      TEXT NOT NULL,
        rolled_back_from  INTEGER
      ) STRICT;
      CREATE INDEX IF NOT EXISTS fleet_config_by_target ON fleet_config_versions (target_booth, version);
      CREATE TABLE IF NOT EXISTS booth_config_state (
        booth_id          INTEGER PRIMARY KEY REFERENCES booths (id) ON DELETE CASCADE,
        applied_version   INTEGER,
        applied_at        INTEGER,
        refused_version   INTEGER,
        refused_code      TEXT,
        refused_detail    TEXT,
        refused_at        INTEGER
      ) STRICT;
    `);
  },
};
