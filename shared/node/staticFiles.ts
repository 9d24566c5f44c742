// Serving a built folder (dist/renderer) safely, for the three programs that do it: the Electron kiosk (app://), the
// web shell and the hub (agent console). Which file a request path names, refusing any path that leaves the folder,
// and the content type of a file. Each program writes its own answer (a Response, a Node stream, a buffer).
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

/** Content types by extension; anything else is application/octet-stream (with nosniff, never guessed). */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.pdf': 'application/pdf',
  '.wasm': 'application/wasm',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
  '.txt': 'text/plain; charset=utf-8',
};

export const contentTypeOf = (file: string): string => CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';

export type StaticPath = { ok: true; file: string } | { ok: false; status: 400 | 403 };

/**
 * The file under rootDir a request path (still percent-encoded) names, or a refusal: 400 when it does not decode or
 * holds a NUL byte, 403 when it leaves rootDir. A path ending in `/` names its index.html. Pure, so traversal cases
 * are tested directly.
 */
export function resolveStaticPath(rootDir: string, encodedPathname: string): StaticPath {
  let pathname: string;
  try {
    pathname = decodeURIComponent(encodedPathname);
  } catch {
    return { ok: false, status: 400 };
  }
  if (pathname.includes('\0')) return { ok: false, status: 400 };
  // Decoding can reveal `..` or a backslash that URL parsing left alone (`..%2f`, `%5c..`): refuse any such segment.
  if (pathname.split(/[\\/]/).some((segment) => segment === '..')) return { ok: false, status: 403 };
  const wanted = pathname === '' || pathname.endsWith('/') ? `${pathname}index.html` : pathname;
  const root = resolve(rootDir);
  const file = resolve(root, `.${sep}${wanted.replace(/^[\\/]+/, '')}`);
  const rel = relative(root, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return { ok: false, status: 403 };
  return { ok: true, file };
}
