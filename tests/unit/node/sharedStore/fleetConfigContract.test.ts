// The configuration store's contract: the hub's configuration service (server/fleetConfig/service.ts) run over both
// implementations of FleetConfigStore — SQLite in memory (the hub's database) and a real PostgreSQL (one server for the
// file, a fresh database per test) — then what only a hub across machines has: two nodes over one database, a version
// published on one sent by the other when it refreshes, versions published on both at once, and text PostgreSQL
// cannot hold (NUL).
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createHubFleetConfig, createSqliteFleetConfigStore, type FleetConfigStore, type HubFleetConfig } from '../../../../server/fleetConfig/index.js';
import { createHubStore, openHubDb, WEEKDAY_HOURS, type OrganisationRow } from '../../../../server/store.js';
import type { FleetConfig } from '../../../../shared/fleetConfig.js';
import { postgresForFile, sqliteSql } from '../../../support/postgresForFile.js';
import { sampleConfig } from '../fleetConfig/sample.js';

const postgres = postgresForFile();

/** A configuration store under test, its database's organisations and booths, and SQL run on that database directly. */
interface Opened {
  store: FleetConfigStore;
  organisations(): Promise<OrganisationRow[]>;
  addBooth(name: string): Promise<number>;
  revokeBooth(id: number): Promise<void>;
  sql(text: string): Promise<Array<Record<string, unknown>>>;
}

async function openSqlite(): Promise<Opened> {
  const hub = createHubStore(openHubDb(':memory:'));
  hub.seedOrganisations(WEEKDAY_HOURS);
  postgres.onCleanup(async () => {
    hub.db.close();
  });
  return {
    store: createSqliteFleetConfigStore(hub.db),
    organisations: async () => hub.organisations(),
    addBooth: async (name) => hub.addBooth(name, 0).id,
    revokeBooth: async (id) => void hub.revokeBooth(id, 1),
    sql: sqliteSql(hub.db),
  };
}

/** `url`: an existing database (another node of the same hub); otherwise a new one. */
async function openPostgres(url?: string): Promise<Opened & { url: string }> {
  const { url: database, stores: opened, sql } = await postgres.openStores(url);
  if (!url) await opened.store.seedOrganisations(WEEKDAY_HOURS);
  return {
    url: database,
    store: opened.fleetConfig,
    organisations: () => opened.store.organisations(),
    addBooth: async (name) => (await opened.store.addBooth(name, 0)).id,
    revokeBooth: async (id) => void (await opened.store.revokeBooth(id, 1)),
    sql,
  };
}

interface Sent {
  booth: number;
  version: number;
  config: FleetConfig;
}

/** The service over a store, as a hub (or a node) holding the sockets of `connected`: what it sends, what it logs. */
function serviceOn(t: Opened, connected: number[] = [], now = { t: 1_000 }): { service: HubFleetConfig; sent: Sent[]; codes: string[]; connected: number[] } {
  const sent: Sent[] = [];
  const codes: string[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void codes.push((JSON.parse(line) as { code?: string }).code ?? '') });
  const service = createHubFleetConfig({
    store: t.store,
    organisations: () => t.organisations(),
    clock: () => now.t,
    sendToBooth: (booth, frame) => {
      expect(frame.type).toBe('config.apply');
      if (!connected.includes(booth)) return false;
      sent.push({ booth, version: frame.version, config: frame.config as FleetConfig });
      return true;
    },
    connectedBooths: () => connected,
    log,
  });
  return { service, sent, codes, connected };
}

const versionOf = (r: Awaited<ReturnType<HubFleetConfig['publish']>>): number => {
  if (!r.ok) throw new Error(`not published: ${r.error} ${r.detail}`);
  return r.version;
};
/** 300 ids of 80 characters: each list is valid, both together are over the 48 KiB a configuration may weigh. */
const longIds = (prefix: string): string[] => Array.from({ length: 300 }, (_, i) => `${prefix}${'x'.repeat(75)}${String(i).padStart(4, '0')}`);
const HOSTILE_IDS = [0, -1, 1.5, 2 ** 60, Number.NaN, Number.POSITIVE_INFINITY];

