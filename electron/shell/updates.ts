// Starts the kiosk's updates in the Electron shell: electron-updater's `autoUpdater` on the booth's configured hub, only
// in a packaged app (electron-updater does nothing otherwise: no installer to replace) and never on a demo hub. The logic is in
// electron/services/updates/updater.ts, tested against a typed fake; this file only hands it the real objects.
import electronUpdater from 'electron-updater';
import { join } from 'node:path';
import type { HubConnection } from '../../shared/contract/index.js';
import type { Kiosk } from '../services/kiosk.js';
import type { Logger } from '../services/logger.js';
import { createKioskUpdater, createUpdateReporter, pendingFile, updateFeedOf } from '../services/updates/index.js';

export interface KioskUpdatesOptions {
  connection: HubConnection | null;
  kiosk: Pick<Kiosk, 'updates'>;
  version: string;
  packaged: boolean;
  dataDir: string;
  logger: Logger;
}

/** Returns the cleanup to run when the app quits. */
export function startKioskUpdates(options: KioskUpdatesOptions): () => void {
  const log = options.logger.child({ scope: 'updates' });
  const feed = options.connection && !options.connection.demo ? updateFeedOf(options.connection) : null;
  if (!feed || !options.packaged) {
    log.info({ code: 'UPDATES_OFF', packaged: options.packaged, hub: feed !== null }, 'updates from the hub are off (demo hub or unpackaged app)');
    return () => undefined;
  }
  const { autoUpdater } = electronUpdater;
  autoUpdater.logger = { info: (m: unknown) => log.debug({ updater: String(m) }), warn: (m: unknown) => log.warn({ updater: String(m) }), error: (m: unknown) => log.error({ updater: String(m) }) };
  const updater = createKioskUpdater({
    updater: autoUpdater,
    feed,
    currentVersion: options.version,
    idle: () => options.kiosk.updates.idle(),
    report: createUpdateReporter(feed, options.logger),
    pending: pendingFile(join(options.dataDir, 'update-pending.json')),
    every: (ms, fn) => {
      const timer = setInterval(fn, ms);
      timer.unref();
      return () => clearInterval(timer);
    },
    logger: options.logger,
  });
  updater.start();
  return () => updater.stop();
}
