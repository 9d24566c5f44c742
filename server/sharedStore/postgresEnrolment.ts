// Enrolment on PostgreSQL, for the nodes of a hub across machines: the SQLite store's answers (server/enrolment/store.ts)
// over the pool of the shared store, whose migration 0004 made the table. A code is spent once even when two nodes
// receive it at the same moment: the row is locked while it is checked and spent.
import type pg from 'pg';
import { ENROLMENT_TTL_MS, formatEnrolmentCode, hashEnrolmentCode, newEnrolmentCode } from '../enrolment/codes.js';
import { PENDING_LISTED, type EnrolmentStore } from '../enrolment/store.js';
import { newToken, sha256 } from '../store.js';
import { inTransaction } from './pgTransaction.js';

type Row = { booth_id: number; name: string; commune: string; expires_at: number; used_at: number | null; revoked_at: number | null };
const COLUMNS = 'e.booth_id, b.name, e.commune, e.expires_at, e.used_at, b.revoked_at';

/** What the unique index on code_hash says when two live codes collide (astronomically rare): draw again. */
const UNIQUE_VIOLATION = '23505';

export function postgresEnrolmentStore(pool: pg.Pool, newCode: () => string = newEnrolmentCode): EnrolmentStore {
  /** Runs `work` with a fresh code, drawing again if another booth holds it. */
  async function withFreshCode<T>(work: (client: pg.PoolClient, code: string) => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await inTransaction(pool, (client) => work(client, newCode()));
      } catch (error) {
        if ((error as { code?: string }).code !== UNIQUE_VIOLATION || !String((error as { constraint?: string }).constraint ?? '').includes('code_hash')) throw error;
      }
    }
  }

  return {
    create(name, commune, now) {
      return withFreshCode(async (client, code) => {
        // The token made here is dropped unseen: the booth's real token is made when its code is used.
        const { rows } = await client.query<{ id: number }>('INSERT INTO booths (name, token_hash, demo, created_at) VALUES ($1, $2, FALSE, $3) RETURNING id', [name, sha256(newToken('rb')), now]);
        const boothId = rows[0]!.id;
        await client.query('INSERT INTO booth_enrolments (booth_id, commune, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [boothId, commune, hashEnrolmentCode(code), now, now + ENROLMENT_TTL_MS]);
        return { boothId, name, commune, code: formatEnrolmentCode(code), expiresAt: now + ENROLMENT_TTL_MS };
      });
    },
    async renew(boothId, now) {
      if (!Number.isSafeInteger(boothId)) return null;
      return withFreshCode(async (client, code) => {
        const [row] = (await client.query<Row>(`SELECT ${COLUMNS} FROM booth_enrolments e JOIN booths b ON b.id = e.booth_id WHERE e.booth_id = $1 FOR UPDATE OF e`, [boothId])).rows;
        if (!row || row.used_at !== null || row.revoked_at !== null) return null;
        await client.query('UPDATE booth_enrolments SET code_hash = $1, created_at = $2, expires_at = $3 WHERE booth_id = $4', [hashEnrolmentCode(code), now, now + ENROLMENT_TTL_MS, boothId]);
        return { boothId, name: row.name, commune: row.commune, code: formatEnrolmentCode(code), expiresAt: now + ENROLMENT_TTL_MS };
      });
    },
    async pending() {
      const { rows } = await pool.query<Row>(
        `SELECT ${COLUMNS} FROM booth_enrolments e JOIN booths b ON b.id = e.booth_id
          WHERE e.used_at IS NULL AND b.revoked_at IS NULL ORDER BY e.booth_id DESC LIMIT ${PENDING_LISTED}`,
      );
      return rows.map((r) => ({ boothId: r.booth_id, name: r.name, commune: r.commune, expiresAt: r.expires_at }));
    },
    redeem(code, now) {
      return inTransaction(pool, async (client) => {
        // Locked until the transaction ends: a second node redeeming the same code waits, then finds it used.
        const [row] = (await client.query<Row>(`SELECT ${COLUMNS} FROM booth_enrolments e JOIN booths b ON b.id = e.booth_id WHERE e.code_hash = $1 FOR UPDATE OF e`, [hashEnrolmentCode(code)])).rows;
        if (!row || row.revoked_at !== null) return { ok: false as const, error: 'ENROL_CODE_UNKNOWN' as const };
        if (row.used_at !== null) return { ok: false as const, error: 'ENROL_CODE_USED' as const };
        if (now >= row.expires_at) return { ok: false as const, error: 'ENROL_CODE_EXPIRED' as const };
        await client.query('UPDATE booth_enrolments SET used_at = $1 WHERE booth_id = $2', [now, row.booth_id]);
        const token = newToken('rb');
        await client.query('UPDATE booths SET token_hash = $1 WHERE id = $2', [sha256(token), row.booth_id]);
        return { ok: true as const, boothId: row.booth_id, name: row.name, token };
      });
    },
  };
}
