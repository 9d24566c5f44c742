// The web shell's teleservice proxy: shows an organisation's website inside the kiosk page's frame, with nothing of
// the visitor's login left behind. Each session gets, for each origin of its guide, its own loopback server
// (`http://127.0.0.1:<fresh port>`), hence its own browser origin and localStorage; the site's cookies live in a
// per-session jar in this process and never reach the browser; at the end the browser is told to clear what the
// origin stored (`Clear-Site-Data`), downloads are deleted and the servers close.
//
// What the proxy rewrites: Location headers and the guide's origins inside HTML/CSS/JS/JSON bodies (towards the
// proxy origins), links and form targets to other origins (towards a French "not available here" page), and it drops
// the framing and security headers that would keep the site out of the frame (X-Frame-Options, CSP, HSTS).
// What it cannot do (Electron can): stop a script that navigates the frame to a foreign origin by a computed URL,
// or a site that checks its own origin in JavaScript. See assets/guides/README.md.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { TELESERVICE_NOTICES as NOTICES, type Guide } from '../../../shared/guideSteps.js';
import { isAllowed, originOf } from '../../../shared/urlAllowList.js';
import type { Logger } from '../logger.js';
import { createCookieJar, type CookieJar } from './cookieJar.js';

export type ProxyEvent =
  /** A page of the site was shown in the frame (upstream URL, for step matching; never logged). */
  | { type: 'navigated'; sessionId: string; url: string }
  | { type: 'blocked'; sessionId: string; origin: string | null }
  | { type: 'download'; sessionId: string; path: string }
  | { type: 'download-refused'; sessionId: string; reason: 'not-pdf' }
  | { type: 'upstream-error'; sessionId: string; origin: string };

export interface TeleserviceProxyDeps {
  logger: Logger;
  /** Folder for captured PDFs; they are deleted when the session closes. */
  downloadDir: string;
  onEvent(event: ProxyEvent): void;
  clock?: () => number;
  newId?: () => string;
  /** How long `close` waits for the frame to load the wipe page before closing anyway. */
  wipeGraceMs?: number;
}

export interface OpenedProxySession {
  /** Load this in the frame: it clears leftovers of an earlier session on the same port, then shows the start page. */
  entryUrl: string;
  /** Upstream origin → proxy origin (the frame's CSP needs `frame-src` for these). */
  origins: Record<string, string>;
}

export interface ClosingProxySession {
  /** Load this in the frame: it tells the browser to clear cookies, storage and cache of every proxy origin. */
  wipeUrl: string;
  /** Resolves once the servers are closed and downloads deleted; `browserCleared` says whether every origin served its wipe page. */
  closed: Promise<{ browserCleared: boolean }>;
}

export interface TeleserviceProxy {
  open(sessionId: string, guide: Guide): Promise<OpenedProxySession>;
  close(sessionId: string): ClosingProxySession | null;
  openSessionIds(): string[];
}

export const PROXY_PREFIX = '/__relais/';
// No "cookies": cookies are per host, not per port, so clearing them for a proxy origin would also delete the web
// shell's own token cookie on 127.0.0.1 (every call then fails with 403). The site's cookies never reach the browser
// anyway: they live in the session's jar.
const CLEAR_SITE_DATA = '"cache", "storage"';
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'];
const DROPPED_RESPONSE_HEADERS = [
  'set-cookie',
  'x-frame-options',
  'content-security-policy',
  'content-security-policy-report-only',
  'strict-transport-security',
  'public-key-pins',
  'alt-svc',
  'content-length',
  'clear-site-data',
];
const REWRITABLE = /^(text\/html|text\/css|text\/javascript|application\/javascript|application\/x-javascript|application\/json|application\/xhtml\+xml|text\/xml|application\/xml)/;

interface OriginServer {
  upstream: string;
  proxy: string;
  server: http.Server;
  wiped: boolean;
}

