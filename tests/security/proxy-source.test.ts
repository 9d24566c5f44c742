// Issue 13, item 3 (and item 4 as the proxy applies it): a proxy port serves the session's site only to the frame
// that entered it. A wrong Host (DNS rebinding), a foreign Origin or Referer, a request the browser calls cross-site,
// no secret cookie, a wrong one, another port's, or a used entry code: refused, and nothing reaches the site.
// A foreign Origin/Referer is refused rather than stripped: stripped, the site's own CSRF check would pass a request it
// would have refused. The session's own origins are passed on as the real origins they stand for, `Origin: null` as
// `null`, and SameSite is applied between the real sites (the browser sees one site, 127.0.0.1, for every port).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTeleserviceProxy, type OpenedProxySession, type TeleserviceProxy } from '../../electron/services/teleservice/proxy.js';
import { silentLogger } from '../../electron/services/logger.js';
import type { Guide } from '../../shared/guideSteps.js';
import { enterProxy, httpGet, rawExchange, startRecorder, type LoopbackCookies, type RecordingServer } from './support/loopback.js';

const REFUSED_TEXT = 'Cette page n’est pas disponible ici';

/** A site that keeps a login in cookies: `/login` sets them (Strict, Lax, and one without SameSite), `/espace` tells. */
const siteHandler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): void => {
  if (req.url === '/login') {
    res.writeHead(200, {
      'content-type': 'text/plain',
      'set-cookie': ['sid=compte-42; Path=/; HttpOnly; SameSite=Strict', 'pref=lax-1; Path=/; SameSite=Lax', 'plain=p-1; Path=/'],
    });
    return void res.end('connecté');
  }
  res.writeHead(200, { 'content-type': 'application/octet-stream' });
  res.end(/sid=compte-42/.test(req.headers.cookie ?? '') ? 'ESPACE DU VISITEUR (connecté)' : 'non connecté');
};

let siteA: RecordingServer;
let siteB: RecordingServer;
let proxy: TeleserviceProxy;
let opened: OpenedProxySession;
let cookies: LoopbackCookies;
let pa: string;
let pb: string;
let downloadDir: string;

beforeAll(async () => {
  siteA = await startRecorder(siteHandler);
  siteB = await startRecorder(siteHandler);
});
afterAll(async () => {
  await Promise.all([siteA.close(), siteB.close()]);
});

beforeEach(async () => {
  downloadDir = mkdtempSync(join(tmpdir(), 'relais-sec-source-'));
  proxy = createTeleserviceProxy({ logger: silentLogger(), downloadDir, onEvent: () => undefined, wipeGraceMs: 50 });
  // Two origins on two different sites for real (127.0.0.1 and localhost), as a guide through FranceConnect has.
  const bOrigin = `http://localhost:${siteB.port}`;
  const guide: Guide = {
    id: 'compte',
    organisation: 'CAF',
    title: 'Compte',
    summary: 'Test.',
    startUrl: `${siteA.origin}/`,
    allowedOrigins: [siteA.origin, bOrigin],
    visitorMayStart: true,
    steps: [{ title: 'a', text: 'a', picture: null, urlPattern: '/' }],
  };
  opened = await proxy.open('S', guide);
  pa = opened.origins[siteA.origin]!;
  pb = opened.origins[bOrigin]!;
  cookies = (await enterProxy(opened.entryUrl)).cookies;
  // The visitor logs in on site A through the proxy, from A's own page.
  await httpGet(`${pa}/login`, { cookie: cookies.header(), 'sec-fetch-site': 'same-origin' });
  siteA.requests.length = 0;
  siteB.requests.length = 0;
});
afterEach(async () => {
  await proxy.close('S')?.closed;
  rmSync(downloadDir, { recursive: true, force: true });
});

const hostOf = (origin: string): string => new URL(origin).host;