describe.each([
  ['SQLite', openSqlite],
  ['PostgreSQL', () => openPostgres()],
])('the configuration on %s', (_name, open) => {
  it('publishes for every booth and for one: each connected booth is sent the newest version aimed at it or at every booth', async () => {
    const t = await open();
    const a = await t.addBooth('Relais de Gramat');
    const b = await t.addBooth('Relais de Figeac');
    const c = await t.addBooth('Relais fermé');
    const { service, sent, codes } = serviceOn(t, [a, b]);
    expect(await service.department()).toBeNull();
    expect(await service.effectiveFor(a)).toBeNull();
    expect(await service.versions()).toEqual([]);

    const all = await service.publish({ target: null, config: sampleConfig({ idleSeconds: 60 }), by: 'coord.lot' });
    expect(all).toMatchObject({ ok: true, pushed: 2 });
    const v1 = versionOf(all);
    const mine = await service.publish({ target: a, config: sampleConfig({ idleSeconds: 300 }), by: `coord.${'x'.repeat(100)}` });
    expect(mine).toMatchObject({ ok: true, pushed: 1 });
    const v2 = versionOf(mine);
    expect(v2).toBeGreaterThan(v1);
    expect(sent.map((s) => [s.booth, s.version, s.config.idleSeconds])).toEqual([
      [a, v1, 60],
      [b, v1, 60],
      [a, v2, 300],
    ]);
    expect(codes.filter((c) => c === 'FLEET_CONFIG_PUBLISHED')).toHaveLength(2);

    expect((await service.effectiveFor(a))?.version).toBe(v2);
    expect((await service.effectiveFor(b))?.version).toBe(v1);
    // A booth without a version of its own (a booth not connected, or none): the department's.
    expect((await service.effectiveFor(c))?.version).toBe(v1);
    expect((await service.effectiveFor(9_999))?.version).toBe(v1);
    expect(await service.department()).toEqual({ version: v1, targetBooth: null, publishedAt: 1_000, publishedBy: 'coord.lot', rolledBackFrom: null, config: sampleConfig({ idleSeconds: 60 }) });
    expect(await service.versions()).toEqual([
      { version: v2, targetBooth: a, publishedAt: 1_000, publishedBy: `coord.${'x'.repeat(74)}`, rolledBackFrom: null },
      { version: v1, targetBooth: null, publishedAt: 1_000, publishedBy: 'coord.lot', rolledBackFrom: null },
    ]);
    expect(await service.versions(1)).toHaveLength(1);
    expect((await service.version(v2))?.config).toEqual(sampleConfig({ idleSeconds: 300 }));

    // The next department version is newer than the booth's own: every booth runs it.
    const v3 = versionOf(await service.publish({ target: null, config: sampleConfig({ idleSeconds: 45 }), by: 'coord.lot' }));
    expect((await service.effectiveFor(a))?.version).toBe(v3);
    await t.revokeBooth(c);
    expect((await service.booths()).map((s) => [s.boothId, s.name, s.expectedVersion, s.appliedVersion, s.refused])).toEqual([
      [a, 'Relais de Gramat', v3, null, null],
      [b, 'Relais de Figeac', v3, null, null],
    ]);
  });

  it('rolls back by publishing an older version’s configuration again, for the same target, under a new number', async () => {
    const t = await open();
    const a = await t.addBooth('A');
    const b = await t.addBooth('B');
    const { service, sent } = serviceOn(t, [a, b]);
    const old = versionOf(await service.publish({ target: a, config: sampleConfig({ idleSeconds: 300 }), by: 'c' }));
    versionOf(await service.publish({ target: null, config: sampleConfig({ idleSeconds: 60 }), by: 'c' }));
    versionOf(await service.publish({ target: a, config: sampleConfig({ idleSeconds: 20 }), by: 'c' }));
    sent.length = 0;
    const back = await service.rollback({ version: old, by: 'coord.lot' });
    expect(back).toMatchObject({ ok: true, pushed: 1 });
    const v = versionOf(back);
    expect(await service.version(v)).toMatchObject({ targetBooth: a, rolledBackFrom: old, publishedBy: 'coord.lot', config: { idleSeconds: 300 } });
    expect(sent.map((s) => [s.booth, s.version, s.config.idleSeconds])).toEqual([[a, v, 300]]);
    expect((await service.effectiveFor(b))?.config.idleSeconds).toBe(60);
    for (const version of [9_999, ...HOSTILE_IDS]) {
      expect(await service.rollback({ version, by: 'c' })).toMatchObject({ ok: false, error: 'UNKNOWN_VERSION' });
    }
    expect(await service.versions()).toHaveLength(4);
  });

  it('records what each booth answered, keeps a refusal until it runs that version or a newer one, and ignores a version not meant for it', async () => {
    const t = await open();
    const a = await t.addBooth('A');
    const b = await t.addBooth('B');
    const now = { t: 5_000 };
    const { service, codes } = serviceOn(t, [a, b], now);
    const v1 = versionOf(await service.publish({ target: null, config: sampleConfig(), by: 'c' }));
    const v2 = versionOf(await service.publish({ target: a, config: sampleConfig({ idleSeconds: 300 }), by: 'c' }));
    const stateOf = async (id: number) => (await service.booths()).find((s) => s.boothId === id);

    service.applied(a, v1);
    now.t = 6_000;
    service.refused(a, v2, 'UNKNOWN_GUIDE', `guide absent ${'x'.repeat(600)}`);
    await service.settled();
    expect(await stateOf(a)).toEqual({
      boothId: a,
      name: 'A',
      expectedVersion: v2,
      appliedVersion: v1,
      appliedAt: 5_000,
      refused: { version: v2, code: 'UNKNOWN_GUIDE', detail: `guide absent ${'x'.repeat(487)}`, at: 6_000 },
    });
    // The older version again: the refusal of the newer one stays.
    service.applied(a, v1);
    await service.settled();
    expect((await stateOf(a))?.refused?.version).toBe(v2);

    // B claims A's own version, or versions that do not exist: nothing is recorded, each logged.
    service.applied(b, v2);
    service.refused(b, v2, 'APPLY_FAILED', '');
    service.applied(b, 9_999);
    await service.settled();
    expect(await stateOf(b)).toMatchObject({ appliedVersion: null, refused: null });
    expect(codes.filter((c) => c.endsWith('_UNKNOWN'))).toEqual(['FLEET_CONFIG_APPLIED_UNKNOWN', 'FLEET_CONFIG_REFUSED_UNKNOWN', 'FLEET_CONFIG_APPLIED_UNKNOWN']);

    // Answers are recorded in the order they came: the last one wins, and running the refused version clears it.
    service.applied(a, v1);
    service.applied(a, v2);
    await service.settled();
    expect(await stateOf(a)).toMatchObject({ appliedVersion: v2, refused: null });
    expect(codes).toContain('FLEET_CONFIG_APPLIED');
    expect(codes).toContain('FLEET_CONFIG_REFUSED');
  });

  it('refuses hostile input without storing anything, and logs what it cannot record instead of throwing', async () => {
    const t = await open();
    const a = await t.addBooth('A');
    const { service, sent, codes } = serviceOn(t, [a]);
    for (const target of [9_999, ...HOSTILE_IDS]) {
      expect(await service.publish({ target, config: sampleConfig(), by: 'c' })).toMatchObject({ ok: false, error: 'UNKNOWN_BOOTH' });
    }
    const invalid: unknown[] = [null, 'x', 42, [], {}, { ...sampleConfig(), visitor: 'Jeanne' }, sampleConfig({ idleSeconds: 1 }), sampleConfig({ organisations: [] }), sampleConfig({ guidesOffered: ['../../etc/passwd'] })];
    for (const config of invalid) {
      expect(await service.publish({ target: null, config, by: 'c' })).toMatchObject({ ok: false, error: 'INVALID_CONFIG' });
    }
    expect(await service.publish({ target: a, config: sampleConfig({ guidesOffered: longIds('g'), documentsOffered: longIds('d') }), by: 'c' })).toMatchObject({ ok: false, error: 'TOO_LARGE' });
    expect(await service.versions()).toEqual([]);
    expect(sent).toEqual([]);

    const v = versionOf(await service.publish({ target: null, config: sampleConfig(), by: 'c' }));
    for (const id of HOSTILE_IDS) {
      expect(await service.version(id)).toBeNull();
      // No booth has such an id: it gets what every booth gets.
      expect((await service.effectiveFor(id))?.version).toBe(v);
      expect(() => service.applied(id, v)).not.toThrow();
      expect(() => service.refused(id, v, 'APPLY_FAILED', 'x')).not.toThrow();
      expect(() => service.applied(a, id)).not.toThrow();
      expect(() => service.boothJoined(id)).not.toThrow();
    }
    for (const limit of [0, -5, Number.NaN, 1e9, 2 ** 60]) expect(await service.versions(limit)).toHaveLength(1);
    // A booth unknown to the database (deleted meanwhile): the store refuses the row, the service logs it.
    service.applied(9_999, v);
    await service.settled();
    expect(codes).toContain('FLEET_CONFIG_RECORD_FAILED');
    expect((await service.booths()).map((s) => [s.boothId, s.appliedVersion, s.refused])).toEqual([[a, null, null]]);
    expect(await t.sql('SELECT booth_id FROM booth_config_state')).toEqual([]);
    expect(sent).toEqual([{ booth: a, version: v, config: sampleConfig() }]);
  });

  it('sends a booth signing in its configuration once, and never a stored configuration that no longer parses', async () => {
    const t = await open();
    const a = await t.addBooth('A');
    const { service, sent, codes, connected } = serviceOn(t, []);
    connected.push(a);
    service.boothJoined(a);
    await service.settled();
    expect(sent).toEqual([]);
    const v = versionOf(await service.publish({ target: null, config: sampleConfig(), by: 'c' }));
    // Signing in again (a new socket): sent again; a refresh finds nothing this instance has not sent.
    service.boothJoined(a);
    await service.settled();
    await service.refresh();
    expect(sent.map((s) => s.version)).toEqual([v, v]);

    await t.sql(`UPDATE fleet_config_versions SET config = '{"organisations":"nope"' WHERE version = ${v}`);
    expect(await service.version(v)).toBeNull();
    service.boothJoined(a);
    await service.settled();
    expect(sent).toHaveLength(2);
    expect(codes).toContain('FLEET_CONFIG_STORED_INVALID');
    // Still listed, with its number: the coordinator sees it and can publish another.
    expect((await service.versions()).map((x) => x.version)).toEqual([v]);
  });

  it('starts the editor from the hub’s organisations and their hours', async () => {
    const t = await open();
    const { service } = serviceOn(t);
    const organisations = await t.organisations();
    expect(organisations.length).toBeGreaterThan(0);
    expect(await service.starter()).toMatchObject({
      organisations: organisations.map((o) => ({ code: o.code, name: o.name, openingHours: o.openingHours, correspondent: '' })),
      guidesOffered: null,
      charter: null,
    });
  });
});

