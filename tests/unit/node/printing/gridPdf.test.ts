// The weekly grid on paper: A4 landscape, with site, week, dates, French headers, counts and totals readable by pdftotext.
import { execFile as execFileCb } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import type { WeeklyGrid } from '../../../../shared/contract/index.js';
import { gridPdf } from '../../../../electron/services/printing/gridPdf.js';
import { parisWallTimeToEpoch } from '../../../../shared/time.js';

const execFile = promisify(execFileCb);
const work = mkdtempSync(join(tmpdir(), 'relais-grid-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const counts = (info: number, documents: number, visio: number, teleservice: number, internet: number) => ({ info, documents, visio, teleservice, internet });

const grid: WeeklyGrid = {
  week: '2026-W05',
  from: '2026-01-26',
  to: '2026-02-01',
  siteName: 'Relais de Bénévent-l’Abbaye',
  services: ['info', 'documents', 'visio', 'teleservice', 'internet'],
  rows: [
    { organisation: 'CAF', name: "Caisse d'allocations familiales", counts: counts(12, 7, 3, 5, 0), total: 27 },
    { organisation: 'CPAM', name: 'Assurance Maladie (CPAM)', counts: counts(9, 4, 2, 6, 1), total: 22 },
    { organisation: 'UDAF', name: 'UDAF – Point Info Famille', counts: counts(0, 0, 0, 0, 0), total: 0 },
  ],
  columnTotals: counts(21, 11, 5, 11, 1),
  total: 49,
};

async function textOf(pdf: Uint8Array): Promise<string> {
  const file = join(work, `g${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  return (await execFile('pdftotext', ['-layout', file, '-'])).stdout;
}

describe('gridPdf', () => {
  it('is one A4 landscape page', async () => {
    const doc = await PDFDocument.load(await gridPdf(grid, { generatedAt: parisWallTimeToEpoch(2026, 2, 2, 9, 30) }));
    expect(doc.getPageCount()).toBe(1);
    const { width, height } = doc.getPage(0).getSize();
    expect(Math.round(width)).toBe(842);
    expect(Math.round(height)).toBe(595);
  });

  it('shows site, week, French dates and headers, every count with row and column totals, and when it was printed', async () => {
    const text = await textOf(await gridPdf(grid, { generatedAt: parisWallTimeToEpoch(2026, 2, 2, 9, 30) }));
    expect(text).toContain('Grille de comptage hebdomadaire');
    expect(text).toContain('Relais de Bénévent-l’Abbaye');
    expect(text).toContain('Semaine 5 (du 26 janvier au 1er février 2026)');
    for (const h of ['Organisme', 'Information /', 'Fourniture de', 'Visio-accueil', 'Aide aux', 'Consultation', 'Total']) expect(text).toContain(h);
    const line = (label: string): number[] => {
      const l = text.split('\n').find((x) => x.includes(label));
      if (!l) throw new Error(`no line for ${label}`);
      return (l.slice(l.indexOf(')') + 1).match(/\d+/g) ?? []).map(Number);
    };
    expect(line('(CAF)')).toEqual([12, 7, 3, 5, 0, 27]);
    expect(line('(CPAM)')).toEqual([9, 4, 2, 6, 1, 22]);
    expect(line('(UDAF)')).toEqual([0, 0, 0, 0, 0, 0]);
    const totalLine = text.split('\n').find((x) => /^\s*Total\s+\d/.test(x));
    expect((totalLine?.match(/\d+/g) ?? []).map(Number)).toEqual([21, 11, 5, 11, 1, 49]);
    expect(text).toContain('Édité le 02/02/2026 à 09:30');
  });

  it('continues on a second page when organisations do not fit on one, with the headers repeated', async () => {
    const many: WeeklyGrid = {
      ...grid,
      rows: Array.from({ length: 20 }, (_, i) => ({ organisation: `ORG${i}`, name: `Organisme ${i}`, counts: counts(1, 0, 0, 0, 0), total: 1 })),
      columnTotals: counts(20, 0, 0, 0, 0),
      total: 20,
    };
    const pdf = await gridPdf(many, { generatedAt: Date.UTC(2026, 1, 2) });
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(2);
    const text = await textOf(pdf);
    expect(text.match(/Grille de comptage hebdomadaire/g)).toHaveLength(2);
    expect(text).toContain('(ORG19)');
  });
});
