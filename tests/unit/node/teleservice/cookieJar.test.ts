import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCookieJar, sameSite, sameSiteContext, siteOf } from '../../../../electron/services/teleservice/cookieJar.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.UTC(2026, 0, 10));
});
afterEach(() => {
  vi.useRealTimers();
});

function setup() {
  const jar = createCookieJar();
  return { jar, advance: (ms: number) => vi.setSystemTime(Date.now() + ms) };
}

describe('cookie jar of the teleservice proxy', () => {
  it('sends a host-only cookie back to its host only', () => {
    const { jar } = setup();
    jar.store('https://www.caf.fr/login', ['session=abc; Path=/; HttpOnly; Secure; SameSite=Lax'], 'strict');
    expect(jar.headerFor('https://www.caf.fr/espace', 'strict')).toBe('session=abc');
    expect(jar.headerFor('https://caf.fr/espace', 'strict')).toBeNull();
    expect(jar.headerFor('https://app.franceconnect.gouv.fr/', 'strict')).toBeNull();
  });

  it('sends a Domain cookie to subdomains and refuses a Domain the host does not belong to', () => {
    const { jar } = setup();
    jar.store('https://assure.ameli.fr/', ['a=1; Domain=.ameli.fr; Path=/', 'b=2; Domain=evil.test; Path=/'], 'strict');
    expect(jar.headerFor('https://www.ameli.fr/', 'strict')).toBe('a=1');
    expect(jar.headerFor('https://evil.test/', 'strict')).toBeNull();
  });

  it('applies the Path attribute and the default path', () => {
    const { jar } = setup();
    jar.store('https://www.caf.fr/espace/login', ['p=1; Path=/espace', 'd=2'], 'strict');
    expect(jar.headerFor('https://www.caf.fr/espace/x', 'strict')).toBe('p=1; d=2');
    expect(jar.headerFor('https://www.caf.fr/espaces', 'strict')).toBeNull();
    expect(jar.headerFor('https://www.caf.fr/', 'strict')).toBeNull();
  });

  it('forgets a cookie after Max-Age or when overwritten with an expiry in the past', () => {
    const { jar, advance } = setup();
    jar.store('https://www.caf.fr/', ['short=1; Path=/; Max-Age=60', 'gone=1; Path=/'], 'strict');
    jar.store('https://www.caf.fr/', ['gone=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT'], 'strict');
    expect(jar.headerFor('https://www.caf.fr/', 'strict')).toBe('short=1');
    advance(61_000);
    expect(jar.headerFor('https://www.caf.fr/', 'strict')).toBeNull();
  });

  it('counts Max-Age from when the cookie was stored, however often it is read (RFC 6265bis 5.6.2)', () => {
    const { jar, advance } = setup();
    jar.store('https://www.caf.fr/', ['short=1; Path=/; Max-Age=60'], 'strict');
    for (let i = 0; i < 5; i += 1) {
      advance(10_000);
      expect(jar.headerFor('https://www.caf.fr/', 'strict')).toBe('short=1');
    }
    advance(11_000);
    expect(jar.headerFor('https://www.caf.fr/', 'strict')).toBeNull();
  });

  it('keeps Secure cookies off plain http except on loopback', () => {
    const { jar } = setup();
    jar.store('http://127.0.0.1:4000/', ['s=1; Secure; Path=/'], 'strict');
    expect(jar.headerFor('http://127.0.0.1:4000/', 'strict')).toBe('s=1');
    jar.store('https://www.caf.fr/', ['t=1; Secure; Path=/'], 'strict');
    expect(jar.headerFor('http://www.caf.fr/', 'strict')).toBeNull();
  });

  it('is empty after clear', () => {
    const { jar } = setup();
    jar.store('https://www.caf.fr/', ['a=1'], 'strict');
    expect(jar.size()).toBe(1);
    jar.clear();
    expect(jar.size()).toBe(0);
    expect(jar.headerFor('https://www.caf.fr/', 'strict')).toBeNull();
  });
});

