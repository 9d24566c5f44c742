// Printer faults against the real cupsd, through the PrintService: each reason shows within 2 s of the fault, and
// once the fault is cleared the pending job completes or is retried — none lost.
import { userInfo } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../../electron/services/db/index.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import { CupsBackend } from '../../../../electron/services/printing/cupsBackend.js';
import type { PrintJob } from '../../../../electron/services/printing/jobStore.js';
import { PrintService, type PrinterStateView } from '../../../../electron/services/printing/printService.js';
import { IppClient } from '../../../../electron/services/printing/ipp.js';
import { reasonCodesOf, type ReasonCode } from '../../../../electron/services/printing/reasons.js';
import {
  acceptQueue,
  assertCupsReady,
  createPdfQueue,
  createUnreachableQueue,
  CUPS_URL,
  pauseQueue,
  rejectQueue,
  removeCupsPdfOutput,
  removeQueue,
  resumeQueue,
  setDevice,
  startPaperPrinter,
  stopSystemDaemons,
  uniqueQueueName,
  type PaperPrinter,
} from '../../../e2e/support/cups.js';
import { samplePdf, waitFor } from './helpers.js';

const REASON_BUDGET_MS = 2_000;
let db: Db;
let service: PrintService;
const queues: string[] = [];
let paper: PaperPrinter | null = null;

beforeAll(assertCupsReady);
afterAll(stopSystemDaemons);

function startService(queue: string): { states: Array<{ at: number; state: PrinterStateView }>; completed: PrintJob[] } {
  db = openDatabase(':memory:');
  service = new PrintService({
    db,
    backend: new CupsBackend({ url: CUPS_URL, userName: userInfo().username }),
    clock: Date.now,
    logger: silentLogger(),
    pollIntervalMs: 500,
  });
  service.selectPrinter(queue);
  const states: Array<{ at: number; state: PrinterStateView }> = [];
  const completed: PrintJob[] = [];
  service.onPrinterState((state) => states.push({ at: Date.now(), state }));
  service.onJobCompleted((job) => completed.push(job));
  service.start();
  return { states, completed };
}

afterEach(async () => {
  for (const job of service?.listJobs() ?? []) removeCupsPdfOutput(job.cupsJobId);
  service?.stop();
  db?.close();
  for (const q of queues.splice(0)) await removeQueue(q);
  if (paper) await paper.stop();
  paper = null;
});

/** Time from `since` until the service announced a state with `reason` (announcements before `notBefore` are ignored). */
async function reasonShownWithin(states: Array<{ at: number; state: PrinterStateView }>, reason: ReasonCode, since: number, notBefore = since): Promise<number> {
  const seen = await waitFor(() => states.find((s) => s.at >= notBefore && s.state.reasons.includes(reason)), REASON_BUDGET_MS + 1_000, `reason ${reason}`);
  console.info(`[faults] ${reason} announced ${Math.max(0, seen.at - since)} ms after the fault reached CUPS`);
  return seen.at - since;
}

/**
 * When CUPS itself first exposes `reason` for `queue`, watched every 100 ms. Some faults reach CUPS only after its
 * backend gives up (the socket backend takes about 4 s to report a refused connection); the 2 s budget runs from there.
 */
async function cupsShowsReasonAt(queue: string, reason: ReasonCode, timeoutMs: number): Promise<number> {
  const client = new IppClient({ url: CUPS_URL, userName: userInfo().username });
  return waitFor(
    async () => {
      const p = await client.printerAttributes(queue);
      return reasonCodesOf({ state: p.state, accepting: p.accepting, reasons: p.reasons, message: p.message }).includes(reason) ? Date.now() : null;
    },
    timeoutMs,
    `CUPS to report ${reason}`,
    100,
  );
}

const newQueue = async (make: (name: string) => Promise<void>, prefix: string): Promise<string> => {
  const name = uniqueQueueName(prefix);
  queues.push(name);
  await make(name);
  return name;
};

