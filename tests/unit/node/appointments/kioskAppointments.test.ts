// The kiosk's appointments feature: the visitor's slip printed through the tracked job path (its text read back with
// pdftotext), and the appointments remembered across restarts, with hostile inputs refused by the contract.
import { execFile as execFileCb } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { BackendJobStatus, BackendPrinterState, PrinterBackend, SubmitOutcome } from '../../../../electron/services/printing/backend.js';
import { createKiosk, type Kiosk } from '../../../../electron/services/kiosk.js';
import { dispatch } from '../../../../electron/services/dispatch.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import { slipPdf } from '../../../../electron/services/appointments/slipPdf.js';
import type { KioskAppointment, PrintJob } from '../../../../shared/contract/index.js';
import { ASSETS_DIR } from '../services/support.js';

const execFile = promisify(execFileCb);
const work = mkdtempSync(join(tmpdir(), 'relais-slip-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function textOf(pdf: Uint8Array, name: string): Promise<string> {
  const file = join(work, `${name}.pdf`);
  writeFileSync(file, pdf);
  const { stdout } = await execFile('pdftotext', ['-layout', file, '-']);
  return stdout;
}

/** A print system that keeps what it was sent. */
class CapturingBackend implements PrinterBackend {
  readonly kind = 'cups' as const;
  state: BackendPrinterState = { status: 'idle', accepting: true, reasons: [], message: '', rawReasons: [], duplexSupported: false };
  pdfs: Uint8Array[] = [];
  listPrinters = () => Promise.resolve([{ name: 'FAKE', info: 'Imprimante de test', status: this.state.status, accepting: true, duplexSupported: false }]);
  printerState = () => Promise.resolve({ ...this.state });
  submit(_printer: string, request: { pdf: Uint8Array }): Promise<SubmitOutcome> {
    this.pdfs.push(request.pdf);
    return Promise.resolve({ accepted: true, backendJobId: this.pdfs.length, status: { state: 'processing', reasons: [], message: '' } });
  }
  jobStatus = (): Promise<BackendJobStatus | null> => Promise.resolve({ state: 'processing', reasons: [], message: '' });
  cancel = () => Promise.resolve();
}

const kiosks: Kiosk[] = [];
afterEach(() => {
  for (const k of kiosks.splice(0)) k.close();
});

function kioskWith(options: { backend?: CapturingBackend; now?: () => number; dbFile?: string } = {}) {
  const kiosk = createKiosk({
    dbFile: options.dbFile ?? ':memory:',
    logger: silentLogger(),
    assetsDir: ASSETS_DIR,
    ...(options.now ? { clock: options.now } : {}),
    printing: options.backend ? { backend: options.backend, defaultPrinter: 'FAKE', pollIntervalMs: 50, activePollIntervalMs: 50 } : false,
  });
  kiosks.push(kiosk);
  const call = (verb: string, input: unknown) => dispatch({ handlers: kiosk.handlers, requireMediator: () => kiosk.requireMediator(), logger: silentLogger() }, verb, input);
  return { kiosk, call };
}

// Thursday 26 November 2026, 14:30 in Paris.
const AT = Date.parse('2026-11-26T13:30:00Z');

describe('the appointment slip', () => {
  it('holds the date in French words, the time, the organisation, the subject, each item to bring, the site and commune', async () => {
    const pdf = await slipPdf({
      organisationName: "Caisse d'allocations familiales",
      startsAt: AT,
      subjectLabel: 'RSA et prime d’activité',
      bring: ['Pièce d’identité', 'Numéro allocataire', 'Dernier avis d’imposition'],
      siteName: 'Relais de Bénévent-l’Abbaye',
      commune: 'Bénévent-l’Abbaye',
      printedAt: AT - 86_400_000,
    });
    const text = (await textOf(pdf, 'slip')).replace(/\s+/g, ' ');
    expect(text).toContain('Jeudi 26 novembre 2026');
    expect(text).toContain('à 14:30');
    expect(text).toContain("Caisse d'allocations familiales");
    expect(text).toContain('RSA et prime d’activité');
    for (const item of ['Pièce d’identité', 'Numéro allocataire', 'Dernier avis d’imposition']) expect(text).toContain(item);
    expect(text).toContain('Relais de Bénévent-l’Abbaye, Bénévent-l’Abbaye');
  });

  it('a text Helvetica cannot write (emoji, CJK, controls) still gives a slip', async () => {
    const pdf = await slipPdf({ organisationName: 'CAF 🏛', startsAt: AT, subjectLabel: '住宅\u0007', bring: ['x'.repeat(400)], siteName: 'S', commune: '', printedAt: AT });
    const text = await textOf(pdf, 'hostile');
    expect(text).toContain('CAF ?');
    expect(text).toContain('14:30');
  });

  it('is printed through the tracked job path, with no note nor name in it', async () => {
    const backend = new CapturingBackend();
    const { call } = kioskWith({ backend });
    const result = await call('appointments.printSlip', { organisation: 'CAF', startsAt: AT, subjectLabel: 'RSA', bring: ['Pièce d’identité'] });
    expect(result.ok).toBe(true);
    const job = (result as { value: PrintJob }).value;
    expect(job).toMatchObject({ kind: 'other', organisation: 'CAF', copies: 1 });
    expect(['pending', 'processing', 'waiting']).toContain(job.state);
    const text = await textOf(backend.pdfs[0]!, 'tracked');
    expect(text).toContain('Pièce d’identité');
    expect(text).not.toMatch(/prénom|initiales|note/i);
  });

  it('refuses hostile or unknown input with a code, never a crash', async () => {
    const backend = new CapturingBackend();
    const { call } = kioskWith({ backend });
    const refused = async (input: unknown) => {
      const r = await call('appointments.printSlip', input);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(await refused({ organisation: 'NOPE', startsAt: AT, subjectLabel: 'RSA', bring: [] })).toBe('UNKNOWN_ORGANISATION');
    expect(await refused({ organisation: 'CAF', startsAt: AT, subjectLabel: 'RSA', bring: Array.from({ length: 31 }, () => 'x') })).toBe('INVALID_INPUT');
    expect(await refused({ organisation: 'CAF', startsAt: AT, subjectLabel: 'x'.repeat(201), bring: [] })).toBe('INVALID_INPUT');
    expect(await refused({ organisation: 'CAF', startsAt: -1, subjectLabel: 'RSA', bring: [] })).toBe('INVALID_INPUT');
    expect(await refused({ organisation: 'CAF', startsAt: AT, subjectLabel: 'RSA', bring: [], note: 'Léa' })).toBe('INVALID_INPUT');
    expect(await refused(null)).toBe('INVALID_INPUT');
    expect(backend.pdfs).toHaveLength(0);
  });

  it('a kiosk without printing says NO_PRINTER', async () => {
    const { call } = kioskWith();
    const r = await call('appointments.printSlip', { organisation: 'CAF', startsAt: AT, subjectLabel: 'RSA', bring: [] });
    expect(r.ok ? 'ok' : r.error.code).toBe('NO_PRINTER');
  });
});

describe('the appointments the kiosk remembers', () => {
  const appointment = (id: string, startsAt: number, status: KioskAppointment['status'] = 'booked'): KioskAppointment => ({ id, organisation: 'CAF', startsAt, endsAt: startsAt + 20 * 60_000, subjectLabel: 'RSA', status });

  it('records, lists the ones not over (grace time included) soonest first, updates, and keeps them across a restart', async () => {
    const dbFile = join(work, 'kiosk.db');
    let now = AT - 3_600_000;
    const first = kioskWith({ dbFile, now: () => now });
    expect((await first.call('appointments.record', appointment('b', AT + 86_400_000))).ok).toBe(true);
    expect((await first.call('appointments.record', appointment('a', AT))).ok).toBe(true);
    expect((await first.call('appointments.record', appointment('old', AT - 7_200_000))).ok).toBe(true);
    expect((await first.call('appointments.update', { id: 'a', status: 'cancelled' })).ok).toBe(true);
    first.kiosk.close();
    kiosks.splice(0);

    const again = kioskWith({ dbFile, now: () => now });
    const listed = await again.call('appointments.list', {});
    expect(listed.ok && (listed.value as KioskAppointment[]).map((a) => [a.id, a.status])).toEqual([['a', 'cancelled'], ['b', 'booked']]);
    // 14 minutes after its end, within the 15 minutes' grace, « a » is still listed; 16 minutes after, no longer.
    now = AT + 20 * 60_000 + 14 * 60_000;
    expect(((await again.call('appointments.list', {})) as { value: KioskAppointment[] }).value.map((a) => a.id)).toEqual(['a', 'b']);
    now = AT + 20 * 60_000 + 16 * 60_000;
    expect(((await again.call('appointments.list', {})) as { value: KioskAppointment[] }).value.map((a) => a.id)).toEqual(['b']);
  });

  it('never stores a note: the columns hold no such thing and a frame with one is refused', async () => {
    const { kiosk, call } = kioskWith();
    const columns = (kiosk.db.prepare('PRAGMA table_info(appointments)').all() as Array<{ name: string }>).map((c) => c.name);
    expect(columns).toEqual(['id', 'organisation', 'starts_at', 'ends_at', 'subject_label', 'status', 'updated_at']);
    const r = await call('appointments.record', { ...appointment('n', AT), note: 'Léa' });
    expect(r.ok ? 'ok' : r.error.code).toBe('INVALID_INPUT');
  });

  it.each([
    ['an empty id', { id: '' }],
    ['a 65-character id', { id: 'x'.repeat(65) }],
    ['an end before the start', { endsAt: AT - 1 }],
    ['an unknown status', { status: 'lost' }],
    ['a bad organisation code', { organisation: "CAF'; DROP TABLE appointments;--" }],
    ['a non-integer start', { startsAt: 1.5 }],
  ])('refuses %s', async (_what, change) => {
    const { call } = kioskWith();
    const r = await call('appointments.record', { ...appointment('z', AT), ...change });
    expect(r.ok ? 'ok' : r.error.code).toBe('INVALID_INPUT');
  });

  it('updating an unknown appointment: NOT_FOUND', async () => {
    const { call } = kioskWith();
    const r = await call('appointments.update', { id: 'nope', status: 'cancelled' });
    expect(r.ok ? 'ok' : r.error.code).toBe('NOT_FOUND');
  });
});
