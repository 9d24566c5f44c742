// The update being installed, written just before the app quits to install it: at the next start, the version then
// running tells whether the installer worked (now on it: `updated`) or not (still on the old one: `failed`, `install`).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { ReleaseVersion } from '../../../shared/updates.js';

const Pending = z.strictObject({ version: ReleaseVersion, from: z.string().max(64) });
export type PendingUpdate = z.infer<typeof Pending>;

export interface PendingStore {
  read(): PendingUpdate | null;
  write(pending: PendingUpdate): void;
  clear(): void;
}

/** A small JSON file in the kiosk's data folder; an unreadable one counts as none. */
export function pendingFile(file: string): PendingStore {
  return {
    read() {
      try {
        const parsed = Pending.safeParse(JSON.parse(readFileSync(file, 'utf8')));
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
    write(pending) {
      writeFileSync(file, JSON.stringify(pending), { mode: 0o600 });
    },
    clear() {
      rmSync(file, { force: true });
    },
  };
}