describe('printer faults, seen by the print service', () => {
  it('paused queue: `paused` shows within 2 s; the job waits pending and completes once the queue is resumed', async () => {
    const queue = await newQueue(createPdfQueue, 'paused');
    const { states, completed } = startService(queue);
    await waitFor(() => states.find((s) => s.state.printer === queue), 2_000, 'first state');
    const faultAt = Date.now();
    await pauseQueue(queue);
    expect(await reasonShownWithin(states, 'paused', faultAt)).toBeLessThanOrEqual(REASON_BUDGET_MS);
    expect(service.lastPrinterState()).toMatchObject({ status: 'stopped', blocked: true });

    const job = await service.submit({ pdf: await samplePdf('en pause'), title: 'Pause', kind: 'other', organisation: 'CAF', copies: 1 });
    expect(job.state).toBe('pending');
    await waitFor(() => (service.getJob(job.id).reasons.includes('paused') ? true : null), 2_000, 'job reason paused');

    await resumeQueue(queue);
    await waitFor(() => completed.find((j) => j.id === job.id), 15_000, 'job completion after resume');
    expect(service.getJob(job.id)).toMatchObject({ state: 'completed', attempts: 1 });
    expect(service.lastPrinterState()?.reasons).toEqual([]);
  });

  it('queue not accepting: `not-accepting` shows within 2 s; the job waits and is resent automatically once accepted', async () => {
    const queue = await newQueue(createPdfQueue, 'reject');
    const { states, completed } = startService(queue);
    await waitFor(() => states.find((s) => s.state.printer === queue), 2_000, 'first state');
    const faultAt = Date.now();
    await rejectQueue(queue);
    expect(await reasonShownWithin(states, 'not-accepting', faultAt)).toBeLessThanOrEqual(REASON_BUDGET_MS);

    const job = await service.submit({ pdf: await samplePdf('refusé'), title: 'Refus', kind: 'document', organisation: 'CPAM', copies: 1 });
    expect(job).toMatchObject({ state: 'waiting', reasons: ['not-accepting'], cupsJobId: null });
    expect(service.listJobs({ activeOnly: true }).map((j) => j.id)).toContain(job.id);

    await acceptQueue(queue);
    await waitFor(() => completed.find((j) => j.id === job.id), 15_000, 'job completion after accept');
    expect(service.getJob(job.id)).toMatchObject({ state: 'completed', attempts: 2 });
  });

  it('unreachable device: `device-unreachable` shows within 2 s of printing; after repair, a retry completes the job', async () => {
    const queue = await newQueue(createUnreachableQueue, 'unreach');
    const { states, completed } = startService(queue);
    await waitFor(() => states.find((s) => s.state.printer === queue), 2_000, 'first state');
    const submittedAt = Date.now();
    const cupsKnows = cupsShowsReasonAt(queue, 'device-unreachable', 15_000);
    const job = await service.submit({ pdf: await samplePdf('injoignable'), title: 'Injoignable', kind: 'form', organisation: 'FT', copies: 1 });
    const faultAt = await cupsKnows;
    expect(await reasonShownWithin(states, 'device-unreachable', faultAt, submittedAt)).toBeLessThanOrEqual(REASON_BUDGET_MS);
    await waitFor(() => (service.getJob(job.id).reasons.includes('device-unreachable') ? true : null), 2_000, 'job reason');
    expect(service.getJob(job.id).state).toBe('processing');

    await setDevice(queue, 'cups-pdf:/');
    const retried = await service.retry(job.id);
    expect(retried.attempts).toBe(2);
    expect(retried.cupsJobId).not.toBe(job.cupsJobId);
    await waitFor(() => completed.find((j) => j.id === job.id), 20_000, 'job completion after retry');
    expect(service.getJob(job.id).state).toBe('completed');
  });

  it('out of paper (ippeveprinter reporting media-empty): `media-empty` shows within 2 s; paper back, the job completes', async () => {
    paper = await startPaperPrinter({ paperOut: true });
    const { states, completed } = startService(paper.queue);
    await waitFor(() => states.find((s) => s.state.printer === paper?.queue), 2_000, 'first state');
    const submittedAt = Date.now();
    const cupsKnows = cupsShowsReasonAt(paper.queue, 'media-empty', 15_000);
    const job = await service.submit({ pdf: await samplePdf('sans papier'), title: 'Papier', kind: 'document', organisation: 'CAF', copies: 1 });
    const faultAt = await cupsKnows;
    expect(await reasonShownWithin(states, 'media-empty', faultAt, submittedAt)).toBeLessThanOrEqual(REASON_BUDGET_MS);
    expect(service.lastPrinterState()?.blocked).toBe(true);
    await waitFor(() => (service.getJob(job.id).reasons.includes('media-empty') ? true : null), 2_000, 'job reason media-empty');

    paper.setPaperOut(false);
    await waitFor(() => completed.find((j) => j.id === job.id), 20_000, 'job completion after paper is back');
    expect(service.getJob(job.id)).toMatchObject({ state: 'completed', attempts: 1, reasons: [] });
  });
});
