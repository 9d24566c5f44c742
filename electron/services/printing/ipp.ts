// An IPP client for the system's CUPS scheduler: the few operations the print service needs, typed, as promises.
import ipp, { type IppGroup, type IppResponse, type IppValue } from '@sealsystems/ipp';

export type IppPrinterState = 'idle' | 'processing' | 'stopped';
export type IppJobState = 'pending' | 'pending-held' | 'processing' | 'processing-stopped' | 'canceled' | 'aborted' | 'completed';

export interface IppPrinterAttributes {
  name: string;
  state: IppPrinterState;
  accepting: boolean;
  /** Raw `printer-state-reasons` keywords, without `none`. */
  reasons: string[];
  message: string;
  info: string;
  deviceUri: string;
  duplexSupported: boolean;
}

export interface IppJobAttributes {
  id: number;
  state: IppJobState;
  /** Raw `job-state-reasons` keywords, without `none`. */
  reasons: string[];
  /** The printer's message while the job runs (e.g. why the device cannot be reached). */
  message: string;
  pagesCompleted: number;
}

export interface IppPrintRequest {
  pdf: Uint8Array;
  title: string;
  copies: number;
  duplex: boolean;
}

/** CUPS could not be reached at all (connection refused, timeout): a state of the booth, not a bug. */
export class IppUnreachableError extends Error {
  constructor(
    readonly url: string,
    readonly causeCode: string,
  ) {
    super(`Le service d'impression (CUPS) ne répond pas à ${url} (${causeCode}).`);
    this.name = 'IppUnreachableError';
  }
}

/** CUPS answered with a non-successful IPP status (e.g. `client-error-not-found`, `server-error-not-accepting-jobs`). */
export class IppStatusError extends Error {
  constructor(
    readonly operation: string,
    readonly statusCode: string,
  ) {
    super(`IPP ${operation} a échoué : ${statusCode}`);
    this.name = 'IppStatusError';
  }
}

export interface IppClientOptions {
  /** Base URL of the scheduler; `http://localhost:631` by default. */
  url?: string;
  /** The `requesting-user-name` of every request: CUPS lets the owner of a job cancel it. */
  userName: string;
  timeoutMs?: number;
}

const PRINTER_ATTRIBUTES = [
  'printer-name',
  'printer-state',
  'printer-state-reasons',
  'printer-state-message',
  'printer-is-accepting-jobs',
  'printer-info',
  'device-uri',
  'sides-supported',
];
const JOB_ATTRIBUTES = ['job-id', 'job-state', 'job-state-reasons', 'job-printer-state-message', 'job-media-sheets-completed'];
const TRANSPORT_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

