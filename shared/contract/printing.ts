// Printing, forms, documents and device health: the site's printer and its jobs, fillable forms, the catalogue of
// leaflets, the weekly grid on paper, a PDF from a call, and the mediator's health panel (hub, disk, camera, microphone).
import { z } from 'zod';
import { EpochMs, IsoWeek, OrganisationCode } from '../domain.js';
import { REASON_CODES } from '../printerReasons.js';
import { Done, Empty, verb } from './verb.js';

/** Why a printer cannot print (texts in shared/printerReasons.ts). */
export const PrinterReasonCode = z.enum(REASON_CODES);
export type PrinterReasonCode = z.infer<typeof PrinterReasonCode>;

export const PrinterStatus = z.enum(['idle', 'processing', 'stopped', 'unreachable']);

export const PrinterStateView = z.object({
  printer: z.string().nullable(),
  status: PrinterStatus,
  accepting: z.boolean(),
  /** Most severe first; empty when all is well. */
  reasons: z.array(PrinterReasonCode),
  /** A reason stops printing. */
  blocked: z.boolean(),
  /** The print system's own words (English from CUPS), for the mediator's details only. */
  message: z.string(),
  checkedAt: EpochMs,
});
export type PrinterStateView = z.infer<typeof PrinterStateView>;

export const PrinterSummary = z.object({ name: z.string(), info: z.string(), status: PrinterStatus, accepting: z.boolean(), duplexSupported: z.boolean() });
export type PrinterSummary = z.infer<typeof PrinterSummary>;

export const PRINT_JOB_STATES = ['waiting', 'pending', 'processing', 'stopped', 'completed', 'canceled', 'aborted', 'failed'] as const;
export const PrintJobState = z.enum(PRINT_JOB_STATES);
export type PrintJobState = z.infer<typeof PrintJobState>;
export const PrintJobKind = z.enum(['form', 'document', 'grid', 'other']);

export const PrintJob = z.object({
  id: z.number().int(),
  cupsJobId: z.number().int().nullable(),
  printer: z.string(),
  title: z.string(),
  kind: PrintJobKind,
  organisation: z.string().nullable(),
  pages: z.number().int(),
  copies: z.number().int(),
  duplex: z.boolean(),
  state: PrintJobState,
  reasons: z.array(PrinterReasonCode),
  /** The print system's message, or `content-lost` (the document was lost at a restart: print it again). */
  message: z.string(),
  createdAt: EpochMs,
  updatedAt: EpochMs,
  endedAt: EpochMs.nullable(),
  attempts: z.number().int(),
});
export type PrintJob = z.infer<typeof PrintJob>;

export const FormId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/);
export const Copies = z.number().int().min(1).max(50);
/** Keyed by the field's id (`f` + its position in the PDF), never by the PDF's name, which may be of any length. */
export const FieldId = z.string().regex(/^f\d{1,5}$/);
export const FormValues = z.record(FieldId, z.union([z.string().max(4000), z.boolean(), z.array(z.string().max(4000)).max(500)]));
export type FormValues = z.infer<typeof FormValues>;

export const FormSummary = z.object({
  id: FormId,
  organisation: z.string(),
  title: z.string(),
  titleEn: z.string().nullable(),
  description: z.string(),
  descriptionEn: z.string().nullable(),
});
export type FormSummary = z.infer<typeof FormSummary>;

export const FormOption = z.object({ value: z.string(), label: z.string(), labelEn: z.string().nullable() });
export type FormOption = z.infer<typeof FormOption>;

export const FormField = z.object({
  id: FieldId,
  name: z.string(),
  kind: z.enum(['text', 'multiline', 'checkbox', 'choice', 'date']),
  label: z.string(),
  labelEn: z.string().nullable(),
  help: z.string().nullable(),
  helpEn: z.string().nullable(),
  required: z.boolean(),
  maxLength: z.number().int().nullable(),
  comb: z.boolean(),
  options: z.array(FormOption),
  multiple: z.boolean(),
  radio: z.boolean(),
});
export type FormField = z.infer<typeof FormField>;

export const FormDescription = FormSummary.extend({ pages: z.number().int(), fields: z.array(FormField) });
export type FormDescription = z.infer<typeof FormDescription>;

export const DocumentSummary = FormSummary.extend({ kind: z.enum(['leaflet', 'blank-form']) });
export type DocumentSummary = z.infer<typeof DocumentSummary>;

export const Pdf = z.object({ pdfBase64: z.string() });
/** A filled form's preview, and the fields whose text would not fit its box (printing refuses them). */
export const FormPreview = Pdf.extend({ overflow: z.array(FieldId) });

/** Why a file of the forms folder is not offered to visitors (texts in the i18n catalog, `forms.refusal.<reason>`). */
export const FormRefusalReason = z.enum(['manifest', 'missing', 'not-pdf', 'damaged', 'encrypted', 'xfa-only', 'no-field']);
export const RefusedForm = z.object({ file: z.string(), reason: FormRefusalReason });
export type RefusedForm = z.infer<typeof RefusedForm>;

