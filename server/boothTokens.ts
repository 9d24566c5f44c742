// Booths by their token's hash, kept in memory so that a booth's sign-in costs no database read.
import type { MaybePromise } from './maybe.js';
import type { BoothRow } from './store.js';

export interface BoothTokens {
  /** The booth of a token's hash (revoked or not), or null when none has it; from memory at once, else from the store. */
  byTokenHash(hash: string): MaybePromise<BoothRow | null>;
  /** These booths were revoked: their tokens are no longer taken from memory. */
  forget(boothIds: readonly number[]): void;
}

// Read once at start: after a hub restart, every booth signs in at once. A booth added from the CLI meanwhile is read
// at its first sign-in. A revoked booth leaves this map at once when revoked through the hub (`revokeBooth`), and at
// the next revocation check when revoked from the CLI (every `revocationPollMs`), which also closes its socket.
// `active`: the booths not revoked with their token's hash, read at start; `lookup`: a booth by hash from the store.
export function createBoothTokens(
  active: ReadonlyArray<{ tokenHash: string; booth: BoothRow }>,
  lookup: (hash: string) => MaybePromise<BoothRow | null>,
): BoothTokens {
  const boothsByHash = new Map<string, BoothRow>(active.map((b) => [b.tokenHash, b.booth]));
  const keep = (hash: string, booth: BoothRow | null): BoothRow | null => {
    if (booth && !booth.revoked) boothsByHash.set(hash, booth);
    return booth;
  };
  return {
    byTokenHash(hash) {
      const known = boothsByHash.get(hash);
      if (known) return known;
      const booth = lookup(hash);
      return booth instanceof Promise ? booth.then((b) => keep(hash, b)) : keep(hash, booth);
    },
    forget(ids) {
      if (ids.length === 0) return;
      const revoked = new Set(ids);
      for (const [hash, booth] of boothsByHash) if (revoked.has(booth.id)) boothsByHash.delete(hash);
    },
  };
}
