// Enrolment in a real hub over loopback HTTP: the coordinator creates a booth (behind its login, same origin only), the
// kiosk exchanges the code at POST /api/enrol for a token that signs in over the socket; used, wrong and hostile
// requests are refused with their codes and the hub keeps serving.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../../server/auth.js';
import { createCoordinatorStore } from '../../../../server/coordinator/index.js';
import { publicOrigin } from '../../../../server/enrolment/index.js';
import { startHub, type RunningHub } from '../../../../server/hub.js';
import { EnrolGranted, EnrolmentCreated, PendingEnrolments } from '../../../../shared/enrolment.js';
import { booth, connect, type RawClient } from '../hub/helpers.js';

let hub: RunningHub;
let cookie: string;
const clients: RawClient[] = [];

const coordinator = (path: string, init: RequestInit = {}, withCookie = true) =>
  fetch(`${hub.httpUrl}${path}`, { ...init, headers: { 'Content-Type': 'application/json', ...(withCookie ? { Cookie: cookie } : {}), ...(init.headers as Record<string, string> | undefined) } });
const enrol = (body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }) => fetch(`${hub.httpUrl}/api/enrol`, { method: 'POST', headers, body });
const create = async (name: string, commune: string): Promise<EnrolmentCreated> => {
  const r = await coordinator('/coordinator/api/enrolments', { method: 'POST', body: JSON.stringify({ name, commune }) });
  expect(r.status).toBe(201);
  return EnrolmentCreated.parse(await r.json());
};

