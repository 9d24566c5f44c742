// The PrinterBackend of Linux booths: the system's CUPS scheduler over IPP.
import type { BackendJobState, BackendJobStatus, BackendPrinterState, PrinterBackend, PrinterSummary, SubmitOutcome, SubmitRequest } from './backend.js';
import { IppClient, IppStatusError, IppUnreachableError, type IppClientOptions, type IppJobAttributes, type IppJobState } from './ipp.js';
import { reasonCodesOf } from './reasons.js';

const JOB_STATE: Record<IppJobState, BackendJobState> = {
  pending: 'pending',
  'pending-held': 'held',
  processing: 'processing',
  'processing-stopped': 'stopped',
  completed: 'completed',
  canceled: 'canceled',
  aborted: 'aborted',
};

const jobStatusOf = (j: IppJobAttributes): BackendJobStatus => ({ state: JOB_STATE[j.state] ?? 'processing', reasons: j.reasons, message: j.message });

const unreachable = (): BackendPrinterState => ({
  status: 'unreachable',
  accepting: false,
  reasons: ['cups-unreachable'],
  message: '',
  rawReasons: [],
  duplexSupported: false,
});

export class CupsBackend implements PrinterBackend {
  readonly kind = 'cups' as const;
  readonly client: IppClient;

  constructor(options: IppClientOptions) {
    this.client = new IppClient(options);
  }

  async listPrinters(): Promise<PrinterSummary[]> {
    try {
      const printers = await this.client.listPrinters();
      return printers.map((p) => ({ name: p.name, info: p.info, status: p.state, accepting: p.accepting, duplexSupported: p.duplexSupported }));
    } catch (error) {
      if (error instanceof IppUnreachableError) return [];
      throw error;
    }
  }

  async printerState(name: string): Promise<BackendPrinterState> {
    try {
      const p = await this.client.printerAttributes(name);
      return {
        status: p.state,
        accepting: p.accepting,
        reasons: reasonCodesOf({ state: p.state, accepting: p.accepting, reasons: p.reasons, message: p.message }),
        message: p.message,
        rawReasons: p.reasons,
        duplexSupported: p.duplexSupported,
      };
    } catch (error) {
      if (error instanceof IppUnreachableError) return unreachable();
      if (error instanceof IppStatusError && error.statusCode === 'client-error-not-found') {
        return { status: 'unreachable', accepting: false, reasons: ['printer-not-found'], message: '', rawReasons: [], duplexSupported: false };
      }
      throw error;
    }
  }

  async submit(printer: string, request: SubmitRequest): Promise<SubmitOutcome> {
    try {
      const job = await this.client.printJob(printer, request);
      return { accepted: true, backendJobId: job.id, status: jobStatusOf(job) };
    } catch (error) {
      if (error instanceof IppUnreachableError) return { accepted: false, reason: 'cups-unreachable', message: error.message };
      if (error instanceof IppStatusError) {
        if (error.statusCode.includes('not-accepting')) return { accepted: false, reason: 'not-accepting', message: error.message };
        if (error.statusCode === 'client-error-not-found') return { accepted: false, reason: 'printer-not-found', message: error.message };
        return { accepted: false, reason: 'other', message: error.message };
      }
      throw error;
    }
  }

  async jobStatus(printer: string, backendJobId: number): Promise<BackendJobStatus | null> {
    try {
      return jobStatusOf(await this.client.jobAttributes(printer, backendJobId));
    } catch (error) {
      if (error instanceof IppStatusError && error.statusCode === 'client-error-not-found') return null;
      throw error;
    }
  }

  async cancel(printer: string, backendJobId: number): Promise<void> {
    try {
      await this.client.cancelJob(printer, backendJobId);
    } catch (error) {
      // Already finished or purged: nothing left to cancel in CUPS.
      if (error instanceof IppStatusError && /not-found|not-possible/.test(error.statusCode)) return;
      throw error;
    }
  }
}
