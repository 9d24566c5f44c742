// The web shell's teleservice proxy: shows an organisation's website inside the kiosk page's frame, with nothing of
// the visitor's login left behind. Each session gets, for each origin of its guide, its own loopback server
// (`http://127.0.0.1:<fresh port>`), hence its own browser origin and localStorage; the site's cookies live in a
// per-session jar in this process and never reach the browser; at the end the browser is told to clear what the
// origin stored (`Clear-Site-Data`), downloads are deleted and the servers close.
//
// Who may use a proxy port (SECURITY.md, "a web page opened in a guided session", "a local process"):
// - only origin-form targets (`/path?query`) whose resolved origin is exactly the port's guide origin are forwarded,
//   and the upstream connection is built from that origin alone, never from the request; anything else (`//host`,
//   `/\host`, absolute- and authority-form, `CONNECT`, odd schemes, dot segments that collapse to `//host`) gets
//   « Cette page n’est pas disponible ici » and no upstream request at all;
// - the same Host check as the web shell (electron/services/loopbackGuard.ts), and a request that names where it comes
//   from must come from one of the session's proxy origins: a foreign Origin or Referer is refused, never stripped
//   (stripping it would let the site's own CSRF check pass a request it would have refused), and so is a request the
//   browser calls cross-site;
// - each port has its own secret, set as an HttpOnly cookie named after the port (cookies are per host, not per port)
//   by a one-time entry link, and required on every request; the entry links of a session's ports are chained, so
//   the frame enters them all before the start page.
// A request that cannot be read (a bad request line, bad headers) is answered 400 with a log code; nothing a client
// sends throws out of a listener.
//
// What the proxy rewrites: Location headers and the guide's origins inside HTML/CSS/JS/JSON bodies (towards the
// proxy origins), links and form targets that a browser would follow off the session's proxy origins (read as the
// browser reads them: entities, tabs, backslashes) towards a French "not available here" page, and it drops
// the framing and security headers that would keep the site out of the frame (X-Frame-Options, CSP, HSTS).
// What it cannot do (Electron can): stop a script that navigates the frame to a foreign origin by a computed URL
// (the web shell's `frame-src http://127.0.0.1:*` then still lets it reach another loopback port), sub-resources
// (`src`) a page loads from other origins, or a site that checks its own origin in JavaScript. See
// assets/guides/README.md.
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { TELESERVICE_NOTICES as NOTICES, type Guide } from '../../../shared/guideSteps.js';
import { isAllowed, originOf } from '../../../shared/urlAllowList.js';
import type { Logger } from '../logger.js';
import { answerRaw, answerUnreadableRequests, checkSource, originFormTarget, readCookie, sameSecret, type SourceRefusal } from '../loopbackGuard.js';
import { createCookieJar, sameSite, sameSiteContext, type CookieJar, type SameSiteContext } from './cookieJar.js';

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
/** The cookie that carries a proxy port's secret: one name per port, as cookies are per host and not per port. */
export const proxyCookieName = (port: number): string => `relais_proxy_${port}`;
// No "cookies": cookies are per host, not per port, so clearing them for a proxy origin would also delete the web
// shell's own token cookie on 127.0.0.1 (every call then fails with 403), and the other ports' secrets. The site's
// cookies never reach the browser anyway: they live in the session's jar; the port's own secret is expired by name.
const CLEAR_SITE_DATA = '"cache", "storage"';
/** The methods a page can send; TRACE would echo the session's cookies back, CONNECT opens a tunnel. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);
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
  /** `127.0.0.1:<port>`, the only Host accepted. */
  host: string;
  cookieName: string;
  /** The port's secret, sent back by the browser in `cookieName` on every request. */
  secret: string;
  /** The one-time code of this port's entry link; null once used. */
  entryCode: string | null;
  server: http.Server;
  wiped: boolean;
}

const REFUSAL_STATUS: Record<SourceRefusal | 'BAD_TARGET' | 'BAD_METHOD' | 'NO_SECRET' | 'ENTRY_REFUSED', number> = {
  BAD_HOST: 421,
  BAD_ORIGIN: 403,
  BAD_REFERER: 403,
  CROSS_SITE: 403,
  BAD_TARGET: 400,
  BAD_METHOD: 405,
  NO_SECRET: 403,
  ENTRY_REFUSED: 403,
};
type Refusal = keyof typeof REFUSAL_STATUS;

