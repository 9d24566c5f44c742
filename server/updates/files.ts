// Release files (an installer per version and name): stored with their sha512 computed while copying, and served with
// HTTP Range (RFC 9110 §14) as electron-updater's downloader uses it. `ReleaseFiles` is where they are kept: the hub's
// disk (`<releasesDir>/<version>/<name>`, below) on one machine, or PostgreSQL in chunks for the nodes of a hub across
// machines (server/sharedStore/postgresUpdates.ts). Both share the checks and the HTTP answer written here.
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
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

export interface StoredReleaseFile {
  size: number;
  /** base64, as electron-builder writes it in latest.yml. */
  sha512: string;
}

export interface ReleaseFiles {
  /**
   * Copies `source` as the file `name` of `version` (replacing one of that name), computing its sha512 and size on the
   * way. It appears whole or not at all: a reader never sees half of it. A bad version or name, more than `maxBytes`,
   * or nothing at all is refused with a `ReleaseFileError`, and nothing is left behind (nor on any other failure).
   */
  store(version: string, name: string, source: Readable, maxBytes: number): Promise<StoredReleaseFile>;
  /**
   * Answers a request for a stored file: whole (200) or one `Range` (206; 416 when unsatisfiable; the whole when
   * `If-Range` names another `etag`), headers only for HEAD, 404 when there is no such file (or the version or name is
   * not one). `etag` names its content (its quoted sha512). A client going away mid-file ends the response, nothing else.
   */
  send(req: IncomingMessage, res: ServerResponse, version: string, name: string, etag: string, headers: Record<string, string>): Promise<void>;
}

/** Both parts of a release file's name checked, whoever calls and wherever the file is kept. */
export function checkReleaseFile(version: string, name: string): void {
  if (!ReleaseVersion.safeParse(version).success) throw new ReleaseFileError('INVALID_VERSION', 'version invalide');
  if (!ReleaseFileName.safeParse(name).success) throw new ReleaseFileError('INVALID_NAME', 'nom de fichier invalide');
}

/** Whether both parts name a release file (`checkReleaseFile` without the throw). */
export const isReleaseFile = (version: string, name: string): boolean => ReleaseVersion.safeParse(version).success && ReleaseFileName.safeParse(name).success;

/** The file's path under the releases folder; both parts checked again here, whoever calls. */
export function releaseFilePath(releasesDir: string, version: string, name: string): string {
  checkReleaseFile(version, name);
  const root = path.resolve(releasesDir);
  const file = path.resolve(root, version, name);
  if (path.dirname(path.dirname(file)) !== root) throw new ReleaseFileError('INVALID_NAME', 'nom de fichier invalide');
  return file;
}

/**
 * The chunks of `source`, counted and hashed into `hash` on the way: past `maxBytes` a `TOO_LARGE` error is thrown
 * (the source is destroyed with it). Both stores copy through it, and check `EMPTY` on the count at the end.
 */
export async function* measured(source: AsyncIterable<Buffer>, maxBytes: number, hash: Hash, count: { size: number }): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    count.size += chunk.length;
    if (count.size > maxBytes) throw new ReleaseFileError('TOO_LARGE', 'fichier trop volumineux');
    hash.update(chunk);
    yield chunk;
  }
}

/**
 * Copies `source` into the releases folder through a temporary file (a reader never sees half a file), computing its
 * sha512 (base64) and size on the way; more than `maxBytes` is refused and nothing is left behind.
 */
export async function storeReleaseFile(releasesDir: string, version: string, name: string, source: Readable, maxBytes: number): Promise<StoredReleaseFile> {
  const target = releaseFilePath(releasesDir, version, name);
  await mkdir(path.dirname(target), { recursive: true });
  // A name of its own (two uploads of one file in the same millisecond wrote, and removed, the same one), created
  // before the copy starts: a copy refused at once left the file's opening still under way, to create it after its
  // removal.
  const temp = `${target}.part-${process.pid}-${randomBytes(8).toString('hex')}`;
  const hash = createHash('sha512');
  const count = { size: 0 };
  try {
    const file = await open(temp, 'wx', 0o644);
    await pipeline(source, (chunks: AsyncIterable<Buffer>) => measured(chunks, maxBytes, hash, count), file.createWriteStream());
    if (count.size === 0) throw new ReleaseFileError('EMPTY', 'fichier vide');
    await rename(temp, target);
  } catch (cause) {
    await rm(temp, { force: true });
    throw cause;
  }
  return { size: count.size, sha512: hash.digest('base64') };
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

export function notFound(res: ServerResponse, headers: Record<string, string>): void {
  res.writeHead(404, { ...headers, 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify({ error: 'NOT_FOUND' }));
}

/**
 * Answers a request for a file of `size` bytes, whole or the requested range; `body(start, end)` gives the bytes
 * `start`–`end` (inclusive), read only when there is a body to send. Whatever fails while sending (the client went
 * away, the store failed mid-file) destroys the response: nothing to answer any more, nothing thrown.
 */
export async function sendRange(req: IncomingMessage, res: ServerResponse, size: number, etag: string, headers: Record<string, string>, body: (start: number, end: number) => Readable): Promise<void> {
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
    await pipeline(body(start, end), res);
  } catch {
    // The client went away mid-file (electron-updater cancels, a booth loses its link), or the bytes could not be read
    // after the status was sent: the response is cut, and the downloader, which checks the sha512, tries again.
    res.destroy();
  }
}

/** Sends a release file of the disk, whole or the requested range. `etag` names its content (its sha512). */
export async function sendReleaseFile(req: IncomingMessage, res: ServerResponse, file: string, etag: string, headers: Record<string, string>): Promise<void> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    notFound(res, headers);
    return;
  }
  await sendRange(req, res, size, etag, headers, (start, end) => createReadStream(file, { start, end }));
}

/** The release files in a folder of the hub's disk (one machine: `<dataDir>/releases`). */
export function diskReleaseFiles(releasesDir: string): ReleaseFiles {
  return {
    store: (version, name, source, maxBytes) => storeReleaseFile(releasesDir, version, name, source, maxBytes),
    async send(req, res, version, name, etag, headers) {
      if (!isReleaseFile(version, name)) return notFound(res, headers);
      await sendReleaseFile(req, res, releaseFilePath(releasesDir, version, name), etag, headers);
    },
  };
}
