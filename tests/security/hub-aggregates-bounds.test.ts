// Attack (issue 13, item 6, the hub's side): one booth, with its own valid token, sends weekly counts of
// 9,007,199,254,740,991. Before, the hub stored them and the dashboard, its default 12-week view and the CSV answered 500
// (`integer overflow`) for the whole department until that booth resent the week. Must hold: such counts are refused to
// that booth with a clear error (and nothing of them is stored); weeks already stored out of bounds (by an older hub)
// break no view: they are left out, listed, and the other sites' figures are shown, exact.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { hashPassword } from '../../server/auth.js';
import { createCoordinatorStore, siteIdOfBooth } from '../../server/coordinator/index.js';
import { startHub, type RunningHub } from '../../server/hub.js';
import { weekKeyFromLabel } from '../../shared/time.js';
import { capturingLogger } from './support/http.js';
import { request, type Answer } from './support/hubRequest.js';

const NOW = Date.parse('2026-11-25T10:00:00+01:00'); // ISO week 2026-W48
const HUGE = 9_007_199_254_740_991;

let hub: RunningHub;
let cookie = '';
let log = capturingLogger();

interface Count {
  organisation: string;
  service: string;
  count: number;
}
interface DashboardJson {
  weeks: string[];
  sites: { siteName: string; cells: (number | null)[]; total: number }[];
  weekTotals: number[];
  total: number;
  organisations: { organisation: string; counts: Record<string, number>; total: number }[];
  serviceTotals: Record<string, number>;
  excluded?: { siteName: string; week: string }[];
}

const post = (token: string, week: string, counts: Count[], hash: string): Promise<Answer> =>
  request(hub.httpUrl, {
    method: 'POST',
    path: '/coordinator/api/aggregates',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ siteId: 'ignored-by-the-hub', week, counts, hash }),
  });
const get = (path: string): Promise<Answer> => request(hub.httpUrl, { path, headers: { Cookie: cookie } });
/** The three views of the department: the dashboard, its default range (the 12 weeks up to now) and the CSV. */
const views = async (): Promise<{ json: Answer; twelveWeeks: Answer; csv: Answer }> => ({
  json: await get('/coordinator/api/dashboard?from=2026-W47&to=2026-W48'),
  twelveWeeks: await get('/coordinator/api/dashboard'),
  csv: await get('/coordinator/api/dashboard.csv'),
});
const many = (n: number, c: Count): Count[] => Array.from({ length: n }, () => c);

/** What the hub before the bounds did with a week (server/aggregates/store.ts before issue 13): no bound at all. */
function storeAsOlderHub(db: Database.Database, siteId: string, siteName: string, week: string, counts: Count[]): void {
  const weekKey = weekKeyFromLabel(week);
  db.transaction(() => {
    db.prepare('INSERT INTO aggregate_sites (site_id, site_name, last_received_at) VALUES (?, ?, ?) ON CONFLICT (site_id) DO NOTHING').run(siteId, siteName, NOW);
    let total = 0;
    for (const c of counts) {
      db.prepare(
        `INSERT INTO aggregate_counts (site_id, week_key, organisation, service, count) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (site_id, week_key, organisation, service) DO UPDATE SET count = count + excluded.count`,
      ).run(siteId, weekKey, c.organisation, c.service, c.count);
      db.prepare(
        `INSERT INTO aggregate_department_weeks (week_key, organisation, service, count) VALUES (?, ?, ?, ?)
         ON CONFLICT (week_key, organisation, service) DO UPDATE SET count = count + excluded.count`,
      ).run(weekKey, c.organisation, c.service, c.count);
      total += c.count;
    }
    db.prepare('INSERT INTO aggregate_weeks (site_id, week_key, hash, total, received_at) VALUES (?, ?, ?, ?, ?)').run(siteId, weekKey, `old-${week}`, total, NOW);
  })();
}

// A hub of its own for each test, so each can be run (and fail) alone.
beforeEach(async () => {
  log = capturingLogger();
  hub = await startHub({ host: '127.0.0.1', port: 0, dbFile: ':memory:', clock: () => NOW, logger: log.logger });
  createCoordinatorStore(hub.store.db).add('coord.lot', await hashPassword('mot-de-passe-lot'), NOW);
  const signedIn = await request(hub.httpUrl, {
    method: 'POST',
    path: '/coordinator/api/login',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: 'coord.lot', password: 'mot-de-passe-lot' }),
  });
  cookie = String(signedIn.headers['set-cookie']).split(';')[0]!;
});
afterEach(async () => {
  await hub.close();
});

