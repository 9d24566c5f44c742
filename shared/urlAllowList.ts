// Which URLs a teleservice session may visit: exact origin match after WHATWG URL parsing, never string prefixes.
//
// Rules (both shells use these):
// - only `https:`; `http:` only for loopback hosts (127.0.0.1, localhost, [::1]) so tests can use a fake service;
// - no user-info (`https://caf.fr@evil.test` has host `evil.test`; `https://user@caf.fr` is refused too: a kiosk
//   never needs credentials in a URL and they are a classic phishing disguise);
// - scheme + host + port compared exactly; the host is lowercased and IDN turned into punycode by `URL` itself,
//   one trailing dot is removed (`caf.fr.` is the same DNS name as `caf.fr`);
// - `about:blank` is refused like every other non-http(s) URL: a guided session never needs it, new windows are
//   opened in the same view, and a blank document is a scripting surface an allowed page could write into.

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function parse(input: string): URL | null {
  try {
    return new URL(input);
  } catch {
    return null;
  }
}

function stripTrailingDot(hostname: string): string {
  return hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
}

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(stripTrailingDot(hostname.toLowerCase()));
}

/** `scheme://host[:port]` of a parsed URL, or null when the scheme or user-info is not acceptable. */
function originOfParsed(url: URL): string | null {
  if (url.username !== '' || url.password !== '') return null;
  const host = stripTrailingDot(url.hostname);
  if (host === '') return null;
  if (url.protocol === 'https:') return `https://${host}${url.port ? `:${url.port}` : ''}`;
  if (url.protocol === 'http:' && isLoopbackHost(host)) return `http://${host}${url.port ? `:${url.port}` : ''}`;
  return null;
}

/**
 * The canonical form of an origin written in a guide (`https://www.caf.fr`), or null when it is not a bare
 * acceptable origin (a path other than `/`, a query, a fragment, user-info, or a refused scheme).
 */
export function canonicalOrigin(input: string): string | null {
  const url = parse(input.trim());
  if (!url) return null;
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') return null;
  if (/[?#]/.test(input)) return null;
  return originOfParsed(url);
}

/** The canonical origin of any acceptable URL, or null (used to report a blocked page without its path). */
export function originOf(input: string): string | null {
  const url = parse(input);
  return url ? originOfParsed(url) : null;
}

/** Whether `url` may be visited in a session whose guide allows `allowedOrigins` (each in any spelling). */
export function isAllowed(url: string, allowedOrigins: readonly string[]): boolean {
  const origin = originOf(url);
  if (origin === null) return false;
  return allowedOrigins.some((allowed) => canonicalOrigin(allowed) === origin);
}
