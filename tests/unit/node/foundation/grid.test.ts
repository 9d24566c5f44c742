import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../../electron/services/db/index.js';
import { gridCsv, parseIsoWeek, weeklyGrid, WEEKLY_GRID_SQL } from '../../../../electron/services/foundation/grid.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import { createVisits } from '../../../../electron/services/foundation/visits.js';
import type { Organisation } from '../../../../shared/contract/index.js';
import type { ServiceType } from '../../../../shared/domain.js';
import { fakeClock, paris } from '../services/support.js';

const org = (code: string, name: string, position: number, active = true): Organisation => ({
  code,
  name,
  position,
  openingHours: [],
  correspondent: '',
  active,
});
const ORGS = [org('CPAM', 'Assurance Maladie (CPAM)', 2), org('CAF', "Caisse d'allocations familiales", 1), org('ML', 'Mission Locale', 3)];
const BY = { mediatorId: 1, source: 'mediator' as const };

describe('weekly counting grid', () => {
  let db: Db;
  afterEach(() => db?.close());
  const make = () => {
    db = openDatabase(':memory:');
    const insert = db.prepare('INSERT INTO organisations (code, name, position, active) VALUES (?, ?, ?, 1)');
    for (const o of [...ORGS, org('GONE', 'Partenaire retiré', 9), org('MSA', 'MSA; "agricole"', 4)]) insert.run(o.code, o.name, o.position);
    const visits = createVisits({ db, clock: fakeClock(paris(2027, 1, 10, 12, 0)), logger: silentLogger() });
    const add = (organisation: string, service: ServiceType, startedAt: number, n = 1) => {
      for (let i = 0; i < n; i++) visits.record({ organisation, service, startedAt }, BY);
    };
    return { add };
  };

  it('counts visits per organisation and service with row and column totals, organisations in position order', () => {
    const { add } = make();
    add('CAF', 'info', paris(2026, 2, 2, 9, 0), 3);
    add('CAF', 'visio', paris(2026, 2, 8, 23, 30), 2); // Sunday night: same week
    add('CPAM', 'teleservice', paris(2026, 2, 4, 10, 0));
    add('CAF', 'info', paris(2026, 2, 9, 0, 10)); // next Monday: not counted
    const grid = weeklyGrid(db, 202606, ORGS, 'Relais de Figeac');
    expect(grid).toMatchObject({ week: '2026-W06', from: '2026-02-02', to: '2026-02-08', siteName: 'Relais de Figeac', total: 6 });
    expect(grid.services).toEqual(['info', 'documents', 'visio', 'teleservice', 'internet']);
    expect(grid.rows.map((r) => [r.organisation, r.total])).toEqual([
      ['CAF', 5],
      ['CPAM', 1],
      ['ML', 0],
    ]);
    expect(grid.rows[0]?.counts).toEqual({ info: 3, documents: 0, visio: 2, teleservice: 0, internet: 0 });
    expect(grid.columnTotals).toEqual({ info: 3, documents: 0, visio: 2, teleservice: 1, internet: 0 });
  });

  it('keeps a row for an organisation with visits that week although removed from or deactivated in the settings', () => {
    const { add } = make();
    add('GONE', 'documents', paris(2026, 2, 3, 11, 0), 2);
    const withInactive = [...ORGS, org('OFF', 'Inactif sans passage', 5, false)];
    const grid = weeklyGrid(db, 202606, withInactive, 'S');
    expect(grid.rows.map((r) => r.organisation)).toEqual(['CAF', 'CPAM', 'ML', 'GONE']);
    expect(grid.rows.at(-1)).toMatchObject({ name: 'GONE', total: 2 });
    expect(grid.total).toBe(2);
  });

  it('builds the grid of week 53 across New Year: 2026-12-28 to 2027-01-03', () => {
    const { add } = make();
    add('CAF', 'info', paris(2026, 12, 31, 23, 30));
    add('CAF', 'info', paris(2027, 1, 1, 0, 30));
    add('CAF', 'info', paris(2027, 1, 3, 23, 59));
    add('CAF', 'info', paris(2026, 12, 27, 23, 59)); // W52
    add('CAF', 'info', paris(2027, 1, 4, 0, 0)); // 2027-W01
    const grid = weeklyGrid(db, 202653, ORGS, 'S');
    expect(grid).toMatchObject({ week: '2026-W53', from: '2026-12-28', to: '2027-01-03', total: 3 });
    expect(weeklyGrid(db, 202701, ORGS, 'S').total).toBe(1);
    expect(weeklyGrid(db, 202652, ORGS, 'S').total).toBe(1);
  });

  it('counts Sunday 23:30 Paris in its own week on both DST change days', () => {
    const { add } = make();
    add('CAF', 'info', paris(2026, 3, 29, 23, 30));
    add('CAF', 'info', Date.parse('2026-03-29T22:30:00Z')); // Monday 00:30 Paris
    add('CAF', 'info', paris(2026, 10, 25, 23, 30));
    add('CAF', 'info', Date.parse('2026-10-25T23:30:00Z')); // Monday 00:30 Paris
    expect([202613, 202614, 202643, 202644].map((w) => weeklyGrid(db, w, ORGS, 'S').total)).toEqual([1, 1, 1, 1]);
  });

  it('reads the week from the covering index visits_by_week, without scanning the table', () => {
    make();
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${WEEKLY_GRID_SQL}`).all(202606) as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan).toContain('USING COVERING INDEX visits_by_week');
    expect(plan).not.toMatch(/SCAN visits(?! USING)/);
    expect(plan).not.toContain('TEMP B-TREE');
  });

  it('exports CSV with BOM, semicolons, CRLF, French headers, a Total line and quoted fields', () => {
    const { add } = make();
    add('CAF', 'info', paris(2026, 1, 27, 10, 0), 2);
    add('MSA', 'internet', paris(2026, 1, 28, 10, 0));
    const grid = weeklyGrid(db, 202605, [...ORGS, org('MSA', 'MSA; "agricole"', 4)], 'S');
    const { filename, content } = gridCsv(grid);
    expect(filename).toBe('grille-comptage-2026-W05.csv');
    expect(content.startsWith('\uFEFF')).toBe(true);
    const lines = content.slice(1).split('\r\n');
    expect(lines).toEqual([
      'Organisme;Information / orientation;Fourniture de documents;Visio-accueil;Aide aux téléservices;Consultation Internet;Total',
      "Caisse d'allocations familiales;2;0;0;0;0;2",
      'Assurance Maladie (CPAM);0;0;0;0;0;0',
      'Mission Locale;0;0;0;0;0;0',
      '"MSA; ""agricole""";0;0;0;0;1;1',
      'Total;2;0;0;0;1;3',
      '',
    ]);
    expect(content.replaceAll('\r\n', '')).not.toContain('\n');
  });

  it('accepts week 53 only in years that have one', () => {
    expect(parseIsoWeek('2026-W53')).toBe(202653);
    expect(() => parseIsoWeek('2027-W53')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
