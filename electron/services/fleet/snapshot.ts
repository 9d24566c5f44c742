// What the kiosk's main process knows of the booth's health, read fresh for each report: version, shell, printer, free
// disk, last count sync, open incidents, uptime. Each reading is bounded (shared/fleetBounds.ts): a broken reading gives
// a safe value and a log line, never a report the hub would refuse nor an exception.
import { statfs } from 'node:fs/promises';
import type { FleetSnapshot, PrinterStateView } from '../../../shared/contract/index.js';
import type { BoothHealth, KioskShell } from '../../../shared/fleet.js';
import { boundedInt, boundedPrinter, boundedVersion } from '../../../shared/fleetBounds.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../logger.js';

/** The printer as the fleet sees it: no queue chosen, unreachable, stopped, printing or idle, with its reasons. */
export function printerHealthOf(view: PrinterStateView | null): BoothHealth['printer'] {
  if (view === null || view.printer === null || view.reasons.includes('no-printer')) return { state: 'none', reasons: view?.reasons.filter((r) => r !== 'no-printer') ?? [] };
  const state = view.status === 'processing' ? 'printing' : view.status;
  return boundedPrinter({ state, reasons: view.reasons });
}

export interface SnapshotDeps {
  db: Db;
  clock: () => number;
  logger: Logger;
  version: string;
  shell: KioskShell;
  /** When this kiosk started (its uptime is counted from there). */
  startedAt: number;
  /** The print service's last known state (null when the kiosk has no printing, or before its first poll). */
  printerState: () => PrinterStateView | null;
  /** The data folder's disk's free bytes (statfs by default; tests inject). */
  freeDiskBytes: () => Promise<number>;
}

/** Free bytes of the disk holding `dir`, for an unprivileged process (bavail, not bfree). */
export const statfsFreeBytes = (dir: string) => async (): Promise<number> => {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
};

export function createSnapshotReader(deps: SnapshotDeps): () => Promise<FleetSnapshot> {
  const log = deps.logger.child({ scope: 'fleet' });
  const lastSync = deps.db.prepare<[], { at: number | null }>('SELECT MAX(sent_at) AS at FROM sync_queue');
  const openIncidents = deps.db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM incidents WHERE status = 'open'");
  // A disk that cannot be read keeps its last known figure: 0 would tell the hub the disk is full.
  let lastFreeBytes = 0;

  const freeDisk = async (): Promise<number> => {
    try {
      const bytes = await deps.freeDiskBytes();
      if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) {
        log.warn({ code: 'FLEET_DISK_UNREADABLE' }, 'free disk space not a number; last figure kept');
        return lastFreeBytes;
      }
      lastFreeBytes = boundedInt(bytes, 0, Number.MAX_SAFE_INTEGER, lastFreeBytes);
    } catch (cause) {
      log.warn({ code: 'FLEET_DISK_UNREADABLE', err: cause }, 'free disk space unreadable; last figure kept');
    }
    return lastFreeBytes;
  };

  return async () => {
    const now = deps.clock();
    const syncAt = lastSync.get()?.at ?? null;
    return {
      version: boundedVersion(deps.version),
      shell: deps.shell,
      printer: printerHealthOf(deps.printerState()),
      freeDiskBytes: await freeDisk(),
      lastCountSyncAt: syncAt !== null && Number.isSafeInteger(syncAt) && syncAt >= 0 ? syncAt : null,
      openIncidents: boundedInt(openIncidents.get()?.n, 0, 100_000, 0),
      uptimeS: boundedInt((now - deps.startedAt) / 1000, 0, 10 * 366 * 86_400, 0),
    };
  };
}
