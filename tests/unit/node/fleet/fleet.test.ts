// The fleet alone (server/fleet/fleet.ts) over its SQLite store, with an injected clock: what is written and when,
// the bounded history, reports too close together, and alerts started and ended once, even by two hubs on one database.
import { afterEach, describe, expect, it } from 'vitest';
import { createFleet, createSqliteFleetStore, HISTORY_LIMIT, type AlertNotice, type FleetStore } from '../../../../server/fleet/index.js';
import { createHubStore, openHubDb, WEEKDAY_HOURS, type HubStore } from '../../../../server/store.js';
import { parisWallTimeToEpoch } from '../../../../shared/time.js';
import { silentLog } from '../hub/fakeConn.js';
import { health } from './sample.js';

const MIN = 60_000;
const TUE_9H = parisWallTimeToEpoch(2026, 6, 2, 9, 0);
const opened: HubStore[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.db.close();
});

function setUp(hub?: HubStore) {
  const hubStore = hub ?? createHubStore(openHubDb(':memory:'));
  if (!hub) opened.push(hubStore);
  let now = TUE_9H;
  const store = createSqliteFleetStore(hubStore.db);
  const saves: number[] = [];
  const counted: FleetStore = { ...store, save: async (id, s, e) => (saves.push(id), store.save(id, s, e)) };
  const notices: AlertNotice[] = [];
  const fleet = createFleet({ store: counted, clock: () => now, openingHours: () => WEEKDAY_HOURS, expectedVersion: null, notify: (n) => void notices.push(n), log: silentLog });
  return { hubStore, store, fleet, saves, notices, advance: (ms: number) => (now += ms), now: () => now };
}

