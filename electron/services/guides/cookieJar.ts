// A small in-memory cookie jar for the web shell's teleservice proxy: the site's cookies stay in the server, one jar
// per session, dropped at the end — they never reach the browser's shared cookie store of 127.0.0.1.
// Follows RFC 6265 in the parts sites rely on (Domain, Path, Expires, Max-Age, Secure); no public-suffix list: a jar
// only ever talks to the few origins of one guide.
import { isLoopbackHost } from '../../../shared/urlAllowList.js';

interface StoredCookie {
  name: string;
  value: string;
  domain: string;
  hostOnly: boolean;
  path: string;
  expiresAt: number | null;
  secure: boolean;
}

export interface CookieJar {
  /** Stores the cookies of the `Set-Cookie` headers of a response from `url`. */
  store(url: string, setCookieHeaders: readonly string[]): void;
  /** The `Cookie` header to send to `url`, or null when no cookie applies. */
  headerFor(url: string): string | null;
  size(): number;
  clear(): void;
}

function domainMatches(host: string, domain: string): boolean {
  return host === domain || (host.endsWith(`.${domain}`) && !/^\d+\.\d+\.\d+\.\d+$/.test(host));
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

function defaultPath(pathname: string): string {
  const last = pathname.lastIndexOf('/');
  return last <= 0 ? '/' : pathname.slice(0, last);
}

export function createCookieJar(clock: () => number): CookieJar {
  let cookies: StoredCookie[] = [];

  const parse = (url: URL, header: string): StoredCookie | null => {
    const [pair = '', ...attributes] = header.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return null;
    const cookie: StoredCookie = {
      name: pair.slice(0, eq).trim(),
      value: pair.slice(eq + 1).trim(),
      domain: url.hostname.toLowerCase(),
      hostOnly: true,
      path: defaultPath(url.pathname),
      expiresAt: null,
      secure: false,
    };
    let maxAgeSeen = false;
    for (const attribute of attributes) {
      const [rawKey = '', ...rest] = attribute.split('=');
      const key = rawKey.trim().toLowerCase();
      const value = rest.join('=').trim();
      if (key === 'domain' && value !== '') {
        const domain = value.replace(/^\./, '').toLowerCase();
        if (!domainMatches(url.hostname.toLowerCase(), domain)) return null;
        cookie.domain = domain;
        cookie.hostOnly = false;
      } else if (key === 'path' && value.startsWith('/')) {
        cookie.path = value;
      } else if (key === 'max-age' && /^-?\d+$/.test(value)) {
        maxAgeSeen = true;
        cookie.expiresAt = clock() + Number(value) * 1000;
      } else if (key === 'expires' && !maxAgeSeen) {
        const at = Date.parse(value);
        if (!Number.isNaN(at)) cookie.expiresAt = at;
      } else if (key === 'secure') {
        cookie.secure = true;
      }
    }
    return cookie;
  };

  const purgeExpired = (): void => {
    const now = clock();
    cookies = cookies.filter((c) => c.expiresAt === null || c.expiresAt > now);
  };

  return {
    store(url, headers) {
      const target = new URL(url);
      for (const header of headers) {
        const cookie = parse(target, header);
        if (!cookie) continue;
        cookies = cookies.filter((c) => !(c.name === cookie.name && c.domain === cookie.domain && c.path === cookie.path));
        cookies.push(cookie);
      }
      purgeExpired();
    },
    headerFor(url) {
      purgeExpired();
      const target = new URL(url);
      const host = target.hostname.toLowerCase();
      const secureChannel = target.protocol === 'https:' || isLoopbackHost(host);
      const matching = cookies
        .filter((c) => (c.hostOnly ? host === c.domain : domainMatches(host, c.domain)))
        .filter((c) => pathMatches(target.pathname, c.path))
        .filter((c) => !c.secure || secureChannel)
        .sort((a, b) => b.path.length - a.path.length);
      return matching.length === 0 ? null : matching.map((c) => `${c.name}=${c.value}`).join('; ');
    },
    size() {
      purgeExpired();
      return cookies.length;
    },
    clear() {
      cookies = [];
    },
  };
}
