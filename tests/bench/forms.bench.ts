// Benchmark over real fillable forms: fills every field of each, prints it on the virtual CUPS printer and checks what
// CUPS wrote (tests/support/formsCorpus.ts), then times the preview of the largest form and « Imprimer » → completed.
// Prints the pass rate and each failure with its reason; not a pass/fail test. Run: npm run bench:forms
// BENCH_ENGINE=service (default: the kiosk's FormsService) | pdf-lib | cantoo | mupdf measures a library used plainly.
// Needs cupsd and the PDF queue (bash build/scripts/cups-setup.sh), qpdf, poppler-utils and ghostscript.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, userInfo } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../electron/services/db/index.js';
import { FormsService, type FormValues } from '../../electron/services/printing/forms/formsService.js';
import { silentLogger } from '../../electron/services/logger.js';
import { CupsBackend } from '../../electron/services/printing/cupsBackend.js';
import type { PrintJob } from '../../electron/services/printing/jobStore.js';
import { PrintService } from '../../electron/services/printing/printService.js';
import { assertCupsReady, CUPS_URL, cupsPdfOutputFile, PDF_QUEUE, removeCupsPdfOutput } from '../e2e/support/cups.js';
import { checkPrintedForm, formIdOf, formsCorpusDir, pdfsIn } from '../support/formsCorpus.js';
import { engineNamed, type Engine } from './forms/engines.js';

const ENGINE = process.env.BENCH_ENGINE ?? 'service';
const TIMING_RUNS = Number(process.env.BENCH_TIMING_RUNS ?? 15);
/** BENCH_ONLY=a,b: only the forms whose file name holds one of these (e.g. the largest, to time them alone). */
const ONLY = process.env.BENCH_ONLY?.split(',').filter(Boolean) ?? [];

const corpus = formsCorpusDir();
if (!corpus) {
  process.stdout.write('bench:forms — no corpus found (RELAIS_FORMS_CORPUS, ../shared/forms-corpus or tests/forms-corpus/pdf); see tests/forms-corpus/SOURCES.md\n');
  process.exit(1);
}
await assertCupsReady();

const work = mkdtempSync(join(tmpdir(), 'relais-bench-forms-'));
const formsDir = join(work, 'forms');
mkdirSync(formsDir);
const files = pdfsIn(join(corpus, 'fillable')).filter((f) => ONLY.length === 0 || ONLY.some((o) => basename(f).includes(o)));
for (const file of files) {
  const id = formIdOf(file);
  copyFileSync(file, join(formsDir, `${id}.pdf`));
  writeFileSync(join(formsDir, `${id}.json`), JSON.stringify({ id, organisation: 'CAF', title: basename(file), description: '', file: `${id}.pdf`, fields: {} }));
}
const forms = new FormsService({ dir: formsDir, logger: silentLogger() });
const engine: Engine = await engineNamed(ENGINE, forms, formsDir);

const db = openDatabase(':memory:');
const printing = new PrintService({ db, backend: new CupsBackend({ url: CUPS_URL, userName: userInfo().username }), clock: Date.now, logger: silentLogger(), defaultPrinter: PDF_QUEUE });
const waiters = new Map<number, (job: PrintJob) => void>();
const settle = (job: PrintJob): void => waiters.get(job.id)?.(job);
printing.onJobCompleted(settle);
printing.onJobChange((job) => {
  if (job.state === 'aborted' || job.state === 'canceled' || job.state === 'failed') settle(job);
});
printing.start();

/** Prints a PDF and waits for CUPS to finish it; returns the job and the file cups-pdf wrote. */
async function printAndWait(pdf: Uint8Array, title: string): Promise<{ job: PrintJob; output: string | null }> {
  let resolve: (job: PrintJob) => void = () => undefined;
  const done = new Promise<PrintJob>((r) => (resolve = r));
  const submitted = await printing.submit({ pdf, title, kind: 'form', organisation: 'CAF', copies: 1 });
  waiters.set(submitted.id, resolve);
  const now = printing.getJob(submitted.id);
  const job = now.state === 'completed' ? now : await done;
  return { job, output: job.cupsJobId === null ? null : cupsPdfOutputFile(job.cupsJobId) };
}

