// The evaluation store on PostgreSQL, for the nodes of a hub across machines: the SQLite store's answers
// (server/coordinator/store.ts, server/aggregates/store.ts) over the pool of the shared store (postgres.ts), whose
// migration 0002 made the tables. The payload checks and the dashboard's arithmetic are SQLite's own functions: only the
// SQL differs.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { err, ok, type Result } from '../../shared/result.js';
import { weekKeyFromLabel } from '../../shared/time.js';
import { AGGREGATE_LIMIT_CEILING } from '../aggregates/bounds.js';
import { checkWeek, dashboardGrid, dashboardTotals, dashboardWeeks, type DashboardCount, type StoreError, type StoreOutcome } from '../aggregates/store.js';
import type { CoordinatorRow } from '../coordinator/store.js';
import { sha256 } from '../store.js';
import type { EvaluationStore } from './evaluation.js';
import { inTransaction } from './pgTransaction.js';

/**
 * The advisory lock (two keys: this one and the week's) under which a week is stored: nodes storing sites of the same
 * week one after the other, each rebuilding the week's department rows from every site's counts, lose none ('AGGW').
 */
export const AGGREGATE_WEEK_LOCK = 0x41474757;

/** As in postgres.ts: a string with NUL, which TEXT cannot hold, is no row's login, and looked up it finds nothing. */
const storable = (s: string): boolean => !s.includes('\0');

type CoordinatorSql = { id: number; login: string; password_hash: string; revoked_at: number | null };
const toRow = (r: CoordinatorSql): CoordinatorRow => ({ id: r.id, login: r.login, passwordHash: r.password_hash, revoked: r.revoked_at !== null });
const COORDINATOR_COLUMNS = 'c.id, c.login, c.password_hash, c.revoked_at';

