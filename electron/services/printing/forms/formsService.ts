// Fillable PDF forms: the catalogue read from assets/forms/ (files that cannot be filled are refused there, with a
// reason for the mediator), the fields of each form, and filling + flattening. pdf-lib does the filling; pdfForm.ts
// repairs what it gets wrong on real forms. A filled form is returned as bytes and never stored.
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ParseSpeeds, PDFCheckBox, PDFDocument, PDFDropdown, PDFOptionList, PDFRadioGroup, PDFTextField, StandardFonts, type PDFFont } from 'pdf-lib';
import { IDLE_SECONDS_DEFAULT } from '../../../../shared/contract/teleservice.js';
import { ExpectedError } from '../../../../shared/errors.js';
import type { Logger } from '../../logger.js';
import { qpdfDecrypt, type Decrypt } from './decrypt.js';
import { FormManifest } from './manifest.js';
import { deflateNatively } from './nativeDeflate.js';
import { flattenForm, prepareForm, readFields, setOnState, showsTicked, type PdfFieldInfo } from './pdfForm.js';
import { screenPdf, type RefusalReason } from './screening.js';

export type FormFieldKind = 'text' | 'multiline' | 'checkbox' | 'choice' | 'date';

export interface FormOption {
  /** What is set in the PDF (a radio's on-state, a list's entry). */
  value: string;
  /** What the visitor reads: the manifest's label, else the PDF's display text. */
  label: string;
  labelEn: string | null;
}

export interface FormFieldDescriptor {
  /** The key of `values` in fillForm: `f` + the field's position in the PDF (PDF names may repeat or be very long). */
  id: string;
  /** The PDF field's full name (the manifest's key). */
  name: string;
  kind: FormFieldKind;
  label: string;
  labelEn: string | null;
  help: string | null;
  helpEn: string | null;
  required: boolean;
  /** Text fields: the PDF's maximum length, if any. */
  maxLength: number | null;
  /** Text fields drawn one character per cell (comb): a date there takes the cells' format. */
  comb: boolean;
  /** Choice fields: the allowed values, in order, each once. */
  options: FormOption[];
  /** Choice fields: several values may be chosen (a PDF option list with multi-select). */
  multiple: boolean;
  /** Choice fields: a radio group in the PDF. */
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

/** A file of the forms folder that is not offered to visitors, and why. */
export interface RefusedForm {
  file: string;
  reason: RefusalReason;
}

/** Keyed by field id. Text and dates as strings (dates `YYYY-MM-DD`), checkboxes as booleans, choices as a string or, when multiple, strings. */
export type FormValues = Record<string, string | boolean | string[]>;

export interface FilledForm {
  pdf: Uint8Array;
  pages: number;
  /** Fields whose text does not fit its box even small: printing is refused until they are shortened. */
  overflow: string[];
}

interface LoadedForm {
  manifest: FormManifest;
  pdfPath: string;
  /** A form encrypted with an owner password only, read without its encryption (kept in memory, not written). */
  decrypted?: Uint8Array;
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
    // pdf-lib spaces lines by 1.2 × the font's height; one line needs only the height (an 8.9 pt box holds 5 pt text).
    const height = multiline ? lines * font.heightAtSize(size) * 1.2 : font.heightAtSize(size);
    if (fitsWidth && height <= box.height) return size;
  }
  return 0;
}

export interface FormsServiceOptions {
  /** The folder holding `<name>.pdf` + `<name>.json` pairs (assets/forms). */
  dir: string;
  logger: Logger;
  /** Removes an owner-password-only encryption (qpdf by default). */
  decrypt?: Decrypt;
  /** How long the form last previewed is kept in memory for « Imprimer » (the visitor screens' default idle delay). */
  previewKeepMs?: number;
  /** The clock that dates a preview (Date.now by default). */
  now?: () => number;
}

