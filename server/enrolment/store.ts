// Enrolment in the hub's database: a booth created by the coordinator with its commune and a one-time code (its hash),
// and the exchange of that code, once, for the booth's credential (a token of the kind `booth add` prints).
import type { HubStore } from '../store.js';
import { newToken, sha256 } from '../store.js';
import { ENROLMENT_TTL_MS, formatEnrolmentCode, hashEnrolmentCode, newEnrolmentCode } from './codes.js';

export type EnrolmentRefusal = 'ENROL_CODE_UNKNOWN' | 'ENROL_CODE_EXPIRED' | 'ENROL_CODE_USED';

export interface CreatedEnrolment {
  boothId: number;
  name: string;
  commune: string;
  /** Shown once, as `ABCD-EFGH`; never stored. */
  code: string;
  expiresAt: number;
}

export interface PendingEnrolment {
  boothId: number;
  name: string;
  commune: string;
  expiresAt: number;
}

export type Redeemed = { ok: true; boothId: number; name: string; token: string } | { ok: false; error: EnrolmentRefusal };

/** Asynchronous: the hub's SQLite file (below) or PostgreSQL shared by the nodes (server/sharedStore/postgresEnrolment.ts). */
export interface EnrolmentStore {
  /** Creates the booth (no usable token yet) and its code, valid ENROLMENT_TTL_MS from `now`. */
  create(name: string, commune: string, now: number): Promise<CreatedEnrolment>;
  /** A new code for a booth not enrolled yet (the old code stops working); null if enrolled, revoked or unknown. */
  renew(boothId: number, now: number): Promise<CreatedEnrolment | null>;
  /** Booths created here whose code was not used yet (expired ones included), newest first, 500 at most. */
  pending(): Promise<PendingEnrolment[]>;
  /** Spends the code (already normalised) and gives the booth's new token; a code works once. */
  redeem(code: string, now: number): Promise<Redeemed>;
}

/** How many pending enrolments the coordinator's list shows. */
export const PENDING_LISTED = 500;

interface Row {
  booth_id: number;
  name: string;
  commune: string;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
}

export function createEnrolmentStore(store: Pick<HubStore, 'db' | 'addBooth'>, newCode: () => string = newEnrolmentCode): EnrolmentStore {
  const { db } = store;
  const insert = db.prepare('INSERT INTO booth_enrolments (booth_id, commune, code_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)');
  const byHash = db.prepare(
    `SELECT e.booth_id, b.name, e.commune, e.expires_at, e.used_at, b.revoked_at
       FROM booth_enrolments e JOIN booths b ON b.id = e.booth_id WHERE e.code_hash = ?`,
  );
  const byBooth = db.prepare(
    `SELECT e.booth_id, b.name, e.commune, e.expires_at, e.used_at, b.revoked_at
       FROM booth_enrolments e JOIN booths b ON b.id = e.booth_id WHERE e.booth_id = ?`,
  );
  const spend = db.prepare('UPDATE booth_enrolments SET used_at = ? WHERE booth_id = ? AND used_at IS NULL');
  const setToken = db.prepare('UPDATE booths SET token_hash = ? WHERE id = ? AND revoked_at IS NULL');
  const setCode = db.prepare('UPDATE booth_enrolments SET code_hash = ?, created_at = ?, expires_at = ? WHERE booth_id = ? AND used_at IS NULL');

  /** A code no other booth holds (a collision among live codes is astronomically rare, but the column is UNIQUE). */
  const freshCode = (): string => {
    for (;;) {
      const code = newCode();
      if (byHash.get(hashEnrolmentCode(code)) === undefined) return code;
    }
  };

  // better-sqlite3 answers at once; the promises only give the interface's shape (a throw becomes a rejection).
  return {
    async create(name, commune, now) {
      return db.transaction(() => {
        // The token `addBooth` makes is dropped unseen: the booth's real token is made when its code is used.
        const { id } = store.addBooth(name, now);
        const code = freshCode();
        insert.run(id, commune, hashEnrolmentCode(code), now, now + ENROLMENT_TTL_MS);
        return { boothId: id, name, commune, code: formatEnrolmentCode(code), expiresAt: now + ENROLMENT_TTL_MS };
      })();
    },
    async renew(boothId, now) {
      return db.transaction(() => {
        const row = byBooth.get(boothId) as Row | undefined;
        if (!row || row.used_at !== null || row.revoked_at !== null) return null;
        const code = freshCode();
        setCode.run(hashEnrolmentCode(code), now, now + ENROLMENT_TTL_MS, boothId);
        return { boothId, name: row.name, commune: row.commune, code: formatEnrolmentCode(code), expiresAt: now + ENROLMENT_TTL_MS };
      })();
    },
    async pending() {
      const rows = db
        .prepare(
          `SELECT e.booth_id, b.name, e.commune, e.expires_at FROM booth_enrolments e JOIN booths b ON b.id = e.booth_id
            WHERE e.used_at IS NULL AND b.revoked_at IS NULL ORDER BY e.booth_id DESC LIMIT ${PENDING_LISTED}`,
        )
        .all() as Row[];
      return rows.map((r) => ({ boothId: r.booth_id, name: r.name, commune: r.commune, expiresAt: r.expires_at }));
    },
    async redeem(code, now) {
      return db.transaction(() => {
        const row = byHash.get(hashEnrolmentCode(code)) as Row | undefined;
        if (!row || row.revoked_at !== null) return { ok: false as const, error: 'ENROL_CODE_UNKNOWN' as const };
        if (row.used_at !== null) return { ok: false as const, error: 'ENROL_CODE_USED' as const };
        if (now >= row.expires_at) return { ok: false as const, error: 'ENROL_CODE_EXPIRED' as const };
        // Single use even under concurrent requests: the row changes only while `used_at` is still null.
        if (spend.run(now, row.booth_id).changes !== 1) return { ok: false as const, error: 'ENROL_CODE_USED' as const };
        const token = newToken('rb');
        setToken.run(sha256(token), row.booth_id);
        return { ok: true as const, boothId: row.booth_id, name: row.name, token };
      })();
    },
  };
}
