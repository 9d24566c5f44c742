// The agent console's files (`agent.html`, `assets/`), served by the hub under its own headers.
import { readFile } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import type { Logger } from 'pino';
import { agentConsoleCsp } from '../../shared/node/csp.js';
import { contentTypeOf } from '../../shared/node/staticFiles.js';
import { badRequest, decodePath } from '../httpTarget.js';

export const HTTP_HEADERS = { 'Content-Security-Policy': agentConsoleCsp(), 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' };

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
    (body) => res.writeHead(200, { ...headers, 'Content-Type': contentTypeOf(file) }).end(req.method === 'HEAD' ? undefined : body),
    () => res.writeHead(404, headers).end(),
  );
}
