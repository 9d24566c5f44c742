// The kiosk's electron-updater driver against a typed fake of AppUpdater: the generic feed on the hub with the booth's
// token, install only when idle, every outcome reported (downloaded, updated, checksum, install), the booth kept on its
// version when anything fails; and the `updates.idle` verb's verdict in a real kiosk (renderer's word, mediator session).
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppUpdater, UpdateCheckResult, UpdateDownloadedEvent } from 'electron-updater';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../../electron/services/dispatch.js';
import { createKiosk, type Kiosk } from '../../../../electron/services/kiosk.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import { createKioskUpdater, pendingFile, updateFeedOf, type IdleVerdict, type UpdaterPort } from '../../../../electron/services/updates/index.js';
import type { UpdateReport } from '../../../../shared/updates.js';
import { ASSETS_DIR } from '../services/support.js';

type Events = Parameters<AppUpdater['emit']>[0];

/** AppUpdater as the kiosk uses it: its listeners, its settings, and what was asked of it. */
class FakeUpdater implements UpdaterPort {
  autoDownload = false;
  autoInstallOnAppQuit = true;
  allowDowngrade = true;
  feed: unknown = null;
  authHeader: string | null = null;
  checks = 0;
  installs: Array<[boolean | undefined, boolean | undefined]> = [];
  failInstall = false;
  private readonly emitter = new EventEmitter();
  on: UpdaterPort['on'] = (event, listener) => {
    this.emitter.on(event, listener as (...args: unknown[]) => void);
    return this as unknown as AppUpdater;
  };
  fire(event: Events, ...args: unknown[]): void {
    this.emitter.emit(event, ...args);
  }
  setFeedURL(options: Parameters<AppUpdater['setFeedURL']>[0]): void {
    this.feed = options;
  }
  addAuthHeader(token: string): void {
    this.authHeader = token;
  }
  checkForUpdates(): Promise<UpdateCheckResult | null> {
    this.checks++;
    return Promise.resolve(null);
  }
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    if (this.failInstall) throw new Error('installer missing');
    this.installs.push([isSilent, isForceRunAfter]);
  }
}

const dirs: string[] = [];
const kiosks: Kiosk[] = [];
afterEach(() => {
  for (const k of kiosks.splice(0)) k.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(version = '1.0.0', pendingVersion?: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'relais-updater-'));
  dirs.push(dir);
  const pending = pendingFile(path.join(dir, 'update-pending.json'));
  if (pendingVersion) pending.write({ version: pendingVersion, from: '1.0.0' });
  const fake = new FakeUpdater();
  const reports: UpdateReport[] = [];
  let verdict: IdleVerdict = { idle: false, reason: 'visitor' };
  const ticks: Array<() => void> = [];
  const feed = updateFeedOf({ url: 'wss://hub.departement.example/hub', token: 'rb_secret' });
  if (!feed) throw new Error('feed');
  const updater = createKioskUpdater({
    updater: fake,
    feed,
    currentVersion: version,
    idle: () => verdict,
    report: async (r) => {
      reports.push(r);
      return true;
    },
    pending,
    every: (_ms, fn) => {
      ticks.push(fn);
      return () => undefined;
    },
    logger: silentLogger(),
  });
  return {
    fake,
    reports,
    pending,
    updater,
    setIdle: (v: IdleVerdict) => {
      verdict = v;
    },
    tick: () => ticks.forEach((t) => t()),
  };
}

const downloaded = (version: string): UpdateDownloadedEvent => ({ version, files: [], path: '', sha512: '', releaseDate: '2026-12-01T00:00:00.000Z', downloadedFile: '/tmp/x' });

