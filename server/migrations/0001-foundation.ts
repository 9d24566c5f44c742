// The hub's first schema: organisations, booths, agents, their sessions, and call records (metadata only).
// Instants are epoch milliseconds (integers), as in the kiosk.
import type { Migration } from '../../shared/node/migrations.js';

export const migration0001: Migration = {
  version: 1,
  name: 'foundation',
  up(db) {
    db.exec(`
      CREATE TABLE organisations (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        position INTEGER NOT NULL,
        opening_hours TEXT NOT NULL
      );
      CREATE TABLE booths (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        demo INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE TABLE agents (
        id INTEGER PRIMARY KEY,
        organisation TEXT NOT NULL REFERENCES organisations(code),
        login TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        display_name TEXT NOT NULL,
        demo INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        agent_id INTEGER NOT NULL REFERENCES agents(id),
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE INDEX sessions_agent ON sessions(agent_id);
      CREATE TABLE calls (
        id TEXT PRIMARY KEY,
        organisation TEXT NOT NULL,
        booth_id INTEGER NOT NULL,
        agent_id INTEGER,
        queued_at INTEGER NOT NULL,
        answered_at INTEGER,
        ended_at INTEGER NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('answered', 'missed', 'abandoned', 'failed')),
        reason TEXT NOT NULL
      );
      CREATE INDEX calls_org_queued ON calls(organisation, queued_at);
    `);
  },
};
