import { describe, expect, it } from 'vitest';
import { INCIDENT_CATEGORIES, INCIDENT_CATEGORY_LABELS, KIOSK_FAULTS, createIncidentLog } from '../../../../electron/services/evaluation/incidents.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import { fakeClock, openTestDb, paris } from './helpers.js';

function setup() {
  const db = openTestDb();
  const clock = fakeClock(paris(2026, 3, 10));
  return { db, clock, log: createIncidentLog({ db, clock: clock.now, logger: silentLogger() }) };
}

describe('incident log', () => {
  it('labels every category and kiosk fault in French and English', () => {
    for (const c of INCIDENT_CATEGORIES) expect(INCIDENT_CATEGORY_LABELS[c].fr && INCIDENT_CATEGORY_LABELS[c].en).toBeTruthy();
    for (const f of Object.values(KIOSK_FAULTS)) expect(INCIDENT_CATEGORIES).toContain(f.category);
  });

  it('opens an incident with its category, organisation and what happened, then resolves it with what was done', () => {
    const { clock, log } = setup();
    const opened = log.open({ category: 'organisation_unreachable', organisation: 'CPAM', what: "Pas d'agent en ligne à 10 h" });
    expect(opened).toMatchObject({ status: 'open', organisation: 'CPAM', action: '', resolvedAt: null, faultKey: null, occurrences: 1 });
    clock.advance(3_600_000);
    const resolved = log.resolve(opened.id, 'Rappel du correspondant, rendez-vous pris');
    expect(resolved).toMatchObject({ status: 'resolved', action: 'Rappel du correspondant, rendez-vous pris', resolvedAt: paris(2026, 3, 10, 11) });
  });

  it('updates only the action when an already resolved incident is resolved again', () => {
    const { clock, log } = setup();
    const i = log.open({ category: 'other', organisation: null, what: 'Porte bloquée' });
    const first = log.resolve(i.id, 'Serrurier');
    clock.advance(60_000);
    const again = log.resolve(i.id, 'Serrurier, serrure changée');
    expect(again.resolvedAt).toBe(first.resolvedAt);
    expect(again.action).toBe('Serrurier, serrure changée');
  });

  it('refuses an unknown incident and an incident without description', () => {
    const { log } = setup();
    expect(() => log.resolve(999, 'x')).toThrow(/introuvable/);
    expect(() => log.open({ category: 'other', organisation: null, what: '  ' })).toThrow(/invalide/);
    expect(() => log.open({ category: 'fire' as never, organisation: null, what: 'x' })).toThrow();
  });

  it('lists by status, newest first', () => {
    const { clock, log } = setup();
    const a = log.open({ category: 'equipment', organisation: null, what: 'Écran' });
    clock.advance(1000);
    const b = log.open({ category: 'connection', organisation: null, what: 'Box' });
    log.resolve(a.id, 'Redémarré');
    expect(log.list().map((i) => i.id)).toEqual([b.id, a.id]);
    expect(log.list({ status: 'open' }).map((i) => i.id)).toEqual([b.id]);
    expect(log.list({ status: 'resolved' }).map((i) => i.id)).toEqual([a.id]);
  });

  it('opens one incident per kiosk fault and counts further reports instead of duplicating it', () => {
    const { clock, log } = setup();
    const report = { faultKey: 'printer_fault:PDF', category: 'equipment' as const, what: KIOSK_FAULTS.printer_fault.text.fr };
    const first = log.reportFault(report);
    expect(first.opened).toBe(true);
    for (let i = 0; i < 4; i++) {
      clock.advance(30_000);
      expect(log.reportFault(report).opened).toBe(false);
    }
    const open = log.list({ status: 'open' });
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ faultKey: 'printer_fault:PDF', occurrences: 5, lastSeenAt: paris(2026, 3, 10) + 120_000, openedAt: paris(2026, 3, 10) });
    expect(log.reportFault({ faultKey: 'hub_unreachable', category: 'connection', what: 'x' }).opened).toBe(true);
    expect(log.list({ status: 'open' })).toHaveLength(2);
  });

  it('resolves a fault incident by itself when the fault clears, and opens a new one if the fault comes back', () => {
    const { log } = setup();
    const report = { faultKey: 'camera_missing', category: 'equipment' as const, what: KIOSK_FAULTS.camera_missing.text.fr };
    const first = log.reportFault(report).incident;
    const cleared = log.faultCleared('camera_missing');
    expect(cleared).toMatchObject({ id: first.id, status: 'resolved', autoResolved: true });
    expect(cleared?.action).toMatch(/Rétabli/);
    expect(log.faultCleared('camera_missing')).toBeNull();
    const again = log.reportFault(report);
    expect(again.opened).toBe(true);
    expect(again.incident.id).not.toBe(first.id);
  });

  it('keeps the mediator\'s resolution when they resolved a fault incident before it cleared', () => {
    const { log } = setup();
    const i = log.reportFault({ faultKey: 'hub_unreachable', category: 'connection', what: 'x' }).incident;
    log.resolve(i.id, 'Box redémarrée');
    expect(log.faultCleared('hub_unreachable')).toBeNull();
    expect(log.list()[0]).toMatchObject({ action: 'Box redémarrée', autoResolved: false });
  });

  it('refuses a second open incident for the same fault at the database level', () => {
    const { db, log } = setup();
    log.reportFault({ faultKey: 'k', category: 'other', what: 'x' });
    expect(() =>
      db.prepare("INSERT INTO incidents (category, what, status, opened_at, fault_key, last_seen_at) VALUES ('other', 'y', 'open', 0, 'k', 0)").run(),
    ).toThrow(/UNIQUE/);
  });
});
