// The teleservice feature over real services (SQLite in memory): verbs, automatic steps, counting, printing, wiping, idle setting.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EventName, EventPayload, TeleserviceUpdate } from '../../../../shared/contract/index.js';
import { ExpectedError } from '../../../../shared/errors.js';
import type { Guide } from '../../../../shared/guideSteps.js';
import { createAuth } from '../../../../electron/services/foundation/auth.js';
import type { KioskCore } from '../../../../electron/services/core.js';
import { openDatabase, type Db } from '../../../../electron/services/db/index.js';
import { createIncidentLog } from '../../../../electron/services/evaluation/incidents.js';
import {
  createTeleserviceFeature,
  type PrintRequest,
  type TeleserviceFeature,
  type TeleserviceFeatureOptions,
  type TeleserviceHost,
} from '../../../../electron/services/teleservice/feature.js';
import { createHelp } from '../../../../electron/services/foundation/help.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import { createSettings, DemoConfig } from '../../../../electron/services/foundation/settings.js';
import { createVisits } from '../../../../electron/services/foundation/visits.js';
import { FAKE_GUIDE_ID, makeTestPdf, startFakeOnlineService, writeFakeServiceGuide, type FakeOnlineService } from '../../../e2e/support/fakeOnlineService.js';

const ASSETS = join(import.meta.dirname, '../../../../assets');
const START = Date.parse('2026-11-25T09:00:00Z');
const ORIGIN = 'http://127.0.0.1:4999';
const DEMO = DemoConfig.parse({
  site: { name: 'Site de test', commune: 'Figeac' },
  organisations: [
    { code: 'CAF', name: 'Caf', openingHours: [], correspondent: '' },
    { code: 'CPAM', name: 'Assurance Maladie', openingHours: [], correspondent: '' },
  ],
  mediators: [{ name: 'Camille', pin: '1234' }],
});

interface Harness {
  core: KioskCore;
  db: Db;
  events: { name: EventName; payload: unknown }[];
  updates(): TeleserviceUpdate[];
  advance(ms: number): void;
  dir: string;
}

function harness(): Harness {
  let now = START;
  const clock = () => now;
  const logger = silentLogger();
  const db = openDatabase(':memory:');
  const settings = createSettings({ db, clock, logger });
  settings.seedDemoIfEmpty(DEMO);
  const auth = createAuth({ db, clock, settings, logger });
  const visits = createVisits({ db, clock, logger });
  const help = createHelp({ db, clock, logger });
  const events: { name: EventName; payload: unknown }[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'relais-teleservice-'));
  const core: KioskCore = {
    db,
    clock,
    logger,
    settings,
    auth,
    visits,
    help,
    incidents: createIncidentLog({ db, clock, logger }),
    assetsDir: ASSETS,
    tempDir: dir,
    emit<E extends EventName>(name: E, payload: EventPayload<E>) {
      events.push({ name, payload });
    },
  };
  return {
    core,
    db,
    events,
    dir,
    updates: () => events.filter((e) => e.name === 'teleservice.update').map((e) => e.payload as TeleserviceUpdate),
    advance: (ms) => {
      now += ms;
    },
  };
}

/** A host standing in for the Electron view: records what the feature asks; wipes at once, or when told (`manual`). */
function fakeHost(manual = false) {
  const calls: string[] = [];
  let resolveWipe: (ok: boolean) => void = () => undefined;
  const host: TeleserviceHost = {
    open: async (sessionId, guide) => {
      calls.push(`open ${guide.id}`);
      return { entryUrl: null };
    },
    setBounds: (_id, b) => calls.push(`bounds ${b.width}x${b.height}`),
    close: (_id, reason) => {
      calls.push(`close ${reason}`);
      return { wipeUrl: null, wiped: manual ? new Promise<boolean>((r) => (resolveWipe = r)) : Promise.resolve(true) };
    },
  };
  return { host, calls, wipe: (ok: boolean) => resolveWipe(ok) };
}

function guideYaml(id: string, visitorMayStart: boolean): string {
  return `id: ${id}
organisation: CAF
title: Guide ${id}
summary: Un guide de test.
startUrl: ${ORIGIN}/
allowedOrigins:
  - ${ORIGIN}
visitorMayStart: ${visitorMayStart}
steps:
  - title: Connexion
    text: Connectez-vous.
    urlPattern: /
  - title: Espace
    text: Votre espace.
    urlPattern: /espace
  - title: Fin
    text: Fini.
    urlPattern: /espace/fin
`;
}

