// The coordinator's accounts and sessions in the hub's database (scrypt password hashes, hashed session tokens).
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { sha256 } from '../store.js';

type Db = Database.Database;

export interface CoordinatorRow {
  id: number;
  login: string;
  passwordHash: string;
  revoked: boolean;
}

export interface CoordinatorStore {
  add(login: string, passwordHash: string, now: number): number;
  byLogin(login: string): CoordinatorRow | null;
  /** A new session token (returned once; only its hash is stored). */
  newSession(coordinatorId: number, now: number, ttlMs: number): string;
  bySession(token: string, now: number): CoordinatorRow | null;
  endSession(token: string): void;
}

type Row = { id: number; login: string; password_hash: string; revoked_at: number | null };
const toRow = (r: Row): CoordinatorRow => ({ id: r.id, login: r.login, passwordHash: r.password_hash, revoked: r.revoked_at !== null });

/** Over the hub's database, whose migration 0004 made the tables. */
export function createCoordinatorStore(db: Db): CoordinatorStore {
  return {
    add(login, passwordHash, now) {
      const existing = db.prepare<[string], Row>('SELECT * FROM coordinators WHERE login = ?').get(login);
      if (existing) {
        db.prepare('UPDATE coordinators SET password_hash = ?, revoked_at = NULL WHERE id = ?').run(passwordHash, existing.id);
        return existing.id;
      }
      return Number(db.prepare('INSERT INTO coordinators (login, password_hash, created_at) VALUES (?, ?, ?)').run(login, passwordHash, now).lastInsertRowid);
    },
    byLogin(login) {
      const r = db.prepare<[string], Row>('SELECT * FROM coordinators WHERE login = ?').get(login);
      return r ? toRow(r) : null;
    },
    newSession(coordinatorId, now, ttlMs) {
      const token = `rc_${randomBytes(32).toString('base64url')}`;
      db.prepare('DELETE FROM coordinator_sessions WHERE expires_at <= ?').run(now);
      db.prepare('INSERT INTO coordinator_sessions (token_hash, coordinator_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(sha256(token), coordinatorId, now, now + ttlMs);
      return token;
    },
    bySession(token, now) {
      const r = db
        .prepare<[string, number], Row>(
          'SELECT c.* FROM coordinator_sessions s JOIN coordinators c ON c.id = s.coordinator_id WHERE s.token_hash = ? AND s.expires_at > ? AND c.revoked_at IS NULL',
        )
        .get(sha256(token), now);
      return r ? toRow(r) : null;
    },
    endSession(token) {
      db.prepare('DELETE FROM coordinator_sessions WHERE token_hash = ?').run(sha256(token));
    },
  };
}
