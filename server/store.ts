// The hub's own SQLite: organisations, booths, agents, sessions, call records (metadata only, never media or visitors).
import Database from 'better-sqlite3';
import { hash as digest, randomBytes } from 'node:crypto';
import { ORGANISATION_CODES, type OpeningSlot } from '../shared/domain.js';
import { migrate } from '../shared/node/migrations.js';
import type { CallRecord } from './calls.js';
import { HUB_MIGRATIONS } from './migrations/index.js';

export type HubDb = Database.Database;

export const DEFAULT_ORGANISATIONS: ReadonlyArray<{ code: string; name: string }> = [
  { code: 'CAF', name: "Caisse d'allocations familiales" },
  { code: 'CPAM', name: 'Assurance Maladie (CPAM)' },
  { code: 'CARSAT', name: 'Retraite (CARSAT)' },
  { code: 'FT', name: 'France Travail' },
  { code: 'ML', name: 'Mission Locale' },
  { code: 'UDAF', name: 'UDAF – Point Info Famille' },
];

/** Weekday visio-accueil hours until a partner agreement says otherwise. */
export const WEEKDAY_HOURS: OpeningSlot[] = [1, 2, 3, 4, 5].flatMap((weekday) => [
  { weekday, from: '09:00', to: '12:30' },
  { weekday, from: '13:30', to: '17:00' },
]);
/** Demo hubs answer at any hour, so a demonstration works in the evening too. */
export const ALWAYS_OPEN: OpeningSlot[] = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, from: '00:00', to: '23:59' }));

/** One-shot `crypto.hash` (Node ≥ 20.12): no Hash object per call, for the token hashed at each booth's sign-in. */
export const sha256 = (s: string): string => digest('sha256', s, 'hex');
export const newToken = (prefix: string): string => `${prefix}_${randomBytes(32).toString('base64url')}`;

