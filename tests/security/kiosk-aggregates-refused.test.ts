// Attack (issue 13, item 6, the booth's side): the hub refuses a week's counts (here out of bounds set low in the hub's
// configuration). Must hold: the kiosk's sync opens one incident in its incident log, in French, not one per retry; it
// does not send the refused week again in a loop (only after a correction, or a day later) and the later weeks are not
// held back behind it; once the week is corrected and taken, the incident resolves by itself.
import { afterEach, describe, expect, it } from 'vitest';
import { createKiosk, type Kiosk } from '../../electron/services/kiosk.js';
import { silentLogger } from '../../electron/services/logger.js';
import { siteIdOfBooth } from '../../server/coordinator/index.js';
import { startHub, type RunningHub } from '../../server/hub.js';
import { ASSETS_DIR, fakeClock, paris } from '../unit/node/services/support.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface IncidentRow {
  what: string;
  status: string;
  occurrences: number;
  fault_key: string | null;
  auto_resolved: number;
}

describe('a week the hub refuses', () => {
  it('opens one incident on the booth, is not re-sent in a loop, does not hold back the next weeks, and clears once corrected', async () => {
    const hub: RunningHub = await startHub({ host: '127.0.0.1', port: 0, dbFile: ':memory:', aggregateLimits: { maxCount: 3, maxWeekTotal: 5 } });
    cleanups.push(() => hub.close());
    const booth = hub.store.addBooth('Relais de Gramat', Date.now());
    const posts: string[] = [];
    const countingFetch: typeof fetch = async (input, init) => {
      if (init?.method === 'POST') posts.push((JSON.parse(String(init.body)) as { week: string }).week);
      return fetch(input, init);
    };
    const clock = fakeClock(paris(2026, 11, 25, 10, 0)); // ISO week 2026-W48
    const kiosk: Kiosk = createKiosk({
      dbFile: ':memory:',
      clock,
      logger: silentLogger(),
      assetsDir: ASSETS_DIR,
      evaluation: { hub: { url: hub.url, token: booth.token, demo: false, consoleUrl: null }, flushEveryMs: 3_600_000, requestTimeoutMs: 2_000, fetch: countingFetch },
    });
    cleanups.push(() => kiosk.close());
    const incidents = (): IncidentRow[] => kiosk.db.prepare('SELECT what, status, occurrences, fault_key, auto_resolved FROM incidents').all() as IncidentRow[];
    const hubWeek = (weekKey: number): number | undefined =>
      hub.store.db.prepare('SELECT total FROM aggregate_weeks WHERE site_id = ? AND week_key = ?').pluck().get(siteIdOfBooth(booth.id), weekKey) as number | undefined;

    // Four CAF visios in week 47 (the hub allows 3), one CPAM information in week 48.
    const w47 = paris(2026, 11, 18, 9, 0);
    const visits = Array.from({ length: 4 }, (_, i) =>
      kiosk.visits.record({ organisation: 'CAF', service: 'visio', startedAt: w47 + i * 60_000, endedAt: w47 + i * 60_000 }, { mediatorId: 1, source: 'mediator' }),
    );
    const w48 = paris(2026, 11, 24, 9, 0);
    kiosk.visits.record({ organisation: 'CPAM', service: 'info', startedAt: w48, endedAt: w48 }, { mediatorId: 1, source: 'mediator' });
    await kiosk.evaluation.flushNow();
    await kiosk.evaluation.flushNow();

    // The kiosk's periodic flush, every 2 minutes for 40 minutes.
    for (let i = 0; i < 20; i++) {
      clock.advance(120_000);
      await kiosk.evaluation.flushNow();
    }
    const sentW47 = posts.filter((w) => w === '2026-W47').length;
    const opened = incidents();
    console.log(
      `refused week 2026-W47: sent ${sentW47} time(s) over 22 flushes in 40 minutes; week 2026-W48 ${hubWeek(202648) === undefined ? 'held back' : 'delivered'}; ` +
        `incidents opened on the booth: ${opened.length}${opened[0] ? ` — « ${opened[0].what} »` : ''}`,
    );
    expect(hubWeek(202647)).toBeUndefined();
    expect(hubWeek(202648)).toBe(1);
    expect(sentW47).toBe(1);
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ status: 'open', fault_key: 'aggregates_refused', occurrences: 1 });
    expect(opened[0]!.what).toMatch(/^Le hub a refusé les comptages hebdomadaires de la borne \(semaine 2026-W47\)\. Motif donné par le hub : Le comptage CAF \/ visio \(4\) dépasse la borne du hub : 3 par semaine\./);
    expect(kiosk.evaluation.sync.status().lastError).toMatch(/^comptages refusés par le hub/);

    // A day later it is offered once more (refused again): still the same incident.
    clock.advance(24 * 3_600_000);
    await kiosk.evaluation.flushNow();
    expect(posts.filter((w) => w === '2026-W47')).toHaveLength(2);
    expect(incidents()).toMatchObject([{ status: 'open', occurrences: 2 }]);

    // The week's counts change (one visio had been recorded twice and is removed): the week goes at once, and the
    // incident resolves by itself.
    kiosk.db.prepare('DELETE FROM visits WHERE id = ?').run(visits[3]!.id);
    await new Promise((resolve) => setImmediate(resolve));
    await kiosk.evaluation.flushNow();
    await expect.poll(() => hubWeek(202647)).toBe(3);
    expect(incidents()).toMatchObject([{ status: 'resolved', auto_resolved: 1, occurrences: 2 }]);
  });
});
