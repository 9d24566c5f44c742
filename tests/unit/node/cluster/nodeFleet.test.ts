// The fleet (« Bornes ») on a hub across machines: nodes in one process over the in-process bus and a real PostgreSQL.
// A booth's socket and health on one node are seen by the coordinator on another; a node that crashes has its booths
// marked offline by the others; a booth moving between nodes stays online; revoking from any node closes the socket; a
// booth created on one node is enrolled through another with its one-time code, once; a configuration published
// through one node reaches the booths of the others, and their answers are read on a third; a release uploaded through
// one node is offered, downloaded by ranges and reported through the others.
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../../server/auth.js';
import { createMemoryWorld, memoryBus, type MemoryWorld } from '../../../../server/cluster/memoryBus.js';
import { nodeIdFor, startHubNode, type RunningHubNode } from '../../../../server/cluster/node.js';
import { openPostgresStores, type PostgresStores } from '../../../../server/sharedStore/postgres.js';
import { ALWAYS_OPEN } from '../../../../server/store.js';
import type { BoothEvent, BoothsResponse } from '../../../../shared/fleet.js';
import { startPostgres, type RunningPostgres } from '../../../support/postgres.js';
import { health } from '../fleet/sample.js';
import { sampleConfig } from '../fleetConfig/sample.js';
import { createHash, randomBytes } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { booth, waitFor, type RawClient } from '../hub/helpers.js';

const TIMING = { checkMs: 100, leaseMs: 700, deadAfterMs: 700, graceMs: 400, blockMs: 200, resumeGraceMs: 1_500 };
const PASSWORD = 'mot-de-passe-de-test';

let server: RunningPostgres;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.stop();
});

let world: MemoryWorld;
let stores: PostgresStores;
let nodes: RunningHubNode[] = [];
let clients: RawClient[] = [];
afterEach(async () => {
  for (const c of clients) c.close();
  await Promise.all(nodes.map((n) => n.close()));
  nodes = [];
  clients = [];
  await stores.close();
});

async function cluster(n: number): Promise<RunningHubNode[]> {
  world = createMemoryWorld();
  stores = await openPostgresStores(await server.newDatabase(), { poolSize: 6 });
  await stores.store.seedOrganisations(ALWAYS_OPEN);
  await stores.evaluation.addCoordinator('coord.lot', await hashPassword(PASSWORD), Date.now());
  for (let i = 0; i < n; i++) {
    const bus = memoryBus(world, nodeIdFor(`n${i}`));
    nodes.push(await startHubNode({ bus, store: stores.store, evaluation: stores.evaluation, fleet: { store: stores.fleet(bus.nodeId) }, enrolment: stores.enrolment, fleetConfig: stores.fleetConfig, updates: { store: stores.updates, files: stores.releaseFiles }, publicUrl: 'https://relais.lot.example', timing: TIMING, revocationPollMs: 300, ...(process.env.RELAIS_TEST_LOG ? { logger: pino({ level: 'debug' }) } : {}) }));
  }
  return nodes;
}

