// The evaluation store's contract: one suite of behaviour tests run on both implementations of EvaluationStore —
// SQLite in memory (the hub's database, a fresh one per test) and a real PostgreSQL (one server for the file, a fresh
// database per test). Then both stores fed the same pseudo-random weeks must show the same dashboards, and PostgreSQL
// alone: what only it has (NUL characters it cannot store, nodes storing the same week at once).
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_AGGREGATE_LIMITS, type AggregateLimits, type Dashboard } from '../../../../server/aggregates/index.js';
import { sqliteEvaluationStore, type EvaluationStore } from '../../../../server/sharedStore/evaluation.js';
import { openPostgresStores } from '../../../../server/sharedStore/postgres.js';
import { openHubDb, sha256 } from '../../../../server/store.js';
import { SERVICE_TYPES } from '../../../../shared/domain.js';
import { postgresForFile, sqliteSql } from '../../../support/postgresForFile.js';

const postgres = postgresForFile();

/** A store under test, and SQL run on its database directly (to revoke, to see what is really stored). */
interface Opened {
  store: EvaluationStore;
  sql(text: string): Promise<Array<Record<string, unknown>>>;
}

async function openSqlite(): Promise<Opened> {
  const db = openHubDb(':memory:');
  postgres.onCleanup(async () => {
    db.close();
  });
  return {
    store: sqliteEvaluationStore(db),
    sql: sqliteSql(db),
  };
}

async function openPostgres(url?: string): Promise<Opened> {
  const { stores, sql } = await postgres.openStores(url);
  return { store: stores.evaluation, sql };
}

const backends: Array<{ name: string; open(): Promise<Opened> }> = [
  { name: 'SQLite', open: openSqlite },
  { name: 'PostgreSQL', open: () => openPostgres() },
];

const T = 1_700_000_000_000;
const HOUR = 3_600_000;
const SITE_A = 'site-aaaa-0001';
const SITE_B = 'site-bbbb-0002';
const SITE_C = 'site-cccc-0003';
const SITE_D = 'site-dddd-0004';
/** Storage bounds low enough for a test to cross them. */
const LOW: AggregateLimits = { maxCount: 10, maxWeekTotal: 15 };
const DEFAULTS = DEFAULT_AGGREGATE_LIMITS;

type Count = [organisation: string, service: string, count: number];
const payload = (siteId: string, week: string, counts: Count[], hash = `rev-${week}-${JSON.stringify(counts)}`) => ({
  siteId,
  week,
  counts: counts.map(([organisation, service, count]) => ({ organisation, service, count })),
  hash,
});
const zero = () => Object.fromEntries(SERVICE_TYPES.map((s) => [s, 0]));

/** A login of 10,000 hardly compressible characters: a B-tree entry of it would exceed PostgreSQL's 2.7 kB limit. */
const LONG_LOGIN = Array.from({ length: 10_000 }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 7919) % 20_000))).join('');

