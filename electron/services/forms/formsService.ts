// Fillable PDF forms: the catalogue read from assets/forms/, the fields of each form, and filling + flattening with pdf-lib.
// A filled form is returned as bytes and never stored: what the visitor typed exists only in memory.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PDFCheckBox, PDFDocument, PDFDropdown, PDFName, PDFOptionList, PDFRadioGroup, PDFRef, PDFTextField, StandardFonts, type PDFFont, type PDFForm } from 'pdf-lib';
import { ExpectedError } from '../../../shared/errors.js';
import type { Logger } from '../logger.js';
import { FormManifest } from './manifest.js';

export type FormFieldKind = 'text' | 'multiline' | 'checkbox' | 'choice' | 'date';

export interface FormFieldDescriptor {
  /** The PDF field's full name: the key of `values` in fillForm. */
  name: string;
  kind: FormFieldKind;
  label: string;
  labelEn: string | null;
  help: string | null;
  helpEn: string | null;
  required: boolean;
  /** Text fields: the PDF's maximum length, if any. */
  maxLength: number | null;
  /** Choice fields: the allowed values, in order. */
  options: string[];
  /** Choice fields: several values may be chosen (a PDF option list with multi-select). */
  multiple: boolean;
  /** Choice fields: a radio group, shown as big buttons rather than a list. */
  radio: boolean;
}

export interface FormSummary {
  id: string;
  organisation: string;
  title: string;
  titleEn: string | null;
  description: string;
  descriptionEn: string | null;
}

export interface FormDescription extends FormSummary {
  pages: number;
  fields: FormFieldDescriptor[];
}

/** Text and dates as strings (dates `YYYY-MM-DD`), checkboxes as booleans, choices as a string or, when multiple, strings. */
export type FormValues = Record<string, string | boolean | string[]>;

interface LoadedForm {
  manifest: FormManifest;
  pdfPath: string;
}

const PREFERRED_FONT_SIZE = 11;
const CHOICE_FONT_SIZE = 10;
const MIN_FONT_SIZE = 5;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const summaryOf = (m: FormManifest): FormSummary => ({
  id: m.id,
  organisation: m.organisation,
  title: m.title,
  titleEn: m.titleEn ?? null,
  description: m.description,
  descriptionEn: m.descriptionEn ?? null,
});

/** Lines used by `text` at `size` in `width`, wrapping at spaces like pdf-lib's layout does. */
function linesUsed(text: string, font: PDFFont, size: number, width: number): number {
  let used = 0;
  for (const line of text.split(/\r\n|\r|\n/)) {
    used += 1;
    let remaining = width;
    const words = line.split(' ');
    words.forEach((w, i) => {
      const wordWidth = font.widthOfTextAtSize(i === words.length - 1 ? w : `${w} `, size);
      remaining -= wordWidth;
      if (remaining <= 0) {
        used += 1;
        remaining = width - wordWidth;
      }
    });
  }
  return used;
}

/** The largest size ≤ PREFERRED_FONT_SIZE at which the text fits the box (0 when even the minimum does not). */
export function fittingFontSize(text: string, font: PDFFont, box: { width: number; height: number }, multiline: boolean): number {
  for (let size = PREFERRED_FONT_SIZE; size >= MIN_FONT_SIZE; size -= 0.5) {
    const lines = multiline ? linesUsed(text, font, size, box.width) : 1;
    const fitsWidth = multiline || font.widthOfTextAtSize(text, size) < box.width;
    const lineHeight = font.heightAtSize(size) * 1.2;
    if (fitsWidth && lines * lineHeight <= box.height) return size;
  }
  return 0;
}

export interface FormsServiceOptions {
  /** The folder holding `<name>.pdf` + `<name>.json` pairs (assets/forms). */
  dir: string;
  logger: Logger;
}

export class FormsService {
  private readonly dir: string;
  private readonly logger: Logger;
  private forms: Map<string, LoadedForm> | null = null;

  constructor(options: FormsServiceOptions) {
    this.dir = options.dir;
    this.logger = options.logger;
  }

