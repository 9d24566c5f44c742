// Issue 13, item 10: a visitor at the booth guessing the mediator's 4-digit PIN. The lock escalates (5 min, 15 min,
// 1 h, then 24 h), so a day of guessing as fast as the kiosk allows checks only a handful of PINs; the escalation is
// kept in SQLite, so restarting the kiosk does not reset it. Injected clock, no sleep.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuth, type Auth } from '../../electron/services/foundation/auth.js';
import { openDatabase, type Db } from '../../electron/services/db/index.js';
import { silentLogger } from '../../electron/services/logger.js';
import { createSettings, DemoConfig } from '../../electron/services/foundation/settings.js';
import { ASSETS_DIR, fakeClock, paris, tempDir, type FakeClock } from '../unit/node/services/support.js';

const demo = DemoConfig.parse(JSON.parse(readFileSync(path.join(ASSETS_DIR, 'demo-config.json'), 'utf8')));
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** The kiosk's auth over `db`, with a count of the PINs actually checked (scrypt calls). */
function build(db: Db, clock: FakeClock): { auth: Auth; checks: () => number } {
  const settings = createSettings({ db, clock, logger: silentLogger() });
  settings.seedDemoIfEmpty(demo);
  let checks = 0;
  const counted = {
    mediator: settings.mediator.bind(settings),
    mediatorsMatchingPin: (pin: string) => {
      checks += 1;
      return settings.mediatorsMatchingPin(pin);
    },
  };
  return { auth: createAuth({ db, clock, settings: counted, logger: silentLogger() }), checks: () => checks };
}

/** One wrong guess; returns the lock's end when the kiosk answered PIN_LOCKED, else null. */
async function guess(auth: Auth, pin: string): Promise<number | null> {
  try {
    await auth.unlock(pin);
    throw new Error(`PIN ${pin} was accepted`);
  } catch (cause) {
    const { code, details } = cause as { code?: string; details?: { lockedUntil?: number } };
    if (code === 'WRONG_PIN') return null;
    if (code === 'PIN_LOCKED' && typeof details?.lockedUntil === 'number') return details.lockedUntil;
    throw cause;
  }
}

describe('PIN lock escalation (issue 13, item 10)', () => {
  const dbs: Db[] = [];
  const temps: { cleanup(): void }[] = [];
  afterEach(() => {
    for (const d of dbs.splice(0)) if (d.open) d.close();
    for (const t of temps.splice(0)) t.cleanup();
  });

  it('lets a visitor guessing as fast as allowed check at most 20 PINs in 24 hours', async () => {
    const db = openDatabase(':memory:');
    dbs.push(db);
    const start = paris(2026, 11, 25, 9, 0);
    const clock = fakeClock(start);
    const { auth, checks } = build(db, clock);
    const locks: number[] = [];
    let pin = 0;
    // Stops early past 50 checks: enough to fail, without hashing the 1,440 PINs a day that a 5-minute reset allowed.
    while (clock() < start + DAY && checks() <= 50) {
      const lockedUntil = await guess(auth, String(pin++ % 1000).padStart(4, '0'));
      if (lockedUntil !== null) {
        if (lockedUntil > clock()) locks.push(lockedUntil - clock());
        clock.set(Math.max(clock(), lockedUntil));
      } else clock.advance(1_000);
    }
    console.info(`PIN guesses checked in 24 h: ${checks()} (locks: ${locks.map((ms) => `${ms / MIN} min`).join(', ')})`);
    expect(checks()).toBeLessThanOrEqual(20);
    expect(locks.slice(0, 4)).toEqual([5 * MIN, 15 * MIN, HOUR, DAY]);
  });

  it('keeps the escalation across a restart on the same SQLite file', async () => {
    const t = tempDir('relais-pin-');
    temps.push(t);
    const file = path.join(t.dir, 'relais.sqlite');
    const clock = fakeClock(paris(2026, 11, 25, 9, 0));

    const first = openDatabase(file);
    const a = build(first, clock).auth;
    let lockedUntil: number | null = null;
    for (let i = 0; i < 5; i++) lockedUntil = await guess(a, '9999');
    expect(lockedUntil).toBe(clock() + 5 * MIN);
    first.close();

    // Restarted after the first lock ended: the next lock is the second step, not the first again.
    clock.set(lockedUntil! + MIN);
    const second = openDatabase(file);
    const b = build(second, clock).auth;
    for (let i = 0; i < 4; i++) expect(await guess(b, '9999')).toBeNull();
    expect(await guess(b, '9999')).toBe(clock() + 15 * MIN);
    second.close();

    // Restarted during the second lock: still locked, even for the right PIN.
    clock.advance(10 * MIN);
    const third = openDatabase(file);
    dbs.push(third);
    const c = build(third, clock).auth;
    await expect(c.unlock('1234')).rejects.toMatchObject({ code: 'PIN_LOCKED' });
    expect(c.state()).toMatchObject({ unlocked: false, lockedUntil: paris(2026, 11, 25, 9, 6) + 15 * MIN });
  });

  it('forgets one step of the escalation per day without a lock, and a right PIN still opens between locks', async () => {
    const db = openDatabase(':memory:');
    dbs.push(db);
    const clock = fakeClock(paris(2026, 11, 25, 9, 0));
    const { auth } = build(db, clock);
    const lockOnce = async (): Promise<number> => {
      let until: number | null = null;
      for (let i = 0; i < 5 && until === null; i++) until = await guess(auth, '0000');
      const duration = until! - clock();
      clock.set(until!);
      return duration;
    };
    expect(await lockOnce()).toBe(5 * MIN);
    expect(await lockOnce()).toBe(15 * MIN);
    expect((await auth.unlock('1234')).unlocked).toBe(true);
    auth.lock();
    // A right PIN does not erase the escalation: the next lock is the third step.
    expect(await lockOnce()).toBe(HOUR);
    // Two quiet days later, two steps are forgotten: back to the second step.
    clock.advance(2 * DAY);
    expect(await lockOnce()).toBe(15 * MIN);
  });
});
