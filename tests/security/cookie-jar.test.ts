// Issue 13, item 4: the proxy's cookie jar keeps one site's cookies from going to another. A site may not set a cookie
// for a public suffix (`Domain=fr` from www.caf.fr would go to every .fr site the session visits), and SameSite=Strict
// and Lax cookies are withheld from cross-site requests. Each case prints whether it leaked.
import { describe, expect, it } from 'vitest';
import * as jarModule from '../../electron/services/teleservice/cookieJar.js';

type Context = 'strict' | 'lax' | 'none';
interface AnyJar {
  store(url: string, headers: readonly string[], context: Context): void;
  headerFor(url: string, context: Context): string | null;
}
// Called with a clock too, so that the same file runs against the hand-written jar this replaced (which needed one).
const newJar = (): AnyJar => (jarModule.createCookieJar as unknown as (clock: () => number) => AnyJar)(() => Date.now());

const PUBLIC_SUFFIX_CASES: [string, string, string][] = [
  ['https://www.caf.fr/', 'Domain=fr', 'https://www.ameli.fr/'],
  ['https://www.caf.fr/', 'Domain=.fr', 'https://www.impots.gouv.fr/'],
  ['https://www.impots.gouv.fr/', 'Domain=gouv.fr', 'https://www.service-public.gouv.fr/'],
  ['https://mon.site.github.io/', 'Domain=github.io', 'https://autre.github.io/'],
  ['https://www.example.co.uk/', 'Domain=co.uk', 'https://www.other.co.uk/'],
];

describe('cookie jar against cookies for a public suffix (issue 13, item 4)', () => {
  it.each(PUBLIC_SUFFIX_CASES)('a cookie set by %s with %s never reaches %s', (from, domain, other) => {
    const jar = newJar();
    jar.store(from, [`suivi=42; Path=/; ${domain}`], 'strict');
    const leaked = jar.headerFor(other, 'strict');
    console.log(`[cookie jar] ${domain} from ${from} → sent to ${other}: ${leaked ?? 'nothing'}`);
    expect(leaked).toBeNull();
  });
});

describe('cookie jar and SameSite (issue 13, item 4)', () => {
  const SET = ['strict=1; Path=/; SameSite=Strict', 'lax=1; Path=/; SameSite=Lax', 'none=1; Path=/; SameSite=None; Secure'];

  it('withholds SameSite=Strict and Lax cookies from a cross-site request', () => {
    const jar = newJar();
    jar.store('https://www.caf.fr/', SET, 'strict');
    const sent = jar.headerFor('https://www.caf.fr/espace', 'none');
    console.log(`[cookie jar] cross-site request to www.caf.fr carries: ${sent ?? 'nothing'}`);
    expect(sent).toBe('none=1');
  });

  it('withholds SameSite=Strict (but not Lax) cookies from a cross-site top-level navigation', () => {
    const jar = newJar();
    jar.store('https://www.caf.fr/', SET, 'strict');
    const sent = jar.headerFor('https://www.caf.fr/espace', 'lax');
    console.log(`[cookie jar] cross-site link to www.caf.fr carries: ${sent ?? 'nothing'}`);
    expect(sent).toBe('lax=1; none=1');
  });

  it('does not let a cross-site response set a SameSite=Strict or Lax cookie', () => {
    const jar = newJar();
    jar.store('https://www.caf.fr/', SET, 'none');
    expect(jar.headerFor('https://www.caf.fr/', 'strict')).toBe('none=1');
  });
});
