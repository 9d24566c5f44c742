// The web shell: the kiosk's renderer and contract over HTTP + WebSocket on 127.0.0.1, for machines without Electron.
// Every request needs the per-launch token as an HttpOnly cookie and, for calls, our own Origin. The token never
// travels in a URL: a launch URL carries a one-time code (good once, for LAUNCH_CODE_TTL_MS) that the shell exchanges
// for the cookie, so the code another local user may read in Chromium's command line is already spent.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventName } from '../../shared/contract/index.js';
import { webShellCsp } from '../../shared/node/csp.js';
import { contentTypeOf, resolveStaticPath } from '../../shared/node/staticFiles.js';
import { dispatch, type DispatchDeps } from '../services/dispatch.js';
import type { Logger } from '../services/logger.js';
import { answerUnreadableRequests, checkSource, originFormTarget, readCookie, sameSecret } from '../services/loopbackGuard.js';

export { readCookie };

export const TOKEN_COOKIE = 'relais_token';
/** How long a launch code stays good; its first use spends it anyway. Long enough for a slow booth to start Chromium. */
export const LAUNCH_CODE_TTL_MS = 15_000;
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** A route the composition root adds beside the contract (e.g. a teleservice proxy); returns true when it answered. */
export type ExtraRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>;

export interface WebShellOptions {
  dispatchDeps: DispatchDeps;
  subscribe(listener: (name: EventName, payload: unknown) => void): () => void;
  staticDir: string;
  logger: Logger;
  port?: number;
  token?: string;
  /** The clock that ages launch codes (tests inject one). */
  clock?: () => number;
  /** Extra origins allowed in connect-src (the hub's ws/wss origin); a function is asked at each page (the hub may change once, at enrolment). */
  connectSources?: string[] | (() => string[]);
  extraRoutes?: ExtraRoute[];
}

export interface WebShell {
  origin: string;
  port: number;
  /** The cookie's long-lived secret: in this process only, never in a URL, a command line or a log. */
  token: string;
  /** A first launch URL, minted at start: its one-time code is exchanged for the HttpOnly cookie. */
  launchUrl: string;
  /**
   * A fresh launch URL with a new one-time code, refused on its second use and after LAUNCH_CODE_TTL_MS. In-process
   * only: the composition root calls it right before opening Chromium (and, with --stdin-launch-codes, for its parent).
   */
  mintLaunchUrl(): string;
  close(): Promise<void>;
}

/**
 * The request target as a URL of this shell, or null when it is not plain origin-form on the shell's origin
 * (`//host/…`, `/\host/…`, absolute, `*`) or has a path whose percent-encoding does not decode (`/%E0%A4%A`).
 */
export function parseTarget(raw: string | undefined, origin: string): URL | null {
  const url = originFormTarget(raw, origin);
  if (!url) return null;
  try {
    decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  return url;
}

function refuse(res: ServerResponse, status: number, code: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`Accès refusé (${code}).`);
}

