// The fleet feature on the kiosk side: `fleet.health`, the part of the booth's health report only main knows. The
// renderer (renderer/kiosk/fleet/) adds its devices and sends the whole over the booth's hub socket.
import type { fleetVerbs } from '../../../shared/contract/fleet.js';
import type { PrinterStateView } from '../../../shared/contract/index.js';
import type { KioskShell } from '../../../shared/fleet.js';
import type { KioskCore, KioskFeature } from '../core.js';
import type { Handlers } from '../dispatch.js';
import { createSnapshotReader, statfsFreeBytes } from './snapshot.js';

export type FleetVerb = keyof typeof fleetVerbs;

export interface FleetFeatureOptions {
  version: string;
  shell: KioskShell;
  /** The print service's last known state; null without printing. */
  printerState: () => PrinterStateView | null;
  /** The folder whose disk's free space is reported (the data folder). */
  dataDir: string;
  /** Tests inject a reading; statfs on `dataDir` otherwise. */
  freeDiskBytes?: () => Promise<number>;
}

export function createFleetFeature(core: KioskCore, options: FleetFeatureOptions): KioskFeature<FleetVerb> {
  const snapshot = createSnapshotReader({
    db: core.db,
    clock: core.clock,
    logger: core.logger,
    version: options.version,
    shell: options.shell,
    startedAt: core.clock(),
    printerState: options.printerState,
    freeDiskBytes: options.freeDiskBytes ?? statfsFreeBytes(options.dataDir),
  });
  return { handlers: { 'fleet.health': () => snapshot() } satisfies Handlers<FleetVerb> };
}
