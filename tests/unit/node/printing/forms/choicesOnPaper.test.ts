// Issue 15, failure classes found by the real-forms bench: a chosen entry that did not reach the paper whole — a long
// entry cut by its dropdown's box, an entry low in a list box drawn from the top. Forms built here with pdf-lib.
import { execFile as execFileCb } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormsService } from '../../../../../electron/services/printing/forms/formsService.js';
import { silentLogger } from '../../../../../electron/services/logger.js';

const execFile = promisify(execFileCb);
const work = mkdtempSync(join(tmpdir(), 'relais-choices-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Word {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/**
 * Words of the page with their boxes (points, origin top-left). pdftotext reads text a box's clip hides, so a test
 * checks where each word is drawn: inside its field's box, or cut off on paper.
 */
async function wordsOf(pdf: Uint8Array): Promise<Word[]> {
  const file = join(work, `t${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  const { stdout } = await execFile('pdftotext', ['-bbox', file, '-']);
  return [...stdout.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3]),
    yMax: Number(m[4]),
    text: m[5] ?? '',
  }));
}

/** A field's box in pdftotext's coordinates (the page is 842 pt high). */
const box = (x: number, y: number, width: number, height: number) => ({ xMin: x, xMax: x + width, yMin: 842 - y - height, yMax: 842 - y });
const inside = (w: Word, b: ReturnType<typeof box>): boolean => w.xMin >= b.xMin - 0.5 && w.xMax <= b.xMax + 0.5 && w.yMin >= b.yMin - 0.5 && w.yMax <= b.yMax + 0.5;

const COUNTRIES = Array.from({ length: 40 }, (_, i) => `Pays numéro ${String(i + 1).padStart(2, '0')}`);
const LONG = 'CO - Crédits reportés d’une année antérieure';

let svc: FormsService;
beforeAll(async () => {
  const dir = mkdtempSync(join(work, 'forms-'));
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  const form = doc.getForm();
  const code = form.createDropdown('code');
  code.addOptions(['Aucun', LONG]);
  code.addToPage(page, { x: 100, y: 700, width: 150, height: 14, font });
  const pays = form.createOptionList('pays');
  pays.addOptions(COUNTRIES);
  pays.addToPage(page, { x: 100, y: 600, width: 200, height: 60, font });
  writeFileSync(join(dir, 'choix.pdf'), await doc.save({ useObjectStreams: false }));
  writeFileSync(join(dir, 'choix.json'), JSON.stringify({ id: 'choix', organisation: 'CAF', title: 'choix', description: '', file: 'choix.pdf', fields: {} }));
  svc = new FormsService({ dir, logger: silentLogger() });
});

describe('a chosen entry reaches the paper whole (issue 15)', () => {
  it('prints a long dropdown entry whole, in a smaller size, rather than cut at the box’s edge', async () => {
    const d = await svc.describeForm('choix');
    const code = d.fields.find((f) => f.name === 'code');
    expect(code).toBeDefined();
    const words = (await wordsOf(await svc.fillForm('choix', { [code?.id ?? '']: LONG }))).filter((w) => LONG.split(' ').includes(w.text));
    expect(words.map((w) => w.text)).toEqual(LONG.split(' '));
    for (const w of words) expect(inside(w, box(100, 700, 150, 14)), `« ${w.text} » drawn outside its box`).toBe(true);
  });

  it('prints the entry chosen low in a list box, which shows its entries from the top', async () => {
    const d = await svc.describeForm('choix');
    const pays = d.fields.find((f) => f.name === 'pays');
    expect(pays).toBeDefined();
    const words = await wordsOf(await svc.fillForm('choix', { [pays?.id ?? '']: 'Pays numéro 37' }));
    const chosen = words.find((w) => w.text === '37');
    expect(chosen).toBeDefined();
    expect(inside(chosen as Word, box(100, 600, 200, 60))).toBe(true);
  });
});
