// What every loopback HTTP server of the kiosk checks before anything else (the web shell and each port of the
// teleservice proxy use these, and no other copy): the exact Host it listens on, where a request says it comes from
// (Origin, Referer, Sec-Fetch-Site), that the target is plain origin-form on its own origin, and a secret cookie compared in constant time. None of these ever throws,
// whatever the request holds: a throw in a synchronous listener (an `upgrade`, a `clientError`) ends the process.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from './logger.js';

export type SourceRefusal = 'BAD_HOST' | 'BAD_ORIGIN' | 'BAD_REFERER' | 'CROSS_SITE';

export interface SourceRule {
  /** `127.0.0.1:<port>`: the only Host accepted (a DNS-rebinding page sends its own name). */
  host: string;
  /** When given, the origins a request may come from; an Origin or Referer naming another origin is refused. */
  origins?: readonly string[];
  /** The request must carry an Origin among `origins` (the web shell's contract calls). */
  originRequired?: boolean;
  /**
   * Accept `Origin: null` (opaque: a page with `Referrer-Policy: no-referrer` posting a form, a sandboxed frame).
   * A real site receives `null` in those cases from a real browser too, so passing it on keeps its checks as they are.
   */
  opaqueOriginAllowed?: boolean;
}

/**
 * The URL of a request target on `origin` (the guide's origin for a proxy port, the shell's own for the web shell), or
 * null when `raw` is not a plain origin-form target of it (RFC 9112 section 3.2.1): "/" then visible ASCII, no fragment, no "//" or "/\\" at the start nor "\\" in the path (a
 * browser reads "\\" as "/"), and, once dot segments are resolved, still the guide's origin and not a path starting
 * with "//".
 */
export function originFormTarget(raw: string | undefined, origin: string): URL | null {
  if (raw === undefined || !/^\/[\x21-\x7e]*$/.test(raw) || raw.includes('#')) return null;
  const query = raw.indexOf('?');
  const path = query === -1 ? raw : raw.slice(0, query);
  if (path.startsWith('//') || path.includes('\\')) return null;
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(raw, base);
  } catch {
    return null;
  }
  if (url.origin !== base.origin || url.pathname.startsWith('//') || url.username !== '' || url.password !== '') return null;
  return url;
}

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/** `scheme://host[:port]` of an absolute http(s) URL, or null. */
export function originOfUrl(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/** Why a request is refused by `rule`, or null when it may go on. Host first, then Origin, Referer, Sec-Fetch-Site. */
export function checkSource(req: IncomingMessage, rule: SourceRule): SourceRefusal | null {
  if (req.headers.host !== rule.host) return 'BAD_HOST';
  if (!rule.origins) return null;
  const origin = first(req.headers.origin);
  if (origin === undefined) {
    if (rule.originRequired) return 'BAD_ORIGIN';
  } else if (!(origin === 'null' && rule.opaqueOriginAllowed) && !rule.origins.includes(origin)) {
    return 'BAD_ORIGIN';
  }
  const referer = first(req.headers.referer);
  if (referer !== undefined) {
    const from = originOfUrl(referer);
    if (from === null || !rule.origins.includes(from)) return 'BAD_REFERER';
  }
  // Only a browser sends it; a browser never lets a page forge it. Every origin of the kiosk is 127.0.0.1, so a
  // request that the browser calls cross-site comes from a page outside the kiosk.
  if (first(req.headers['sec-fetch-site']) === 'cross-site') return 'CROSS_SITE';
  return null;
}

export function sameSecret(candidate: string | undefined, secret: string): boolean {
  if (!candidate) return false;
  const x = Buffer.from(candidate);
  const y = Buffer.from(secret);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The value of cookie `name` in a Cookie header, or undefined; a malformed percent-encoding is kept as it is. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    const raw = v.join('=');
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return undefined;
}

/**
 * A `clientError` listener for a loopback server: a request its HTTP parser cannot read (a bad request line, bad
 * headers, headers too large) gets 400 (431, 408) with `body` and a log line with `code`, and the socket is closed.
 * Without it Node answers too, but silently; with a throwing one the process would end.
 */
export function answerUnreadableRequests(logger: Logger, code: string, body: () => string): (err: NodeJS.ErrnoException, socket: Duplex) => void {
  return (err, socket) => {
    socket.on('error', () => socket.destroy());
    if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return void socket.destroy();
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    logger.warn({ code, parser: String(err.code ?? 'UNKNOWN').slice(0, 40) }, 'unreadable request refused');
    answerRaw(socket, status, body());
  };
}

/** Writes a whole HTTP/1.1 answer on a raw socket and closes it (a socket the parser gave up on, or a CONNECT). */
export function answerRaw(socket: Duplex, status: 400 | 408 | 431, html: string): void {
  const net = socket as Socket;
  if (!net.writable || net.destroyed) return void socket.destroy();
  const body = Buffer.from(html, 'utf8');
  const reason = status === 400 ? 'Bad Request' : status === 408 ? 'Request Timeout' : 'Request Header Fields Too Large';
  const head = `HTTP/1.1 ${status} ${reason}\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: ${body.length}\r\ncache-control: no-store\r\nconnection: close\r\n\r\n`;
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), body]));
}
