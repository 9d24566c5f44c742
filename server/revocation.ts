// Revocation: a revoked booth, agent or session loses its socket at once when revoked through the hub, and within
// one poll when revoked by another process (the CLI writes the database, the hub reads what changed since).
import type { BoothTokens } from './boothTokens.js';
import type { ConnectionRegistry } from './connections/registry.js';
import { whenReady, type MaybePromise } from './maybe.js';
import { sha256, type HubStore } from './store.js';

export interface RevocationDeps {
  store: Pick<HubStore, 'revokeBooth' | 'revokeAgent' | 'revokeSession'> & {
    /** From SQLite at once, or later from the shared store of a hub across machines. */
    revokedSince(since: number): MaybePromise<{ booths: number[]; agents: number[]; sessions: string[] }>;
  };
  /** Where a failed read of the shared store is told. */
  failed?: (e: unknown) => void;
  clock: () => number;
  registry: Pick<ConnectionRegistry, 'conns' | 'boothConn' | 'agentConn' | 'drop'>;
  boothTokens: Pick<BoothTokens, 'forget'>;
}

export interface Revocation {
  /** Closes the sockets of what was revoked since the last check (by this hub or another process). */
  closeRevoked(): void;
  revokeBooth(id: number): boolean;
  revokeAgent(id: number): boolean;
  revokeSession(token: string): boolean;
}

export function createRevocation({ store, clock, registry, boothTokens, failed }: RevocationDeps): Revocation {
  const { conns, boothConn, agentConn, drop } = registry;
  let lastCheck = clock();
  return {
    closeRevoked() {
      const since = lastCheck;
      lastCheck = clock();
      whenReady(
        store.revokedSince(since),
        (r) => {
          boothTokens.forget(r.booths);
          // Almost always nothing: then no walk over every socket (10,000 of them, every 5 s).
          if (r.booths.length === 0 && r.agents.length === 0 && r.sessions.length === 0) return;
          const sessions = new Set(r.sessions);
          for (const id of r.booths) {
            const c = boothConn.get(id);
            if (c) drop(c, 'REVOKED', 4003);
          }
          for (const c of [...conns.values()]) {
            if (c.role === 'agent' && (r.agents.includes(c.subjectId) || (c.sessionHash !== null && sessions.has(c.sessionHash)))) drop(c, 'REVOKED', 4003);
          }
        },
        (e) => {
          // Read again from the same point at the next check.
          lastCheck = Math.min(lastCheck, since);
          failed?.(e);
        },
      );
    },
    revokeBooth(id) {
      const done = store.revokeBooth(id, clock());
      boothTokens.forget([id]);
      const c = boothConn.get(id);
      if (c) drop(c, 'REVOKED', 4003);
      return done;
    },
    revokeAgent(id) {
      const done = store.revokeAgent(id, clock());
      const c = agentConn.get(id);
      if (c) drop(c, 'REVOKED', 4003);
      return done;
    },
    revokeSession(token) {
      const done = store.revokeSession(token, clock());
      const hash = sha256(token);
      for (const c of [...conns.values()]) if (c.sessionHash === hash) drop(c, 'REVOKED', 4003);
      return done;
    },
  };
}
