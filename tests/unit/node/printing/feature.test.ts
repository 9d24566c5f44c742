// The printing feature in a kiosk, over a fake print system: events, counting, incidents, health, teleservice wiring.
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendJobStatus, BackendPrinterState, PrinterBackend, SubmitOutcome } from '../../../../electron/services/printing/backend.js';
import { createKiosk, type Kiosk } from '../../../../electron/services/kiosk.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import { dispatch } from '../../../../electron/services/dispatch.js';
import { probeTcp } from '../../../../electron/services/printing/feature.js';
import { type EventName, type PrintJob, type PrinterStateView } from '../../../../shared/contract/index.js';
import { weekKeyOf, isoWeekLabel } from '../../../../shared/time.js';
import { ASSETS_DIR } from '../services/support.js';
import { samplePdf, waitFor } from './helpers.js';

/** A print system held in memory: a state the test sets, and jobs it completes on demand. */
class FakeBackend implements PrinterBackend {
  readonly kind = 'cups' as const;
  state: BackendPrinterState = { status: 'idle', accepting: true, reasons: [], message: '', rawReasons: [], duplexSupported: false };
  jobs = new Map<number, BackendJobStatus>();
  submitted: Array<{ printer: string; copies: number; bytes: number }> = [];
  private next = 1;
  listPrinters = () => Promise.resolve([{ name: 'FAKE', info: 'Imprimante de test', status: this.state.status, accepting: this.state.accepting, duplexSupported: false }]);
  printerState = () => Promise.resolve({ ...this.state, reasons: [...this.state.reasons] });
  submit(printer: string, request: { pdf: Uint8Array; copies: number }): Promise<SubmitOutcome> {
    if (!this.state.accepting) return Promise.resolve({ accepted: false, reason: 'not-accepting', message: 'rejecting' });
    const id = this.next++;
    this.submitted.push({ printer, copies: request.copies, bytes: request.pdf.byteLength });
    const status: BackendJobStatus = { state: 'processing', reasons: [], message: '' };
    this.jobs.set(id, status);
    return Promise.resolve({ accepted: true, backendJobId: id, status });
  }
  jobStatus = (_p: string, id: number) => Promise.resolve(this.jobs.get(id) ?? null);
  cancel = (_p: string, id: number) => {
    this.jobs.set(id, { state: 'canceled', reasons: [], message: '' });
    return Promise.resolve();
  };
  completeAll(): void {
    for (const [id, s] of this.jobs) if (s.state === 'processing') this.jobs.set(id, { state: 'completed', reasons: [], message: '' });
  }
}

const kiosks: Kiosk[] = [];
afterEach(() => {
  for (const k of kiosks.splice(0)) k.close();
});

function kioskWith(backend: FakeBackend, extra: { hub?: { url: string } } = {}) {
  const events: Array<{ name: EventName; payload: unknown }> = [];
  const kiosk = createKiosk({
    dbFile: ':memory:',
    logger: silentLogger(),
    assetsDir: ASSETS_DIR,
    printing: {
      backend,
      defaultPrinter: 'FAKE',
      pollIntervalMs: 20,
      activePollIntervalMs: 10,
      ...(extra.hub ? { hub: { url: extra.hub.url, token: 't', demo: true, consoleUrl: null } } : {}),
    },
  });
  kiosks.push(kiosk);
  kiosk.onEvent((name, payload) => events.push({ name, payload }));
  const call = async <T>(verb: string, input: unknown): Promise<T> => {
    const result = await dispatch({ handlers: kiosk.handlers, requireMediator: () => kiosk.requireMediator(), logger: silentLogger() }, verb, input);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value as T;
  };
  const unlock = () => call('auth.unlock', { pin: '1234' });
  return { kiosk, events, call, unlock };
}

const documentsCount = (kiosk: Kiosk, org: string): number =>
  (kiosk.db.prepare("SELECT COUNT(*) AS n FROM visits WHERE organisation = ? AND service = 'documents'").get(org) as { n: number }).n;

