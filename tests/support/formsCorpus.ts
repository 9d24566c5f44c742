// The real-forms corpus and the checks made on what CUPS printed: shared by `npm run bench:forms` and the forms tests.
// A form "prints what the screen showed" when CUPS's output passes qpdf --check, holds every typed value as text,
// shows every tick (raster diff against the same form printed blank) and renders in Ghostscript.
import { execFile as execFileCb } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

const execFile = promisify(execFileCb);
const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Where the real forms are: `RELAIS_FORMS_CORPUS`, else `shared/forms-corpus` beside the checkout (the steering
 * repository's shared folder, where fetched public files are kept), else `tests/forms-corpus/pdf` (a local copy).
 * Each has `fillable/` (real AcroForm PDFs) and `refused/` (files the kiosk must refuse). SOURCES.md says where each
 * file comes from.
 */
export function formsCorpusDir(): string | null {
  const candidates = [process.env.RELAIS_FORMS_CORPUS, join(ROOT, '..', 'shared', 'forms-corpus'), join(ROOT, 'tests', 'forms-corpus', 'pdf')];
  return candidates.find((d): d is string => d !== undefined && existsSync(join(d, 'fillable'))) ?? null;
}

export const pdfsIn = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => n.toLowerCase().endsWith('.pdf'))
        .sort()
        .map((n) => join(dir, n))
    : [];

/** A form's id for the manifest, from its file name. */
export const formIdOf = (file: string): string =>
  basename(file, '.pdf')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .padEnd(2, '0');

/** A value nobody else on the page has: `Q` + 3 base-36 digits + `X` (5 characters); digits only when the box is shorter. */
export function tokenFor(index: number, maxLength: number | null): string {
  const token = `Q${index.toString(36).toUpperCase().padStart(3, '0')}X`;
  if (maxLength === null || maxLength >= token.length) return token;
  return String(index % 10 ** maxLength).padStart(maxLength, '7');
}

/** A rectangle on a page, in PDF points of the blank form, from the lower-left corner of the page's crop box. */
export interface TickBox {
  field: string;
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
  pageWidth: number;
  pageHeight: number;
}

/** A value that must be on paper; `key` names it in the values given to the fill, `boxes` are its widgets. */
export interface PrintedText {
  field: string;
  value: string;
  key?: string;
  boxes?: TickBox[];
}

export interface OutputCheck {
  ok: boolean;
  reasons: string[];
}

async function tool(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(error) };
  }
}

