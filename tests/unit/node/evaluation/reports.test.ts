import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AUDIT_ITEM_CODES, createAuditLog } from '../../../../electron/services/evaluation/audit.js';
import { createIncidentLog } from '../../../../electron/services/evaluation/incidents.js';
import { reportPdf } from '../../../../electron/services/evaluation/reportPdf.js';
import { monthReport, visitsCsv } from '../../../../electron/services/evaluation/reports.js';
import { createEvaluationSettings } from '../../../../electron/services/evaluation/settings.js';
import { createSurvey } from '../../../../electron/services/evaluation/survey.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import { fakeClock, insertVisit, insertVisits, openTestDb, paris } from './helpers.js';

const ORGS = [
  { code: 'CAF', name: "Caisse d'allocations familiales" },
  { code: 'CPAM', name: 'Assurance Maladie (CPAM)' },
  { code: 'FT', name: 'France Travail' },
];

/** March 2026: the 1st is a Sunday (week 9), summer time starts on the 29th. */
function seededMarch() {
  const db = openTestDb();
  const clock = fakeClock(paris(2026, 3, 10));
  const logger = silentLogger();
  insertVisit(db, { organisation: 'CAF', service: 'info', startedAt: paris(2026, 2, 28, 11) });
  insertVisit(db, { organisation: 'CAF', service: 'info', startedAt: paris(2026, 3, 1, 11) });
  insertVisits(db, 12, { organisation: 'CAF', service: 'visio', startedAt: paris(2026, 3, 10, 9) });
  insertVisits(db, 7, { organisation: 'CPAM', service: 'teleservice', startedAt: paris(2026, 3, 17, 9) });
  insertVisit(db, { organisation: 'ML', service: 'internet', startedAt: paris(2026, 3, 30, 14) });
  insertVisit(db, { organisation: 'FT', service: 'documents', startedAt: paris(2026, 3, 31, 23, 30) });
  insertVisit(db, { organisation: 'FT', service: 'documents', startedAt: paris(2026, 4, 1, 0, 30) });

  const survey = createSurvey({ db, clock: clock.now, logger, settings: createEvaluationSettings({ db, clock: clock.now }) });
  survey.record({ organisation: 'CAF', service: 'visio', answers: { welcome: 5, answer: 4, picture_sound: 3, recommend: 5 } });
  survey.record({ organisation: 'CAF', service: 'visio', answers: { welcome: 4, answer: 4, picture_sound: 2, recommend: 4 } });

  const audit = createAuditLog({ db, clock: clock.now, logger });
  audit.record('2026-03', AUDIT_ITEM_CODES.map((item) => ({ item, ok: item !== 'cleanliness', comment: item === 'cleanliness' ? 'Sol à nettoyer' : '' })), 1);

  const incidents = createIncidentLog({ db, clock: clock.now, logger });
  incidents.reportFault({ faultKey: 'printer_fault:PDF', category: 'equipment', what: "L'imprimante est en panne ou indisponible." });
  incidents.reportFault({ faultKey: 'printer_fault:PDF', category: 'equipment', what: "L'imprimante est en panne ou indisponible." });
  const i = incidents.open({ category: 'organisation_unreachable', organisation: 'CPAM', what: 'Aucun agent joignable' });
  incidents.resolve(i.id, 'Correspondant prévenu');
  return { db, clock };
}