describe('the configuration on PostgreSQL, shared by the nodes of a hub', () => {
  it('sends, when a node refreshes, a version published on another node to its own booths, once, and only to those it changes', async () => {
    const db1 = await openPostgres();
    const db2 = await openPostgres(db1.url);
    const a = await db1.addBooth('Sur le nœud 1');
    const b = await db1.addBooth('Sur le nœud 2');
    const c = await db1.addBooth('Aussi sur le nœud 2');
    const n1 = serviceOn(db1, [a]);
    const n2 = serviceOn(db2, [b, c]);
    const seen = (n: { sent: Sent[] }) => n.sent.map((s) => [s.booth, s.version]);

    // Nothing published yet: a refresh sends nothing.
    await n2.service.refresh();
    expect(n2.sent).toEqual([]);

    const v1 = versionOf(await n1.service.publish({ target: null, config: sampleConfig({ idleSeconds: 60 }), by: 'coord.lot' }));
    expect(seen(n1)).toEqual([[a, v1]]);
    expect(n2.sent).toEqual([]);
    await n2.service.refresh();
    expect(n2.sent).toEqual([
      { booth: b, version: v1, config: sampleConfig({ idleSeconds: 60 }) },
      { booth: c, version: v1, config: sampleConfig({ idleSeconds: 60 }) },
    ]);
    await Promise.all([n2.service.refresh(), n2.service.refresh()]);
    expect(n2.sent).toHaveLength(2);
    expect(n2.codes).toContain('FLEET_CONFIG_REFRESHED');

    // A version for B only: C's version did not change, C is not sent it again.
    const v2 = versionOf(await n1.service.publish({ target: b, config: sampleConfig({ idleSeconds: 300 }), by: 'coord.lot' }));
    await n1.service.refresh();
    await n2.service.refresh();
    expect(seen(n1)).toEqual([[a, v1]]);
    expect(seen(n2).slice(2)).toEqual([[b, v2]]);

    // Published on node 2: its booths are sent it by the publish, not again by its refresh; node 1 sends it at its own.
    const v3 = versionOf(await n2.service.publish({ target: null, config: sampleConfig({ idleSeconds: 45 }), by: 'coord.lot' }));
    await n2.service.refresh();
    expect(seen(n2).slice(3)).toEqual([
      [b, v3],
      [c, v3],
    ]);
    await n1.service.refresh();
    await n1.service.refresh();
    expect(seen(n1)).toEqual([
      [a, v1],
      [a, v3],
    ]);

    // Both nodes read the same state: B's answer recorded on node 2 shows on node 1.
    n2.service.applied(b, v3);
    await n2.service.settled();
    expect((await n1.service.booths()).find((s) => s.boothId === b)).toMatchObject({ expectedVersion: v3, appliedVersion: v3 });
  });

  it('gives versions published on two nodes at once distinct numbers, and a node that could not read tries again at its next refresh', async () => {
    const db1 = await openPostgres();
    const db2 = await openPostgres(db1.url);
    const a = await db1.addBooth('A');
    let unreachable = false;
    const flaky: FleetConfigStore = { ...db2.store, effective: (id) => (unreachable ? Promise.reject(new Error('connexion perdue')) : db2.store.effective(id)) };
    const n1 = serviceOn(db1, []);
    const n2 = serviceOn({ ...db2, store: flaky }, [a]);
    const published = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? n1 : n2).service.publish({ target: null, config: sampleConfig({ idleSeconds: 30 + i }), by: 'c' })),
    );
    const numbers = published.map(versionOf);
    expect(new Set(numbers).size).toBe(6);
    expect((await n1.service.versions()).map((v) => v.version)).toEqual([...numbers].sort((x, y) => y - x));
    // Whatever order the publishes ended in, the booth ends on the newest and was never sent an older one after a newer.
    await n2.service.refresh();
    const versions = n2.sent.map((s) => s.version);
    expect(versions.at(-1)).toBe(Math.max(...numbers));
    expect([...versions].sort((x, y) => x - y)).toEqual(versions);

    // The database unreachable for a moment: logged, nothing thrown, the next refresh sends what was missed.
    const v = versionOf(await n1.service.publish({ target: null, config: sampleConfig(), by: 'c' }));
    unreachable = true;
    await expect(n2.service.refresh()).resolves.toBeUndefined();
    expect(n2.sent.at(-1)?.version).not.toBe(v);
    expect(n2.codes).toContain('FLEET_CONFIG_PUSH_FAILED');
    unreachable = false;
    await n2.service.refresh();
    expect(n2.sent.at(-1)?.version).toBe(v);
  });

  it('stores a name or a booth’s detail carrying NUL, which TEXT cannot hold, without it', async () => {
    const t = await openPostgres();
    const a = await t.addBooth('A');
    const { service } = serviceOn(t, [a]);
    const v = versionOf(await service.publish({ target: null, config: sampleConfig(), by: 'coord\u0000.lot' }));
    service.refused(a, v, 'APPLY_FAILED', 'disque\u0000 plein');
    await service.settled();
    expect((await service.version(v))?.publishedBy).toBe('coord.lot');
    expect((await service.booths())[0]?.refused).toMatchObject({ version: v, detail: 'disque plein' });
  });
});