describe('absurd weekly counts from one booth', () => {
  it('are refused to that booth with a clear error, and every view of the department still answers, with the others’ counts', async () => {
    const gramat = hub.store.addBooth('Relais de Gramat', NOW).token;
    const rogueBooth = hub.store.addBooth('Relais piraté', NOW);
    const rogue = rogueBooth.token;
    expect((await post(gramat, '2026-W47', [{ organisation: 'CAF', service: 'visio', count: 7 }], 'gramat-w47')).status).toBe(200);
    expect((await post(gramat, '2026-W48', [{ organisation: 'CPAM', service: 'info', count: 4 }], 'gramat-w48')).status).toBe(200);

    const attacks = [
      await post(rogue, '2026-W47', many(1_000, { organisation: 'CAF', service: 'visio', count: HUGE }), 'rogue-w47'),
      await post(rogue, '2026-W48', many(1_000, { organisation: 'CAF', service: 'visio', count: HUGE }), 'rogue-w48'),
      await post(rogue, '2026-W46', [{ organisation: 'CAF', service: 'info', count: HUGE }], 'rogue-w46'),
      // Each count within the bound, their sum not: the week's total is bounded too.
      await post(rogue, '2026-W45', many(1_000, { organisation: 'CAF', service: 'info', count: 9_000 }), 'rogue-w45'),
    ];
    const v = await views();
    console.log(
      `counts of ${HUGE} from one booth: answered ${attacks.map((a) => a.status).join(', ')}; ` +
        `then dashboard ${v.json.status}, 12-week view ${v.twelveWeeks.status}, CSV ${v.csv.status}`,
    );
    for (const a of attacks) {
      expect(a.status).toBe(400);
      expect(JSON.parse(a.body)).toMatchObject({ error: 'COUNTS_OUT_OF_BOUNDS', message: expect.stringMatching(/dépasse la borne du hub/), limits: { maxCount: 10_000, maxWeekTotal: 20_000 } });
    }
    expect(hub.store.db.prepare('SELECT COUNT(*) FROM aggregate_weeks WHERE site_id = ?').pluck().get(siteIdOfBooth(rogueBooth.id))).toBe(0);
    expect([v.json.status, v.twelveWeeks.status, v.csv.status]).toEqual([200, 200, 200]);
    const d = JSON.parse(v.json.body) as DashboardJson;
    expect(d.total).toBe(11);
    expect(d.serviceTotals).toMatchObject({ visio: 7, info: 4 });
    expect(v.csv.body).toContain('Relais de Gramat;');
    expect(log.lines.filter((l) => l.code === 'AGGREGATES_REFUSED')).toHaveLength(4);
    expect(log.errors()).toEqual([]);
  });
});

describe('weeks stored out of bounds by an older hub', () => {
  it('are left out of the dashboard, the 12-week view and the CSV, which show what is valid', async () => {
    const aubusson = hub.store.addBooth('Relais d’Aubusson', NOW);
    const old = hub.store.addBooth('Relais ancien', NOW);
    expect((await post(aubusson.token, '2026-W47', [{ organisation: 'CAF', service: 'visio', count: 5 }], 'aubusson-w47')).status).toBe(200);
    expect((await post(aubusson.token, '2026-W48', [{ organisation: 'CPAM', service: 'info', count: 4 }], 'aubusson-w48')).status).toBe(200);
    // What the older hub let that booth store: 1,000 × 2^53 − 1 in two weeks (each fits SQLite's integers; their sum does not).
    storeAsOlderHub(hub.store.db, siteIdOfBooth(old.id), 'Relais ancien', '2026-W47', many(1_000, { organisation: 'CAF', service: 'visio', count: HUGE }));
    storeAsOlderHub(hub.store.db, siteIdOfBooth(old.id), 'Relais ancien', '2026-W48', many(1_000, { organisation: 'CAF', service: 'visio', count: HUGE }));

    const v = await views();
    console.log(`weeks out of bounds already in the database: dashboard ${v.json.status}, 12-week view ${v.twelveWeeks.status}, CSV ${v.csv.status}`);
    expect([v.json.status, v.twelveWeeks.status, v.csv.status]).toEqual([200, 200, 200]);
    const d = JSON.parse(v.json.body) as DashboardJson;
    expect(d.sites.find((s) => s.siteName === 'Relais ancien')?.cells).toEqual([null, null]);
    expect(d.sites.find((s) => s.siteName === 'Relais d’Aubusson')?.cells).toEqual([5, 4]);
    // The department's totals leave the old booth's weeks out.
    expect(d.weekTotals).toEqual([5, 4]);
    expect(d.total).toBe(9);
    expect(d.serviceTotals).toMatchObject({ visio: 5, info: 4 });
    expect(d.organisations.map((o) => [o.organisation, o.total])).toEqual([
      ['CAF', 5],
      ['CPAM', 4],
    ]);
    expect(d.excluded).toEqual([
      { siteId: siteIdOfBooth(old.id), siteName: 'Relais ancien', week: '2026-W47' },
      { siteId: siteIdOfBooth(old.id), siteName: 'Relais ancien', week: '2026-W48' },
    ]);
    expect(v.csv.body).toContain('Semaines écartées');
    const twelve = JSON.parse(v.twelveWeeks.body) as DashboardJson;
    expect(twelve.total).toBe(9);

    // The booth resends the week with its real counts, and another booth corrects the same week: both are taken, and
    // the department's totals are exact again.
    expect((await post(old.token, '2026-W47', [{ organisation: 'CAF', service: 'visio', count: 3 }], 'old-w47-fixed')).status).toBe(200);
    expect((await post(aubusson.token, '2026-W47', [{ organisation: 'CAF', service: 'visio', count: 6 }], 'aubusson-w47-fixed')).status).toBe(200);
    const after = JSON.parse((await get('/coordinator/api/dashboard?from=2026-W47&to=2026-W48')).body) as DashboardJson;
    expect(after.weekTotals).toEqual([9, 4]);
    expect(after.serviceTotals).toMatchObject({ visio: 9, info: 4 });
    expect(after.excluded).toEqual([{ siteId: siteIdOfBooth(old.id), siteName: 'Relais ancien', week: '2026-W48' }]);
    const department = hub.store.db.prepare("SELECT count FROM aggregate_department_weeks WHERE week_key = 202647 AND organisation = 'CAF' AND service = 'visio'").pluck().get();
    expect(department).toBe(9);
    expect(log.errors()).toEqual([]);
  });
});
