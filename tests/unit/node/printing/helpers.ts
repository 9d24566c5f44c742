// Shared bits of the printing tests: a small PDF with known text, and waiting for a condition with a deadline.
import { PDFDocument, StandardFonts } from 'pdf-lib';

export async function samplePdf(text: string, pages = 1): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) doc.addPage([595.28, 841.89]).drawText(`${text} — page ${i + 1}`, { x: 50, y: 750, size: 16, font });
  return doc.save();
}

/** Polls `probe` until it returns a non-null value; fails after `timeoutMs` with `what`. */
export async function waitFor<T>(probe: () => T | null | undefined | Promise<T | null | undefined>, timeoutMs: number, what: string, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