/** The coordinator's session cookie on `node`, after checking the node offers the « Bornes » view. */
async function signedIn(node: RunningHubNode): Promise<string> {
  const login = await fetch(`${node.httpUrl}/coordinator/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: 'coord.lot', password: PASSWORD }) });
  expect(await login.json()).toEqual({ login: 'coord.lot', views: ['counts', 'booths', 'enrol', 'updates', 'config'] });
  return login.headers.get('set-cookie')!.split(';')[0]!;
}
async function boothsOn(node: RunningHubNode, cookie: string): Promise<BoothsResponse['booths']> {
  const res = await fetch(`${node.httpUrl}/coordinator/api/booths`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return ((await res.json()) as BoothsResponse).booths;
}
async function historyOn(node: RunningHubNode, cookie: string, id: number): Promise<BoothEvent['kind'][]> {
  const res = await fetch(`${node.httpUrl}/coordinator/api/booths/${id}/history`, { headers: { cookie } });
  return ((await res.json()) as BoothEvent[]).map((e) => e.kind);
}
const track = (c: RawClient): RawClient => {
  clients.push(c);
  return c;
};

describe('the fleet on a hub across machines', () => {
  it('shows on every node the booths of all: online, health, a crashed node’s booths offline, a moved booth online', async () => {
    const [a, b, c] = await cluster(3);
    const cookie = await signedIn(c!);
    const { id, token } = await stores.store.addBooth('Relais de Gramat', Date.now());
    const other = await stores.store.addBooth('Médiathèque de Vic', Date.now());

    // Signed in on node a, its report read on node c.
    const first = track(await booth(a!.url, token));
    first.send({ type: 'booth.health', health: health({ version: '1.7.0' }) });
    await waitFor(async () => (await boothsOn(c!, cookie)).find((r) => r.id === id)?.health?.version === '1.7.0', 5_000, 'the report seen on node c');
    expect((await boothsOn(c!, cookie)).map((r) => [r.name, r.online])).toEqual([
      ['Relais de Gramat', true],
      ['Médiathèque de Vic', false],
    ]);
    // The other booth on node b: both online as node a sees it.
    track(await booth(b!.url, other.token));
    await waitFor(async () => (await boothsOn(a!, await signedIn(a!))).every((r) => r.online), 5_000, 'both booths online on node a');

    // Node a crashes: the others mark its booth offline (not node b's), without a message from node a.
    await a!.crash();
    nodes = nodes.filter((n) => n !== a);
    await waitFor(async () => (await boothsOn(c!, cookie)).find((r) => r.id === id)?.online === false, 5_000, 'the crashed node’s booth offline');
    expect((await boothsOn(c!, cookie)).find((r) => r.id === other.id)?.online).toBe(true);
    expect(await historyOn(c!, cookie, id)).toEqual(['offline', 'online']);

    // The booth signs in again on node b, then moves to node c: node b drops its socket (REPLACED), and whatever node b
    // still writes of it (its close) does not put it offline.
    const second = track(await booth(b!.url, token));
    await waitFor(async () => (await boothsOn(c!, cookie)).find((r) => r.id === id)?.online === true, 5_000, 'the booth online again');
    const third = track(await booth(c!.url, token));
    expect((await second.closed).code).toBe(4001);
    await b!.close();
    nodes = nodes.filter((n) => n !== b);
    third.send({ type: 'presence.get' });
    await third.next('presence');
    expect((await boothsOn(c!, cookie)).find((r) => r.id === id)).toMatchObject({ online: true, health: expect.objectContaining({ version: '1.7.0' }) });
    // Newest first: the move may show as a brief offline (node b's close written before node c's sign-in), never last.
    const kinds = await historyOn(c!, cookie, id);
    expect(kinds[0]).toBe('online');
    expect(kinds.slice(-3)).toEqual(['online', 'offline', 'online']);
  });

  it('revokes a booth from the « Bornes » view of any node: its socket, held by another node, is closed', async () => {
    const [a, b] = await cluster(2);
    const cookie = await signedIn(b!);
    const { id, token } = await stores.store.addBooth('Relais de Gramat', Date.now());
    const kiosk = track(await booth(a!.url, token));
    await waitFor(async () => (await boothsOn(b!, cookie)).find((r) => r.id === id)?.online === true, 5_000, 'the booth online');
    const revoke = (target: string): Promise<Response> => fetch(`${b!.httpUrl}/coordinator/api/booths/${target}/revoke`, { method: 'POST', headers: { cookie, Origin: b!.httpUrl } });
    // Hostile ids and a foreign page are refused before anything is revoked.
    for (const bad of ['0', '-1', '1e3', '99999999999', '%00', 'abc']) expect((await revoke(bad)).status).toBe(400);
    expect((await fetch(`${b!.httpUrl}/coordinator/api/booths/${id}/revoke`, { method: 'POST', headers: { cookie, Origin: 'https://ailleurs.example' } })).status).toBe(403);
    expect((await revoke('424242')).status).toBe(404);
    const done = await revoke(String(id));
    expect(await done.json()).toEqual({ revoked: true });
    expect((await kiosk.closed).code).toBeGreaterThanOrEqual(4000);
    await waitFor(async () => (await boothsOn(b!, cookie)).find((r) => r.id === id)?.revoked === true, 5_000, 'the booth shown revoked');
    expect(await (await revoke(String(id))).json()).toEqual({ revoked: false });
  });

  it('creates a booth on one node; its code, spent through another, gives a token that signs in on a third, once', async () => {
    const [a, b, c] = await cluster(3);
    const cookie = await signedIn(a!);
    const created = await fetch(`${a!.httpUrl}/coordinator/api/enrolments`, { method: 'POST', headers: { cookie, Origin: a!.httpUrl, 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Relais de Lacapelle', commune: 'Lacapelle-Marival' }) });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { boothId: number; code: string; hubAddress: string };
    // The kiosk is told the load balancer's address, not the node's.
    expect(body.hubAddress).toBe('https://relais.lot.example');
    const pending = (await (await fetch(`${c!.httpUrl}/coordinator/api/enrolments`, { headers: { cookie } })).json()) as { pending: Array<{ boothId: number }> };
    expect(pending.pending.map((p) => p.boothId)).toEqual([body.boothId]);
    // A name with a control character is refused, whatever the store.
    const hostile = await fetch(`${a!.httpUrl}/coordinator/api/enrolments`, { method: 'POST', headers: { cookie, Origin: a!.httpUrl, 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Relais\u0000', commune: 'Figeac' }) });
    expect(hostile.status).toBe(400);

    const enrol = (base: string, code: string): Promise<Response> => fetch(`${base}/api/enrol`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code }) });
    const spent = await enrol(b!.httpUrl, body.code.toLowerCase());
    expect(spent.status).toBe(200);
    const { token } = (await spent.json()) as { token: string };
    expect((await enrol(c!.httpUrl, body.code)).status).toBe(409);
    track(await booth(c!.url, token));
    await waitFor(async () => (await boothsOn(a!, cookie)).find((r) => r.id === body.boothId)?.online === true, 5_000, 'the enrolled booth online');
    expect((await (await fetch(`${b!.httpUrl}/coordinator/api/enrolments`, { headers: { cookie } })).json()) as unknown).toEqual({ pending: [] });
  });

  it('sends a configuration published through one node to the booths of the others, and shows their answers on a third', async () => {
    const [a, b, c] = await cluster(3);
    const cookie = await signedIn(c!);
    const first = await stores.store.addBooth('Relais de Gramat', Date.now());
    const second = await stores.store.addBooth('Relais de Vic', Date.now());
    const onA = track(await booth(a!.url, first.token));
    const onB = track(await booth(b!.url, second.token));
    const publish = (body: unknown): Promise<Response> =>
      fetch(`${c!.httpUrl}/coordinator/api/config`, { method: 'POST', headers: { cookie, Origin: c!.httpUrl, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    // Hostile or unknown targets are refused, nothing published.
    expect((await publish({ target: 2 ** 40, config: sampleConfig() })).status).toBe(400);
    expect((await publish({ target: 424242, config: sampleConfig() })).status).toBe(404);
    expect((await publish({ target: 'all', config: { organisations: 'rien' } })).status).toBe(400);
    const published = await publish({ target: 'all', config: sampleConfig({ idleSeconds: 120 }) });
    expect(published.status).toBe(201);
    // Node c holds neither booth: each is sent the configuration by its own node, once.
    const [toA, toB] = await Promise.all([onA.next('config.apply', undefined, 5_000), onB.next('config.apply', undefined, 5_000)]);
    expect([toA.config.idleSeconds, toB.config.idleSeconds]).toEqual([120, 120]);
    onA.send({ type: 'config.applied', version: toA.version });
    onB.send({ type: 'config.refused', version: toB.version, code: 'APPLY_FAILED', detail: 'disque plein' });
    type Overview = { booths: Array<{ boothId: number; appliedVersion: number | null; refused: { code: string } | null }> };
    const overview = async (): Promise<Overview> => (await (await fetch(`${c!.httpUrl}/coordinator/api/config`, { headers: { cookie } })).json()) as Overview;
    await waitFor(async () => (await overview()).booths.every((x) => x.appliedVersion !== null || x.refused !== null), 5_000, 'both answers recorded');
    expect((await overview()).booths.map((x) => [x.boothId, x.appliedVersion, x.refused?.code ?? null])).toEqual([
      [first.id, toA.version, null],
      [second.id, null, 'APPLY_FAILED'],
    ]);
    // A booth signing in later, on any node, is sent it at once; none was sent twice.
    onB.close();
    const again = track(await booth(a!.url, second.token));
    expect((await again.next('config.apply', undefined, 5_000)).version).toBe(toB.version);
    expect(onA.frames.filter((f) => f.type === 'config.apply')).toHaveLength(1);
  });

  it('offers a release uploaded through one node, downloaded by ranges through another, its report read on a third', async () => {
    const [a, b, c] = await cluster(3);
    const cookie = await signedIn(a!);
    const { id, token } = await stores.store.addBooth('Relais de Gramat', Date.now());
    // A booth runs what it reports: 1.0.0.
    const kiosk = track(await booth(b!.url, token));
    kiosk.send({ type: 'booth.health', health: health({ version: '1.0.0' }) });
    await waitFor(async () => (await boothsOn(c!, cookie)).find((r) => r.id === id)?.health?.version === '1.0.0', 5_000, 'the report');
    // 3 MiB: more than one chunk in PostgreSQL.
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const api = (base: string, path: string, init: RequestInit = {}): Promise<Response> => fetch(`${base}${path}`, { ...init, headers: { cookie, Origin: base, ...(init.headers as Record<string, string>) } });
    const up = await api(a!.httpUrl, '/coordinator/api/releases/1.1.0/files/Relais-1.1.0.AppImage', { method: 'PUT', body: new Uint8Array(bytes) });
    expect(up.status).toBe(201);
    // Hostile names are refused before anything is stored.
    expect((await api(a!.httpUrl, '/coordinator/api/releases/1.1.0/files/..%2F..%2Fetc%2Fpasswd', { method: 'PUT', body: 'x' })).status).toBeGreaterThanOrEqual(400);
    const rollout = await api(b!.httpUrl, '/coordinator/api/releases/1.1.0/rollout', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ booths: [id], percent: 0, all: false, paused: false }) });
    expect(rollout.status).toBe(200);

    const bearer = { Authorization: `Bearer ${token}` };
    const feed = await fetch(`${c!.httpUrl}/updates/latest-linux.yml`, { headers: bearer });
    const m = parseYaml(await feed.text()) as { version: string; files: Array<{ url: string; sha512: string; size: number }> };
    expect(m.version).toBe('1.1.0');
    expect(m.files[0]).toEqual({ url: 'files/1.1.0/Relais-1.1.0.AppImage', sha512: createHash('sha512').update(bytes).digest('base64'), size: bytes.length });
    // Downloaded in two ranges through two nodes, as electron-updater resumes: the bytes are those uploaded.
    const cut = 1024 * 1024 + 5;
    const first = await fetch(`${b!.httpUrl}/updates/${m.files[0]!.url}`, { headers: { ...bearer, Range: `bytes=0-${cut - 1}` } });
    const rest = await fetch(`${c!.httpUrl}/updates/${m.files[0]!.url}`, { headers: { ...bearer, Range: `bytes=${cut}-` } });
    expect([first.status, rest.status]).toEqual([206, 206]);
    expect(Buffer.concat([Buffer.from(await first.arrayBuffer()), Buffer.from(await rest.arrayBuffer())]).equals(bytes)).toBe(true);
    expect((await fetch(`${c!.httpUrl}/updates/${m.files[0]!.url}`, { headers: { ...bearer, Range: `bytes=${bytes.length}-` } })).status).toBe(416);
    // No token, no file.
    expect((await fetch(`${c!.httpUrl}/updates/${m.files[0]!.url}`)).status).toBe(401);

    const reported = await fetch(`${a!.httpUrl}/updates/report`, { method: 'POST', headers: { ...bearer, 'Content-Type': 'application/json' }, body: JSON.stringify({ version: '1.1.0', outcome: 'updated', reason: null }) });
    expect(reported.status).toBe(200);
    const view = (await (await api(c!.httpUrl, '/coordinator/api/releases')).json()) as { booths: Array<{ id: number; lastReport: { outcome: string } | null }> };
    expect(view.booths.find((x) => x.id === id)?.lastReport?.outcome).toBe('updated');
  });

  it('a bus that forgets every node (Redis restarted empty) marks no booth offline; a node that dies after still has its booths marked', async () => {
    const [a, b, c] = await cluster(3);
    const cookie = await signedIn(a!);
    const onB = await stores.store.addBooth('Sur un nœud qui reste', Date.now());
    const onC = await stores.store.addBooth('Sur le nœud qui tombe', Date.now());
    track(await booth(b!.url, onB.token));
    track(await booth(c!.url, onC.token));
    await waitFor(async () => (await boothsOn(a!, cookie)).every((r) => r.online), 5_000, 'both booths online');
    // Every node vanishes from the bus until its next beat, as when Redis restarts empty (three times over): the first
    // node to look finds the others missing, and must not take them for dead.
    for (let i = 0; i < 3; i++) {
      world.nodes.clear();
      await waitFor(() => world.nodes.size === 3, 5_000, 'the three nodes beating again');
    }
    await c!.crash();
    nodes = nodes.filter((n) => n !== c);
    // The dead node's booth goes offline (deadAfterMs after it was last seen), later than any wrong reset would have.
    await waitFor(async () => (await boothsOn(a!, cookie)).find((r) => r.id === onC.id)?.online === false, 10_000, 'the dead node’s booth offline');
    expect((await boothsOn(a!, cookie)).find((r) => r.id === onB.id)?.online).toBe(true);
    expect(await historyOn(a!, cookie, onB.id)).toEqual(['online']);
  });
});