const tmp = mkdtempSync(join(tmpdir(), 'relais-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('month report', () => {
  it("counts the month's services per organisation and type, with row and column totals", () => {
    const { db } = seededMarch();
    const r = monthReport(db, '2026-03', ORGS);
    expect(r.from).toBe('2026-03-01');
    expect(r.to).toBe('2026-03-31');
    expect(r.total).toBe(22);
    const caf = r.rows.find((x) => x.organisation === 'CAF');
    expect(caf).toMatchObject({ name: "Caisse d'allocations familiales", total: 13 });
    expect(caf?.counts).toMatchObject({ info: 1, visio: 12, documents: 0 });
    expect(r.rows.find((x) => x.organisation === 'FT')?.counts.documents).toBe(1);
    expect(r.columnTotals).toEqual({ info: 1, documents: 1, visio: 12, teleservice: 7, internet: 1 });
  });

  it('lists organisations in the given order, then unknown ones found in the counts', () => {
    const { db } = seededMarch();
    expect(monthReport(db, '2026-03', ORGS).rows.map((x) => x.organisation)).toEqual(['CAF', 'CPAM', 'FT', 'ML']);
  });

  it('gives every week overlapping the month, counting only the days of the month', () => {
    const { db } = seededMarch();
    expect(monthReport(db, '2026-03', ORGS).weeks).toEqual([
      { week: '2026-W09', count: 1 },
      { week: '2026-W10', count: 0 },
      { week: '2026-W11', count: 12 },
      { week: '2026-W12', count: 7 },
      { week: '2026-W13', count: 0 },
      { week: '2026-W14', count: 2 },
    ]);
  });

  it('includes the satisfaction summary, the audit status and the incidents of the month', () => {
    const { db } = seededMarch();
    const r = monthReport(db, '2026-03', ORGS);
    expect(r.satisfaction.responses).toBe(2);
    expect(r.satisfaction.questions.find((q) => q.id === 'welcome')?.mean).toBe(4.5);
    expect(r.audit.done).toBe(true);
    expect(r.audit.latest?.items.find((i) => i.item === 'cleanliness')).toMatchObject({ ok: false, comment: 'Sol à nettoyer' });
    expect(r.incidents).toHaveLength(2);
    expect(r.incidents.find((i) => i.faultKey === 'printer_fault:PDF')?.occurrences).toBe(2);
    const april = monthReport(db, '2026-04', ORGS);
    expect(april.audit.done).toBe(false);
    expect(april.incidents.map((i) => i.faultKey)).toEqual(['printer_fault:PDF']);
    expect(april.total).toBe(1);
  });

  it('refuses a malformed month', () => {
    const { db } = seededMarch();
    expect(() => monthReport(db, '2026-3', ORGS)).toThrow(/Mois invalide/);
  });

  it('reads the month through the covering day index', () => {
    const { db } = seededMarch();
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT day_key, organisation, service, COUNT(*) FROM visits WHERE day_key BETWEEN 20260301 AND 20260331 GROUP BY day_key, organisation, service")
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/COVERING INDEX visits_by_day_org_service/);
  });
});

