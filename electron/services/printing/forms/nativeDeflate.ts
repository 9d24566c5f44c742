// pdf-lib compresses each new stream (a filled form's appearance streams, the flattened pages' drawing) with pako, in
// JavaScript, with a fresh 256 KB compressor per stream: on a 712-field form that was a third of the fill. Before saving,
// the streams not yet compressed are given Node's own zlib instead (the same FlateDecode, written by native code).
import { deflateSync } from 'node:zlib';
import { Cache, PDFFlateStream, type PDFDocument } from 'pdf-lib';

/** pdf-lib's PDFFlateStream as it is inside (its TypeScript declaration keeps these private). */
interface FlateStreamInside {
  encode: boolean;
  contentsCache: Cache<Uint8Array>;
}

/** Makes every stream pdf-lib would compress at save time compress with Node's zlib; returns how many. */
export function deflateNatively(doc: PDFDocument): number {
  let count = 0;
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFFlateStream)) continue;
    const inside = object as unknown as FlateStreamInside;
    if (!inside.encode || !(inside.contentsCache instanceof Cache) || inside.contentsCache.getValue() !== undefined) continue;
    inside.contentsCache = Cache.populatedBy(() => new Uint8Array(deflateSync(object.getUnencodedContents())));
    count++;
  }
  return count;
}
