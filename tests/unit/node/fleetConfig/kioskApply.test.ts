// The department's configuration on the booth: checked whole, applied in one transaction, kept across restarts, refused
// whole (the previous one untouched) for a hostile or impossible configuration, and governing the guides, documents,
// charter and the mediator's settings it manages.
import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { dispatch } from '../../../../electron/services/dispatch.js';
import { createKiosk, type Kiosk } from '../../../../electron/services/kiosk.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import { FLEET_CONFIG_KEY } from '../../../../electron/services/fleetConfig/store.js';
import type { FleetConfig } from '../../../../shared/fleetConfig.js';
import { ASSETS_DIR, memoryKiosk, tempDir } from '../services/support.js';
import { sampleConfig } from './sample.js';

const kiosks: Kiosk[] = [];
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const k of kiosks.splice(0)) k.close();
  for (const c of cleanups.splice(0)) c();
});

function kiosk(): Kiosk {
  const { kiosk: k } = memoryKiosk();
  kiosks.push(k);
  return k;
}
const apply = (k: Kiosk, version: number, config: unknown) => k.handlers['fleetConfig.apply']({ version, config: config as Record<string, unknown> });
const cafHours = (k: Kiosk) => k.settings.organisation('CAF')?.openingHours;
const unlock = async (k: Kiosk) => {
  const r = await dispatch({ handlers: k.handlers, requireMediator: k.requireMediator, logger: silentLogger() }, 'auth.unlock', { pin: '1234' });
  expect(r.ok).toBe(true);
};
const call = (k: Kiosk, verb: string, input: unknown) =>
  dispatch({ handlers: k.handlers, requireMediator: k.requireMediator, logger: silentLogger() }, verb as never, input as never);

const NEW_HOURS = [{ weekday: 5, from: '08:30', to: '11:45' }];
const withCafHours = (slots: FleetConfig['organisations'][number]['openingHours']): FleetConfig => {
  const c = sampleConfig();
  return { ...c, organisations: c.organisations.map((o) => (o.code === 'CAF' ? { ...o, openingHours: slots } : o)) };
};

