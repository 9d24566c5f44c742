// The configuration pushed from a real hub over loopback: versions published by the coordinator (behind its login, with
// hostile bodies, methods and origins), `config.apply` on sign-in and on publish, a booth-specific version, the booth's
// answers recorded (and hostile ones refused), and a roll back that republishes an older version as a new one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../../server/auth.js';
import { createCoordinatorStore } from '../../../../server/coordinator/index.js';
import { startHub, type RunningHub } from '../../../../server/hub.js';
import { agent, booth, waitFor, type RawClient } from '../hub/helpers.js';
import { sampleConfig } from './sample.js';

let hub: RunningHub;
let cookie: string;
let tokens: { gramat: string; figeac: string };
let ids: { gramat: number; figeac: number };
const clients: RawClient[] = [];

const api = (path: string, init: RequestInit = {}, withCookie = true) =>
  fetch(`${hub.httpUrl}${path}`, {
    ...init,
    headers: { 'Content-Type': 'application/json', ...(withCookie ? { Cookie: cookie } : {}), ...(init.headers as Record<string, string> | undefined) },
  });
const publish = (body: unknown, headers: Record<string, string> = {}) => api('/coordinator/api/config', { method: 'POST', body: JSON.stringify(body), headers });

/** 300 ids of 80 characters: each list is valid, both together are over the 48 KiB a configuration may weigh. */
const longIds = (prefix: string): string[] => Array.from({ length: 300 }, (_, i) => `${prefix}${'x'.repeat(75)}${String(i).padStart(4, '0')}`);

interface ApplyFrame {
  type: 'config.apply';
  version: number;
  config: { idleSeconds: number; organisations: Array<{ code: string; openingHours: unknown[] }> };
}

