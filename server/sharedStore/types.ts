// What the hub keeps for sign-in, revocation, organisations and call records, as an asynchronous store: the SQLite file
// of one machine (sqlite.ts, over server/store.ts) or PostgreSQL shared by the nodes of a hub across machines (postgres.ts).
import type { OpeningSlot } from '../../shared/domain.js';
import type { CallRecord } from '../calls.js';
import type { AgentRow, BoothRow, OrganisationRow } from '../store.js';

export interface SharedHubStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Inserts the default organisations that are missing, with these hours (never changes the existing ones). */
  seedOrganisations(hours: OpeningSlot[]): Promise<void>;
  organisations(): Promise<OrganisationRow[]>;
  setOpeningHours(code: string, hours: OpeningSlot[]): Promise<void>;
  addBooth(name: string, now: number, demo?: boolean): Promise<{ id: number; token: string }>;
  boothByTokenHash(hash: string): Promise<BoothRow | null>;
  activeBooths(): Promise<Array<{ tokenHash: string; booth: BoothRow }>>;
  revokeBooth(id: number, now: number): Promise<boolean>;
  boothExists(id: number): Promise<boolean>;
  removeDemoBooths(name: string): Promise<void>;
  listBooths(): Promise<BoothRow[]>;
  addAgent(a: { organisation: string; login: string; displayName: string; passwordHash: string; demo?: boolean }, now: number): Promise<number>;
  agentByLogin(login: string): Promise<AgentRow | null>;
  agentById(id: number): Promise<AgentRow | null>;
  revokeAgent(id: number, now: number): Promise<boolean>;
  restoreAgent(id: number, passwordHash: string): Promise<void>;
  listAgents(): Promise<AgentRow[]>;
  newSession(agentId: number, now: number, ttlMs: number): Promise<string>;
  agentBySession(token: string, now: number): Promise<AgentRow | null>;
  revokeSession(token: string, now: number): Promise<boolean>;
  revokedSince(since: number): Promise<{ booths: number[]; agents: number[]; sessions: string[] }>;
  /** Writes a call's record; the same call id written twice keeps one record (the last). */
  recordCall(c: CallRecord): Promise<void>;
  calls(limit?: number): Promise<CallRecord[]>;
  close(): Promise<void>;
}
