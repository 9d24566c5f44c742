// The app:// protocol: serves the built renderer (dist/renderer) with a strict CSP, refusing any path outside it
// (shared/node/staticFiles.ts decides which file a path names, as for the web shell and the hub).
import { readFile as fsReadFile } from 'node:fs/promises';
import type { CustomScheme, Protocol } from 'electron';
import { contentTypeOf, resolveStaticPath } from '../../shared/node/staticFiles.js';
import type { Logger } from '../services/logger.js';
import { APP_HOST, APP_SCHEME } from './origin.js';

/** Passed to `protocol.registerSchemesAsPrivileged` before the app is ready. */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

export interface AppProtocolOptions {
  /** Absolute path of the built renderer (dist/renderer). */
  rootDir: string;
  /** Sent with every response, the CSP among them (csp.ts `securityHeaders`); a function is asked at each response (the hub may change once, at enrolment). */
  headers: Record<string, string> | (() => Record<string, string>);
  logger: Logger;
  readFile?: (file: string) => Promise<Uint8Array>;
}

export type AppRequestHandler = (request: Request) => Promise<Response>;

export function createAppProtocolHandler(options: AppProtocolOptions): AppRequestHandler {
  const readFile = options.readFile ?? ((file: string) => fsReadFile(file));
  const headersOf = typeof options.headers === 'function' ? options.headers : () => options.headers as Record<string, string>;
  const refuse = (status: number, text: string): Response =>
    new Response(text, { status, headers: { ...headersOf(), 'Cache-Control': 'no-cache', 'Content-Type': 'text/plain; charset=utf-8' } });

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Méthode refusée');
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return refuse(400, 'Adresse invalide');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return refuse(404, 'Introuvable');
    const resolved = resolveStaticPath(options.rootDir, url.pathname);
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
    const contentType = contentTypeOf(resolved.file);
    return new Response(request.method === 'HEAD' ? null : (body as BodyInit), { status: 200, headers: { ...headersOf(), 'Cache-Control': 'no-cache', 'Content-Type': contentType } });
  };
}

/** Installs the handler on a session's protocol (the default session's when `protocol` is the module). */
export function handleAppProtocol(protocol: Pick<Protocol, 'handle'>, handler: AppRequestHandler): void {
  protocol.handle(APP_SCHEME, handler);
}