const call = async <T>(run: () => T | Promise<T>): Promise<{ ok: true; value: T } | { ok: false; code: string }> => {
  try {
    return { ok: true, value: await run() };
  } catch (cause) {
    if (cause instanceof ExpectedError) return { ok: false, code: cause.code };
    throw cause;
  }
};

const visitsOf = (db: Db) =>
  db.prepare('SELECT organisation, service, started_at AS startedAt, ended_at AS endedAt, mediator_id AS mediatorId, source FROM visits ORDER BY id').all() as {
    organisation: string;
    service: string;
    startedAt: number;
    endedAt: number;
    mediatorId: number | null;
    source: string;
  }[];

describe('teleservice feature with an attached host (Electron)', () => {
  let h: Harness;
  let extra: string;
  let feature: TeleserviceFeature;
  let printed: PrintRequest[];

  const make = (options: Partial<TeleserviceFeatureOptions> = {}) => {
    feature = createTeleserviceFeature(h.core, {
      mode: 'electron',
      extraGuidesDir: extra,
      print: async (request) => {
        printed.push(request);
        return { jobId: 41 + printed.length };
      },
      ...options,
    });
    return feature;
  };

  beforeEach(() => {
    h = harness();
    extra = mkdtempSync(join(tmpdir(), 'relais-guides-'));
    writeFileSync(join(extra, 'guide-libre.yaml'), guideYaml('guide-libre', true));
    writeFileSync(join(extra, 'guide-accompagne.yaml'), guideYaml('guide-accompagne', false));
    printed = [];
  });
  afterEach(async () => {
    await feature.close?.();
    h.db.close();
    rmSync(extra, { recursive: true, force: true });
    rmSync(h.dir, { recursive: true, force: true });
  });

  it('lists the shipped guides and the extra folder, filtered by organisation, without their folder on disk', () => {
    make();
    const all = feature.handlers['guides.list']({}) as Guide[];
    expect(all.map((g) => g.id)).toEqual(expect.arrayContaining(['guide-libre', 'guide-accompagne', 'caf-declaration-trimestrielle']));
    const cpam = feature.handlers['guides.list']({ organisation: 'CPAM' }) as Guide[];
    expect(cpam.length).toBeGreaterThan(0);
    expect(cpam.every((g) => g.organisation === 'CPAM')).toBe(true);
    expect(JSON.stringify(all)).not.toContain(extra);
  });

  it('refuses to start before the shell attached its view, then opens the guide in the attached host', async () => {
    make();
    expect(await call(() => feature.handlers['teleservice.start']({ guideId: 'guide-libre' }))).toEqual({ ok: false, code: 'TELESERVICE_UNAVAILABLE' });
    const { host, calls } = fakeHost();
    feature.attachHost(host);
    const started = await feature.handlers['teleservice.start']({ guideId: 'guide-libre' });
    expect(started).toMatchObject({ guide: { id: 'guide-libre' }, stepIndex: 0, entryUrl: null, startedAt: START });
    expect(calls).toEqual(['open guide-libre']);
  });

  it('lets a visitor start only guides that allow it; the mediator starts any guide', async () => {
    make();
    feature.attachHost(fakeHost().host);
    expect(await call(() => feature.handlers['teleservice.start']({ guideId: 'guide-accompagne' }))).toEqual({ ok: false, code: 'NOT_UNLOCKED' });
    expect(await call(() => feature.handlers['teleservice.start']({ guideId: 'inconnu' }))).toEqual({ ok: false, code: 'NOT_FOUND' });
    await h.core.auth.unlock('1234');
    expect((await call(() => feature.handlers['teleservice.start']({ guideId: 'guide-accompagne' }))).ok).toBe(true);
  });

  it('moves the guide forward by itself when a page matches a later step, never back, and tells the renderer no URL', async () => {
    make();
    feature.attachHost(fakeHost().host);
    const { sessionId } = await feature.handlers['teleservice.start']({ guideId: 'guide-libre' });
    feature.hostEvent({ type: 'navigated', sessionId, url: `${ORIGIN}/espace/fin?dossier=123456` });
    feature.hostEvent({ type: 'navigated', sessionId, url: `${ORIGIN}/espace` });
    feature.hostEvent({ type: 'blocked', sessionId, origin: 'http://127.0.0.1:5000' });
    expect(h.updates()).toEqual([
      { type: 'step', sessionId, stepIndex: 2 },
      { type: 'activity', sessionId },
      { type: 'blocked', sessionId, origin: 'http://127.0.0.1:5000' },
    ]);
    expect(JSON.stringify(h.events)).not.toContain('dossier');
    expect(feature.handlers['teleservice.goToStep']({ sessionId, stepIndex: 1 })).toEqual({ stepIndex: 1 });
  });

  it('turns host problems into notice codes and ignores events of sessions that are not open', async () => {
    make();
    feature.attachHost(fakeHost().host);
    const { sessionId } = await feature.handlers['teleservice.start']({ guideId: 'guide-libre' });
    feature.hostEvent({ type: 'download-refused', sessionId, reason: 'not-pdf' });
    feature.hostEvent({ type: 'certificate-error', sessionId, origin: ORIGIN });
    feature.hostEvent({ type: 'upstream-error', sessionId, origin: ORIGIN });
    feature.hostEvent({ type: 'download-failed', sessionId });
    feature.hostEvent({ type: 'navigated', sessionId: 'autre', url: `${ORIGIN}/espace` });
    expect(h.updates().map((u) => (u.type === 'notice' ? u.code : u.type))).toEqual(['downloadRefused', 'certificateError', 'siteUnreachable', 'downloadFailed']);
  });

  it('counts one teleservice visit with its duration and one documents visit per printed PDF, credited to the mediator who launched it', async () => {
    make();
    const { host, calls, wipe } = fakeHost(true);
    feature.attachHost(host);
    await h.core.auth.unlock('1234');
    const mediatorId = h.core.auth.currentMediatorId();
    const { sessionId } = await feature.handlers['teleservice.start']({ guideId: 'guide-libre' });
    const pdfPath = join(h.dir, 'attestation.pdf');
    writeFileSync(pdfPath, await makeTestPdf());
    feature.hostEvent({ type: 'download', sessionId, path: pdfPath });
    const download = h.updates().find((u) => u.type === 'download');
    if (download?.type !== 'download') throw new Error('no download event');
    expect(download.downloadId).not.toContain(h.dir);
    expect(await feature.handlers['teleservice.printDownload']({ sessionId, downloadId: download.downloadId })).toEqual({ jobId: 42 });
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatchObject({ title: 'Guide guide-libre', organisation: 'CAF' });
    expect(Buffer.from(printed[0]?.pdf ?? []).subarray(0, 5).toString()).toBe('%PDF-');

    h.advance(7 * 60_000);
    const ended = feature.handlers['teleservice.end']({ sessionId, reason: 'finished' });
    expect(ended).toEqual({ durationMs: 7 * 60_000, wipeUrl: null });
    expect(calls).toContain('close finished');
    expect(visitsOf(h.db)).toEqual([
      { organisation: 'CAF', service: 'teleservice', startedAt: START, endedAt: START + 7 * 60_000, mediatorId, source: 'teleservice' },
      { organisation: 'CAF', service: 'documents', startedAt: START + 7 * 60_000, endedAt: START + 7 * 60_000, mediatorId, source: 'teleservice' },
    ]);
    expect(h.updates().some((u) => u.type === 'ended')).toBe(false);
    wipe(true);
    await expect.poll(() => h.updates().at(-1)).toEqual({ type: 'ended', sessionId, reason: 'finished', wiped: true });
    expect(await call(() => feature.handlers['teleservice.end']({ sessionId, reason: 'finished' }))).toEqual({ ok: false, code: 'NOT_FOUND' });
    expect(visitsOf(h.db)).toHaveLength(2);
  });

  it('says when the wipe could not be confirmed', async () => {
    make();
    const { host, wipe } = fakeHost(true);
    feature.attachHost(host);
    const { sessionId } = await feature.handlers['teleservice.start']({ guideId: 'guide-libre' });
    feature.handlers['teleservice.end']({ sessionId, reason: 'idle' });
    wipe(false);
    await expect.poll(() => h.updates().at(-1)).toEqual({ type: 'ended', sessionId, reason: 'idle', wiped: false });
    expect(visitsOf(h.db).map((v) => v.mediatorId)).toEqual([null]);
  });

  it('refuses to print without a print service instead of pretending, and a download of another session', async () => {
    make({ print: undefined });
    feature.attachHost(fakeHost().host);
    const { sessionId } = await feature.handlers['teleservice.start']({ guideId: 'guide-libre' });
    const pdfPath = join(h.dir, 'doc.pdf');
    writeFileSync(pdfPath, await makeTestPdf());
    feature.hostEvent({ type: 'download', sessionId, path: pdfPath });
    const download = h.updates().find((u) => u.type === 'download');
    if (download?.type !== 'download') throw new Error('no download event');
    expect(await call(() => feature.handlers['teleservice.printDownload']({ sessionId, downloadId: download.downloadId }))).toEqual({ ok: false, code: 'PRINT_UNAVAILABLE' });
    expect(await call(() => feature.handlers['teleservice.printDownload']({ sessionId: 'autre', downloadId: download.downloadId }))).toEqual({ ok: false, code: 'NOT_FOUND' });
    feature.handlers['teleservice.end']({ sessionId, reason: 'finished' });
    expect(visitsOf(h.db).map((v) => v.service)).toEqual(['teleservice']);
  });

  it('ends a session left open when the next one starts, so one visitor never inherits another’s site', async () => {
    make();
    const { host, calls } = fakeHost();
    feature.attachHost(host);
    const first = await feature.handlers['teleservice.start']({ guideId: 'guide-libre' });
    const second = await feature.handlers['teleservice.start']({ guideId: 'guide-libre' });
    expect(second.sessionId).not.toBe(first.sessionId);
    expect(calls).toEqual(['open guide-libre', 'close finished', 'open guide-libre']);
    expect(visitsOf(h.db)).toHaveLength(1);
  });

  it('passes the website bounds to the host only for an open session', async () => {
    make();
    const { host, calls } = fakeHost();
    feature.attachHost(host);
    const { sessionId } = await feature.handlers['teleservice.start']({ guideId: 'guide-libre' });
    feature.handlers['teleservice.setBounds']({ sessionId, bounds: { x: 0, y: 80, width: 900, height: 700 } });
    feature.handlers['teleservice.setBounds']({ sessionId: 'autre', bounds: { x: 0, y: 0, width: 1, height: 1 } });
    expect(calls.filter((c) => c.startsWith('bounds'))).toEqual(['bounds 900x700']);
  });

  it('keeps the visitor screens’ idle time in the settings table: 120 s by default, changed by the mediator', async () => {
    make();
    expect(feature.handlers['teleservice.idle']({})).toEqual({ idleSeconds: 120 });
    expect(feature.handlers['teleservice.setIdle']({ idleSeconds: 5 }, { mediator: 1 })).toEqual({ idleSeconds: 5 });
    expect(h.events.some((e) => e.name === 'settings.changed')).toBe(true);
    const again = createTeleserviceFeature(h.core, { mode: 'electron' });
    expect(again.handlers['teleservice.idle']({})).toEqual({ idleSeconds: 5 });
  });
});

