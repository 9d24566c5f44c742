// The fleet in a real hub over loopback: booths' health frames (role gate, malformed, too frequent), the coordinator's
// « Bornes » API behind its login (hostile ids, methods, bodies, origins), and a revocation that closes the socket at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../../server/auth.js';
import { createCoordinatorStore } from '../../../../server/coordinator/index.js';
import { startHub, type RunningHub } from '../../../../server/hub.js';
import { BoothEvent, BoothsResponse, AlertsResponse } from '../../../../shared/fleet.js';
import { agent, booth, waitFor, type RawClient } from '../hub/helpers.js';
import { health } from './sample.js';

let hub: RunningHub;
let cookie: string;
let tokens: { gramat: string; figeac: string };
let ids: { gramat: number; figeac: number };
const clients: RawClient[] = [];

const api = (path: string, init: RequestInit = {}, withCookie = true) =>
  fetch(`${hub.httpUrl}${path}`, { ...init, headers: { ...(withCookie ? { Cookie: cookie } : {}), ...(init.headers as Record<string, string> | undefined) } });
const booths = async (): Promise<BoothsResponse> => BoothsResponse.parse(await (await api('/coordinator/api/booths')).json());

beforeAll(async () => {
  // The periodic revocation check is made too slow to be what closes a socket in these tests.
  hub = await startHub({ host: '127.0.0.1', port: 0, dbFile: ':memory:', demo: true, revocationPollMs: 3_600_000 });
  const g = hub.store.addBooth('Relais de Gramat', Date.now());
  const f = hub.store.addBooth('Relais de Figeac', Date.now());
  tokens = { gramat: g.token, figeac: f.token };
  ids = { gramat: g.id, figeac: f.id };
  createCoordinatorStore(hub.store.db).add('coord.lot', await hashPassword('mot-de-passe-lot'), Date.now());
  const r = await fetch(`${hub.httpUrl}/coordinator/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: 'coord.lot', password: 'mot-de-passe-lot' }) });
  cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
});
afterAll(async () => {
  for (const c of clients) c.close();
  await hub.close();
});

describe('health frames', () => {
  it('keeps a booth’s report and shows it online with its problems; an agent sending one is FORBIDDEN', async () => {
    const b = await booth(hub.url, tokens.gramat);
    clients.push(b);
    b.send({ type: 'booth.health', health: health({ cameras: 0 }) });
    await waitFor(() => hub.fleet.counters.reports >= 1, 5_000, 'the report');
    const row = (await booths()).booths.find((x) => x.id === ids.gramat);
    expect(row).toMatchObject({ name: 'Relais de Gramat', online: true, problems: ['camera_missing'], revoked: false });
    expect(row?.health?.cameras).toBe(0);

    const demo = hub.demo?.agents[0];
    if (!demo) throw new Error('the demo hub has agents');
    const a = await agent(hub.url, demo.login, demo.password, false);
    clients.push(a);
    a.send({ type: 'booth.health', health: health() });
    expect((await a.next('error')).code).toBe('FORBIDDEN');
  });

  it('answers a malformed report BAD_FRAME and stores nothing of it', async () => {
    const b = await booth(hub.url, tokens.figeac);
    clients.push(b);
    const hostile: unknown[] = [
      { type: 'booth.health' },
      { type: 'booth.health', health: null },
      { type: 'booth.health', health: { ...health(), visitor: 'Jeanne Dupont' } },
      { type: 'booth.health', health: health({ version: '1.0.0<script>' }) },
      { type: 'booth.health', health: health({ cameras: -1 }) },
      { type: 'booth.health', health: health({ freeDiskBytes: 1e300 }) },
      { type: 'booth.health', health: health({ clockOffsetMs: Number.NaN }) },
      { type: 'booth.health', health: { ...health(), printer: { state: 'on fire', reasons: [] } } },
      { type: 'booth.health', health: { ...health(), printer: { state: 'idle', reasons: Array(50).fill('paused') } } },
      { type: 'booth.health', health: health(), extra: 1 },
    ];
    for (const frame of hostile) b.send(frame);
    for (let i = 0; i < hostile.length; i++) expect((await b.next('error')).code).toBe('BAD_FRAME');
    const row = (await booths()).booths.find((x) => x.id === ids.figeac);
    expect(row).toMatchObject({ online: true, health: null, reportedAt: null });
  });

  it('drops reports more frequent than one a second per booth, counted, without an error storm', async () => {
    const b = await booth(hub.url, tokens.figeac);
    clients.push(b);
    const before = { ...hub.fleet.counters };
    for (let i = 0; i < 20; i++) b.send({ type: 'booth.health', health: health({ uptimeS: i }) });
    b.send({ type: 'ping', t: 1 });
    await b.next('pong');
    expect(hub.fleet.counters.reports - before.reports).toBe(1);
    expect(hub.fleet.counters.dropped - before.dropped).toBe(19);
    expect(b.frames.filter((f) => f.type === 'error')).toEqual([]);
  });
});

describe('the coordinator’s fleet API', () => {
  it('refuses without the login cookie', async () => {
    for (const path of ['/coordinator/api/booths', '/coordinator/api/alerts', `/coordinator/api/booths/${ids.gramat}/history`]) {
      expect((await api(path, {}, false)).status).toBe(401);
    }
    expect((await api(`/coordinator/api/booths/${ids.gramat}/revoke`, { method: 'POST' }, false)).status).toBe(401);
  });

  it('gives a booth’s history newest first, and the alerts in progress', async () => {
    const r = await api(`/coordinator/api/booths/${ids.gramat}/history`);
    expect(r.status).toBe(200);
    const events = BoothEvent.array().parse(await r.json());
    expect(events.map((e) => e.kind)).toEqual(['problem_start', 'online']);
    expect(events[0]?.problem).toBe('camera_missing');
    expect(await (await api(`/coordinator/api/booths/${ids.gramat}/history?limit=1`)).json()).toHaveLength(1);
    expect(AlertsResponse.parse(await (await api('/coordinator/api/alerts')).json()).alerts).toEqual([]);
  });

  it('answers hostile ids, limits, methods and paths with 4xx, and keeps serving', async () => {
    const bad = ['0', '-1', '1.5', '1e3', '%20' + String(ids.gramat), '0x1', 'abc', '9999999999', '%00', '..%2F..%2Fetc', ''];
    for (const id of bad) expect([400, 404]).toContain((await api(`/coordinator/api/booths/${id}/history`)).status);
    expect((await api('/coordinator/api/booths/424242/history')).status).toBe(404);
    for (const limit of ['0', '-5', 'abc', '1e2', '99999', '']) expect((await api(`/coordinator/api/booths/${ids.gramat}/history?limit=${limit}`)).status).toBe(400);
    expect((await api('/coordinator/api/booths', { method: 'DELETE' })).status).toBe(405);
    expect((await api('/coordinator/api/alerts', { method: 'POST' })).status).toBe(405);
    expect((await api(`/coordinator/api/booths/${ids.gramat}/revoke`)).status).toBe(405);
    expect((await api(`/coordinator/api/booths/${ids.gramat}/history`, { method: 'PUT', body: 'x' })).status).toBe(405);
    expect((await api('/coordinator/api/booths/1/2/history')).status).toBe(404);
    expect((await api('/coordinator/api/booths/abc/revoke', { method: 'POST', body: '{"x":' })).status).toBe(400);
    expect((await api('/coordinator/api/booths/424242/revoke', { method: 'POST', body: Buffer.alloc(300_000, 1) })).status).toBe(404);
    expect((await api(`/coordinator/api/booths/${ids.gramat}/revoke`, { method: 'POST', headers: { Origin: 'https://evil.example' } })).status).toBe(403);
    expect((await booths()).booths.find((x) => x.id === ids.gramat)?.revoked).toBe(false);
  });

  it('revokes a booth and closes its socket at once (not at the next periodic check)', async () => {
    const b = await booth(hub.url, tokens.gramat);
    clients.push(b);
    const started = Date.now();
    const r = await api(`/coordinator/api/booths/${ids.gramat}/revoke`, { method: 'POST', headers: { Origin: hub.httpUrl } });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ revoked: true });
    expect((await b.closed).code).toBe(4003);
    expect(Date.now() - started).toBeLessThan(2_000);
    const row = (await booths()).booths.find((x) => x.id === ids.gramat);
    expect(row).toMatchObject({ revoked: true, online: false, problems: [] });
    expect(await (await api(`/coordinator/api/booths/${ids.gramat}/revoke`, { method: 'POST' })).json()).toEqual({ revoked: false });
  });
});
