// Printing as a kiosk feature: the print service over CUPS (or an injected backend) and its polling, the contract's
// printing / forms / documents / grid.print verbs, events to the screens, one `documents` visit per completed job, an
// incident per printer fault, and the mediator's health panel (hub reachable, free disk, camera and microphone).
import { statfs } from 'node:fs/promises';
import { Socket } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { HealthState, HubConnection, PrinterStateView } from '../../../shared/contract/index.js';
import { MAX_PDF_BYTES, type printingVerbs } from '../../../shared/contract/printing.js';
import { ExpectedError } from '../../../shared/errors.js';
import type { KioskCore, KioskFeature } from '../core.js';
import type { Handlers } from '../dispatch.js';
import { DocumentCatalogue } from './documents/catalogue.js';
import { FormsService } from './forms/formsService.js';
import { parseIsoWeek, weeklyGrid } from '../foundation/grid.js';
import type { PrinterBackend } from './backend.js';
import { CupsBackend } from './cupsBackend.js';
import type { PrintJob } from './jobStore.js';
import { printDocument, printForm, printGrid } from './printActions.js';
import { documentsVisitOf, PrintService } from './printService.js';
import { BLOCKING, REASON_TEXTS } from './reasons.js';

export type PrintingVerb = keyof typeof printingVerbs;

export interface PrintingFeatureOptions {
  /** The print system; a CupsBackend on `cupsUrl` by default. */
  backend?: PrinterBackend;
  /** CUPS scheduler URL (http://localhost:631). */
  cupsUrl?: string;
  /** The printer used until the mediator chooses one (RELAIS_PRINTER). */
  defaultPrinter?: string | null;
  pollIntervalMs?: number;
  activePollIntervalMs?: number;
  /** The visio hub whose reachability the health panel shows (the kiosk's `visio` option); null: none. */
  hub?: HubConnection | null | (() => HubConnection | null);
  /** How long the hub check waits for a TCP connection (1.5 s). */
  hubTimeoutMs?: number;
  /** The folder whose disk's free space is shown (the data folder); defaults to the kiosk's temp folder. */
  dataDir?: string;
  /** Fillable forms and the documents catalogue; default `<assets>/forms` and `<assets>/documents/catalogue.json`. */
  formsDir?: string;
  catalogueFile?: string;
}

/** For the teleservice feature: a PDF downloaded during a guided session (that feature counts the visit itself). */
export interface TeleservicePrintRequest {
  pdf: Uint8Array;
  title: string;
  organisation: string;
}

export interface PrintingFeature extends KioskFeature<PrintingVerb> {
  readonly service: PrintService;
  printTeleservice(request: TeleservicePrintRequest): Promise<{ jobId: number }>;
}

const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/** Port of a ws://, wss://, http:// or https:// URL. */
function hostPortOf(url: string): { host: string; port: number } | null {
  try {
    const u = new URL(url);
    const secure = u.protocol === 'wss:' || u.protocol === 'https:';
    const port = u.port ? Number(u.port) : secure ? 443 : 80;
    const host = u.hostname.replace(/^\[|\]$/g, '');
    return { host, port };
  } catch {
    return null;
  }
}

/** Opens and closes a TCP connection: whether the hub's machine answers on its port, and how fast. */
export function probeTcp(url: string, timeoutMs: number): Promise<{ reachable: boolean; latencyMs: number | null }> {
  const target = hostPortOf(url);
  if (!target) return Promise.resolve({ reachable: false, latencyMs: null });
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (reachable: boolean): void => {
      socket.destroy();
      resolve({ reachable, latencyMs: reachable ? Math.round(performance.now() - started) : null });
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.connect(target.port, target.host);
  });
}

