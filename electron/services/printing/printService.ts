// The kiosk's print service: the site's printer and its state, print jobs sent, followed to their end, canceled, retried.
// Document bytes stay in memory only, for retries, and are dropped when the job completes or is canceled: a filled form
// is personal data and must never reach the disk (a temp file would survive a crash). After a restart a job that had
// not reached the print system cannot be resent; it is marked failed and must be printed again from its screen.
import { ParseSpeeds, PDFDocument } from 'pdf-lib';
import { ExpectedError } from '../../../shared/errors.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../logger.js';
import type { BackendJobState, BackendPrinterState, PrinterBackend, PrinterStatus, PrinterSummary, SubmitOutcome } from './backend.js';
import { IN_FLIGHT, PrintJobStore, type PrintJob, type PrintJobKind, type PrintJobState } from './jobStore.js';
import { BLOCKING, type ReasonCode } from './reasons.js';

export interface PrinterStateView {
  printer: string | null;
  status: PrinterStatus;
  accepting: boolean;
  /** Most severe first; empty when all is well. Texts: REASON_TEXTS in reasons.ts. */
  reasons: ReasonCode[];
  /** True when a reason stops printing. */
  blocked: boolean;
  message: string;
  checkedAt: number;
}

export interface SubmitInput {
  pdf: Uint8Array;
  title: string;
  kind: PrintJobKind;
  organisation: string | null;
  copies: number;
  duplex?: boolean;
  /** The page count, from a caller that made the PDF itself (a filled form); else the PDF is read to count them. */
  pages?: number;
}

export interface PrintServiceOptions {
  db: Db;
  backend: PrinterBackend;
  clock: () => number;
  logger: Logger;
  /** Printer and job polling period when nothing is printing; 500 ms keeps a state change on screen within 2 s. */
  pollIntervalMs?: number;
  /** Polling period while a job is in flight, so completion is seen quickly. */
  activePollIntervalMs?: number;
  /** Printer used until the site chooses one in the settings. */
  defaultPrinter?: string | null;
  /** Automatic resends of a job the print system refused (queue rejecting, CUPS down) before it is marked failed. */
  maxAutoAttempts?: number;
}

type Listener<T> = (value: T) => void;

const SETTING_KEY = 'printing.printer';
const MAX_COPIES = 50;
/** Reasons that prevent sending a job at all; the others (paused, paper out) let CUPS hold it until the fault clears. */
const REFUSING: ReadonlySet<ReasonCode> = new Set(['no-printer', 'printer-not-found', 'cups-unreachable', 'not-accepting']);

const JOB_STATE: Record<BackendJobState, PrintJobState> = {
  pending: 'pending',
  held: 'stopped',
  processing: 'processing',
  stopped: 'stopped',
  completed: 'completed',
  canceled: 'canceled',
  aborted: 'aborted',
};

const sameState = (a: PrinterStateView | null, b: PrinterStateView): boolean =>
  a !== null && a.printer === b.printer && a.status === b.status && a.accepting === b.accepting && a.message === b.message && a.reasons.join() === b.reasons.join();

