// Forms: the catalogue of assets/forms, the fields read from each PDF, and filling + flattening (accents, long values).
import { execFile as execFileCb } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { ExpectedError } from '../../../../../shared/errors.js';
import { FormsService, type FormValues } from '../../../../../electron/services/printing/forms/formsService.js';
import { silentLogger } from '../../../../../electron/services/logger.js';

const execFile = promisify(execFileCb);
const FORMS_DIR = join(import.meta.dirname, '..', '..', '..', '..', '..', 'assets', 'forms');
const work = mkdtempSync(join(tmpdir(), 'relais-forms-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const service = (): FormsService => new FormsService({ dir: FORMS_DIR, logger: silentLogger() });

/** Values keyed by the PDF field names of a sample form, turned into the ids the service takes. */
async function byName(svc: FormsService, form: string, values: Record<string, string | boolean | string[]>): Promise<FormValues> {
  const fields = (await svc.describeForm(form)).fields;
  return Object.fromEntries(Object.entries(values).map(([name, v]) => [fields.find((f) => f.name === name)?.id ?? name, v]));
}

/** Words of page 1 with their boxes (PDF points, origin top-left), by poppler's pdftotext -bbox. */
async function wordsOf(pdf: Uint8Array): Promise<Array<{ text: string; xMin: number; yMin: number; xMax: number; yMax: number }>> {
  const file = join(work, `w${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  const { stdout, stderr } = await execFile('pdftotext', ['-bbox', file, '-']);
  // A reader's complaint (e.g. "Syntax Error: Invalid XRef entry") means a damaged file a printer may refuse.
  expect(stderr).toBe('');
  const decode = (s: string): string => s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'");
  return [...stdout.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3]),
    yMax: Number(m[4]),
    text: decode(m[5] ?? ''),
  }));
}

/** Rectangle of a field's widget in top-left coordinates, read from the blank form. */
async function fieldBox(blank: Uint8Array, name: string): Promise<{ xMin: number; yMin: number; xMax: number; yMax: number }> {
  const doc = await PDFDocument.load(blank);
  const widget = doc.getForm().getField(name).acroField.getWidgets()[0];
  if (!widget) throw new Error(`no widget for ${name}`);
  const r = widget.getRectangle();
  const pageHeight = doc.getPage(0).getHeight();
  return { xMin: r.x, xMax: r.x + r.width, yMin: pageHeight - (r.y + r.height), yMax: pageHeight - r.y };
}

describe('forms catalogue', () => {
  it('lists the three sample forms, and only an organisation’s own when asked', async () => {
    const all = await service().listForms();
    expect(all.map((f) => f.id).sort()).toEqual(['caf-changement-situation', 'cpam-carte-vitale', 'ft-recherche-emploi']);
    const caf = await service().listForms('CAF');
    expect(caf).toHaveLength(1);
    expect(caf[0]).toMatchObject({ id: 'caf-changement-situation', organisation: 'CAF', title: 'Déclaration de changement de situation (exemple)' });
    expect(await service().listForms('UDAF')).toEqual([]);
  });

  it('describes fields read from the PDF, in manifest order, with every kind among the samples', async () => {
    const svc = service();
    const kinds = new Set<string>();
    for (const f of await svc.listForms()) {
      const d = await svc.describeForm(f.id);
      for (const field of d.fields) kinds.add(field.kind);
      expect(d.fields.every((x) => x.label.length > 0 && x.labelEn !== null)).toBe(true);
    }
    expect([...kinds].sort()).toEqual(['checkbox', 'choice', 'date', 'multiline', 'text']);
    const cpam = await svc.describeForm('cpam-carte-vitale');
    expect(cpam.fields.map((f) => f.name)).toEqual(['nom', 'nom_usage', 'prenom', 'date_naissance', 'commune_naissance', 'motif', 'adresse', 'photo_jointe', 'accord']);
    expect(cpam.fields.find((f) => f.name === 'motif')).toMatchObject({ kind: 'choice', radio: true });
    expect(cpam.fields.find((f) => f.name === 'motif')?.options.map((o) => o.label)).toEqual(['Première demande', 'Carte perdue', 'Carte volée', 'Carte abîmée']);
    expect(cpam.fields.find((f) => f.name === 'date_naissance')).toMatchObject({ kind: 'date', label: 'Date de naissance', required: true });
    const ft = await svc.describeForm('ft-recherche-emploi');
    expect(ft.fields.find((f) => f.name === 'demarches')).toMatchObject({ kind: 'choice', multiple: true });
  });

  it('refuses an unknown form with NOT_FOUND', async () => {
    await expect(service().describeForm('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('skips an invalid manifest and keeps the valid ones (a site’s mistake does not break the kiosk)', async () => {
    const dir = mkdtempSync(join(work, 'site-'));
    const { readFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'cpam-carte-vitale.pdf'), readFileSync(join(FORMS_DIR, 'cpam-carte-vitale.pdf')));
    writeFileSync(join(dir, 'cpam-carte-vitale.json'), readFileSync(join(FORMS_DIR, 'cpam-carte-vitale.json')));
    writeFileSync(join(dir, 'broken.json'), '{"id": "Broken Id"}');
    const forms = await new FormsService({ dir, logger: silentLogger() }).listForms();
    expect(forms.map((f) => f.id)).toEqual(['cpam-carte-vitale']);
  });
});

describe('fillForm', () => {
  const accents = 'Élodie Œuvre àéèêëîïôùûüç';

  it('fills every field kind, flattens the form and renders French accents as text', async () => {
    const svc = service();
    const values: FormValues = await byName(svc, 'caf-changement-situation', {
      nom: accents,
      prenom: 'Noël',
      date_changement: '2026-02-28',
      situation: 'Séparation ou divorce',
      nouvelle_adresse: '12 rue de l’Église\n23000 Guéret',
      enfants_a_charge: true,
      observations: 'Déménagement à cause du travail.',
    });
    const pdf = await svc.fillForm('caf-changement-situation', values);
    const doc = await PDFDocument.load(pdf);
    expect(doc.getForm().getFields()).toHaveLength(0);
    const text = (await wordsOf(pdf)).map((w) => w.text).join(' ');
    expect(text).toContain('Élodie Œuvre àéèêëîïôùûüç');
    expect(text).toContain('Noël');
    expect(text).toContain('28/02/2026');
    expect(text).toContain('Séparation ou divorce');
    expect(text).toContain('Guéret');
    expect(text).toContain("Formulaire d'exemple — Relais");
  });

  it('fills a radio group, checkboxes and a multi-select list', async () => {
    const svc = service();
    const cpam = await svc.fillForm('cpam-carte-vitale', await byName(svc, 'cpam-carte-vitale', { motif: 'Carte volée', photo_jointe: true, accord: false, nom: 'Dupré' }));
    expect((await PDFDocument.load(cpam)).getForm().getFields()).toHaveLength(0);
    const ft = await svc.fillForm('ft-recherche-emploi', await byName(svc, 'ft-recherche-emploi', { demarches: ['Formation', "Salon de l'emploi"], certifie: true, debut: '2026-01-05', fin: '2026-01-30' }));
    const words = (await wordsOf(ft)).map((w) => w.text).join(' ');
    expect(words).toContain('05/01/2026');
    expect(words).toContain('30/01/2026');
  });

  it('the filled checkbox and radio are drawn (the page differs from a blank fill)', async () => {
    const svc = service();
    const blank = await svc.fillForm('cpam-carte-vitale', {});
    const filled = await svc.fillForm('cpam-carte-vitale', await byName(svc, 'cpam-carte-vitale', { motif: 'Carte volée', photo_jointe: true }));
    expect(Buffer.from(filled).equals(Buffer.from(blank))).toBe(false);
  });

  it('keeps a long single-line value whole and inside its box (smaller font, wrapped if needed)', async () => {
    const svc = service();
    const blank = await svc.blankPdf('cpam-carte-vitale');
    const long = 'Saint-Pierre-de-Fursac-lès-Bénévent-l’Abbaye et communes associées de la Creuse, lieu-dit Les Grandes Bruyères, bâtiment C';
    const pdf = await svc.fillForm('cpam-carte-vitale', await byName(svc, 'cpam-carte-vitale', { commune_naissance: long }));
    const box = await fieldBox(blank, 'commune_naissance');
    const inside = (await wordsOf(pdf)).filter((w) => w.xMin >= box.xMin - 1 && w.xMax <= box.xMax + 1 && w.yMin >= box.yMin - 1 && w.yMax <= box.yMax + 1);
    expect(inside.map((w) => w.text).join(' ')).toBe(long);
  });

  it('keeps a long multi-line value whole and inside its box', async () => {
    const svc = service();
    const blank = await svc.blankPdf('ft-recherche-emploi');
    const sentence = 'Candidature envoyée à la menuiserie Gâtineau à Aubusson le 12 janvier, relance téléphonique le 19, entretien prévu en février. ';
    const long = sentence.repeat(6).trim();
    const pdf = await svc.fillForm('ft-recherche-emploi', await byName(svc, 'ft-recherche-emploi', { details: long }));
    const box = await fieldBox(blank, 'details');
    const words = await wordsOf(pdf);
    const inside = words.filter((w) => w.xMin >= box.xMin - 1 && w.xMax <= box.xMax + 1 && w.yMin >= box.yMin - 1 && w.yMax <= box.yMax + 1);
    expect(inside.map((w) => w.text).join(' ')).toBe(long);
  });

  it('replaces characters the standard font cannot draw instead of failing', async () => {
    const svc = service();
    const pdf = await svc.fillForm('caf-changement-situation', await byName(svc, 'caf-changement-situation', { nom: 'Łukasz Dvořák 🙂' }));
    const text = (await wordsOf(pdf)).map((w) => w.text).join(' ');
    expect(text).toContain('Lukasz Dvorák ?');
  });

  it('refuses unknown fields, wrong types, unknown choices and impossible dates with INVALID_INPUT naming the field', async () => {
    const svc = service();
    const cases: FormValues[] = [{ f99: 'x' }, ...(await Promise.all(([{ enfants_a_charge: 'oui' }, { situation: 'Loterie' }, { date_changement: '2026-02-30' }, { nom: true }] as Array<Record<string, string | boolean>>).map((v) => byName(svc, 'caf-changement-situation', v))))];
    for (const values of cases) {
      const error = await svc.fillForm('caf-changement-situation', values).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ExpectedError);
      expect((error as ExpectedError).code).toBe('INVALID_INPUT');
      expect((error as ExpectedError).details?.field).toBe(Object.keys(values)[0]);
    }
  });
});

describe('« Imprimer » after the preview', () => {
  const FORM = 'caf-changement-situation';

  it('prints the very bytes the preview showed, once: the same values in any order, then a new fill', async () => {
    const svc = service();
    const values = await byName(svc, FORM, { nom: 'Anaïs', prenom: 'Élodie', enfants_a_charge: true });
    const shown = await svc.previewForm(FORM, values);
    const reordered = Object.fromEntries(Object.entries(values).reverse());
    const printed = await svc.fillForm(FORM, reordered);
    expect(printed).toBe(shown.pdf);
    // Taken by the print: printing again fills the form again (same words on paper, a new file).
    const again = await svc.fillForm(FORM, values);
    expect(again).not.toBe(shown.pdf);
    expect((await wordsOf(again)).map((w) => w.text)).toEqual((await wordsOf(printed)).map((w) => w.text));
  });

  it('fills again when a value changed after the preview, and prints the new value', async () => {
    const svc = service();
    const shown = await svc.previewForm(FORM, await byName(svc, FORM, { nom: 'Anaïs' }));
    const printed = await svc.fillForm(FORM, await byName(svc, FORM, { nom: 'Bérénice' }));
    expect(printed).not.toBe(shown.pdf);
    const words = (await wordsOf(printed)).map((w) => w.text);
    expect(words).toContain('Bérénice');
    expect(words).not.toContain('Anaïs');
  });

  it('forgets a preview older than its keeping time, another form’s preview, and at forgetPreview', async () => {
    let now = 1_000_000;
    const svc = new FormsService({ dir: FORMS_DIR, logger: silentLogger(), previewKeepMs: 60_000, now: () => now });
    const values = await byName(svc, FORM, { nom: 'Anaïs' });
    const late = await svc.previewForm(FORM, values);
    now += 60_001;
    expect(await svc.fillForm(FORM, values)).not.toBe(late.pdf);

    const kept = await svc.previewForm(FORM, values);
    now += 60_000;
    expect(await svc.fillForm(FORM, values)).toBe(kept.pdf);

    const dropped = await svc.previewForm(FORM, values);
    svc.forgetPreview();
    expect(await svc.fillForm(FORM, values)).not.toBe(dropped.pdf);

    const first = await svc.previewForm(FORM, values);
    await svc.previewForm('cpam-carte-vitale', {});
    expect(await svc.fillForm(FORM, values)).not.toBe(first.pdf);
  });

  it('still refuses, after a preview, a text too long for its box', async () => {
    const svc = service();
    const fields = (await svc.describeForm(FORM)).fields;
    const nom = fields.find((f) => f.name === 'nom')?.id ?? 'nom';
    const values: FormValues = { [nom]: 'Anaïs '.repeat(400) };
    const shown = await svc.previewForm(FORM, values);
    expect(shown.overflow).toEqual([nom]);
    await expect(svc.fillForm(FORM, values)).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: nom, reason: 'too-long' } });
  });
});
