// Enrolment on PostgreSQL, as in the SQLite hub (server/migrations/0007-enrolment.ts): a booth created by the
// coordinator with its commune and the hash of its one-time code, spent once for the booth's token.
import type { PgMigration } from './index.js';

export const pgMigration0004: PgMigration = {
  version: 4,
  name: 'enrolment',
  sql: `
    CREATE TABLE booth_enrolments (
      booth_id BIGINT PRIMARY KEY REFERENCES booths (id) ON DELETE CASCADE,
      commune TEXT NOT NULL,
      code_hash TEXT NOT NULL UNIQUE,
      created_at BIGINT NOT NULL,
      expires_at BIGINT NOT NULL,
      used_at BIGINT
    );
  `,
};