/** The same form with the same values: the order in which the screen sent the fields does not matter. */
function fillKey(id: string, values: FormValues): string {
  return JSON.stringify([id, Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
}

export class FormsService {
  private readonly dir: string;
  private readonly logger: Logger;
  private readonly decrypt: Decrypt;
  private catalogue: { forms: Map<string, LoadedForm>; refused: RefusedForm[] } | null = null;
  private readonly previewKeepMs: number;
  /**
   * The form last previewed, in memory only: « Imprimer » after the preview prints these very bytes (what the screen
   * showed, without filling the form a second time). Taken by the print, dropped when another form is previewed,
   * and forgotten after `previewKeepMs` (a visitor who left without printing).
   */
  private previewed: { key: string; filled: FilledForm; until: number; timer: ReturnType<typeof setTimeout> } | null = null;
  private readonly now: () => number;

  constructor(options: FormsServiceOptions) {
    this.dir = options.dir;
    this.logger = options.logger;
    this.decrypt = options.decrypt ?? qpdfDecrypt();
    this.previewKeepMs = options.previewKeepMs ?? IDLE_SECONDS_DEFAULT * 1_000;
    this.now = options.now ?? Date.now;
  }

  /** Drops the form last previewed (the visitor's session ended). */
  forgetPreview(): void {
    if (this.previewed) clearTimeout(this.previewed.timer);
    this.previewed = null;
  }

  /** The preview: fills and checks as fillFormChecked, and keeps the result for the print that usually follows. */
  async previewForm(id: string, values: FormValues): Promise<FilledForm> {
    const filled = await this.fillFormChecked(id, values);
    this.forgetPreview();
    const timer = setTimeout(() => this.forgetPreview(), this.previewKeepMs);
    timer.unref?.();
    this.previewed = { key: fillKey(id, values), filled, until: this.now() + this.previewKeepMs, timer };
    return filled;
  }

  /**
   * Reads the manifests again (after a site added a form). A bad manifest, or a PDF that cannot be filled (not a PDF,
   * damaged, password-protected, XFA-only, no field), is refused here, logged with a code, and listed for the
   * mediator; the others still load.
   */
  async reload(): Promise<void> {
    this.forgetPreview();
    const forms = new Map<string, LoadedForm>();
    const refused: RefusedForm[] = [];
    let names: string[] = [];
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith('.json')).sort();
    } catch (error) {
      this.logger.error({ code: 'FORMS_DIR_UNREADABLE', dir: this.dir, err: error }, 'forms folder unreadable');
    }
    for (const name of names) {
      let manifest: FormManifest;
      try {
        manifest = FormManifest.parse(JSON.parse(await readFile(join(this.dir, name), 'utf8')));
        if (forms.has(manifest.id)) throw new Error(`duplicate form id ${manifest.id}`);
      } catch (error) {
        this.logger.warn({ code: 'FORM_MANIFEST_INVALID', file: name, err: error }, 'form manifest skipped');
        refused.push({ file: name, reason: 'manifest' });
        continue;
      }
      const pdfPath = join(this.dir, manifest.file);
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await readFile(pdfPath));
      } catch {
        this.logger.warn({ code: 'FORM_PDF_MISSING', file: manifest.file }, 'form PDF missing');
        refused.push({ file: manifest.file, reason: 'missing' });
        continue;
      }
      let screening = await screenPdf(bytes);
      let decrypted: Uint8Array | undefined;
      if (!screening.ok && screening.reason === 'encrypted') {
        // Encrypted with an owner password only: it opens without one, as in any reader, and is filled decrypted.
        const result = await this.decrypt(resolve(pdfPath));
        if (result.ok) {
          decrypted = result.bytes;
          screening = await screenPdf(decrypted);
          this.logger.info({ code: 'FORM_PDF_DECRYPTED', file: manifest.file }, 'form PDF read without its owner-password encryption');
        } else this.logger.warn({ code: 'FORM_PDF_ENCRYPTED', file: manifest.file, why: result.why }, 'encrypted form PDF not decrypted');
      }
      if (!screening.ok) {
        this.logger.warn({ code: 'FORM_PDF_REFUSED', file: manifest.file, reason: screening.reason }, 'form PDF refused');
        refused.push({ file: manifest.file, reason: screening.reason });
        continue;
      }
      forms.set(manifest.id, decrypted ? { manifest, pdfPath, decrypted } : { manifest, pdfPath });
    }
    this.catalogue = { forms, refused };
  }

  private async all(): Promise<Map<string, LoadedForm>> {
    if (!this.catalogue) await this.reload();
    return (this.catalogue as { forms: Map<string, LoadedForm> }).forms;
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

  /** Files of the forms folder not offered to visitors, with the reason (for the mediator's view). */
  async refusedForms(): Promise<RefusedForm[]> {
    await this.all();
    return [...(this.catalogue as { refused: RefusedForm[] }).refused];
  }

  /** The blank PDF, as shipped (without its encryption when it had an owner password only). */
  async blankPdf(id: string): Promise<Uint8Array> {
    const form = await this.form(id);
    return form.decrypted ? form.decrypted.slice() : new Uint8Array(await readFile(form.pdfPath));
  }

  private async open(id: string): Promise<{ manifest: FormManifest; doc: PDFDocument; fields: Array<{ info: PdfFieldInfo; d: FormFieldDescriptor }> }> {
    const { manifest } = await this.form(id);
    // pdf-lib yields to the event loop every 100 objects by default: on a busy machine each yield waited its turn, and a
    // 236-field form took twice its CPU time. Every 1,500 objects still lets the main process answer in between.
    const doc = await PDFDocument.load(await this.blankPdf(id), { updateMetadata: false, parseSpeed: ParseSpeeds.Fast });
    prepareForm(doc);
    return { manifest, doc, fields: describeFields(readFields(doc), manifest) };
  }

  async describeForm(id: string): Promise<FormDescription> {
    const { manifest, doc, fields } = await this.open(id);
    return { ...summaryOf(manifest), pages: doc.getPageCount(), fields: fields.map((f) => f.d) };
  }

  /** Fills the form with `values` and flattens it; refuses (INVALID_INPUT naming the field) a text too long for its box. */
  async fillForm(id: string, values: FormValues): Promise<Uint8Array> {
    return (await this.printable(id, values)).pdf;
  }

  /** What « Imprimer » prints: the preview's own bytes when the same values were just previewed, else a new fill. */
  async printable(id: string, values: FormValues): Promise<{ pdf: Uint8Array; pages: number }> {
    const p = this.previewed;
    const kept = p && p.key === fillKey(id, values) && this.now() <= p.until ? p.filled : null;
    this.forgetPreview();
    const filled = kept ?? (await this.fillFormChecked(id, values));
    const first = filled.overflow[0];
    if (first !== undefined) throw new ExpectedError('INVALID_INPUT', 'Un texte est trop long pour sa case.', { field: first, reason: 'too-long' });
    return { pdf: filled.pdf, pages: filled.pages };
  }

  /** Fills and flattens, and says which fields' text would not fit (the preview shows them to the visitor). */
  async fillFormChecked(id: string, values: FormValues): Promise<FilledForm> {
    const { doc, fields } = await this.open(id);
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const byId = new Map(fields.map((f) => [f.d.id, f]));
    const overflow: string[] = [];
    for (const [key, value] of Object.entries(values)) {
      const f = byId.get(key);
      if (!f) throw new ExpectedError('INVALID_INPUT', 'Champ inconnu.', { field: key, reason: 'unknown' });
      if (!setField(f.info, f.d, value, font)) overflow.push(f.d.id);
    }
    // The paper shows what the screen showed: a value the PDF came with (sample data) is cleared unless typed again.
    for (const { info, d } of fields) if (!(d.id in values)) clearField(info);
    for (const { info } of fields) {
      const field = info.field;
      try {
        if (field instanceof PDFDropdown) field.setFontSize(choiceFontSize(field, font));
        else if (field instanceof PDFOptionList) {
          field.setFontSize(CHOICE_FONT_SIZE);
          scrollToSelected(field);
        }
        if (field.needsAppearancesUpdate()) field.defaultUpdateAppearances(font);
      } catch (error) {
        // The field keeps the appearance it had; one odd field must not stop the others from printing.
        this.logger.warn({ code: 'FORM_FIELD_APPEARANCE', form: id, field: info.index, err: (error as Error).name }, 'field appearance not regenerated');
      }
    }
    flattenForm(doc);
    this.logger.debug({ code: 'FORM_FILLED', form: id, fields: Object.keys(values).length, overflow: overflow.length }, 'form filled');
    // Classic cross-reference table: pdf-lib's object streams cannot hold the generation-1 objects of some forms.
    deflateNatively(doc);
    return { pdf: await doc.save({ useObjectStreams: false, objectsPerTick: ParseSpeeds.Fast }), pages: doc.getPageCount(), overflow };
  }
}

