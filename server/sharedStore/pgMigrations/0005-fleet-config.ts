// The configuration pushed from the hub on PostgreSQL, as in the SQLite hub (server/migrations/0008-fleet-config.ts):
// every published version (for every booth, or one) and per booth the version it last said it runs and its last
// refusal. A version's number comes from an identity, never reused: the nodes publishing at once get distinct numbers.
// The configuration stays JSON text (not jsonb), read back exactly as written and checked by the same parser.
import type { PgMigration } from './index.js';

export const pgMigration0005: PgMigration = {
  version: 5,
  name: 'fleet-config',
  sql: `
    CREATE TABLE fleet_config_versions (
      version BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      target_booth BIGINT REFERENCES booths (id) ON DELETE CASCADE,
      config TEXT NOT NULL,
      published_at BIGINT NOT NULL,
      published_by TEXT NOT NULL,
      rolled_back_from BIGINT
    );
    CREATE INDEX fleet_config_by_target ON fleet_config_versions (target_booth, version);
    CREATE TABLE booth_config_state (
      booth_id BIGINT PRIMARY KEY REFERENCES booths (id) ON DELETE CASCADE,
      applied_version BIGINT,
      applied_at BIGINT,
      refused_version BIGINT,
      refused_code TEXT,
      refused_detail TEXT,
      refused_at BIGINT
    );
  `,
};