  /** Reads the manifests again (after a site added a form). A bad manifest is logged and skipped, never fatal. */
  async reload(): Promise<void> {
    const forms = new Map<string, LoadedForm>();
    let names: string[] = [];
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith('.json')).sort();
    } catch (error) {
      this.logger.error({ code: 'FORMS_DIR_UNREADABLE', dir: this.dir, err: error }, 'forms folder unreadable');
    }
    for (const name of names) {
      try {
        const manifest = FormManifest.parse(JSON.parse(await readFile(join(this.dir, name), 'utf8')));
        if (forms.has(manifest.id)) throw new Error(`duplicate form id ${manifest.id}`);
        forms.set(manifest.id, { manifest, pdfPath: join(this.dir, manifest.file) });
      } catch (error) {
        this.logger.warn({ code: 'FORM_MANIFEST_INVALID', file: name, err: error }, 'form manifest skipped');
      }
    }
    this.forms = forms;
  }

  private async all(): Promise<Map<string, LoadedForm>> {
    if (!this.forms) await this.reload();
    return this.forms as Map<string, LoadedForm>;
  }

  private async form(id: string): Promise<LoadedForm> {
    const form = (await this.all()).get(id);
    if (!form) throw new ExpectedError('NOT_FOUND', `Formulaire ${id} introuvable.`);
    return form;
  }

  async listForms(organisation?: string): Promise<FormSummary[]> {
    return [...(await this.all()).values()]
      .map((f) => f.manifest)
      .filter((m) => organisation === undefined || m.organisation === organisation)
      .sort((a, b) => a.organisation.localeCompare(b.organisation) || a.title.localeCompare(b.title, 'fr'))
      .map(summaryOf);
  }

  /** The blank PDF, as shipped. */
  async blankPdf(id: string): Promise<Uint8Array> {
    return new Uint8Array(await readFile((await this.form(id)).pdfPath));
  }

  async describeForm(id: string): Promise<FormDescription> {
    const { manifest } = await this.form(id);
    const doc = await PDFDocument.load(await this.blankPdf(id));
    const fields = describeFields(doc.getForm(), manifest);
    return { ...summaryOf(manifest), pages: doc.getPageCount(), fields };
  }

  /** Fills the form with `values` and flattens it: the result has no fields left, only text on the page. */
  async fillForm(id: string, values: FormValues): Promise<Uint8Array> {
    const { manifest } = await this.form(id);
    const doc = await PDFDocument.load(await this.blankPdf(id));
    const form = doc.getForm();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const descriptors = new Map(describeFields(form, manifest).map((d) => [d.name, d]));
    for (const [name, value] of Object.entries(values)) {
      const d = descriptors.get(name);
      if (!d) throw new ExpectedError('INVALID_INPUT', `Champ inconnu : ${name}`, { field: name });
      setField(form, d, value, font);
    }
    for (const d of descriptors.values()) {
      if (d.kind === 'choice' && !d.radio) (form.getField(d.name) as PDFDropdown | PDFOptionList).setFontSize(CHOICE_FONT_SIZE);
    }
    form.updateFieldAppearances(font);
    form.flatten();
    dropDanglingAnnotations(doc);
    this.logger.debug({ code: 'FORM_FILLED', form: id, fields: Object.keys(values).length }, 'form filled');
    return doc.save();
  }
}

function describeFields(form: PDFForm, manifest: FormManifest): FormFieldDescriptor[] {
  const order = Object.keys(manifest.fields);
  const out: FormFieldDescriptor[] = [];
  for (const field of form.getFields()) {
    const name = field.getName();
    const m = manifest.fields[name];
    const base = {
      name,
      label: m?.label ?? name,
      labelEn: m?.labelEn ?? null,
      help: m?.help ?? null,
      helpEn: m?.helpEn ?? null,
      required: m?.required ?? field.isRequired(),
      maxLength: null as number | null,
      options: [] as string[],
      multiple: false,
      radio: false,
    };
    if (field instanceof PDFTextField) {
      const kind: FormFieldKind = m?.kind === 'date' ? 'date' : field.isMultiline() ? 'multiline' : 'text';
      out.push({ ...base, kind, maxLength: field.getMaxLength() ?? null });
    } else if (field instanceof PDFCheckBox) {
      out.push({ ...base, kind: 'checkbox' });
    } else if (field instanceof PDFDropdown) {
      out.push({ ...base, kind: 'choice', options: field.getOptions() });
    } else if (field instanceof PDFOptionList) {
      out.push({ ...base, kind: 'choice', options: field.getOptions(), multiple: field.isMultiselect() });
    } else if (field instanceof PDFRadioGroup) {
      out.push({ ...base, kind: 'choice', options: field.getOptions(), radio: true });
    }
    // Buttons and signatures are not filled on screen.
  }
  const rank = (n: string): number => {
    const i = order.indexOf(n);
    return i === -1 ? order.length : i;
  };
  return out.sort((a, b) => rank(a.name) - rank(b.name));
}