const list = (v: IppValue | undefined): IppValue[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const str = (v: IppValue | undefined): string => (typeof v === 'string' ? v : Array.isArray(v) ? str(v[0]) : v === undefined ? '' : String(v));
const keywords = (v: IppValue | undefined): string[] => list(v).map(String).filter((k) => k !== 'none' && k !== '');
const groups = (g: IppGroup | IppGroup[] | undefined): IppGroup[] => (g === undefined ? [] : Array.isArray(g) ? g : [g]);
const isSuccess = (status: string): boolean => status.startsWith('successful-ok');

function printerFrom(g: IppGroup, fallbackName = ''): IppPrinterAttributes {
  const state = str(g['printer-state']);
  return {
    name: str(g['printer-name']) || fallbackName,
    state: state === 'processing' || state === 'stopped' ? state : 'idle',
    accepting: g['printer-is-accepting-jobs'] === true,
    reasons: keywords(g['printer-state-reasons']),
    message: str(g['printer-state-message']),
    info: str(g['printer-info']),
    deviceUri: str(g['device-uri']),
    duplexSupported: list(g['sides-supported']).some((s) => String(s).startsWith('two-sided')),
  };
}

function jobFrom(g: IppGroup): IppJobAttributes {
  const state = str(g['job-state']) as IppJobState;
  const sheets = g['job-media-sheets-completed'];
  return {
    id: Number(g['job-id']),
    state,
    reasons: keywords(g['job-state-reasons']),
    message: str(g['job-printer-state-message']),
    pagesCompleted: typeof sheets === 'number' ? sheets : 0,
  };
}

export class IppClient {
  readonly baseUrl: string;
  private readonly userName: string;
  private readonly timeoutMs: number;

  constructor(options: IppClientOptions) {
    this.baseUrl = (options.url ?? 'http://localhost:631').replace(/\/+$/, '');
    this.userName = options.userName;
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  private execute(path: string, operation: string, operationAttributes: IppGroup, extra: { job?: IppGroup; data?: Buffer } = {}): Promise<IppResponse> {
    const url = `${this.baseUrl}${path}`;
    const printer = ipp.Printer(url, { timeout: this.timeoutMs });
    return new Promise((resolve, reject) => {
      printer.execute(
        operation,
        {
          'operation-attributes-tag': { 'requesting-user-name': this.userName, ...operationAttributes },
          ...(extra.job ? { 'job-attributes-tag': extra.job } : {}),
          ...(extra.data ? { data: extra.data } : {}),
        },
        (error, response) => {
          if (error) {
            const code = (error as NodeJS.ErrnoException).code ?? '';
            if (TRANSPORT_ERRORS.has(code) || /unexpected response status/.test(error.message)) {
              reject(new IppUnreachableError(this.baseUrl, code || error.message));
            } else reject(error);
            return;
          }
          if (!isSuccess(response.statusCode)) reject(new IppStatusError(operation, response.statusCode));
          else resolve(response);
        },
      );
    });
  }

  private static printerPath(name: string): string {
    return `/printers/${encodeURIComponent(name)}`;
  }

  async listPrinters(): Promise<IppPrinterAttributes[]> {
    try {
      const res = await this.execute('/', 'CUPS-Get-Printers', { 'requested-attributes': PRINTER_ATTRIBUTES });
      return groups(res['printer-attributes-tag']).map((g) => printerFrom(g));
    } catch (error) {
      // CUPS answers "not found" when it has no queue at all.
      if (error instanceof IppStatusError && error.statusCode === 'client-error-not-found') return [];
      throw error;
    }
  }

  /** Throws IppStatusError `client-error-not-found` when the queue does not exist. */
  async printerAttributes(name: string): Promise<IppPrinterAttributes> {
    const res = await this.execute(IppClient.printerPath(name), 'Get-Printer-Attributes', { 'requested-attributes': PRINTER_ATTRIBUTES });
    const g = groups(res['printer-attributes-tag'])[0];
    if (!g) throw new IppStatusError('Get-Printer-Attributes', 'client-error-not-found');
    return printerFrom(g, name);
  }

  async printJob(printerName: string, request: IppPrintRequest): Promise<IppJobAttributes> {
    // `auto-fit`: a page larger than the paper is shrunk to fit it, one that fits is printed as is. CUPS's default
    // (`auto`) fills the paper instead, and a Letter form on A4 lost 28 pt each side: a value typed in a box at the
    // page's edge was cut (« ZX » of « QZZZX »).
    const job: IppGroup = { copies: request.copies, 'print-scaling': 'auto-fit' };
    if (request.duplex) job.sides = 'two-sided-long-edge';
    const res = await this.execute(
      IppClient.printerPath(printerName),
      'Print-Job',
      { 'job-name': request.title, 'document-format': 'application/pdf' },
      { job, data: Buffer.from(request.pdf.buffer, request.pdf.byteOffset, request.pdf.byteLength) },
    );
    const g = groups(res['job-attributes-tag'])[0];
    if (!g) throw new IppStatusError('Print-Job', 'server-error-internal-error');
    return jobFrom(g);
  }

  async jobAttributes(printerName: string, jobId: number): Promise<IppJobAttributes> {
    const res = await this.execute(IppClient.printerPath(printerName), 'Get-Job-Attributes', { 'job-id': jobId, 'requested-attributes': JOB_ATTRIBUTES });
    const g = groups(res['job-attributes-tag'])[0];
    if (!g) throw new IppStatusError('Get-Job-Attributes', 'client-error-not-found');
    return jobFrom(g);
  }

  async cancelJob(printerName: string, jobId: number): Promise<void> {
    await this.execute(IppClient.printerPath(printerName), 'Cancel-Job', { 'job-id': jobId });
  }
}
