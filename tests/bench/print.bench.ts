// Benchmark of printing a filled form on the virtual PDF printer: from "Imprimer" (fill + submit) to the job completed
// in CUPS, and the cost of the form fill alone. Prints figures; not a pass/fail test. Run: npm run bench:print
// Needs cupsd and the PDF queue (bash build/scripts/cups-setup.sh).
import { cpus, loadavg, userInfo } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../electron/services/db/index.js';
import { FormsService, type FormValues } from '../../electron/services/printing/forms/formsService.js';
import { silentLogger } from '../../electron/services/logger.js';
import { CupsBackend } from '../../electron/services/printing/cupsBackend.js';
import { IppClient } from '../../electron/services/printing/ipp.js';
import type { PrintJob } from '../../electron/services/printing/jobStore.js';
import { PrintService } from '../../electron/services/printing/printService.js';
import { assertCupsReady, CUPS_URL, PDF_QUEUE, removeCupsPdfOutput } from '../e2e/support/cups.js';

const PRINT_RUNS = Number(process.env.RELAIS_BENCH_RUNS ?? 25);
const FILL_RUNS = 50;
const FORM = 'caf-changement-situation';
/** By field name; the service takes them by field id (`f` + the field's position), mapped once the form is read. */
const VALUES_BY_NAME: Record<string, FormValues[string]> = {
  nom: 'Élodie Œuvre',
  prenom: 'Anaïs',
  date_changement: '2026-01-15',
  situation: 'Déménagement',
  nouvelle_adresse: '4 place de l’Église\n23210 Bénévent-l’Abbaye',
  enfants_a_charge: true,
  observations: 'Nouveau logement plus près du travail, loyer de 420 € par mois, entrée le 15 janvier. '.repeat(3),
};

function stats(samples: number[]): { median: number; p90: number; min: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? Number.NaN;
  return { median: at(0.5), p90: at(0.9), min: s[0] ?? Number.NaN, max: s[s.length - 1] ?? Number.NaN };
}

const fmt = (label: string, samples: number[]): string => {
  const r = stats(samples);
  return `${label.padEnd(44)} n=${String(samples.length).padStart(3)}  median ${r.median.toFixed(1).padStart(7)} ms  p90 ${r.p90.toFixed(1).padStart(7)} ms  min ${r.min.toFixed(1).padStart(7)}  max ${r.max.toFixed(1).padStart(7)}`;
};

await assertCupsReady();
const forms = new FormsService({ dir: join(import.meta.dirname, '..', '..', 'assets', 'forms'), logger: silentLogger() });
const described = await forms.describeForm(FORM);
const VALUES: FormValues = Object.fromEntries(
  Object.entries(VALUES_BY_NAME).map(([name, value]) => {
    const id = described.fields.find((f) => f.name === name)?.id;
    if (!id) throw new Error(`bench:print — no field ${name} in ${FORM}`);
    return [id, value];
  }),
);
await forms.fillForm(FORM, VALUES); // warm-up: manifest read, pdf-lib JIT

const fill: number[] = [];
for (let i = 0; i < FILL_RUNS; i++) {
  const t0 = performance.now();
  await forms.fillForm(FORM, VALUES);
  fill.push(performance.now() - t0);
}

const db = openDatabase(':memory:');
const service = new PrintService({
  db,
  backend: new CupsBackend({ url: CUPS_URL, userName: userInfo().username }),
  clock: Date.now,
  logger: silentLogger(),
  defaultPrinter: PDF_QUEUE,
});
const waiters = new Map<number, (job: PrintJob) => void>();
service.onJobCompleted((job) => waiters.get(job.id)?.(job));
service.onJobChange((job) => {
  if (job.state === 'aborted' || job.state === 'canceled' || job.state === 'failed') throw new Error(`job ${job.id} ended ${job.state}`);
});
service.start();

const total: number[] = [];
const submitToDone: number[] = [];
for (let i = -1; i < PRINT_RUNS; i++) {
  const t0 = performance.now();
  const pdf = await forms.fillForm(FORM, VALUES);
  const t1 = performance.now();
  let resolveDone: (job: PrintJob) => void = () => undefined;
  const done = new Promise<PrintJob>((resolve) => (resolveDone = resolve));
  const job = await service.submit({ pdf, title: `Bench ${i}`, kind: 'form', organisation: 'CAF', copies: 1 });
  waiters.set(job.id, resolveDone);
  if (service.getJob(job.id).state !== 'completed') await done;
  const t2 = performance.now();
  removeCupsPdfOutput(job.cupsJobId);
  if (i >= 0) {
    total.push(t2 - t0);
    submitToDone.push(t2 - t1);
  }
}
service.stop();
db.close();

// The floor set by CUPS and cups-pdf (two Ghostscript passes): the same filled form, job state asked every 20 ms.
const ipp = new IppClient({ url: CUPS_URL, userName: userInfo().username });
const floor: number[] = [];
const filled = await forms.fillForm(FORM, VALUES);
for (let i = 0; i < Math.min(PRINT_RUNS, 15); i++) {
  const t0 = performance.now();
  const job = await ipp.printJob(PDF_QUEUE, { pdf: filled, title: `Plancher ${i}`, copies: 1, duplex: false });
  for (;;) {
    const state = (await ipp.jobAttributes(PDF_QUEUE, job.id)).state;
    if (state === 'completed') break;
    if (state === 'aborted' || state === 'canceled') throw new Error(`floor job ${job.id} ended ${state}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  floor.push(performance.now() - t0);
  removeCupsPdfOutput(job.id);
}

process.stdout.write(
  [
    `bench:print — form ${FORM}, queue ${PDF_QUEUE} (cups-pdf), poll 500 ms idle / 50 ms while a job is in flight`,
    fmt('fillForm alone (fill + flatten + save)', fill),
    fmt('"Imprimer" → job completed (fill+submit+wait)', total),
    fmt('submit → job completed', submitToDone),
    fmt('CUPS floor: Print-Job → completed (20 ms poll)', floor),
    `load average during the run: ${loadavg().map((l) => l.toFixed(1)).join(' / ')} on ${cpus().length} cores`,
    '',
  ].join('\n'),
);
