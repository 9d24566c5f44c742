// The fleet store's contract: one suite of behaviour tests run on both implementations of FleetStore — SQLite in memory
// (the hub's database) and a real PostgreSQL (one server for the file, a fresh database per test) — then the fleet
// itself (server/fleet/fleet.ts) over each, and what only PostgreSQL has: several nodes, each marking offline the booths
// of nodes that died, and values it cannot store (NUL).
import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { createFleet, HISTORY_LIMIT, type FleetState, type FleetStore } from '../../../../server/fleet/index.js';
import { createSqliteFleetStore } from '../../../../server/fleet/store.js';
import { createHubStore, openHubDb, WEEKDAY_HOURS } from '../../../../server/store.js';
import type { BoothEvent } from '../../../../shared/fleet.js';
import { parisWallTimeToEpoch } from '../../../../shared/time.js';
import { postgresForFile, sqliteSql } from '../../../support/postgresForFile.js';
import { silentLog } from '../hub/fakeConn.js';
import { health } from '../fleet/sample.js';

const postgres = postgresForFile();

/** A fleet store under test, a way to add booths to its database, and SQL run on that database directly. */
interface Opened {
  store: FleetStore;
  addBooth(name: string): Promise<number>;
  revokeBooth(id: number): Promise<void>;
  sql(text: string): Promise<Array<Record<string, unknown>>>;
}

async function openSqlite(): Promise<Opened> {
  const hub = createHubStore(openHubDb(':memory:'));
  postgres.onCleanup(async () => {
    hub.db.close();
  });
  return {
    store: createSqliteFleetStore(hub.db),
    addBooth: async (name) => hub.addBooth(name, 0).id,
    revokeBooth: async (id) => void hub.revokeBooth(id, 1),
    sql: sqliteSql(hub.db),
  };
}

/** `nodes`: the ids of the nodes sharing the database; the first one's store is `store`, the others in `others`. */
async function openPostgres(nodes: string[] = ['n1.aaaaaa']): Promise<Opened & { others: FleetStore[] }> {
  const { stores: opened, sql } = await postgres.openStores();
  const [first, ...rest] = nodes.map((n) => opened.fleet(n));
  return {
    store: first!,
    others: rest,
    addBooth: async (name) => (await opened.store.addBooth(name, 0)).id,
    revokeBooth: async (id) => void (await opened.store.revokeBooth(id, 1)),
    sql,
  };
}

const online = (at: number, patch: Partial<FleetState> = {}): FleetState => ({ online: true, since: at, health: health(), reportedAt: at, problems: {}, ...patch });
const event = (at: number, kind: BoothEvent['kind'], extra: Partial<BoothEvent> = {}): BoothEvent => ({ at, kind, problem: null, version: null, ...extra });