function describeFields(infos: PdfFieldInfo[], manifest: FormManifest): Array<{ info: PdfFieldInfo; d: FormFieldDescriptor }> {
  const order = Object.keys(manifest.fields);
  const out = infos.map((info) => {
    const m = manifest.fields[info.name];
    // The manifest relabels an option by its value or by the radio's on-state (the code a form shows as « 1 », « Choix1 »).
    const relabel = (labels: Record<string, string> | undefined, o: PdfFieldInfo['options'][number]): string | undefined => labels?.[o.value] ?? (o.code === undefined ? undefined : labels?.[o.code]);
    const options: FormOption[] = info.options.map((o) => ({ value: o.value, label: relabel(m?.options, o) ?? o.label, labelEn: relabel(m?.optionsEn, o) ?? null }));
    const kind: FormFieldKind =
      info.kind === 'checkbox' ? 'checkbox' : info.kind === 'text' ? (m?.kind === 'date' ? 'date' : info.multiline ? 'multiline' : 'text') : 'choice';
    const d: FormFieldDescriptor = {
      id: `f${info.index}`,
      name: info.name,
      kind,
      label: m?.label ?? info.tooltip ?? info.name,
      labelEn: m?.labelEn ?? null,
      help: m?.help ?? null,
      helpEn: m?.helpEn ?? null,
      required: m?.required ?? info.required,
      maxLength: info.maxLength,
      comb: info.comb,
      options,
      multiple: info.multiple,
      radio: info.kind === 'radio',
    };
    return { info, d };
  });
  const rank = (n: string): number => {
    const i = order.indexOf(n);
    return i === -1 ? order.length : i;
  };
  return out.sort((a, b) => rank(a.d.name) - rank(b.d.name) || a.info.index - b.info.index);
}

