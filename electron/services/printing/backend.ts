// What the print service needs from a platform's print system: CUPS over IPP on Linux, Electron's print on Windows.
import type { ReasonCode } from './reasons.js';

export type PrinterStatus = 'idle' | 'processing' | 'stopped' | 'unreachable';

export interface PrinterSummary {
  name: string;
  /** The description the system gives (CUPS `printer-info`), for the settings list. */
  info: string;
  status: PrinterStatus;
  accepting: boolean;
  duplexSupported: boolean;
}

export interface BackendPrinterState {
  status: PrinterStatus;
  accepting: boolean;
  reasons: ReasonCode[];
  /** The print system's own message (English from CUPS), for the mediator's details; never shown to the visitor. */
  message: string;
  /** Raw keywords from the print system, kept for the log. */
  rawReasons: string[];
  duplexSupported: boolean;
}

export interface SubmitRequest {
  pdf: Uint8Array;
  title: string;
  copies: number;
  duplex: boolean;
}

/** The backend's view of a job; `ended` states are final. */
export type BackendJobState = 'pending' | 'held' | 'processing' | 'stopped' | 'completed' | 'canceled' | 'aborted';

export interface BackendJobStatus {
  state: BackendJobState;
  reasons: string[];
  message: string;
}

export type SubmitOutcome =
  | { accepted: true; backendJobId: number | null; status: BackendJobStatus }
  /** Refused before any job exists (queue rejecting, print system down): the job waits and is sent again. */
  | { accepted: false; reason: ReasonCode; message: string };

export interface PrinterBackend {
  readonly kind: 'cups' | 'windows';
  listPrinters(): Promise<PrinterSummary[]>;
  /** Never throws for an unreachable print system: that is a state. */
  printerState(name: string): Promise<BackendPrinterState>;
  submit(printer: string, request: SubmitRequest): Promise<SubmitOutcome>;
  /** null when the backend no longer knows the job (purged from history). */
  jobStatus(printer: string, backendJobId: number): Promise<BackendJobStatus | null>;
  cancel(printer: string, backendJobId: number): Promise<void>;
}
