// The hub's HTTP side: extra routes first (the coordinator's), then the health probe and the agent console's files.
import http from 'node:http';
import path from 'node:path';
import type { Logger } from 'pino';
import type { HttpRoute } from '../coordinator/index.js';
import { badRequest, requestUrl } from '../httpTarget.js';
import { storeUnavailable } from '../sharedStore/unavailable.js';
import { HTTP_HEADERS, serveConsoleFile } from './staticFiles.js';

/** What a request that needs the unreachable store is told, and when to try again. */
const STORE_RETRY_AFTER_S = 5;
const STORE_UNAVAILABLE_BODY = { error: 'STORE_UNAVAILABLE', message: 'Service momentanément indisponible (base de données injoignable) : réessayez dans un instant.' };

export interface HttpServerDeps {
  /** Consulted in order; the first that answers (true) ends the request. */
  routes: readonly HttpRoute[];
  /** The body of `/healthz`. */
  health: () => unknown;
  /** The built agent console, or null: then only the routes and `/healthz` answer. */
  staticDir: string | null;
  log: Logger;
}

export function createHttpServer({ routes, health, staticDir, log }: HttpServerDeps): http.Server {
  const staticRoot = staticDir ? path.resolve(staticDir) : null;
  function builtIn(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    const headers = HTTP_HEADERS;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    if (url.pathname === '/healthz') {
      res.writeHead(200, { ...headers, 'Content-Type': 'application/json' }).end(JSON.stringify(health()));
      return;
    }
    if (!staticRoot) {
      res.writeHead(404, headers).end();
      return;
    }
    serveConsoleFile(req, res, url, staticRoot, log);
  }
  return http.createServer((req, res) => {
    // A target the hub cannot read is the client's fault: 400, never a throw (a throw here would end the process).
    const url = requestUrl(req.url);
    if (!url) {
      log.info({ code: 'HTTP_BAD_TARGET', method: req.method }, 'HTTP request with an unreadable target refused');
      return badRequest(res, HTTP_HEADERS);
    }
    void (async () => {
      for (const route of routes) if (await route(req, res, url)) return;
      builtIn(req, res, url);
    })().catch((cause: unknown) => {
      // The shared store unreachable (PostgreSQL restarting): « try again later », which the kiosk's senders do.
      if (storeUnavailable(cause)) {
        log.warn({ code: 'HTTP_STORE_UNAVAILABLE', err: (cause as Error).message }, 'an HTTP request needs the store, unreachable');
        if (!res.headersSent) res.writeHead(503, { ...HTTP_HEADERS, 'Content-Type': 'application/json', 'Retry-After': String(STORE_RETRY_AFTER_S) }).end(JSON.stringify(STORE_UNAVAILABLE_BODY));
        return;
      }
      log.error({ code: 'HTTP_ROUTE_FAILED', err: cause }, 'an HTTP route failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
}
