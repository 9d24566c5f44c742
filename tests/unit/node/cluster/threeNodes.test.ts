// End to end, as a department would run it: three hub nodes (the real `npm run hub` bundle, one process each) over a
// real Redis and a real PostgreSQL, behind a real HAProxy, all on loopback, started and stopped by PID by this file.
// 100 calls across nodes; `kill -9` of the node owning CAF's queue while calls wait and ring; Redis restarted; `kill -9`
// of the node holding an agent mid-call; the booths behind HAProxy sign in again on the nodes left.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_CLUSTER_NODE_FLAGS, buildHub } from '../../../../build/scripts/build-hub.mjs';
import { hashPassword } from '../../../../server/auth.js';
import type { CallRecord } from '../../../../server/calls.js';
import { openPostgresStores, type PostgresStores } from '../../../../server/sharedStore/postgres.js';
import { AGGREGATES_PATH } from '../../../../shared/aggregates.js';
import type { SharedHubStore } from '../../../../server/sharedStore/types.js';
import { ALWAYS_OPEN } from '../../../../server/store.js';
import { freeLoopbackPort, startChild, stopChild, type StartedChild } from '../../../support/childServer.js';
import { startHaproxy, type RunningHaproxy } from '../../../support/haproxy.js';
import { startPostgres, type RunningPostgres } from '../../../support/postgres.js';
import { startRedis, type RunningRedis } from '../../../support/redis.js';
import { connect, waitFor, type RawClient } from '../hub/helpers.js';

const PASSWORD = 'mot-de-passe-de-test';
const AGENTS_PER_NODE = 2;
const CALLS = 100;

interface NodeProcess {
  name: string;
  port: number;
  url: string;
  httpUrl: string;
  proc: StartedChild;
  alive: boolean;
}

let pgServer: RunningPostgres;
let redis: RunningRedis;
let haproxy: RunningHaproxy;
let store: SharedHubStore;
let stores: PostgresStores;
const nodes: NodeProcess[] = [];
const clients: RawClient[] = [];
const tokens: string[] = [];

async function health(n: NodeProcess): Promise<{ owns: string[]; sockets: number; links: { out: number; in: number; viaLink: number; viaBus: number } }> {
  const r = await fetch(`${n.httpUrl}/healthz`);
  return (await r.json()) as { owns: string[]; sockets: number; links: { out: number; in: number; viaLink: number; viaBus: number } };
}
async function ownerOf(org: string): Promise<NodeProcess> {
  let found: NodeProcess | undefined;
  const end = Date.now() + 15_000;
  while (!found && Date.now() < end) {
    for (const n of nodes.filter((x) => x.alive)) if ((await health(n)).owns.includes(org)) found = n;
    if (!found) await new Promise((r) => setTimeout(r, 100));
  }
  if (!found) throw new Error(`no node owns ${org}`);
  return found;
}
function kill9(n: NodeProcess): void {
  n.alive = false;
  process.kill(n.proc.pid, 'SIGKILL');
}
const track = <T extends RawClient>(c: T): T => {
  clients.push(c);
  return c;
};
async function boothOn(url: string, token: string): Promise<RawClient> {
  const c = track(await connect(url));
  c.send({ type: 'auth.booth', token });
  await c.next('auth.ok');
  return c;
}
/**
 * An agent signed in and available. Its node learns the count of available agents from CAF's owner, maybe on another
 * node: `presence.get` is asked until it shows this agent (the one-machine helper waits for one broadcast instead).
 */
