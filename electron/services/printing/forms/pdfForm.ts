// What pdf-lib gets wrong on real forms, repaired around it: inherited or escaped /DA, XFA left beside the AcroForm,
// fields with the same name, widgets on a missing page, appearance streams referenced indirectly, and the
// cross-reference table of a form whose objects have generation 1. Pure functions over a loaded PDFDocument.
import {
  PDFArray,
  PDFButton,
  PDFCheckBox,
  PDFDict,
  PDFDocument,
  PDFDropdown,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFOperator,
  PDFOperatorNames,
  PDFOptionList,
  PDFRadioGroup,
  PDFRef,
  PDFSignature,
  PDFStream,
  PDFString,
  PDFTextField,
  concatTransformationMatrix,
  drawObject,
  popGraphicsState,
  pushGraphicsState,
  type PDFField,
  type PDFObject,
  type PDFWidgetAnnotation,
} from 'pdf-lib';

const N = (name: string): PDFName => PDFName.of(name);

/** A string object's text, escapes and encodings decoded (pdf-lib's own reader returns `(\057Helv…)` undecoded). */
export function textOf(obj: PDFObject | undefined): string | undefined {
  if (obj instanceof PDFString || obj instanceof PDFHexString) return obj.decodeText();
  return undefined;
}

const NAMELESS_FONT = /(^|\s)\/\s+[\d.]+\s+Tf/;

/** A /DA usable by pdf-lib: decoded, and with a font operator (a DA with only a colour makes setFontSize throw). */
export function usableDa(da: string | undefined): string {
  const text = (da ?? '').trim();
  if (/\/[^\s/]+\s+[\d.]+\s+Tf/.test(text)) return text;
  return `/Helv 0 Tf ${text || '0 g'}`.trim();
}

function inherited(dict: PDFDict, key: string): PDFObject | undefined {
  const seen = new Set<PDFDict>();
  for (let d: PDFDict | undefined = dict; d && !seen.has(d); d = d.lookup(N('Parent')) as PDFDict | undefined) {
    seen.add(d);
    const v = d.lookup(N(key));
    if (v !== undefined) return v;
    if (!(d.lookup(N('Parent')) instanceof PDFDict)) break;
  }
  return undefined;
}

/** Dictionaries reachable from the AcroForm's /Fields through /Kids. */
function reachableFields(fields: PDFArray): Set<PDFDict> {
  const seen = new Set<PDFDict>();
  const visit = (arr: PDFArray): void => {
    for (let i = 0; i < arr.size(); i++) {
      const d = arr.lookup(i);
      if (!(d instanceof PDFDict) || seen.has(d)) continue;
      seen.add(d);
      const kids = d.lookup(N('Kids'));
      if (kids instanceof PDFArray) visit(kids);
    }
  };
  visit(fields);
  return seen;
}

/**
 * Lists in /Fields the fields whose widgets are on a page but that /Fields does not reach. Some generators write the
 * field tree and the pages' widgets as two copies (a CERFA's annex: 54 fields listed, none of them on a page); a
 * reader shows the pages' widgets, so those are the fields the visitor fills.
 */
function adoptPageWidgets(doc: PDFDocument, acro: PDFDict): void {
  let fields = acro.lookup(N('Fields'));
  if (!(fields instanceof PDFArray)) {
    fields = doc.context.obj([]);
    acro.set(N('Fields'), fields);
  }
  const listed = fields as PDFArray;
  const reached = reachableFields(listed);
  for (const page of doc.getPages()) {
    const annots = page.node.lookup(N('Annots'));
    if (!(annots instanceof PDFArray)) continue;
    for (let i = 0; i < annots.size(); i++) {
      const widget = annots.lookup(i);
      if (!(widget instanceof PDFDict) || widget.lookup(N('Subtype')) !== N('Widget') || reached.has(widget)) continue;
      // The field is the widget's topmost ancestor; it joins /Fields once, by reference.
      let raw: PDFObject | undefined = annots.get(i);
      let root: PDFDict = widget;
      const chain = new Set<PDFDict>([widget]);
      for (let parent = root.lookup(N('Parent')); parent instanceof PDFDict && !chain.has(parent); parent = root.lookup(N('Parent'))) {
        raw = root.get(N('Parent'));
        root = parent;
        chain.add(parent);
      }
      if ([...chain].some((d) => reached.has(d)) || !(raw instanceof PDFRef) || inherited(root, 'FT') === undefined || root.lookup(N('T')) === undefined) continue;
      listed.push(raw);
      for (const d of reachableFields(doc.context.obj([raw]))) reached.add(d);
    }
  }
}