describe('applying the department’s configuration', () => {
  it('applies organisations, visio hours, survey period and idle delay at once, and reports its version', async () => {
    const k = kiosk();
    expect(await k.handlers['fleetConfig.state']({})).toMatchObject({ managed: false, version: null });
    const outcome = await apply(k, 3, { ...withCafHours(NEW_HOURS), surveyPeriod: 'off', idleSeconds: 75 });
    expect(outcome).toEqual({ status: 'applied', version: 3 });
    expect(cafHours(k)).toEqual(NEW_HOURS);
    expect(await k.handlers['teleservice.idle']({})).toEqual({ idleSeconds: 75 });
    expect((await call(k, 'survey.offer', { service: 'visio' })) as unknown).toMatchObject({ ok: true, value: { offer: false } });
    expect(await k.handlers['fleetConfig.state']({})).toMatchObject({ managed: true, version: 3, refusal: null });
  });

  it('deactivates the organisations the department no longer lists, keeping them for past visits', async () => {
    const k = kiosk();
    const c = sampleConfig();
    await apply(k, 1, { ...c, organisations: c.organisations.filter((o) => o.code !== 'UDAF') });
    expect(k.settings.organisation('UDAF')?.active).toBe(false);
    expect(k.settings.organisation('CAF')?.active).toBe(true);
  });

  it('refuses hostile configurations whole, with a code, and keeps the previous one', async () => {
    const k = kiosk();
    await apply(k, 1, withCafHours(NEW_HOURS));
    const hostile: Array<[unknown, string]> = [
      [{}, 'INVALID_CONFIG'],
      [{ ...sampleConfig(), idleSeconds: -1 }, 'INVALID_CONFIG'],
      [{ ...sampleConfig(), idleSeconds: 1e12 }, 'INVALID_CONFIG'],
      [{ ...sampleConfig(), surveyPeriod: 'forever' }, 'INVALID_CONFIG'],
      [{ ...sampleConfig(), extra: '<script>' }, 'INVALID_CONFIG'],
      [{ ...sampleConfig(), organisations: [] }, 'INVALID_CONFIG'],
      [{ ...sampleConfig(), organisations: [...sampleConfig().organisations, sampleConfig().organisations[0]] }, 'INVALID_CONFIG'],
      [withCafHours([{ weekday: 1, from: '12:00', to: '09:00' }]), 'INVALID_CONFIG'],
      [withCafHours([{ weekday: 1, from: '25:00', to: '26:00' }]), 'INVALID_CONFIG'],
      [{ ...sampleConfig(), organisations: [{ code: "CAF'); DROP TABLE organisations;--", name: 'x', openingHours: [], correspondent: '' }] }, 'INVALID_CONFIG'],
      [{ ...sampleConfig(), guidesOffered: ['../../../etc/passwd'] }, 'INVALID_CONFIG'],
      [{ ...sampleConfig(), charter: { title: { fr: 'x' } } }, 'INVALID_CONFIG'],
      [{ ...sampleConfig(), __proto__: { polluted: true }, constructor: 'x' }, 'INVALID_CONFIG'],
      [{ ...sampleConfig(), guidesOffered: Array.from({ length: 300 }, (_, i) => `g${'x'.repeat(75)}${String(i).padStart(4, '0')}`), documentsOffered: Array.from({ length: 300 }, (_, i) => `d${'x'.repeat(75)}${String(i).padStart(4, '0')}`) }, 'TOO_LARGE'],
      [{ ...sampleConfig(), guidesOffered: ['guide-qui-n-existe-pas'] }, 'UNKNOWN_GUIDE'],
      [{ ...sampleConfig(), documentsOffered: ['document-inconnu'] }, 'UNKNOWN_DOCUMENT'],
      [{ ...sampleConfig(), organisations: sampleConfig().organisations.filter((o) => o.code !== 'CAF'), guidesOffered: ['caf-declaration-trimestrielle'] }, 'UNKNOWN_ORGANISATION'],
      [{ ...sampleConfig(), organisations: sampleConfig().organisations.filter((o) => o.code !== 'CAF'), documentsOffered: ['caf-aides-logement'] }, 'UNKNOWN_ORGANISATION'],
    ];
    for (const [config, code] of hostile) {
      const outcome = await apply(k, 9, config);
      expect(outcome, JSON.stringify(config).slice(0, 80)).toMatchObject({ status: 'refused', version: 9, code });
    }
    expect(cafHours(k)).toEqual(NEW_HOURS);
    expect(await k.handlers['fleetConfig.state']({})).toMatchObject({ managed: true, version: 1, refusal: { version: 9, code: 'UNKNOWN_ORGANISATION' } });
  });

  it('refuses a guide file the booth itself refused as INVALID_GUIDE', async () => {
    const extra = tempDir('relais-guides-');
    cleanups.push(extra.cleanup);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(extra.dir, 'caf-guide-casse.yaml'), 'id: caf-guide-casse\norganisation: CAF\ntitle: [');
    const k = createKiosk({ dbFile: ':memory:', logger: silentLogger(), assetsDir: ASSETS_DIR, version: '9.9.9-test', teleservice: { mode: 'webshell', extraGuidesDir: extra.dir }, printing: false });
    kiosks.push(k);
    expect(await apply(k, 2, { ...sampleConfig(), guidesOffered: ['caf-guide-casse'] })).toMatchObject({ status: 'refused', code: 'INVALID_GUIDE' });
  });

  it('is atomic: a failure in the middle of the writes leaves every table as it was', async () => {
    const k = kiosk();
    await apply(k, 1, withCafHours(NEW_HOURS));
    // The last write of the transaction (the configuration itself) fails, after the organisations were written.
    k.db.exec(`CREATE TRIGGER fail_config BEFORE UPDATE ON settings WHEN NEW.key = '${FLEET_CONFIG_KEY}' BEGIN SELECT RAISE(ABORT, 'disk full'); END;`);
    const outcome = await apply(k, 2, { ...withCafHours([{ weekday: 2, from: '10:00', to: '11:00' }]), idleSeconds: 600 });
    expect(outcome).toMatchObject({ status: 'refused', code: 'APPLY_FAILED' });
    expect(cafHours(k)).toEqual(NEW_HOURS);
    expect(await k.handlers['teleservice.idle']({})).toEqual({ idleSeconds: 90 });
    expect(await k.handlers['fleetConfig.state']({})).toMatchObject({ version: 1 });
  });

  it('keeps the last applied configuration across a restart (offline: nothing to ask the hub)', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const open = () => createKiosk({ dbFile: path.join(dir.dir, 'kiosk.sqlite'), logger: silentLogger(), assetsDir: ASSETS_DIR, version: '9.9.9-test', printing: false });
    const first = open();
    await apply(first, 4, { ...withCafHours(NEW_HOURS), guidesOffered: ['cpam-attestation-de-droits'] });
    first.close();
    const again = open();
    kiosks.push(again);
    expect(cafHours(again)).toEqual(NEW_HOURS);
    expect(await again.handlers['fleetConfig.state']({})).toMatchObject({ managed: true, version: 4 });
    expect((await again.handlers['guides.list']({})).map((g) => g.id)).toEqual(['cpam-attestation-de-droits']);
  });

  it('a stored configuration that no longer reads (edited by hand, a newer schema) is ignored until the hub sends one again', async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const open = () => createKiosk({ dbFile: path.join(dir.dir, 'kiosk.sqlite'), logger: silentLogger(), assetsDir: ASSETS_DIR, version: '9.9.9-test', printing: false });
    const first = open();
    await apply(first, 4, withCafHours(NEW_HOURS));
    first.db.prepare('UPDATE settings SET value = ? WHERE key = ?').run('{"version":4,"config":{"organisations":"<script>"}', FLEET_CONFIG_KEY);
    first.close();
    const again = open();
    kiosks.push(again);
    expect(await again.handlers['fleetConfig.state']({})).toMatchObject({ managed: false, version: null });
    expect((await again.handlers['guides.list']({})).length).toBeGreaterThan(1);
    expect(await apply(again, 5, withCafHours(NEW_HOURS))).toEqual({ status: 'applied', version: 5 });
  });

  it('rolling back on the hub is one more version: the booth applies the older content under the new number', async () => {
    const k = kiosk();
    await apply(k, 1, withCafHours(NEW_HOURS));
    await apply(k, 2, withCafHours([{ weekday: 2, from: '10:00', to: '11:00' }]));
    expect(await apply(k, 3, withCafHours(NEW_HOURS))).toEqual({ status: 'applied', version: 3 });
    expect(cafHours(k)).toEqual(NEW_HOURS);
    expect(await k.handlers['fleetConfig.state']({})).toMatchObject({ version: 3 });
  });
});

