// How the hub reads an HTTP request's target, without ever throwing: a target it cannot read, or a path whose
// percent-encoding is malformed, is a bad request (400) from the client, not a fault of the hub.
import type { ServerResponse } from 'node:http';

/** The base every target is read against: only its path and query are used. */
const BASE = 'http://hub.invalid';

/**
 * The URL of a request target (RFC 9112 §3.2), or null when the hub does not serve it: origin-form (`/path?query`) and,
 * as RFC 9112 requires of servers, absolute-form with an http(s) scheme, whose path and query only are kept (the hub is
 * nobody's proxy). Authority-form (`host:port`), asterisk-form (`*`) and other schemes (`file:`, `javascript:`…) get null.
 * A leading `//` is read as a path, never as another host.
 */
export function requestUrl(target: string | undefined): URL | null {
  if (target === undefined || target.length === 0) return null;
  try {
    if (target.startsWith('/')) return new URL(BASE + target);
    const absolute = new URL(target);
    if (absolute.protocol !== 'http:' && absolute.protocol !== 'https:') return null;
    return new URL(BASE + absolute.pathname + absolute.search);
  } catch {
    return null;
  }
}

/** A path segment or path decoded from its percent-encoding; null when malformed (or when it would hold a NUL byte). */
export function decodePath(encoded: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(encoded);
  } catch {
    return null;
  }
  return decoded.includes('\0') ? null : decoded;
}

/** Answers 400 and closes the connection: what the hub answers to a target or a path it cannot read. */
export function badRequest(res: ServerResponse, headers: Record<string, string>): void {
  if (res.headersSent) return;
  res.writeHead(400, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' }).end('Requête invalide.');
}