interface ProxySession {
  sessionId: string;
  guide: Guide;
  jar: CookieJar;
  servers: OriginServer[];
  downloads: Set<string>;
  closing: boolean;
  onAllWiped: (() => void) | null;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function frenchPage(title: string, body: string, extra = ''): string {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:22px/1.5 system-ui,sans-serif;margin:3rem;color:#1d1d1b}h1{font-size:30px}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p>${extra}</body></html>`;
}

const replaceAll = (text: string, from: string, to: string): string => text.split(from).join(to);

export function createTeleserviceProxy(deps: TeleserviceProxyDeps): TeleserviceProxy {
  const clock = deps.clock ?? Date.now;
  const newId = deps.newId ?? randomUUID;
  const graceMs = deps.wipeGraceMs ?? 5_000;
  const sessions = new Map<string, ProxySession>();

  const toProxy = (session: ProxySession, url: string): string => {
    const origin = originOf(url);
    const server = session.servers.find((s) => s.upstream === origin);
    if (!server || origin === null) return `${session.servers[0]?.proxy ?? ''}${PROXY_PREFIX}bloque?origine=${encodeURIComponent(origin ?? '')}`;
    const parsed = new URL(url);
    return `${server.proxy}${parsed.pathname}${parsed.search}${parsed.hash}`;
  };

  const rewriteBody = (session: ProxySession, text: string, html: boolean): string => {
    let out = text;
    for (const s of session.servers) {
      const upstreamHost = s.upstream.replace(/^https?:/, '');
      const proxyHost = s.proxy.replace(/^http:/, '');
      out = replaceAll(out, s.upstream, s.proxy);
      out = replaceAll(out, s.upstream.replace(/\//g, '\\/'), s.proxy.replace(/\//g, '\\/'));
      out = replaceAll(out, `"${upstreamHost}`, `"${proxyHost}`);
      out = replaceAll(out, `'${upstreamHost}`, `'${proxyHost}`);
    }
    if (html) {
      // Links and forms towards other origins: the guide's "not available here" page instead of leaving the session.
      out = out.replace(/\b(href|action)\s*=\s*(["'])((?:https?:)?\/\/[^"'\s>]{1,2000})\2/gi, (whole, attr: string, quote: string, target: string) => {
        const absolute = target.startsWith('//') ? `https:${target}` : target;
        if (session.servers.some((s) => s.proxy === originOf(absolute))) return whole;
        return `${attr}=${quote}${toProxy(session, absolute)}${quote}`;
      });
    }
    return out;
  };

  const serveOwnPage = (session: ProxySession, server: OriginServer, req: http.IncomingMessage, res: http.ServerResponse): void => {
    const url = new URL(req.url ?? '/', server.proxy);
    const page = url.pathname.slice(PROXY_PREFIX.length);
    const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
    if (page === 'debut') {
      // Only a plain path of this origin: no `//host`, no `/\host` (browsers read it as `//`), no control characters.
      const to = url.searchParams.get('vers') ?? '/';
      const target = /^\/(?![\\/])[\x21-\x7e]*$/.test(to) && !to.includes('\\') ? to : '/';
      res.writeHead(200, { ...headers, 'clear-site-data': CLEAR_SITE_DATA, refresh: `0;url=${target}` });
      res.end(frenchPage('Ouverture du site…', NOTICES.siteOpening.fr));
      return;
    }
    if (page === 'fin' && session.closing) {
      server.wiped = true;
      const others = session.servers
        .filter((s) => s !== server)
        .map((s) => `<iframe hidden title="effacement" src="${s.proxy}${PROXY_PREFIX}fin"></iframe>`)
        .join('');
      res.writeHead(200, { ...headers, 'clear-site-data': CLEAR_SITE_DATA });
      res.end(frenchPage('Votre séance est fermée', NOTICES.sessionWiped.fr, others));
      if (session.servers.every((s) => s.wiped)) session.onAllWiped?.();
      return;
    }
    if (page === 'bloque') {
      const origin = url.searchParams.get('origine');
      deps.onEvent({ type: 'blocked', sessionId: session.sessionId, origin: origin ? originOf(origin) : null });
      res.writeHead(200, headers);
      res.end(frenchPage(NOTICES.blocked.fr, NOTICES.blockedHint.fr));
      return;
    }
    res.writeHead(404, headers);
    res.end(frenchPage('Page introuvable', 'Cette page n\u2019existe pas.'));
  };

  const captureDownload = async (session: ProxySession, upstreamRes: http.IncomingMessage, res: http.ServerResponse, isPdf: boolean): Promise<void> => {
    if (!isPdf) {
      upstreamRes.resume();
      deps.onEvent({ type: 'download-refused', sessionId: session.sessionId, reason: 'not-pdf' });
      res.writeHead(204).end();
      return;
    }
    const path = join(deps.downloadDir, `relais-teleservice-${newId()}.pdf`);
    session.downloads.add(path);
    await pipeline(upstreamRes, createWriteStream(path, { mode: 0o600 }));
    if (session.closing) return void res.writeHead(204).end();
    deps.onEvent({ type: 'download', sessionId: session.sessionId, path });
    res.writeHead(204).end();
  };

  const forward = (session: ProxySession, server: OriginServer, req: http.IncomingMessage, res: http.ServerResponse): void => {
    const target = new URL(req.url ?? '/', server.upstream);
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || HOP_BY_HOP.includes(name) || name === 'cookie' || name === 'host') continue;
      headers[name] = value;
    }
    headers.host = target.host;
    headers['accept-encoding'] = 'gzip, deflate, br';
    const cookie = session.jar.headerFor(target.href);
    if (cookie) headers.cookie = cookie;
    for (const name of ['origin', 'referer'] as const) {
      const value = req.headers[name];
      if (typeof value === 'string') {
        const mapped = session.servers.find((s) => value === s.proxy || value.startsWith(`${s.proxy}/`));
        if (mapped) headers[name] = mapped.upstream + value.slice(mapped.proxy.length);
        else delete headers[name];
      }
    }
    const isNavigation = req.headers['sec-fetch-mode'] === 'navigate';
    const transport = target.protocol === 'https:' ? https : http;
    const upstreamReq = transport.request(target, { method: req.method, headers }, (upstreamRes) => {
      void respond(session, target, isNavigation, upstreamRes, res).catch((cause: unknown) => {
        deps.logger.warn({ code: 'TELESERVICE_PROXY_FAILED', origin: server.upstream, err: cause }, 'réponse du site non relayée');
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/html; charset=utf-8' });
        res.end();
      });
    });
    upstreamReq.on('error', (cause) => {
      deps.logger.warn({ code: 'TELESERVICE_UPSTREAM_UNREACHABLE', origin: server.upstream, err: cause.message }, 'site injoignable');
      deps.onEvent({ type: 'upstream-error', sessionId: session.sessionId, origin: server.upstream });
      if (res.headersSent) return void res.end();
      res.writeHead(502, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(frenchPage('Le site ne répond pas', NOTICES.siteUnreachable.fr));
    });
    req.pipe(upstreamReq);
  };

  const respond = async (session: ProxySession, target: URL, isNavigation: boolean, upstreamRes: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const setCookie = upstreamRes.headers['set-cookie'];
    if (setCookie && !session.closing) session.jar.store(target.href, setCookie);
    const contentType = String(upstreamRes.headers['content-type'] ?? '').toLowerCase();
    const disposition = String(upstreamRes.headers['content-disposition'] ?? '').toLowerCase();
    const status = upstreamRes.statusCode ?? 502;
    const isPdf = contentType.startsWith('application/pdf') || /filename\*?=[^;]*\.pdf/.test(disposition);
    if (status < 300 && (disposition.startsWith('attachment') || (isPdf && isNavigation))) {
      await captureDownload(session, upstreamRes, res, isPdf);
      return;
    }
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(upstreamRes.headers)) {
      if (value === undefined || HOP_BY_HOP.includes(name) || DROPPED_RESPONSE_HEADERS.includes(name)) continue;
      headers[name] = value;
    }
    const location = upstreamRes.headers.location;
    if (location) headers.location = toProxy(session, new URL(location, target).href);
    if (isNavigation && status < 300) deps.onEvent({ type: 'navigated', sessionId: session.sessionId, url: target.href });
    if (!REWRITABLE.test(contentType)) {
      res.writeHead(status, headers);
      await pipeline(upstreamRes, res);
      return;
    }
    const encoding = String(upstreamRes.headers['content-encoding'] ?? 'identity').toLowerCase();
    const decoder = encoding === 'gzip' ? zlib.createGunzip() : encoding === 'br' ? zlib.createBrotliDecompress() : encoding === 'deflate' ? zlib.createInflate() : null;
    const chunks: Buffer[] = [];
    const source = decoder ? upstreamRes.pipe(decoder) : upstreamRes;
    for await (const chunk of source) chunks.push(chunk as Buffer);
    const html = contentType.startsWith('text/html') || contentType.startsWith('application/xhtml');
    const body = Buffer.from(rewriteBody(session, Buffer.concat(chunks).toString('utf8'), html), 'utf8');
    delete headers['content-encoding'];
    headers['content-length'] = body.length;
    if (html) {
      // Forms may only post to the session's own origins (CSP `form-action`), whatever the page's scripts build.
      headers['content-security-policy'] = `form-action 'self' ${session.servers.map((s) => s.proxy).join(' ')}`;
    }
    res.writeHead(status, headers);
    res.end(body);
  };

  const listen = (handler: http.RequestListener): Promise<http.Server> =>
    new Promise((resolve, reject) => {
      const server = http.createServer(handler);
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    });

  const closeServers = (session: ProxySession): Promise<void> =>
    Promise.all(
      session.servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.server.close(() => resolve());
            s.server.closeAllConnections();
          }),
      ),
    ).then(() => undefined);

  return {
    async open(sessionId, guide) {
      if (sessions.has(sessionId)) throw new Error(`proxy session ${sessionId} already open`);
      const session: ProxySession = { sessionId, guide, jar: createCookieJar(clock), servers: [], downloads: new Set(), closing: false, onAllWiped: null };
      sessions.set(sessionId, session);
      for (const upstream of guide.allowedOrigins) {
        const entry: OriginServer = { upstream, proxy: '', server: undefined as unknown as http.Server, wiped: false };
        entry.server = await listen((req, res) => {
          const path = (req.url ?? '/').split('?')[0] ?? '/';
          if (path.startsWith(PROXY_PREFIX)) return serveOwnPage(session, entry, req, res);
          if (session.closing) {
            res.writeHead(410, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
            return void res.end(frenchPage('Votre séance est fermée', NOTICES.sessionWiped.fr));
          }
          forward(session, entry, req, res);
        });
        entry.proxy = `http://127.0.0.1:${(entry.server.address() as AddressInfo).port}`;
        session.servers.push(entry);
      }
      const start = new URL(guide.startUrl);
      const first = session.servers.find((s) => isAllowed(guide.startUrl, [s.upstream])) ?? session.servers[0];
      if (!first) throw new Error('guide without origins');
      deps.logger.info({ code: 'TELESERVICE_PROXY_OPENED', guide: guide.id, origins: session.servers.length }, 'proxy de téléservice ouvert');
      return {
        entryUrl: `${first.proxy}${PROXY_PREFIX}debut?vers=${encodeURIComponent(start.pathname + start.search)}`,
        origins: Object.fromEntries(session.servers.map((s) => [s.upstream, s.proxy])),
      };
    },
    close(sessionId) {
      const session = sessions.get(sessionId);
      if (!session || session.closing) return null;
      session.closing = true;
      session.jar.clear();
      const first = session.servers[0];
      const closed = (async () => {
        const allWiped = new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), graceMs);
          session.onAllWiped = () => {
            clearTimeout(timer);
            resolve(true);
          };
        });
        const browserCleared = await allWiped;
        await closeServers(session);
        await Promise.all([...session.downloads].map((path) => rm(path, { force: true })));
        session.downloads.clear();
        sessions.delete(sessionId);
        deps.logger.info({ code: 'TELESERVICE_PROXY_CLOSED', browserCleared }, 'proxy de téléservice fermé');
        return { browserCleared };
      })();
      return { wipeUrl: `${first?.proxy ?? ''}${PROXY_PREFIX}fin`, closed };
    },
    openSessionIds() {
      return [...sessions.keys()];
    },
  };
}