beforeAll(async () => {
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

describe('configuration versions over a real hub', () => {
  it('sends nothing before a version exists, then pushes each publish to the signed-in booths and records their answers', async () => {
    const g = await booth(hub.url, tokens.gramat);
    clients.push(g);
    const first = await publish({ target: 'all', config: sampleConfig({ idleSeconds: 60 }) });
    expect(first.status).toBe(201);
    const { version: v1 } = (await first.json()) as { version: number };
    const applied = (await g.next('config.apply')) as unknown as ApplyFrame;
    expect(applied).toMatchObject({ version: v1, config: { idleSeconds: 60 } });
    g.send({ type: 'config.applied', version: v1 });
    await waitFor(async () => (await hub.fleetConfig.booths()).find((b) => b.boothId === ids.gramat)?.appliedVersion === v1, 5_000, 'the applied version');

    // A booth signing in afterwards gets the current version at once.
    const f = await booth(hub.url, tokens.figeac);
    clients.push(f);
    expect(((await f.next('config.apply')) as unknown as ApplyFrame).version).toBe(v1);
    f.send({ type: 'config.refused', version: v1, code: 'UNKNOWN_GUIDE', detail: 'guide x absent de la borne' });
    await waitFor(async () => (await hub.fleetConfig.booths()).find((b) => b.boothId === ids.figeac)?.refused?.code === 'UNKNOWN_GUIDE', 5_000, 'the refusal');

    const listed = (await (await api('/coordinator/api/config')).json()) as { booths: Array<{ boothId: number; appliedVersion: number | null; expectedVersion: number | null }>; department: { version: number } };
    expect(listed.department.version).toBe(v1);
    expect(listed.booths.find((b) => b.boothId === ids.gramat)).toMatchObject({ appliedVersion: v1, expectedVersion: v1 });
  });

  it('a booth-specific version reaches only that booth and overrides the department’s until the next department version', async () => {
    const g = await booth(hub.url, tokens.gramat);
    const f = await booth(hub.url, tokens.figeac);
    clients.push(g, f);
    await g.next('config.apply');
    await f.next('config.apply');
    const r = await publish({ target: ids.gramat, config: sampleConfig({ idleSeconds: 300 }) });
    const { version: vb } = (await r.json()) as { version: number };
    expect(((await g.next('config.apply')) as unknown as ApplyFrame)).toMatchObject({ version: vb, config: { idleSeconds: 300 } });
    await expect(f.next('config.apply', undefined, 300)).rejects.toThrow();
    expect((await hub.fleetConfig.effectiveFor(ids.gramat))?.version).toBe(vb);
    expect((await hub.fleetConfig.effectiveFor(ids.figeac))?.version).toBeLessThan(vb);

    const all = (await (await publish({ target: 'all', config: sampleConfig({ idleSeconds: 45 }) })).json()) as { version: number };
    expect(((await g.next('config.apply')) as unknown as ApplyFrame).version).toBe(all.version);
    expect(((await f.next('config.apply')) as unknown as ApplyFrame).version).toBe(all.version);
  });

  it('rolls back by publishing an older version’s configuration again under a new number, for the same target', async () => {
    const g = await booth(hub.url, tokens.gramat);
    clients.push(g);
    await g.next('config.apply');
    const old = (await (await publish({ target: 'all', config: sampleConfig({ idleSeconds: 200 }) })).json()) as { version: number };
    await g.next('config.apply');
    await publish({ target: 'all', config: sampleConfig({ idleSeconds: 20 }) });
    await g.next('config.apply');
    const back = await api('/coordinator/api/config/rollback', { method: 'POST', body: JSON.stringify({ version: old.version }) });
    expect(back.status).toBe(201);
    const { version } = (await back.json()) as { version: number };
    expect(version).toBeGreaterThan(old.version);
    expect(((await g.next('config.apply')) as unknown as ApplyFrame)).toMatchObject({ version, config: { idleSeconds: 200 } });
    expect(await hub.fleetConfig.version(version)).toMatchObject({ rolledBackFrom: old.version, targetBooth: null });
    const one = (await (await api(`/coordinator/api/config/versions/${version}`)).json()) as { config: { idleSeconds: number } };
    expect(one.config.idleSeconds).toBe(200);
  });

  it('refuses hostile requests without publishing anything', async () => {
    const before = (await hub.fleetConfig.versions()).length;
    const cases: Array<[Response, number]> = [
      [await publish({ target: 'all', config: sampleConfig({ idleSeconds: 1 }) }), 400],
      [await publish({ target: 'all', config: { ...sampleConfig(), visitor: 'Jeanne' } }), 400],
      [await publish({ target: 'all', config: sampleConfig({ organisations: [] }) }), 400],
      [await publish({ target: 'all', config: sampleConfig({ guidesOffered: ['../../etc/passwd'] }) }), 400],
      [await publish({ target: 'all', config: sampleConfig({ organisations: [{ code: 'CAF', name: 'x', openingHours: [{ weekday: 8, from: '09:00', to: '10:00' }], correspondent: '' }] }) }), 400],
      [await publish({ target: 'all', config: sampleConfig({ guidesOffered: longIds('g'), documentsOffered: longIds('d') }) }), 413],
      [await publish({ target: 999_999, config: sampleConfig() }), 404],
      [await publish({ target: -1, config: sampleConfig() }), 400],
      [await publish({ target: '1 OR 1=1', config: sampleConfig() }), 400],
      [await publish({ config: sampleConfig() }), 400],
      [await publish(null), 400],
      [await api('/coordinator/api/config', { method: 'POST', body: '{"target":' }), 400],
      [await api('/coordinator/api/config', { method: 'POST', body: 'x'.repeat(300 * 1024) }), 413],
      [await publish({ target: 'all', config: sampleConfig() }, { Origin: 'http://evil.example' }), 403],
      [await api('/coordinator/api/config', { method: 'POST', body: JSON.stringify({ target: 'all', config: sampleConfig() }) }, false), 401],
      [await api('/coordinator/api/config', {}, false), 401],
      [await api('/coordinator/api/config', { method: 'DELETE' }), 405],
      [await api('/coordinator/api/config/rollback', { method: 'POST', body: JSON.stringify({ version: 123_456 }) }), 404],
      [await api('/coordinator/api/config/rollback', { method: 'POST', body: JSON.stringify({ version: '1' }) }), 400],
      [await api('/coordinator/api/config/versions/1e3'), 400],
      [await api('/coordinator/api/config/versions/99999'), 404],
      [await api('/coordinator/api/config/versions/1', { method: 'POST', body: '{}' }), 405],
      [await api('/coordinator/api/config/nothing'), 404],
    ];
    expect(cases.map(([r]) => r.status)).toEqual(cases.map(([, s]) => s));
    expect((await hub.fleetConfig.versions()).length).toBe(before);
  });

  it('answers a malformed booth answer BAD_FRAME, an agent’s FORBIDDEN, and ignores a version not meant for the booth', async () => {
    const f = await booth(hub.url, tokens.figeac);
    clients.push(f);
    await f.next('config.apply');
    const hostile: unknown[] = [
      { type: 'config.applied' },
      { type: 'config.applied', version: -3 },
      { type: 'config.applied', version: 1.5 },
      { type: 'config.applied', version: 1, extra: true },
      { type: 'config.refused', version: 1, code: 'ON_FIRE', detail: '' },
      { type: 'config.refused', version: 1, code: 'INVALID_CONFIG', detail: 'x'.repeat(501) },
      { type: 'config.apply', version: 1, config: {} },
    ];
    for (const frame of hostile) f.send(frame);
    const codes: string[] = [];
    for (let i = 0; i < hostile.length; i++) codes.push((await f.next('error')).code);
    expect(codes).toEqual(['BAD_FRAME', 'BAD_FRAME', 'BAD_FRAME', 'BAD_FRAME', 'BAD_FRAME', 'BAD_FRAME', 'BAD_FRAME']);

    // Gramat's own version (from the test above) is not Figeac's to claim.
    const gramatOnly = (await hub.fleetConfig.versions()).find((v) => v.targetBooth === ids.gramat);
    if (!gramatOnly) throw new Error('a version for Gramat was published above');
    const before = (await hub.fleetConfig.booths()).find((b) => b.boothId === ids.figeac)?.appliedVersion ?? null;
    f.send({ type: 'config.applied', version: gramatOnly.version });
    f.send({ type: 'ping', t: 1 });
    await f.next('pong');
    await hub.fleetConfig.settled();
    expect((await hub.fleetConfig.booths()).find((b) => b.boothId === ids.figeac)?.appliedVersion ?? null).toBe(before);

    const demo = hub.demo?.agents[0];
    if (!demo) throw new Error('the demo hub has agents');
    const a = await agent(hub.url, demo.login, demo.password, false);
    clients.push(a);
    a.send({ type: 'config.applied', version: 1 });
    expect((await a.next('error')).code).toBe('FORBIDDEN');
  });
});