interface ProxySession {
  sessionId: string;
  guide: Guide;
  jar: CookieJar;
  servers: OriginServer[];
  /** The port of the guide's start page (where the entry chain ends). */
  start: OriginServer;
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

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", sol: '/', bsol: '\\', colon: ':', period: '.', tab: '\t', newline: '\n' };

/** An attribute value as the browser reads it: numeric and the few named entities a URL may hide behind. */
function decodeAttribute(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

export function createTeleserviceProxy(deps: TeleserviceProxyDeps): TeleserviceProxy {
  const newId = deps.newId ?? randomUUID;
  const graceMs = deps.wipeGraceMs ?? 5_000;
  const sessions = new Map<string, ProxySession>();
  const secret = (): string => randomBytes(32).toString('base64url');

  const proxyOf = (session: ProxySession, target: URL): string => session.servers.find((s) => s.upstream === originOf(target.href))?.proxy ?? session.start.proxy;

  const toProxy = (session: ProxySession, url: string): string => {
    const origin = originOf(url);
    const server = session.servers.find((s) => s.upstream === origin);
    if (!server || origin === null) return `${session.servers[0]?.proxy ?? ''}${PROXY_PREFIX}bloque?origine=${encodeURIComponent(origin ?? '')}`;
    const parsed = new URL(url);
    return `${server.proxy}${parsed.pathname}${parsed.search}${parsed.hash}`;
  };

  /**
   * A link or form target of a proxied page, as the browser will follow it: read like a browser reads the attribute
   * (entities, tabs and newlines dropped, `\` as `/`), resolved against the page's proxy URL. Left alone when the
   * browser stays on a proxy origin of the session (the port then checks the target); pointed at the proxy when it
   * means one of the guide's origins; else the "not available here" page. So `/\host`, `\\host`, `https:host`,
   * `&#47;&#47;host` and the like never send the frame straight to another server.
   */
  const rewriteTarget = (session: ProxySession, page: { upstream: URL; proxy: URL }, raw: string): string | null => {
    // The URL parser itself drops leading and trailing C0 controls and spaces, and tabs and newlines anywhere.
    const value = decodeAttribute(raw).trim();
    if (value === '' || value.startsWith('#')) return null;
    let viaBrowser: URL;
    let meant: URL;
    try {
      viaBrowser = new URL(value, page.proxy);
      meant = new URL(value, page.upstream);
    } catch {
      return null;
    }
    if (viaBrowser.protocol !== 'http:' && viaBrowser.protocol !== 'https:') return null;
    if (session.servers.some((s) => s.proxy === viaBrowser.origin)) return null;
    return toProxy(session, meant.protocol === 'http:' || meant.protocol === 'https:' ? meant.href : viaBrowser.href);
  };

  const rewriteBody = (session: ProxySession, text: string, html: boolean, page: { upstream: URL; proxy: URL }): string => {
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
      out = out.replace(/(\s)(href|action|formaction)(\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/gi, (whole, space: string, attr: string, eq: string, dq?: string, sq?: string, bare?: string) => {
        const target = rewriteTarget(session, page, dq ?? sq ?? bare ?? '');
        return target === null ? whole : `${space}${attr}${eq}"${escapeHtml(target)}"`;
      });
    }
    return out;
  };

  const refusedPage = (): string => frenchPage(NOTICES.blocked.fr, NOTICES.blockedHint.fr);

  /** Answers a refused request with the French "not available here" page and logs its code; nothing goes upstream. */
  const refuse = (res: http.ServerResponse, reason: Refusal, req: http.IncomingMessage): void => {
    deps.logger.warn({ code: `TELESERVICE_PROXY_${reason}`, method: String(req.method).slice(0, 16) }, 'request refused by the proxy');
    if (res.headersSent) return void res.end();
    res.writeHead(REFUSAL_STATUS[reason], { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
    res.end(refusedPage());
  };

  const hasSecret = (server: OriginServer, req: http.IncomingMessage): boolean => sameSecret(readCookie(req.headers.cookie, server.cookieName), server.secret);
  const cookieFor = (server: OriginServer, value: string, maxAge?: number): string =>
    `${server.cookieName}=${value}; HttpOnly; SameSite=Strict; Path=/${maxAge === undefined ? '' : `; Max-Age=${maxAge}`}`;

  const serveOwnPage = (session: ProxySession, server: OriginServer, req: http.IncomingMessage, res: http.ServerResponse, url: URL): void => {
    const page = url.pathname.slice(PROXY_PREFIX.length);
    const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
    if (page === 'debut') {
      // The entry link of this port: its one-time code (or the port's secret already set) sets the secret cookie, then
      // the frame goes to the next port still waiting for its entry, and at last to the start page.
      const code = url.searchParams.get('code') ?? undefined;
      const fresh = server.entryCode !== null && sameSecret(code, server.entryCode);
      if (!fresh && !hasSecret(server, req)) return refuse(res, 'ENTRY_REFUSED', req);
      if (fresh) server.entryCode = null;
      // Only a plain path of the start origin: no `//host`, no `/\host` (browsers read it as `//`), no control characters.
      const to = url.searchParams.get('vers') ?? '/';
      const target = /^\/(?![\\/])[\x21-\x7e]*$/.test(to) && !to.includes('\\') ? to : '/';
      const next = session.servers.find((s) => s.entryCode !== null);
      const start = session.start;
      const refresh = next
        ? `${next.proxy}${PROXY_PREFIX}debut?code=${next.entryCode}&vers=${encodeURIComponent(target)}`
        : server === start
          ? target
          : `${start.proxy}${target}`;
      res.writeHead(200, { ...headers, 'clear-site-data': CLEAR_SITE_DATA, 'set-cookie': cookieFor(server, server.secret), refresh: `0;url=${refresh}` });
      res.end(frenchPage('Ouverture du site…', NOTICES.siteOpening.fr));
      return;
    }
    if (!hasSecret(server, req)) return refuse(res, 'NO_SECRET', req);
    if (page === 'fin' && session.closing) {
      server.wiped = true;
      const others = session.servers
        .filter((s) => s !== server)
        .map((s) => `<iframe hidden title="effacement" src="${s.proxy}${PROXY_PREFIX}fin"></iframe>`)
        .join('');
      res.writeHead(200, { ...headers, 'clear-site-data': CLEAR_SITE_DATA, 'set-cookie': cookieFor(server, '', 0) });
      res.end(frenchPage('Votre séance est fermée', NOTICES.sessionWiped.fr, others));
      if (session.servers.every((s) => s.wiped)) session.onAllWiped?.();
      return;
    }
    if (page === 'bloque') {
      const origin = url.searchParams.get('origine');
      deps.onEvent({ type: 'blocked', sessionId: session.sessionId, origin: origin ? originOf(origin) : null });
      res.writeHead(200, headers);
      res.end(refusedPage());
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

  /** The real origin behind a proxy origin (an Origin or Referer the browser sent), or undefined. */
  const upstreamOf = (session: ProxySession, value: string | undefined): OriginServer | undefined =>
    value === undefined ? undefined : session.servers.find((s) => value === s.proxy || value.startsWith(`${s.proxy}/`));

  /**
   * Where the request comes from, in real origins: the browser only sees 127.0.0.1 ports, all one site, so SameSite,
   * Sec-Fetch-Site and the site's own checks must be worked out here. Unknown (no Origin nor Referer, or `Origin:
   * null`) means any origin of the session: requests from anywhere else were refused before.
   */
  const initiatorsOf = (session: ProxySession, server: OriginServer, req: http.IncomingMessage): { origins: string[]; known: boolean; user: boolean } => {
    const fetchSite = req.headers['sec-fetch-site'];
    if (fetchSite === 'none') return { origins: [server.upstream], known: true, user: true };
    if (fetchSite === 'same-origin') return { origins: [server.upstream], known: true, user: false };
    const origin = req.headers.origin;
    const referer = req.headers.referer;
    const from = origin !== undefined && origin !== 'null' ? upstreamOf(session, origin) : origin === undefined ? upstreamOf(session, referer) : undefined;
    if (from) return { origins: [from.upstream], known: true, user: false };
    return { origins: session.servers.map((s) => s.upstream), known: false, user: false };
  };

  const forward = (session: ProxySession, server: OriginServer, req: http.IncomingMessage, res: http.ServerResponse, target: URL): void => {
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || HOP_BY_HOP.includes(name) || ['cookie', 'host', 'origin', 'referer', 'sec-fetch-site'].includes(name)) continue;
      headers[name] = value;
    }
    const upstream = new URL(server.upstream);
    headers.host = upstream.host;
    headers['accept-encoding'] = 'gzip, deflate, br';
    const isNavigation = req.headers['sec-fetch-mode'] === 'navigate';
    const initiators = initiatorsOf(session, server, req);
    // The frame stands for the browser's top-level window of the site (Electron shows it as one).
    const context: SameSiteContext = initiators.user
      ? 'strict'
      : sameSiteContext(server.upstream, initiators.origins, { topLevel: isNavigation, safeMethod: req.method === 'GET' || req.method === 'HEAD' });
    const cookie = session.jar.headerFor(target.href, context);
    if (cookie) headers.cookie = cookie;
    // Origin and Referer: checked before (only the session's proxy origins pass), mapped to the real origins here, so
    // the site's own CSRF checks see what a browser would have sent them. `Origin: null` goes on as it is.
    for (const name of ['origin', 'referer'] as const) {
      const value = req.headers[name];
      const mapped = upstreamOf(session, value);
      if (value !== undefined && mapped) headers[name] = mapped.upstream + value.slice(mapped.proxy.length);
      else if (name === 'origin' && value === 'null') headers.origin = 'null';
    }
    if (initiators.user) headers['sec-fetch-site'] = 'none';
    else if (initiators.known) {
      const from = initiators.origins[0] ?? '';
      headers['sec-fetch-site'] = from === server.upstream ? 'same-origin' : sameSite(from, server.upstream) ? 'same-site' : 'cross-site';
    }
    const transport = upstream.protocol === 'https:' ? https : http;
    let upstreamReq: http.ClientRequest;
    try {
      // The connection goes to the port's guide origin, built from it alone: nothing in the request chooses the host.
      upstreamReq = transport.request(
        {
          protocol: upstream.protocol,
          hostname: upstream.hostname.replace(/^\[(.*)\]$/, '$1'),
          port: upstream.port || (upstream.protocol === 'https:' ? 443 : 80),
          path: `${target.pathname}${target.search}`,
          method: req.method,
          headers,
        },
        (upstreamRes) => {
          void respond(session, target, context, isNavigation, upstreamRes, res).catch((cause: unknown) => {
            deps.logger.warn({ code: 'TELESERVICE_PROXY_FAILED', origin: server.upstream, err: cause }, 'site response not relayed');
            if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/html; charset=utf-8' });
            res.end();
          });
        },
      );
    } catch {
      // A header Node refuses to send on (an invalid character that its parser let through).
      return refuse(res, 'BAD_TARGET', req);
    }
    let clientGone = false;
    upstreamReq.on('error', (cause) => {
      if (clientGone) return void res.end();
      deps.logger.warn({ code: 'TELESERVICE_UPSTREAM_UNREACHABLE', origin: server.upstream, err: cause.message }, 'site unreachable');
      deps.onEvent({ type: 'upstream-error', sessionId: session.sessionId, origin: server.upstream });
      if (res.headersSent) return void res.end();
      res.writeHead(502, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(frenchPage('Le site ne répond pas', NOTICES.siteUnreachable.fr));
    });
    // The frame went away (or sent a body it did not finish): the site's request is dropped, not reported as down.
    req.on('error', () => {
      clientGone = true;
      upstreamReq.destroy();
    });
    req.pipe(upstreamReq);
  };

  const respond = async (
    session: ProxySession,
    target: URL,
    context: SameSiteContext,
    isNavigation: boolean,
    upstreamRes: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> => {
    const setCookie = upstreamRes.headers['set-cookie'];
    if (setCookie && !session.closing) session.jar.store(target.href, setCookie, context);
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
    const page = { upstream: target, proxy: new URL(`${target.pathname}${target.search}`, proxyOf(session, target)) };
    const body = Buffer.from(rewriteBody(session, Buffer.concat(chunks).toString('utf8'), html, page), 'utf8');
    delete headers['content-encoding'];
    headers['content-length'] = body.length;
    if (html) {
      // Forms may only post to the session's own origins (CSP `form-action`), whatever the page's scripts build.
      headers['content-security-policy'] = `form-action 'self' ${session.servers.map((s) => s.proxy).join(' ')}`;
    }
    res.writeHead(status, headers);
    res.end(body);
  };

  /** Every request of a proxy port, in order: Host and source, target form, method, the port's secret, then the site. */
  const handle = (session: ProxySession, server: OriginServer, req: http.IncomingMessage, res: http.ServerResponse): void => {
    const source = checkSource(req, { host: server.host, origins: session.servers.map((s) => s.proxy), opaqueOriginAllowed: true });
    if (source !== null) return refuse(res, source, req);
    const target = originFormTarget(req.url, server.upstream);
    if (target === null) return refuse(res, 'BAD_TARGET', req);
    if (!METHODS.has(req.method ?? '')) return refuse(res, 'BAD_METHOD', req);
    if (target.pathname.startsWith(PROXY_PREFIX)) return serveOwnPage(session, server, req, res, target);
    if (!hasSecret(server, req)) return refuse(res, 'NO_SECRET', req);
    if (session.closing) {
      res.writeHead(410, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      return void res.end(frenchPage('Votre séance est fermée', NOTICES.sessionWiped.fr));
    }
    forward(session, server, req, res, target);
  };

  const listen = (handler: http.RequestListener): Promise<http.Server> =>
    new Promise((resolve, reject) => {
      const server = http.createServer((req, res) => {
        try {
          handler(req, res);
        } catch (cause) {
          deps.logger.error({ code: 'TELESERVICE_PROXY_INTERNAL', err: cause }, 'request not handled by the proxy');
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
          res.end();
        }
      });
      server.on('clientError', answerUnreadableRequests(deps.logger, 'TELESERVICE_PROXY_BAD_REQUEST', refusedPage));
      // CONNECT (a tunnel to any host): never; the HTTP parser hands the socket over raw.
      server.on('connect', (_req: http.IncomingMessage, socket: Duplex) => {
        socket.on('error', () => socket.destroy());
        deps.logger.warn({ code: 'TELESERVICE_PROXY_BAD_TARGET', method: 'CONNECT' }, 'request refused by the proxy');
        answerRaw(socket, 400, refusedPage());
      });
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
      const session: ProxySession = {
        sessionId,
        guide,
        jar: createCookieJar(),
        servers: [],
        start: undefined as unknown as OriginServer,
        downloads: new Set(),
        closing: false,
        onAllWiped: null,
      };
      sessions.set(sessionId, session);
      for (const upstream of guide.allowedOrigins) {
        const entry: OriginServer = {
          upstream,
          proxy: '',
          host: '',
          cookieName: '',
          secret: secret(),
          entryCode: secret(),
          server: undefined as unknown as http.Server,
          wiped: false,
        };
        entry.server = await listen((req, res) => handle(session, entry, req, res));
        const port = (entry.server.address() as AddressInfo).port;
        entry.host = `127.0.0.1:${port}`;
        entry.proxy = `http://${entry.host}`;
        entry.cookieName = proxyCookieName(port);
        session.servers.push(entry);
      }
      const start = new URL(guide.startUrl);
      const first = session.servers.find((s) => isAllowed(guide.startUrl, [s.upstream])) ?? session.servers[0];
      if (!first) throw new Error('guide without origins');
      session.start = first;
      deps.logger.info({ code: 'TELESERVICE_PROXY_OPENED', guide: guide.id, origins: session.servers.length }, 'teleservice proxy opened');
      return {
        entryUrl: `${first.proxy}${PROXY_PREFIX}debut?code=${first.entryCode}&vers=${encodeURIComponent(start.pathname + start.search)}`,
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
        deps.logger.info({ code: 'TELESERVICE_PROXY_CLOSED', browserCleared }, 'teleservice proxy closed');
        return { browserCleared };
      })();
      return { wipeUrl: `${first?.proxy ?? ''}${PROXY_PREFIX}fin`, closed };
    },
    openSessionIds() {
      return [...sessions.keys()];
    },
  };
}
