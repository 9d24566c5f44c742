// The PrinterBackend of Windows booths (no CUPS): Electron prints the PDF on a named Windows printer.
// Services never import `electron`: the composition root passes in two functions written over Electron's own API
// (`webContents.getPrintersAsync()` and `webContents.print(options, callback)` on a hidden window showing the PDF).
import type { BackendJobStatus, BackendPrinterState, PrinterBackend, PrinterSummary, SubmitOutcome, SubmitRequest } from './backend.js';

/** The subset of Electron's `WebContentsPrintOptions` used here (same names, same meanings). */
export interface WindowsPrintOptions {
  silent: true;
  deviceName: string;
  copies: number;
  duplexMode: 'simplex' | 'longEdge';
  printBackground: true;
  pageSize: 'A4';
}

/** The subset of Electron's `PrinterInfo`. */
export interface WindowsPrinterInfo {
  name: string;
  displayName: string;
  description: string;
}

export interface WindowsPrintDeps {
  getPrinters(): Promise<WindowsPrinterInfo[]>;
  /** Shows the PDF in a hidden window and calls `webContents.print(options, (success, failureReason) => …)`. */
  printPdf(pdf: Uint8Array, options: WindowsPrintOptions): Promise<{ success: boolean; failureReason: string }>;
}

/**
 * Windows spools the job itself and Electron reports only whether it was handed over, so a job is `completed` once
 * the spooler took it; the printer's paper and toner states are not visible from here.
 */
export class WindowsPrinterBackend implements PrinterBackend {
  readonly kind = 'windows' as const;
  private nextId = 1;

  constructor(private readonly deps: WindowsPrintDeps) {}

  async listPrinters(): Promise<PrinterSummary[]> {
    const printers = await this.deps.getPrinters();
    return printers.map((p) => ({ name: p.name, info: p.displayName || p.description, status: 'idle', accepting: true, duplexSupported: true }));
  }

  async printerState(name: string): Promise<BackendPrinterState> {
    const known = (await this.deps.getPrinters()).some((p) => p.name === name);
    return known
      ? { status: 'idle', accepting: true, reasons: [], message: '', rawReasons: [], duplexSupported: true }
      : { status: 'unreachable', accepting: false, reasons: ['printer-not-found'], message: '', rawReasons: [], duplexSupported: false };
  }

  async submit(printer: string, request: SubmitRequest): Promise<SubmitOutcome> {
    const result = await this.deps.printPdf(request.pdf, {
      silent: true,
      deviceName: printer,
      copies: request.copies,
      duplexMode: request.duplex ? 'longEdge' : 'simplex',
      printBackground: true,
      pageSize: 'A4',
    });
    if (!result.success) return { accepted: false, reason: 'device-unreachable', message: result.failureReason };
    return { accepted: true, backendJobId: this.nextId++, status: { state: 'completed', reasons: [], message: '' } };
  }

  async jobStatus(): Promise<BackendJobStatus | null> {
    return null;
  }

  async cancel(): Promise<void> {
    // A job handed to the Windows spooler is beyond reach; the service marks it canceled on its side.
  }
}
