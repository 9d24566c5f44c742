// The app:// protocol: serves the built renderer (dist/renderer) with a strict CSP, refusing any path outside it.
import { readFile as fsReadFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { CustomScheme, Protocol } from 'electron';
import type { Logger } from '../services/logger.js';
import { APP_HOST, APP_SCHEME } from './origin.js';

/** Passed to `protocol.registerSchemesAsPrivileged` before the app is ready. */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
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

export interface AppProtocolOptions {
  /** Absolute path of the built renderer (dist/renderer). */
  rootDir: string;
  /** Sent with every response, the CSP among them (csp.ts `securityHeaders`). */
  headers: Record<string, string>;
  logger: Logger;
  readFile?: (file: string) => Promise<Uint8Array>;
}

export type AppRequestHandler = (request: Request) => Promise<Response>;

/** The file under rootDir a request path names, or a refusal; pure, so traversal cases are tested directly. */
export function resolveAppPath(rootDir: string, encodedPathname: string): { ok: true; file: string } | { ok: false; status: 400 | 403 } {
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

export function createAppProtocolHandler(options: AppProtocolOptions): AppRequestHandler {
  const readFile = options.readFile ?? ((file: string) => fsReadFile(file));
  const baseHeaders = { ...options.headers, 'Cache-Control': 'no-cache' };
  const refuse = (status: number, text: string): Response =>
    new Response(text, { status, headers: { ...baseHeaders, 'Content-Type': 'text/plain; charset=utf-8' } });

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Méthode refusée');
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return refuse(400, 'Adresse invalide');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return refuse(404, 'Introuvable');
    const resolved = resolveAppPath(options.rootDir, url.pathname);
    if (!resolved.ok) {
      options.logger.warn({ code: 'APP_PATH_REFUSED', status: resolved.status, path: url.pathname.slice(0, 200) }, 'app:// path refused');
      return refuse(resolved.status, 'Accès refusé');
    }
    let body: Uint8Array;
    try {
      body = await readFile(resolved.file);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'EISDIR' && code !== 'ENOTDIR') {
        options.logger.error({ code: 'APP_FILE_UNREADABLE', err: cause }, 'app:// file unreadable');
      }
      return refuse(404, 'Introuvable');
    }
    const contentType = MIME_TYPES[extname(resolved.file).toLowerCase()] ?? 'application/octet-stream';
    return new Response(request.method === 'HEAD' ? null : (body as BodyInit), { status: 200, headers: { ...baseHeaders, 'Content-Type': contentType } });
  };
}

/** Installs the handler on a session's protocol (the default session's when `protocol` is the module). */
export function handleAppProtocol(protocol: Pick<Protocol, 'handle'>, handler: AppRequestHandler): void {
  protocol.handle(APP_SCHEME, handler);
}