describe('what the configuration governs', () => {
  it('offers only the listed guides and documents, and the department’s charter', async () => {
    const k = kiosk();
    const charter = {
      title: { fr: 'Charte du Lot', en: 'Lot charter' },
      intro: { fr: 'Nos engagements', en: 'Our commitments' },
      commitments: ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => ({ id, title: { fr: `T ${id}`, en: `T ${id}` }, text: { fr: `X ${id}`, en: `X ${id}` } })),
    };
    await apply(k, 1, { ...sampleConfig(), guidesOffered: ['caf-declaration-trimestrielle'], documentsOffered: ['cpam-compte-ameli'], charter });
    expect((await k.handlers['guides.list']({})).map((g) => g.id)).toEqual(['caf-declaration-trimestrielle']);
    expect((await k.handlers['documents.list']({})).map((d) => d.id)).toEqual(['cpam-compte-ameli']);
    expect((await k.handlers['charter.get']({})).title.fr).toBe('Charte du Lot');
    expect(await call(k, 'teleservice.start', { guideId: 'cpam-attestation-de-droits' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call(k, 'documents.print', { id: 'caf-aides-logement', copies: 1 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('refuses the mediator’s changes to a department-managed field, and keeps the site’s own settings theirs', async () => {
    const k = kiosk();
    await unlock(k);
    expect(await call(k, 'teleservice.setIdle', { idleSeconds: 30 })).toMatchObject({ ok: true });
    await apply(k, 1, sampleConfig());
    expect(await call(k, 'teleservice.setIdle', { idleSeconds: 30 })).toMatchObject({ ok: false, error: { code: 'MANAGED_BY_DEPARTMENT' } });
    const caf = k.settings.organisation('CAF');
    expect(await call(k, 'settings.saveOrganisation', { code: 'CAF', name: 'CAF', openingHours: [], correspondent: '', active: true })).toMatchObject({ ok: false, error: { code: 'MANAGED_BY_DEPARTMENT' } });
    expect(k.settings.organisation('CAF')).toEqual(caf);
    expect(await call(k, 'evaluation.setSettings', { surveyMode: 'off' })).toMatchObject({ ok: false, error: { code: 'MANAGED_BY_DEPARTMENT' } });
    expect(await call(k, 'evaluation.setSettings', { retentionMonths: 12 })).toMatchObject({ ok: true });
    expect(await call(k, 'settings.updateSite', { name: 'Relais de Gramat', commune: 'Gramat' })).toMatchObject({ ok: true });
  });

  it('refuses a hostile call of the verb at the contract’s door', async () => {
    const k = kiosk();
    for (const input of [{}, { version: 0, config: {} }, { version: 1, config: [] }, { version: 1, config: 'x' }, { version: 1.5, config: {} }, { version: 1, config: {}, extra: 1 }]) {
      expect(await call(k, 'fleetConfig.apply', input)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
    expect(await k.handlers['fleetConfig.state']({})).toMatchObject({ managed: false });
  });
});
