import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { dashboard, dashboardCsv, migrateAggregates, storeWeek } from '../../../../server/aggregates/index.js';

const SITE_A = 'site-aaaa-0001';
const SITE_B = 'site-bbbb-0002';

const payload = (siteId: string, week: string, counts: [string, string, number][], hash = `rev-${week}-${JSON.stringify(counts)}`) => ({
  siteId,
  week,
  counts: counts.map(([organisation, service, count]) => ({ organisation, service, count })),
  hash,
});

function hub() {
  const db = new Database(':memory:');
  migrateAggregates(db);
  migrateAggregates(db);
  return db;
}

describe('hub aggregate store', () => {
  it('stores a week, then replaces it when the same site sends a new revision', () => {
    const db = hub();
    expect(storeWeek(db, SITE_A, 'Saint-Martin', payload(SITE_A, '2026-W10', [['CAF', 'info', 3]]), 1)).toEqual({ ok: true, value: 'stored' });
    expect(storeWeek(db, SITE_A, 'Saint-Martin', payload(SITE_A, '2026-W10', [['CAF', 'info', 2], ['FT', 'visio', 1]]), 2)).toEqual({ ok: true, value: 'replaced' });
    const d = dashboard(db, { fromWeek: '2026-W10', toWeek: '2026-W10' });
    expect(d.total).toBe(3);
    expect(d.organisations.map((o) => [o.organisation, o.counts.info, o.counts.visio])).toEqual([
      ['CAF', 2, 0],
      ['FT', 0, 1],
    ]);
  });

  it('treats the same revision sent again as a no-op', () => {
    const db = hub();
    const p = payload(SITE_A, '2026-W10', [['CAF', 'info', 3]]);
    storeWeek(db, SITE_A, 'Saint-Martin', p, 1);
    expect(storeWeek(db, SITE_A, 'Saint-Martin', p, 2)).toEqual({ ok: true, value: 'unchanged' });
    expect(dashboard(db, { fromWeek: '2026-W10', toWeek: '2026-W10' }).total).toBe(3);
  });

  it('refuses a payload of another site than the authenticated one, and malformed payloads', () => {
    const db = hub();
    expect(storeWeek(db, SITE_A, 'A', payload(SITE_B, '2026-W10', [['CAF', 'info', 1]]), 1)).toMatchObject({ ok: false, error: { code: 'SITE_MISMATCH' } });
    expect(storeWeek(db, SITE_A, 'A', payload(SITE_A, '2026-W60', [['CAF', 'info', 1]]), 1)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(storeWeek(db, SITE_A, 'A', payload(SITE_A, '2026-W10', [['CAF', 'info', -1]]), 1)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(storeWeek(db, SITE_A, 'A', { ...payload(SITE_A, '2026-W10', []), name: 'Dupont' }, 1)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(dashboard(db, { fromWeek: '2026-W10', toWeek: '2026-W10' }).sites).toEqual([]);
  });

  it('shows the grid per site and week with empty cells for weeks not received, across a year boundary', () => {
    const db = hub();
    storeWeek(db, SITE_A, 'Saint-Martin', payload(SITE_A, '2026-W52', [['CAF', 'info', 4]]), 1);
    storeWeek(db, SITE_A, 'Saint-Martin', payload(SITE_A, '2027-W01', [['CAF', 'visio', 2], ['CPAM', 'info', 1]]), 1);
    storeWeek(db, SITE_B, 'Aubusson', payload(SITE_B, '2027-W01', [['CAF', 'info', 5]]), 1);
    storeWeek(db, SITE_B, 'Aubusson', payload(SITE_B, '2027-W03', [['CAF', 'info', 9]]), 1);
    const d = dashboard(db, { fromWeek: '2026-W52', toWeek: '2027-W02' });
    expect(d.weeks).toEqual(['2026-W52', '2026-W53', '2027-W01', '2027-W02']);
    expect(d.sites.map((s) => [s.siteName, s.cells, s.total])).toEqual([
      ['Aubusson', [null, null, 5, null], 5],
      ['Saint-Martin', [4, null, 3, null], 7],
    ]);
    expect(d.weekTotals).toEqual([4, 0, 8, 0]);
    expect(d.total).toBe(12);
    expect(d.serviceTotals).toMatchObject({ info: 10, visio: 2 });
  });

  it('exports the dashboard as CSV with a BOM, semicolons, a totals row and the totals per organisation', () => {
    const db = hub();
    storeWeek(db, SITE_A, 'Saint-Martin; bourg', payload(SITE_A, '2026-W10', [['CAF', 'info', 4]]), 1);
    storeWeek(db, SITE_B, 'Aubusson', payload(SITE_B, '2026-W11', [['CPAM', 'visio', 2]]), 1);
    const { filename, content } = dashboardCsv(dashboard(db, { fromWeek: '2026-W10', toWeek: '2026-W11' }));
    expect(filename).toBe('tableau-de-bord_2026-W10_2026-W11.csv');
    expect(content.startsWith('\uFEFF')).toBe(true);
    expect(content.slice(1).trimEnd().split('\r\n')).toEqual([
      'Site;2026-W10;2026-W11;Total',
      'Aubusson;;2;2',
      '"Saint-Martin; bourg";4;;4',
      'Total;4;2;6',
      '',
      'Organisme;Information / orientation;Fourniture de documents;Visio-accueil;Aide aux téléservices;Consultation Internet;Total',
      'CAF;4;0;0;0;0;4',
      'CPAM;0;0;2;0;0;2',
      'Total;4;0;2;0;0;6',
    ]);
  });

  it('keeps the department totals equal to the sum of the sites through replacements', () => {
    const db = hub();
    const revisions: [string, [string, string, number][]][] = [
      [SITE_A, [['CAF', 'info', 3], ['FT', 'visio', 2]]],
      [SITE_B, [['CAF', 'info', 1]]],
      [SITE_A, [['CAF', 'info', 1]]],
      [SITE_B, []],
      [SITE_A, [['CPAM', 'documents', 4], ['CAF', 'info', 1]]],
    ];
    for (const [site, counts] of revisions) {
      storeWeek(db, site, site, payload(site, '2026-W10', counts), 1);
      const bySites = db.prepare('SELECT organisation, service, SUM(count) AS count FROM aggregate_counts GROUP BY 1, 2 ORDER BY 1, 2').all();
      const department = db.prepare('SELECT organisation, service, count FROM aggregate_department_weeks ORDER BY 1, 2').all();
      expect(department).toEqual(bySites);
    }
    expect(dashboard(db, { fromWeek: '2026-W10', toWeek: '2026-W10' }).serviceTotals).toMatchObject({ info: 1, documents: 4, visio: 0 });
  });

  it('refuses counts beyond the bounds, per count (duplicates added up) and per week, and stores nothing of them', () => {
    const db = hub();
    const limits = { maxCount: 10, maxWeekTotal: 15 };
    expect(storeWeek(db, SITE_A, 'A', payload(SITE_A, '2026-W10', [['CAF', 'info', 11]]), 1, limits)).toMatchObject({ ok: false, error: { code: 'COUNTS_OUT_OF_BOUNDS' } });
    expect(storeWeek(db, SITE_A, 'A', payload(SITE_A, '2026-W10', [['CAF', 'info', 6], ['CAF', 'info', 5]]), 1, limits)).toMatchObject({
      ok: false,
      error: { code: 'COUNTS_OUT_OF_BOUNDS', message: 'Le comptage CAF / info (11) dépasse la borne du hub : 10 par semaine.' },
    });
    expect(storeWeek(db, SITE_A, 'A', payload(SITE_A, '2026-W10', [['CAF', 'info', 10], ['FT', 'visio', 6]]), 1, limits)).toMatchObject({ ok: false, error: { code: 'COUNTS_OUT_OF_BOUNDS' } });
    expect(storeWeek(db, SITE_A, 'A', payload(SITE_A, '2026-W10', [['CAF', 'info', 9_007_199_254_740_991]]), 1)).toMatchObject({ ok: false, error: { code: 'COUNTS_OUT_OF_BOUNDS' } });
    expect(db.prepare('SELECT COUNT(*) FROM aggregate_counts').pluck().get()).toBe(0);
    expect(storeWeek(db, SITE_A, 'A', payload(SITE_A, '2026-W10', [['CAF', 'info', 10], ['FT', 'visio', 5]]), 1, limits)).toEqual({ ok: true, value: 'stored' });
  });

  it('leaves a week beyond the bounds out of every figure, lists it, and keeps the totals of the others exact', () => {
    const db = hub();
    storeWeek(db, SITE_A, 'Saint-Martin', payload(SITE_A, '2026-W10', [['CAF', 'info', 40]]), 1);
    storeWeek(db, SITE_B, 'Aubusson', payload(SITE_B, '2026-W10', [['CAF', 'info', 3], ['FT', 'visio', 2]]), 1);
    const d = dashboard(db, { fromWeek: '2026-W10', toWeek: '2026-W10' }, { maxCount: 30, maxWeekTotal: 30 });
    expect(d.sites.map((s) => [s.siteName, s.cells])).toEqual([
      ['Aubusson', [5]],
      ['Saint-Martin', [null]],
    ]);
    expect(d.excluded).toEqual([{ siteId: SITE_A, siteName: 'Saint-Martin', week: '2026-W10' }]);
    expect(d.total).toBe(5);
    expect(d.organisations.map((o) => [o.organisation, o.total])).toEqual([
      ['CAF', 3],
      ['FT', 2],
    ]);
    expect(dashboardCsv(d).content).toContain('Semaines écartées (comptages hors bornes);Semaine\r\nSaint-Martin;2026-W10');
    expect(dashboard(db, { fromWeek: '2026-W10', toWeek: '2026-W10' }).total).toBe(45);
  });

  it('refuses a reversed or overlong week range', () => {
    const db = hub();
    expect(() => dashboard(db, { fromWeek: '2026-W10', toWeek: '2026-W01' })).toThrow(RangeError);
    expect(() => dashboard(db, { fromWeek: '2000-W01', toWeek: '2026-W01' })).toThrow(RangeError);
  });

  it('answers the grid from the week index, not a scan of every count', () => {
    const db = hub();
    const plan = (db.prepare('EXPLAIN QUERY PLAN SELECT week_key, site_id, total FROM aggregate_weeks WHERE week_key BETWEEN 1 AND 2').all() as { detail: string }[])
      .map((p) => p.detail)
      .join('\n');
    expect(plan).toMatch(/COVERING INDEX aggregate_weeks_by_week/);
  });
});