describe.each(backends)('evaluation store on $name', (backend) => {
  let s: EvaluationStore;
  let sql: Opened['sql'];
  beforeEach(async () => {
    ({ store: s, sql } = await backend.open());
  });
  const dashboardOf = (fromWeek: string, toWeek: string, limits: AggregateLimits = DEFAULTS): Promise<Dashboard> => s.dashboard({ fromWeek, toWeek }, limits);

  describe('coordinators', () => {
    it('adds a coordinator: a new id each, found by login, not revoked', async () => {
      const marie = await s.addCoordinator('marie.dupont', 'scrypt$a', T);
      const paul = await s.addCoordinator('paul', 'scrypt$b', T);
      expect(paul).not.toBe(marie);
      expect(await s.coordinatorByLogin('marie.dupont')).toEqual({ id: marie, login: 'marie.dupont', passwordHash: 'scrypt$a', revoked: false });
      expect(await s.coordinatorByLogin('paul')).toEqual({ id: paul, login: 'paul', passwordHash: 'scrypt$b', revoked: false });
    });

    it('adding an existing login keeps its id, replaces its password and lifts its revocation', async () => {
      const id = await s.addCoordinator('marie', 'scrypt$old', T);
      await sql(`UPDATE coordinators SET revoked_at = ${T + 1} WHERE id = ${id}`);
      expect(await s.coordinatorByLogin('marie')).toEqual({ id, login: 'marie', passwordHash: 'scrypt$old', revoked: true });
      expect(await s.addCoordinator('marie', 'scrypt$new', T + 2)).toBe(id);
      expect(await s.coordinatorByLogin('marie')).toEqual({ id, login: 'marie', passwordHash: 'scrypt$new', revoked: false });
      expect(await sql('SELECT id FROM coordinators')).toHaveLength(1);
    });

    it('finds nothing by an unknown login, one differing in case or by a NUL, or 10,000 characters; a 10,000-character login is found', async () => {
      await s.addCoordinator('marie', 'scrypt$a', T);
      const long = await s.addCoordinator(LONG_LOGIN, 'scrypt$long', T);
      for (const login of ['paul', 'Marie', 'marie ', '', 'marie\u0000', '\u0000', `' OR '1'='1`, 'a'.repeat(10_000), LONG_LOGIN.slice(0, -1), `${LONG_LOGIN}x`]) {
        expect(await s.coordinatorByLogin(login), login.slice(0, 20)).toBeNull();
      }
      expect(await s.coordinatorByLogin(LONG_LOGIN)).toEqual({ id: long, login: LONG_LOGIN, passwordHash: 'scrypt$long', revoked: false });
    });
  });

  describe('coordinator sessions', () => {
    it("gives a token once, keeps only its SHA-256, and finds the session's coordinator by it", async () => {
      const id = await s.addCoordinator('marie', 'scrypt$a', T);
      const token = await s.newCoordinatorSession(id, T, HOUR);
      const other = await s.newCoordinatorSession(id, T, HOUR);
      expect(token).toMatch(/^rc_[A-Za-z0-9_-]{43}$/);
      expect(other).not.toBe(token);
      const stored = await sql('SELECT token_hash FROM coordinator_sessions ORDER BY token_hash');
      expect(stored.map((r) => r.token_hash)).toEqual([sha256(token), sha256(other)].sort());
      expect(JSON.stringify(stored)).not.toContain(token.slice(3));
      expect(await s.coordinatorBySession(token, T + 1)).toEqual({ id, login: 'marie', passwordHash: 'scrypt$a', revoked: false });
      for (const bad of [`${token}x`, token.slice(0, -1), sha256(token), '', `${token}\u0000`]) expect(await s.coordinatorBySession(bad, T + 1), bad).toBeNull();
    });

    it('finds no expired session: valid until just before its end, not at it', async () => {
      const id = await s.addCoordinator('marie', 'scrypt$a', T);
      const token = await s.newCoordinatorSession(id, T, HOUR);
      expect(await s.coordinatorBySession(token, T + HOUR - 1)).not.toBeNull();
      expect(await s.coordinatorBySession(token, T + HOUR - 0.5)).not.toBeNull();
      expect(await s.coordinatorBySession(token, T + HOUR)).toBeNull();
      expect(await s.coordinatorBySession(token, T + 100 * HOUR)).toBeNull();
    });

    it('finds no ended session; ending an unknown token is harmless and ends no other', async () => {
      const id = await s.addCoordinator('marie', 'scrypt$a', T);
      const ended = await s.newCoordinatorSession(id, T, HOUR);
      const kept = await s.newCoordinatorSession(id, T, HOUR);
      await s.endCoordinatorSession(ended);
      await s.endCoordinatorSession(ended);
      await s.endCoordinatorSession('rc_unknown');
      await s.endCoordinatorSession('\u0000');
      expect(await s.coordinatorBySession(ended, T + 1)).toBeNull();
      expect(await s.coordinatorBySession(kept, T + 1)).toEqual({ id, login: 'marie', passwordHash: 'scrypt$a', revoked: false });
    });

    it("finds no session of a revoked coordinator, and finds it again once the login is added back", async () => {
      const id = await s.addCoordinator('marie', 'scrypt$a', T);
      const other = await s.addCoordinator('paul', 'scrypt$b', T);
      const token = await s.newCoordinatorSession(id, T, HOUR);
      const paulToken = await s.newCoordinatorSession(other, T, HOUR);
      await sql(`UPDATE coordinators SET revoked_at = ${T + 1} WHERE id = ${id}`);
      expect(await s.coordinatorBySession(token, T + 2)).toBeNull();
      expect((await s.coordinatorBySession(paulToken, T + 2))?.id).toBe(other);
      await s.addCoordinator('marie', 'scrypt$c', T + 3);
      expect(await s.coordinatorBySession(token, T + 4)).toEqual({ id, login: 'marie', passwordHash: 'scrypt$c', revoked: false });
    });

    it('deletes the sessions expired by then when a new one is made, and only those', async () => {
      const id = await s.addCoordinator('marie', 'scrypt$a', T);
      const short = await s.newCoordinatorSession(id, T, 10);
      const exact = await s.newCoordinatorSession(id, T, 20);
      const long = await s.newCoordinatorSession(id, T, HOUR);
      expect(await sql('SELECT token_hash FROM coordinator_sessions')).toHaveLength(3);
      const fresh = await s.newCoordinatorSession(id, T + 20, HOUR);
      const left = (await sql('SELECT token_hash FROM coordinator_sessions')).map((r) => r.token_hash);
      expect(left.sort()).toEqual([sha256(long), sha256(fresh)].sort());
      expect(left).not.toContain(sha256(short));
      expect(left).not.toContain(sha256(exact));
    });
  });

  describe('storeWeek', () => {
    it('stores a week, replaces it with a new revision, and leaves it unchanged when the same revision comes again', async () => {
      expect(await s.storeWeek(SITE_A, 'Saint-Martin', payload(SITE_A, '2026-W10', [['CAF', 'info', 3]], 'revision-1'), T, DEFAULTS)).toEqual({ ok: true, value: 'stored' });
      expect(await s.storeWeek(SITE_A, 'Saint-Martin', payload(SITE_A, '2026-W10', [['CAF', 'info', 2], ['FT', 'visio', 1]], 'revision-2'), T + 1, DEFAULTS)).toEqual({
        ok: true,
        value: 'replaced',
      });
      // The same revision with other counts is still the same revision: nothing changes but when the site was last heard.
      expect(await s.storeWeek(SITE_A, 'Saint-Martin', payload(SITE_A, '2026-W10', [['CAF', 'info', 9]], 'revision-2'), T + 2, DEFAULTS)).toEqual({
        ok: true,
        value: 'unchanged',
      });
      // Another week, or another site's same week, is stored anew.
      expect(await s.storeWeek(SITE_A, 'Saint-Martin', payload(SITE_A, '2026-W11', [['CAF', 'info', 1]], 'revision-2'), T + 3, DEFAULTS)).toMatchObject({ value: 'stored' });
      expect(await s.storeWeek(SITE_B, 'Aubusson', payload(SITE_B, '2026-W10', [['CAF', 'info', 4]], 'revision-2'), T + 3, DEFAULTS)).toMatchObject({ value: 'stored' });
      const d = await dashboardOf('2026-W10', '2026-W11');
      expect(d.sites.map((x) => [x.siteId, x.cells, x.lastReceivedAt])).toEqual([
        [SITE_B, [4, null], T + 3],
        [SITE_A, [3, 1], T + 3],
      ]);
      expect(d.organisations).toEqual([
        { organisation: 'CAF', counts: { ...zero(), info: 7 }, total: 7 },
        { organisation: 'FT', counts: { ...zero(), visio: 1 }, total: 1 },
      ]);
    });

    it('tells a revision by its exact text: one with a NUL or a different case is another one', async () => {
      const p = (hash: string, n: number) => payload(SITE_A, '2026-W10', [['CAF', 'info', n]], hash);
      expect(await s.storeWeek(SITE_A, 'A', p('revision\u0000a', 1), T, DEFAULTS)).toMatchObject({ value: 'stored' });
      expect(await s.storeWeek(SITE_A, 'A', p('revision\u0000a', 2), T, DEFAULTS)).toMatchObject({ value: 'unchanged' });
      expect(await s.storeWeek(SITE_A, 'A', p('revision\u0000b', 3), T, DEFAULTS)).toMatchObject({ value: 'replaced' });
      expect(await s.storeWeek(SITE_A, 'A', p('REVISION\u0000b', 4), T, DEFAULTS)).toMatchObject({ value: 'replaced' });
      expect(await s.storeWeek(SITE_A, 'A', p('REVISION\u0000b', 5), T, DEFAULTS)).toMatchObject({ value: 'unchanged' });
      expect((await dashboardOf('2026-W10', '2026-W10')).total).toBe(4);
    });

    it('refuses hostile or malformed payloads as INVALID_PAYLOAD and stores nothing, not even the site', async () => {
      const good = payload(SITE_A, '2026-W10', [['CAF', 'info', 1]]);
      const counts = (c: unknown) => ({ ...good, counts: [c] });
      const hostile: unknown[] = [
        null,
        undefined,
        [],
        [good],
        'text',
        JSON.stringify(good),
        42,
        {},
        { ...good, name: 'Dupont' },
        { ...good, siteId: 42 },
        { ...good, week: '2026-W60' },
        { ...good, week: '2026-W00' },
        { ...good, week: "2026-W10'; DROP TABLE aggregate_weeks; --" },
        { ...good, hash: 'short' },
        { ...good, hash: 'h'.repeat(129) },
        { ...good, counts: null },
        { ...good, counts: 'CAF' },
        counts({ organisation: 'CAF', service: 'info', count: -1 }),
        counts({ organisation: 'CAF', service: 'info', count: 1.5 }),
        counts({ organisation: 'CAF', service: 'info', count: '3' }),
        counts({ organisation: 'CAF', service: 'info', count: Number.NaN }),
        counts({ organisation: 'CAF', service: 'info', count: Number.POSITIVE_INFINITY }),
        counts({ organisation: 'CAF', service: 'info', count: 1e300 }),
        counts({ organisation: 'CAF', service: 'info', count: 2 ** 63 }),
        counts({ organisation: 'CAF', service: 'info', count: Number.MAX_SAFE_INTEGER + 1 }),
        counts({ organisation: 'caf', service: 'info', count: 1 }),
        counts({ organisation: "CAF'; DROP TABLE aggregate_counts; --", service: 'info', count: 1 }),
        counts({ organisation: 'CAF', service: 'coffee', count: 1 }),
        counts({ organisation: 'CAF', service: 'info', count: 1, extra: true }),
        counts({ organisation: 'CAF', service: 'info' }),
        { ...good, counts: Array.from({ length: 1001 }, () => ({ organisation: 'CAF', service: 'info', count: 0 })) },
        { ...good, counts: Array.from({ length: 10_000 }, (_, i) => ({ organisation: 'CAF', service: SERVICE_TYPES[i % 5], count: 1 })) },
      ];
      for (const p of hostile) {
        const result = await s.storeWeek(SITE_A, 'Saint-Martin', p, T, DEFAULTS);
        expect(result, JSON.stringify(p)?.slice(0, 120)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
        if (!result.ok) expect(result.error.message).not.toBe('');
      }
      expect((await dashboardOf('2026-W10', '2026-W10')).sites).toEqual([]);
      expect(await sql('SELECT site_id FROM aggregate_sites')).toEqual([]);
    });

    it('refuses a payload of another site than the authenticated one as SITE_MISMATCH, in French', async () => {
      for (const claimed of [SITE_B, `${SITE_A} `, SITE_A.toUpperCase()]) {
        expect(await s.storeWeek(SITE_A, 'A', payload(claimed, '2026-W10', [['CAF', 'info', 1]]), T, DEFAULTS)).toEqual({
          ok: false,
          error: { code: 'SITE_MISMATCH', message: 'Les agrégats ne viennent pas du site authentifié.' },
        });
      }
      expect((await dashboardOf('2026-W10', '2026-W10')).sites).toEqual([]);
    });

    it('refuses counts beyond the limits as COUNTS_OUT_OF_BOUNDS, in French, the same counts added up first; at the limits they are stored', async () => {
      const refused = async (counts: Count[], message: string) =>
        expect(await s.storeWeek(SITE_A, 'A', payload(SITE_A, '2026-W10', counts), T, LOW)).toEqual({ ok: false, error: { code: 'COUNTS_OUT_OF_BOUNDS', message } });
      await refused([['CAF', 'info', 11]], 'Le comptage CAF / info (11) dépasse la borne du hub : 10 par semaine.');
      await refused(
        [
          ['CAF', 'info', 6],
          ['FT', 'info', 1],
          ['CAF', 'info', 6],
        ],
        'Le comptage CAF / info (12) dépasse la borne du hub : 10 par semaine.',
      );
      await refused(
        [
          ['CAF', 'info', 8],
          ['CPAM', 'visio', 8],
        ],
        'Le total de la semaine dépasse la borne du hub : 15 services.',
      );
      await refused([['CAF', 'info', Number.MAX_SAFE_INTEGER]], `Le comptage CAF / info (${Number.MAX_SAFE_INTEGER}) dépasse la borne du hub : 10 par semaine.`);
      expect((await dashboardOf('2026-W10', '2026-W10')).sites).toEqual([]);
      const atLimits: Count[] = [
        ['CAF', 'info', 10],
        ['CPAM', 'visio', 5],
      ];
      expect(await s.storeWeek(SITE_A, 'A', payload(SITE_A, '2026-W10', atLimits), T, LOW)).toEqual({ ok: true, value: 'stored' });
      expect((await dashboardOf('2026-W10', '2026-W10', LOW)).total).toBe(15);
    });
  });

  describe('dashboard', () => {
    it('over a range with nothing sent: every week, no site, zeros everywhere', async () => {
      await s.storeWeek(SITE_A, 'A', payload(SITE_A, '2026-W20', [['CAF', 'info', 3]]), T, DEFAULTS);
      const d = await dashboardOf('2026-W52', '2027-W02');
      expect(d).toEqual({
        fromWeek: '2026-W52',
        toWeek: '2027-W02',
        weeks: ['2026-W52', '2026-W53', '2027-W01', '2027-W02'],
        sites: [{ siteId: SITE_A, siteName: 'A', cells: [null, null, null, null], total: 0, lastReceivedAt: T }],
        weekTotals: [0, 0, 0, 0],
        total: 0,
        organisations: [],
        serviceTotals: zero(),
        excluded: [],
      });
    });

    it('refuses an empty or too long range as RangeError', async () => {
      await expect(dashboardOf('2026-W10', '2026-W09')).rejects.toThrow(RangeError);
      await expect(dashboardOf('2000-W01', '2026-W01')).rejects.toThrow(RangeError);
      await expect(dashboardOf('2026-10', '2026-W12')).rejects.toThrow(RangeError);
    });

    it('lists sites by name byte for byte (then id), with a null cell for each week not sent and the totals', async () => {
      const sites: Array<[string, string]> = [
        ['site-zzzz-0001', 'Évaux'],
        ['site-yyyy-0002', 'aubusson'],
        ['site-xxxx-0003', 'Zoé'],
        ['site-wwww-0004', 'Bourganeuf'],
        ['site-vvvv-0005', 'Bourganeuf'],
      ];
      for (const [id, name] of sites) await s.storeWeek(id, name, payload(id, '2026-W10', [['CAF', 'info', 1]]), T, DEFAULTS);
      await s.storeWeek('site-xxxx-0003', 'Zoé', payload('site-xxxx-0003', '2026-W12', [['CPAM', 'documents', 4], ['CAF', 'internet', 2]]), T + 5, DEFAULTS);
      await s.storeWeek('site-zzzz-0001', 'Évaux', payload('site-zzzz-0001', '2026-W11', [['ANAH', 'teleservice', 7]]), T + 6, DEFAULTS);
      const d = await dashboardOf('2026-W10', '2026-W12');
      expect(d.sites.map((x) => [x.siteName, x.siteId, x.cells, x.total, x.lastReceivedAt])).toEqual([
        ['Bourganeuf', 'site-vvvv-0005', [1, null, null], 1, T],
        ['Bourganeuf', 'site-wwww-0004', [1, null, null], 1, T],
        ['Zoé', 'site-xxxx-0003', [1, null, 6], 7, T + 5],
        ['aubusson', 'site-yyyy-0002', [1, null, null], 1, T],
        ['Évaux', 'site-zzzz-0001', [1, 7, null], 8, T + 6],
      ]);
      expect(d.weekTotals).toEqual([5, 7, 6]);
      expect(d.total).toBe(18);
      expect(d.organisations).toEqual([
        { organisation: 'ANAH', counts: { ...zero(), teleservice: 7 }, total: 7 },
        { organisation: 'CAF', counts: { ...zero(), info: 5, internet: 2 }, total: 7 },
        { organisation: 'CPAM', counts: { ...zero(), documents: 4 }, total: 4 },
      ]);
      expect(d.serviceTotals).toEqual({ info: 5, documents: 4, visio: 0, teleservice: 7, internet: 2 });
      expect(d.excluded).toEqual([]);
    });

    it('leaves a week whose total is beyond the limits out of every figure and lists it; the same week of other sites stays', async () => {
      await s.storeWeek(SITE_A, 'Ahun', payload(SITE_A, '2026-W10', [['CAF', 'info', 30], ['FT', 'visio', 20]]), T, DEFAULTS);
      await s.storeWeek(SITE_B, 'Boussac', payload(SITE_B, '2026-W10', [['CAF', 'info', 4]]), T, DEFAULTS);
      await s.storeWeek(SITE_A, 'Ahun', payload(SITE_A, '2026-W11', [['CAF', 'documents', 6]]), T, DEFAULTS);
      const lower = { maxCount: 100, maxWeekTotal: 40 };
      const d = await dashboardOf('2026-W10', '2026-W11', lower);
      expect(d.sites.map((x) => [x.siteName, x.cells, x.total])).toEqual([
        ['Ahun', [null, 6], 6],
        ['Boussac', [4, null], 4],
      ]);
      expect(d.weekTotals).toEqual([4, 6]);
      expect(d.total).toBe(10);
      expect(d.organisations).toEqual([{ organisation: 'CAF', counts: { ...zero(), info: 4, documents: 6 }, total: 10 }]);
      expect(d.serviceTotals).toEqual({ ...zero(), info: 4, documents: 6 });
      expect(d.excluded).toEqual([{ siteId: SITE_A, siteName: 'Ahun', week: '2026-W10' }]);
      // Under the storage limits, the same week is in every figure.
      expect((await dashboardOf('2026-W10', '2026-W11')).total).toBe(60);
    });

    it('counts a replaced week once, with its new counts only', async () => {
      await s.storeWeek(SITE_A, 'A', payload(SITE_A, '2026-W10', [['CAF', 'info', 5], ['CPAM', 'visio', 3]]), T, DEFAULTS);
      await s.storeWeek(SITE_B, 'B', payload(SITE_B, '2026-W10', [['CAF', 'info', 2]]), T, DEFAULTS);
      await s.storeWeek(SITE_A, 'A', payload(SITE_A, '2026-W10', [['CAF', 'info', 1], ['FT', 'internet', 4], ['CAF', 'info', 2]]), T + 1, DEFAULTS);
      await s.storeWeek(SITE_C, 'C', payload(SITE_C, '2026-W10', [['ML', 'info', 3]]), T + 1, DEFAULTS);
      await s.storeWeek(SITE_C, 'C', payload(SITE_C, '2026-W10', []), T + 2, DEFAULTS);
      await s.storeWeek(SITE_D, 'D', payload(SITE_D, '2026-W10', [['UDAF', 'info', 8]]), T + 2, DEFAULTS);
      const d = await dashboardOf('2026-W10', '2026-W10');
      expect(d.sites.map((x) => [x.siteName, x.cells])).toEqual([
        ['A', [7]],
        ['B', [2]],
        ['C', [0]],
        ['D', [8]],
      ]);
      expect(d.total).toBe(17);
      expect(d.organisations).toEqual([
        { organisation: 'CAF', counts: { ...zero(), info: 5 }, total: 5 },
        { organisation: 'FT', counts: { ...zero(), internet: 4 }, total: 4 },
        { organisation: 'UDAF', counts: { ...zero(), info: 8 }, total: 8 },
      ]);
      // With D's week left out, the totals are added up again from the shown sites' counts: A's old ones are gone there too.
      const lower = await dashboardOf('2026-W10', '2026-W10', { maxCount: 10, maxWeekTotal: 7 });
      expect(lower.sites.map((x) => [x.siteName, x.cells])).toEqual([
        ['A', [7]],
        ['B', [2]],
        ['C', [0]],
        ['D', [null]],
      ]);
      expect(lower.total).toBe(9);
      expect(lower.organisations).toEqual([
        { organisation: 'CAF', counts: { ...zero(), info: 5 }, total: 5 },
        { organisation: 'FT', counts: { ...zero(), internet: 4 }, total: 4 },
      ]);
    });
  });
});

/** A seeded pseudo-random generator (mulberry32): the same sequence at every run, in [0, 1). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('SQLite and PostgreSQL side by side', () => {
  it('answer the same to 60 pseudo-random weeks (replaced, resent, refused), and show the same dashboards, which add up', async () => {
    const { store: sqlite, sql: sqliteSql } = await openSqlite();
    const { store: postgres, sql: postgresSql } = await openPostgres();
    const next = random(20_260_310);
    const pick = <X>(xs: readonly X[]): X => xs[Math.floor(next() * xs.length)]!;
    const sites = Array.from({ length: 8 }, (_, i) => ({ id: `site-${String(i).padStart(4, '0')}-prop`, name: pick(['Ahun', 'aubusson', 'Évaux', 'Zoé', 'Bénévent']) }));
    const WEEKS = ['2026-W51', '2026-W52', '2026-W53', '2027-W01', '2027-W02', '2027-W03'];
    const ORGS = ['CAF', 'CPAM', 'FT', 'ML', 'ANAH'];
    const limits: AggregateLimits = { maxCount: 60, maxWeekTotal: 120 };
    /** What each site-week holds as the model sees it: the last accepted revision. */
    const model = new Map<string, { hash: string; total: number }>();
    const outcomes: string[] = [];
    for (let step = 0; step < 60; step++) {
      const site = pick(sites);
      const week = pick(WEEKS);
      const key = `${site.id} ${week}`;
      const held = model.get(key);
      const counts: Count[] = Array.from({ length: Math.floor(next() * 6) }, () => [pick(ORGS), pick(SERVICE_TYPES), Math.floor(next() * 30)]);
      if (next() < 0.1) counts.push(['CAF', 'info', 61]);
      // Now and then the revision held is sent again (with other counts: ignored), else a new one.
      const hash = held && next() < 0.25 ? held.hash : `revision-${step}`;
      const name = next() < 0.1 ? `${site.name} (renommé)` : site.name;
      const p = payload(site.id, week, counts, hash);
      const [a, b] = [await sqlite.storeWeek(site.id, name, p, T + step, limits), await postgres.storeWeek(site.id, name, p, T + step, limits)];
      expect(b, `step ${step}`).toEqual(a);
      outcomes.push(a.ok ? a.value : a.error.code);
      if (a.ok && a.value !== 'unchanged') model.set(key, { hash, total: counts.reduce((sum, c) => sum + c[2], 0) });
    }
    // The sequence exercises every outcome.
    expect(new Set(outcomes)).toEqual(new Set(['stored', 'replaced', 'unchanged', 'COUNTS_OUT_OF_BOUNDS']));

    const ranges = [
      ['2026-W51', '2027-W03'],
      ['2026-W40', '2027-W10'],
      ['2026-W53', '2026-W53'],
      ['2027-W02', '2027-W03'],
    ];
    let excluded = 0;
    for (const shown of [limits, { maxCount: 60, maxWeekTotal: 50 }, { maxCount: 1, maxWeekTotal: 1 }]) {
      for (const [fromWeek, toWeek] of ranges) {
        const label = `${fromWeek}..${toWeek} ≤ ${shown.maxWeekTotal}`;
        const d = await sqlite.dashboard({ fromWeek: fromWeek!, toWeek: toWeek! }, shown);
        expect(await postgres.dashboard({ fromWeek: fromWeek!, toWeek: toWeek! }, shown), label).toEqual(d);
        const expected = [...model]
          .filter(([key, w]) => d.weeks.includes(key.split(' ')[1]!) && w.total <= shown.maxWeekTotal)
          .reduce((sum, [, w]) => sum + w.total, 0);
        expect(d.total, label).toBe(expected);
        expect(Object.values(d.serviceTotals).reduce((x, y) => x + y, 0), label).toBe(expected);
        expect(d.organisations.reduce((sum, o) => sum + o.total, 0), label).toBe(expected);
        expect(d.excluded.length, label).toBe([...model].filter(([key, w]) => d.weeks.includes(key.split(' ')[1]!) && w.total > shown.maxWeekTotal).length);
        excluded += d.excluded.length;
      }
    }
    // Lower limits left weeks out: the totals recomputed from the sites' counts were compared too.
    expect(excluded).toBeGreaterThan(0);
    // The department's rows, which the dashboard trusts when they add up, are the same rows (else it would hide it).
    const departmentRows = async (sql: Opened['sql']) =>
      (await sql('SELECT week_key, organisation, service, count FROM aggregate_department_weeks')).map((r) => `${r.week_key} ${r.organisation} ${r.service} ${Number(r.count)}`).sort();
    const rows = await departmentRows(sqliteSql);
    expect(rows.length).toBeGreaterThan(20);
    expect(await departmentRows(postgresSql)).toEqual(rows);
  });
});

