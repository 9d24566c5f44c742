import { describe, expect, it } from 'vitest';
import { dailyCounts, weekCounts } from '../../../../electron/services/evaluation/counts.js';
import { monthReport } from '../../../../electron/services/evaluation/reports.js';
import { purge } from '../../../../electron/services/evaluation/retention.js';
import { createAggregateSync } from '../../../../electron/services/evaluation/sync.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import { weekKeyOf } from '../../../../shared/time.js';
import { insertVisit, insertVisits, openTestDb, paris } from './helpers.js';
import { createIncidentLog } from '../../../../electron/services/evaluation/incidents.js';

const count = (db: ReturnType<typeof openTestDb>, sql: string): number => (db.prepare(sql).get() as { n: number }).n;

/** Visits in March 2024 (purged on 2026-03-15 with 24 months) and in March 2026 (kept). */
function seeded() {
  const db = openTestDb();
  insertVisits(db, 3, { organisation: 'CAF', service: 'visio', startedAt: paris(2024, 3, 4) });
  insertVisits(db, 2, { organisation: 'CPAM', service: 'info', startedAt: paris(2024, 3, 14, 16) });
  const boundary = insertVisit(db, { organisation: 'FT', service: 'info', startedAt: paris(2024, 3, 15, 0, 10) });
  insertVisits(db, 4, { organisation: 'CAF', service: 'info', startedAt: paris(2026, 3, 2) });
  db.prepare("INSERT INTO visit_audit (visit_id, action, mediator_id, at, before_json, after_json) VALUES (1, 'update', 1, ?, '{\"commune\":\"X\"}', '{}')").run(paris(2024, 3, 4, 11));
  db.prepare("INSERT INTO visit_audit (visit_id, action, mediator_id, at, before_json, after_json) VALUES (?, 'create', 1, ?, NULL, '{}')").run(boundary, paris(2024, 3, 15, 0, 10));
  return db;
}

describe('retention', () => {
  it('deletes visits and their audit rows older than 24 months, keeping the cutoff day onwards', () => {
    const db = seeded();
    const r = purge(db, paris(2026, 3, 15, 12));
    expect(r).toMatchObject({ keptFrom: '2024-03-15', visitsDeleted: 5, auditRowsDeleted: 1 });
    expect(count(db, 'SELECT COUNT(*) AS n FROM visits')).toBe(5);
    expect(count(db, 'SELECT COUNT(*) AS n FROM visits WHERE day_key < 20240315')).toBe(0);
    expect(count(db, 'SELECT COUNT(*) AS n FROM visit_audit')).toBe(1);
  });

  it('keeps the counts of purged weeks: week counts, month report and hub payload are unchanged', () => {
    const db = seeded();
    const week = weekKeyOf(paris(2024, 3, 4));
    const sync = createAggregateSync({ db, clock: () => 0, logger: silentLogger(), incidents: createIncidentLog({ db, clock: () => 0, logger: silentLogger() }), siteId: 'site-test-0001', send: async () => 'ok' });
    const beforeWeek = weekCounts(db, week);
    const beforeReport = monthReport(db, '2024-03', []);
    const beforePayload = sync.payloadFor(week);
    purge(db, paris(2026, 3, 15, 12));
    expect(weekCounts(db, week)).toEqual(beforeWeek);
    expect(beforeWeek).toEqual([{ organisation: 'CAF', service: 'visio', count: 3 }]);
    const afterReport = monthReport(db, '2024-03', []);
    expect(afterReport.rows).toEqual(beforeReport.rows);
    expect(afterReport.weeks).toEqual(beforeReport.weeks);
    expect(afterReport.total).toBe(6);
    expect(sync.payloadFor(week)).toEqual(beforePayload);
  });

  it('is idempotent: a second purge changes nothing and does not double the counts', () => {
    const db = seeded();
    purge(db, paris(2026, 3, 15, 12));
    const again = purge(db, paris(2026, 3, 15, 13));
    expect(again).toMatchObject({ visitsDeleted: 0, auditRowsDeleted: 0, aggregateRows: 0 });
    expect(dailyCounts(db, 20240301, 20240331).reduce((s, c) => s + c.count, 0)).toBe(6);
  });

  it('follows the retention setting in months', () => {
    const db = seeded();
    expect(purge(db, paris(2026, 3, 15, 12), 6).visitsDeleted).toBe(6);
    expect(count(db, 'SELECT COUNT(*) AS n FROM visits')).toBe(4);
    expect(() => purge(db, 0, 0)).toThrow(RangeError);
  });

  it('rolls back entirely when it fails midway', () => {
    const db = seeded();
    db.exec("CREATE TRIGGER fail_purge BEFORE DELETE ON visits BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    expect(() => purge(db, paris(2026, 3, 15, 12))).toThrow(/disk full/);
    expect(count(db, 'SELECT COUNT(*) AS n FROM daily_aggregates')).toBe(0);
    expect(count(db, 'SELECT COUNT(*) AS n FROM visit_audit')).toBe(2);
    expect(count(db, 'SELECT COUNT(*) AS n FROM visits')).toBe(10);
  });
});
