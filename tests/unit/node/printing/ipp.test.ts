// The IPP layer against the machine's real cupsd: list, state, submit and follow to completion, cancel, CUPS down.
import { userInfo } from 'node:os';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CupsBackend } from '../../../../electron/services/printing/cupsBackend.js';
import { IppClient, IppStatusError, IppUnreachableError } from '../../../../electron/services/printing/ipp.js';
import { assertCupsReady, createPdfQueue, CUPS_URL, cupsPdfOutputFile, pauseQueue, PDF_QUEUE, pdfText, removeCupsPdfOutput, removeQueue, uniqueQueueName } from '../../../e2e/support/cups.js';
import { samplePdf, waitFor } from './helpers.js';

const client = new IppClient({ url: CUPS_URL, userName: userInfo().username });
const paused = uniqueQueueName('ippcancel');

beforeAll(async () => {
  await assertCupsReady();
  await createPdfQueue(paused);
  await pauseQueue(paused, 'Test : annulation');
});
afterAll(() => removeQueue(paused));

describe('IPP client over CUPS', () => {
  it('lists the printers of CUPS, the PDF queue among them', async () => {
    const printers = await client.listPrinters();
    const pdf = printers.find((p) => p.name === PDF_QUEUE);
    expect(pdf).toBeDefined();
    expect(pdf?.deviceUri).toBe('cups-pdf:/');
    expect(printers.some((p) => p.name === paused)).toBe(true);
  });

  it('reads a printer state: the PDF queue is accepting and not stopped, the paused one is stopped with `paused`', async () => {
    const ok = await client.printerAttributes(PDF_QUEUE);
    expect(ok.accepting).toBe(true);
    expect(ok.state).not.toBe('stopped');
    const stopped = await client.printerAttributes(paused);
    expect(stopped.state).toBe('stopped');
    expect(stopped.reasons).toContain('paused');
    expect(stopped.message).toBe('Test : annulation');
  });

  it('reports an unknown printer as client-error-not-found', async () => {
    await expect(client.printerAttributes('relais_absent_queue')).rejects.toMatchObject({ statusCode: 'client-error-not-found' });
    await expect(client.printerAttributes('relais_absent_queue')).rejects.toBeInstanceOf(IppStatusError);
  });

  it('submits a PDF, follows it to completed, and cups-pdf writes a file with its text', async () => {
    const marker = `Relais essai IPP ${Date.now()} àéç`;
    const job = await client.printJob(PDF_QUEUE, { pdf: await samplePdf(marker), title: 'Essai IPP', copies: 1, duplex: false });
    expect(job.id).toBeGreaterThan(0);
    const done = await waitFor(
      async () => {
        const j = await client.jobAttributes(PDF_QUEUE, job.id);
        return ['completed', 'aborted', 'canceled'].includes(j.state) ? j : null;
      },
      15_000,
      'job completion',
    );
    expect(done.state).toBe('completed');
    const file = await waitFor(() => cupsPdfOutputFile(job.id), 5_000, 'cups-pdf output file');
    expect(await pdfText(file)).toContain(marker);
    removeCupsPdfOutput(job.id);
  });

  it('prints a Letter page on A4 whole: a word at its left edge is on paper (CUPS would fill the paper and cut it)', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([612, 792]);
    const font = await doc.embedFont(StandardFonts.Helvetica);
    page.drawText('BORDGAUCHE', { x: 2, y: 770, size: 11, font });
    page.drawText('BORDDROIT', { x: 612 - 2 - font.widthOfTextAtSize('BORDDROIT', 11), y: 400, size: 11, font });
    const job = await client.printJob(PDF_QUEUE, { pdf: await doc.save(), title: 'Essai Letter', copies: 1, duplex: false });
    const done = await waitFor(
      async () => {
        const j = await client.jobAttributes(PDF_QUEUE, job.id);
        return ['completed', 'aborted', 'canceled'].includes(j.state) ? j : null;
      },
      15_000,
      'job completion',
    );
    expect(done.state).toBe('completed');
    const file = await waitFor(() => cupsPdfOutputFile(job.id), 5_000, 'cups-pdf output file');
    const text = await pdfText(file);
    removeCupsPdfOutput(job.id);
    expect(text).toContain('BORDGAUCHE');
    expect(text).toContain('BORDDROIT');
  });

  it('cancels a job held by a paused queue', async () => {
    const job = await client.printJob(paused, { pdf: await samplePdf('à annuler'), title: 'Annulation', copies: 2, duplex: true });
    expect((await client.jobAttributes(paused, job.id)).state).toBe('pending');
    await client.cancelJob(paused, job.id);
    expect((await client.jobAttributes(paused, job.id)).state).toBe('canceled');
  });

  it('treats CUPS down (connection refused) as an IppUnreachableError, and the backend as a state', async () => {
    const down = new IppClient({ url: 'http://127.0.0.1:9', userName: 'relais', timeoutMs: 2_000 });
    await expect(down.listPrinters()).rejects.toBeInstanceOf(IppUnreachableError);
    const backend = new CupsBackend({ url: 'http://127.0.0.1:9', userName: 'relais', timeoutMs: 2_000 });
    expect(await backend.printerState('PDF')).toMatchObject({ status: 'unreachable', reasons: ['cups-unreachable'] });
    expect(await backend.listPrinters()).toEqual([]);
    expect(await backend.submit('PDF', { pdf: await samplePdf('x'), title: 'x', copies: 1, duplex: false })).toMatchObject({ accepted: false, reason: 'cups-unreachable' });
  });
});
