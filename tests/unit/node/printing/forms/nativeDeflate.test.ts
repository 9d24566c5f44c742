// Streams pdf-lib would compress with pako at save time are compressed by Node's zlib: the file reads the same.
import { execFile as execFileCb } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import { PDFDocument, PDFName, PDFRawStream, StandardFonts } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { deflateNatively } from '../../../../../electron/services/printing/forms/nativeDeflate.js';

const execFile = promisify(execFileCb);
const work = mkdtempSync(join(tmpdir(), 'relais-deflate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function twoPages(): Promise<PDFDocument> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of ['Première page àéèç', 'Deuxième page']) doc.addPage([300, 200]).drawText(text, { x: 20, y: 100, size: 12, font });
  return doc;
}

describe('deflateNatively', () => {
  it('compresses the new streams with zlib: FlateDecode, readable by poppler and clean for qpdf', async () => {
    const doc = await twoPages();
    expect(deflateNatively(doc)).toBeGreaterThanOrEqual(2);
    const bytes = await doc.save({ useObjectStreams: false });
    const file = join(work, 'native.pdf');
    writeFileSync(file, bytes);
    const { stdout } = await execFile('pdftotext', [file, '-']);
    expect(stdout).toContain('Première page àéèç');
    expect(stdout).toContain('Deuxième page');
    await execFile('qpdf', ['--check', file]);

    const reloaded = await PDFDocument.load(bytes);
    const flate = reloaded.context
      .enumerateIndirectObjects()
      .map(([, o]) => o)
      .filter((o): o is PDFRawStream => o instanceof PDFRawStream && o.dict.get(PDFName.of('Filter')) === PDFName.of('FlateDecode'));
    const drawings = flate.map((s) => Buffer.from(inflateSync(s.getContents())).toString('latin1')).filter((c) => c.includes(' Tj'));
    expect(drawings).toHaveLength(2);
  });

  it('gives the same pages as pako would, and leaves a stream already compressed alone', async () => {
    const plain = await (await twoPages()).save({ useObjectStreams: false });
    const doc = await twoPages();
    deflateNatively(doc);
    const native = await doc.save({ useObjectStreams: false });
    const text = async (bytes: Uint8Array, name: string): Promise<string> => {
      writeFileSync(join(work, name), bytes);
      return (await execFile('pdftotext', ['-layout', join(work, name), '-'])).stdout;
    };
    expect(await text(native, 'a.pdf')).toBe(await text(plain, 'b.pdf'));
    // Saved once, every stream is written: a second pass finds nothing left to change.
    expect(deflateNatively(doc)).toBe(0);
  });
});
