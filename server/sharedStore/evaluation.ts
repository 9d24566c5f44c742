// What the coordinator's evaluation pages keep, as an asynchronous store: the department coordinators' accounts and
// sessions, and the weekly aggregates booths send (with the dashboard read from them). The one-machine hub's SQLite
// (sqliteEvaluationStore, over server/coordinator/store.ts and server/aggregates/store.ts) or PostgreSQL shared by the
// nodes of a hub across machines (postgresEvaluation.ts). server/coordinator/routes.ts serves both.
import type Database from 'better-sqlite3';
import type { Result } from '../../shared/result.js';
import { dashboard, storeWeek, type AggregateLimits, type Dashboard, type StoreError, type StoreOutcome } from '../aggregates/index.js';
import { createCoordinatorStore, type CoordinatorRow } from '../coordinator/store.js';

export interface EvaluationStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Adds a coordinator, or gives an existing login this password and lifts its revocation: its id. */
  addCoordinator(login: string, passwordHash: string, now: number): Promise<number>;
  coordinatorByLogin(login: string): Promise<CoordinatorRow | null>;
  /** A new session token (returned once; only its hash is kept); expired sessions are deleted on the way. */
  newCoordinatorSession(coordinatorId: number, now: number, ttlMs: number): Promise<string>;
  /** The coordinator of a session not expired, not revoked. */
  coordinatorBySession(token: string, now: number): Promise<CoordinatorRow | null>;
  endCoordinatorSession(token: string): Promise<void>;
  /** server/aggregates/store.ts's storeWeek: a booth's week stored, replacing what the same site sent for that week. */
  storeWeek(siteId: string, siteName: string, payload: unknown, receivedAt: number, limits: AggregateLimits): Promise<Result<StoreOutcome, StoreError>>;
  /** server/aggregates/store.ts's dashboard over a range of ISO weeks. */
  dashboard(range: { fromWeek: string; toWeek: string }, limits: AggregateLimits): Promise<Dashboard>;
}

/** Over the one-machine hub's database (its migrations made the tables): each answer is the synchronous one, resolved. */
export function sqliteEvaluationStore(db: Database.Database): EvaluationStore {
  const accounts = createCoordinatorStore(db);
  return {
    kind: 'sqlite',
    addCoordinator: async (login, passwordHash, now) => accounts.add(login, passwordHash, now),
    coordinatorByLogin: async (login) => accounts.byLogin(login),
    newCoordinatorSession: async (id, now, ttlMs) => accounts.newSession(id, now, ttlMs),
    coordinatorBySession: async (token, now) => accounts.bySession(token, now),
    endCoordinatorSession: async (token) => accounts.endSession(token),
    storeWeek: async (siteId, siteName, payload, receivedAt, limits) => storeWeek(db, siteId, siteName, payload, receivedAt, limits),
    dashboard: async (range, limits) => dashboard(db, range, limits),
  };
}