/**
 * Removes what makes pdf-lib's form reader warn or fail before a field is touched: XFA (a reader would show the XFA
 * form instead of our values) and the catalog's NeedsRendering; lists the fields only the pages reach; then gives
 * every field and widget a decoded, complete /DA, taken from the field, its parents, or the AcroForm.
 */
export function prepareForm(doc: PDFDocument): void {
  doc.catalog.delete(N('NeedsRendering'));
  const acro = doc.catalog.lookup(N('AcroForm'));
  if (!(acro instanceof PDFDict)) return;
  acro.delete(N('XFA'));
  adoptPageWidgets(doc, acro);
  const formDa = textOf(acro.lookup(N('DA')));
  for (const field of doc.getForm().getFields()) {
    const dict = field.acroField.dict;
    const own = textOf(inherited(dict, 'DA'));
    const da = usableDa(own ?? formDa);
    dict.set(N('DA'), PDFString.of(da));
    // A box whose /DA names no font (« / 12 Tf ») draws its tick in that missing font: poppler and Ghostscript print
    // the box empty. pdf-lib's own appearances draw the tick as a path.
    if ((field instanceof PDFCheckBox || field instanceof PDFRadioGroup) && NAMELESS_FONT.test(own ?? '')) {
      try {
        field.defaultUpdateAppearances();
      } catch {
        // The box keeps its own appearance: an empty tick is no worse than before.
      }
    }
    for (const widget of field.acroField.getWidgets()) {
      if (widget.dict === dict) continue;
      const own = textOf(widget.dict.lookup(N('DA')));
      if (own !== undefined) widget.dict.set(N('DA'), PDFString.of(usableDa(own)));
    }
  }
}

export type FieldKind = 'text' | 'checkbox' | 'radio' | 'dropdown' | 'list';

export interface PdfFieldInfo {
  /** Position among pdf-lib's fields: the stable handle of the field (names may repeat or be very long). */
  index: number;
  field: PDFField;
  name: string;
  kind: FieldKind;
  /** The PDF's own description of the field (/TU), shown when the manifest gives no label. */
  tooltip: string | null;
  required: boolean;
  multiline: boolean;
  comb: boolean;
  maxLength: number | null;
  /** Choices: the value set in the PDF and the text a reader shows for it. */
  options: Array<{ value: string; label: string; code?: string }>;
  multiple: boolean;
}

/** Pages' widget references, to tell a widget on a page from one whose page is missing. */
function widgetsOnPages(doc: PDFDocument): Set<PDFDict> {
  const on = new Set<PDFDict>();
  for (const page of doc.getPages()) {
    const annots = page.node.lookup(N('Annots'));
    if (!(annots instanceof PDFArray)) continue;
    for (let i = 0; i < annots.size(); i++) {
      const a = annots.lookup(i);
      if (a instanceof PDFDict) on.add(a);
    }
  }
  return on;
}

/** Radio options: the widgets' on-states, labelled by the field's /Opt or each widget's /TU when those say more. */
function radioOptions(field: PDFRadioGroup, onPage: Set<PDFDict>): Array<{ value: string; label: string; code: string }> {
  const opt = field.acroField.dict.lookup(N('Opt'));
  // pdf-lib selects a radio by its /Opt text when the field has /Opt, else by the widget's on-state.
  const selectable = field.getOptions();
  const out: Array<{ value: string; label: string; code: string }> = [];
  field.acroField.getWidgets().forEach((w: PDFWidgetAnnotation, i) => {
    if (!onPage.has(w.dict)) return;
    const on = w.getOnValue();
    if (!on) return;
    const value = selectable[i] ?? on.decodeText();
    const fromOpt = opt instanceof PDFArray ? textOf(opt.lookup(i)) : undefined;
    const label = fromOpt ?? textOf(w.dict.lookup(N('TU'))) ?? value;
    if (!out.some((o) => o.value === value)) out.push({ value, label, code: on.decodeText() });
  });
  return out;
}

/**
 * A checkbox field whose widgets have different on-states (a CERFA's « CAC0 »: eight boxes /1…/9 under one name, the
 * /Opt giving their labels) works as one choice among them: pdf-lib can only tick the first. Its options, one per
 * on-state, labelled by /Opt or the widget's /TU.
 */
