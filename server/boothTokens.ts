// Booths by their token's hash, kept in memory so that a booth's sign-in costs no database read.
import type { BoothRow, HubStore } from './store.js';

export interface BoothTokens {
  /** The booth of a token's hash (revoked or not), or null when none has it. */
  byTokenHash(hash: string): BoothRow | null;
  /** These booths were revoked: their tokens are no longer taken from memory. */
  forget(boothIds: readonly number[]): void;
}

// Read once at start: after a hub restart, every booth signs in at once. A booth added from the CLI meanwhile is read
// at its first sign-in. A revoked booth leaves this map at once when revoked through the hub (`revokeBooth`), and at
// the next revocation check when revoked from the CLI (every `revocationPollMs`), which also closes its socket.
export function createBoothTokens(store: Pick<HubStore, 'activeBooths' | 'boothByTokenHash'>): BoothTokens {
  const boothsByHash = new Map<string, BoothRow>(store.activeBooths().map((b) => [b.tokenHash, b.booth]));
  return {
    byTokenHash(hash) {
      const known = boothsByHash.get(hash);
      if (known) return known;
      const booth = store.boothByTokenHash(hash);
      if (booth && !booth.revoked) boothsByHash.set(hash, booth);
      return booth;
    },
    forget(ids) {
      if (ids.length === 0) return;
      const revoked = new Set(ids);
      for (const [hash, booth] of boothsByHash) if (revoked.has(booth.id)) boothsByHash.delete(hash);
    },
  };
}
