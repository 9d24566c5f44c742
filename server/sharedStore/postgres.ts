// The shared store on PostgreSQL, for the nodes of a hub across machines: the SQLite store's behaviour (server/store.ts),
// method for method, over a pool of connections; its schema comes from the numbered migrations of pgMigrations/.
import pg from 'pg';
import pino, { type Logger } from 'pino';
import { ORGANISATION_CODES, type OpeningSlot } from '../../shared/domain.js';
import type { PostgresAppointmentStore } from '../appointments/store.js';
import type { CallRecord } from '../calls.js';
import type { EnrolmentStore } from '../enrolment/store.js';
import type { FleetStore } from '../fleet/store.js';
import type { FleetConfigStore } from '../fleetConfig/store.js';
import { DEFAULT_ORGANISATIONS, newToken, sha256, type AgentRow, type BoothRow } from '../store.js';
import type { EvaluationStore } from './evaluation.js';
import { PG_MIGRATIONS, type PgMigration } from './pgMigrations/index.js';
import { inTransaction } from './pgTransaction.js';
import { isId, lowerBound, storable } from './pgValues.js';
import { postgresAppointmentStore } from './postgresAppointments.js';
import { postgresEnrolmentStore } from './postgresEnrolment.js';
import { postgresEvaluationStore } from './postgresEvaluation.js';
import { postgresFleetStore } from './postgresFleet.js';
import { postgresFleetConfigStore } from './postgresFleetConfig.js';
import type { SharedHubStore } from './types.js';
import { postgresReleaseFiles, postgresUpdateStore } from './postgresUpdates.js';
import type { ReleaseFiles } from '../updates/files.js';
import type { UpdateStore } from '../updates/store.js';

/** The advisory lock held while migrating: nodes starting together migrate one after the other ('RELAIS' in ASCII). */
export const MIGRATION_LOCK = 0x52454c414953;

/** Epoch milliseconds and ids come back as BIGINT: parsed to numbers (all within Number's safe range). */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

const newerSchema = (found: number, latest: number): Error =>
  new Error(`La base du hub vient d'une version plus récente (schéma ${found}, cette version connaît ${latest}).`);

/**
 * Applies the migrations above the database's latest, all in one transaction holding the advisory lock
 * `MIGRATION_LOCK`: a node that starts while another migrates waits, then finds nothing to do. A database whose
 * schema is newer than every migration here is refused, untouched.
 */
export async function migratePostgres(pool: pg.Pool, migrations: readonly PgMigration[], log: Logger): Promise<{ from: number; to: number }> {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    const found = Number((await client.query<{ v: number }>('SELECT COALESCE(MAX(version), 0)::int AS v FROM schema_migrations')).rows[0]?.v ?? 0);
    if (found > latest) throw newerSchema(found, latest);
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (m.version <= found) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
      log.info({ version: m.version, name: m.name }, 'migration PostgreSQL appliquée');
    }
    await client.query('COMMIT');
    return { from: found, to: Math.max(found, latest) };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

type BoothSql = { id: number; name: string; demo: boolean; revoked_at: number | null };
const toBooth = (r: BoothSql): BoothRow => ({ id: r.id, name: r.name, demo: r.demo, revoked: r.revoked_at !== null });
type AgentSql = { id: number; organisation: string; login: string; display_name: string; password_hash: string; demo: boolean; revoked_at: number | null };
const toAgent = (r: AgentSql): AgentRow => ({
  id: r.id,
  organisation: r.organisation,
  login: r.login,
  displayName: r.display_name,
  passwordHash: r.password_hash,
  demo: r.demo,
  revoked: r.revoked_at !== null,
});
type CallSql = {
  id: string;
  organisation: string;
  booth_id: number;
  agent_id: number | null;
  queued_at: number;
  answered_at: number | null;
  ended_at: number;
  outcome: CallRecord['outcome'];
  reason: CallRecord['reason'];
};
const AGENT_COLUMNS = 'a.id, a.organisation, a.login, a.display_name, a.password_hash, a.demo, a.revoked_at';

/** The stores of a hub across machines over one pool: the shared store, and the coordinator's evaluation store. */
export interface PostgresStores {
  store: SharedHubStore;
  evaluation: EvaluationStore;
  /** The fleet's store for the node `nodeId` (written on the rows of the booths it holds). */
  fleet(nodeId: string): FleetStore;
  /** The department's configuration pushed to the booths: its versions and each booth's answers. */
  fleetConfig: FleetConfigStore;
  /** Booths created with a one-time code, and the codes spent for their tokens. */
  enrolment: EnrolmentStore;
  /** Kiosk updates: the releases, their rollout and the booths' reports. */
  updates: UpdateStore;
  /** The releases' installers, kept in PostgreSQL (the nodes share no filesystem). */
  releaseFiles: ReleaseFiles;
  /** Visio appointments: slots, bookings, and the agents' planner and iCalendar flags. */
  appointments: PostgresAppointmentStore;
  /** Ends the pool both use (as `store.close()`): neither answers after. */
  close(): Promise<void>;
}