interface Row {
  file: string;
  fields: number;
  ok: boolean;
  reasons: string[];
}
const rows: Row[] = [];
for (const file of files) {
  const id = formIdOf(file);
  const name = basename(file);
  const row: Row = { file: name, fields: 0, ok: false, reasons: [] };
  rows.push(row);
  const cupsJobs: Array<number | null> = [];
  try {
    const plan = await engine.plan(id, new Uint8Array(readFileSync(file)));
    row.fields = plan.fieldCount;
    const blank = await engine.fill(id, plan.blankValues);
    const filled = await engine.fill(id, plan.values);
    for (const t of plan.texts) if (t.key) t.value = String((plan.values as Record<string, unknown>)[t.key]);
    const b = await printAndWait(blank, `bench:forms blank ${id}`);
    const f = await printAndWait(filled, `bench:forms ${id}`);
    cupsJobs.push(b.job.cupsJobId, f.job.cupsJobId);
    if (f.job.state !== 'completed' || !f.output) row.reasons.push(`job ${f.job.state}`);
    else {
      const check = await checkPrintedForm(f.output, b.output, plan.texts, plan.ticks);
      row.reasons.push(...check.reasons);
    }
  } catch (error) {
    const e = error as { code?: string; message?: string };
    row.reasons.push(`${e.code ?? 'ERROR'}: ${String(e.message ?? error).split('\n')[0]?.slice(0, 140)}`);
  } finally {
    for (const j of cupsJobs) removeCupsPdfOutput(j);
  }
  row.ok = row.reasons.length === 0;
  process.stdout.write(`${row.ok ? 'ok  ' : 'FAIL'} ${name.padEnd(48)} ${String(row.fields).padStart(4)} fields${row.ok ? '' : `  ${row.reasons.join(' · ')}`}\n`);
}

// Speed, on the corpus's largest forms (by field count).
const largest = [...rows]
  .filter((r) => r.ok)
  .sort((a, b) => b.fields - a.fields)
  .slice(0, 3);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const timing: string[] = [];
for (const r of largest) {
  const id = formIdOf(r.file);
  const plan = await engine.plan(id, new Uint8Array(readFileSync(join(formsDir, `${id}.pdf`))));
  const preview: number[] = [];
  for (let i = 0; i < TIMING_RUNS; i++) {
    const t0 = performance.now();
    await engine.fill(id, plan.values);
    preview.push(performance.now() - t0);
  }
  const printed: number[] = [];
  const afterPreview: number[] = [];
  for (let i = 0; i < Math.max(3, Math.floor(TIMING_RUNS / 3)); i++) {
    const t0 = performance.now();
    const { job } = await printAndWait(await engine.fill(id, plan.values), `bench:forms timing ${id}`);
    printed.push(performance.now() - t0);
    removeCupsPdfOutput(job.cupsJobId);
    if (ENGINE !== 'service') continue;
    // The kiosk's usual path: the visitor looked at the preview, then pressed « Imprimer » (the preview's bytes print).
    const values = plan.values as FormValues;
    await forms.previewForm(id, values);
    const t1 = performance.now();
    const shown = await printAndWait(await forms.fillForm(id, values), `bench:forms timing ${id}`);
    afterPreview.push(performance.now() - t1);
    removeCupsPdfOutput(shown.job.cupsJobId);
  }
  const shownFirst = afterPreview.length ? `  after the preview ${median(afterPreview).toFixed(0).padStart(5)} ms` : '';
  timing.push(`  ${r.file.padEnd(48)} ${String(r.fields).padStart(4)} fields  preview median ${median(preview).toFixed(0).padStart(5)} ms  « Imprimer » → completed median: without preview ${median(printed).toFixed(0).padStart(5)} ms${shownFirst}`);
}
printing.stop();
db.close();
rmSync(work, { recursive: true, force: true });

const passed = rows.filter((r) => r.ok).length;
const cerfa = rows.filter((r) => r.file.startsWith('cerfa-'));
process.stdout.write(
  [
    '',
    `bench:forms — engine ${ENGINE}, corpus ${corpus}`,
    `pass rate: ${passed}/${rows.length} (${((100 * passed) / Math.max(1, rows.length)).toFixed(0)} %), CERFA ${cerfa.filter((r) => r.ok).length}/${cerfa.length}`,
    'speed (largest forms):',
    ...timing,
    `load average: ${loadavg().map((l) => l.toFixed(1)).join(' / ')} on ${cpus().length} cores`,
    '',
  ].join('\n'),
);
