// The cookie jar of the web shell's teleservice proxy: one per session, in this process, dropped at the end — the
// site's cookies never reach the browser's shared cookie store of 127.0.0.1.
//
// RFC 6265bis as tough-cookie implements it: the public suffix list (a `Domain=fr` or `Domain=gouv.fr` cookie is
// refused, it would go to every site under it), SameSite on storage and on retrieval, Secure, HttpOnly, `__Host-` and
// `__Secure-` prefixes, nameless cookies like browsers. The browser sees every proxy origin as one site
// (127.0.0.1), so it cannot apply SameSite to the real sites: the proxy tells the jar, for each request, whether the
// real sites of the request and of the page that made it are the same (`sameSiteContext`).
//
// One deviation from tough-cookie, towards the RFC: tough-cookie counts Max-Age from the cookie's last access, so a
// cookie read often never expires; the RFC counts it from when the cookie is stored. `store` turns Max-Age into an
// absolute expiry itself. Time is the wall clock (`Date.now`): expiry dates come from the real sites' clocks.
import { isIP } from 'node:net';
import { Cookie, CookieJar as ToughCookieJar, getPublicSuffix } from 'tough-cookie';

/** RFC 6265bis "same-site" context of a request: `strict` same site, `lax` a cross-site top-level GET navigation, `none` cross-site. */
export type SameSiteContext = 'strict' | 'lax' | 'none';

export interface CookieJar {
  /** Stores the cookies of the `Set-Cookie` headers of a response from `url`; invalid ones are dropped, as a browser does. */
  store(url: string, setCookieHeaders: readonly string[], context: SameSiteContext): void;
  /** The `Cookie` header to send to `url`, or null when no cookie applies. */
  headerFor(url: string, context: SameSiteContext): string | null;
  size(): number;
  clear(): void;
}

/** The "site" of an origin (scheme and registrable domain): `https://caf.fr` for `https://www.caf.fr:8443`; an IP is its own site. */
export function siteOf(origin: string): string | null {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return null;
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  if (host === '') return null;
  const registrable = isIP(host) ? host : (getPublicSuffix(host, { allowSpecialUseDomain: true, ignoreError: true }) ?? host);
  return `${url.protocol}//${registrable}`;
}

/** Schemeful same-site (RFC 6265bis): same scheme and same registrable domain, ports ignored. */
export function sameSite(a: string, b: string): boolean {
  const x = siteOf(a);
  return x !== null && x === siteOf(b);
}

/**
 * The same-site context of a request to `target` made by a page of one of `initiators` (the real origins it may come
 * from; several when the request does not say which). Same site for all of them: `strict`; otherwise a top-level GET
 * or HEAD navigation is `lax` and anything else `none`, as RFC 6265bis section 5.2 defines them.
 */
export function sameSiteContext(target: string, initiators: readonly string[], navigation: { topLevel: boolean; safeMethod: boolean }): SameSiteContext {
  if (initiators.length > 0 && initiators.every((i) => sameSite(i, target))) return 'strict';
  return navigation.topLevel && navigation.safeMethod ? 'lax' : 'none';
}

export function createCookieJar(): CookieJar {
  const make = (): ToughCookieJar =>
    new ToughCookieJar(undefined, {
      rejectPublicSuffixes: true,
      looseMode: true,
      prefixSecurity: 'strict',
      // `localhost` and loopback test sites (the guides only allow them besides https).
      allowSpecialUseDomain: true,
      allowSecureOnLocal: true,
    });
  let jar = make();

  return {
    store(url, headers, context) {
      for (const header of headers) {
        const cookie = Cookie.parse(header, { loose: true });
        if (!cookie) continue;
        if (typeof cookie.maxAge === 'number') {
          cookie.expires = cookie.maxAge <= 0 ? new Date(0) : new Date(Date.now() + cookie.maxAge * 1000);
          cookie.maxAge = null;
        }
        jar.setCookieSync(cookie, url, { ignoreError: true, http: true, sameSiteContext: context });
      }
    },
    headerFor(url, context) {
      const header = jar.getCookieStringSync(url, { http: true, sameSiteContext: context });
      return header === '' ? null : header;
    },
    size() {
      return countAll(jar);
    },
    clear() {
      jar = make();
    },
  };
}

function countAll(jar: ToughCookieJar): number {
  const now = Date.now();
  return (jar.serializeSync()?.cookies ?? []).filter((c) => {
    const expires = c.expires;
    return !(typeof expires === 'string' && expires !== 'Infinity' && Date.parse(expires) <= now);
  }).length;
}
