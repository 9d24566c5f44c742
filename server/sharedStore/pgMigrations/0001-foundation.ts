// The shared store's first PostgreSQL schema: what sign-in, revocation, organisations and call records need, as in the
// SQLite hub (server/migrations/0001-foundation.ts and 0002-revocation-indexes.ts). Instants are epoch milliseconds
// (BIGINT), ids BIGINT too: the same range as SQLite's INTEGER, so a hostile number is "not found", not an overflow.
import type { PgMigration } from './index.js';

export const pgMigration0001: PgMigration = {
  version: 1,
  name: 'foundation',
  sql: `
    CREATE TABLE organisations (
      code TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      position INTEGER NOT NULL,
      opening_hours TEXT NOT NULL
    );
    CREATE TABLE booths (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name TEXT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE,
      demo BOOLEAN NOT NULL DEFAULT FALSE,
      created_at BIGINT NOT NULL,
      revoked_at BIGINT
    );
    CREATE TABLE agents (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      organisation TEXT NOT NULL REFERENCES organisations (code),
      login TEXT NOT NULL,
      password_hash TEXT NOT NULL,
      display_name TEXT NOT NULL,
      demo BOOLEAN NOT NULL DEFAULT FALSE,
      created_at BIGINT NOT NULL,
      revoked_at BIGINT
    );
    -- Unique on the login's MD5, not the login: a B-tree entry holds at most about 2.7 kB, and SQLite takes a login of
    -- any length. Queries compare md5(login) (this index) and then login itself.
    CREATE UNIQUE INDEX agents_login ON agents (md5(login));
    CREATE TABLE sessions (
      token_hash TEXT PRIMARY KEY,
      agent_id BIGINT NOT NULL REFERENCES agents (id),
      created_at BIGINT NOT NULL,
      expires_at BIGINT NOT NULL,
      revoked_at BIGINT
    );
    CREATE INDEX sessions_agent ON sessions (agent_id);
    CREATE TABLE calls (
      id TEXT PRIMARY KEY,
      organisation TEXT NOT NULL,
      booth_id BIGINT NOT NULL,
      agent_id BIGINT,
      queued_at BIGINT NOT NULL,
      answered_at BIGINT,
      ended_at BIGINT NOT NULL,
      outcome TEXT NOT NULL CHECK (outcome IN ('answered', 'missed', 'abandoned', 'failed')),
      reason TEXT NOT NULL
    );
    CREATE INDEX calls_queued ON calls (queued_at);
    -- Every node asks every few seconds what was revoked since: only revoked rows are indexed.
    CREATE INDEX booths_revoked ON booths (revoked_at) WHERE revoked_at IS NOT NULL;
    CREATE INDEX agents_revoked ON agents (revoked_at) WHERE revoked_at IS NOT NULL;
    CREATE INDEX sessions_revoked ON sessions (revoked_at) WHERE revoked_at IS NOT NULL;
  `,
};