function onStateOptions(field: PDFCheckBox, onPage: Set<PDFDict>): Array<{ value: string; label: string; code: string }> {
  const opt = field.acroField.dict.lookup(N('Opt'));
  const out: Array<{ value: string; label: string; code: string }> = [];
  field.acroField.getWidgets().forEach((w: PDFWidgetAnnotation, i) => {
    const on = w.getOnValue()?.decodeText();
    if (!onPage.has(w.dict) || on === undefined || out.some((o) => o.value === on)) return;
    const label = (opt instanceof PDFArray ? textOf(opt.lookup(i)) : undefined) ?? textOf(w.dict.lookup(N('TU'))) ?? on;
    out.push({ value: on, label, code: on });
  });
  return out;
}

/** Ticks the widgets whose on-state is `state` and no other (`undefined` ticks none), as a reader does for a click. */
export function setOnState(field: PDFCheckBox | PDFRadioGroup, state: string | undefined): void {
  const value = state === undefined ? N('Off') : N(state);
  field.acroField.dict.set(N('V'), value);
  for (const w of field.acroField.getWidgets()) w.setAppearanceState(w.getOnValue() === value ? value : N('Off'));
}

/**
 * Whether any box of the field shows ticked: its value, or a widget's own /AS (a radio whose kid says /V /Off but
 * /AS /Choice1 still prints the tick).
 */
export function showsTicked(field: PDFCheckBox | PDFRadioGroup): boolean {
  const off = N('Off');
  if (field.acroField.dict.lookup(N('V')) instanceof PDFName && field.acroField.dict.lookup(N('V')) !== off) return true;
  return field.acroField.getWidgets().some((w) => {
    const state = w.getAppearanceState();
    return state !== undefined && state !== off;
  });
}

const FLAG_HIDDEN = 1 << 1;
const FLAG_PRINT = 1 << 2;

/** A widget with the Hidden annotation flag: readers neither show nor print it. */
function isHidden(widget: PDFDict): boolean {
  const flags = widget.lookup(N('F'));
  return flags instanceof PDFNumber && (flags.asNumber() & FLAG_HIDDEN) !== 0;
}

/** The fields a visitor can fill, in pdf-lib's order; buttons, signatures, read-only fields and fields on no page or hidden are left out. */
export function readFields(doc: PDFDocument): PdfFieldInfo[] {
  const onPage = widgetsOnPages(doc);
  const out: PdfFieldInfo[] = [];
  doc
    .getForm()
    .getFields()
    .forEach((field, index) => {
      if (field instanceof PDFButton || field instanceof PDFSignature || field.isReadOnly()) return;
      // A field shown by no widget (all on no page, or hidden: a 160F's « minus1 » helper) is not asked for: it would
      // be neither on screen in a reader nor on paper.
      if (!field.acroField.getWidgets().some((w) => onPage.has(w.dict) && !isHidden(w.dict))) return;
      const base = {
        index,
        field,
        name: field.getName(),
        tooltip: textOf(field.acroField.dict.lookup(N('TU'))) ?? null,
        required: field.isRequired(),
        multiline: false,
        comb: false,
        maxLength: null as number | null,
        options: [] as Array<{ value: string; label: string; code?: string }>,
        multiple: false,
      };
      const unique = (values: string[]) => [...new Set(values)].map((v) => ({ value: v, label: v }));
      if (field instanceof PDFTextField) {
        out.push({ ...base, kind: 'text', multiline: field.isMultiline(), comb: field.isCombed(), maxLength: field.getMaxLength() ?? null });
      } else if (field instanceof PDFCheckBox) {
        const states = onStateOptions(field, onPage);
        out.push(states.length > 1 ? { ...base, kind: 'radio', options: states } : { ...base, kind: 'checkbox' });
      } else if (field instanceof PDFRadioGroup) {
        out.push({ ...base, kind: 'radio', options: radioOptions(field, onPage) });
      } else if (field instanceof PDFDropdown) {
        out.push({ ...base, kind: 'dropdown', options: unique(field.getOptions()) });
      } else if (field instanceof PDFOptionList) {
        out.push({ ...base, kind: 'list', options: unique(field.getOptions()), multiple: field.isMultiselect() });
      }
    });
  return out;
}

function numbers(arr: PDFObject | undefined, fallback: number[]): number[] {
  if (!(arr instanceof PDFArray)) return fallback;
  const out = arr.asArray().map((_, i) => (arr.lookup(i) instanceof PDFNumber ? (arr.lookup(i) as PDFNumber).asNumber() : Number.NaN));
  return out.length === fallback.length && out.every(Number.isFinite) ? out : fallback;
}