/** A one-page A4 test page: the printer's name and the time, in plain French. */
export async function testPagePdf(printer: string, at: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle('Page de test Relais');
  const page = doc.addPage([595.28, 841.89]);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const when = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'full', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(at);
  page.drawText('Page de test — Relais', { x: 56, y: 760, size: 24, font: bold });
  page.drawText(`Imprimante : ${printer}`, { x: 56, y: 720, size: 14, font });
  page.drawText(`Imprimée le ${when}`, { x: 56, y: 698, size: 14, font });
  page.drawText("Si vous lisez cette page, l'imprimante fonctionne.", { x: 56, y: 660, size: 14, font });
  page.drawRectangle({ x: 56, y: 500, width: 483, height: 120, borderWidth: 2 });
  return doc.save();
}

export function createPrintingFeature(core: KioskCore, options: PrintingFeatureOptions = {}): PrintingFeature {
  const log = core.logger.child({ scope: 'printing' });
  const backend = options.backend ?? new CupsBackend({ url: options.cupsUrl ?? 'http://localhost:631', userName: userInfo().username });
  const service = new PrintService({
    db: core.db,
    backend,
    clock: core.clock,
    logger: log,
    defaultPrinter: options.defaultPrinter ?? null,
    ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
    ...(options.activePollIntervalMs !== undefined ? { activePollIntervalMs: options.activePollIntervalMs } : {}),
  });
  const forms = new FormsService({ dir: options.formsDir ?? join(core.assetsDir, 'forms'), logger: log });
  const documents = new DocumentCatalogue({ file: options.catalogueFile ?? join(core.assetsDir, 'documents', 'catalogue.json'), logger: log });
  const { incidents } = core;
  const dataDir = options.dataDir ?? core.tempDir;
  const hubOf = (): HubConnection | null => (typeof options.hub === 'function' ? options.hub() : (options.hub ?? null));
  let devices: HealthState['devices'] = null;

  // ---- printer faults: one incident per fault of a queue, resolved when the queue is well again
  let faultedQueue: string | null = null;
  const onState = (state: PrinterStateView): void => {
    core.emit('printing.state', state);
    // No printer chosen is a setting to make, not an equipment fault.
    const fault = state.printer !== null && state.reasons.some((r) => BLOCKING[r] && r !== 'no-printer');
    try {
      if (faultedQueue !== null && (!fault || faultedQueue !== state.printer)) {
        incidents.faultCleared(`printer_fault:${faultedQueue}`);
        faultedQueue = null;
      }
      if (fault && state.printer !== null && faultedQueue === null) {
        const first = state.reasons.find((r) => BLOCKING[r]) ?? 'other';
        // reportFault keeps one open incident per fault key (an incident left open by a restart is counted again, not doubled).
        incidents.reportFault({ faultKey: `printer_fault:${state.printer}`, category: 'equipment', what: `Imprimante ${state.printer} : ${REASON_TEXTS.fr[first].mediator}` });
        faultedQueue = state.printer;
      } else if (!fault && state.printer !== null) {
        // A fault seen before a restart and gone since.
        incidents.faultCleared(`printer_fault:${state.printer}`);
      }
    } catch (cause) {
      log.error({ code: 'PRINTER_INCIDENT_FAILED', err: cause }, 'printer incident not recorded');
    }
  };

  const countJob = (job: PrintJob): void => {
    const visit = documentsVisitOf(job);
    if (!visit) return;
    try {
      const endedAt = job.endedAt ?? core.clock();
      core.visits.record({ ...visit, startedAt: Math.min(job.createdAt, endedAt), endedAt }, { mediatorId: null, source: 'print' });
    } catch (cause) {
      const code = cause instanceof ExpectedError ? cause.code : 'VISIT_NOT_RECORDED';
      log.error({ code, organisation: job.organisation, jobId: job.id }, 'print not counted');
    }
  };

  const unsubscribe = [service.onPrinterState(onState), service.onJobChange((job) => core.emit('printing.job', job)), service.onJobCompleted(countJob)];
  service.start();

  const currentState = async (): Promise<PrinterStateView> => service.lastPrinterState() ?? (await service.refreshPrinterState());

  const knownOrganisation = (code: string): void => {
    if (!core.settings.organisations().some((o) => o.code === code)) throw new ExpectedError('UNKNOWN_ORGANISATION', `Organisme inconnu : ${code}`);
  };

  const hubState = async (): Promise<HealthState['hub']> => {
    const hub = hubOf();
    if (!hub) return null;
    const probe = await probeTcp(hub.url, options.hubTimeoutMs ?? 1_500);
    if (!probe.reachable) log.warn({ code: 'HUB_UNREACHABLE' }, 'hub unreachable (health check)');
    return { url: hub.url.replace(/\?.*$/, ''), reachable: probe.reachable, latencyMs: probe.latencyMs, checkedAt: core.clock() };
  };

  const diskState = async (): Promise<HealthState['disk']> => {
    try {
      const s = await statfs(dataDir);
      return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
    } catch (cause) {
      log.error({ code: 'DISK_STAT_FAILED', err: cause }, 'disk space unreadable');
      return null;
    }
  };

  return {
    service,
    async printTeleservice({ pdf, title, organisation }) {
      // Kind `other`: the teleservice feature counts the `documents` visit within its session.
      const job = await service.submit({ pdf, title, kind: 'other', organisation, copies: 1 });
      return { jobId: job.id };
    },
    handlers: {
      'printing.state': () => currentState(),
      'printing.printers': () => service.listPrinters(),
      'printing.selectPrinter': ({ name }) => {
        service.selectPrinter(name);
        return service.refreshPrinterState();
      },
      'printing.jobs': ({ activeOnly }) => service.listJobs({ activeOnly: activeOnly === true, limit: 50 }),
      'printing.cancel': ({ id }) => service.cancel(id),
      'printing.retry': ({ id }) => service.retry(id),
      'printing.testPage': async () => {
        const printer = service.selectedPrinter();
        if (!printer) throw new ExpectedError('NO_PRINTER', "Aucune imprimante n'est choisie pour ce site.");
        return service.submit({ pdf: await testPagePdf(printer, core.clock()), title: 'Page de test', kind: 'other', organisation: null, copies: 1 });
      },
      'printing.printPdf': async ({ title, organisation, pdfBase64, copies }) => {
        knownOrganisation(organisation);
        const pdf = new Uint8Array(Buffer.from(pdfBase64, 'base64'));
        if (pdf.byteLength > MAX_PDF_BYTES) throw new ExpectedError('INVALID_INPUT', 'Document trop lourd (10 Mo au plus).');
        // Kind `document` with the organisation: counted once as `documents` when completed.
        return service.submit({ pdf, title, kind: 'document', organisation, copies });
      },

      'forms.list': ({ organisation }) => forms.listForms(organisation),
      'forms.describe': ({ id }) => forms.describeForm(id),
      'forms.preview': async ({ id, values }) => {
        const filled = await forms.previewForm(id, values);
        return { pdfBase64: toBase64(filled.pdf), overflow: filled.overflow };
      },
      'forms.refused': () => forms.refusedForms(),
      'forms.print': ({ id, values, copies }) => printForm({ forms, printing: service }, { id, values, copies }),

      'documents.list': ({ organisation }) => documents.listDocuments(organisation),
      'documents.preview': async ({ id }) => ({ pdfBase64: toBase64(await documents.documentBytes(id)) }),
      'documents.print': ({ id, copies }) => printDocument({ documents, printing: service }, { id, copies }),

      'grid.print': ({ week }) => {
        const grid = weeklyGrid(core.db, parseIsoWeek(week), core.settings.organisations(), core.settings.site().name);
        return printGrid({ printing: service, clock: core.clock }, grid);
      },

      'health.state': async () => {
        const [printer, hubNow, disk] = await Promise.all([currentState(), hubState(), diskState()]);
        return { printer, hub: hubNow, disk, devices };
      },
      'health.reportDevices': ({ cameras, microphones }) => {
        devices = { cameras, microphones, reportedAt: core.clock() };
        return { done: true as const };
      },
    } satisfies Handlers<PrintingVerb>,
    close() {
      service.stop();
      for (const u of unsubscribe) u();
    },
  };
}