describe('month report PDF', () => {
  it('is an A4 PDF whose extracted text holds the counts, weeks, satisfaction figures, audit and incidents', async () => {
    const { db } = seededMarch();
    const bytes = await reportPdf(monthReport(db, '2026-03', ORGS), 'Relais de Saint-Martin', { generatedAt: paris(2026, 4, 2) });
    const file = join(tmp, 'mars.pdf');
    writeFileSync(file, bytes);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+595(\.\d+)? x 841(\.\d+)? pts \(A4\)/);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Rapport mensuel – mars 2026');
    expect(text).toContain('Relais de Saint-Martin');
    expect(text).toContain('Services rendus : 22');
    expect(text).toMatch(/Caisse d'allocations familiales\s+1\s+0\s+12\s+0\s+0\s+13/);
    expect(text).toMatch(/Total\s+1\s+1\s+12\s+7\s+1\s+22/);
    for (const week of ['semaine 9', 'semaine 11', 'semaine 14']) expect(text).toContain(week);
    expect(text).not.toMatch(/\d{4}-W\d{2}/);
    expect(text).toContain('Satisfaction : 2 questionnaire(s)');
    expect(text).toMatch(/Avez-vous été bien accueilli \?\s+2\s+4,50\s+100 %/);
    expect(text).toMatch(/L'image et le son étaient-ils bons \?\s+2\s+2,50\s+0 ?%/);
    expect(text).toMatch(/Propreté\s+À corriger\s+Sol à nettoyer/);
    expect(text).toContain('Incidents : 2');
    expect(text).toContain('constaté 2 fois');
    expect(text).toContain('Correspondant prévenu');
  });

  it('says when the audit is missing and when there is nothing to report', async () => {
    const db = openTestDb();
    const bytes = await reportPdf(monthReport(db, '2026-05', ORGS), 'Relais', { generatedAt: paris(2026, 6, 1) });
    const file = join(tmp, 'vide.pdf');
    writeFileSync(file, bytes);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(text).toContain("L'audit de ce mois n'a pas été fait.");
    expect(text).toContain('Aucune réponse ce mois-ci.');
    expect(text).toContain('Aucun incident ce mois-ci.');
  });

  it('flows long incident lists onto further pages', async () => {
    const db = openTestDb();
    const clock = fakeClock(paris(2026, 5, 3));
    const log = createIncidentLog({ db, clock: clock.now, logger: silentLogger() });
    for (let i = 0; i < 60; i++) {
      log.open({ category: 'other', organisation: null, what: `Incident numéro ${i} avec une description un peu longue pour remplir la ligne et passer à la suivante` });
      clock.advance(60_000);
    }
    const file = join(tmp, 'long.pdf');
    writeFileSync(file, await reportPdf(monthReport(db, '2026-05', ORGS), 'Relais', { generatedAt: paris(2026, 6, 1) }));
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
    expect(pages).toBeGreaterThan(2);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Incident numéro 0 ');
    expect(text).toContain('Incident numéro 59 ');
  });
});

describe('visits CSV', () => {
  it('writes one line per visit of the range with a BOM, semicolons and French headers', () => {
    const db = openTestDb();
    insertVisit(db, { organisation: 'CAF', service: 'visio', startedAt: paris(2026, 3, 29, 9, 5), durationMin: 25, ageBand: '60plus', commune: 'Saint-Martin', firstVisit: true });
    insertVisit(db, { organisation: 'UDAF', service: 'info', startedAt: paris(2026, 3, 30, 14), durationMin: 10 });
    insertVisit(db, { organisation: 'CAF', service: 'info', startedAt: paris(2026, 3, 31, 10) });
    const { filename, content } = visitsCsv(db, '2026-03-29', '2026-03-30', [{ code: 'CAF', name: "Caisse d'allocations familiales" }]);
    expect(filename).toBe('visites_2026-03-29_2026-03-30.csv');
    expect(content.startsWith('\uFEFF')).toBe(true);
    const lines = content.slice(1).trimEnd().split('\r\n');
    expect(lines).toEqual([
      'Date;Heure de début;Durée (min);Organisme;Type de service;Tranche d’âge;Commune;Première visite',
      "29/03/2026;09:05;25;Caisse d'allocations familiales;Visio-accueil;60 ans et plus;Saint-Martin;oui",
      '30/03/2026;14:00;10;UDAF;Information / orientation;;;',
      '',
      'Rendez-vous en visio',
      'Organisme;Pris;Honorés;Non honorés;Annulés',
      'Total;0;0;0;0',
    ]);
  });

  it('quotes separators and defuses spreadsheet formulas in free text', () => {
    const db = openTestDb();
    insertVisit(db, { startedAt: paris(2026, 3, 2), commune: 'Saint-Jean; "le Haut"' });
    insertVisit(db, { startedAt: paris(2026, 3, 2, 11), commune: '=HYPERLINK("x")' });
    const lines = visitsCsv(db, '2026-03-02', '2026-03-02').content.trimEnd().split('\r\n');
    expect(lines[1]).toContain(';"Saint-Jean; ""le Haut""";');
    expect(lines[2]).toContain(`;"'=HYPERLINK(""x"")";`);
  });

  it('refuses a reversed range', () => {
    expect(() => visitsCsv(openTestDb(), '2026-03-05', '2026-03-01')).toThrow(/Période invalide/);
  });
});
