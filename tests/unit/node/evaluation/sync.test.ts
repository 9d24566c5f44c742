import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createAggregateSync, type AggregatePayload } from '../../../../electron/services/evaluation/sync.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import { WeeklyAggregatePayload, dashboard, migrateAggregates, storeWeek } from '../../../../server/aggregates/index.js';
import { weekKeyOf } from '../../../../shared/time.js';
import { fakeClock, insertVisit, insertVisits, openTestDb, paris } from './helpers.js';
import { createIncidentLog } from '../../../../electron/services/evaluation/incidents.js';

const SITE = '3f1c2a9e-0000-4000-8000-000000000001';
const W10 = 202610;
const W11 = 202611;

/** A kiosk and a hub in one process: `send` stores into the hub's database unless the hub is "offline". */
function setup() {
  const db = openTestDb();
  const hub = new Database(':memory:');
  migrateAggregates(hub);
  const clock = fakeClock(paris(2026, 3, 20, 18));
  const net = { online: true, sent: [] as AggregatePayload[], throwInstead: false };
  const sync = createAggregateSync({
    db,
    clock: clock.now,
    logger: silentLogger(),
    incidents: createIncidentLog({ db, clock: clock.now, logger: silentLogger() }),
    siteId: SITE,
    retry: { baseMs: 60_000, maxMs: 600_000 },
    send: async (payload) => {
      if (!net.online) {
        if (net.throwInstead) throw new Error('connect ECONNREFUSED 127.0.0.1:8443');
        return 'error';
      }
      net.sent.push(payload);
      const r = storeWeek(hub, SITE, 'Relais de Saint-Martin', payload, clock.now());
      return r.ok ? 'ok' : 'error';
    },
  });
  const hubWeek = (week: string) => dashboard(hub, { fromWeek: week, toWeek: week });
  return { db, hub, clock, net, sync, hubWeek };
}

