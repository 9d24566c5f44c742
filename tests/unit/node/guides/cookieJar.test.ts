import { describe, expect, it } from 'vitest';
import { createCookieJar } from '../../../../electron/services/guides/cookieJar.js';

function setup() {
  let now = Date.UTC(2026, 0, 10);
  const jar = createCookieJar(() => now);
  return { jar, advance: (ms: number) => (now += ms) };
}

describe('cookie jar of the teleservice proxy', () => {
  it('sends a host-only cookie back to its host only', () => {
    const { jar } = setup();
    jar.store('https://www.caf.fr/login', ['session=abc; Path=/; HttpOnly; Secure; SameSite=Lax']);
    expect(jar.headerFor('https://www.caf.fr/espace')).toBe('session=abc');
    expect(jar.headerFor('https://caf.fr/espace')).toBeNull();
    expect(jar.headerFor('https://app.franceconnect.gouv.fr/')).toBeNull();
  });

  it('sends a Domain cookie to subdomains and refuses a Domain the host does not belong to', () => {
    const { jar } = setup();
    jar.store('https://assure.ameli.fr/', ['a=1; Domain=.ameli.fr; Path=/', 'b=2; Domain=evil.test; Path=/']);
    expect(jar.headerFor('https://www.ameli.fr/')).toBe('a=1');
    expect(jar.headerFor('https://evil.test/')).toBeNull();
  });

  it('applies the Path attribute and the default path', () => {
    const { jar } = setup();
    jar.store('https://www.caf.fr/espace/login', ['p=1; Path=/espace', 'd=2']);
    expect(jar.headerFor('https://www.caf.fr/espace/x')).toBe('p=1; d=2');
    expect(jar.headerFor('https://www.caf.fr/espaces')).toBeNull();
    expect(jar.headerFor('https://www.caf.fr/')).toBeNull();
  });

  it('forgets a cookie after Max-Age or when overwritten with an expiry in the past', () => {
    const { jar, advance } = setup();
    jar.store('https://www.caf.fr/', ['short=1; Path=/; Max-Age=60', 'gone=1; Path=/']);
    jar.store('https://www.caf.fr/', ['gone=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT']);
    expect(jar.headerFor('https://www.caf.fr/')).toBe('short=1');
    advance(61_000);
    expect(jar.headerFor('https://www.caf.fr/')).toBeNull();
  });

  it('keeps Secure cookies off plain http except on loopback', () => {
    const { jar } = setup();
    jar.store('http://127.0.0.1:4000/', ['s=1; Secure; Path=/']);
    expect(jar.headerFor('http://127.0.0.1:4000/')).toBe('s=1');
  });

  it('is empty after clear', () => {
    const { jar } = setup();
    jar.store('https://www.caf.fr/', ['a=1']);
    jar.clear();
    expect(jar.size()).toBe(0);
    expect(jar.headerFor('https://www.caf.fr/')).toBeNull();
  });
});