describe.each([
  ['SQLite', openSqlite],
  ['PostgreSQL', () => openPostgres()],
])('the fleet store on %s', (_name, open) => {
  it('lists every booth with an empty offline state until it is saved, then reads back what was saved', async () => {
    const t = await open();
    const a = await t.addBooth('Mairie de Gramat');
    const b = await t.addBooth('Médiathèque');
    expect(await t.store.records()).toEqual([
      { boothId: a, name: 'Mairie de Gramat', revoked: false, online: false, since: null, health: null, reportedAt: null, problems: {} },
      { boothId: b, name: 'Médiathèque', revoked: false, online: false, since: null, health: null, reportedAt: null, problems: {} },
    ]);
    await t.store.save(a, online(1_000, { problems: { printer_down: 900 } }), [event(1_000, 'online'), event(1_000, 'problem_start', { problem: 'printer_down' })]);
    await t.revokeBooth(b);
    expect(await t.store.record(a)).toEqual({ boothId: a, name: 'Mairie de Gramat', revoked: false, ...online(1_000, { problems: { printer_down: 900 } }) });
    expect((await t.store.records()).map((r) => [r.boothId, r.online, r.revoked])).toEqual([
      [a, true, false],
      [b, false, true],
    ]);
    expect(await t.store.history(a, 10)).toEqual([event(1_000, 'problem_start', { problem: 'printer_down' }), event(1_000, 'online')]);
  });

  it(`keeps the newest ${HISTORY_LIMIT} events of each booth, newest first, whether they come one by one or many at once`, async () => {
    const t = await open();
    const a = await t.addBooth('A');
    const b = await t.addBooth('B');
    for (let i = 1; i <= 30; i++) await t.store.save(a, online(i), [event(i, i % 2 ? 'online' : 'offline')]);
    await t.store.save(b, online(1), []);
    await t.store.save(
      a,
      online(500),
      Array.from({ length: HISTORY_LIMIT + 20 }, (_, i) => event(100 + i, 'version', { version: `1.${i}.0` })),
    );
    const events = await t.store.history(a, 1_000);
    expect(events).toHaveLength(HISTORY_LIMIT);
    expect(events[0]).toEqual(event(100 + HISTORY_LIMIT + 19, 'version', { version: `1.${HISTORY_LIMIT + 19}.0` }));
    expect(events.at(-1)).toEqual(event(120, 'version', { version: '1.20.0' }));
    expect(await t.store.history(a, 2)).toHaveLength(2);
    expect(await t.store.history(b, 10)).toEqual([]);
  });

  it('starts an alert once and ends it once, and lists those in progress oldest first', async () => {
    const t = await open();
    const a = await t.addBooth('A');
    const b = await t.addBooth('B');
    expect(await t.store.startAlert(a, 'offline', 20)).toBe(true);
    expect(await t.store.startAlert(a, 'offline', 30)).toBe(false);
    expect(await t.store.startAlert(b, 'printer_down', 10)).toBe(true);
    expect(await t.store.activeAlerts()).toEqual([
      { boothId: b, rule: 'printer_down', startedAt: 10, name: 'B' },
      { boothId: a, rule: 'offline', startedAt: 20, name: 'A' },
    ]);
    expect(await t.store.endAlert(a, 'offline')).toBe(true);
    expect(await t.store.endAlert(a, 'offline')).toBe(false);
    expect(await t.store.activeAlerts()).toEqual([{ boothId: b, rule: 'printer_down', startedAt: 10, name: 'B' }]);
  });

  it('marks offline, with an event, the booths a stopped hub left online; a second reset finds none', async () => {
    const t = await open();
    const a = await t.addBooth('A');
    const b = await t.addBooth('B');
    await t.store.save(a, online(10), [event(10, 'online')]);
    await t.store.save(b, { ...online(10), online: false }, []);
    expect(await t.store.resetOnline(99)).toBe(1);
    expect(await t.store.resetOnline(100)).toBe(0);
    expect(await t.store.record(a)).toMatchObject({ online: false, since: 99, health: health() });
    expect(await t.store.history(a, 5)).toEqual([event(99, 'offline'), event(10, 'online')]);
    expect(await t.store.history(b, 5)).toEqual([]);
  });

  it('connects a booth in one step: online with an event, its last report and problems kept, its record before returned', async () => {
    const t = await open();
    const a = await t.addBooth('Mairie de Gramat');
    const fresh = await t.addBooth('Jamais vue');
    await t.store.save(a, { ...online(10, { problems: { printer_down: 12 } }), online: false, since: 30 }, [event(30, 'offline')]);
    const before = await t.store.record(a);
    expect(await t.store.connect(a, 40)).toEqual(before);
    expect(await t.store.record(a)).toEqual({ ...before, online: true, since: 40 });
    expect((await t.store.history(a, 5)).map((e) => [e.at, e.kind])).toEqual([
      [40, 'online'],
      [30, 'offline'],
    ]);
    expect(await t.store.connect(fresh, 41)).toMatchObject({ boothId: fresh, online: false, since: null, health: null, problems: {} });
    expect(await t.store.record(fresh)).toMatchObject({ online: true, since: 41, health: null, problems: {} });
    for (const id of [0, -1, 2 ** 60, Number.NaN, 1.5, 9_999]) expect(await t.store.connect(id, 50)).toBeNull();
    expect((await t.store.records()).filter((r) => r.online).map((r) => r.boothId)).toEqual([a, fresh]);
    // The history stays bounded through connections too.
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) await t.store.connect(a, 100 + i);
    const kept = await t.store.history(a, 1_000);
    expect(kept).toHaveLength(HISTORY_LIMIT);
    expect(kept[0]?.at).toBe(104 + HISTORY_LIMIT);
  });

  it('gives the alert check only the booths an alert may be due for or is in progress on', async () => {
    const t = await open();
    const up = await t.addBooth('En ligne');
    const longGone = await t.addBooth('Hors ligne depuis longtemps');
    const justGone = await t.addBooth('Hors ligne depuis peu');
    const printer = await t.addBooth('Imprimante en panne');
    const never = await t.addBooth('Jamais vue');
    const revoked = await t.addBooth('Révoquée');
    const revokedAlert = await t.addBooth('Révoquée avec alerte');
    const alerted = await t.addBooth('Alerte en cours');
    await t.store.save(up, online(10), []);
    await t.store.save(longGone, { ...online(10), online: false, since: 100 }, []);
    await t.store.save(justGone, { ...online(10), online: false, since: 101 }, []);
    await t.store.save(printer, online(10, { problems: { printer_down: 50 } }), []);
    await t.store.save(revoked, { ...online(10), online: false, since: 5 }, []);
    await t.store.save(revokedAlert, { ...online(10), online: false, since: 5 }, []);
    await t.store.save(alerted, online(10), []);
    await t.revokeBooth(revoked);
    await t.revokeBooth(revokedAlert);
    await t.store.startAlert(revokedAlert, 'offline', 6);
    await t.store.startAlert(alerted, 'offline', 7);
    const ids = async (bound: number): Promise<number[]> => (await t.store.alertCandidates(bound)).map((r) => r.boothId);
    expect(await ids(100)).toEqual([longGone, printer, revokedAlert, alerted]);
    expect(await ids(101)).toEqual([longGone, justGone, printer, revokedAlert, alerted]);
    expect(await ids(99)).toEqual([printer, revokedAlert, alerted]);
    // Read as records() reads them: the same values, the revoked one said so.
    const all = await t.store.records();
    expect(await t.store.alertCandidates(101)).toEqual(all.filter((r) => [longGone, justGone, printer, revokedAlert, alerted].includes(r.boothId)));
    expect((await t.store.alertCandidates(100)).find((r) => r.boothId === revokedAlert)?.revoked).toBe(true);
    expect(all.map((r) => r.boothId)).toContain(never);
    // Hostile bounds: nothing crashes, a fractional one counts as its integer part.
    for (const bound of [-1, 0, 2 ** 53, 100.7]) await t.store.alertCandidates(bound);
    expect(await ids(100.7)).toEqual([longGone, printer, revokedAlert, alerted]);
    // A hand-edited problems text naming the printer anywhere is a candidate; the check's rules then read it parsed.
    await t.sql(`UPDATE booth_health SET problems = '{"nope":"printer_down"}' WHERE booth_id = ${up}`);
    expect(await ids(0)).toEqual([up, printer, revokedAlert, alerted]);
    expect((await t.store.alertCandidates(0))[0]?.problems).toEqual({});
  });

  it('answers hostile ids with nothing, and reads back hand-edited rows without crashing', async () => {
    const t = await open();
    const a = await t.addBooth('A');
    for (const id of [0, -1, 2 ** 60, Number.NaN, 1.5, 9_999]) {
      expect(await t.store.record(id)).toBeNull();
      expect(await t.store.history(id, 5)).toEqual([]);
      expect(await t.store.endAlert(id, 'offline')).toBe(false);
    }
    await t.store.save(a, online(1), []);
    await t.sql(`UPDATE booth_health SET health = '{"version":1}', problems = 'not json' WHERE booth_id = ${a}`);
    expect(await t.store.record(a)).toMatchObject({ health: null, problems: {} });
    await t.sql(`UPDATE booth_health SET problems = '{"printer_down":5,"__proto__":1,"nope":2,"disk_low":"x"}' WHERE booth_id = ${a}`);
    expect((await t.store.record(a))?.problems).toEqual({ printer_down: 5 });
  });

  it('under the fleet: a booth connected, reporting and gone shows as on one hub, with its alerts', async () => {
    const t = await open();
    const a = await t.addBooth('Mairie de Gramat');
    await t.addBooth('Médiathèque');
    const MIN = 60_000;
    let now = parisWallTimeToEpoch(2026, 6, 2, 9, 0);
    const notices: string[] = [];
    const fleet = createFleet({ store: t.store, clock: () => now, openingHours: () => WEEKDAY_HOURS, expectedVersion: null, notify: (n) => void notices.push(`${n.state} ${n.rule} ${n.boothName}`), log: silentLog });
    fleet.connected(a);
    now += 1_000;
    expect(fleet.report(a, health({ printer: { state: 'stopped', reasons: ['paused'] } }))).toBe(true);
    now += 11 * MIN;
    await fleet.checkAlerts();
    fleet.disconnected(a);
    const view = await fleet.view();
    expect(view.booths.map((r) => [r.name, r.online, r.problems])).toEqual([
      ['Mairie de Gramat', false, ['offline']],
      ['Médiathèque', false, ['offline']],
    ]);
    // A booth never connected raises no offline alert.
    expect(notices).toEqual(['start printer_down Mairie de Gramat']);
    expect((await fleet.history(a))?.map((e) => e.kind)).toEqual(['offline', 'problem_start', 'online']);
    expect((await fleet.alerts()).alerts.map((x) => [x.name, x.rule])).toEqual([['Mairie de Gramat', 'printer_down']]);
  });
});