describe('the fleet', async () => {
  it('notes a booth online then offline, with since, and keeps its last report across the disconnection', async () => {
    const t = setUp();
    const { id } = t.hubStore.addBooth('Mairie de Gramat', 0);
    const never = t.hubStore.addBooth('Médiathèque', 0);
    t.fleet.connected(id);
    t.advance(1_000);
    expect(t.fleet.report(id, health())).toBe(true);
    t.advance(5_000);
    t.fleet.disconnected(id);
    const view = await t.fleet.view();
    expect(view.booths.map((b) => [b.id, b.online, b.since, b.problems, b.health?.version ?? null])).toEqual([
      [id, false, TUE_9H + 6_000, ['offline'], '1.4.0'],
      [never.id, false, null, ['offline'], null],
    ]);
    expect(view.expectedVersion).toBe('1.4.0');
    expect((await t.fleet.history(id))?.map((e) => e.kind)).toEqual(['offline', 'online']);
    expect(await t.fleet.history(9_999)).toBeNull();
  });

  it('writes a report that changes nothing judged at most once a minute, and any change at once', async () => {
    const t = setUp();
    const { id } = t.hubStore.addBooth('Mairie', 0);
    t.fleet.connected(id);
    await t.fleet.settled();
    t.saves.length = 0;
    t.fleet.report(id, health({ uptimeS: 1 }));
    for (let i = 2; i <= 10; i++) {
      t.advance(5_000);
      t.fleet.report(id, health({ uptimeS: i, freeDiskBytes: 20_000_000_000 - i }));
    }
    await t.fleet.settled();
    expect(t.saves).toHaveLength(1);
    t.advance(15_000);
    t.fleet.report(id, health({ uptimeS: 11 }));
    await t.fleet.settled();
    expect(t.saves).toHaveLength(2);
    t.advance(2_000);
    t.fleet.report(id, health({ printer: { state: 'stopped', reasons: ['paused'] } }));
    await t.fleet.settled();
    expect(t.saves).toHaveLength(3);
    await t.fleet.settled();
    expect((await t.store.record(id))?.problems).toEqual({ printer_down: t.now() });
    // What was not written yet is not lost at a disconnection.
    t.advance(2_000);
    t.fleet.report(id, health({ printer: { state: 'stopped', reasons: ['paused'] }, uptimeS: 99 }));
    t.fleet.disconnected(id);
    await t.fleet.settled();
    expect((await t.store.record(id))?.health?.uptimeS).toBe(99);
  });

  it('writes at its next check a booth going or coming that the store refused (PostgreSQL restarting), unless it moved again', async () => {
    const hubStore = createHubStore(openHubDb(':memory:'));
    opened.push(hubStore);
    const store = createSqliteFleetStore(hubStore.db);
    let down = false;
    const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const flaky: FleetStore = {
      ...store,
      save: async (id, st, e) => (down ? Promise.reject(refused()) : store.save(id, st, e)),
      connect: async (id, at) => (down ? Promise.reject(refused()) : store.connect(id, at)),
    };
    let now = TUE_9H;
    const fleet = createFleet({ store: flaky, clock: () => now, openingHours: () => WEEKDAY_HOURS, expectedVersion: null, notify: () => undefined, log: silentLog });
    const gone = hubStore.addBooth('Mairie de Gramat', 0).id;
    const back = hubStore.addBooth('Médiathèque', 0).id;
    const arriving = hubStore.addBooth('France services de Souillac', 0).id;
    const passing = hubStore.addBooth('Bibliothèque', 0).id;
    fleet.connected(gone);
    fleet.connected(back);
    await fleet.settled();
    down = true;
    now += 1_000;
    fleet.disconnected(gone);
    fleet.disconnected(back);
    // Two booths connect meanwhile: one stays, one goes again before the database is back.
    fleet.connected(arriving);
    fleet.connected(passing);
    await fleet.settled();
    fleet.disconnected(passing);
    expect((await store.record(gone))?.online).toBe(true);
    // One check while it is still down: nothing written, nothing forgotten.
    await fleet.checkAlerts();
    expect((await store.record(gone))?.online).toBe(true);
    down = false;
    now += 1_000;
    fleet.connected(back);
    await fleet.checkAlerts();
    expect((await store.record(gone))).toMatchObject({ online: false, since: TUE_9H + 1_000 });
    expect((await fleet.history(gone))?.map((e) => e.kind)).toEqual(['offline', 'online']);
    // The booth that came back meanwhile is online since it came back, not marked offline by the old socket's close.
    expect((await store.record(back))).toMatchObject({ online: true, since: TUE_9H + 2_000 });
    expect((await fleet.history(back))?.map((e) => e.kind)).toEqual(['online', 'online']);
    // The booth that connected during the outage is online since it came; the one that came and went, never seen.
    expect((await store.record(arriving))).toMatchObject({ online: true, since: TUE_9H + 1_000 });
    expect((await store.record(passing))?.online ?? false).toBe(false);
  });

  it('drops reports closer than a second apart, counted, and stores nothing of them', async () => {
    const t = setUp();
    const { id } = t.hubStore.addBooth('Mairie', 0);
    t.fleet.connected(id);
    expect(t.fleet.report(id, health())).toBe(true);
    for (let i = 0; i < 50; i++) expect(t.fleet.report(id, health({ cameras: 0 }))).toBe(false);
    t.advance(999);
    expect(t.fleet.report(id, health({ cameras: 0 }))).toBe(false);
    expect(t.fleet.counters).toMatchObject({ reports: 1, dropped: 51 });
    expect((await t.fleet.view()).booths[0]?.problems).toEqual([]);
    t.advance(1);
    expect(t.fleet.report(id, health({ cameras: 0 }))).toBe(true);
    expect((await t.fleet.view()).booths[0]?.problems).toEqual(['camera_missing']);
  });

  it('keeps the last 200 events of a booth, newest first, and records version changes and problems', async () => {
    const t = setUp();
    const { id } = t.hubStore.addBooth('Mairie', 0);
    const other = t.hubStore.addBooth('Autre', 0);
    t.fleet.connected(other.id);
    t.fleet.connected(id);
    for (let i = 0; i < 250; i++) {
      t.advance(2_000);
      t.fleet.report(id, health({ cameras: i % 2 }));
    }
    const events = (await t.fleet.history(id)) ?? [];
    expect(events).toHaveLength(HISTORY_LIMIT);
    expect(events[0]).toEqual({ at: t.now(), kind: 'problem_end', problem: 'camera_missing', version: null });
    expect(events.every((e, i) => i === 0 || (events[i - 1]?.at ?? 0) >= e.at)).toBe(true);
    expect((await t.fleet.history(other.id))?.map((e) => e.kind)).toEqual(['online']);
    expect(await t.fleet.history(id, 3)).toHaveLength(3);
    t.advance(2_000);
    t.fleet.report(id, health({ version: '1.5.0' }));
    expect(await t.fleet.history(id, 1)).toEqual([{ at: t.now(), kind: 'version', problem: null, version: '1.5.0' }]);
    const count = t.hubStore.db.prepare('SELECT COUNT(*) AS n FROM booth_events WHERE booth_id = ?').get(id) as { n: number };
    expect(count.n).toBe(HISTORY_LIMIT);
  });

  it('judges versions against the newest reported, or the configured one', async () => {
    const t = setUp();
    const a = t.hubStore.addBooth('A', 0);
    const b = t.hubStore.addBooth('B', 0);
    t.fleet.connected(a.id);
    t.fleet.connected(b.id);
    t.fleet.report(a.id, health({ version: '1.4.0' }));
    t.fleet.report(b.id, health({ version: '1.10.0' }));
    const view = await t.fleet.view();
    expect(view.expectedVersion).toBe('1.10.0');
    expect(view.booths.map((r) => r.problems)).toEqual([['version_behind'], []]);
    const configured = createFleet({ store: t.store, clock: t.now, openingHours: () => WEEKDAY_HOURS, expectedVersion: '2.0.0', notify: () => undefined, log: silentLog });
    expect((await configured.view()).booths.map((r) => r.problems)).toEqual([['version_behind'], ['version_behind']]);
  });

  it('starts an alert once and ends it once, even with two hubs checking the same database', async () => {
    const first = setUp();
    const second = setUp(first.hubStore);
    const { id } = first.hubStore.addBooth('Mairie de Gramat', 0);
    first.fleet.connected(id);
    first.fleet.disconnected(id);
    for (const t of [first, second]) t.advance(14 * MIN);
    await first.fleet.checkAlerts();
    expect(first.notices).toEqual([]);
    for (const t of [first, second]) t.advance(MIN);
    await first.fleet.checkAlerts();
    await second.fleet.checkAlerts();
    await first.fleet.checkAlerts();
    expect([...first.notices, ...second.notices]).toEqual([{ state: 'start', rule: 'offline', boothId: id, boothName: 'Mairie de Gramat', since: TUE_9H, at: TUE_9H + 15 * MIN }]);
    expect((await first.fleet.alerts()).alerts).toEqual([{ boothId: id, name: 'Mairie de Gramat', rule: 'offline', since: TUE_9H }]);
    for (const t of [first, second]) t.advance(5 * MIN);
    second.fleet.connected(id);
    await second.fleet.checkAlerts();
    await first.fleet.checkAlerts();
    expect(second.notices.map((n) => [n.state, n.rule, n.at - n.since])).toEqual([['end', 'offline', 20 * MIN]]);
    expect(first.notices).toHaveLength(1);
    expect((await first.fleet.alerts()).alerts).toEqual([]);
  });

  it('ends a revoked booth’s alert without a message, and raises the printer alert once down 10 minutes or more', async () => {
    const t = setUp();
    const gone = t.hubStore.addBooth('Partie', 0);
    const { id } = t.hubStore.addBooth('Mairie', 0);
    t.fleet.connected(gone.id);
    t.fleet.disconnected(gone.id);
    t.fleet.connected(id);
    t.fleet.report(id, health({ printer: { state: 'idle', reasons: ['media-jam'] } }));
    t.advance(15 * MIN);
    t.fleet.report(id, health({ printer: { state: 'idle', reasons: ['media-jam'] } }));
    await t.fleet.checkAlerts();
    expect(t.notices.map((n) => [n.state, n.rule, n.boothId])).toEqual([['start', 'offline', gone.id], ['start', 'printer_down', id]]);
    t.hubStore.revokeBooth(gone.id, t.now());
    t.advance(MIN);
    t.fleet.report(id, health());
    await t.fleet.checkAlerts();
    expect(t.notices.slice(2).map((n) => [n.state, n.rule, n.boothId])).toEqual([['end', 'printer_down', id]]);
    expect((await t.fleet.alerts()).alerts).toEqual([]);
    expect((await t.fleet.view()).booths.find((b) => b.id === gone.id)).toMatchObject({ revoked: true, problems: [] });
  });

  it('checks and lists alerts from the booths that may have one, not every booth: 3,000 online booths are not read', async () => {
    const hubStore = createHubStore(openHubDb(':memory:'));
    opened.push(hubStore);
    const store = createSqliteFleetStore(hubStore.db);
    const ids = Array.from({ length: 3_003 }, (_, i) => hubStore.addBooth(`Borne ${i}`, 0).id);
    const [gone, jammed, back, ...up] = ids as [number, number, number, ...number[]];
    for (const id of up) await store.save(id, { online: true, since: TUE_9H, health: health(), reportedAt: TUE_9H, problems: {} }, []);
    await store.save(gone, { online: false, since: TUE_9H, health: null, reportedAt: null, problems: {} }, []);
    await store.save(jammed, { online: true, since: TUE_9H, health: health(), reportedAt: TUE_9H, problems: { printer_down: TUE_9H } }, []);
    await store.save(back, { online: true, since: TUE_9H, health: health(), reportedAt: TUE_9H, problems: {} }, []);
    await store.startAlert(back, 'offline', TUE_9H - 60 * MIN);
    const read = { rows: 0, everything: 0 };
    const spied: FleetStore = {
      ...store,
      records: async () => (read.everything++, store.records()),
      alertCandidates: async (bound) => {
        const rows = await store.alertCandidates(bound);
        read.rows += rows.length;
        return rows;
      },
    };
    const notices: AlertNotice[] = [];
    const fleet = createFleet({ store: spied, clock: () => TUE_9H + 20 * MIN, openingHours: () => WEEKDAY_HOURS, expectedVersion: null, notify: (n) => void notices.push(n), log: silentLog });
    await fleet.settled();
    read.everything = 0;
    await fleet.checkAlerts();
    expect(notices.map((n) => [n.state, n.rule, n.boothId])).toEqual([['end', 'offline', back], ['start', 'offline', gone], ['start', 'printer_down', jammed]]);
    expect(read).toEqual({ rows: 3, everything: 0 });
    // The dashboard's alerts, asked every 5 s, come with their booths' names: no booth record read.
    read.rows = 0;
    expect((await fleet.alerts()).alerts.map((a) => [a.boothId, a.name, a.rule])).toEqual([
      [gone, 'Borne 0', 'offline'],
      [jammed, 'Borne 1', 'printer_down'],
    ]);
    expect(read).toEqual({ rows: 0, everything: 0 });
  });

  it('raises the printer alert of a booth it holds from what it knows, when the store missed the write', async () => {
    const t = setUp();
    const { id } = t.hubStore.addBooth('Mairie', 0);
    t.fleet.connected(id);
    await t.fleet.settled();
    t.hubStore.db.exec('CREATE TRIGGER no_health_update BEFORE UPDATE ON booth_health BEGIN SELECT RAISE(ABORT, \'disque plein\'); END');
    t.fleet.report(id, health({ printer: { state: 'idle', reasons: ['media-jam'] } }));
    await t.fleet.settled();
    expect((await t.store.record(id))?.problems).toEqual({});
    t.advance(15 * MIN);
    await t.fleet.checkAlerts();
    expect(t.notices.map((n) => [n.state, n.rule, n.boothId, n.since])).toEqual([['start', 'printer_down', id, TUE_9H]]);
  });

  it('marks offline what a stopped hub left online, with an event, and reads back a hand-edited row without crashing', async () => {
    const t = setUp();
    const { id } = t.hubStore.addBooth('Mairie', 0);
    t.fleet.connected(id);
    await t.fleet.settled();
    expect(await t.store.resetOnline(t.now() + 5)).toBe(1);
    expect(await t.store.record(id)).toMatchObject({ online: false, since: t.now() + 5 });
    t.hubStore.db.prepare("UPDATE booth_health SET health = '{\"version\":1}', problems = 'not json' WHERE booth_id = ?").run(id);
    expect(await t.store.record(id)).toMatchObject({ health: null, problems: {} });
    t.hubStore.db.prepare("UPDATE booth_health SET problems = '{\"printer_down\":5,\"__proto__\":1,\"nope\":2,\"disk_low\":\"x\"}' WHERE booth_id = ?").run(id);
    expect((await t.store.record(id))?.problems).toEqual({ printer_down: 5 });
  });
});