describe('weekly aggregates sync (kiosk side)', () => {
  it('sends counts only, per organisation and type of service, in the hub payload format', () => {
    const { db, sync } = setup();
    insertVisit(db, { organisation: 'CAF', service: 'visio', startedAt: paris(2026, 3, 3), commune: 'Saint-Martin', ageBand: '60plus' });
    insertVisit(db, { organisation: 'CAF', service: 'visio', startedAt: paris(2026, 3, 4) });
    insertVisit(db, { organisation: 'CPAM', service: 'info', startedAt: paris(2026, 3, 5) });
    const p = sync.payloadFor(W10);
    expect(WeeklyAggregatePayload.safeParse(p).success).toBe(true);
    expect(p).toMatchObject({
      siteId: SITE,
      week: '2026-W10',
      counts: [
        { organisation: 'CAF', service: 'visio', count: 2 },
        { organisation: 'CPAM', service: 'info', count: 1 },
      ],
    });
    expect(JSON.stringify(p)).not.toContain('Saint-Martin');
    expect(JSON.stringify(p)).not.toContain('60plus');
  });

  it('sends pending weeks oldest first and marks them sent', async () => {
    const { db, net, sync, hubWeek } = setup();
    insertVisit(db, { startedAt: paris(2026, 3, 10) });
    insertVisits(db, 3, { startedAt: paris(2026, 3, 3) });
    sync.markWeekChanged(W11);
    sync.markWeekChanged(W10);
    expect(await sync.flush()).toEqual({ sent: 2, failed: false, pending: 0 });
    expect(net.sent.map((p) => p.week)).toEqual(['2026-W10', '2026-W11']);
    expect(hubWeek('2026-W10').total).toBe(3);
    expect(sync.status()).toMatchObject({ pending: 0, sent: 2 });
  });

  it('keeps weeks pending while offline and sends them after the backoff once online', async () => {
    const { db, clock, net, sync, hubWeek } = setup();
    insertVisits(db, 4, { startedAt: paris(2026, 3, 3) });
    insertVisits(db, 2, { startedAt: paris(2026, 3, 10) });
    sync.markWeekChanged(W10);
    sync.markWeekChanged(W11);
    net.online = false;
    expect(await sync.flush()).toEqual({ sent: 0, failed: true, pending: 2 });
    expect(sync.status()).toMatchObject({ pending: 2, nextAttemptAt: paris(2026, 3, 20, 18) + 60_000, lastError: 'refusé par le serveur' });

    // Not yet due: no attempt.
    net.online = true;
    expect(await sync.flush()).toEqual({ sent: 0, failed: false, pending: 2 });
    expect(net.sent).toHaveLength(0);

    // Second failure doubles the wait; a thrown error counts as a failure too.
    net.online = false;
    net.throwInstead = true;
    clock.advance(60_000);
    expect((await sync.flush()).failed).toBe(true);
    expect(sync.status().nextAttemptAt).toBe(clock.now() + 120_000);
    expect(sync.status().lastError).toMatch(/ECONNREFUSED/);

    net.online = true;
    clock.advance(120_000);
    expect(await sync.flush()).toEqual({ sent: 2, failed: false, pending: 0 });
    expect(hubWeek('2026-W10').total).toBe(4);
    expect(hubWeek('2026-W11').total).toBe(2);
  });

  it('does not re-enqueue a week whose counts did not change, and the hub keeps one copy of a week sent twice', async () => {
    const { db, hub, net, sync } = setup();
    insertVisits(db, 5, { startedAt: paris(2026, 3, 3) });
    sync.markWeekChanged(W10);
    await sync.flush();
    sync.markWeekChanged(W10);
    expect(await sync.flush()).toEqual({ sent: 0, failed: false, pending: 0 });
    expect(net.sent).toHaveLength(1);

    const again = storeWeek(hub, SITE, 'Relais de Saint-Martin', net.sent[0], Date.now());
    expect(again).toEqual({ ok: true, value: 'unchanged' });
    expect((hub.prepare('SELECT COUNT(*) AS n FROM aggregate_weeks').get() as { n: number }).n).toBe(1);
    expect((hub.prepare('SELECT SUM(count) AS n FROM aggregate_counts').get() as { n: number }).n).toBe(5);
  });

  it('re-sends a corrected week, which replaces the old one on the hub', async () => {
    const { db, net, sync, hubWeek } = setup();
    insertVisits(db, 3, { organisation: 'CAF', service: 'info', startedAt: paris(2026, 3, 3) });
    const wrong = insertVisit(db, { organisation: 'CAF', service: 'visio', startedAt: paris(2026, 3, 4) });
    sync.markWeekChanged(W10);
    await sync.flush();
    expect(hubWeek('2026-W10').organisations[0]?.counts).toMatchObject({ info: 3, visio: 1 });

    // The mediator corrects the visit: CPAM instead of CAF, then deletes another one.
    db.prepare("UPDATE visits SET organisation = 'CPAM' WHERE id = ?").run(wrong);
    sync.markWeekChanged(W10);
    db.prepare('DELETE FROM visits WHERE id = (SELECT MIN(id) FROM visits)').run();
    sync.markWeekChanged(W10);
    expect(sync.status().pending).toBe(1);
    expect(await sync.flush()).toMatchObject({ sent: 1, pending: 0 });
    expect(net.sent.map((p) => p.week)).toEqual(['2026-W10', '2026-W10']);
    const d = hubWeek('2026-W10');
    expect(d.total).toBe(3);
    expect(d.organisations.map((o) => [o.organisation, o.total])).toEqual([
      ['CAF', 2],
      ['CPAM', 1],
    ]);
  });

  it('sends a week emptied by corrections as zero, so the hub forgets the old counts', async () => {
    const { db, sync, hubWeek } = setup();
    const id = insertVisit(db, { startedAt: paris(2026, 3, 3) });
    sync.markWeekChanged(W10);
    await sync.flush();
    db.prepare('DELETE FROM visits WHERE id = ?').run(id);
    sync.markWeekChanged(W10);
    await sync.flush();
    expect(hubWeek('2026-W10').sites[0]?.cells).toEqual([0]);
  });

  it('does not enqueue an empty week that was never sent', () => {
    const { sync } = setup();
    sync.markWeekChanged(W10);
    expect(sync.status().pending).toBe(0);
  });

  it('keeps a week pending when it changed while its previous revision was being sent', async () => {
    const { db, hub, clock, sync } = setup();
    insertVisit(db, { startedAt: paris(2026, 3, 3) });
    sync.markWeekChanged(W10);
    let release: () => void = () => undefined;
    const slow = createAggregateSync({
      db,
      clock: clock.now,
      logger: silentLogger(),
      incidents: createIncidentLog({ db, clock: clock.now, logger: silentLogger() }),
      siteId: SITE,
      send: (payload) =>
        new Promise((resolve) => {
          release = () => resolve(storeWeek(hub, SITE, 'S', payload, 0).ok ? 'ok' : 'error');
        }),
    });
    const inFlight = slow.flush();
    expect(slow.flush()).toBe(inFlight);
    insertVisit(db, { startedAt: paris(2026, 3, 4) });
    slow.markWeekChanged(W10);
    release();
    expect((await inFlight).pending).toBe(1);
    const next = slow.flush();
    release();
    expect(await next).toMatchObject({ sent: 1, pending: 0 });
    expect(dashboard(hub, { fromWeek: '2026-W10', toWeek: '2026-W10' }).total).toBe(2);
  });

  it('reconciles at start-up: every week with counts not yet on the hub becomes pending', async () => {
    const { db, sync } = setup();
    insertVisit(db, { startedAt: paris(2026, 2, 3) });
    insertVisit(db, { startedAt: paris(2026, 3, 3) });
    insertVisit(db, { startedAt: paris(2026, 3, 10) });
    expect(sync.reconcile(weekKeyOf(paris(2026, 3, 1)))).toBe(2);
    await sync.flush();
    expect(sync.reconcile(weekKeyOf(paris(2026, 3, 1)))).toBe(0);
  });
});