describe('the fleet store on PostgreSQL, shared by nodes', () => {
  it('marks offline the booths of the nodes no longer live, and only theirs, once however many nodes reset at once', async () => {
    const t = await openPostgres(['n1.aaaaaa', 'n2.bbbbbb', 'n3.cccccc']);
    const [n2, n3] = t.others as [FleetStore, FleetStore];
    const onN1 = await t.addBooth('Sur le nœud 1');
    const onN2 = await t.addBooth('Sur le nœud 2');
    const moved = await t.addBooth('Passée du 2 au 3');
    await t.store.save(onN1, online(10), [event(10, 'online')]);
    await n2.save(onN2, online(10), [event(10, 'online')]);
    await n2.save(moved, online(10), [event(10, 'online')]);
    await n3.save(moved, online(20), [event(20, 'online')]);
    expect(await t.sql(`SELECT booth_id::int AS booth_id, node FROM booth_health WHERE online ORDER BY booth_id`)).toEqual([
      { booth_id: onN1, node: 'n1.aaaaaa' },
      { booth_id: onN2, node: 'n2.bbbbbb' },
      { booth_id: moved, node: 'n3.cccccc' },
    ]);
    // Node 2 died: nodes 1 and 3 both see it and reset at once.
    const live = new Set(['n1.aaaaaa', 'n3.cccccc']);
    const counts = await Promise.all([t.store.resetOnline(50, live), n3.resetOnline(50, live)]);
    expect(counts.sort()).toEqual([0, 1]);
    expect((await t.store.records()).map((r) => [r.boothId, r.online, r.since])).toEqual([
      [onN1, true, 10],
      [onN2, false, 50],
      [moved, true, 20],
    ]);
    expect((await t.store.history(onN2, 5)).map((e) => e.kind)).toEqual(['offline', 'online']);
    // An offline row names no node.
    expect(await t.sql(`SELECT node FROM booth_health WHERE booth_id = ${onN2}`)).toEqual([{ node: null }]);
  });

  it('keeps a booth moved to another node online there, whatever its old node still writes (a last report, its close)', async () => {
    const t = await openPostgres(['n1.aaaaaa', 'n2.bbbbbb']);
    const [n2] = t.others as [FleetStore];
    const a = await t.addBooth('A');
    await t.store.save(a, online(10), [event(10, 'online')]);
    await n2.save(a, online(20), [event(20, 'online')]);
    // Node 1's report of its older socket, then that socket's close: neither is written.
    await t.store.save(a, online(10, { reportedAt: 25 }), []);
    await t.store.save(a, { ...online(10), online: false, since: 26 }, [event(26, 'offline')]);
    expect(await t.store.record(a)).toMatchObject({ online: true, since: 20 });
    expect(await t.sql(`SELECT node FROM booth_health WHERE booth_id = ${a}`)).toEqual([{ node: 'n2.bbbbbb' }]);
    expect((await t.store.history(a, 5)).map((e) => e.at)).toEqual([20, 10]);
    // The booth back on node 1 later: node 1's newer socket wins.
    await t.store.save(a, online(40), [event(40, 'online')]);
    expect(await t.sql(`SELECT node FROM booth_health WHERE booth_id = ${a}`)).toEqual([{ node: 'n1.aaaaaa' }]);
    // Node 2 still writes the end of its socket: not written either.
    await n2.save(a, { ...online(20), online: false, since: 41 }, [event(41, 'offline')]);
    expect(await t.store.record(a)).toMatchObject({ online: true, since: 40 });
  });

  it('writes a booth in one round trip, its events and their pruning included (a connection wrote in six), and keeps the newer node under a race', async () => {
    const t = await openPostgres(['n1.aaaaaa', 'n2.bbbbbb']);
    const [n2] = t.others as [FleetStore];
    const a = await t.addBooth('A');
    const sent = vi.spyOn(pg.Client.prototype, 'query');
    try {
      await t.store.save(a, online(10), [event(10, 'online')]);
      expect(sent).toHaveBeenCalledTimes(1);
      sent.mockClear();
      await t.store.save(a, online(10, { reportedAt: 11 }), []);
      expect(sent).toHaveBeenCalledTimes(1);
      sent.mockClear();
      // A connection: its read, state, event and pruning in one.
      await t.store.connect(a, 15);
      expect(sent).toHaveBeenCalledTimes(1);
      sent.mockClear();
      // Skipped (online on another node since later): no event, no pruning.
      await n2.save(a, online(20), [event(20, 'online')]);
      sent.mockClear();
      await t.store.save(a, { ...online(10), online: false, since: 21 }, [event(21, 'offline')]);
      expect(sent).toHaveBeenCalledTimes(1);
    } finally {
      sent.mockRestore();
    }
    expect((await t.store.history(a, 5)).map((e) => [e.at, e.kind])).toEqual([
      [20, 'online'],
      [15, 'online'],
      [10, 'online'],
    ]);
    // Node 1 connecting the booth with an older clock than node 2's socket: read, not written.
    expect(await t.store.connect(a, 19)).toMatchObject({ online: true, since: 20 });
    expect(await t.sql(`SELECT node FROM booth_health WHERE booth_id = ${a}`)).toEqual([{ node: 'n2.bbbbbb' }]);
    expect((await t.store.history(a, 1)).map((e) => e.at)).toEqual([20]);
    // Both nodes write the same booth at once, each with a newer socket in turn: the newest wins, its events only kept.
    for (let i = 0; i < 40; i++) await Promise.all([t.store.save(a, online(100 + 2 * i), [event(100 + 2 * i, 'online')]), n2.save(a, online(101 + 2 * i), [event(101 + 2 * i, 'online')])]);
    expect(await t.store.record(a)).toMatchObject({ online: true, since: 179 });
    expect(await t.sql(`SELECT node FROM booth_health WHERE booth_id = ${a}`)).toEqual([{ node: 'n2.bbbbbb' }]);
    const kept = (await t.store.history(a, 200)).map((e) => e.at);
    expect(kept[0]).toBe(179);
    expect(kept.filter((at) => at > 100 && at % 2 === 1)).toHaveLength(40);
    // Pruned in the same statement: one by one past the limit, then three at once, the newest HISTORY_LIMIT kept.
    for (let i = 0; i < HISTORY_LIMIT; i++) await t.store.save(a, online(1_000 + i), [event(1_000 + i, 'online')]);
    expect((await t.store.history(a, 1_000)).map((e) => e.at)).toEqual(Array.from({ length: HISTORY_LIMIT }, (_, i) => 1_000 + HISTORY_LIMIT - 1 - i));
    await t.store.save(a, online(2_000), [event(2_000, 'online'), event(2_001, 'version', { version: '1.5.0' }), event(2_002, 'offline')]);
    const last = (await t.store.history(a, 1_000)).map((e) => e.at);
    expect(last).toHaveLength(HISTORY_LIMIT);
    expect([last[0], last[2], last.at(-1)]).toEqual([2_002, 2_000, 1_003]);
  });

  it('stores an event whose version carries NUL, which TEXT cannot hold, without it', async () => {
    const t = await openPostgres();
    const a = await t.addBooth('A');
    await t.store.save(a, online(1), [event(1, 'version', { version: '1.4\u0000.0' })]);
    expect(await t.store.history(a, 1)).toEqual([event(1, 'version', { version: '1.4.0' })]);
  });
});