export class PrintService {
  private readonly store: PrintJobStore;
  private readonly db: Db;
  private readonly backend: PrinterBackend;
  private readonly clock: () => number;
  private readonly logger: Logger;
  private readonly pollIntervalMs: number;
  private readonly activePollIntervalMs: number;
  private readonly defaultPrinter: string | null;
  private readonly maxAutoAttempts: number;
  /** Job id → PDF bytes, only while the job may still need to be sent again. */
  private readonly documents = new Map<number, Uint8Array>();
  private readonly printerListeners = new Set<Listener<PrinterStateView>>();
  private readonly jobListeners = new Set<Listener<PrintJob>>();
  private readonly completedListeners = new Set<Listener<PrintJob>>();
  private lastState: PrinterStateView | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  /** Serialises polls, submissions, cancels and retries, so a job is never sent twice by a poll and a retry at once. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: PrintServiceOptions) {
    this.db = options.db;
    this.store = new PrintJobStore(options.db);
    this.backend = options.backend;
    this.clock = options.clock;
    this.logger = options.logger;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.activePollIntervalMs = options.activePollIntervalMs ?? 50;
    this.defaultPrinter = options.defaultPrinter ?? null;
    this.maxAutoAttempts = options.maxAutoAttempts ?? 5;
  }

  // ---- events

  onPrinterState(listener: Listener<PrinterStateView>): () => void {
    this.printerListeners.add(listener);
    return () => this.printerListeners.delete(listener);
  }

  onJobChange(listener: Listener<PrintJob>): () => void {
    this.jobListeners.add(listener);
    return () => this.jobListeners.delete(listener);
  }

  /** Called once per job that reached `completed` (the place to count a `documents` visit). */
  onJobCompleted(listener: Listener<PrintJob>): () => void {
    this.completedListeners.add(listener);
    return () => this.completedListeners.delete(listener);
  }

  private emit<T>(listeners: Set<Listener<T>>, value: T): void {
    for (const l of listeners) {
      try {
        l(value);
      } catch (error) {
        this.logger.error({ code: 'PRINT_LISTENER_FAILED', err: error }, 'a print event listener threw');
      }
    }
  }

  private jobChanged(job: PrintJob): void {
    if (job.state === 'completed' || job.state === 'canceled') this.documents.delete(job.id);
    this.emit(this.jobListeners, job);
    if (job.state === 'completed') {
      this.logger.info({ code: 'PRINT_COMPLETED', jobId: job.id, pages: job.pages, copies: job.copies, attempts: job.attempts }, 'print job completed');
      this.emit(this.completedListeners, job);
    }
  }

