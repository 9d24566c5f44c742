import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../../electron/services/db/index.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import { createSettings, DemoConfig, hashPin, verifyPin } from '../../../../electron/services/foundation/settings.js';
import { ASSETS_DIR, fakeClock, paris } from '../services/support.js';

const demo = DemoConfig.parse(JSON.parse(readFileSync(path.join(ASSETS_DIR, 'demo-config.json'), 'utf8')));

describe('settings', () => {
  let db: Db;
  afterEach(() => db?.close());
  const make = () => {
    db = openDatabase(':memory:');
    const clock = fakeClock(paris(2026, 2, 4, 10, 0));
    return createSettings({ db, clock, logger: silentLogger() });
  };

  it('seeds the demo site once: six organisations in DOMAIN.md order, one mediator, demo on', () => {
    const settings = make();
    expect(settings.seedDemoIfEmpty(demo)).toBe(true);
    expect(settings.seedDemoIfEmpty(demo)).toBe(false);
    expect(settings.organisations().map((o) => o.code)).toEqual(['CAF', 'CPAM', 'CARSAT', 'FT', 'ML', 'UDAF']);
    expect(settings.organisations().map((o) => o.position)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(settings.organisation('CAF')?.name).toBe("Caisse d'allocations familiales");
    expect(settings.organisation('UDAF')?.name).toBe('UDAF – Point Info Famille');
    expect(settings.organisations().every((o) => o.openingHours.length > 0 && o.correspondent.length > 0 && o.active)).toBe(true);
    expect(settings.mediators()).toEqual([{ id: 1, name: 'Médiateur démo', active: true }]);
    expect(settings.site()).toEqual({ name: 'Site de démonstration', commune: 'Saint-Céré', demo: true });
  });

  it('shows the demo PIN in app info only while the site is the seeded demo; renaming the site ends the demo', () => {
    const settings = make();
    settings.seedDemoIfEmpty(demo);
    expect(settings.appInfo(5, '1.0.0')).toEqual({
      siteName: 'Site de démonstration',
      commune: 'Saint-Céré',
      demo: true,
      demoPin: '1234',
      now: 5,
      version: '1.0.0',
    });
    settings.updateSite('  Relais de Figeac ', 'Figeac');
    expect(settings.appInfo(6, '1.0.0')).toMatchObject({ siteName: 'Relais de Figeac', commune: 'Figeac', demo: false, demoPin: null });
    expect(db.prepare("SELECT COUNT(*) AS n FROM settings WHERE value = '1234'").get()).toEqual({ n: 0 });
  });

  it('ends the demo when the demo mediator gets another PIN, so a stale PIN is never shown', async () => {
    const settings = make();
    settings.seedDemoIfEmpty(demo);
    await settings.setMediatorPin(1, '987654');
    expect(settings.appInfo(1, 'v').demoPin).toBeNull();
  });

  it('stores PINs as salted scrypt hashes, never in clear', () => {
    const settings = make();
    settings.seedDemoIfEmpty(demo);
    const { pin_hash } = db.prepare('SELECT pin_hash FROM mediators WHERE id = 1').get() as { pin_hash: string };
    expect(pin_hash).not.toContain('1234');
    expect(pin_hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hashPin('1234')).not.toBe(hashPin('1234'));
  });

  it('verifies the right PIN and refuses a wrong one or a malformed hash', async () => {
    const h = hashPin('4821');
    expect(await verifyPin('4821', h)).toBe(true);
    expect(await verifyPin('4822', h)).toBe(false);
    expect(await verifyPin('4821', 'plain:4821')).toBe(false);
    expect(await verifyPin('4821', 'scrypt$x$8$1$AAAA$AAAA')).toBe(false);
  });

  it('renames an organisation in place and appends a new one at the end (save = upsert)', () => {
    const settings = make();
    settings.seedDemoIfEmpty(demo);
    const caf = settings.organisation('CAF');
    if (!caf) throw new Error('CAF missing');
    const renamed = settings.saveOrganisation({ ...caf, name: 'CAF du Lot', openingHours: [{ weekday: 5, from: '08:30', to: '11:30' }] });
    expect(renamed).toMatchObject({ code: 'CAF', name: 'CAF du Lot', position: 1, openingHours: [{ weekday: 5, from: '08:30', to: '11:30' }] });
    const msa = settings.saveOrganisation({ code: 'MSA', name: 'Mutualité sociale agricole', openingHours: [], correspondent: 'Correspondant MSA', active: true });
    expect(msa.position).toBe(7);
    expect(settings.organisations().map((o) => o.code)).toEqual(['CAF', 'CPAM', 'CARSAT', 'FT', 'ML', 'UDAF', 'MSA']);
    settings.saveOrganisation({ ...msa, active: false });
    expect(settings.organisation('MSA')?.active).toBe(false);
  });

  it('adds the visio opening state to each organisation', () => {
    const settings = make();
    settings.seedDemoIfEmpty(demo);
    // Wednesday 10:00: CAF open (Wed 9–12), CPAM closed until Thursday 13:30.
    const orgs = settings.organisationsWithState(paris(2026, 2, 4, 10, 0));
    expect(orgs.find((o) => o.code === 'CAF')?.visio).toEqual({ openNow: true, closesAt: paris(2026, 2, 4, 12, 0), nextOpening: null });
    expect(orgs.find((o) => o.code === 'CPAM')?.visio).toEqual({ openNow: false, closesAt: null, nextOpening: paris(2026, 2, 5, 13, 30) });
  });

  it('refuses a second active mediator with the same name or the same PIN', async () => {
    const settings = make();
    settings.seedDemoIfEmpty(demo);
    await expect(settings.addMediator('médiateur DÉMO', '5555')).rejects.toMatchObject({ code: 'DUPLICATE', details: { field: 'name' } });
    await expect(settings.addMediator('Alice', '1234')).rejects.toMatchObject({ code: 'DUPLICATE', details: { field: 'pin' } });
    const alice = await settings.addMediator('Alice', '5555');
    expect(alice).toEqual({ id: 2, name: 'Alice', active: true });
    expect((await settings.mediatorsMatchingPin('5555')).map((m) => m.id)).toEqual([2]);
  });

  it('refuses to deactivate the last active mediator, and ignores inactive ones at PIN check', async () => {
    const settings = make();
    settings.seedDemoIfEmpty(demo);
    expect(() => settings.deactivateMediator(1)).toThrow(expect.objectContaining({ code: 'LAST_MEDIATOR' }));
    await settings.addMediator('Alice', '5555');
    expect(settings.deactivateMediator(1)).toEqual({ id: 1, name: 'Médiateur démo', active: false });
    expect(await settings.mediatorsMatchingPin('1234')).toEqual([]);
    expect(() => settings.deactivateMediator(99)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('notifies listeners of every change', async () => {
    const settings = make();
    settings.seedDemoIfEmpty(demo);
    let n = 0;
    const off = settings.onChange(() => n++);
    settings.updateSite('A', 'B');
    await settings.addMediator('Alice', '5555');
    off();
    settings.updateSite('C', 'D');
    expect(n).toBe(2);
  });
});
