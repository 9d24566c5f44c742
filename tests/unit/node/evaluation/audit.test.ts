import { describe, expect, it } from 'vitest';
import { AUDIT_ITEM_CODES, AUDIT_ITEM_LABELS, createAuditLog, type AuditItem } from '../../../../electron/services/evaluation/audit.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import { fakeClock, openTestDb, paris } from './helpers.js';

const allOk = (): AuditItem[] => AUDIT_ITEM_CODES.map((item) => ({ item, ok: true, comment: '' }));

function setup(start = paris(2026, 3, 2)) {
  const db = openTestDb();
  const clock = fakeClock(start);
  return { db, clock, audit: createAuditLog({ db, clock: clock.now, logger: silentLogger() }) };
}

describe('monthly audit checklist', () => {
  it('has the five items of DOMAIN.md with French and English labels', () => {
    expect(AUDIT_ITEM_CODES).toHaveLength(5);
    expect(AUDIT_ITEM_CODES.map((c) => AUDIT_ITEM_LABELS[c].fr)).toEqual([
      'Mobilier',
      'Propreté',
      'Information affichée',
      'Confidentialité du local',
      'Équipement en état de marche',
    ]);
    for (const c of AUDIT_ITEM_CODES) expect(AUDIT_ITEM_LABELS[c].en.length).toBeGreaterThan(0);
  });

  it("is due while this month's audit is not done, and due again next month", () => {
    const { clock, audit } = setup(paris(2026, 3, 2));
    expect(audit.isDue()).toBe(true);
    audit.record('2026-03', allOk(), 1);
    expect(audit.isDue()).toBe(false);
    clock.set(paris(2026, 3, 31, 23, 30));
    expect(audit.isDue()).toBe(false);
    clock.set(paris(2026, 4, 1, 0, 5));
    expect(audit.isDue()).toBe(true);
  });

  it('records each item as OK or not OK with its comment, in the order of the checklist', () => {
    const { audit } = setup();
    const items = allOk().reverse();
    items[0] = { item: 'equipment_working', ok: false, comment: 'Webcam HS, signalée' };
    const rec = audit.record('2026-03', items, 2);
    expect(rec.items.map((i) => i.item)).toEqual([...AUDIT_ITEM_CODES]);
    expect(rec.items.find((i) => i.item === 'equipment_working')).toEqual({ item: 'equipment_working', ok: false, comment: 'Webcam HS, signalée' });
    expect(rec.mediatorId).toBe(2);
  });

  it('refuses an audit with a missing or repeated item, or a malformed month', () => {
    const { audit } = setup();
    expect(() => audit.record('2026-03', allOk().slice(1), 1)).toThrow(/manquants/);
    expect(() => audit.record('2026-03', [...allOk(), { item: 'furniture', ok: true, comment: '' }], 1)).toThrow();
    expect(() => audit.record('2026-13', allOk(), 1)).toThrow(/Mois invalide/);
  });

  it('keeps the history, latest month first', () => {
    const { clock, audit } = setup(paris(2026, 1, 5));
    audit.record('2026-01', allOk(), 1);
    clock.set(paris(2026, 2, 5));
    audit.record('2026-02', allOk(), 1);
    clock.set(paris(2026, 2, 6));
    audit.record('2026-02', allOk(), 2);
    const h = audit.history();
    expect(h.map((a) => [a.month, a.mediatorId])).toEqual([
      ['2026-02', 2],
      ['2026-02', 1],
      ['2026-01', 1],
    ]);
  });
});
