// The printing module's public surface, for the composition roots.
export type { BackendPrinterState, PrinterBackend, PrinterStatus, PrinterSummary } from './backend.js';
export { CupsBackend } from './cupsBackend.js';
export { gridPdf, SERVICE_LABELS_FR } from './gridPdf.js';
export { printDocument, printForm, printGrid } from './printActions.js';
export type { PrintJob, PrintJobKind, PrintJobState } from './jobStore.js';
export { documentsVisitOf, PrintService, type PrinterStateView, type PrintServiceOptions, type SubmitInput } from './printService.js';
export { BLOCKING, mediatorLines, PRINTER_READY_TEXT, REASON_CODES, REASON_TEXTS, visitorSentence, type ReasonCode } from './reasons.js';
export { WindowsPrinterBackend, type WindowsPrintDeps, type WindowsPrinterInfo, type WindowsPrintOptions } from './windowsBackend.js';
