// The agent console's files (`agent.html`, `assets/`), served by the hub under its own headers.
import { readFile } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import type { Logger } from 'pino';
import { badRequest, decodePath } from '../httpTarget.js';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self' ws: wss: blob:; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'none'";
export const HTTP_HEADERS = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' };
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** Answers a GET or HEAD of `/` (agent.html) or `/assets/…` from `staticRoot` (an absolute path); 404 for anything else. */
export function serveConsoleFile(req: http.IncomingMessage, res: http.ServerResponse, url: URL, staticRoot: string, log: Logger): void {
  const headers = HTTP_HEADERS;
  const rel = url.pathname === '/' ? 'agent.html' : url.pathname.startsWith('/assets/') ? decodePath(url.pathname.slice(1)) : undefined;
  if (rel === null) {
    log.info({ code: 'HTTP_BAD_PATH' }, 'static file path with a malformed percent-encoding refused');
    return badRequest(res, headers);
  }
  const file = rel ? path.resolve(staticRoot, rel) : null;
  if (!file || !file.startsWith(staticRoot + path.sep)) {
    res.writeHead(404, headers).end();
    return;
  }
  readFile(file).then(
    (body) => res.writeHead(200, { ...headers, 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream' }).end(req.method === 'HEAD' ? undefined : body),
    () => res.writeHead(404, headers).end(),
  );
}