/** The appearance a widget shows now: /AP /N, or its /AS state when /N holds states; every level may be indirect. */
function currentAppearance(doc: PDFDocument, widget: PDFDict): PDFRef | undefined {
  const ap = widget.lookup(N('AP'));
  if (!(ap instanceof PDFDict)) return undefined;
  let raw = ap.get(N('N'));
  let normal = doc.context.lookup(raw);
  if (normal instanceof PDFDict && !(normal instanceof PDFStream)) {
    const state = widget.lookup(N('AS'));
    if (!(state instanceof PDFName)) return undefined;
    raw = normal.get(state);
    normal = doc.context.lookup(raw);
  }
  if (!(normal instanceof PDFStream)) return undefined;
  return raw instanceof PDFRef ? raw : doc.context.register(normal);
}

/**
 * Draws every printable widget's current appearance into its page and removes the form: what a reader shows is now
 * page content, the same for pdf.js, poppler, Ghostscript and CUPS. Widgets on no page are dropped with the form.
 */
export function flattenForm(doc: PDFDocument): void {
  for (const page of doc.getPages()) {
    const annots = page.node.lookup(N('Annots'));
    if (!(annots instanceof PDFArray)) continue;
    const kept: PDFObject[] = [];
    const ops = [];
    for (let i = 0; i < annots.size(); i++) {
      const raw = annots.get(i);
      const annot = annots.lookup(i);
      if (!(annot instanceof PDFDict)) continue;
      if (annot.lookup(N('Subtype')) !== N('Widget')) {
        kept.push(raw);
        continue;
      }
      const flags = (annot.lookup(N('F')) as PDFNumber | undefined)?.asNumber() ?? 0;
      const ff = (inherited(annot, 'Ff') as PDFNumber | undefined)?.asNumber() ?? 0;
      const pushButton = inherited(annot, 'FT') === N('Btn') && (ff & (1 << 16)) !== 0;
      if (flags & FLAG_HIDDEN || (pushButton && !(flags & FLAG_PRINT))) continue;
      const ref = currentAppearance(doc, annot);
      if (!ref) continue;
      const stream = doc.context.lookup(ref) as PDFStream;
      const [rx0, ry0, rx1, ry1] = numbers(annot.lookup(N('Rect')), [0, 0, 0, 0]) as [number, number, number, number];
      const rect = { x: Math.min(rx0, rx1), y: Math.min(ry0, ry1), w: Math.abs(rx1 - rx0), h: Math.abs(ry1 - ry0) };
      if (rect.w === 0 || rect.h === 0) continue;
      stream.dict.set(N('Type'), N('XObject'));
      stream.dict.set(N('Subtype'), N('Form'));
      if (!(stream.dict.lookup(N('BBox')) instanceof PDFArray)) stream.dict.set(N('BBox'), doc.context.obj([0, 0, rect.w, rect.h]));
      const bbox = numbers(stream.dict.lookup(N('BBox')), [0, 0, rect.w, rect.h]) as [number, number, number, number];
      const [a, b, c, d, e, f] = numbers(stream.dict.lookup(N('Matrix')), [1, 0, 0, 1, 0, 0]) as [number, number, number, number, number, number];
      // The form's own /Matrix applies when it is painted; map its transformed box onto the widget's rectangle.
      const corners = [
        [bbox[0], bbox[1]],
        [bbox[2], bbox[1]],
        [bbox[0], bbox[3]],
        [bbox[2], bbox[3]],
      ].map(([x = 0, y = 0]) => [a * x + c * y + e, b * x + d * y + f] as const);
      const xs = corners.map((p) => p[0]);
      const ys = corners.map((p) => p[1]);
      const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
      if (maxX - minX === 0 || maxY - minY === 0) continue;
      const sx = rect.w / (maxX - minX);
      const sy = rect.h / (maxY - minY);
      const name = page.node.newXObject('FlatWidget', ref);
      // An appearance stream expects the default graphics state, as a reader gives it. Drawn in the page, a « 0.9 sc »
      // meant as grey came out of CUPS in the colour space the page's content had used (a 1040's boxes printed black).
      ops.push(
        pushGraphicsState(),
        PDFOperator.of(PDFOperatorNames.NonStrokingColorspace, [N('DeviceGray')]),
        PDFOperator.of(PDFOperatorNames.StrokingColorspace, [N('DeviceGray')]),
        concatTransformationMatrix(sx, 0, 0, sy, rect.x - minX * sx, rect.y - minY * sy),
        drawObject(name),
        popGraphicsState(),
      );
    }
    if (ops.length) page.pushOperators(...ops);
    if (kept.length) page.node.set(N('Annots'), doc.context.obj(kept));
    else page.node.delete(N('Annots'));
  }
  doc.catalog.delete(N('AcroForm'));
}