describe('PostgreSQL only', () => {
  it('stores the same week of different sites from two nodes at once without losing a count', async () => {
    const url = await postgres.server().newDatabase();
    const nodes = [(await openPostgres(url)).store, (await openPostgres(url)).store];
    const siteIds = Array.from({ length: 12 }, (_, i) => `site-${String(i).padStart(4, '0')}-race`);
    for (const round of [1, 2, 3]) {
      const results = await Promise.all(
        siteIds.map((id, i) =>
          nodes[i % 2]!.storeWeek(id, `Site ${i}`, payload(id, '2026-W10', [['CAF', 'info', round + i], ['FT', 'visio', round]], `revision-${round}`), T + round, DEFAULTS),
        ),
      );
      expect(results.map((r) => r.ok && r.value)).toEqual(siteIds.map(() => (round === 1 ? 'stored' : 'replaced')));
      const caf = siteIds.reduce((sum, _, i) => sum + round + i, 0);
      const ft = siteIds.length * round;
      for (const node of nodes) {
        const d = await node.dashboard({ fromWeek: '2026-W10', toWeek: '2026-W10' }, DEFAULTS);
        expect(d.total, `round ${round}`).toBe(caf + ft);
        expect(d.organisations).toEqual([
          { organisation: 'CAF', counts: { ...zero(), info: caf }, total: caf },
          { organisation: 'FT', counts: { ...zero(), visio: ft }, total: ft },
        ]);
      }
    }
  });

  it('refuses a site id with NUL as INVALID_PAYLOAD, stores a site name with NUL without them, and refuses to add a login with NUL', async () => {
    const { store, sql } = await openPostgres();
    const id = 'site-\u0000-0001';
    expect(await store.storeWeek(id, 'A', payload(id, '2026-W10', [['CAF', 'info', 1]]), T, DEFAULTS)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await store.storeWeek(SITE_A, 'Saint-\u0000Martin\u0000', payload(SITE_A, '2026-W10', [['CAF', 'info', 1]]), T, DEFAULTS)).toEqual({ ok: true, value: 'stored' });
    expect((await store.dashboard({ fromWeek: '2026-W10', toWeek: '2026-W10' }, DEFAULTS)).sites.map((x) => [x.siteId, x.siteName, x.total])).toEqual([
      [SITE_A, 'Saint-Martin', 1],
    ]);
    await expect(store.addCoordinator('marie\u0000', 'scrypt$a', T)).rejects.toThrow('Identifiant de coordinateur refusé : il contient un caractère NUL.');
    expect(await sql('SELECT id FROM coordinators')).toEqual([]);
  });

  it('closing the stores ends the pool the evaluation store uses too', async () => {
    const opened = await openPostgresStores(await postgres.server().newDatabase(), { poolSize: 2 });
    await opened.evaluation.addCoordinator('marie', 'scrypt$a', T);
    expect((await opened.store.listBooths()).length).toBe(0);
    await opened.close();
    await expect(opened.evaluation.coordinatorByLogin('marie')).rejects.toThrow();
    await expect(opened.store.listBooths()).rejects.toThrow();
  });
});