describe('teleservice feature in the web shell (loopback proxy)', () => {
  let service: FakeOnlineService;
  let h: Harness;
  let guides: string;
  let feature: TeleserviceFeature;

  beforeAll(async () => {
    service = await startFakeOnlineService();
  });
  afterAll(async () => {
    await service.close();
  });
  beforeEach(async () => {
    h = harness();
    guides = mkdtempSync(join(tmpdir(), 'relais-guides-'));
    await writeFakeServiceGuide(guides, service.origin);
    feature = createTeleserviceFeature(h.core, { mode: 'webshell', extraGuidesDir: guides, wipeGraceMs: 2_000 });
  });
  afterEach(async () => {
    await feature.close?.();
    h.db.close();
    rmSync(guides, { recursive: true, force: true });
    rmSync(h.dir, { recursive: true, force: true });
  });

  // The browser's cookies of 127.0.0.1: the proxy's entry link sets the port's secret, required on every request.
  const browserCookies = new Map<string, string>();
  const get = (url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const cookie = [...browserCookies].map(([k, v]) => `${k}=${v}`).join('; ');
      http
        .get(url, { headers: cookie ? { cookie, ...headers } : headers }, (res) => {
          for (const line of res.headers['set-cookie'] ?? []) {
            const [pair = ''] = line.split(';');
            browserCookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
          }
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        })
        .on('error', reject);
    });

  it('opens the site on a loopback proxy, follows its pages to the steps, and confirms the wipe once the frame loaded the wipe page', async () => {
    const started = await feature.handlers['teleservice.start']({ guideId: FAKE_GUIDE_ID });
    expect(started.entryUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/__relais\/debut/);
    const proxyOrigin = new URL(started.entryUrl ?? '').origin;
    expect(proxyOrigin).not.toBe(service.origin);
    expect((await get(started.entryUrl ?? '')).status).toBe(200);
    const page = await get(`${proxyOrigin}/espace/declaration`, { 'sec-fetch-mode': 'navigate' });
    expect(page.body).toContain('Déclaration');
    expect(h.updates()).toContainEqual({ type: 'step', sessionId: started.sessionId, stepIndex: 2 });

    const { wipeUrl } = await feature.handlers['teleservice.end']({ sessionId: started.sessionId, reason: 'finished' });
    expect(wipeUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/__relais\/fin$/);
    await get(wipeUrl ?? '');
    await expect.poll(() => h.updates().at(-1)).toEqual({ type: 'ended', sessionId: started.sessionId, reason: 'finished', wiped: true });
  });
});
