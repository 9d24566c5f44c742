// The department coordinators' accounts and sessions (server/coordinator/).
// IF NOT EXISTS: hubs before numbered migrations created these tables at each start, outside `user_version` (schema 2).
import type { Migration } from '../../shared/node/migrations.js';

export const migration0004: Migration = {
  version: 4,
  name: 'coordinators',
  up(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS coordinators (
        id             INTEGER PRIMARY KEY,
        login          TEXT NOT NULL UNIQUE,
        password_hash  TEXT NOT NULL,
        created_at     INTEGER NOT NULL,
        revoked_at     INTEGER
      ) STRICT;
      CREATE TABLE IF NOT EXISTS coordinator_sessions (
        token_hash      TEXT PRIMARY KEY,
        coordinator_id  INTEGER NOT NULL REFERENCES coordinators (id),
        created_at      INTEGER NOT NULL,
        expires_at      INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