const invalid = (d: FormFieldDescriptor, reason: string, why: string, n?: number): ExpectedError =>
  new ExpectedError('INVALID_INPUT', `Champ « ${d.label.slice(0, 80)} » : ${why}`, n === undefined ? { field: d.id, reason } : { field: d.id, reason, n });

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

/** Sets a text and a font size at which it fits; false when it cannot fit even small (the text is set anyway, for the preview). */
function setText(field: PDFTextField, text: string, font: PDFFont, d: FormFieldDescriptor): boolean {
  const max = field.getMaxLength();
  if (max !== undefined && text.length > max) throw invalid(d, 'max-length', `${max} caractères au plus`, max);
  const widget = field.acroField.getWidgets()[0];
  field.setText(text);
  if (!widget || text === '') return true;
  const rect = widget.getRectangle();
  // pdf-lib's text layout keeps the border and 1 pt of padding clear on each side.
  const inset = 2 * ((widget.getBorderStyle()?.getWidth() ?? 0) + 1);
  const box = { width: rect.width - inset, height: rect.height - inset };
  if (d.comb && max) {
    // One character per cell: the size that fits the widest character in a cell.
    field.setFontSize(Math.max(MIN_FONT_SIZE, fittingFontSize('W', font, { width: rect.width / max, height: box.height }, false) || MIN_FONT_SIZE));
    return true;
  }
  let size = fittingFontSize(text, font, box, field.isMultiline());
  if (size === 0 && !field.isMultiline()) {
    // Too long for one line even small: wrap it rather than clip it.
    field.enableMultiline();
    size = fittingFontSize(text, font, box, true);
  }
  field.setFontSize(size === 0 ? MIN_FONT_SIZE : size);
  return size !== 0;
}

/**
 * A dropdown's size: CHOICE_FONT_SIZE, or smaller so the chosen entry fits its box (a tax form's 26 pt box holding
 * « CO - Credits carried over from a prior year » was cut to « CO - Cre »); never under MIN_FONT_SIZE.
 */
function choiceFontSize(field: PDFDropdown, font: PDFFont): number {
  const chosen = field.getSelected()[0];
  const rect = field.acroField.getWidgets()[0]?.getRectangle();
  if (!chosen || !rect) return CHOICE_FONT_SIZE;
  const inset = 2 * ((field.acroField.getWidgets()[0]?.getBorderStyle()?.getWidth() ?? 0) + 1);
  const fit = fittingFontSize(chosen, font, { width: rect.width - inset, height: rect.height - inset }, false);
  return Math.max(MIN_FONT_SIZE, Math.min(CHOICE_FONT_SIZE, fit || MIN_FONT_SIZE));
}