export function openHubDb(file: string): HubDb {
  const db = new Database(file);
  if (file !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  try {
    migrate(db, HUB_MIGRATIONS, (found, latest) => new Error(`La base du hub vient d'une version plus récente (schéma ${found}, cette version connaît ${latest}).`));
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

export interface BoothRow {
  id: number;
  name: string;
  demo: boolean;
  revoked: boolean;
}
export interface AgentRow {
  id: number;
  organisation: string;
  login: string;
  displayName: string;
  passwordHash: string;
  demo: boolean;
  revoked: boolean;
}
export interface OrganisationRow {
  code: string;
  name: string;
  openingHours: OpeningSlot[];
}

export interface HubStore {
  db: HubDb;
  seedOrganisations(hours: OpeningSlot[]): void;
  organisations(): OrganisationRow[];
  setOpeningHours(code: string, hours: OpeningSlot[]): void;
  addBooth(name: string, now: number, demo?: boolean): { id: number; token: string };
  boothByToken(token: string): BoothRow | null;
  /** The same, given the token's SHA-256 (hex) when the caller has it already. */
  boothByTokenHash(hash: string): BoothRow | null;
  /** The booths not revoked, with their token's hash: what the hub keeps in memory for sign-ins. */
  activeBooths(): Array<{ tokenHash: string; booth: BoothRow }>;
  revokeBooth(id: number, now: number): boolean;
  boothExists(id: number): boolean;
  /** Deletes the demo booths of this name (a demo hub makes its booth anew at each start). */
  removeDemoBooths(name: string): void;
  listBooths(): BoothRow[];
  addAgent(a: { organisation: string; login: string; displayName: string; passwordHash: string; demo?: boolean }, now: number): number;
  agentByLogin(login: string): AgentRow | null;
  agentById(id: number): AgentRow | null;
  revokeAgent(id: number, now: number): boolean;
  /** Gives an agent a new password and lifts its revocation (the demo accounts, at each start of a demo hub). */
  restoreAgent(id: number, passwordHash: string): void;
  listAgents(): AgentRow[];
  newSession(agentId: number, now: number, ttlMs: number): string;
  agentBySession(token: string, now: number): AgentRow | null;
  revokeSession(token: string, now: number): boolean;
  /** Booths, agents and session hashes revoked since `since` (also by another process, e.g. the CLI). */
  revokedSince(since: number): { booths: number[]; agents: number[]; sessions: string[] };
  recordCall(c: CallRecord): void;
  calls(limit?: number): CallRecord[];
}

export function createHubStore(db: HubDb): HubStore {
  type BoothSql = { id: number; name: string; demo: number; revoked_at: number | null };
  const toBooth = (r: BoothSql): BoothRow => ({
    id: r.id,
    name: r.name,
    demo: r.demo === 1,
    revoked: r.revoked_at !== null,
  });
  type AgentSql = { id: number; organisation: string; login: string; display_name: string; password_hash: string; demo: number; revoked_at: number | null };
  const toAgent = (r: AgentSql): AgentRow => ({
    id: r.id,
    organisation: r.organisation,
    login: r.login,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    demo: r.demo === 1,
    revoked: r.revoked_at !== null,
  });
  const st = {
    boothByHash: db.prepare('SELECT id, name, demo, revoked_at FROM booths WHERE token_hash = ?'),
    agentByLogin: db.prepare('SELECT * FROM agents WHERE login = ?'),
    agentById: db.prepare('SELECT * FROM agents WHERE id = ?'),
    session: db.prepare(
      'SELECT a.* FROM sessions s JOIN agents a ON a.id = s.agent_id WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ?',
    ),
    // Run every few seconds by the hub's periodic check: prepared once.
    organisations: db.prepare('SELECT code, name, opening_hours FROM organisations ORDER BY position'),
    revokedBooths: db.prepare('SELECT id FROM booths WHERE revoked_at >= ?'),
    revokedAgents: db.prepare('SELECT id FROM agents WHERE revoked_at >= ?'),
    revokedSessions: db.prepare('SELECT token_hash FROM sessions WHERE revoked_at >= ?'),
    newSession: db.prepare('INSERT INTO sessions (token_hash, agent_id, created_at, expires_at) VALUES (?, ?, ?, ?)'),
    insertCall: db.prepare(
      'INSERT OR REPLACE INTO calls (id, organisation, booth_id, agent_id, queued_at, answered_at, ended_at, outcome, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
  };
  const boothByTokenHash = (hash: string): BoothRow | null => {
    const r = st.boothByHash.get(hash) as BoothSql | undefined;
    return r ? toBooth(r) : null;
  };
  return {
    db,
    seedOrganisations(hours) {
      const insert = db.prepare('INSERT OR IGNORE INTO organisations (code, name, position, opening_hours) VALUES (?, ?, ?, ?)');
      db.transaction(() => DEFAULT_ORGANISATIONS.forEach((o, i) => insert.run(o.code, o.name, i, JSON.stringify(hours))))();
    },
    organisations() {
      const rows = st.organisations.all() as Array<{ code: string; name: string; opening_hours: string }>;
      return rows.map((r) => ({ code: r.code, name: r.name, openingHours: JSON.parse(r.opening_hours) as OpeningSlot[] }));
    },
    setOpeningHours(code, hours) {
      db.prepare('UPDATE organisations SET opening_hours = ? WHERE code = ?').run(JSON.stringify(hours), code);
    },
    addBooth(name, now, demo = false) {
      const token = newToken('rb');
      const r = db.prepare('INSERT INTO booths (name, token_hash, demo, created_at) VALUES (?, ?, ?, ?)').run(name, sha256(token), demo ? 1 : 0, now);
      return { id: Number(r.lastInsertRowid), token };
    },
    boothByToken: (token) => boothByTokenHash(sha256(token)),
    boothByTokenHash,
    activeBooths() {
      const rows = db.prepare('SELECT id, name, demo, revoked_at, token_hash FROM booths WHERE revoked_at IS NULL').all() as Array<BoothSql & { token_hash: string }>;
      return rows.map((r) => ({ tokenHash: r.token_hash, booth: toBooth(r) }));
    },
    revokeBooth(id, now) {
      return db.prepare('UPDATE booths SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes > 0;
    },
    boothExists: (id) => db.prepare('SELECT 1 FROM booths WHERE id = ?').get(id) !== undefined,
    removeDemoBooths(name) {
      db.prepare('DELETE FROM booths WHERE demo = 1 AND name = ?').run(name);
    },
    listBooths() {
      return (db.prepare('SELECT id, name, demo, revoked_at FROM booths ORDER BY id').all() as BoothSql[]).map(toBooth);
    },
    addAgent(a, now) {
      if (!ORGANISATION_CODES.includes(a.organisation as (typeof ORGANISATION_CODES)[number])) {
        const known = db.prepare('SELECT 1 FROM organisations WHERE code = ?').get(a.organisation);
        if (!known) throw new Error(`Organisme inconnu : ${a.organisation}`);
      }
      const r = db
        .prepare('INSERT INTO agents (organisation, login, password_hash, display_name, demo, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(a.organisation, a.login, a.passwordHash, a.displayName, a.demo ? 1 : 0, now);
      return Number(r.lastInsertRowid);
    },
    agentByLogin(login) {
      const r = st.agentByLogin.get(login) as AgentSql | undefined;
      return r ? toAgent(r) : null;
    },
    agentById(id) {
      const r = st.agentById.get(id) as AgentSql | undefined;
      return r ? toAgent(r) : null;
    },
    revokeAgent(id, now) {
      return db.transaction(() => {
        db.prepare('UPDATE sessions SET revoked_at = ? WHERE agent_id = ? AND revoked_at IS NULL').run(now, id);
        return db.prepare('UPDATE agents SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes > 0;
      })();
    },
    restoreAgent(id, passwordHash) {
      db.prepare('UPDATE agents SET password_hash = ?, revoked_at = NULL WHERE id = ?').run(passwordHash, id);
    },
    listAgents() {
      return (db.prepare('SELECT * FROM agents ORDER BY organisation, login').all() as AgentSql[]).map(toAgent);
    },
    newSession(agentId, now, ttlMs) {
      const token = newToken('rs');
      st.newSession.run(sha256(token), agentId, now, now + ttlMs);
      return token;
    },
    agentBySession(token, now) {
      const r = st.session.get(sha256(token), now) as AgentSql | undefined;
      return r ? toAgent(r) : null;
    },
    revokeSession(token, now) {
      return db.prepare('UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL').run(now, sha256(token)).changes > 0;
    },
    revokedSince(since) {
      const booths = (st.revokedBooths.all(since) as Array<{ id: number }>).map((r) => r.id);
      const agents = (st.revokedAgents.all(since) as Array<{ id: number }>).map((r) => r.id);
      const sessions = (st.revokedSessions.all(since) as Array<{ token_hash: string }>).map((r) => r.token_hash);
      return { booths, agents, sessions };
    },
    recordCall(c) {
      st.insertCall.run(c.id, c.organisation, c.boothId, c.agentId, c.queuedAt, c.answeredAt, c.endedAt, c.outcome, c.reason);
    },
    calls(limit = 1000) {
      const rows = db.prepare('SELECT * FROM calls ORDER BY queued_at DESC LIMIT ?').all(limit) as Array<{
        id: string;
        organisation: string;
        booth_id: number;
        agent_id: number | null;
        queued_at: number;
        answered_at: number | null;
        ended_at: number;
        outcome: CallRecord['outcome'];
        reason: CallRecord['reason'];
      }>;
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
  };
}
