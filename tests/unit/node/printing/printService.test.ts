// The print service's bookkeeping against a scripted backend: job lifecycle, events, retries, restarts, privacy.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PrinterInfo, WebContentsPrintOptions } from 'electron';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../../electron/services/db/index.js';
import { FormsService } from '../../../../electron/services/printing/forms/formsService.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import type { BackendJobStatus, BackendPrinterState, PrinterBackend, PrinterSummary, SubmitOutcome, SubmitRequest } from '../../../../electron/services/printing/backend.js';
import type { PrintJob } from '../../../../electron/services/printing/jobStore.js';
import { documentsVisitOf, PrintService, type PrinterStateView } from '../../../../electron/services/printing/printService.js';
import { printDocument, printForm, printGrid } from '../../../../electron/services/printing/printActions.js';
import { DocumentCatalogue } from '../../../../electron/services/printing/documents/catalogue.js';
import { WindowsPrinterBackend, type WindowsPrinterInfo, type WindowsPrintOptions } from '../../../../electron/services/printing/windowsBackend.js';
import { samplePdf, waitFor } from './helpers.js';

const work = mkdtempSync(join(tmpdir(), 'relais-print-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A print system driven by the test: its state, whether it accepts jobs, and each job's state. */
class ScriptedBackend implements PrinterBackend {
  readonly kind = 'cups' as const;
  state: BackendPrinterState = { status: 'idle', accepting: true, reasons: [], message: '', rawReasons: [], duplexSupported: true };
  refuseWith: SubmitOutcome | null = null;
  jobs = new Map<number, BackendJobStatus>();
  submitted: SubmitRequest[] = [];
  canceled: number[] = [];
  private next = 100;

  async listPrinters(): Promise<PrinterSummary[]> {
    return [{ name: 'P', info: 'Imprimante', status: this.state.status, accepting: this.state.accepting, duplexSupported: true }];
  }
  async printerState(): Promise<BackendPrinterState> {
    return { ...this.state };
  }
  async submit(_printer: string, request: SubmitRequest): Promise<SubmitOutcome> {
    this.submitted.push(request);
    if (this.refuseWith) return this.refuseWith;
    const id = this.next++;
    const status: BackendJobStatus = { state: 'pending', reasons: [], message: '' };
    this.jobs.set(id, status);
    return { accepted: true, backendJobId: id, status };
  }
  async jobStatus(_printer: string, id: number): Promise<BackendJobStatus | null> {
    return this.jobs.get(id) ?? null;
  }
  async cancel(_printer: string, id: number): Promise<void> {
    this.canceled.push(id);
    this.jobs.set(id, { state: 'canceled', reasons: [], message: '' });
  }
  finish(id: number | null, state: BackendJobStatus['state'] = 'completed'): void {
    if (id === null) throw new Error('job has no backend id');
    this.jobs.set(id, { state, reasons: [], message: '' });
  }
}

function setup(db: Db = openDatabase(':memory:'), backend = new ScriptedBackend()): { db: Db; backend: ScriptedBackend; service: PrintService; completed: PrintJob[]; states: PrinterStateView[] } {
  const service = new PrintService({ db, backend, clock: Date.now, logger: silentLogger(), defaultPrinter: 'P', maxAutoAttempts: 3 });
  const completed: PrintJob[] = [];
  const states: PrinterStateView[] = [];
  service.onJobCompleted((j) => completed.push(j));
  service.onPrinterState((s) => states.push(s));
  return { db, backend, service, completed, states };
}

const input = async (over: Partial<Parameters<PrintService['submit']>[0]> = {}): Promise<Parameters<PrintService['submit']>[0]> => ({
  pdf: await samplePdf('doc', 2),
  title: 'Dépliant CAF',
  kind: 'document',
  organisation: 'CAF',
  copies: 2,
  ...over,
});

describe('PrintService', () => {
  it('records a job with title, organisation, pages and copies, and follows it to completed, announcing it once', async () => {
    const { backend, service, completed } = setup();
    const job = await service.submit(await input({ duplex: true }));
    expect(job).toMatchObject({ state: 'pending', title: 'Dépliant CAF', organisation: 'CAF', pages: 2, copies: 2, duplex: true, attempts: 1, printer: 'P' });
    expect(backend.submitted[0]).toMatchObject({ copies: 2, duplex: true, title: 'Dépliant CAF' });
    backend.finish(job.cupsJobId);
    await service.pollNow();
    await service.pollNow();
    expect(completed.map((j) => j.id)).toEqual([job.id]);
    expect(service.getJob(job.id)).toMatchObject({ state: 'completed' });
    expect(service.getJob(job.id).endedAt).not.toBeNull();
    expect(service.listJobs({ activeOnly: true })).toEqual([]);
    expect(service.listJobs().map((j) => j.id)).toEqual([job.id]);
    expect(service.canRetry(job.id)).toBe(false);
  });

  it('counts a completed form or leaflet as a `documents` visit of its organisation, never the grid nor an unfinished job', async () => {
    const { backend, service } = setup();
    const leaflet = await service.submit(await input());
    const grid = await service.submit(await input({ kind: 'grid', organisation: null }));
    expect(documentsVisitOf(service.getJob(leaflet.id))).toBeNull();
    backend.finish(leaflet.cupsJobId);
    backend.finish(grid.cupsJobId);
    await service.pollNow();
    expect(documentsVisitOf(service.getJob(leaflet.id))).toEqual({ organisation: 'CAF', service: 'documents' });
    expect(documentsVisitOf(service.getJob(grid.id))).toBeNull();
  });

  it('announces a printer state only when it changes', async () => {
    const { backend, service, states } = setup();
    await service.pollNow();
    await service.pollNow();
    backend.state = { ...backend.state, status: 'processing', reasons: ['media-empty'], rawReasons: ['media-empty-error'] };
    await service.pollNow();
    await service.pollNow();
    expect(states.map((s) => s.reasons)).toEqual([[], ['media-empty']]);
    expect(states[1]).toMatchObject({ blocked: true, printer: 'P' });
  });

  it('keeps a job refused because CUPS is down as waiting, then sends it when CUPS is back', async () => {
    const { backend, service, completed } = setup();
    backend.refuseWith = { accepted: false, reason: 'cups-unreachable', message: 'ECONNREFUSED' };
    backend.state = { status: 'unreachable', accepting: false, reasons: ['cups-unreachable'], message: '', rawReasons: [], duplexSupported: false };
    const job = await service.submit(await input());
    expect(job).toMatchObject({ state: 'waiting', reasons: ['cups-unreachable'], cupsJobId: null });
    await service.pollNow();
    expect(service.getJob(job.id)).toMatchObject({ state: 'waiting', attempts: 1 });
    backend.refuseWith = null;
    backend.state = { status: 'idle', accepting: true, reasons: [], message: '', rawReasons: [], duplexSupported: true };
    await service.pollNow();
    const resent = service.getJob(job.id);
    expect(resent).toMatchObject({ state: 'pending', attempts: 2 });
    backend.finish(resent.cupsJobId);
    await service.pollNow();
    expect(completed).toHaveLength(1);
  });

  it('gives up automatic resending after maxAutoAttempts and marks the job failed, still listed and retryable', async () => {
    const { backend, service } = setup();
    backend.refuseWith = { accepted: false, reason: 'other', message: 'client-error-document-format-not-supported' };
    const job = await service.submit(await input());
    for (let i = 0; i < 5; i++) await service.pollNow();
    expect(service.getJob(job.id)).toMatchObject({ state: 'failed', attempts: 3 });
    expect(service.listJobs({ activeOnly: true }).map((j) => j.id)).toEqual([job.id]);
    backend.refuseWith = null;
    const retried = await service.retry(job.id);
    expect(retried).toMatchObject({ state: 'pending', attempts: 4 });
  });

  it('retries an aborted job by sending it again; cancels a job in flight in the print system', async () => {
    const { backend, service } = setup();
    const job = await service.submit(await input());
    backend.finish(job.cupsJobId, 'aborted');
    await service.pollNow();
    expect(service.getJob(job.id).state).toBe('aborted');
    const retried = await service.retry(job.id);
    expect(retried.cupsJobId).not.toBe(job.cupsJobId);
    const canceled = await service.cancel(job.id);
    expect(canceled).toMatchObject({ state: 'canceled' });
    expect(backend.canceled).toEqual([retried.cupsJobId]);
    await expect(service.retry(job.id)).rejects.toMatchObject({ code: 'NOT_RETRYABLE' });
    expect((await service.cancel(job.id)).state).toBe('canceled');
  });

  it('after a restart, a job that never reached the print system is marked failed and cannot be retried (its bytes were only in memory)', async () => {
    const file = join(work, 'restart.sqlite');
    const first = setup(openDatabase(file));
    first.backend.refuseWith = { accepted: false, reason: 'not-accepting', message: 'refus' };
    const job = await first.service.submit(await input());
    first.db.close();
    const second = setup(openDatabase(file));
    await second.service.pollNow();
    expect(second.service.getJob(job.id)).toMatchObject({ state: 'failed', message: 'content-lost' });
    await expect(second.service.retry(job.id)).rejects.toMatchObject({ code: 'NOT_RETRYABLE' });
    second.db.close();
  });

  it('after a restart, a job already in CUPS is still followed to completed', async () => {
    const file = join(work, 'restart2.sqlite');
    const backend = new ScriptedBackend();
    const first = setup(openDatabase(file), backend);
    const job = await first.service.submit(await input());
    first.db.close();
    const second = setup(openDatabase(file), backend);
    backend.finish(job.cupsJobId);
    await second.service.pollNow();
    expect(second.completed.map((j) => j.id)).toEqual([job.id]);
    second.db.close();
  });

  it('never stores what was typed into a form: neither the database nor its WAL contain it', async () => {
    const file = join(work, 'privacy.sqlite');
    const { db, service } = setup(openDatabase(file));
    const secret = 'Zéphyrine Quasimodo-Secret 1 85 07 23';
    const pdf = await new FormsService({ dir: join(import.meta.dirname, '..', '..', '..', '..', 'assets', 'forms'), logger: silentLogger() }).fillForm(
      'caf-changement-situation',
      { f0: secret },
    );
    // Stored values would show as text; stored document bytes as any slice of the PDF.
    const pdfSlice = Buffer.from(pdf).subarray(Math.floor(pdf.length / 2), Math.floor(pdf.length / 2) + 48);
    await service.submit({ pdf, title: 'Déclaration de changement de situation (exemple)', kind: 'form', organisation: 'CAF', copies: 1 });
    db.pragma('wal_checkpoint(PASSIVE)');
    for (const name of readdirSync(work).filter((n) => n.startsWith('privacy.sqlite'))) {
      const bytes = readFileSync(join(work, name));
      expect(bytes.includes(Buffer.from('Quasimodo'))).toBe(false);
      expect(bytes.includes(pdfSlice)).toBe(false);
    }
    const columns = (db.prepare('PRAGMA table_info(print_jobs)').all() as Array<{ type: string }>).map((c) => c.type);
    expect(columns).not.toContain('BLOB');
    db.close();
  });

  it('refuses a print without a chosen printer, with an invalid copy count, or of something that is not a PDF', async () => {
    const db = openDatabase(':memory:');
    const noPrinter = new PrintService({ db, backend: new ScriptedBackend(), clock: Date.now, logger: silentLogger() });
    await expect(noPrinter.submit(await input())).rejects.toMatchObject({ code: 'NO_PRINTER' });
    expect((await noPrinter.refreshPrinterState()).reasons).toEqual(['no-printer']);
    noPrinter.selectPrinter('P');
    expect(noPrinter.selectedPrinter()).toBe('P');
    await expect(noPrinter.submit(await input({ copies: 0 }))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(noPrinter.submit(await input({ pdf: new TextEncoder().encode('pas un PDF') }))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(noPrinter.listJobs()).toEqual([]);
  });

  it('takes the page count from a caller that made the PDF, and counts the pages itself when the count is not a page count', async () => {
    const { service } = setup();
    const given = await service.submit({ ...(await input()), pages: 7 });
    expect(given.pages).toBe(7);
    for (const pages of [0, -1, 1.5, Number.NaN]) expect((await service.submit({ ...(await input()), pages })).pages).toBe(2);
    await expect(service.submit({ ...(await input({ pdf: new TextEncoder().encode('pas un PDF') })), pages: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('polls by itself once started and stops when told', async () => {
    const { backend, service, completed } = setup();
    service.start();
    const job = await service.submit(await input());
    backend.finish(job.cupsJobId);
    await waitFor(() => completed.find((j) => j.id === job.id), 2_000, 'completion seen by the poller');
    service.stop();
  });
});

/** Compile-time proof that the Windows path fits Electron's own types: the composition root passes them straight through. */
const toElectronOptions = (o: WindowsPrintOptions): WebContentsPrintOptions => o;
const fromElectronPrinter = (p: PrinterInfo): WindowsPrinterInfo => p;

describe('print actions', () => {
  const assets = join(import.meta.dirname, '..', '..', '..', '..', 'assets');

  it('prints a filled form, a catalogue document and the grid with the right title, kind and organisation', async () => {
    const { backend, service } = setup();
    const forms = new FormsService({ dir: join(assets, 'forms'), logger: silentLogger() });
    const documents = new DocumentCatalogue({ file: join(assets, 'documents', 'catalogue.json'), logger: silentLogger() });
    const form = await printForm({ forms, printing: service }, { id: 'cpam-carte-vitale', values: { f0: 'Dupré' }, copies: 1 });
    expect(form).toMatchObject({ title: 'Demande de carte Vitale (exemple)', kind: 'form', organisation: 'CPAM', pages: 1 });
    const doc = await printDocument({ documents, printing: service }, { id: 'ml-jeunes-16-25', copies: 3 });
    expect(doc).toMatchObject({ title: 'Vous avez entre 16 et 25 ans ? (exemple)', kind: 'document', organisation: 'ML', copies: 3 });
    const grid = await printGrid({ printing: service, clock: () => Date.UTC(2026, 1, 2) }, {
      week: '2026-W05',
      from: '2026-01-26',
      to: '2026-02-01',
      siteName: 'Site',
      services: ['info', 'documents', 'visio', 'teleservice', 'internet'],
      rows: [],
      columnTotals: { info: 0, documents: 0, visio: 0, teleservice: 0, internet: 0 },
      total: 0,
    });
    expect(grid).toMatchObject({ title: 'Grille de comptage, semaine 5 (du 26 janvier au 1er février 2026)', kind: 'grid', organisation: null });
    expect(backend.submitted).toHaveLength(3);
    await expect(printDocument({ documents, printing: service }, { id: 'absent', copies: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('prints a form previewed with the same values from the preview’s own bytes, with its page count', async () => {
    const { backend, service } = setup();
    const forms = new FormsService({ dir: join(assets, 'forms'), logger: silentLogger() });
    const shown = await forms.previewForm('cpam-carte-vitale', { f0: 'Dupré' });
    const job = await printForm({ forms, printing: service }, { id: 'cpam-carte-vitale', values: { f0: 'Dupré' }, copies: 1 });
    expect(job).toMatchObject({ kind: 'form', organisation: 'CPAM', pages: shown.pages });
    expect(backend.submitted.at(-1)?.pdf).toBe(shown.pdf);
  });
});

describe('WindowsPrinterBackend', () => {
  it('prints through the injected Electron print function with the device name, copies and duplex, and completes at once', async () => {
    const calls: WindowsPrintOptions[] = [];
    const backend = new WindowsPrinterBackend({
      getPrinters: async () => [fromElectronPrinter({ name: 'HP_Accueil', displayName: 'HP Accueil', description: '', options: {} })],
      printPdf: async (_pdf, options) => {
        calls.push(options);
        return { success: true, failureReason: '' };
      },
    });
    const { service, completed } = setup(openDatabase(':memory:'), backend as unknown as ScriptedBackend);
    service.selectPrinter('HP_Accueil');
    const job = await service.submit(await input({ copies: 3, duplex: true }));
    expect(job.state).toBe('completed');
    expect(calls.map(toElectronOptions)).toEqual([{ silent: true, deviceName: 'HP_Accueil', copies: 3, duplexMode: 'longEdge', printBackground: true, pageSize: 'A4' }]);
    expect(completed).toHaveLength(1);
    expect(await backend.printerState('absente')).toMatchObject({ reasons: ['printer-not-found'] });
  });
});