async function agent(url: string, login: string, password: string): Promise<RawClient> {
  const c = track(await connect(url));
  c.send({ type: 'auth.agent', login, password });
  await c.next('auth.ok');
  c.send({ type: 'agent.status', status: 'available' });
  const end = Date.now() + 10_000;
  for (;;) {
    c.send({ type: 'presence.get' });
    const p = await c.next('presence');
    if (p.organisations.some((o) => o.code === 'CAF' && o.agentsAvailable > 0)) return c;
    if (Date.now() > end) throw new Error(`${login}: never shown available`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
async function recordsOf(match: (r: CallRecord) => boolean, count: number): Promise<CallRecord[]> {
  const end = Date.now() + 10_000;
  for (;;) {
    const found = (await store.calls(10_000)).filter(match);
    if (found.length >= count || Date.now() > end) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  const bundle = await buildHub();
  [pgServer, redis] = await Promise.all([startPostgres(), startRedis()]);
  stores = await openPostgresStores(pgServer.url);
  store = stores.store;
  await store.seedOrganisations(ALWAYS_OPEN);
  const hash = await hashPassword(PASSWORD);
  for (let i = 0; i < 3 * AGENTS_PER_NODE + 3; i++) await store.addAgent({ organisation: 'CAF', login: `caf${i}`, displayName: `Agent ${i}`, passwordHash: hash }, Date.now());
  for (let i = 0; i < CALLS + 10; i++) tokens.push((await store.addBooth(`Site ${i}`, Date.now())).token);
  for (let i = 0; i < 3; i++) {
    const port = await freeLoopbackPort();
    const proc = await startChild(
      process.execPath,
      [...HUB_CLUSTER_NODE_FLAGS, bundle, '--redis', redis.url, '--postgres', pgServer.url, '--node-id', `n${i}`, '--port', String(port), '--host', '127.0.0.1'],
      { ready: (out) => out.includes('prêt'), timeoutMs: 20_000, cwd: path.resolve('.') },
    );
    nodes.push({ name: `n${i}`, port, url: `ws://127.0.0.1:${port}/hub`, httpUrl: `http://127.0.0.1:${port}`, proc, alive: true });
  }
  haproxy = await startHaproxy(nodes.map((n) => ({ host: '127.0.0.1', port: n.port })));
  // The nodes spread the six organisations between them: two each, then the scenarios start.
  const end = Date.now() + 20_000;
  for (;;) {
    const owns = (await Promise.all(nodes.map(health))).map((h) => h.owns.length);
    if (owns.every((n) => n === 2)) break;
    if (Date.now() > end) throw new Error(`organisations not spread over the nodes: ${owns.join('/')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}, 120_000);

afterAll(async () => {
  for (const c of clients) c.ws.terminate();
  await haproxy?.stop();
  for (const n of nodes) if (n.alive) await stopChild(n.proc.child);
  await store?.close();
  await redis?.stop();
  await pgServer?.stop();
}, 60_000);

describe('hub on three nodes behind HAProxy, over Redis and PostgreSQL', () => {
  /** Booths behind HAProxy: each signs in again through it when its node goes (the kiosk's reconnection). */
  const viaProxy: Array<{ client: RawClient; token: string; signedInAt: number; lostAt: number | null }> = [];
  async function keepSignedIn(entry: (typeof viaProxy)[number]): Promise<void> {
    entry.client.closed.then(async () => {
      if (stopping) return;
      entry.lostAt = Date.now();
      for (;;) {
        try {
          entry.client = await boothOn(`${haproxy.url}/hub`, entry.token);
          entry.signedInAt = Date.now();
          void keepSignedIn(entry);
          return;
        } catch {
          if (stopping) return;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }, () => undefined);
  }
  let stopping = false;
  afterAll(() => {
    stopping = true;
  });

  it('answers 100 calls of booths spread by HAProxy over the nodes, each by exactly one agent on any node', async () => {
    const agents: RawClient[] = [];
    for (const [i, n] of nodes.entries()) for (let j = 0; j < AGENTS_PER_NODE; j++) agents.push(track(await agent(n.url, `caf${i * AGENTS_PER_NODE + j}`, PASSWORD)));
    const acceptedBy = new Map<string, number>();
    const offers = new Map<string, unknown>();
    for (const a of agents) {
      a.ws.on('message', (data) => {
        const f = JSON.parse(String(data)) as { type: string; callId?: string; data?: unknown };
        if (f.type === 'call.ringing') a.send({ type: 'call.accept', callId: f.callId });
        if (f.type === 'call.accepted' && f.callId) acceptedBy.set(f.callId, (acceptedBy.get(f.callId) ?? 0) + 1);
        // The booth's offer reached the agent (over the nodes' direct link when they differ): it answers.
        if (f.type === 'signal' && f.callId) {
          offers.set(f.callId, f.data);
          a.send({ type: 'signal', callId: f.callId, data: { sdp: `réponse ${f.callId}` } });
        }
      });
    }
    for (let i = 0; i < CALLS; i++) {
      const entry = { client: await boothOn(`${haproxy.url}/hub`, tokens[i]!), token: tokens[i]!, signedInAt: Date.now(), lostAt: null };
      viaProxy.push(entry);
      void keepSignedIn(entry);
    }
    // HAProxy spread the booths: every node holds some.
    const spread = await Promise.all(nodes.map(health));
    for (const h of spread) expect(h.sockets).toBeGreaterThan(AGENTS_PER_NODE + 10);
    await Promise.all(viaProxy.map(async ({ client }) => client.send({ type: 'call.request', organisation: 'CAF' })));
    const accepted = await Promise.all(
      viaProxy.map(async ({ client }) => {
        const a = await client.next('call.accepted', undefined, 60_000);
        client.send({ type: 'signal', callId: a.callId, data: { sdp: `offre ${a.callId}` } });
        expect((await client.next('signal', undefined, 30_000)).data).toEqual({ sdp: `réponse ${a.callId}` });
        // The booth hangs up once answered. (Across nodes, a signal the other side sends just before hanging up may reach
        // this side after its `call.ended`, and is dropped then: the call is over.)
        client.send({ type: 'call.hangup', callId: a.callId });
        return a;
      }),
    );
    await Promise.all(viaProxy.map(({ client }) => client.next('call.ended', undefined, 30_000)));
    for (const a of accepted) expect(offers.get(a.callId)).toEqual({ sdp: `offre ${a.callId}` });
    // Each node has a direct link to the two others, and the signals between nodes went over them.
    const links = (await Promise.all(nodes.map(health))).map((h) => h.links);
    for (const l of links) expect(l).toMatchObject({ out: 2, in: 2 });
    expect(links.reduce((sum, l) => sum + l.viaLink, 0)).toBeGreaterThan(0);
    expect(new Set(accepted.map((a) => a.callId)).size).toBe(CALLS);
    await waitFor(() => accepted.every((a) => acceptedBy.has(a.callId)), 10_000, 'every agent side told');
    for (const a of accepted) expect(acceptedBy.get(a.callId)).toBe(1);
    for (const { client } of viaProxy) expect(client.frames.filter((f) => f.type === 'call.accepted')).toHaveLength(1);
    const answered = await recordsOf((r) => r.outcome === 'answered', CALLS);
    expect(answered).toHaveLength(CALLS);
    for (const a of agents) a.close();
  }, 120_000);

  it('keeps the coordinator\'s counts and booths in PostgreSQL: a week sent to one node is on the dashboard of another and through HAProxy', async () => {
    await stores.evaluation.addCoordinator('coord.lot', await hashPassword(PASSWORD), Date.now());
    const week = (n: number) => ({ siteId: 'booth-xxxx', week: '2026-W49', counts: [{ organisation: 'CAF', service: 'visio', count: n }], hash: `revision-${n}-0000` });
    const post = (base: string, token: string, n: number) =>
      fetch(`${base}${AGGREGATES_PATH}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(week(n)) }).then((r) => r.json());
    // Two booths, each to another node; the second sends its week again, revised, through HAProxy.
    expect(await post(nodes[0]!.httpUrl, tokens[0]!, 3)).toEqual({ outcome: 'stored' });
    expect(await post(nodes[1]!.httpUrl, tokens[1]!, 5)).toEqual({ outcome: 'stored' });
    expect(await post(haproxy.url.replace('ws:', 'http:'), tokens[1]!, 7)).toEqual({ outcome: 'replaced' });
    const login = await fetch(`${nodes[2]!.httpUrl}/coordinator/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: 'coord.lot', password: PASSWORD }) });
    // The nodes serve the counts, the fleet's booths, their enrolment, the appointments, updates and configuration, all in PostgreSQL.
    expect(await login.json()).toEqual({ login: 'coord.lot', views: ['counts', 'booths', 'enrol', 'appointments', 'updates', 'config'] });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const month = (await (await fetch(`${haproxy.url.replace('ws:', 'http:')}/coordinator/api/appointments?month=2026-12`, { headers: { cookie } })).json()) as { month: string; rows: unknown[] };
    expect(month).toMatchObject({ month: '2026-12', rows: expect.any(Array) });
    const booths = (await (await fetch(`${haproxy.url.replace('ws:', 'http:')}/coordinator/api/booths`, { headers: { cookie } })).json()) as { booths: Array<{ name: string }> };
    expect(booths.booths).toHaveLength(tokens.length);
    expect(booths.booths[0]?.name).toBe('Site 0');
    for (const base of [nodes[2]!.httpUrl, nodes[0]!.httpUrl, haproxy.url.replace('ws:', 'http:')]) {
      const d = (await (await fetch(`${base}/coordinator/api/dashboard?from=2026-W49&to=2026-W49`, { headers: { cookie } })).json()) as { total: number; sites: Array<{ siteName: string; cells: unknown[] }> };
      expect(d.total, base).toBe(10);
      expect(d.sites.map((x) => [x.siteName, x.cells[0]])).toEqual([
        ['Site 0', 3],
        ['Site 1', 7],
      ]);
    }
  });

  it('kill -9 of the node owning the queue while calls wait and ring: every call answered, in order, none twice; its booths sign in again elsewhere', async () => {
    const owner = await ownerOf('CAF');
    const others = nodes.filter((n) => n.alive && n !== owner);
    const caf = track(await agent(others[1]!.url, 'caf6', PASSWORD));
    const kiosks: RawClient[] = [];
    for (let i = 0; i < 4; i++) {
      const k = await boothOn(others[i % 2]!.url, tokens[CALLS + i]!);
      kiosks.push(k);
      k.send({ type: 'call.request', organisation: 'CAF' });
      await k.next('queue.position', (p) => p.position === i + 1, 10_000);
    }
    const first = await caf.next('call.ringing', undefined, 10_000);
    const onOwner = (await health(owner)).sockets;
    expect(onOwner).toBeGreaterThan(0);
    const killedAt = Date.now();
    kill9(owner);
    caf.send({ type: 'call.accept', callId: first.callId });
    const order: string[] = [];
    let ring = first;
    for (let i = 0; i < 4; i++) {
      if (i > 0) {
        ring = await caf.next('call.ringing', (r) => !order.includes(r.siteName), 20_000);
        caf.send({ type: 'call.accept', callId: ring.callId });
      }
      const acc = await kiosks[i]!.next('call.accepted', undefined, 20_000);
      expect(acc.callId).toBe(ring.callId);
      order.push(ring.siteName);
      caf.send({ type: 'call.hangup', callId: ring.callId });
      await kiosks[i]!.next('call.ended', undefined, 10_000);
    }
    expect(order).toEqual([0, 1, 2, 3].map((i) => `Site ${CALLS + i}`));
    for (const k of kiosks) expect(k.frames.filter((f) => f.type === 'call.accepted')).toHaveLength(1);
    expect(await ownerOf('CAF')).not.toBe(owner);
    // The booths HAProxy had put on the dead node are signed in again on the others.
    const moved = viaProxy.filter((e) => e.lostAt !== null && e.lostAt >= killedAt);
    expect(moved.length).toBeGreaterThan(0);
    await waitFor(() => moved.every((e) => e.signedInAt > e.lostAt!), 20_000, 'booths signed in again');
    const times = moved.map((e) => e.signedInAt - killedAt).sort((a, b) => a - b);
    process.stdout.write(`failover: ${moved.length} booths signed in again, median ${times[Math.floor(times.length / 2)]} ms after kill -9\n`);
    caf.close();
  }, 120_000);

  it('recovers from Redis restarted empty: the nodes, not restarted, put a call through again', async () => {
    const alive = nodes.filter((n) => n.alive);
    const caf = track(await agent(alive[0]!.url, 'caf7', PASSWORD));
    await redis.restart();
    const kiosk = await boothOn(alive[1]!.url, tokens[CALLS + 5]!);
    const end = Date.now() + 20_000;
    // Until an owner holds CAF again and knows the agent, a call may be told « no agent »: the booth asks again.
    for (;;) {
      kiosk.send({ type: 'call.request', organisation: 'CAF' });
      const f = await kiosk.nextOf(['queue.position', 'call.unavailable', 'error'], 10_000);
      if (f.type === 'queue.position') break;
      if (Date.now() > end) throw new Error('no call placed after the Redis restart');
      await new Promise((r) => setTimeout(r, 200));
    }
    const ring = await caf.next('call.ringing', undefined, 10_000);
    caf.send({ type: 'call.accept', callId: ring.callId });
    await kiosk.next('call.accepted', undefined, 10_000);
    caf.send({ type: 'call.hangup', callId: ring.callId });
    await kiosk.next('call.ended', undefined, 10_000);
    caf.close();
  }, 60_000);

  it('kill -9 of the node holding an agent mid-call: the booth is told once the grace is over, the visit recorded once; a call whose booth was there goes on through HAProxy', async () => {
    const alive = nodes.filter((n) => n.alive);
    const owner = await ownerOf('CAF');
    // With two nodes left: the agent on the one that does not own CAF (else the owner would go too).
    const agentNode = alive.find((n) => n !== owner) ?? alive[0]!;
    const boothNode = owner;
    const caf = track(await agent(agentNode.url, 'caf5', PASSWORD));
    const kiosk = await boothOn(boothNode.url, tokens[CALLS + 6]!);
    kiosk.send({ type: 'call.request', organisation: 'CAF' });
    const ring = await caf.next('call.ringing', undefined, 10_000);
    caf.send({ type: 'call.accept', callId: ring.callId });
    await kiosk.next('call.accepted', undefined, 10_000);
    // A second call the other way round: its booth on the node about to die, its agent on the one that stays.
    const staying = track(await agent(owner.url, 'caf8', PASSWORD));
    const movingToken = tokens[CALLS + 7]!;
    const moving = await boothOn(agentNode.url, movingToken);
    moving.send({ type: 'call.request', organisation: 'CAF' });
    const ring2 = await staying.next('call.ringing', undefined, 10_000);
    staying.send({ type: 'call.accept', callId: ring2.callId });
    await moving.next('call.accepted', undefined, 10_000);
    const killedAt = Date.now();
    kill9(agentNode);
    // The moving booth signs in again through HAProxy (which takes the dead node out of its pool) and resumes.
    let back: RawClient | null = null;
    while (!back) {
      try {
        back = await boothOn(`${haproxy.url}/hub`, movingToken);
      } catch {
        if (Date.now() - killedAt > 10_000) throw new Error('the booth could not sign in again through HAProxy');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    back.send({ type: 'call.resume', callId: ring2.callId, organisation: 'CAF' });
    await back.next('call.resumed', undefined, 10_000);
    await staying.next('call.resumed', undefined, 10_000);
    back.send({ type: 'signal', callId: ring2.callId, data: { type: 'candidate', from: 'booth' } });
    expect((await staying.next('signal', undefined, 5_000)).data).toEqual({ type: 'candidate', from: 'booth' });
    staying.send({ type: 'signal', callId: ring2.callId, data: { type: 'candidate', from: 'agent' } });
    expect((await back.next('signal', undefined, 5_000)).data).toEqual({ type: 'candidate', from: 'agent' });
    // The first call's agent does not come back: its booth is told once the dead node's time and the grace are over.
    const ended = await kiosk.next('call.ended', undefined, 25_000);
    expect(ended).toMatchObject({ callId: ring.callId, reason: 'peer_lost' });
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(10_000);
    const recorded = await recordsOf((r) => r.id === ring.callId, 1);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ outcome: 'answered', reason: 'peer_lost' });
    // The second goes on past it, and ends when its agent hangs up.
    expect(staying.frames.filter((f) => f.type === 'call.ended')).toEqual([]);
    staying.send({ type: 'call.hangup', callId: ring2.callId });
    expect(await back.next('call.ended', undefined, 10_000)).toMatchObject({ callId: ring2.callId, reason: 'hangup_agent' });
    const second = await recordsOf((r) => r.id === ring2.callId, 1);
    expect(second).toHaveLength(1);
    expect(second[0]).toMatchObject({ outcome: 'answered', reason: 'hangup_agent' });
  }, 90_000);
});
