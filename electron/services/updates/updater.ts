// The kiosk's updates through electron-updater: the generic provider on the booth's hub with its token, automatic
// download (electron-updater verifies the sha512), install only when the booth is idle (no visitor on a screen, no call,
// no form, no mediator session), and every outcome reported to the hub. A failure leaves the booth on its version.
// Typed against electron-updater's AppUpdater; the shell passes the real `autoUpdater`, tests a typed fake.
import type { AppUpdater } from 'electron-updater';
import type { UpdateFailure, UpdateReport } from '../../../shared/updates.js';
import type { Logger } from '../logger.js';
import type { UpdateFeed } from './feed.js';
import type { PendingStore } from './pending.js';

/** What the kiosk uses of electron-updater's AppUpdater. */
export type UpdaterPort = Pick<AppUpdater, 'autoDownload' | 'autoInstallOnAppQuit' | 'allowDowngrade' | 'setFeedURL' | 'addAuthHeader' | 'checkForUpdates' | 'quitAndInstall' | 'on'>;

export type IdleVerdict = { idle: true } | { idle: false; reason: 'visitor' | 'mediator' };

export type UpdaterPhase = 'idle' | 'checking' | 'downloading' | 'downloaded' | 'installing';

export interface KioskUpdaterDeps {
  updater: UpdaterPort;
  feed: UpdateFeed;
  currentVersion: string;
  /** Whether an install may start now (updates/feature.ts). */
  idle: () => IdleVerdict;
  report: (report: UpdateReport) => Promise<unknown>;
  pending: PendingStore;
  /** Repeats `fn` every `ms`; returns its cancel. */
  every: (ms: number, fn: () => void) => () => void;
  logger: Logger;
  /** How often the hub is asked (default 1 h). */
  checkEveryMs?: number;
  /** How often a downloaded update looks for an idle moment (default 30 s). */
  idlePollMs?: number;
}

export interface KioskUpdater {
  /** Settles the update of the previous run, configures the updater, checks now and then periodically. */
  start(): void;
  checkNow(): Promise<void>;
  phase(): UpdaterPhase;
  /** The downloaded version waiting for an idle moment, if any. */
  waiting(): string | null;
  stop(): void;
}

/** electron-updater's errors carry a `code` (builder-util-runtime `newError`): the checksum's is ERR_CHECKSUM_MISMATCH. */
function failureOf(error: Error, phase: UpdaterPhase): UpdateFailure {
  const code = (error as Error & { code?: unknown }).code;
  if (code === 'ERR_CHECKSUM_MISMATCH' || /checksum mismatch/i.test(error.message)) return 'checksum';
  if (phase === 'downloading') return 'download';
  if (phase === 'installing') return 'install';
  return 'manifest';
}

export function createKioskUpdater(deps: KioskUpdaterDeps): KioskUpdater {
  const { updater, feed } = deps;
  const log = deps.logger.child({ scope: 'updates' });
  let phase: UpdaterPhase = 'idle';
  let offered: string | null = null;
  let downloaded: string | null = null;
  const cancels: Array<() => void> = [];
  const send = (report: UpdateReport): void => {
    void Promise.resolve(deps.report(report)).catch(() => undefined);
  };

  function settlePrevious(): void {
    const pending = deps.pending.read();
    if (!pending) return;
    deps.pending.clear();
    if (pending.version === deps.currentVersion) {
      log.info({ code: 'UPDATE_INSTALLED', version: pending.version, from: pending.from }, 'update installed');
      send({ version: pending.version, outcome: 'updated', reason: null });
    } else {
      log.error({ code: 'UPDATE_INSTALL_FAILED', version: pending.version, running: deps.currentVersion }, 'the update did not install: still on the previous version');
      send({ version: pending.version, outcome: 'failed', reason: 'install' });
    }
  }

  function tryInstall(): void {
    if (phase !== 'downloaded' || downloaded === null) return;
    const verdict = deps.idle();
    if (!verdict.idle) {
      log.debug({ code: 'UPDATE_WAITING_IDLE', version: downloaded, reason: verdict.reason }, 'update waits for an idle booth');
      return;
    }
    const version = downloaded;
    phase = 'installing';
    deps.pending.write({ version, from: deps.currentVersion });
    log.info({ code: 'UPDATE_INSTALLING', version }, 'booth idle: installing the update');
    try {
      // Silent, and the kiosk starts again after the installer (Windows); AppImage/deb restart the app themselves.
      updater.quitAndInstall(true, true);
    } catch (cause) {
      deps.pending.clear();
      phase = 'idle';
      downloaded = null;
      log.error({ code: 'UPDATE_INSTALL_FAILED', version, err: (cause as Error).message }, 'the installer could not start');
      send({ version, outcome: 'failed', reason: 'install' });
    }
  }

  updater.on('checking-for-update', () => {
    if (phase === 'idle') phase = 'checking';
  });
  updater.on('update-not-available', () => {
    if (phase === 'checking') phase = 'idle';
  });
  updater.on('update-available', (info) => {
    offered = info.version;
    phase = 'downloading';
    log.info({ code: 'UPDATE_AVAILABLE', version: info.version }, 'update offered by the hub: downloading');
  });
  updater.on('update-downloaded', (event) => {
    downloaded = event.version;
    phase = 'downloaded';
    log.info({ code: 'UPDATE_DOWNLOADED', version: event.version }, 'update downloaded and verified');
    send({ version: event.version, outcome: 'downloaded', reason: null });
    tryInstall();
  });
  updater.on('error', (error) => {
    const reason = failureOf(error, phase);
    const version = phase === 'installing' ? downloaded : offered;
    log.error({ code: 'UPDATE_FAILED', reason, version, err: error.message.slice(0, 300) }, 'update failed: the booth keeps its version');
    if (phase === 'installing') deps.pending.clear();
    phase = 'idle';
    downloaded = null;
    if (version !== null) send({ version, outcome: 'failed', reason });
    offered = null;
  });

  async function checkNow(): Promise<void> {
    if (phase !== 'idle') return;
    try {
      const result = await updater.checkForUpdates();
      // autoDownload's promise rejects as the 'error' event fires: the event reports it, the rejection is not left unhandled.
      void result?.downloadPromise?.catch(() => undefined);
    } catch {
      // Reported by the 'error' listener.
    }
  }

  return {
    start() {
      settlePrevious();
      updater.autoDownload = true;
      updater.autoInstallOnAppQuit = false;
      updater.allowDowngrade = false;
      updater.setFeedURL({ provider: 'generic', url: feed.feedUrl });
      updater.addAuthHeader(`Bearer ${feed.token}`);
      void checkNow();
      cancels.push(
        deps.every(deps.checkEveryMs ?? 3_600_000, () => void checkNow()),
        deps.every(deps.idlePollMs ?? 30_000, tryInstall),
      );
    },
    checkNow,
    phase: () => phase,
    waiting: () => (phase === 'downloaded' ? downloaded : null),
    stop() {
      for (const cancel of cancels.splice(0)) cancel();
    },
  };
}
