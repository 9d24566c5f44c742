// Release files on the hub's disk (`<releasesDir>/<version>/<name>`): stored with their sha512 computed while copying,
// and served with HTTP Range (RFC 9110 §14) as electron-updater's downloader uses it.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ReleaseFileName, ReleaseVersion } from '../../shared/updates.js';

export class ReleaseFileError extends Error {
  constructor(
    readonly code: 'INVALID_VERSION' | 'INVALID_NAME' | 'TOO_LARGE' | 'EMPTY',
    message: string,
  ) {
    super(message);
  }
}

/** The file's path under the releases folder; both parts checked again here, whoever calls. */
export function releaseFilePath(releasesDir: string, version: string, name: string): string {
  if (!ReleaseVersion.safeParse(version).success) throw new ReleaseFileError('INVALID_VERSION', 'version invalide');
  if (!ReleaseFileName.safeParse(name).success) throw new ReleaseFileError('INVALID_NAME', 'nom de fichier invalide');
  const root = path.resolve(releasesDir);
  const file = path.resolve(root, version, name);
  if (path.dirname(path.dirname(file)) !== root) throw new ReleaseFileError('INVALID_NAME', 'nom de fichier invalide');
  return file;
}

/**
 * Copies `source` into the releases folder through a temporary file (a reader never sees half a file), computing its
 * sha512 (base64) and size on the way; more than `maxBytes` is refused and nothing is left behind.
 */
export async function storeReleaseFile(releasesDir: string, version: string, name: string, source: Readable, maxBytes: number): Promise<{ size: number; sha512: string }> {
  const target = releaseFilePath(releasesDir, version, name);
  await mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.part-${process.pid}-${Date.now()}`;
  const hash = createHash('sha512');
  let size = 0;
  try {
    await pipeline(
      source,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          size += chunk.length;
          if (size > maxBytes) throw new ReleaseFileError('TOO_LARGE', 'fichier trop volumineux');
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(temp, { mode: 0o644 }),
    );
    if (size === 0) throw new ReleaseFileError('EMPTY', 'fichier vide');
    await rename(temp, target);
  } catch (cause) {
    await rm(temp, { force: true });
    throw cause;
  }
  return { size, sha512: hash.digest('base64') };
}

type Range = { start: number; end: number } | 'unsatisfiable' | null;

/** One byte range of a `Range` header (`bytes=a-b`, `bytes=a-`, `bytes=-n`); null: serve the whole file (absent, multiple or unreadable). */
export function parseRange(header: string | undefined, size: number): Range {
  if (header === undefined) return null;
  const m = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim());
  if (!m) return null;
  const [, a = '', b = ''] = m;
  if (a === '' && b === '') return null;
  if (a === '') {
    const n = Number(b);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (start >= size || (b !== '' && Number(b) < start)) return 'unsatisfiable';
  return { start, end };
}

/** Sends a stored release file, whole or the requested range. `etag` names its content (its sha512). */
export async function sendReleaseFile(req: IncomingMessage, res: ServerResponse, file: string, etag: string, headers: Record<string, string>): Promise<void> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    res.writeHead(404, { ...headers, 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify({ error: 'NOT_FOUND' }));
    return;
  }
  const base = { ...headers, 'Accept-Ranges': 'bytes', ETag: etag, 'Content-Type': 'application/octet-stream' };
  // If-Range names another version of the file: the whole of this one, not a piece to splice into the other.
  const ifRange = req.headers['if-range'];
  const range = ifRange !== undefined && ifRange !== etag ? null : parseRange(req.headers.range, size);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...base, 'Content-Range': `bytes */${size}` }).end();
    return;
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const length = size === 0 ? 0 : end - start + 1;
  res.writeHead(range ? 206 : 200, { ...base, 'Content-Length': String(length), ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}) });
  if (req.method === 'HEAD' || length === 0) {
    res.end();
    return;
  }
  try {
    await pipeline(createReadStream(file, { start, end }), res);
  } catch {
    // The client went away mid-file (electron-updater cancels, a booth loses its link): nothing to answer any more.
    res.destroy();
  }
}