/**
 * pdf-lib 1.17's flatten deletes the widgets but leaves their references in each page's /Annots; readers then warn
 * about missing objects (poppler: "Invalid XRef entry"). Keep only annotations that still exist.
 */
function dropDanglingAnnotations(doc: PDFDocument): void {
  for (const page of doc.getPages()) {
    const annots = page.node.Annots();
    if (!annots) continue;
    const kept = annots.asArray().filter((a) => !(a instanceof PDFRef) || doc.context.lookup(a) !== undefined);
    if (kept.length === 0) page.node.delete(PDFName.of('Annots'));
    else page.node.set(PDFName.of('Annots'), doc.context.obj(kept));
  }
}

const invalid = (d: FormFieldDescriptor, why: string): ExpectedError =>
  new ExpectedError('INVALID_INPUT', `Champ « ${d.label} » : ${why}`, { field: d.name });

/** Letters with no decomposition into base + accent. */
const TRANSLITERATION: Record<string, string> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i' };

/** Replaces characters the standard (WinAnsi) font cannot draw: accents are kept when possible, else stripped, else `?`. */
function drawable(text: string, font: PDFFont): string {
  const canDraw = (ch: string): boolean => {
    try {
      font.encodeText(ch);
      return true;
    } catch {
      return false;
    }
  };
  let out = '';
  for (const ch of text.normalize('NFC')) {
    if (ch === '\n' || ch === '\r' || canDraw(ch)) out += ch;
    else {
      const base = TRANSLITERATION[ch] ?? ch.normalize('NFD').replace(/\p{M}/gu, '');
      out += base && [...base].every(canDraw) ? base : '?';
    }
  }
  return out;
}

function setText(field: PDFTextField, text: string, font: PDFFont, d: FormFieldDescriptor): void {
  const max = field.getMaxLength();
  if (max !== undefined && text.length > max) throw invalid(d, `${max} caractères au plus`);
  const widget = field.acroField.getWidgets()[0];
  field.setText(text);
  if (!widget || text === '') return;
  const rect = widget.getRectangle();
  const inset = 2 * ((widget.getBorderStyle()?.getWidth() ?? 0) + 2);
  const box = { width: rect.width - inset, height: rect.height - inset };
  let size = fittingFontSize(text, font, box, field.isMultiline());
  if (size === 0 && !field.isMultiline()) {
    // Too long for one line even small: wrap it rather than clip it.
    field.enableMultiline();
    size = fittingFontSize(text, font, box, true);
  }
  field.setFontSize(size === 0 ? MIN_FONT_SIZE : size);
}

function setField(form: PDFForm, d: FormFieldDescriptor, value: string | boolean | string[], font: PDFFont): void {
  switch (d.kind) {
    case 'checkbox': {
      if (typeof value !== 'boolean') throw invalid(d, 'oui ou non attendu');
      const box = form.getCheckBox(d.name);
      if (value) box.check();
      else box.uncheck();
      return;
    }
    case 'date': {
      if (typeof value !== 'string') throw invalid(d, 'date attendue');
      if (value === '') return setText(form.getTextField(d.name), '', font, d);
      const m = DATE.exec(value);
      const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
      if (!m || !date || date.getUTCDate() !== Number(m[3]) || date.getUTCMonth() !== Number(m[2]) - 1) throw invalid(d, 'date AAAA-MM-JJ attendue');
      return setText(form.getTextField(d.name), `${m[3]}/${m[2]}/${m[1]}`, font, d);
    }
    case 'text':
    case 'multiline': {
      if (typeof value !== 'string') throw invalid(d, 'texte attendu');
      return setText(form.getTextField(d.name), drawable(value, font), font, d);
    }
    case 'choice': {
      const chosen = typeof value === 'string' ? (value === '' ? [] : [value]) : Array.isArray(value) ? value : null;
      if (!chosen) throw invalid(d, 'choix attendu');
      if (chosen.length > 1 && !d.multiple) throw invalid(d, 'un seul choix possible');
      const unknown = chosen.find((c) => !d.options.includes(c));
      if (unknown !== undefined) throw invalid(d, `choix inconnu « ${unknown} »`);
      const field = form.getField(d.name);
      if (field instanceof PDFRadioGroup) {
        if (chosen[0] !== undefined) field.select(chosen[0]);
        else field.clear();
      } else if (field instanceof PDFDropdown || field instanceof PDFOptionList) {
        if (chosen.length) field.select(chosen);
        else field.clear();
      }
      return;
    }
  }
}