/** Opens a pool on `url` (postgres://…), migrates the schema, and answers as the SQLite stores do. */
export async function openPostgresStores(url: string, opts: { log?: Logger; poolSize?: number } = {}): Promise<PostgresStores> {
  const log = (opts.log ?? pino({ level: 'silent' })).child({ scope: 'shared-store' });
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10, types, application_name: 'relais-hub' });
  // An idle connection that the server drops (restart, failover) errors on the pool: logged, the next query reconnects.
  pool.on('error', (error) => log.warn({ err: error }, 'connexion PostgreSQL perdue'));
  try {
    await migratePostgres(pool, PG_MIGRATIONS, log);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const store = postgresSharedStore(pool);
  return { store, evaluation: postgresEvaluationStore(pool), fleet: (nodeId) => postgresFleetStore(pool, nodeId), fleetConfig: postgresFleetConfigStore(pool), enrolment: postgresEnrolmentStore(pool), updates: postgresUpdateStore(pool), releaseFiles: postgresReleaseFiles(pool), appointments: postgresAppointmentStore(pool), close: () => store.close() };
}

/** Opens a pool on `url` (postgres://…), migrates the schema, and answers as the SQLite store does. */
export async function openPostgresStore(url: string, opts: { log?: Logger; poolSize?: number } = {}): Promise<SharedHubStore> {
  return (await openPostgresStores(url, opts)).store;
}