beforeAll(async () => {
  // The periodic revocation check is made too slow to be what closes a socket here.
  hub = await startHub({ host: '127.0.0.1', port: 0, dbFile: ':memory:', revocationPollMs: 3_600_000, enrolLimits: { perLogin: 1_000, perAddress: 1_000, windowMs: 60_000 } });
  createCoordinatorStore(hub.store.db).add('coord.lot', await hashPassword('mot-de-passe-lot'), Date.now());
  const r = await fetch(`${hub.httpUrl}/coordinator/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: 'coord.lot', password: 'mot-de-passe-lot' }) });
  cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
});
afterAll(async () => {
  for (const c of clients) c.close();
  await hub.close();
});

describe('the coordinator creates a booth', () => {
  it('gets a code, the hub’s address and a QR code; the booth is listed waiting, and in « Bornes »', async () => {
    const created = await create('Mairie de Gramat', 'Gramat');
    expect(created.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(created.hubAddress).toBe(hub.httpUrl);
    const svg = Buffer.from(created.qrSvgDataUrl.split(',')[1] ?? '', 'base64').toString('utf8');
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const pending = PendingEnrolments.parse(await (await coordinator('/coordinator/api/enrolments')).json()).pending;
    expect(pending.map((p) => p.name)).toContain('Mairie de Gramat');
    expect((await hub.fleet.view()).booths.find((b) => b.id === created.boothId)).toMatchObject({ name: 'Mairie de Gramat', online: false });
  });

  it('refuses without the login, from another origin, and with hostile bodies', async () => {
    expect((await coordinator('/coordinator/api/enrolments', { method: 'POST', body: '{"name":"A","commune":"B"}' }, false)).status).toBe(401);
    expect((await coordinator('/coordinator/api/enrolments', { method: 'POST', body: '{"name":"A","commune":"B"}', headers: { Origin: 'https://evil.example' } })).status).toBe(403);
    for (const body of ['{"name":', '[]', 'null', '{"name":"","commune":"B"}', '{"name":"A"}', '{"name":"A","commune":"B","x":1}', JSON.stringify({ name: 'A'.repeat(81), commune: 'B' }), '{"name":1,"commune":2}']) {
      expect((await coordinator('/coordinator/api/enrolments', { method: 'POST', body })).status).toBe(400);
    }
    expect((await coordinator('/coordinator/api/enrolments', { method: 'POST', body: 'A'.repeat(200_000) })).status).toBe(413);
    expect((await coordinator('/coordinator/api/enrolments', { method: 'DELETE' })).status).toBe(405);
    expect((await coordinator('/coordinator/api/enrolments/0/renew', { method: 'POST' })).status).toBe(404);
    expect((await coordinator('/coordinator/api/enrolments/424242/renew', { method: 'POST' })).status).toBe(404);
  });
});

describe('POST /api/enrol', () => {
  it('exchanges the code once for a token that signs the booth in; the same code again is ENROL_CODE_USED', async () => {
    const created = await create('Relais de Figeac', 'Figeac');
    const r = await enrol(JSON.stringify({ code: created.code.toLowerCase().replace('-', ' ') }));
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const granted = EnrolGranted.parse(await r.json());
    expect(granted).toMatchObject({ boothId: created.boothId, name: 'Relais de Figeac' });
    const b = await booth(hub.url, granted.token);
    clients.push(b);
    expect(b.frames.find((f) => f.type === 'auth.ok')).toMatchObject({ role: 'booth', name: 'Relais de Figeac' });
    const again = await enrol(JSON.stringify({ code: created.code }));
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: 'ENROL_CODE_USED' });
  });

  it('refuses a wrong code ENROL_CODE_UNKNOWN and hostile input INVALID_INPUT, and keeps serving', async () => {
    const wrong = await enrol(JSON.stringify({ code: 'ZZZZ-ZZZZ' }));
    expect(wrong.status).toBe(404);
    expect(await wrong.json()).toEqual({ error: 'ENROL_CODE_UNKNOWN' });
    expect((await enrol(JSON.stringify({ code: '0000-OOOO' }))).status).toBe(404);
    for (const body of ['{"code":', 'null', '[]', '"ABCD-EFGH"', '{"code":12345678}', '{"code":null}', '{}', '{"code":"ABCD-EFGH","token":"x"}', JSON.stringify({ code: 'A'.repeat(65) }), '\u0000\u0001']) {
      const r = await enrol(body);
      expect(r.status, body).toBe(400);
      expect(await r.json()).toEqual({ error: 'INVALID_INPUT' });
    }
    expect((await enrol('{'.repeat(1_000_000))).status).toBe(413);
    expect((await fetch(`${hub.httpUrl}/api/enrol`)).status).toBe(405);
    expect((await fetch(`${hub.httpUrl}/healthz`)).status).toBe(200);
  });
});

describe('revoking an enrolled booth from the dashboard', () => {
  it('closes its socket at once, not at the next periodic check, and its token no longer signs in', async () => {
    const created = await create('Relais d’Allanche', 'Allanche');
    const granted = EnrolGranted.parse(await (await enrol(JSON.stringify({ code: created.code }))).json());
    const b = await booth(hub.url, granted.token);
    clients.push(b);
    const r = await coordinator(`/coordinator/api/booths/${granted.boothId}/revoke`, { method: 'POST', headers: { Origin: hub.httpUrl } });
    expect(await r.json()).toEqual({ revoked: true });
    expect((await b.next('error')).code).toBe('REVOKED');
    expect((await b.closed).code).toBe(4003);
    const again = await connect(hub.url);
    clients.push(again);
    again.send({ type: 'auth.booth', token: granted.token });
    expect((await again.next('error')).code).toBe('REVOKED');
  });
});

describe('guesses from one address', () => {
  it('are throttled with 429 once over the limit, even with the right code', async () => {
    const strict = await startHub({ host: '127.0.0.1', port: 0, dbFile: ':memory:', enrolLimits: { perLogin: 100, perAddress: 3, windowMs: 60_000 } });
    try {
      const { createEnrolmentStore } = await import('../../../../server/enrolment/store.js');
      const created = await createEnrolmentStore(strict.store).create('A', 'B', Date.now());
      const post = (code: string) => fetch(`${strict.httpUrl}/api/enrol`, { method: 'POST', body: JSON.stringify({ code }) });
      for (let i = 0; i < 3; i++) expect((await post('ZZZZ-ZZZZ')).status).toBe(404);
      const r = await post(created.code);
      expect(r.status).toBe(429);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await r.json()).toEqual({ error: 'ENROL_TOO_MANY_ATTEMPTS' });
    } finally {
      await strict.close();
    }
  });
});

describe('guesses through a reverse proxy', () => {
  const guess = (url: string, forwardedFor: string) => fetch(`${url}/api/enrol`, { method: 'POST', headers: { 'X-Forwarded-For': forwardedFor }, body: JSON.stringify({ code: 'ZZZZ-ZZZZ' }) });

  it('are counted per kiosk behind a trusted proxy: one kiosk throttled does not lock out the next', async () => {
    const proxied = await startHub({ host: '127.0.0.1', port: 0, dbFile: ':memory:', trustedProxies: ['127.0.0.1'], enrolLimits: { perLogin: 100, perAddress: 3, windowMs: 60_000 } });
    try {
      for (let i = 0; i < 3; i++) expect((await guess(proxied.httpUrl, '203.0.113.7')).status).toBe(404);
      expect((await guess(proxied.httpUrl, '203.0.113.7')).status).toBe(429);
      // A client's own X-Forwarded-For is kept on the left by the proxy, which appends the real peer: only that counts.
      expect((await guess(proxied.httpUrl, '198.51.100.1, 203.0.113.7')).status).toBe(429);
      expect((await guess(proxied.httpUrl, '203.0.113.8')).status).toBe(404);
    } finally {
      await proxied.close();
    }
  });

  it('cannot escape the limit by forging X-Forwarded-For when no proxy is trusted', async () => {
    const direct = await startHub({ host: '127.0.0.1', port: 0, dbFile: ':memory:', enrolLimits: { perLogin: 100, perAddress: 3, windowMs: 60_000 } });
    try {
      for (let i = 0; i < 3; i++) expect((await guess(direct.httpUrl, `203.0.113.${i}`)).status).toBe(404);
      expect((await guess(direct.httpUrl, '203.0.113.99')).status).toBe(429);
    } finally {
      await direct.close();
    }
  });
});

describe('the hub’s public address given with each code', () => {
  it('is the operator’s public origin behind a TLS proxy, not the plain-HTTP address the request came on', async () => {
    const proxied = await startHub({ host: '127.0.0.1', port: 0, dbFile: ':memory:', publicUrl: 'https://relais.cantal.fr/' });
    try {
      createCoordinatorStore(proxied.store.db).add('coord.tls', await hashPassword('mot-de-passe-tls'), Date.now());
      const login = await fetch(`${proxied.httpUrl}/coordinator/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: 'coord.tls', password: 'mot-de-passe-tls' }) });
      const session = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const r = await fetch(`${proxied.httpUrl}/coordinator/api/enrolments`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: session }, body: JSON.stringify({ name: 'MSAP de Riom', commune: 'Riom-ès-Montagnes' }) });
      expect(r.status).toBe(201);
      const created = EnrolmentCreated.parse(await r.json());
      expect(created.hubAddress).toBe('https://relais.cantal.fr');
      const svg = Buffer.from(created.qrSvgDataUrl.split(',')[1] ?? '', 'base64').toString('utf8');
      expect(svg.startsWith('<svg')).toBe(true);
    } finally {
      await proxied.close();
    }
  });

  it('takes an http(s) origin only, and says in French what is wrong with anything else', async () => {
    expect(publicOrigin('https://relais.cantal.fr')).toEqual({ origin: 'https://relais.cantal.fr' });
    expect(publicOrigin(' http://10.0.0.5:8787/ ')).toEqual({ origin: 'http://10.0.0.5:8787' });
    expect(publicOrigin('HTTPS://Relais.Cantal.FR:443')).toEqual({ origin: 'https://relais.cantal.fr' });
    const hostile = ['', 'relais.cantal.fr', 'ftp://relais.cantal.fr', 'javascript:alert(1)', 'https://user:pw@relais.cantal.fr', 'https://relais.cantal.fr/hub', 'https://relais.cantal.fr/?a=1', 'https://relais.cantal.fr/#x', 'https://', `https://${'a'.repeat(5000)}`, 'http://[::1', '\u0000'];
    for (const typed of hostile) {
      const r = publicOrigin(typed);
      expect('error' in r ? r.error : `accepted ${typed.slice(0, 60)}`).toMatch(/^Adresse publique du hub invalide/);
      if ('error' in r) expect(r.error.length).toBeLessThan(400);
    }
    await expect(startHub({ host: '127.0.0.1', port: 0, dbFile: ':memory:', publicUrl: 'ftp://relais.cantal.fr' })).rejects.toThrow(/Adresse publique du hub invalide/);
  });

  it('is refused at once by `npm run hub` when mistyped, on the command line or in RELAIS_PUBLIC_URL', { timeout: 30_000 }, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'relais-public-url-'));
    try {
      const run = (args: string[], env: Record<string, string> = {}) =>
        spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', '--port', '0', '--data-dir', dir, ...args], { env: { ...process.env, RELAIS_LOG_LEVEL: 'silent', ...env }, encoding: 'utf8', timeout: 20_000 });
      for (const r of [run(['--public-url', 'https://relais.cantal.fr/hub']), run([], { RELAIS_PUBLIC_URL: 'relais.cantal.fr' })]) {
        expect(r.status).toBe(1);
        expect(r.stderr).toMatch(/^Adresse publique du hub invalide/);
        expect(r.stdout).not.toContain('Hub prêt');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
