// Decides, when the forms folder is read, whether a PDF can be offered to visitors; a refused file gets a reason the
// mediator's view translates (not a PDF, damaged, password-protected, XFA-only, no field to fill).
import { EncryptedPDFError, PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { prepareForm, readFields } from './pdfForm.js';

export const REFUSAL_REASONS = ['manifest', 'missing', 'not-pdf', 'damaged', 'encrypted', 'xfa-only', 'no-field'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export type Screening = { ok: true; fields: number } | { ok: false; reason: RefusalReason };

const ascii = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

export async function screenPdf(bytes: Uint8Array): Promise<Screening> {
  if (!ascii(bytes.subarray(0, 1024)).includes('%PDF-')) return { ok: false, reason: 'not-pdf' };
  // A file cut short loses its last cross-reference section and its end marker; pdf-lib would read what is left.
  if (!ascii(bytes.subarray(Math.max(0, bytes.length - 2048))).includes('%%EOF')) return { ok: false, reason: 'damaged' };
  // pdf-lib cannot decrypt: any encryption dictionary (user password or not) makes the file unfillable as it is; the
  // forms service then reads an owner-password-only form decrypted (decrypt.ts) and screens it again.
  if (/\/Encrypt\s*\d+\s+\d+\s+R|\/Encrypt\s*<</.test(ascii(bytes))) return { ok: false, reason: 'encrypted' };
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: false });
  } catch (error) {
    return { ok: false, reason: error instanceof EncryptedPDFError || (error as Error).name === 'EncryptedPDFError' ? 'encrypted' : 'damaged' };
  }
  if (doc.isEncrypted) return { ok: false, reason: 'encrypted' };
  if (doc.getPageCount() === 0) return { ok: false, reason: 'damaged' };
  const acro = doc.catalog.lookup(PDFName.of('AcroForm'));
  const hasXfa = acro instanceof PDFDict && acro.get(PDFName.of('XFA')) !== undefined;
  const dynamicXfa = doc.catalog.lookup(PDFName.of('NeedsRendering'))?.toString() === 'true';
  let fields = 0;
  try {
    prepareForm(doc);
    fields = readFields(doc).length;
  } catch {
    return { ok: false, reason: 'damaged' };
  }
  if (dynamicXfa || (hasXfa && fields === 0)) return { ok: false, reason: 'xfa-only' };
  if (fields === 0) return { ok: false, reason: 'no-field' };
  return { ok: true, fields };
}
