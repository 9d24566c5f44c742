import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../../electron/services/db/index.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import { createVisits } from '../../../../electron/services/foundation/visits.js';
import { fakeClock, paris } from '../services/support.js';

const MEDIATOR = { mediatorId: 1, source: 'mediator' as const };

describe('visitor log', () => {
  let db: Db;
  afterEach(() => db?.close());
  const make = (start = paris(2026, 2, 4, 10, 0)) => {
    db = openDatabase(':memory:');
    const insert = db.prepare('INSERT INTO organisations (code, name, position, active) VALUES (?, ?, ?, ?)');
    insert.run('CAF', "Caisse d'allocations familiales", 1, 1);
    insert.run('CPAM', 'Assurance Maladie (CPAM)', 2, 1);
    insert.run('OLD', 'Ancien partenaire', 3, 0);
    const clock = fakeClock(start);
    return { clock, visits: createVisits({ db, clock, logger: silentLogger() }) };
  };
  const keys = (id: number) => db.prepare('SELECT day_key, week_key FROM visits WHERE id = ?').get(id);

  it('records a visit at now by default, with its Paris day and ISO week keys, and a create audit row', () => {
    const { visits, clock } = make();
    const v = visits.record({ organisation: 'CAF', service: 'info' }, MEDIATOR);
    expect(v).toEqual({
      id: 1,
      organisation: 'CAF',
      service: 'info',
      startedAt: clock(),
      endedAt: clock(),
      mediatorId: 1,
      profile: { ageBand: null, commune: null, firstVisit: null },
      source: 'mediator',
    });
    expect(keys(1)).toEqual({ day_key: 20260204, week_key: 202606 });
    expect(visits.audit(1)).toEqual([{ id: 1, visitId: 1, action: 'create', mediatorId: 1, at: clock(), before: null, after: v }]);
  });

  it('keeps the anonymous profile as given', () => {
    const { visits } = make();
    const v = visits.record({ organisation: 'CPAM', service: 'teleservice', profile: { ageBand: '60plus', commune: ' Figeac ', firstVisit: true } }, MEDIATOR);
    expect(visits.get(v.id)?.profile).toEqual({ ageBand: '60plus', commune: 'Figeac', firstVisit: true });
  });

  it('refuses an unknown or inactive organisation and writes nothing', () => {
    const { visits } = make();
    expect(() => visits.record({ organisation: 'NOPE', service: 'info' }, MEDIATOR)).toThrow(expect.objectContaining({ code: 'UNKNOWN_ORGANISATION' }));
    expect(() => visits.record({ organisation: 'OLD', service: 'info' }, MEDIATOR)).toThrow(expect.objectContaining({ code: 'UNKNOWN_ORGANISATION' }));
    expect(db.prepare('SELECT (SELECT COUNT(*) FROM visits) + (SELECT COUNT(*) FROM visit_audit) AS n').get()).toEqual({ n: 0 });
  });

  it('stores visits around New Year in the right day and in ISO week 2026-W53', () => {
    const { visits } = make(paris(2027, 1, 4, 9, 0));
    const eve = visits.record({ organisation: 'CAF', service: 'info', startedAt: paris(2026, 12, 31, 23, 30) }, MEDIATOR);
    const newYear = visits.record({ organisation: 'CAF', service: 'info', startedAt: paris(2027, 1, 1, 0, 30) }, MEDIATOR);
    const monday = visits.record({ organisation: 'CAF', service: 'info', startedAt: paris(2026, 12, 28, 0, 0) }, MEDIATOR);
    const sunday = visits.record({ organisation: 'CAF', service: 'info', startedAt: paris(2027, 1, 3, 23, 59) }, MEDIATOR);
    const nextMonday = visits.record({ organisation: 'CAF', service: 'info', startedAt: paris(2027, 1, 4, 0, 0) }, MEDIATOR);
    expect(keys(eve.id)).toEqual({ day_key: 20261231, week_key: 202653 });
    expect(keys(newYear.id)).toEqual({ day_key: 20270101, week_key: 202653 });
    expect(keys(monday.id)).toEqual({ day_key: 20261228, week_key: 202653 });
    expect(keys(sunday.id)).toEqual({ day_key: 20270103, week_key: 202653 });
    expect(keys(nextMonday.id)).toEqual({ day_key: 20270104, week_key: 202701 });
  });

  it('stores Sunday-night and Monday-early visits in their Paris ISO weeks across both DST changes', () => {
    const { visits } = make();
    const at = (startedAt: number) => keys(visits.record({ organisation: 'CAF', service: 'info', startedAt }, MEDIATOR).id);
    // Spring: Sunday 2026-03-29 00:30 (UTC Saturday) and 23:30 are W13; Monday 00:30 Paris is 2026-03-29T22:30Z, still Sunday in UTC, yet W14.
    expect(at(paris(2026, 3, 29, 0, 30))).toEqual({ day_key: 20260329, week_key: 202613 });
    expect(at(paris(2026, 3, 29, 23, 30))).toEqual({ day_key: 20260329, week_key: 202613 });
    expect(at(Date.parse('2026-03-29T22:30:00Z'))).toEqual({ day_key: 20260330, week_key: 202614 });
    // Autumn: Sunday 2026-10-25 00:30 (CEST) and 23:30 (CET) are W43; 2026-10-25T23:30Z is Monday 00:30 Paris, W44.
    expect(at(paris(2026, 10, 25, 0, 30))).toEqual({ day_key: 20261025, week_key: 202643 });
    expect(at(paris(2026, 10, 25, 23, 30))).toEqual({ day_key: 20261025, week_key: 202643 });
    expect(at(Date.parse('2026-10-25T23:30:00Z'))).toEqual({ day_key: 20261026, week_key: 202644 });
    // And a UTC Sunday 22:59Z in winter is still Sunday 23:59 in Paris.
    expect(at(Date.parse('2026-10-25T22:59:00Z'))).toEqual({ day_key: 20261025, week_key: 202643 });
  });

  it('corrects a visit of today and audits who changed what, before and after', () => {
    const { visits, clock } = make();
    const v = visits.record({ organisation: 'CAF', service: 'info' }, MEDIATOR);
    clock.advance(60_000);
    const after = visits.update(v.id, { organisation: 'CPAM', service: 'visio', profile: { ageBand: 'under25', commune: null, firstVisit: false } }, 2);
    expect(after).toMatchObject({ id: v.id, organisation: 'CPAM', service: 'visio', profile: { ageBand: 'under25', firstVisit: false }, mediatorId: 1 });
    const trail = visits.audit(v.id);
    expect(trail.map((a) => a.action)).toEqual(['create', 'update']);
    expect(trail[1]).toMatchObject({ mediatorId: 2, at: clock(), before: v, after });
  });

  it('deletes a visit of today and keeps what it was in the audit', () => {
    const { visits } = make();
    const v = visits.record({ organisation: 'CAF', service: 'documents' }, MEDIATOR);
    visits.remove(v.id, 1);
    expect(visits.get(v.id)).toBeNull();
    expect(visits.listDay()).toEqual([]);
    expect(visits.audit(v.id).at(-1)).toMatchObject({ action: 'delete', mediatorId: 1, before: v, after: null });
  });

  it('refuses to correct or delete a visit of another day (NOT_TODAY) and leaves it unchanged', () => {
    const { visits, clock } = make(paris(2026, 2, 4, 23, 50));
    const v = visits.record({ organisation: 'CAF', service: 'info' }, MEDIATOR);
    clock.set(paris(2026, 2, 5, 0, 5)); // 15 minutes later, but the next Paris day
    expect(() => visits.update(v.id, { service: 'visio' }, 1)).toThrow(expect.objectContaining({ code: 'NOT_TODAY' }));
    expect(() => visits.remove(v.id, 1)).toThrow(expect.objectContaining({ code: 'NOT_TODAY' }));
    expect(visits.get(v.id)).toEqual(v);
    expect(visits.audit(v.id)).toHaveLength(1);
  });

  it('refuses to move a visit of today to another day', () => {
    const { visits } = make();
    const v = visits.record({ organisation: 'CAF', service: 'info' }, MEDIATOR);
    expect(() => visits.update(v.id, { startedAt: paris(2026, 2, 3, 10, 0) }, 1)).toThrow(expect.objectContaining({ code: 'NOT_TODAY' }));
  });

  it('reports NOT_FOUND for a missing visit, and UNKNOWN_ORGANISATION when a correction names one', () => {
    const { visits } = make();
    expect(() => visits.update(42, { service: 'info' }, 1)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => visits.remove(42, 1)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    const v = visits.record({ organisation: 'CAF', service: 'info' }, MEDIATOR);
    expect(() => visits.update(v.id, { organisation: 'OLD' }, 1)).toThrow(expect.objectContaining({ code: 'UNKNOWN_ORGANISATION' }));
  });

  it('updates the stored day and week keys when a correction changes the start time', () => {
    const { visits } = make(paris(2026, 3, 29, 23, 50));
    const v = visits.record({ organisation: 'CAF', service: 'info', startedAt: paris(2026, 3, 29, 23, 40) }, MEDIATOR);
    visits.update(v.id, { startedAt: paris(2026, 3, 29, 0, 30), endedAt: paris(2026, 3, 29, 1, 0) }, 1);
    expect(keys(v.id)).toEqual({ day_key: 20260329, week_key: 202613 });
  });

  it('refuses an end before the start', () => {
    const { visits } = make();
    expect(() => visits.record({ organisation: 'CAF', service: 'info', startedAt: 2_000, endedAt: 1_000 }, MEDIATOR)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });

  it('lists the visits of a Paris day in start order', () => {
    const { visits } = make(paris(2026, 2, 4, 18, 0));
    visits.record({ organisation: 'CAF', service: 'info', startedAt: paris(2026, 2, 4, 15, 0) }, MEDIATOR);
    visits.record({ organisation: 'CAF', service: 'info', startedAt: paris(2026, 2, 4, 9, 0) }, MEDIATOR);
    visits.record({ organisation: 'CAF', service: 'info', startedAt: paris(2026, 2, 3, 23, 59) }, MEDIATOR);
    visits.record({ organisation: 'CAF', service: 'info', startedAt: paris(2026, 2, 5, 0, 0) }, MEDIATOR);
    expect(visits.listDay().map((v) => v.startedAt)).toEqual([paris(2026, 2, 4, 9, 0), paris(2026, 2, 4, 15, 0)]);
    expect(visits.listDay('2026-02-03')).toHaveLength(1);
  });
});