describe('the kiosk updater', () => {
  it('uses the generic provider on the hub’s https feed with the booth’s token, downloads itself and never installs on quit', () => {
    const s = setup();
    s.updater.start();
    expect(s.fake.feed).toEqual({ provider: 'generic', url: 'https://hub.departement.example/updates/' });
    expect(s.fake.authHeader).toBe('Bearer rb_secret');
    expect(s.fake).toMatchObject({ autoDownload: true, autoInstallOnAppQuit: false, allowDowngrade: false });
    expect(s.fake.checks).toBe(1);
  });

  it('waits for an idle booth before installing a downloaded update, and reports the download', () => {
    const s = setup();
    s.updater.start();
    s.fake.fire('update-available', { version: '1.1.0' });
    s.fake.fire('update-downloaded', downloaded('1.1.0'));
    expect(s.reports).toEqual([{ version: '1.1.0', outcome: 'downloaded', reason: null }]);
    expect(s.fake.installs).toEqual([]);
    expect(s.updater.waiting()).toBe('1.1.0');
    s.setIdle({ idle: false, reason: 'mediator' });
    s.tick();
    expect(s.fake.installs).toEqual([]);
    s.setIdle({ idle: true });
    s.tick();
    expect(s.fake.installs).toEqual([[true, true]]);
    expect(s.pending.read()).toEqual({ version: '1.1.0', from: '1.0.0' });
  });

  it('reports a checksum mismatch and keeps the booth on its version (no install, checks go on)', () => {
    const s = setup();
    s.setIdle({ idle: true });
    s.updater.start();
    s.fake.fire('update-available', { version: '1.1.0' });
    s.fake.fire('error', Object.assign(new Error('sha512 checksum mismatch, expected a, got b'), { code: 'ERR_CHECKSUM_MISMATCH' }));
    expect(s.reports).toEqual([{ version: '1.1.0', outcome: 'failed', reason: 'checksum' }]);
    expect(s.fake.installs).toEqual([]);
    expect(s.updater.phase()).toBe('idle');
    s.tick();
    expect(s.fake.checks).toBe(2);
  });

  it('reports a broken download as « download » and an unreadable feed without a version not at all', () => {
    const s = setup();
    s.updater.start();
    s.fake.fire('checking-for-update');
    s.fake.fire('error', new Error('Cannot parse update info'));
    expect(s.reports).toEqual([]);
    s.fake.fire('update-available', { version: '1.2.0' });
    s.fake.fire('error', new Error('socket hang up'));
    expect(s.reports).toEqual([{ version: '1.2.0', outcome: 'failed', reason: 'download' }]);
  });

  it('an installer that cannot start is reported « install », the marker removed, the booth still running', () => {
    const s = setup();
    s.setIdle({ idle: true });
    s.updater.start();
    s.fake.failInstall = true;
    s.fake.fire('update-downloaded', downloaded('1.1.0'));
    expect(s.reports.at(-1)).toEqual({ version: '1.1.0', outcome: 'failed', reason: 'install' });
    expect(s.pending.read()).toBeNull();
    expect(s.updater.phase()).toBe('idle');
  });

  it('after a restart reports « updated » when running the installed version, « install » failure when still on the old one', () => {
    const ok = setup('1.1.0', '1.1.0');
    ok.updater.start();
    expect(ok.reports).toEqual([{ version: '1.1.0', outcome: 'updated', reason: null }]);
    expect(ok.pending.read()).toBeNull();
    const rolledBack = setup('1.0.0', '1.1.0');
    rolledBack.updater.start();
    expect(rolledBack.reports).toEqual([{ version: '1.1.0', outcome: 'failed', reason: 'install' }]);
  });

  it('finds no feed without a hub, a token, or a ws(s) URL', () => {
    expect(updateFeedOf(null)).toBeNull();
    expect(updateFeedOf({ url: 'ws://127.0.0.1:8787/hub', token: '' })).toBeNull();
    expect(updateFeedOf({ url: 'file:///etc/passwd', token: 'x' })).toBeNull();
    expect(updateFeedOf({ url: 'pas une url', token: 'x' })).toBeNull();
    expect(updateFeedOf({ url: 'ws://127.0.0.1:8787/hub', token: 'x' })?.reportUrl).toBe('http://127.0.0.1:8787/updates/report');
  });
});

describe('updates.idle in a kiosk', () => {
  it('is busy until the renderer says idle, and busy again while a mediator’s session is open; bad input refused', async () => {
    const kiosk = createKiosk({ dbFile: ':memory:', logger: silentLogger(), assetsDir: ASSETS_DIR, printing: false });
    kiosks.push(kiosk);
    const deps = { handlers: kiosk.handlers, requireMediator: kiosk.requireMediator, logger: silentLogger() };
    expect(kiosk.updates.idle()).toEqual({ idle: false, reason: 'visitor' });
    expect(await dispatch(deps, 'updates.idle', { idle: true })).toEqual({ ok: true, value: { done: true } });
    expect(kiosk.updates.idle()).toEqual({ idle: true });
    for (const bad of [{}, { idle: 'yes' }, { idle: true, extra: 1 }, null]) {
      const r = await dispatch(deps, 'updates.idle', bad);
      expect(r.ok).toBe(false);
    }
    expect(kiosk.updates.idle()).toEqual({ idle: true });
    expect(await kiosk.auth.unlock('1234')).toMatchObject({ unlocked: true });
    expect(kiosk.updates.idle()).toEqual({ idle: false, reason: 'mediator' });
    kiosk.auth.lock();
    await dispatch(deps, 'updates.idle', { idle: false });
    expect(kiosk.updates.idle()).toEqual({ idle: false, reason: 'visitor' });
  });
});
