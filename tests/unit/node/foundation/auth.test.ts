import path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuth } from '../../../../electron/services/foundation/auth.js';
import { openDatabase, type Db } from '../../../../electron/services/db/index.js';
import { MIGRATIONS } from '../../../../electron/services/db/migrations/index.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import { createSettings, DemoConfig } from '../../../../electron/services/foundation/settings.js';
import type { AuthState } from '../../../../shared/contract/index.js';
import { ASSETS_DIR, fakeClock, paris, tempDir, type FakeClock } from '../services/support.js';

const demo = DemoConfig.parse(JSON.parse(readFileSync(path.join(ASSETS_DIR, 'demo-config.json'), 'utf8')));
const MIN = 60_000;

function build(db: Db, clock: FakeClock) {
  const settings = createSettings({ db, clock, logger: silentLogger() });
  settings.seedDemoIfEmpty(demo);
  return { settings, auth: createAuth({ db, clock, settings, logger: silentLogger() }) };
}

describe('mediator PIN authentication', () => {
  const dbs: Db[] = [];
  const temps: { cleanup(): void }[] = [];
  afterEach(() => {
    for (const d of dbs.splice(0)) if (d.open) d.close();
    for (const t of temps.splice(0)) t.cleanup();
  });
  const memory = () => {
    const db = openDatabase(':memory:');
    dbs.push(db);
    const clock = fakeClock(paris(2026, 2, 4, 10, 0));
    return { db, clock, ...build(db, clock) };
  };

  it('starts locked and unlocks with the right PIN', async () => {
    const { auth } = memory();
    expect(auth.state()).toEqual({ unlocked: false, mediator: null, failures: 0, lockedUntil: null });
    expect(() => auth.requireMediator()).toThrow(expect.objectContaining({ code: 'NOT_UNLOCKED' }));
    const state = await auth.unlock('1234');
    expect(state).toEqual({ unlocked: true, mediator: { id: 1, name: 'Médiateur démo', active: true }, failures: 0, lockedUntil: null });
    expect(() => auth.requireMediator()).not.toThrow();
    expect(auth.currentMediatorId()).toBe(1);
  });

  it('refuses a wrong PIN with the number of attempts remaining', async () => {
    const { auth } = memory();
    await expect(auth.unlock('0000')).rejects.toMatchObject({ code: 'WRONG_PIN', details: { remaining: 4 } });
    await expect(auth.unlock('0001')).rejects.toMatchObject({ code: 'WRONG_PIN', details: { remaining: 3 } });
    expect(auth.state()).toMatchObject({ unlocked: false, failures: 2 });
  });

  it('resets the failure count after a successful unlock', async () => {
    const { auth } = memory();
    await expect(auth.unlock('0000')).rejects.toMatchObject({ code: 'WRONG_PIN' });
    await auth.unlock('1234');
    auth.lock();
    await expect(auth.unlock('0000')).rejects.toMatchObject({ code: 'WRONG_PIN', details: { remaining: 4 } });
  });

  it('locks for 5 minutes after 5 wrong PINs, refusing even the right PIN, then accepts it', async () => {
    const { auth, clock } = memory();
    for (let i = 0; i < 4; i++) await expect(auth.unlock('0000')).rejects.toMatchObject({ code: 'WRONG_PIN' });
    const lockedUntil = clock() + 5 * MIN;
    await expect(auth.unlock('0000')).rejects.toMatchObject({ code: 'PIN_LOCKED', details: { lockedUntil } });
    clock.advance(4 * MIN + 59_000);
    await expect(auth.unlock('1234')).rejects.toMatchObject({ code: 'PIN_LOCKED', details: { lockedUntil } });
    expect(auth.state()).toMatchObject({ unlocked: false, lockedUntil });
    clock.advance(1_000);
    expect(auth.state()).toMatchObject({ failures: 0, lockedUntil: null });
    expect((await auth.unlock('1234')).unlocked).toBe(true);
  });

  it('keeps the lockout across a restart on the same database file', async () => {
    const t = tempDir('relais-auth-');
    temps.push(t);
    const file = path.join(t.dir, 'relais.sqlite');
    const clock = fakeClock(paris(2026, 2, 4, 10, 0));
    const first = openDatabase(file);
    const a = build(first, clock).auth;
    for (let i = 0; i < 5; i++) await expect(a.unlock('9999')).rejects.toMatchObject({ code: expect.stringMatching(/WRONG_PIN|PIN_LOCKED/) });
    first.close();

    clock.advance(MIN);
    const second = openDatabase(file);
    dbs.push(second);
    const b = build(second, clock).auth;
    await expect(b.unlock('1234')).rejects.toMatchObject({ code: 'PIN_LOCKED' });
    clock.advance(4 * MIN);
    expect((await b.unlock('1234')).unlocked).toBe(true);
  });

  it('keeps a lock written by the previous version (migration 0004) as the first step of the escalation', async () => {
    const t = tempDir('relais-auth-v3-');
    temps.push(t);
    const file = path.join(t.dir, 'relais.sqlite');
    const clock = fakeClock(paris(2026, 2, 4, 10, 0));
    const v3 = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version <= 3) });
    createSettings({ db: v3, clock, logger: silentLogger() }).seedDemoIfEmpty(demo);
    v3.prepare('UPDATE pin_lockout SET failures = 5, locked_until = ? WHERE id = 1').run(clock() + 3 * MIN);
    v3.close();

    const db = openDatabase(file);
    dbs.push(db);
    const { auth } = build(db, clock);
    expect(db.prepare('SELECT failures, lock_level FROM pin_lockout').get()).toEqual({ failures: 0, lock_level: 1 });
    await expect(auth.unlock('1234')).rejects.toMatchObject({ code: 'PIN_LOCKED', details: { lockedUntil: clock() + 3 * MIN } });
    expect(auth.state()).toMatchObject({ failures: 5, lockedUntil: clock() + 3 * MIN });
    clock.advance(3 * MIN);
    expect(auth.state()).toMatchObject({ failures: 0, lockedUntil: null });
    for (let i = 0; i < 4; i++) await expect(auth.unlock('0000')).rejects.toMatchObject({ code: 'WRONG_PIN' });
    await expect(auth.unlock('0000')).rejects.toMatchObject({ code: 'PIN_LOCKED', details: { lockedUntil: clock() + 15 * MIN } });
  });

  it('auto-locks after 15 minutes without a mediator verb, and each verb postpones it', async () => {
    const { auth, clock } = memory();
    const seen: AuthState[] = [];
    auth.onChange((s) => seen.push(s));
    await auth.unlock('1234');
    clock.advance(14 * MIN);
    auth.touch();
    clock.advance(14 * MIN);
    expect(() => auth.requireMediator()).not.toThrow();
    clock.advance(MIN);
    expect(auth.checkIdle()).toBe(true);
    expect(() => auth.requireMediator()).toThrow(expect.objectContaining({ code: 'NOT_UNLOCKED' }));
    expect(seen.map((s) => s.unlocked)).toEqual([true, false]);
  });

  it('locks on demand and tells listeners', async () => {
    const { auth } = memory();
    const seen: boolean[] = [];
    auth.onChange((s) => seen.push(s.unlocked));
    await auth.unlock('1234');
    expect(auth.lock().unlocked).toBe(false);
    expect(auth.currentMediatorId()).toBeNull();
    expect(seen).toEqual([true, false]);
  });

  it('tells which mediator unlocked when there are several', async () => {
    const { auth, settings } = memory();
    const alice = await settings.addMediator('Alice', '24680');
    await auth.unlock('24680');
    expect(auth.currentMediatorId()).toBe(alice.id);
  });

  it('counts concurrent wrong attempts one by one, so parallel guesses cannot beat the lockout', async () => {
    const { auth } = memory();
    const results = await Promise.allSettled(['1111', '2222', '3333', '4444', '5555', '1234'].map((p) => auth.unlock(p)));
    const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'OK'));
    expect(codes).toEqual(['WRONG_PIN', 'WRONG_PIN', 'WRONG_PIN', 'WRONG_PIN', 'PIN_LOCKED', 'PIN_LOCKED']);
  });
});
