// Issue 15, failure classes found by the real-forms bench: boxes the field tree hides or misdescribes. Each form is
// built here with pdf-lib; each box's « on » appearance draws a word, so pdftotext tells which boxes print ticked.
import { execFile as execFileCb } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFString, StandardFonts, type PDFFont, type PDFPage, type PDFRef } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormsService, type FormDescription } from '../../../../../electron/services/printing/forms/formsService.js';
import { silentLogger } from '../../../../../electron/services/logger.js';

const execFile = promisify(execFileCb);
const N = (n: string): PDFName => PDFName.of(n);
const work = mkdtempSync(join(tmpdir(), 'relais-fieldtrees-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function textOf(pdf: Uint8Array): Promise<string> {
  const file = join(work, `t${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  return (await execFile('pdftotext', [file, '-'])).stdout;
}

/** An appearance stream that writes `word` (or nothing), so a tick shows as text on paper. */
function appearance(doc: PDFDocument, font: PDFFont, word: string | null): PDFRef {
  const content = word === null ? '' : `BT /Helv 8 Tf 2 3 Td (${word}) Tj ET`;
  return doc.context.register(doc.context.stream(content, { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, 80, 14], Resources: { Font: { Helv: font.ref } } }));
}

/** A box widget under `parent`, on `page`, whose on-state `state` draws `word`. */
function boxWidget(doc: PDFDocument, font: PDFFont, page: PDFPage, parent: PDFRef, state: string, word: string, y: number, as = 'Off'): PDFRef {
  const widget = doc.context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    Parent: parent,
    Rect: [100, y, 180, y + 14],
    F: 4,
    AS: N(as),
    AP: { N: { [state]: appearance(doc, font, word), Off: appearance(doc, font, null) } },
  });
  const ref = doc.context.register(widget);
  const annots = page.node.lookup(N('Annots'));
  if (annots instanceof PDFArray) annots.push(ref);
  else page.node.set(N('Annots'), doc.context.obj([ref]));
  return ref;
}

/** A button field with `states.length` boxes; `ff` 49152 makes it a radio group, 0 a checkbox. */
function buttonField(doc: PDFDocument, font: PDFFont, page: PDFPage, name: string, ff: number, states: string[], extra: Record<string, unknown> = {}, as: string[] = []): void {
  const parent = doc.context.register(doc.context.obj({ FT: 'Btn', Ff: ff, T: PDFString.of(name), Kids: [], ...extra }));
  const kids = (doc.context.lookup(parent) as PDFDict).lookup(N('Kids')) as PDFArray;
  states.forEach((s, i) => kids.push(boxWidget(doc, font, page, parent, s, `${name.toUpperCase()}-${s}`, 700 - 20 * i, as[i])));
  const acro = doc.catalog.lookup(N('AcroForm'));
  if (acro instanceof PDFDict) (acro.lookup(N('Fields')) as PDFArray).push(parent);
  else doc.catalog.set(N('AcroForm'), doc.context.obj({ Fields: [parent], DA: PDFString.of('/Helv 0 Tf 0 g') }));
}

let svc: FormsService;
beforeAll(async () => {
  const dir = mkdtempSync(join(work, 'forms-'));
  const add = (id: string, pdf: Uint8Array): void => {
    writeFileSync(join(dir, `${id}.pdf`), pdf);
    writeFileSync(join(dir, `${id}.json`), JSON.stringify({ id, organisation: 'CAF', title: id, description: '', file: `${id}.pdf`, fields: {} }));
  };

  // A CERFA's « CAC0 »: one checkbox field, three boxes with on-states /1 /2 /3, their labels in /Opt.
  {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const page = doc.addPage([595, 842]);
    const opt = doc.context.obj([PDFString.of('Espèces'), PDFString.of('Chèque'), PDFString.of('Virement')]);
    buttonField(doc, font, page, 'cac', 0, ['1', '2', '3'], { Opt: opt });
    add('groupe-de-cases', await doc.save({ useObjectStreams: false }));
  }
  // A radio group whose first box still shows its tick in /AS while the field's value says nothing is chosen.
  {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const page = doc.addPage([595, 842]);
    buttonField(doc, font, page, 'rond', 49152, ['a', 'b'], { V: N('Off') }, ['a', 'Off']);
    buttonField(doc, font, page, 'case', 0, ['Oui'], { V: N('Off') }, ['Oui']);
    add('coche-restee', await doc.save({ useObjectStreams: false }));
  }
  // A text field on the page that /Fields does not list (the field tree and the pages' widgets written apart).
  {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const page = doc.addPage([595, 842]);
    const form = doc.getForm();
    form.createTextField('nom').addToPage(page, { x: 100, y: 700, width: 200, height: 20, font });
    form.createTextField('ville').addToPage(page, { x: 100, y: 660, width: 200, height: 20, font });
    const acro = doc.catalog.lookup(N('AcroForm'), PDFDict);
    // /Fields keeps a copy of « ville » that is on no page; « nom » is not listed at all.
    const copy = doc.context.obj({ FT: 'Tx', T: PDFString.of('ville'), Rect: [100, 660, 300, 680], Subtype: 'Widget', Type: 'Annot' });
    acro.set(N('Fields'), doc.context.obj([doc.context.register(copy)]));
    add('hors-liste', await doc.save({ useObjectStreams: false }));
  }
  // A checkbox whose /DA names no font (« / 12 Tf ») and whose « on » appearance draws its tick in that font.
  {
    const doc = await PDFDocument.create();
    const page = doc.addPage([200, 200]);
    const on = doc.context.register(doc.context.stream('BT / 12 Tf 1 2 Td (4) Tj ET', { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, 40, 40], Resources: {} }));
    const off = doc.context.register(doc.context.stream('', { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, 40, 40], Resources: {} }));
    const box = doc.context.register(
      doc.context.obj({ Type: 'Annot', Subtype: 'Widget', FT: 'Btn', T: PDFString.of('adhesion'), DA: PDFString.of('/ 12 Tf 0 g'), Rect: [80, 80, 120, 120], F: 4, V: N('Off'), AS: N('Off'), AP: { N: { Yes: on, Off: off } } }),
    );
    page.node.set(N('Annots'), doc.context.obj([box]));
    doc.catalog.set(N('AcroForm'), doc.context.obj({ Fields: [box] }));
    add('coche-sans-police', await doc.save({ useObjectStreams: false }));
  }
  // A single-line box 9 pt high, as on tax forms: 5 pt text fits it.
  {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const page = doc.addPage([595, 842]);
    doc.getForm().createTextField('ligne').addToPage(page, { x: 100, y: 700, width: 120, height: 9, font, borderWidth: 1 });
    add('case-basse', await doc.save({ useObjectStreams: false }));
  }
  // A hidden helper field beside a visible one (a 160F's « minus1 », /F 6: hidden, printable), neither shown nor printed.
  {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const page = doc.addPage([595, 842]);
    const form = doc.getForm();
    form.createTextField('visible').addToPage(page, { x: 100, y: 700, width: 200, height: 20, font });
    form.createTextField('cache').addToPage(page, { x: 100, y: 660, width: 200, height: 20, font, hidden: true });
    add('champ-cache', await doc.save({ useObjectStreams: false }));
  }
  svc = new FormsService({ dir, logger: silentLogger() });
});

const field = (d: FormDescription, name: string) => {
  const f = d.fields.find((x) => x.name === name);
  if (!f) throw new Error(`no field ${name}`);
  return f;
};

describe('boxes the field tree hides or misdescribes (issue 15)', () => {
  it('offers a checkbox whose boxes have different on-states as one choice, labelled by /Opt, and ticks only the chosen box', async () => {
    const d = await svc.describeForm('groupe-de-cases');
    const cac = field(d, 'cac');
    expect(cac).toMatchObject({ kind: 'choice', radio: true });
    expect(cac.options.map((o) => [o.value, o.label])).toEqual([
      ['1', 'Espèces'],
      ['2', 'Chèque'],
      ['3', 'Virement'],
    ]);
    const text = await textOf(await svc.fillForm('groupe-de-cases', { [cac.id]: '3' }));
    expect(text).toContain('CAC-3');
    expect(text).not.toContain('CAC-1');
    expect(text).not.toContain('CAC-2');
    expect(await textOf(await svc.fillForm('groupe-de-cases', { [cac.id]: '' }))).not.toContain('CAC-');
  });

  it('prints no tick the visitor did not give, even one left in a box’s /AS while the value says none', async () => {
    const d = await svc.describeForm('coche-restee');
    expect(await textOf(await svc.fillForm('coche-restee', {}))).not.toMatch(/ROND-|CASE-/);
    const text = await textOf(await svc.fillForm('coche-restee', { [field(d, 'rond').id]: 'b', [field(d, 'case').id]: true }));
    expect(text).toContain('ROND-b');
    expect(text).not.toContain('ROND-a');
    expect(text).toContain('CASE-Oui');
  });

  it('offers and prints the fields whose widgets are on a page but not reached from /Fields', async () => {
    expect((await svc.listForms()).map((f) => f.id)).toContain('hors-liste');
    const d = await svc.describeForm('hors-liste');
    expect(d.fields.map((f) => f.name).sort()).toEqual(['nom', 'ville']);
    const text = await textOf(await svc.fillForm('hors-liste', { [field(d, 'nom').id]: 'Dupré', [field(d, 'ville').id]: 'Mende' }));
    expect(text).toContain('Dupré');
    expect(text).toContain('Mende');
  });

  it('prints the tick of a checkbox whose /DA and appearance name no font', async () => {
    const d = await svc.describeForm('coche-sans-police');
    const adhesion = field(d, 'adhesion');
    const dark = async (pdf: Uint8Array): Promise<number> => {
      const file = join(work, `p${Math.random().toString(36).slice(2)}.pdf`);
      writeFileSync(file, pdf);
      // The box, 40 pt square at (80, 80) on a 200 pt page, rendered at 72 dpi: dark pixels.
      const { stdout } = await execFile('pdftoppm', ['-r', '72', '-gray', '-x', '80', '-y', '80', '-W', '40', '-H', '40', file], { encoding: 'buffer' });
      const header = /^P5\s+\d+\s+\d+\s+\d+\s/.exec(stdout.subarray(0, 40).toString('latin1'))?.[0].length ?? 0;
      return [...stdout.subarray(header)].filter((v) => v < 128).length;
    };
    expect(await dark(await svc.fillForm('coche-sans-police', { [adhesion.id]: true }))).toBeGreaterThan(await dark(await svc.fillForm('coche-sans-police', { [adhesion.id]: false })));
  });

  it('does not flag a short text in a 9 pt high single-line box as too long', async () => {
    const d = await svc.describeForm('case-basse');
    const ligne = field(d, 'ligne');
    const filled = await svc.fillFormChecked('case-basse', { [ligne.id]: 'AB12' });
    expect(filled.overflow).toEqual([]);
    expect(await textOf(filled.pdf)).toContain('AB12');
    expect((await svc.fillFormChecked('case-basse', { [ligne.id]: 'Une phrase bien trop longue pour une case de cent vingt points' })).overflow).toEqual([ligne.id]);
  });

  it('does not ask for a field whose every widget is hidden: a reader shows it nowhere and it never reaches the paper', async () => {
    const d = await svc.describeForm('champ-cache');
    expect(d.fields.map((f) => f.name)).toEqual(['visible']);
    const text = await textOf(await svc.fillForm('champ-cache', { [field(d, 'visible').id]: 'Montreuil' }));
    expect(text).toContain('Montreuil');
  });
});
