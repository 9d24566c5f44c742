import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../../electron/services/dispatch.js';
import { createFoundationFeature, createKiosk, type Kiosk } from '../../../../electron/services/kiosk.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import { contract, foundationVerbs, VERB_NAMES, type EventName } from '../../../../shared/contract/index.js';
import { ASSETS_DIR, memoryKiosk, paris, tempDir } from './support.js';

describe('kiosk handlers through dispatch', () => {
  const kiosks: Kiosk[] = [];
  afterEach(() => {
    for (const k of kiosks.splice(0)) k.close();
  });
  const make = () => {
    const made = memoryKiosk();
    kiosks.push(made.kiosk);
    const call = (verb: unknown, input?: unknown) => dispatch({ handlers: made.kiosk.handlers, requireMediator: made.kiosk.requireMediator, logger: silentLogger() }, verb, input);
    return { ...made, call };
  };

  it('answers every verb of the contract, the foundation ones through its own handlers', () => {
    const { kiosk } = make();
    expect(Object.keys(kiosk.handlers).sort()).toEqual([...VERB_NAMES].sort());
    const foundation = Object.keys(createFoundationFeature(kiosk, 'v').handlers);
    expect(foundation.sort()).toEqual(Object.keys(foundationVerbs).sort());
    for (const verb of foundation) expect(kiosk.unwiredVerbs).not.toContain(verb);
  });

  it('wires the handlers of an added feature, and answers INTERNAL (not a throw) for a verb no feature handles', async () => {
    const unwired = memoryKiosk().kiosk;
    kiosks.push(unwired);
    const verb = unwired.unwiredVerbs[0];
    if (verb === undefined) {
      console.info('every verb is wired by the foundation and built-in features: nothing unwired to check');
      return;
    }
    const deps = { handlers: unwired.handlers, requireMediator: () => ({ mediator: 1 }), logger: silentLogger() };
    const res = await dispatch(deps, verb, {});
    expect(res.ok).toBe(false);
    expect((res as { error: { code: string } }).error.code).toMatch(/^(INTERNAL|INVALID_INPUT)$/);

    const marker = () => {
      throw new Error('feature handler reached');
    };
    const withFeature = createKiosk({ dbFile: ':memory:', logger: silentLogger(), assetsDir: ASSETS_DIR, features: [() => ({ handlers: { [verb]: marker } })] });
    kiosks.push(withFeature);
    expect(withFeature.unwiredVerbs).not.toContain(verb);
    expect(withFeature.handlers[verb]).toBe(marker);
  });

  it('answers app.info with the demo site and its PIN on a fresh database', async () => {
    const { call, clock } = make();
    expect(await call('app.info', {})).toEqual({
      ok: true,
      value: { siteName: 'Site de démonstration', commune: 'Saint-Céré', demo: true, demoPin: '1234', now: clock(), version: '9.9.9-test' },
    });
  });

  it('lists the organisations with their visio state, open or not, to anyone', async () => {
    const { call } = make();
    const res = await call('organisations.list', {});
    expect(res.ok).toBe(true);
    const orgs = (res as { value: { code: string; visio: { openNow: boolean } }[] }).value;
    expect(orgs.map((o) => [o.code, o.visio.openNow])).toEqual([
      ['CAF', true],
      ['CPAM', false],
      ['CARSAT', false],
      ['FT', false],
      ['ML', false],
      ['UDAF', false],
    ]);
  });

  it('returns INVALID_INPUT for bad input, never throwing', async () => {
    const { call } = make();
    await expect(call('auth.unlock', { pin: 1234 })).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    await expect(call('help.request', { screen: '' })).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    await expect(call('app.info', { extra: true })).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    await expect(call('grid.csv', { week: '2026-W54' })).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    await expect(call('visits.record', 'not an object')).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('returns UNKNOWN_VERB for a verb outside the contract', async () => {
    const { call } = make();
    await expect(call('visits.dropAll', {})).resolves.toMatchObject({ ok: false, error: { code: 'UNKNOWN_VERB' } });
    await expect(call(42, {})).resolves.toMatchObject({ ok: false, error: { code: 'UNKNOWN_VERB' } });
  });

  it('refuses every mediator-only verb with NOT_UNLOCKED while locked', async () => {
    const { call } = make();
    const validInputs: Record<string, unknown> = {
      'help.acknowledge': {},
      'visits.record': { organisation: 'CAF', service: 'info' },
      'visits.update': { id: 1, patch: {} },
      'visits.delete': { id: 1 },
      'visits.listDay': {},
      'grid.week': {},
      'grid.csv': { week: '2026-W06' },
      'settings.updateSite': { name: 'X', commune: 'Y' },
      'settings.saveOrganisation': { code: 'CAF', name: 'CAF', openingHours: [], correspondent: '', active: true },
      'mediators.list': {},
      'mediators.add': { name: 'Alice', pin: '5555' },
      'mediators.setPin': { id: 1, pin: '5555' },
      'mediators.deactivate': { id: 1 },
    };
    const mediatorOnly = VERB_NAMES.filter((v) => contract[v].mediatorOnly && Object.hasOwn(foundationVerbs, v));
    expect(mediatorOnly.sort()).toEqual(Object.keys(validInputs).sort());
    for (const verb of mediatorOnly) {
      await expect(call(verb, validInputs[verb]), verb).resolves.toMatchObject({ ok: false, error: { code: 'NOT_UNLOCKED' } });
    }
  });

  it('unlocks, records a visit credited to the mediator, lists it and shows it in the grid and CSV', async () => {
    const { call, clock } = make();
    await expect(call('auth.unlock', { pin: '0000' })).resolves.toMatchObject({ ok: false, error: { code: 'WRONG_PIN', details: { remaining: 4 } } });
    await expect(call('auth.unlock', { pin: '1234' })).resolves.toMatchObject({ ok: true, value: { unlocked: true, mediator: { id: 1 } } });
    const rec = await call('visits.record', { organisation: 'CAF', service: 'visio', profile: { ageBand: '60plus', commune: null, firstVisit: true } });
    expect(rec).toMatchObject({ ok: true, value: { id: 1, mediatorId: 1, source: 'mediator', startedAt: clock() } });
    await expect(call('visits.record', { organisation: 'NOPE', service: 'info' })).resolves.toMatchObject({ ok: false, error: { code: 'UNKNOWN_ORGANISATION' } });
    await expect(call('visits.listDay', {})).resolves.toMatchObject({ ok: true, value: [{ id: 1 }] });
    const grid = await call('grid.week', {});
    expect(grid).toMatchObject({ ok: true, value: { week: '2026-W06', total: 1 } });
    expect((grid as { value: { rows: unknown[] } }).value.rows[0]).toMatchObject({ organisation: 'CAF', counts: { visio: 1 }, total: 1 });
    const csv = await call('grid.csv', { week: '2026-W06' });
    expect(csv).toMatchObject({ ok: true, value: { filename: 'grille-comptage-2026-W06.csv' } });
    await expect(call('visits.update', { id: 1, patch: { service: 'info' } })).resolves.toMatchObject({ ok: true, value: { service: 'info' } });
    await expect(call('visits.delete', { id: 1 })).resolves.toEqual({ ok: true, value: { done: true } });
    await expect(call('visits.delete', { id: 1 })).resolves.toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('returns NOT_TODAY through dispatch for yesterday\'s visit', async () => {
    const { call, clock } = make();
    await call('auth.unlock', { pin: '1234' });
    await call('visits.record', { organisation: 'CAF', service: 'info', startedAt: paris(2026, 2, 3, 16, 0) });
    await expect(call('visits.delete', { id: 1 })).resolves.toMatchObject({ ok: false, error: { code: 'NOT_TODAY' } });
    expect(clock()).toBe(paris(2026, 2, 4, 10, 0));
  });

  it('keeps the session alive while mediator verbs are used and locks it after 15 idle minutes', async () => {
    const { call, clock } = make();
    await call('auth.unlock', { pin: '1234' });
    for (let i = 0; i < 4; i++) {
      clock.advance(10 * 60_000);
      await expect(call('mediators.list', {})).resolves.toMatchObject({ ok: true });
    }
    clock.advance(15 * 60_000);
    await expect(call('mediators.list', {})).resolves.toMatchObject({ ok: false, error: { code: 'NOT_UNLOCKED' } });
  });

  it('emits help.changed, auth.changed and settings.changed events', async () => {
    const { call, kiosk } = make();
    const seen: EventName[] = [];
    const foundationEvents = new Set<EventName>(['help.changed', 'auth.changed', 'settings.changed']);
    kiosk.onEvent((name) => {
      if (foundationEvents.has(name)) seen.push(name);
    });
    await call('help.request', { screen: 'home' });
    await call('auth.unlock', { pin: '1234' });
    await call('help.acknowledge', {});
    await call('settings.updateSite', { name: 'Relais de Gramat', commune: 'Gramat' });
    expect(seen).toEqual(['help.changed', 'auth.changed', 'help.changed', 'settings.changed']);
    await expect(call('app.info', {})).resolves.toMatchObject({ ok: true, value: { siteName: 'Relais de Gramat', demo: false, demoPin: null } });
  });

  it('manages mediators: add, refuse duplicates, change a PIN, refuse deactivating the last one', async () => {
    const { call } = make();
    await call('auth.unlock', { pin: '1234' });
    await expect(call('mediators.add', { name: 'Alice', pin: '24680' })).resolves.toEqual({ ok: true, value: { id: 2, name: 'Alice', active: true } });
    await expect(call('mediators.add', { name: 'Bob', pin: '24680' })).resolves.toMatchObject({ ok: false, error: { code: 'DUPLICATE' } });
    await expect(call('mediators.setPin', { id: 9, pin: '1111' })).resolves.toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await expect(call('mediators.deactivate', { id: 2 })).resolves.toMatchObject({ ok: true, value: { active: false } });
    await expect(call('mediators.deactivate', { id: 1 })).resolves.toMatchObject({ ok: false, error: { code: 'LAST_MEDIATOR' } });
    await expect(call('mediators.list', {})).resolves.toMatchObject({ ok: true, value: [{ id: 1, active: true }, { id: 2, active: false }] });
  });

  it('saves an organisation through the contract, keeping its position', async () => {
    const { call } = make();
    await call('auth.unlock', { pin: '1234' });
    const saved = await call('settings.saveOrganisation', { code: 'ML', name: 'Mission Locale du Lot', openingHours: [], correspondent: 'Conseillère ML', active: true });
    expect(saved).toMatchObject({ ok: true, value: { code: 'ML', name: 'Mission Locale du Lot', position: 5 } });
  });

  it('creates the data folder, seeds the demo only on first start of a file database and keeps its data across restarts', async () => {
    const t = tempDir('relais-kiosk-');
    try {
      const dbFile = path.join(t.dir, 'data', 'relais.sqlite');
      const first = createKiosk({ dbFile, logger: silentLogger(), assetsDir: ASSETS_DIR });
      first.settings.updateSite('Relais de Souillac', 'Souillac');
      first.close();
      const second = createKiosk({ dbFile, logger: silentLogger(), assetsDir: ASSETS_DIR });
      kiosks.push(second);
      expect(second.settings.site()).toEqual({ name: 'Relais de Souillac', commune: 'Souillac', demo: false });
      expect(second.settings.organisations()).toHaveLength(6);
    } finally {
      t.cleanup();
    }
  });
});
