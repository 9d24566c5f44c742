// The ways bench:forms can fill a form: the kiosk's FormsService, or a candidate library used plainly (fill every field,
// regenerate appearances, flatten, save) — pdf-lib 1.17, its maintained fork @cantoo/pdf-lib, and MuPDF.js (AGPL).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pdfLib from 'pdf-lib';
import type { FormsService } from '../../../electron/services/printing/forms/formsService.js';
import { tokenFor, type PrintedText, type TickBox } from '../../support/formsCorpus.js';

export interface FillPlan {
  fieldCount: number;
  values: unknown;
  blankValues: unknown;
  /** Text that must be on paper: typed values and chosen list entries. */
  texts: PrintedText[];
  /** Boxes that must look different from the blank print: ticked checkboxes and chosen radio buttons. */
  ticks: TickBox[];
}

export interface Engine {
  plan(id: string, blank: Uint8Array): Promise<FillPlan>;
  fill(id: string, values: unknown): Promise<Uint8Array>;
}

type PdfLib = typeof pdfLib;

/** Boxes of a field's widgets (all of them, or only the one whose on-state is `onValue`), read with pdf-lib. */
function widgetBoxes(lib: PdfLib, doc: pdfLib.PDFDocument, field: pdfLib.PDFField, onValue?: string): TickBox[] {
  const pages = doc.getPages();
  const boxes: TickBox[] = [];
  for (const widget of field.acroField.getWidgets()) {
    if (onValue !== undefined) {
      const on = widget.getOnValue();
      if (!on || on.decodeText() !== onValue) continue;
    }
    const ref = doc.context.getObjectRef(widget.dict);
    const pageRef = widget.P();
    let page = pages.findIndex((p) => (pageRef !== undefined && p.ref === pageRef) || (ref !== undefined && (p.node.Annots()?.asArray() ?? []).some((a) => a === ref)));
    if (page === -1) page = 0;
    const r = widget.getRectangle();
    // Widgets are placed in the page's coordinates, whose box may not start at 0, 0 (a W-2 at -24, -24).
    const crop = pages[page]?.getCropBox() ?? { x: 0, y: 0, width: 612, height: 792 };
    boxes.push({ field: field.getName(), page, x: r.x - crop.x, y: r.y - crop.y, width: r.width, height: r.height, pageWidth: crop.width, pageHeight: crop.height });
  }
  void lib;
  return boxes;
}

function serviceEngine(forms: FormsService): Engine {
  return {
    async plan(id, blank) {
      const d = await forms.describeForm(id);
      // The form as the service reads it: an owner-password form's field names are encrypted strings in the file.
      void blank;
      const doc = await pdfLib.PDFDocument.load(await forms.blankPdf(id), { ignoreEncryption: true });
      const byName = new Map<string, pdfLib.PDFField[]>();
      for (const f of doc.getForm().getFields()) byName.set(f.getName(), [...(byName.get(f.getName()) ?? []), f]);
      const values: Record<string, string | boolean | string[]> = {};
      const texts: FillPlan['texts'] = [];
      const ticks: TickBox[] = [];
      d.fields.forEach((f, i) => {
        const key = (f as { id?: string }).id ?? f.name;
        const options = f.options as unknown[];
        const last = options[options.length - 1] as string | { value: string; label: string } | undefined;
        const optValue = typeof last === 'string' ? last : last?.value;
        const optLabel = typeof last === 'string' ? last : last?.label;
        const pdfFields = byName.get(f.name) ?? [];
        if (f.kind === 'text' || f.kind === 'multiline') {
          const v = tokenFor(i, f.maxLength);
          values[key] = v;
          texts.push({ field: f.name, value: v, key, boxes: pdfFields.flatMap((p) => widgetBoxes(pdfLib, doc, p)) });
        } else if (f.kind === 'date') {
          values[key] = '2026-01-15';
          texts.push({ field: f.name, value: '15/01/2026' });
        } else if (f.kind === 'checkbox') {
          values[key] = true;
          for (const p of pdfFields) ticks.push(...widgetBoxes(pdfLib, doc, p));
        } else if (f.kind === 'choice' && optValue !== undefined) {
          values[key] = f.multiple ? [optValue] : optValue;
          if (f.radio) for (const p of pdfFields) ticks.push(...widgetBoxes(pdfLib, doc, p, optValue));
          // Boxes too: on a page CUPS printed as a picture, the choice is looked for there.
          else if (optLabel) texts.push({ field: f.name, value: optLabel, boxes: pdfFields.flatMap((p) => widgetBoxes(pdfLib, doc, p)) });
        }
      });
      return { fieldCount: d.fields.length, values, blankValues: {}, texts, ticks };
    },
    async fill(id, values) {
      // Like a visitor told « trop long pour sa case »: shorten those values (2 characters, then 1) and print again.
      const v = values as Record<string, string | boolean | string[]>;
      for (let attempt = 0; ; attempt++) {
        const filled = await forms.fillFormChecked(id, v);
        if (filled.overflow.length === 0 || attempt === 2) return attempt === 2 && filled.overflow.length ? forms.fillForm(id, v) : filled.pdf;
        for (const key of filled.overflow) if (typeof v[key] === 'string') v[key] = (v[key] as string).slice(0, attempt === 0 ? 2 : 1);
      }
    },
  };
}

