// What every loopback HTTP server of the kiosk checks before anything else (the web shell and each port of the
// teleservice proxy use these, and no other copy): the exact Host it listens on, where a request says it comes from
// (Origin, Referer, Sec-Fetch-Site), and a secret cookie compared in constant time. None of these ever throws,
// whatever the request holds: a throw in a synchronous listener (an `upgrade`, a `clientError`) ends the process.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

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