function postgresSharedStore(pool: pg.Pool): SharedHubStore {
  const query = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> => (await pool.query<R>(text, values)).rows;
  const changed = async (text: string, values: unknown[]): Promise<boolean> => ((await pool.query(text, values)).rowCount ?? 0) > 0;
  const transaction = <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => inTransaction(pool, work);
  let closed: Promise<void> | null = null;

  return {
    kind: 'postgres',
    async seedOrganisations(hours) {
      const hoursJson = JSON.stringify(hours);
      const rows = DEFAULT_ORGANISATIONS.map((o, i) => [o.code, o.name, i, hoursJson]);
      const placeholders = rows.map((_, i) => `($${i * 4 + 1}, $${i * 4 + 2}, $${i * 4 + 3}, $${i * 4 + 4})`).join(', ');
      await pool.query(`INSERT INTO organisations (code, name, position, opening_hours) VALUES ${placeholders} ON CONFLICT DO NOTHING`, rows.flat());
    },
    async organisations() {
      const rows = await query<{ code: string; name: string; opening_hours: string }>('SELECT code, name, opening_hours FROM organisations ORDER BY position');
      return rows.map((r) => ({ code: r.code, name: r.name, openingHours: JSON.parse(r.opening_hours) as OpeningSlot[] }));
    },
    async setOpeningHours(code, hours) {
      if (!storable(code)) return;
      await pool.query('UPDATE organisations SET opening_hours = $1 WHERE code = $2', [JSON.stringify(hours), code]);
    },
    async addBooth(name, now, demo = false) {
      const token = newToken('rb');
      const [row] = await query<{ id: number }>('INSERT INTO booths (name, token_hash, demo, created_at) VALUES ($1, $2, $3, $4) RETURNING id', [
        name,
        sha256(token),
        demo,
        now,
      ]);
      return { id: row!.id, token };
    },
    async boothByTokenHash(hash) {
      if (!storable(hash)) return null;
      const [row] = await query<BoothSql>('SELECT id, name, demo, revoked_at FROM booths WHERE token_hash = $1', [hash]);
      return row ? toBooth(row) : null;
    },
    async activeBooths() {
      const rows = await query<BoothSql & { token_hash: string }>('SELECT id, name, demo, revoked_at, token_hash FROM booths WHERE revoked_at IS NULL');
      return rows.map((r) => ({ tokenHash: r.token_hash, booth: toBooth(r) }));
    },
    async revokeBooth(id, now) {
      return isId(id) && changed('UPDATE booths SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now, id]);
    },
    async boothExists(id) {
      return isId(id) && (await query('SELECT 1 FROM booths WHERE id = $1', [id])).length > 0;
    },
    async removeDemoBooths(name) {
      if (!storable(name)) return;
      await pool.query('DELETE FROM booths WHERE demo AND name = $1', [name]);
    },
    async listBooths() {
      return (await query<BoothSql>('SELECT id, name, demo, revoked_at FROM booths ORDER BY id')).map(toBooth);
    },
    async addAgent(a, now) {
      if (!ORGANISATION_CODES.includes(a.organisation as (typeof ORGANISATION_CODES)[number])) {
        const known = storable(a.organisation) ? await query('SELECT 1 FROM organisations WHERE code = $1', [a.organisation]) : [];
        if (known.length === 0) throw new Error(`Organisme inconnu : ${a.organisation}`);
      }
      const [row] = await query<{ id: number }>(
        'INSERT INTO agents (organisation, login, password_hash, display_name, demo, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
        [a.organisation, a.login, a.passwordHash, a.displayName, a.demo ?? false, now],
      );
      return row!.id;
    },
    async agentByLogin(login) {
      if (!storable(login)) return null;
      const [row] = await query<AgentSql>(`SELECT ${AGENT_COLUMNS} FROM agents a WHERE md5(a.login) = md5($1) AND a.login = $1`, [login]);
      return row ? toAgent(row) : null;
    },
    async agentById(id) {
      if (!isId(id)) return null;
      const [row] = await query<AgentSql>(`SELECT ${AGENT_COLUMNS} FROM agents a WHERE a.id = $1`, [id]);
      return row ? toAgent(row) : null;
    },
    async revokeAgent(id, now) {
      if (!isId(id)) return false;
      return transaction(async (client) => {
        await client.query('UPDATE sessions SET revoked_at = $1 WHERE agent_id = $2 AND revoked_at IS NULL', [now, id]);
        return ((await client.query('UPDATE agents SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now, id])).rowCount ?? 0) > 0;
      });
    },
    async restoreAgent(id, passwordHash) {
      if (!isId(id)) return;
      await pool.query('UPDATE agents SET password_hash = $1, revoked_at = NULL WHERE id = $2', [passwordHash, id]);
    },
    async listAgents() {
      // Byte order, as SQLite's BINARY collation: the same list whatever the database's locale.
      return (await query<AgentSql>(`SELECT ${AGENT_COLUMNS} FROM agents a ORDER BY a.organisation COLLATE "C", a.login COLLATE "C"`)).map(toAgent);
    },
    async newSession(agentId, now, ttlMs) {
      const token = newToken('rs');
      // A session ending after Number's safe range never ends either way; beyond BIGINT's it would not be stored.
      const expiresAt = Math.min(now + ttlMs, Number.MAX_SAFE_INTEGER);
      await pool.query('INSERT INTO sessions (token_hash, agent_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [sha256(token), agentId, now, expiresAt]);
      return token;
    },
    async agentBySession(token, now) {
      // expires_at > now, written as >= the next integer so that a fractional or huge `now` is a valid BIGINT bound.
      const after = lowerBound(Math.floor(now) + 1);
      if (after === null) return null;
      const [row] = await query<AgentSql>(
        `SELECT ${AGENT_COLUMNS} FROM sessions s JOIN agents a ON a.id = s.agent_id WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at >= $2`,
        [sha256(token), after],
      );
      return row ? toAgent(row) : null;
    },
    async revokeSession(token, now) {
      return changed('UPDATE sessions SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL', [now, sha256(token)]);
    },
    async revokedSince(since) {
      const bound = lowerBound(since);
      if (bound === null) return { booths: [], agents: [], sessions: [] };
      const [booths, agents, sessions] = await Promise.all([
        query<{ id: number }>('SELECT id FROM booths WHERE revoked_at >= $1', [bound]),
        query<{ id: number }>('SELECT id FROM agents WHERE revoked_at >= $1', [bound]),
        query<{ token_hash: string }>('SELECT token_hash FROM sessions WHERE revoked_at >= $1', [bound]),
      ]);
      return { booths: booths.map((r) => r.id), agents: agents.map((r) => r.id), sessions: sessions.map((r) => r.token_hash) };
    },
    async recordCall(c) {
      await pool.query(
        `INSERT INTO calls (id, organisation, booth_id, agent_id, queued_at, answered_at, ended_at, outcome, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (id) DO UPDATE SET organisation = EXCLUDED.organisation, booth_id = EXCLUDED.booth_id, agent_id = EXCLUDED.agent_id,
           queued_at = EXCLUDED.queued_at, answered_at = EXCLUDED.answered_at, ended_at = EXCLUDED.ended_at, outcome = EXCLUDED.outcome,
           reason = EXCLUDED.reason`,
        [c.id, c.organisation, c.boothId, c.agentId, c.queuedAt, c.answeredAt, c.endedAt, c.outcome, c.reason],
      );
    },
    async calls(limit = 1000) {
      // SQLite reads a negative LIMIT as no limit; PostgreSQL refuses one: LIMIT NULL is its "no limit".
      const rows = await query<CallSql>('SELECT * FROM calls ORDER BY queued_at DESC LIMIT $1', [limit < 0 ? null : limit]);
      return rows.map((r) => ({
        id: r.id,
        organisation: r.organisation,
        boothId: r.booth_id,
        agentId: r.agent_id,
        queuedAt: r.queued_at,
        answeredAt: r.answered_at,
        endedAt: r.ended_at,
        outcome: r.outcome,
        reason: r.reason,
      }));
    },
    close() {
      closed ??= pool.end();
      return closed;
    },
  };
}