describe('cookie jar: public suffix list', () => {
  it.each([
    ['https://www.caf.fr/', 'Domain=fr'],
    ['https://www.caf.fr/', 'Domain=.fr'],
    ['https://www.impots.gouv.fr/', 'Domain=gouv.fr'],
    ['https://www.service-public.fr/', 'Domain=FR'],
    ['https://foo.github.io/', 'Domain=github.io'],
    ['https://www.example.co.uk/', 'Domain=co.uk'],
  ])('refuses a cookie set by %s with %s (a public suffix), so no other site under it receives it', (from, domain) => {
    const { jar } = setup();
    jar.store(from, [`tracker=1; Path=/; ${domain}`], 'strict');
    expect(jar.size()).toBe(0);
    expect(jar.headerFor('https://www.ameli.fr/', 'strict')).toBeNull();
    expect(jar.headerFor('https://other.gouv.fr/', 'strict')).toBeNull();
    expect(jar.headerFor(from, 'strict')).toBeNull();
  });

  it('still accepts the registrable domain itself (Domain=caf.fr from www.caf.fr)', () => {
    const { jar } = setup();
    jar.store('https://www.caf.fr/', ['a=1; Domain=caf.fr; Path=/'], 'strict');
    expect(jar.headerFor('https://wwwd.caf.fr/', 'strict')).toBe('a=1');
    expect(jar.headerFor('https://www.ameli.fr/', 'strict')).toBeNull();
  });
});

describe('cookie jar: SameSite', () => {
  const cookies = ['strict=1; Path=/; SameSite=Strict', 'lax=1; Path=/; SameSite=Lax', 'none=1; Path=/; SameSite=None; Secure', 'plain=1; Path=/'];

  it('sends Strict and Lax cookies on a same-site request, only Lax ones on a cross-site top-level navigation, neither otherwise', () => {
    const { jar } = setup();
    jar.store('https://www.caf.fr/', cookies, 'strict');
    expect(jar.headerFor('https://www.caf.fr/', 'strict')).toBe('strict=1; lax=1; none=1; plain=1');
    expect(jar.headerFor('https://www.caf.fr/', 'lax')).toBe('lax=1; none=1; plain=1');
    expect(jar.headerFor('https://www.caf.fr/', 'none')).toBe('none=1; plain=1');
  });

  it('does not store a SameSite=Strict or Lax cookie set by a cross-site subresource response', () => {
    const { jar } = setup();
    jar.store('https://www.caf.fr/', cookies, 'none');
    expect(jar.headerFor('https://www.caf.fr/', 'strict')).toBe('none=1; plain=1');
  });

  it('works out the context from the real sites of the request and of the page that made it', () => {
    const get = { topLevel: true, safeMethod: true };
    const post = { topLevel: true, safeMethod: false };
    const sub = { topLevel: false, safeMethod: true };
    expect(sameSiteContext('https://www.caf.fr', ['https://connexion.caf.fr'], post)).toBe('strict');
    expect(sameSiteContext('https://www.caf.fr', ['https://app.franceconnect.gouv.fr'], get)).toBe('lax');
    expect(sameSiteContext('https://www.caf.fr', ['https://app.franceconnect.gouv.fr'], post)).toBe('none');
    expect(sameSiteContext('https://www.caf.fr', ['https://app.franceconnect.gouv.fr'], sub)).toBe('none');
    expect(sameSiteContext('https://www.caf.fr', ['https://www.caf.fr', 'https://app.franceconnect.gouv.fr'], sub)).toBe('none');
    expect(sameSiteContext('https://www.caf.fr', [], get)).toBe('lax');
  });

  it('compares sites with the public suffix list, the scheme, and IPs as their own site', () => {
    expect(siteOf('https://www.impots.gouv.fr')).toBe('https://impots.gouv.fr');
    expect(sameSite('https://www.impots.gouv.fr', 'https://cfspart.impots.gouv.fr')).toBe(true);
    expect(sameSite('https://www.impots.gouv.fr', 'https://www.ameli.fr')).toBe(false);
    expect(sameSite('https://a.github.io', 'https://b.github.io')).toBe(false);
    expect(sameSite('https://www.caf.fr', 'http://www.caf.fr')).toBe(false);
    expect(sameSite('http://127.0.0.1:1', 'http://127.0.0.1:2')).toBe(true);
    expect(sameSite('http://127.0.0.1:1', 'http://localhost:1')).toBe(false);
  });
});