describe('printing feature', () => {
  it('counts a leaflet printed in two copies once as documents for its organisation, from the print source', async () => {
    const backend = new FakeBackend();
    const { kiosk, call } = kioskWith(backend);
    const job = await call<PrintJob>('documents.print', { id: 'caf-aides-logement', copies: 2 });
    expect(job.copies).toBe(2);
    expect(backend.submitted[0]?.copies).toBe(2);
    expect(documentsCount(kiosk, 'CAF')).toBe(0);
    backend.completeAll();
    await waitFor(() => (documentsCount(kiosk, 'CAF') === 1 ? true : null), 2_000, 'the visit');
    // Further polls do not count it again.
    await new Promise((r) => setTimeout(r, 100));
    expect(documentsCount(kiosk, 'CAF')).toBe(1);
    const source = kiosk.db.prepare("SELECT source FROM visits WHERE service = 'documents'").get() as { source: string };
    expect(source.source).toBe('print');
  });

  it('emits printing.job events up to completion and printing.state when the printer changes', async () => {
    const backend = new FakeBackend();
    const { events, call } = kioskWith(backend);
    await waitFor(() => events.find((e) => e.name === 'printing.state'), 2_000, 'a first state');
    const job = await call<PrintJob>('forms.print', { id: 'caf-changement-situation', values: { f0: 'Dupont' }, copies: 1 });
    backend.completeAll();
    await waitFor(() => events.find((e) => e.name === 'printing.job' && (e.payload as PrintJob).id === job.id && (e.payload as PrintJob).state === 'completed'), 2_000, 'completed event');
    backend.state = { ...backend.state, status: 'stopped', reasons: ['paused'] };
    const paused = await waitFor(() => events.find((e) => e.name === 'printing.state' && (e.payload as PrinterStateView).reasons.includes('paused')), 2_000, 'paused state');
    expect((paused.payload as PrinterStateView).blocked).toBe(true);
  });

  it('opens one incident per printer fault and resolves it when the fault clears', async () => {
    const backend = new FakeBackend();
    const { kiosk } = kioskWith(backend);
    const incidents = () => kiosk.db.prepare("SELECT status, occurrences FROM incidents WHERE fault_key = 'printer_fault:FAKE'").all() as Array<{ status: string; occurrences: number }>;
    backend.state = { ...backend.state, reasons: ['media-empty'] };
    await waitFor(() => (incidents().length === 1 ? true : null), 2_000, 'an incident');
    backend.state = { ...backend.state, reasons: ['media-empty', 'toner-low'] };
    await new Promise((r) => setTimeout(r, 100));
    expect(incidents()).toEqual([{ status: 'open', occurrences: 1 }]);
    backend.state = { ...backend.state, reasons: [] };
    await waitFor(() => (incidents()[0]?.status === 'resolved' ? true : null), 2_000, 'resolved');
    expect(incidents()).toHaveLength(1);
  });

  it('does not count the weekly grid nor the test page, and prints the requested week', async () => {
    const backend = new FakeBackend();
    const { kiosk, call, unlock } = kioskWith(backend);
    await unlock();
    const grid = await call<PrintJob>('grid.print', { week: isoWeekLabel(weekKeyOf(Date.now())) });
    const test = await call<PrintJob>('printing.testPage', {});
    expect([grid.kind, test.kind]).toEqual(['grid', 'other']);
    backend.completeAll();
    await waitFor(async () => ((await call<PrintJob[]>('printing.jobs', {})).every((j) => j.state === 'completed') ? true : null), 2_000, 'completion');
    expect((kiosk.db.prepare('SELECT COUNT(*) AS n FROM visits').get() as { n: number }).n).toBe(0);
  });

  it('prints a PDF from a call for a known organisation only, and counts it', async () => {
    const backend = new FakeBackend();
    const { kiosk, call } = kioskWith(backend);
    const pdfBase64 = Buffer.from(await samplePdf('Attestation')).toString('base64');
    await expect(call('printing.printPdf', { title: 'Attestation', organisation: 'XYZ', pdfBase64, copies: 1 })).rejects.toThrow(/UNKNOWN_ORGANISATION/);
    const job = await call<PrintJob>('printing.printPdf', { title: 'Attestation', organisation: 'CPAM', pdfBase64, copies: 1 });
    expect(job.kind).toBe('document');
    backend.completeAll();
    await waitFor(() => (documentsCount(kiosk, 'CPAM') === 1 ? true : null), 2_000, 'the visit');
  });

  it('refuses mediator verbs while locked', async () => {
    const { call } = kioskWith(new FakeBackend());
    await expect(call('printing.jobs', {})).rejects.toThrow(/NOT_UNLOCKED/);
    await expect(call('health.state', {})).rejects.toThrow(/NOT_UNLOCKED/);
  });

  it('reports the hub reachable, free disk and the devices the screen found', async () => {
    const server: Server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const { call, unlock } = kioskWith(new FakeBackend(), { hub: { url: `ws://127.0.0.1:${port}/booth` } });
      await unlock();
      await call('health.reportDevices', { cameras: 1, microphones: 0 });
      const health = await call<{ hub: { reachable: boolean }; disk: { freeBytes: number }; devices: { cameras: number; microphones: number } }>('health.state', {});
      expect(health.hub.reachable).toBe(true);
      expect(health.disk.freeBytes).toBeGreaterThan(0);
      expect(health.devices).toMatchObject({ cameras: 1, microphones: 0 });
    } finally {
      server.close();
    }
  });

  it('finds a closed port unreachable within its timeout', async () => {
    const server: Server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
    const probe = await probeTcp(`ws://127.0.0.1:${port}`, 500);
    expect(probe).toEqual({ reachable: false, latencyMs: null });
  });

  it('sends a PDF downloaded during a guided session to the printer as kind other (the session counts it)', async () => {
    const backend = new FakeBackend();
    const { kiosk } = kioskWith(backend);
    const printed = await kiosk.printing!.printTeleservice({ pdf: await samplePdf('Téléservice'), title: 'Attestation', organisation: 'CAF' });
    expect(kiosk.printing!.service.getJob(printed.jobId)).toMatchObject({ kind: 'other', organisation: 'CAF' });
  });
});