describe('proxy ports check who is asking (issue 13, item 3)', () => {
  it('serves the visitor’s account page to the frame that entered the session', async () => {
    const page = await httpGet(`${pa}/espace`, { cookie: cookies.header(), 'sec-fetch-site': 'same-origin' });
    expect(page.body).toBe('ESPACE DU VISITEUR (connecté)');
    expect(siteA.requests).toHaveLength(1);
  });

  it.each([
    ['Host: attacker.example (DNS rebinding)', () => ({ host: 'attacker.example' }), 421],
    ['Host: attacker.example with the port', () => ({ host: `attacker.example:${new URL(pa).port}` }), 421],
    ['Host: localhost:<port>', () => ({ host: `localhost:${new URL(pa).port}` }), 421],
    ['a foreign Origin', () => ({ origin: 'http://attacker.example' }), 403],
    ['a foreign loopback Origin (another local server)', () => ({ origin: `http://127.0.0.1:${siteA.port}` }), 403],
    ['the proxy’s origin spelt as localhost', () => ({ origin: `http://localhost:${new URL(pa).port}` }), 403],
    ['a foreign Referer', () => ({ referer: 'http://attacker.example/piege.html' }), 403],
    ['an unreadable Referer', () => ({ referer: 'not a url' }), 403],
    ['a request the browser calls cross-site', () => ({ 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' }), 403],
  ])('refuses %s, and the site receives nothing', async (_name, extra, status) => {
    const reply = await httpGet(`${pa}/espace`, { cookie: cookies.header(), ...extra() });
    expect(reply.status).toBe(status);
    expect(reply.body).toContain(REFUSED_TEXT);
    expect(reply.body).not.toContain('ESPACE DU VISITEUR');
    expect(siteA.requests).toEqual([]);
  });

  it.each([
    ['no cookie at all', () => ''],
    ['only the web shell’s token cookie', () => 'relais_token=abc'],
    ['a wrong secret under the port’s name', () => `relais_proxy_${new URL(pa).port}=${'A'.repeat(43)}`],
    ['the other port’s secret under this port’s name', () => `relais_proxy_${new URL(pa).port}=${cookies.values.get(`relais_proxy_${new URL(pb).port}`)}`],
    ['a malformed percent-encoding', () => `relais_proxy_${new URL(pa).port}=%E0%A4%A`],
  ])('refuses a request with %s (403, the site receives nothing)', async (_name, cookie) => {
    const value = cookie();
    const reply = await httpGet(`${pa}/espace`, value ? { cookie: value } : {});
    expect(reply.status).toBe(403);
    expect(reply.body).toContain(REFUSED_TEXT);
    expect(siteA.requests).toEqual([]);
  });

  it('refuses the same without a client library too: a raw request without the cookie gets 403 and nothing goes upstream', async () => {
    const port = Number(new URL(pa).port);
    const reply = await rawExchange(port, `POST /espace HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 5\r\nConnection: close\r\n\r\nx=1&y`);
    expect(reply.status).toBe(403);
    expect(siteA.requests).toEqual([]);
  });

  it('accepts an entry code once, and only on its own port', async () => {
    const other = await proxy.open('T', { ...(await guideOf(siteA.origin)) });
    const code = new URL(other.entryUrl).searchParams.get('code') ?? '';
    const portOfT = new URL(other.entryUrl).origin;
    expect((await httpGet(`${pa}/__relais/debut?code=${code}`)).status).toBe(403);
    const first = await httpGet(other.entryUrl);
    expect(first.status).toBe(200);
    expect(String(first.headers['set-cookie'])).toMatch(/^relais_proxy_\d+=[\w-]{43}; HttpOnly; SameSite=Strict; Path=\/$/);
    const again = await httpGet(other.entryUrl);
    expect(again.status).toBe(403);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect((await httpGet(`${portOfT}/`)).status).toBe(403);
    await proxy.close('T')?.closed;
  });

  it('passes the session’s own origins on as the real origins they stand for, and Origin: null as null', async () => {
    const fromB = await httpGet(`${pa}/espace`, { cookie: cookies.header(), origin: pb, referer: `${pb}/formulaire?x=1`, 'sec-fetch-site': 'same-site' }, 'POST', '');
    expect(fromB.status).toBe(200);
    expect(siteA.requests.at(-1)).toMatchObject({ host: hostOf(siteA.origin), origin: `http://localhost:${siteB.port}`, referer: `http://localhost:${siteB.port}/formulaire?x=1` });
    const opaque = await httpGet(`${pa}/espace`, { cookie: cookies.header(), origin: 'null', 'sec-fetch-site': 'same-origin' }, 'POST', '');
    expect(opaque.status).toBe(200);
    expect(siteA.requests.at(-1)?.origin).toBe('null');
  });
});

describe('proxy ports apply SameSite between the real sites (issue 13, item 4)', () => {
  const cookieSeenByA = (): string => siteA.requests.at(-1)?.cookie ?? '';

  it('sends every cookie to a request from the site’s own pages', async () => {
    await httpGet(`${pa}/espace`, { cookie: cookies.header(), 'sec-fetch-site': 'same-origin' });
    expect(cookieSeenByA()).toBe('sid=compte-42; pref=lax-1; plain=p-1');
    expect(siteA.requests.at(-1)?.secFetchSite).toBe('same-origin');
  });

  it('sends no SameSite=Strict or Lax cookie with a POST from a page of another site (a cross-site form)', async () => {
    await httpGet(`${pa}/espace`, { cookie: cookies.header(), origin: pb, 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'navigate' }, 'POST', '');
    expect(cookieSeenByA()).toBe('plain=p-1');
    expect(siteA.requests.at(-1)?.secFetchSite).toBe('cross-site');
  });

  it('sends Lax but not Strict cookies with a top-level link from another site, and neither with its sub-resources', async () => {
    await httpGet(`${pa}/espace`, { cookie: cookies.header(), referer: `${pb}/`, 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'navigate' });
    expect(cookieSeenByA()).toBe('pref=lax-1; plain=p-1');
    await httpGet(`${pa}/image.png`, { cookie: cookies.header(), referer: `${pb}/`, 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'no-cors' });
    expect(cookieSeenByA()).toBe('plain=p-1');
  });
});

async function guideOf(origin: string): Promise<Guide> {
  return {
    id: 'autre',
    organisation: 'CAF',
    title: 'Autre',
    summary: 'Test.',
    startUrl: `${origin}/`,
    allowedOrigins: [origin],
    visitorMayStart: true,
    steps: [{ title: 'a', text: 'a', picture: null, urlPattern: '/' }],
  };
}
