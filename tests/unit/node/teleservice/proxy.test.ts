// The web shell's teleservice proxy against the e2e fake online service, over real loopback HTTP.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTeleserviceProxy, type ProxyEvent, type TeleserviceProxy } from '../../../../electron/services/teleservice/proxy.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import type { Guide } from '../../../../shared/guideSteps.js';
import { startFakeOnlineService, type FakeOnlineService } from '../../../e2e/support/fakeOnlineService.js';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** The browser's cookies of 127.0.0.1 (per host, not per port): where the proxy's entry links put each port's secret. */
let browserCookies = new Map<string, string>();

function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; anonymous?: boolean } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers = { ...options.headers };
    const stored = options.anonymous ? '' : [...browserCookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (stored) headers.cookie = headers.cookie ? `${headers.cookie}; ${stored}` : stored;
    const req = http.request(url, { method: options.method ?? 'GET', headers }, (res) => {
      for (const line of res.headers['set-cookie'] ?? []) {
        const [pair = ''] = line.split(';');
        const name = pair.slice(0, pair.indexOf('='));
        if (/max-age=0/i.test(line)) browserCookies.delete(name);
        else browserCookies.set(name, pair.slice(pair.indexOf('=') + 1));
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const navigate = { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'iframe' };

const guideFor = (origin: string, extraOrigins: string[] = []): Guide => ({
  id: 'service-factice',
  organisation: 'CAF',
  title: 'Service factice',
  summary: 'Test.',
  startUrl: `${origin}/`,
  allowedOrigins: [origin, ...extraOrigins],
  visitorMayStart: true,
  steps: [{ title: 'Se connecter', text: 'a', picture: null, urlPattern: '/' }],
});

let service: FakeOnlineService;
let downloadDir: string;
let events: ProxyEvent[];
let proxy: TeleserviceProxy;

beforeAll(async () => {
  service = await startFakeOnlineService();
});
afterAll(async () => {
  await service.close();
});
beforeEach(() => {
  browserCookies = new Map();
  downloadDir = mkdtempSync(join(tmpdir(), 'relais-proxy-'));
  events = [];
  proxy = createTeleserviceProxy({ logger: silentLogger(), downloadDir, onEvent: (e) => events.push(e), wipeGraceMs: 100 });
});
afterEach(async () => {
  await Promise.all(proxy.openSessionIds().map((id) => proxy.close(id)?.closed));
  rmSync(downloadDir, { recursive: true, force: true });
});

/** Loads the entry link as the frame does: each port's page sets its secret cookie and sends the frame on. */
async function enter(entryUrl: string): Promise<void> {
  let url: string | undefined = entryUrl;
  for (let hop = 0; url && new URL(url).pathname === '/__relais/debut' && hop < 10; hop += 1) {
    const reply: Reply = await request(url);
    const refresh = String(reply.headers.refresh ?? '').replace(/^0;url=/, '');
    url = refresh ? new URL(refresh, url).href : undefined;
  }
}

async function open(id: string) {
  const opened = await proxy.open(id, guideFor(service.origin));
  const origin = opened.origins[service.origin];
  if (!origin) throw new Error('no proxy origin');
  await enter(opened.entryUrl);
  return { ...opened, origin };
}

async function login(origin: string): Promise<Reply> {
  return request(`${origin}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...navigate }, body: 'identifiant=x' });
}

describe('teleservice proxy: session isolation', () => {
  it('serves each session from its own fresh loopback origin', async () => {
    const a = await open('A');
    const b = await open('B');
    expect(a.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(b.origin).not.toBe(a.origin);
    expect(a.entryUrl.startsWith(`${a.origin}/__relais/debut`)).toBe(true);
  });

  it('clears leftovers of the origin on entry, then goes to the start page', async () => {
    const { entryUrl } = await open('A');
    const reply = await request(entryUrl);
    expect(reply.headers['clear-site-data']).toBe('"cache", "storage"');
    expect(reply.headers.refresh).toBe('0;url=/');
  });

  it('never lets the entry page send the frame to another host', async () => {
    const { origin } = await open('A');
    for (const to of ['//evil.test/', '/\\evil.test/', 'https://evil.test/', '/a\r\nx: y']) {
      const reply = await request(`${origin}/__relais/debut?vers=${encodeURIComponent(to)}`);
      expect(reply.headers.refresh, to).toBe('0;url=/');
    }
  });

  it('enters every origin of the guide from one link: each port sets its own secret cookie, once, then the start page shows', async () => {
    const opened = await proxy.open('M', guideFor(service.origin, [service.foreignOrigin]));
    const main = opened.origins[service.origin]!;
    const other = opened.origins[service.foreignOrigin]!;
    const first = await request(opened.entryUrl, { headers: navigate });
    expect(first.headers['set-cookie']).toEqual([`relais_proxy_${new URL(main).port}=${browserCookies.get(`relais_proxy_${new URL(main).port}`)}; HttpOnly; SameSite=Strict; Path=/`]);
    const hop = String(first.headers.refresh).replace(/^0;url=/, '');
    expect(hop.startsWith(`${other}/__relais/debut?code=`)).toBe(true);
    const second = await request(hop, { headers: navigate });
    expect(String(second.headers['set-cookie'])).toMatch(new RegExp(`^relais_proxy_${new URL(other).port}=[\\w-]{43}; HttpOnly; SameSite=Strict; Path=/$`));
    expect(second.headers.refresh).toBe(`0;url=${main}/`);
    expect((await request(`${main}/espace`)).body).toContain('Non connecté');
    // The codes were used: the same links without the cookies are refused.
    expect((await request(opened.entryUrl, { anonymous: true })).status).toBe(403);
    expect((await request(hop, { anonymous: true })).status).toBe(403);
  });

  it('serves the wipe page only once the session is closing', async () => {
    const { origin } = await open('A');
    const early = await request(`${origin}/__relais/fin`);
    expect(early.status).toBe(404);
    expect(early.headers['clear-site-data']).toBeUndefined();
  });

  it('keeps the site cookies in the session jar: the browser never receives them, the site sees the login', async () => {
    const { origin } = await open('A');
    const reply = await login(origin);
    expect(reply.status).toBe(303);
    expect(reply.headers['set-cookie']).toBeUndefined();
    expect(reply.headers.location).toBe(`${origin}/espace`);
    const espace = await request(`${origin}/espace`, { headers: navigate });
    expect(espace.body).toContain('Connecté');
    expect(espace.body).not.toContain('Non connecté');
  });

  it('does not share one session login with another session', async () => {
    const a = await open('A');
    const b = await open('B');
    await login(a.origin);
    expect((await request(`${b.origin}/espace`)).body).toContain('Non connecté');
    expect((await request(`${a.origin}/espace`)).body).toContain('Connecté');
  });

  it('forgets the login when the session closes', async () => {
    const a = await open('A');
    await login(a.origin);
    const closing = proxy.close('A');
    expect(closing).not.toBeNull();
    const after = await request(`${a.origin}/espace`);
    expect(after.status).toBe(410);
    expect(after.body).toContain('Votre séance est fermée');
  });
});

describe('teleservice proxy: what reaches the site and the frame', () => {
  let echo: http.Server;
  let echoOrigin: string;
  beforeAll(async () => {
    // Not a JSON type: the proxy would rewrite the upstream origin inside the echoed body.
    echo = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(JSON.stringify(req.headers));
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    echoOrigin = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => echo.close(() => resolve()));
  });

  it('never forwards the browser cookies of 127.0.0.1 and maps Host, Origin and Referer to the site', async () => {
    const opened = await proxy.open('E', guideFor(echoOrigin));
    const origin = opened.origins[echoOrigin]!;
    await enter(opened.entryUrl);
    const reply = await request(`${origin}/api`, {
      headers: { cookie: 'relais-token=secret', origin, referer: `${origin}/page?x=1` },
    });
    const seen = JSON.parse(reply.body) as Record<string, string>;
    expect(seen.cookie).toBeUndefined();
    expect(seen.host).toBe(echoOrigin.replace('http://', ''));
    expect(seen.origin).toBe(echoOrigin);
    expect(seen.referer).toBe(`${echoOrigin}/page?x=1`);
  });

  it('removes the headers that keep the site out of a frame and restricts form targets', async () => {
    const { origin } = await open('A');
    const reply = await request(`${origin}/`);
    expect(reply.headers['x-frame-options']).toBeUndefined();
    expect(reply.headers['content-security-policy']).toBe(`form-action 'self' ${origin}`);
  });

  it('reports page navigations with the site URL, and not sub-resources', async () => {
    const { origin } = await open('A');
    await request(`${origin}/espace/declaration?t=1`, { headers: navigate });
    await request(`${origin}/espace/declaration/confirmation`);
    expect(events).toEqual([{ type: 'navigated', sessionId: 'A', url: `${service.origin}/espace/declaration?t=1` }]);
  });

  it('turns links to other sites into the "not available here" page, in French', async () => {
    const { origin } = await open('A');
    const page = await request(`${origin}/`);
    expect(page.body).not.toContain(`href="${service.foreignOrigin}/"`);
    const blockedHref = /id="foreign" href="([^"]+)"/.exec(page.body)?.[1] ?? '';
    expect(blockedHref.startsWith(`${origin}/__relais/bloque?origine=`)).toBe(true);
    const blocked = await request(blockedHref.replace(/&amp;/g, '&'));
    expect(blocked.body).toContain('Cette page n’est pas disponible ici');
    expect(events).toContainEqual({ type: 'blocked', sessionId: 'A', origin: service.foreignOrigin });
  });

  it('sends a redirect to another site to the "not available here" page', async () => {
    const { origin } = await open('A');
    const reply = await request(`${origin}/vers-ailleurs`, { headers: navigate });
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe(`${origin}/__relais/bloque?origine=${encodeURIComponent(service.foreignOrigin)}`);
  });

  it('shows a French page when the site cannot be reached', async () => {
    const dead = http.createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const deadOrigin = `http://127.0.0.1:${(dead.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    const opened = await proxy.open('D', guideFor(deadOrigin));
    await enter(opened.entryUrl);
    const reply = await request(`${opened.origins[deadOrigin]}/`);
    expect(reply.status).toBe(502);
    expect(reply.body).toContain('Le site ne répond pas');
    expect(events).toContainEqual({ type: 'upstream-error', sessionId: 'D', origin: deadOrigin });
  });
});

describe('teleservice proxy: downloads', () => {
  it('captures a PDF for the print service instead of letting the browser download it', async () => {
    const { origin } = await open('A');
    await login(origin);
    const reply = await request(`${origin}/espace/attestation.pdf`, { headers: navigate });
    expect(reply.status).toBe(204);
    const download = events.find((e) => e.type === 'download');
    expect(download).toMatchObject({ type: 'download', sessionId: 'A' });
    const path = (download as { path: string }).path;
    expect(path.startsWith(downloadDir)).toBe(true);
    const pdf = await PDFDocument.load(readFileSync(path));
    expect(pdf.getPageCount()).toBe(1);
  });

  it('refuses a file that is not a PDF', async () => {
    const { origin } = await open('A');
    const reply = await request(`${origin}/espace/notes.txt`, { headers: navigate });
    expect(reply.status).toBe(204);
    expect(events).toContainEqual({ type: 'download-refused', sessionId: 'A', reason: 'not-pdf' });
    expect(events.some((e) => e.type === 'download')).toBe(false);
  });
});

describe('teleservice proxy: end of session', () => {
  it('tells the browser to clear every origin of the session, then closes and deletes downloads', async () => {
    const proxy = createTeleserviceProxy({ logger: silentLogger(), downloadDir, onEvent: (e) => events.push(e), wipeGraceMs: 10_000 });
    const opened = await proxy.open('A', guideFor(service.origin, [service.foreignOrigin]));
    const main = opened.origins[service.origin]!;
    const other = opened.origins[service.foreignOrigin]!;
    await enter(opened.entryUrl);
    await request(`${main}/espace/attestation.pdf`, { headers: navigate });
    const path = (events.find((e) => e.type === 'download') as { path: string }).path;
    const closing = proxy.close('A')!;
    expect(closing.wipeUrl).toBe(`${main}/__relais/fin`);
    const wipe = await request(closing.wipeUrl);
    expect(wipe.headers['clear-site-data']).toBe('"cache", "storage"');
    expect(wipe.headers['set-cookie']).toEqual([`relais_proxy_${new URL(main).port}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`]);
    expect(wipe.body).toContain(`${other}/__relais/fin`);
    expect(wipe.body).toContain('Votre séance est fermée');
    await request(`${other}/__relais/fin`);
    expect(await closing.closed).toEqual({ browserCleared: true });
    expect(existsSync(path)).toBe(false);
    await expect(request(`${main}/`)).rejects.toThrow();
    expect(proxy.openSessionIds()).toEqual([]);
  });

  it('closes anyway after the grace delay when the frame never loads the wipe page', async () => {
    const quick = createTeleserviceProxy({ logger: silentLogger(), downloadDir, onEvent: () => undefined, wipeGraceMs: 50 });
    await quick.open('A', guideFor(service.origin));
    expect(await quick.close('A')!.closed).toEqual({ browserCleared: false });
    expect(quick.openSessionIds()).toEqual([]);
  });

  it('returns null when closing an unknown or already closing session', async () => {
    await open('A');
    expect(proxy.close('inconnu')).toBeNull();
    const first = proxy.close('A');
    expect(first).not.toBeNull();
    expect(proxy.close('A')).toBeNull();
    await first!.closed;
  });
});