/** pdf-lib's API, shared by pdf-lib 1.17 and the @cantoo/pdf-lib fork: what a developer following its docs writes. */
function pdfLibEngine(lib: PdfLib, formsDir: string): Engine {
  const bytesOf = (id: string): Uint8Array => new Uint8Array(readFileSync(join(formsDir, `${id}.pdf`)));
  return {
    async plan(_id, blank) {
      const doc = await lib.PDFDocument.load(blank);
      const values = new Map<string, string | boolean>();
      const texts: FillPlan['texts'] = [];
      const ticks: TickBox[] = [];
      doc
        .getForm()
        .getFields()
        .forEach((f, i) => {
          const name = f.getName();
          if (f instanceof lib.PDFTextField) {
            const v = tokenFor(i, f.getMaxLength() ?? null);
            values.set(name, v);
            texts.push({ field: name, value: v });
          } else if (f instanceof lib.PDFCheckBox) {
            values.set(name, true);
            ticks.push(...widgetBoxes(lib, doc, f));
          } else if (f instanceof lib.PDFRadioGroup) {
            const v = f.getOptions().at(-1);
            if (v !== undefined) {
              values.set(name, v);
              ticks.push(...widgetBoxes(lib, doc, f, v));
            }
          } else if (f instanceof lib.PDFDropdown || f instanceof lib.PDFOptionList) {
            const v = f.getOptions().at(-1);
            if (v !== undefined) {
              values.set(name, v);
              texts.push({ field: name, value: v });
            }
          }
        });
      return { fieldCount: values.size, values, blankValues: new Map(), texts, ticks };
    },
    async fill(id, values) {
      const doc = await lib.PDFDocument.load(bytesOf(id));
      const form = doc.getForm();
      for (const [name, v] of values as Map<string, string | boolean>) {
        const f = form.getField(name);
        if (f instanceof lib.PDFTextField) f.setText(String(v));
        else if (f instanceof lib.PDFCheckBox) f.check();
        else if (f instanceof lib.PDFRadioGroup || f instanceof lib.PDFDropdown || f instanceof lib.PDFOptionList) f.select(String(v));
      }
      form.flatten();
      return doc.save();
    },
  };
}

/** MuPDF.js: fill through its widgets, let it regenerate appearances, bake them into the page and save. */
async function mupdfEngine(formsDir: string): Promise<Engine> {
  const mupdf = await import('mupdf');
  const bytesOf = (id: string): Uint8Array => new Uint8Array(readFileSync(join(formsDir, `${id}.pdf`)));
  type Value = { kind: 'text' | 'check' | 'choice'; value: string };
  const open = (bytes: Uint8Array) => {
    const doc = mupdf.Document.openDocument(bytes, 'application/pdf').asPDF();
    if (!doc) throw new Error('not a PDF');
    return doc;
  };
  return {
    async plan(_id, blank) {
      const doc = open(blank);
      const values = new Map<string, Value>();
      const texts: FillPlan['texts'] = [];
      const ticks: TickBox[] = [];
      let i = 0;
      for (let p = 0; p < doc.countPages(); p++) {
        const page = doc.loadPage(p) as InstanceType<typeof mupdf.PDFPage>;
        const [, , pw, ph] = page.getBounds();
        for (const w of page.getWidgets()) {
          const name = w.getName();
          const [x0, y0, x1, y1] = w.getRect();
          const box = { field: name, page: p, x: x0, y: ph - y1, width: x1 - x0, height: y1 - y0, pageWidth: pw, pageHeight: ph };
          const type = w.getFieldType();
          if (type === 'text' && !values.has(name)) {
            const max = w.getMaxLen();
            const v = tokenFor(i++, max > 0 ? max : null);
            values.set(name, { kind: 'text', value: v });
            texts.push({ field: name, value: v });
          } else if (type === 'checkbox') {
            values.set(name, { kind: 'check', value: '' });
            ticks.push(box);
          } else if (type === 'radiobutton' && !values.has(name)) {
            values.set(name, { kind: 'check', value: '' });
            ticks.push(box);
          } else if ((type === 'combobox' || type === 'listbox') && !values.has(name)) {
            const v = w.getOptions().at(-1);
            if (v !== undefined) {
              values.set(name, { kind: 'choice', value: v });
              texts.push({ field: name, value: v });
            }
          }
        }
      }
      return { fieldCount: values.size, values, blankValues: new Map(), texts, ticks };
    },
    async fill(id, values) {
      const doc = open(bytesOf(id));
      const todo = new Map(values as Map<string, Value>);
      for (let p = 0; p < doc.countPages(); p++) {
        const page = doc.loadPage(p) as InstanceType<typeof mupdf.PDFPage>;
        for (const w of page.getWidgets()) {
          const v = todo.get(w.getName());
          if (!v) continue;
          todo.delete(w.getName());
          if (v.kind === 'text') w.setTextValue(v.value);
          else if (v.kind === 'choice') w.setChoiceValue(v.value);
          else w.toggle();
          w.update();
        }
        page.update();
      }
      doc.bake();
      return new Uint8Array(doc.saveToBuffer('garbage=compact,compress').asUint8Array());
    },
  };
}

export async function engineNamed(name: string, forms: FormsService, formsDir: string): Promise<Engine> {
  switch (name) {
    case 'service':
      return serviceEngine(forms);
    case 'pdf-lib':
      return pdfLibEngine(pdfLib, formsDir);
    case 'cantoo':
      return pdfLibEngine((await import('@cantoo/pdf-lib')) as unknown as PdfLib, formsDir);
    case 'mupdf':
      return mupdfEngine(formsDir);
    default:
      throw new Error(`unknown BENCH_ENGINE ${name} (service, pdf-lib, cantoo, mupdf)`);
  }
}
