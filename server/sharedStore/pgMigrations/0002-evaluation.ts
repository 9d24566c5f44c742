// The coordinator's evaluation pages on PostgreSQL: the department coordinators' accounts and sessions, and the weekly
// aggregates booths send, as in the SQLite hub (server/migrations/0003-aggregates.ts and 0004-coordinators.ts). Epoch
// milliseconds, ids and counts are BIGINT (SQLite's INTEGER range); week keys (YYYYWW) fit an INTEGER.
import type { PgMigration } from './index.js';

export const pgMigration0002: PgMigration = {
  version: 2,
  name: 'evaluation',
  sql: `
    CREATE TABLE coordinators (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      login TEXT NOT NULL,
      password_hash TEXT NOT NULL,
      created_at BIGINT NOT NULL,
      revoked_at BIGINT
    );
    -- Unique on the login's MD5, as agents_login: a B-tree entry holds at most about 2.7 kB, SQLite takes any login.
    CREATE UNIQUE INDEX coordinators_login ON coordinators (md5(login));
    CREATE TABLE coordinator_sessions (
      token_hash TEXT PRIMARY KEY,
      coordinator_id BIGINT NOT NULL REFERENCES coordinators (id),
      created_at BIGINT NOT NULL,
      expires_at BIGINT NOT NULL
    );
    CREATE INDEX coordinator_sessions_expiry ON coordinator_sessions (expires_at);
    CREATE TABLE aggregate_sites (
      site_id TEXT PRIMARY KEY,
      site_name TEXT NOT NULL,
      last_received_at BIGINT NOT NULL
    );
    CREATE TABLE aggregate_weeks (
      site_id TEXT NOT NULL,
      week_key INTEGER NOT NULL,
      -- The booth's revision as its UTF-8 bytes: only compared, and a booth may send a NUL, which TEXT cannot hold.
      hash BYTEA NOT NULL,
      total BIGINT NOT NULL,
      received_at BIGINT NOT NULL,
      PRIMARY KEY (site_id, week_key)
    );
    CREATE INDEX aggregate_weeks_by_week ON aggregate_weeks (week_key, site_id COLLATE "C", total);
    CREATE TABLE aggregate_counts (
      site_id TEXT NOT NULL,
      week_key INTEGER NOT NULL,
      organisation TEXT NOT NULL,
      service TEXT NOT NULL,
      count BIGINT NOT NULL,
      PRIMARY KEY (site_id, week_key, organisation, service)
    );
    -- Department totals per week over the site-weeks within AGGREGATE_LIMIT_CEILING, rebuilt from aggregate_counts by
    -- each storeWeek of the week: the dashboard's totals read weeks × organisations × services rows.
    CREATE TABLE aggregate_department_weeks (
      week_key INTEGER NOT NULL,
      organisation TEXT NOT NULL,
      service TEXT NOT NULL,
      count BIGINT NOT NULL,
      PRIMARY KEY (week_key, organisation, service)
    );
  `,
};