/** 10 MB of PDF, as base64. */
export const MAX_PDF_BYTES = 10 * 1024 * 1024;
export const MAX_PDF_BASE64 = Math.ceil(MAX_PDF_BYTES / 3) * 4;

export const HealthState = z.object({
  printer: PrinterStateView.nullable(),
  /** The visio hub: null when the booth has none configured. */
  hub: z.object({ url: z.string(), reachable: z.boolean(), latencyMs: z.number().int().nullable(), checkedAt: EpochMs }).nullable(),
  /** Free space of the data folder's disk. */
  disk: z.object({ freeBytes: z.number().nonnegative(), totalBytes: z.number().nonnegative() }).nullable(),
  /** What the screen found with enumerateDevices; null until it reported. */
  devices: z.object({ cameras: z.number().int().nonnegative(), microphones: z.number().int().nonnegative(), reportedAt: EpochMs }).nullable(),
});
export type HealthState = z.infer<typeof HealthState>;

export const printingVerbs = {
  'printing.state': verb({ input: Empty, output: PrinterStateView, errors: [], mediatorOnly: false }),
  'printing.printers': verb({ input: Empty, output: z.array(PrinterSummary), errors: ['NOT_UNLOCKED'], mediatorOnly: true }),
  'printing.selectPrinter': verb({ input: z.object({ name: z.string().min(1).max(127) }).strict(), output: PrinterStateView, errors: ['NOT_UNLOCKED'], mediatorOnly: true }),
  'printing.jobs': verb({ input: z.object({ activeOnly: z.boolean().optional() }).strict(), output: z.array(PrintJob), errors: ['NOT_UNLOCKED'], mediatorOnly: true }),
  'printing.cancel': verb({ input: z.object({ id: z.number().int() }).strict(), output: PrintJob, errors: ['NOT_UNLOCKED', 'NOT_FOUND'], mediatorOnly: true }),
  'printing.retry': verb({ input: z.object({ id: z.number().int() }).strict(), output: PrintJob, errors: ['NOT_UNLOCKED', 'NOT_FOUND', 'NOT_RETRYABLE', 'NO_PRINTER'], mediatorOnly: true }),
  'printing.testPage': verb({ input: Empty, output: PrintJob, errors: ['NOT_UNLOCKED', 'NO_PRINTER'], mediatorOnly: true }),
  /** A PDF sent by an agent during a call, printed after the visitor confirmed; counted as `documents`. */
  'printing.printPdf': verb({
    input: z
      .object({ title: z.string().min(1).max(200), organisation: OrganisationCode, pdfBase64: z.string().min(1).max(MAX_PDF_BASE64), copies: Copies })
      .strict(),
    output: PrintJob,
    errors: ['NO_PRINTER', 'UNKNOWN_ORGANISATION'],
    mediatorOnly: false,
  }),
  'forms.list': verb({ input: z.object({ organisation: OrganisationCode.optional() }).strict(), output: z.array(FormSummary), errors: [], mediatorOnly: false }),
  'forms.describe': verb({ input: z.object({ id: FormId }).strict(), output: FormDescription, errors: ['NOT_FOUND'], mediatorOnly: false }),
  'forms.preview': verb({ input: z.object({ id: FormId, values: FormValues }).strict(), output: FormPreview, errors: ['NOT_FOUND'], mediatorOnly: false }),
  /** The files of the forms folder refused when it was read, for the mediator. */
  'forms.refused': verb({ input: Empty, output: z.array(RefusedForm), errors: ['NOT_UNLOCKED'], mediatorOnly: true }),
  'forms.print': verb({ input: z.object({ id: FormId, values: FormValues, copies: Copies }).strict(), output: PrintJob, errors: ['NOT_FOUND', 'NO_PRINTER'], mediatorOnly: false }),
  'documents.list': verb({ input: z.object({ organisation: OrganisationCode.optional() }).strict(), output: z.array(DocumentSummary), errors: [], mediatorOnly: false }),
  'documents.preview': verb({ input: z.object({ id: FormId }).strict(), output: Pdf, errors: ['NOT_FOUND'], mediatorOnly: false }),
  'documents.print': verb({ input: z.object({ id: FormId, copies: Copies }).strict(), output: PrintJob, errors: ['NOT_FOUND', 'NO_PRINTER'], mediatorOnly: false }),
  'grid.print': verb({ input: z.object({ week: IsoWeek }).strict(), output: PrintJob, errors: ['NOT_UNLOCKED', 'NO_PRINTER'], mediatorOnly: true }),
  'health.state': verb({ input: Empty, output: HealthState, errors: ['NOT_UNLOCKED'], mediatorOnly: true }),
  'health.reportDevices': verb({
    input: z.object({ cameras: z.number().int().min(0).max(64), microphones: z.number().int().min(0).max(64) }).strict(),
    output: Done,
    errors: [],
    mediatorOnly: false,
  }),
} as const;

export const printingEvents = {
  'printing.state': PrinterStateView,
  'printing.job': PrintJob,
} as const;