/**
 * A list box shows its entries from the top and pdf-lib ignores /TI (the entry a reader scrolls to), so « Zimbabwe »
 * chosen in a 200-country list was not on paper: the list is drawn from its first chosen entry, as a reader scrolls.
 * The form is flattened after, so the shortened /Opt never reaches the paper's reader.
 */
function scrollToSelected(field: PDFOptionList): void {
  const selected = field.getSelected();
  const options = field.getOptions();
  if (field.isSorted()) options.sort();
  const first = options.findIndex((o) => selected.includes(o));
  if (first <= 0) return;
  field.setOptions(options.slice(first));
  field.select(selected);
}

/** A date `YYYY-MM-DD` as the box wants it: JJ/MM/AAAA, or the comb's cells (8: JJMMAAAA, 6: JJMMAA). */
function dateText(value: string, d: FormFieldDescriptor): string {
  const m = DATE.exec(value);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !date || date.getUTCDate() !== Number(m[3]) || date.getUTCMonth() !== Number(m[2]) - 1) throw invalid(d, 'date', 'date jj/mm/aaaa attendue');
  const [, y = '', mo = '', day = ''] = m;
  const cells = d.maxLength;
  if (cells === null || cells >= 10) return `${day}/${mo}/${y}`;
  if (cells === 8) return `${day}${mo}${y}`;
  if (cells === 6) return `${day}${mo}${y.slice(2)}`;
  throw invalid(d, 'date-cells', `${cells} cases ne peuvent pas recevoir une date`, cells);
}

function clearField(info: PdfFieldInfo): void {
  const field = info.field;
  if (field instanceof PDFTextField) {
    if (field.getText()) field.setText('');
  } else if (field instanceof PDFCheckBox || field instanceof PDFRadioGroup) {
    // Any on-state counts, in /V or in a box's own /AS: isChecked() and getSelected() see only the first and /V.
    if (showsTicked(field)) setOnState(field, undefined);
  } else if (field instanceof PDFDropdown || field instanceof PDFOptionList) {
    if (field.getSelected().length) field.clear();
  }
}

/** Sets one value; false when its text does not fit the box. */
function setField(info: PdfFieldInfo, d: FormFieldDescriptor, value: string | boolean | string[], font: PDFFont): boolean {
  const field = info.field;
  switch (d.kind) {
    case 'checkbox': {
      if (typeof value !== 'boolean' || !(field instanceof PDFCheckBox)) throw invalid(d, 'type', 'oui ou non attendu');
      if (value) field.check();
      else field.uncheck();
      return true;
    }
    case 'date': {
      if (typeof value !== 'string' || !(field instanceof PDFTextField)) throw invalid(d, 'type', 'date attendue');
      return setText(field, value === '' ? '' : dateText(value, d), font, d);
    }
    case 'text':
    case 'multiline': {
      if (typeof value !== 'string' || !(field instanceof PDFTextField)) throw invalid(d, 'type', 'texte attendu');
      const text = drawable(value, font);
      if (d.comb && d.maxLength !== null && text.length > d.maxLength) throw invalid(d, 'comb', `${d.maxLength} caractères attendus`, d.maxLength);
      return setText(field, text, font, d);
    }
    case 'choice': {
      const chosen = typeof value === 'string' ? (value === '' ? [] : [value]) : Array.isArray(value) ? value : null;
      if (!chosen) throw invalid(d, 'type', 'choix attendu');
      if (chosen.length > 1 && !d.multiple) throw invalid(d, 'one-choice', 'un seul choix possible');
      if (chosen.some((c) => !d.options.some((o) => o.value === c))) throw invalid(d, 'choice', 'choix inconnu');
      if (field instanceof PDFRadioGroup) {
        if (chosen[0] !== undefined) field.select(chosen[0]);
        else field.clear();
      } else if (field instanceof PDFCheckBox) {
        setOnState(field, chosen[0]);
      } else if (field instanceof PDFDropdown || field instanceof PDFOptionList) {
        if (chosen.length) field.select(chosen);
        else field.clear();
      }
      return true;
    }
  }
}