type LaunchVerdict = 'ok' | 'used' | 'expired' | 'unknown';

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startWebShell(options: WebShellOptions): Promise<WebShell> {
  const log = options.logger;
  const clock = options.clock ?? Date.now;
  const token = options.token ?? randomBytes(32).toString('base64url');
  // Launch codes minted in this process: when each was minted, and whether it was spent. Old entries are dropped.
  const codes = new Map<string, { mintedAt: number; spent: boolean }>();
  const forgetOldCodes = (now: number): void => {
    for (const [code, entry] of codes) if (now - entry.mintedAt > 10 * LAUNCH_CODE_TTL_MS) codes.delete(code);
  };
  const spendLaunchCode = (code: string): LaunchVerdict => {
    const now = clock();
    const entry = codes.get(code);
    forgetOldCodes(now);
    if (!entry) return 'unknown';
    if (entry.spent) return 'used';
    entry.spent = true;
    return now - entry.mintedAt > LAUNCH_CODE_TTL_MS ? 'expired' : 'ok';
  };
  const sources = options.connectSources;
  const cspOf = (): string => webShellCsp(typeof sources === 'function' ? sources() : sources);
  const sockets = new Set<WebSocket>();
  let origin = '';
  let host = '';

  const authorised = (req: IncomingMessage): boolean => sameSecret(readCookie(req.headers.cookie, TOKEN_COOKIE), token);
  const sameOrigin = (req: IncomingMessage): boolean => checkSource(req, { host, origins: [origin], originRequired: true }) === null;

  async function serveStatic(res: ServerResponse, pathname: string): Promise<void> {
    const resolved = resolveStaticPath(options.staticDir, pathname);
    if (!resolved.ok) return refuse(res, resolved.status, resolved.status === 403 ? 'PATH_TRAVERSAL' : 'BAD_PATH');
    const { file } = resolved;
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Introuvable.');
      return;
    }
    res.writeHead(200, {
      'content-type': contentTypeOf(file),
      'content-length': info.size,
      'content-security-policy': cspOf(),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    });
    createReadStream(file).pipe(res);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (checkSource(req, { host }) !== null) return refuse(res, 421, 'BAD_HOST');
    const url = parseTarget(req.url, origin);
    if (!url) {
      log.warn({ code: 'WEBSHELL_BAD_TARGET' }, 'request target not origin-form or not decodable: refused');
      return refuse(res, 400, 'BAD_TARGET');
    }
    const launchCode = url.searchParams.get('code');
    if (req.method === 'GET' && url.pathname === '/' && launchCode !== null) {
      const verdict = spendLaunchCode(launchCode);
      if (verdict !== 'ok') {
        log.warn({ code: 'WEBSHELL_LAUNCH_CODE_REFUSED', reason: verdict }, 'launch code refused');
        res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end('Ce lien d’ouverture de Relais a déjà servi ou a expiré (LAUNCH_CODE_REFUSED). Fermez cette fenêtre et relancez Relais.');
        return;
      }
      log.info({ code: 'WEBSHELL_LAUNCHED' }, 'launch code exchanged for the session cookie');
      res.writeHead(303, {
        'set-cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        location: '/',
        'cache-control': 'no-store',
      });
      res.end();
      return;
    }
    if (!authorised(req)) {
      log.warn({ code: 'WEBSHELL_NO_TOKEN', path: url.pathname.slice(0, 60) }, 'request without the launch token refused');
      return refuse(res, 403, 'NO_TOKEN');
    }
    for (const route of options.extraRoutes ?? []) if (await route(req, res, url)) return;
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return refuse(res, 405, 'METHOD');
      if (!sameOrigin(req)) {
        log.warn({ code: 'WEBSHELL_BAD_ORIGIN', origin: String(req.headers.origin).slice(0, 80) }, 'call from a foreign origin refused');
        return refuse(res, 403, 'BAD_ORIGIN');
      }
      const body = await readBody(req);
      if (body === null) return refuse(res, 413, 'TOO_LARGE');
      let input: unknown;
      try {
        input = body === '' ? {} : JSON.parse(body);
      } catch {
        input = Symbol('unparsable');
      }
      const verb = url.pathname.slice('/api/'.length);
      const result = await dispatch(options.dispatchDeps, verb, typeof input === 'symbol' ? undefined : input);
      const payload = typeof input === 'symbol' ? { ok: false, error: { code: 'INVALID_INPUT', message: 'Body is not JSON' } } : result;
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify(payload));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'METHOD');
    await serveStatic(res, url.pathname);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((cause: unknown) => {
      log.error({ code: 'WEBSHELL_REQUEST_FAILED', err: cause }, 'request failed');
      if (!res.headersSent) refuse(res, 500, 'INTERNAL');
      else res.end();
    });
  });

  server.on('clientError', answerUnreadableRequests(log, 'WEBSHELL_BAD_REQUEST', () => 'Requête illisible.'));

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    // An exception here would be uncaught (an event listener): every check is total, and refuses rather than throws.
    const ok = checkSource(req, { host }) === null && req.url === '/events' && authorised(req) && sameOrigin(req);
    if (!ok) {
      log.warn({ code: 'WEBSHELL_WS_REFUSED' }, 'event socket refused');
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', () => ws.close(1008, 'events only'));
    });
  });

  const unsubscribe = options.subscribe((name, payload) => {
    const frame = JSON.stringify({ name, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(frame);
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  host = `127.0.0.1:${port}`;

  const mintLaunchUrl = (): string => {
    const now = clock();
    forgetOldCodes(now);
    const code = randomBytes(32).toString('base64url');
    codes.set(code, { mintedAt: now, spent: false });
    return `${origin}/?code=${code}`;
  };

  return {
    origin,
    port,
    token,
    launchUrl: mintLaunchUrl(),
    mintLaunchUrl,
    async close() {
      codes.clear();
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