/** Gray pixels of each page at `dpi`, by poppler's pdftoppm (PGM). */
async function rasterize(pdf: string, dpi: number): Promise<Array<{ width: number; height: number; pixels: Uint8Array }>> {
  const dir = mkdtempSync(join(tmpdir(), 'relais-raster-'));
  try {
    const r = await tool('pdftoppm', ['-r', String(dpi), '-gray', pdf, join(dir, 'p')]);
    if (r.code !== 0) throw new Error(`pdftoppm: ${r.stderr.trim().slice(0, 200)}`);
    const { readFileSync } = await import('node:fs');
    return readdirSync(dir)
      .sort()
      .map((n) => {
        const buf = readFileSync(join(dir, n));
        // P5 header: "P5\n<w> <h>\n255\n"
        const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(buf.subarray(0, 40).toString('latin1'));
        if (!header) throw new Error('pdftoppm wrote no PGM');
        const width = Number(header[1]);
        const height = Number(header[2]);
        return { width, height, pixels: new Uint8Array(buf.subarray(header[0].length)) };
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const DPI = 60;

/**
 * How much a box changed between the blank and the filled print, mapped from the form's page to the printed page as
 * the PDF queue (pdftopdf, pdftops, then cups-pdf's Ghostscript) places it with the kiosk's `print-scaling=auto-fit`,
 * measured with pdftotext -bbox on its output: the paper is turned like the page; a page that fits is centred
 * unscaled (a 540 × 360 form on landscape A4); a larger one is shrunk to fit, centred (a Letter form on A4 comes out
 * ×0.972). The box is given from its page's lower-left corner (a page's box may start at -24, -24).
 */
function changedInBox(blank: { width: number; height: number; pixels: Uint8Array }, filled: { width: number; height: number; pixels: Uint8Array }, box: TickBox): number {
  const outW = filled.width / (DPI / 72);
  const outH = filled.height / (DPI / 72);
  const fits = box.pageWidth <= outW * 1.01 && box.pageHeight <= outH * 1.01;
  const scale = fits ? 1 : Math.min(outW / box.pageWidth, outH / box.pageHeight);
  const offX = (outW - box.pageWidth * scale) / 2;
  const offY = (outH - box.pageHeight * scale) / 2;
  const px = DPI / 72;
  const x0 = Math.max(0, Math.floor((offX + box.x * scale) * px) - 1);
  const x1 = Math.min(filled.width - 1, Math.ceil((offX + (box.x + box.width) * scale) * px) + 1);
  const top = outH - offY - (box.y + box.height) * scale;
  const y0 = Math.max(0, Math.floor(top * px) - 1);
  const y1 = Math.min(filled.height - 1, Math.ceil((top + box.height * scale) * px) + 1);
  // Counted in units of one strongly changed pixel (60 grey levels): a radio's 3 pt dot covers parts of one or two
  // pixels at this resolution and changes none of them by 60 levels, but its summed change is well above 2 units.
  let changed = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const i = y * filled.width + x;
      changed += Math.abs((filled.pixels[i] ?? 0) - (blank.pixels[i] ?? 0));
    }
  }
  return changed / 60;
}

/** Text without its spaces and control characters, to find a value however a page's text is laid out. */
const squeezed = (text: string): string => text.replace(/[\s\p{Cc}\p{Cf}]+/gu, '');

/**
 * Checks a printed (CUPS output) PDF: structure (qpdf), every text value present (pdftotext, spaces ignored so comb
 * cells count), every tick visible against the blank print, and a Ghostscript render without error.
 */
export async function checkPrintedForm(printed: string, blankPrinted: string | null, texts: PrintedText[], ticks: TickBox[]): Promise<OutputCheck> {
  const reasons: string[] = [];
  const q = await tool('qpdf', ['--check', printed]);
  if (q.code !== 0) reasons.push(`qpdf --check: ${(q.stderr || q.stdout).trim().split('\n').slice(-1)[0] ?? ''}`.slice(0, 160));
  const t = await tool('pdftotext', ['-layout', printed, '-']);
  if (t.code !== 0) reasons.push(`pdftotext failed: ${t.stderr.trim().slice(0, 120)}`);
  // pdftotext ends each page with a form feed: the text of page i is pageTexts[i]. Control characters are dropped with
  // the spaces: a page's own glyphs that map to no letter (a CERFA's subset font through PostScript level 3) come out
  // as \x03 and may fall between the cells of a comb (« Q0\x0303X »).
  const pageTexts = t.stdout.split('\f').map(squeezed);
  // The text in drawing order too: a form's dot leaders drawn over a box split « FORM 8814 » across two layout lines.
  const raw = await tool('pdftotext', ['-raw', printed, '-']);
  const flat = pageTexts.join('') + '\f' + squeezed(raw.stdout);
  // Some print paths turn a page into one picture (CUPS's pdftops does for pages it cannot keep as vectors, one page of
  // a document as well as all of them): on a page with no text, a value counts as printed when its box on paper differs
  // from the blank print, as ticks do.
  const rasterPage = (page: number): boolean => (pageTexts[page] ?? '').length === 0;
  const onRasterPage = (v: PrintedText): TickBox[] => (v.boxes ?? []).filter((b) => rasterPage(b.page));
  const needsRaster = ticks.length > 0 || texts.some((v) => onRasterPage(v).length > 0);
  const rasters = blankPrinted && needsRaster ? await Promise.all([rasterize(blankPrinted, DPI), rasterize(printed, DPI)]) : null;
  const visible = (box: TickBox): boolean => {
    const pa = rasters?.[0][box.page];
    const pb = rasters?.[1][box.page];
    return !!pa && !!pb && changedInBox(pa, pb, box) >= 2;
  };
  const missing = texts.filter((v) => !flat.includes(squeezed(v.value)) && !onRasterPage(v).some(visible));
  const onRaster = missing.some((v) => onRasterPage(v).length > 0);
  const examples = missing.slice(0, 3).map((v) => `« ${v.value} » of ${v.field}`).join(', ');
  if (missing.length) reasons.push(`${missing.length}/${texts.length} values missing from the paper${onRaster ? ' (raster page)' : ''} (e.g. ${examples})`);
  if (ticks.length) {
    if (!rasters) reasons.push('no blank print to compare ticks with');
    else {
      const lost = ticks.filter((box) => !visible(box));
      if (lost.length) reasons.push(`${lost.length}/${ticks.length} ticks not visible on paper (e.g. ${lost[0]?.field})`);
    }
  }
  const g = await tool('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-sDEVICE=nullpage', printed]);
  const gsComplaint = `${g.stdout}${g.stderr}`.trim();
  if (g.code !== 0 || /error/i.test(gsComplaint)) reasons.push(`ghostscript: ${gsComplaint.split('\n')[0]?.slice(0, 120) ?? `exit ${g.code}`}`);
  return { ok: reasons.length === 0, reasons };
}

/** Writes bytes to a temporary file (for the command-line checkers); the caller removes the folder. */
export function tempPdf(dir: string, name: string, bytes: Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}