export function postgresEvaluationStore(pool: pg.Pool): EvaluationStore {
  const transaction = <T>(begin: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> => inTransaction(pool, work, begin);

  return {
    kind: 'postgres',
    async addCoordinator(login, passwordHash, now) {
      if (!storable(login)) throw new Error('Identifiant de coordinateur refusé : il contient un caractère NUL.');
      // One statement, so two nodes adding the same login make one account. An update only when the logins are equal,
      // not just their MD5: a collision never gives another account this password.
      const { rows } = await pool.query<{ id: number }>(
        `INSERT INTO coordinators (login, password_hash, created_at) VALUES ($1, $2, $3)
         ON CONFLICT ((md5(login))) DO UPDATE SET password_hash = EXCLUDED.password_hash, revoked_at = NULL WHERE coordinators.login = EXCLUDED.login
         RETURNING id`,
        [login, passwordHash, now],
      );
      if (!rows[0]) throw new Error('Identifiant de coordinateur refusé : il a la même empreinte MD5 qu’un autre.');
      return rows[0].id;
    },
    async coordinatorByLogin(login) {
      if (!storable(login)) return null;
      const { rows } = await pool.query<CoordinatorSql>(`SELECT ${COORDINATOR_COLUMNS} FROM coordinators c WHERE md5(c.login) = md5($1) AND c.login = $1`, [login]);
      return rows[0] ? toRow(rows[0]) : null;
    },
    async newCoordinatorSession(coordinatorId, now, ttlMs) {
      const token = `rc_${randomBytes(32).toString('base64url')}`;
      // A session ending after Number's safe range never ends either way; beyond BIGINT's it would not be stored.
      const expiresAt = Math.min(now + ttlMs, Number.MAX_SAFE_INTEGER);
      await transaction('BEGIN', async (client) => {
        await client.query('DELETE FROM coordinator_sessions WHERE expires_at <= $1::float8', [now]);
        await client.query('INSERT INTO coordinator_sessions (token_hash, coordinator_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
          sha256(token),
          coordinatorId,
          now,
          expiresAt,
        ]);
      });
      return token;
    },
    async coordinatorBySession(token, now) {
      // Compared as a float8, as SQLite compares an INTEGER with a REAL: a fractional or huge `now` is no error.
      const { rows } = await pool.query<CoordinatorSql>(
        `SELECT ${COORDINATOR_COLUMNS} FROM coordinator_sessions s JOIN coordinators c ON c.id = s.coordinator_id
         WHERE s.token_hash = $1 AND s.expires_at > $2::float8 AND c.revoked_at IS NULL`,
        [sha256(token), now],
      );
      return rows[0] ? toRow(rows[0]) : null;
    },
    async endCoordinatorSession(token) {
      await pool.query('DELETE FROM coordinator_sessions WHERE token_hash = $1', [sha256(token)]);
    },

    async storeWeek(siteId, siteName, payload, receivedAt, limits): Promise<Result<StoreOutcome, StoreError>> {
      const checked = checkWeek(siteId, payload, limits);
      if (!checked.ok) return checked;
      const p = checked.value;
      // The hub names its sites (siteId from the booth's id, siteName its name): a NUL there comes from no booth. An id
      // is refused rather than changed into another site's; the name, shown only, loses its NULs.
      if (!storable(siteId)) return err('INVALID_PAYLOAD', 'siteId: caractère NUL refusé.');
      const name = siteName.replaceAll('\0', '');
      const weekKey = weekKeyFromLabel(p.week);
      // Counts of the same organisation and service are added up, and zeros left out, as SQLite's insert does.
      const merged = new Map<string, { organisation: string; service: string; count: number }>();
      for (const c of p.counts) {
        if (c.count === 0) continue;
        const key = `${c.organisation}\n${c.service}`;
        const m = merged.get(key);
        if (m) m.count += c.count;
        else merged.set(key, { ...c });
      }
      const counts = [...merged.values()];
      const total = counts.reduce((sum, c) => sum + c.count, 0);

      return transaction('BEGIN', async (client): Promise<Result<StoreOutcome, StoreError>> => {
        await client.query('SELECT pg_advisory_xact_lock($1, $2)', [AGGREGATE_WEEK_LOCK, weekKey]);
        await client.query(
          `INSERT INTO aggregate_sites (site_id, site_name, last_received_at) VALUES ($1, $2, $3)
           ON CONFLICT (site_id) DO UPDATE SET site_name = EXCLUDED.site_name, last_received_at = EXCLUDED.last_received_at`,
          [siteId, name, receivedAt],
        );
        const { rows } = await client.query<{ hash: Buffer }>('SELECT hash FROM aggregate_weeks WHERE site_id = $1 AND week_key = $2', [siteId, weekKey]);
        const previous = rows[0];
        // Compared as strings, as SQLite does: a lone surrogate stored as U+FFFD is not the same revision again.
        if (previous?.hash.toString('utf8') === p.hash) return ok('unchanged');
        await client.query('DELETE FROM aggregate_counts WHERE site_id = $1 AND week_key = $2', [siteId, weekKey]);
        await client.query(
          `INSERT INTO aggregate_counts (site_id, week_key, organisation, service, count)
           SELECT $1, $2, organisation, service, count FROM unnest($3::text[], $4::text[], $5::bigint[]) AS c (organisation, service, count)`,
          [siteId, weekKey, counts.map((c) => c.organisation), counts.map((c) => c.service), counts.map((c) => c.count)],
        );
        await client.query(
          `INSERT INTO aggregate_weeks (site_id, week_key, hash, total, received_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (site_id, week_key) DO UPDATE SET hash = EXCLUDED.hash, total = EXCLUDED.total, received_at = EXCLUDED.received_at`,
          [siteId, weekKey, Buffer.from(p.hash, 'utf8'), total, receivedAt],
        );
        // The week's department rows rebuilt from every site's counts (SQLite updates them by difference: the same rows).
        await client.query('DELETE FROM aggregate_department_weeks WHERE week_key = $1', [weekKey]);
        await client.query(
          `INSERT INTO aggregate_department_weeks (week_key, organisation, service, count)
           SELECT c.week_key, c.organisation, c.service, SUM(c.count) FROM aggregate_weeks w
             JOIN aggregate_counts c ON c.site_id = w.site_id AND c.week_key = w.week_key
           WHERE w.week_key = $1 AND w.total BETWEEN 0 AND $2 GROUP BY c.week_key, c.organisation, c.service HAVING SUM(c.count) <> 0`,
          [weekKey, AGGREGATE_LIMIT_CEILING],
        );
        return ok(previous ? 'replaced' : 'stored');
      });
    },

    async dashboard(range, limits) {
      const weeks = dashboardWeeks(range);
      const { from, to } = weeks;
      // One snapshot for every read, as SQLite's synchronous reads see one state: a week stored meanwhile is all in or out.
      return transaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (client) => {
        const rows = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> => (await client.query<R>(text, values)).rows;
        // Byte order (COLLATE "C"), as SQLite's BINARY collation: the same order whatever the database's locale.
        const sites = await rows<{ siteId: string; siteName: string; lastReceivedAt: number }>(
          `SELECT site_id AS "siteId", site_name AS "siteName", last_received_at AS "lastReceivedAt" FROM aggregate_sites
           ORDER BY site_name COLLATE "C", site_id COLLATE "C"`,
        );
        const siteWeeks = await rows<{ weekKey: number; siteId: string; total: number }>(
          'SELECT week_key AS "weekKey", site_id AS "siteId", total FROM aggregate_weeks WHERE week_key BETWEEN $1 AND $2 ORDER BY week_key, site_id COLLATE "C"',
          [from, to],
        );
        // SUM of BIGINT is NUMERIC (a string here): a float8, as SQLite's TOTAL.
        const departmentWeeks = await rows<{ weekKey: number; total: number; low: number; high: number }>(
          `SELECT week_key AS "weekKey", SUM(count)::float8 AS total, MIN(count) AS low, MAX(count) AS high FROM aggregate_department_weeks
           WHERE week_key BETWEEN $1 AND $2 GROUP BY week_key`,
          [from, to],
        );
        const grid = dashboardGrid(weeks, { sites, siteWeeks, departmentWeeks }, limits);
        const counts = await rows<DashboardCount>(
          `SELECT organisation, service, SUM(count)::float8 AS count FROM aggregate_department_weeks
           WHERE week_key BETWEEN $1 AND $2 AND week_key <> ALL ($3::int[]) GROUP BY organisation, service
           UNION ALL
           SELECT c.organisation, c.service, SUM(c.count)::float8 FROM aggregate_weeks w
             JOIN aggregate_counts c ON c.site_id = w.site_id AND c.week_key = w.week_key
           WHERE w.week_key = ANY ($3::int[]) AND w.total BETWEEN 0 AND $4::float8 AND w.site_id IN (SELECT site_id FROM aggregate_sites)
           GROUP BY c.organisation, c.service`,
          [from, to, grid.recompute, limits.maxWeekTotal],
        );
        return dashboardTotals(grid, counts);
      });
    },
  };
}