  // ---- polling

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.pollNow().finally(() => {
        if (this.running && !this.timer) this.schedule(this.store.inFlight().length > 0 ? this.activePollIntervalMs : this.pollIntervalMs);
      });
    }, delayMs);
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** One round: printer state, then every job in flight. Rounds never overlap with each other nor with job actions. */
  pollNow(): Promise<void> {
    return this.exclusive(() => this.pollOnce());
  }

  private async pollOnce(): Promise<void> {
    try {
      const state = await this.refreshPrinterState();
      for (const job of this.store.inFlight()) await this.followJob(job, state);
    } catch (error) {
      this.logger.error({ code: 'PRINT_POLL_FAILED', err: error }, 'print poll failed');
    }
  }

  // ---- printers

  listPrinters(): Promise<PrinterSummary[]> {
    return this.backend.listPrinters();
  }

  selectedPrinter(): string | null {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(SETTING_KEY) as { value: string } | undefined;
    return row?.value ?? this.defaultPrinter;
  }

  selectPrinter(name: string): void {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(SETTING_KEY, name);
    this.logger.info({ code: 'PRINTER_SELECTED', printer: name }, 'printer selected');
    if (this.running) this.schedule(0);
  }

  /** The state last seen by the poller (null before the first round). */
  lastPrinterState(): PrinterStateView | null {
    return this.lastState;
  }

  /** Asks the print system now, records and announces a change. */
  async refreshPrinterState(): Promise<PrinterStateView> {
    const printer = this.selectedPrinter();
    const raw: BackendPrinterState = printer
      ? await this.backend.printerState(printer)
      : { status: 'unreachable', accepting: false, reasons: ['no-printer'], message: '', rawReasons: [], duplexSupported: false };
    const view: PrinterStateView = {
      printer,
      status: raw.status,
      accepting: raw.accepting,
      reasons: raw.reasons,
      blocked: raw.reasons.some((r) => BLOCKING[r]),
      message: raw.message,
      checkedAt: this.clock(),
    };
    if (!sameState(this.lastState, view)) {
      this.logger.info({ code: 'PRINTER_STATE', printer, status: view.status, accepting: view.accepting, reasons: view.reasons, raw: raw.rawReasons }, 'printer state changed');
      this.lastState = view;
      this.emit(this.printerListeners, view);
    } else if (this.lastState) this.lastState.checkedAt = view.checkedAt;
    return view;
  }

  // ---- jobs

  listJobs(options: { activeOnly?: boolean; limit?: number } = {}): PrintJob[] {
    return this.store.list(options);
  }

  getJob(id: number): PrintJob {
    const job = this.store.get(id);
    if (!job) throw new ExpectedError('NOT_FOUND', `Travail d'impression ${id} introuvable.`);
    return job;
  }

  /** Records the job, sends it, and returns it; a refusal by the print system leaves it waiting, never lost. */
  submit(input: SubmitInput): Promise<PrintJob> {
    return this.exclusive(() => this.submitNow(input));
  }

  private async submitNow(input: SubmitInput): Promise<PrintJob> {
    const printer = this.selectedPrinter();
    if (!printer) throw new ExpectedError('NO_PRINTER', "Aucune imprimante n'est choisie pour ce site.");
    if (!Number.isInteger(input.copies) || input.copies < 1 || input.copies > MAX_COPIES) {
      throw new ExpectedError('INVALID_INPUT', `Nombre d'exemplaires invalide (1 à ${MAX_COPIES}).`);
    }
    let pages: number;
    if (input.pages !== undefined && Number.isInteger(input.pages) && input.pages > 0) pages = input.pages;
    else {
      try {
        pages = (await PDFDocument.load(input.pdf, { updateMetadata: false, parseSpeed: ParseSpeeds.Fast })).getPageCount();
      } catch {
        throw new ExpectedError('INVALID_INPUT', "Le document à imprimer n'est pas un PDF lisible.");
      }
    }
    const job = this.store.insert({
      printer,
      title: input.title.slice(0, 200),
      kind: input.kind,
      organisation: input.organisation,
      pages,
      copies: input.copies,
      duplex: input.duplex === true,
      at: this.clock(),
    });
    this.documents.set(job.id, input.pdf);
    this.logger.info({ code: 'PRINT_SUBMITTED', jobId: job.id, kind: job.kind, organisation: job.organisation, pages, copies: job.copies }, 'print job submitted');
    return this.send(job.id, printer);
  }

  private async send(id: number, printer: string): Promise<PrintJob> {
    const pdf = this.documents.get(id);
    const job = this.getJob(id);
    if (!pdf) return job;
    this.store.startAttempt(id, printer, this.clock());
    let outcome: SubmitOutcome;
    try {
      outcome = await this.backend.submit(printer, { pdf, title: job.title, copies: job.copies, duplex: job.duplex });
    } catch (error) {
      this.logger.error({ code: 'PRINT_SEND_FAILED', jobId: id, err: error }, 'print job could not be sent');
      outcome = { accepted: false, reason: 'other', message: (error as Error).message };
    }
    const at = this.clock();
    let changed: PrintJob | null;
    if (outcome.accepted) {
      this.store.setCupsJobId(id, outcome.backendJobId);
      changed = this.store.update(id, { state: JOB_STATE[outcome.status.state], reasons: [], message: outcome.status.message, at });
    } else {
      this.logger.warn({ code: 'PRINT_WAITING', jobId: id, reason: outcome.reason }, 'print system refused the job; it waits');
      changed = this.store.update(id, { state: 'waiting', reasons: [outcome.reason], message: outcome.message, at });
    }
    const current = changed ?? this.getJob(id);
    this.jobChanged(current);
    this.schedule(this.activePollIntervalMs);
    return current;
  }

  private async followJob(job: PrintJob, printerState: PrinterStateView): Promise<void> {
    const at = this.clock();
    if (job.state === 'waiting' || job.cupsJobId === null) {
      if (!this.documents.has(job.id)) {
        const failed = this.store.update(job.id, { state: 'failed', reasons: job.reasons, message: 'content-lost', at });
        if (failed) this.jobChanged(failed);
        return;
      }
      const printer = this.selectedPrinter();
      if (!printer || printerState.printer !== printer || printerState.reasons.some((r) => REFUSING.has(r))) {
        const reasons = printerState.reasons.filter((r) => REFUSING.has(r));
        const updated = this.store.update(job.id, { state: 'waiting', reasons: reasons.length ? reasons : job.reasons, message: job.message, at });
        if (updated) this.jobChanged(updated);
        return;
      }
      if (job.attempts >= this.maxAutoAttempts) {
        const failed = this.store.update(job.id, { state: 'failed', reasons: job.reasons, message: job.message, at });
        if (failed) this.jobChanged(failed);
        return;
      }
      this.logger.info({ code: 'PRINT_RESEND', jobId: job.id, attempt: job.attempts + 1 }, 'the print system accepts jobs again; resending');
      await this.send(job.id, printer);
      return;
    }
    const status = await this.backend.jobStatus(job.printer, job.cupsJobId);
    const state: PrintJobState = status ? JOB_STATE[status.state] : 'aborted';
    // While a job is held up, the printer's blocking reasons say why (paused, out of paper, unreachable).
    const reasons = state === 'completed' || state === 'canceled' || job.printer !== printerState.printer ? [] : printerState.reasons.filter((r) => BLOCKING[r]);
    const updated = this.store.update(job.id, { state, reasons, message: status?.message ?? '', at }, job.cupsJobId);
    if (updated) this.jobChanged(updated);
  }

  /** Cancels a job not yet ended; an ended job is returned unchanged. */
  cancel(id: number): Promise<PrintJob> {
    return this.exclusive(() => this.cancelNow(id));
  }

  private async cancelNow(id: number): Promise<PrintJob> {
    const job = this.getJob(id);
    if (job.endedAt !== null) return job;
    if (job.cupsJobId !== null && IN_FLIGHT.includes(job.state)) await this.backend.cancel(job.printer, job.cupsJobId);
    const updated = this.store.update(id, { state: 'canceled', reasons: [], message: '', at: this.clock() });
    const current = updated ?? this.getJob(id);
    this.logger.info({ code: 'PRINT_CANCELED', jobId: id }, 'print job canceled');
    this.jobChanged(current);
    return current;
  }

  /** Sends a job again to the site's printer (canceling its previous print-system job if still there). */
  retry(id: number): Promise<PrintJob> {
    return this.exclusive(() => this.retryNow(id));
  }

  private async retryNow(id: number): Promise<PrintJob> {
    const job = this.getJob(id);
    if (job.endedAt !== null || !this.documents.has(id)) {
      throw new ExpectedError('NOT_RETRYABLE', "Ce travail d'impression ne peut plus être relancé : imprimez le document à nouveau.", { jobId: id });
    }
    const printer = this.selectedPrinter();
    if (!printer) throw new ExpectedError('NO_PRINTER', "Aucune imprimante n'est choisie pour ce site.");
    if (job.cupsJobId !== null && IN_FLIGHT.includes(job.state)) {
      try {
        await this.backend.cancel(job.printer, job.cupsJobId);
      } catch (error) {
        this.logger.warn({ code: 'PRINT_CANCEL_FAILED', jobId: id, err: error }, 'previous attempt could not be canceled');
      }
    }
    this.logger.info({ code: 'PRINT_RETRY', jobId: id, attempt: job.attempts + 1 }, 'print job retried');
    return this.send(id, printer);
  }

  /** Whether the job's document is still held for a retry. */
  canRetry(id: number): boolean {
    const job = this.store.get(id);
    return job !== null && job.endedAt === null && this.documents.has(id);
  }
}

/**
 * Whether a completed job is a `documents` service for the visitor log (DOMAIN.md): a form or a leaflet printed for an
 * organisation. The weekly grid printed by the mediator, or anything without an organisation, is not.
 */
export function documentsVisitOf(job: PrintJob): { organisation: string; service: 'documents' } | null {
  if (job.state !== 'completed' || job.organisation === null) return null;
  if (job.kind !== 'form' && job.kind !== 'document') return null;
  return { organisation: job.organisation, service: 'documents' };
}
