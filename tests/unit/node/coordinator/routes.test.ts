// The hub's coordinator routes: booths' weekly aggregates (Bearer token, idempotent per site and week), the coordinator's
// rate-limited login with an HttpOnly SameSite=Strict cookie, the dashboard as JSON and CSV, and the page itself.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../../server/auth.js';
import { createCoordinatorStore, siteIdOfBooth } from '../../../../server/coordinator/index.js';
import { startHub, type RunningHub } from '../../../../server/hub.js';

const NOW = Date.parse('2026-11-25T10:00:00+01:00'); // ISO week 2026-W48
let hub: RunningHub;
let staticDir: string;
let boothToken: string;
let boothId: number;

const payload = (counts: { organisation: string; service: string; count: number }[], hash: string) => ({ siteId: 'whatever-the-booth-says', week: '2026-W48', counts, hash });
const postAggregates = (body: unknown, token = boothToken) =>
  fetch(`${hub.httpUrl}/coordinator/api/aggregates`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
const login = (loginName: string, password: string) =>
  fetch(`${hub.httpUrl}/coordinator/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: loginName, password }) });

beforeAll(async () => {
  staticDir = mkdtempSync(path.join(tmpdir(), 'relais-coord-'));
  writeFileSync(path.join(staticDir, 'coordinator.html'), '<!doctype html><title>Tableau de bord</title>');
  hub = await startHub({ host: '127.0.0.1', port: 0, dbFile: ':memory:', staticDir, clock: () => NOW, attemptLimits: { perLogin: 5, perAddress: 50, windowMs: 60_000 } });
  const booth = hub.store.addBooth('Relais de Gramat', NOW);
  boothToken = booth.token;
  boothId = booth.id;
  createCoordinatorStore(hub.store.db).add('coord.lot', await hashPassword('mot-de-passe-lot'), NOW);
});
afterAll(async () => {
  await hub.close();
  rmSync(staticDir, { recursive: true, force: true });
});

describe('weekly aggregates from booths', () => {
  it('refuses a missing or unknown booth token with 401', async () => {
    expect((await postAggregates(payload([], 'h'.repeat(16)), 'rb_nope')).status).toBe(401);
    const r = await fetch(`${hub.httpUrl}/coordinator/api/aggregates`, { method: 'POST', body: '{}' });
    expect(r.status).toBe(401);
  });

  it('stores a week, answers unchanged for the same revision, and replaces it with a correction', async () => {
    const first = await postAggregates(payload([{ organisation: 'CAF', service: 'visio', count: 3 }], 'a'.repeat(16)));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ outcome: 'stored' });
    expect(await (await postAggregates(payload([{ organisation: 'CAF', service: 'visio', count: 3 }], 'a'.repeat(16)))).json()).toEqual({ outcome: 'unchanged' });
    const corrected = await postAggregates(payload([{ organisation: 'CAF', service: 'visio', count: 2 }, { organisation: 'CPAM', service: 'info', count: 4 }], 'b'.repeat(16)));
    expect(await corrected.json()).toEqual({ outcome: 'replaced' });
    const row = hub.store.db.prepare('SELECT total FROM aggregate_weeks WHERE site_id = ?').get(siteIdOfBooth(boothId)) as { total: number };
    expect(row.total).toBe(6);
  });

  it('refuses a malformed payload with 400 and keeps the stored week', async () => {
    const r = await postAggregates({ week: 'not-a-week', counts: 'x', hash: 'c'.repeat(16) });
    expect(r.status).toBe(400);
    const row = hub.store.db.prepare('SELECT total FROM aggregate_weeks WHERE site_id = ?').get(siteIdOfBooth(boothId)) as { total: number };
    expect(row.total).toBe(6);
  });

  it('refuses a revoked booth', async () => {
    const other = hub.store.addBooth('Relais révoqué', NOW);
    hub.store.revokeBooth(other.id, NOW);
    expect((await postAggregates(payload([], 'd'.repeat(16)), other.token)).status).toBe(401);
  });
});

describe('the coordinator', () => {
  it('cannot read the dashboard without signing in', async () => {
    expect((await fetch(`${hub.httpUrl}/coordinator/api/dashboard`)).status).toBe(401);
    expect((await fetch(`${hub.httpUrl}/coordinator/api/dashboard.csv`)).status).toBe(401);
  });

  it('signs in with an HttpOnly SameSite=Strict cookie and reads the grid per site and week as JSON and CSV', async () => {
    const r = await login('coord.lot', 'mot-de-passe-lot');
    expect(r.status).toBe(200);
    const cookie = r.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = cookie.split(';')[0] ?? '';
    const d = (await (await fetch(`${hub.httpUrl}/coordinator/api/dashboard?from=2026-W46&to=2026-W48`, { headers: { Cookie: session } })).json()) as {
      weeks: string[];
      sites: { siteName: string; cells: (number | null)[]; total: number }[];
      total: number;
    };
    expect(d.weeks).toEqual(['2026-W46', '2026-W47', '2026-W48']);
    const gramat = d.sites.find((s) => s.siteName === 'Relais de Gramat');
    expect(gramat?.cells).toEqual([null, null, 6]);
    expect(d.total).toBe(6);
    const csv = await fetch(`${hub.httpUrl}/coordinator/api/dashboard.csv?from=2026-W48&to=2026-W48`, { headers: { Cookie: session } });
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename=".*\.csv"/);
    expect(await csv.text()).toContain('Relais de Gramat;6;6');

    expect((await fetch(`${hub.httpUrl}/coordinator/api/dashboard?from=2026-W50&to=2026-W48`, { headers: { Cookie: session } })).status).toBe(400);
    const out = await fetch(`${hub.httpUrl}/coordinator/api/logout`, { method: 'POST', headers: { Cookie: session } });
    expect(out.status).toBe(200);
    expect((await fetch(`${hub.httpUrl}/coordinator/api/session`, { headers: { Cookie: session } })).status).toBe(401);
  });

  it('refuses a login from another origin', async () => {
    const r = await fetch(`${hub.httpUrl}/coordinator/api/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' },
      body: JSON.stringify({ login: 'coord.lot', password: 'mot-de-passe-lot' }),
    });
    expect(r.status).toBe(403);
  });

  it('throttles a login after five wrong passwords, even with the right one', async () => {
    for (let i = 0; i < 5; i++) expect((await login('coord.lot', 'faux-mot-de-passe')).status).toBe(401);
    const blocked = await login('coord.lot', 'mot-de-passe-lot');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('serves the dashboard page at /coordinator', async () => {
    const r = await fetch(`${hub.httpUrl}/coordinator`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await r.text()).toContain('Tableau de bord');
  });
});
