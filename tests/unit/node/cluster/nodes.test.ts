// The hub across machines, as nodes in one process: the same scenarios on the in-process bus and on a real Redis.
// Calls from a booth on one node to an agent on another, queue order across nodes, the owner of an organisation
// crashing while calls wait and ring, an agent's node crashing mid-call, and (Redis) a Redis restarted empty.
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../../server/auth.js';
import type { CallRecord } from '../../../../server/calls.js';
import { startHubNode, type RunningHubNode } from '../../../../server/cluster/node.js';
import { Redis } from 'ioredis';
import { sqliteSharedStore } from '../../../../server/sharedStore/sqlite.js';
import type { SharedHubStore } from '../../../../server/sharedStore/types.js';
import { sqliteEvaluationStore, type EvaluationStore } from '../../../../server/sharedStore/evaluation.js';
import { AGGREGATES_PATH } from '../../../../shared/aggregates.js';
import { ALWAYS_OPEN, createHubStore, openHubDb } from '../../../../server/store.js';
import { agent, booth, waitFor, type RawClient } from '../hub/helpers.js';
import { clusterBuses, type BusKind } from './buses.js';

const TIMING = { checkMs: 100, leaseMs: 700, deadAfterMs: 700, graceMs: 400, blockMs: 200, resumeGraceMs: 1_500 };
const PASSWORD = 'mot-de-passe-de-test';

describe.each<BusKind>(['memory', 'redis'])('hub across machines on the %s bus', (kind) => {
  const buses = clusterBuses(kind);
  let store: SharedHubStore;
  let evaluation: EvaluationStore;
  let nodes: RunningHubNode[] = [];
  let clients: RawClient[] = [];

  afterEach(async () => {
    for (const c of clients) c.close();
    await Promise.all(nodes.map((n) => n.close()));
    nodes = [];
    clients = [];
    await store.close();
  });

  /** `n` nodes over a fresh store and bus, three CAF agents' accounts, the organisations spread. */
  async function cluster(n: number, extra: { link?: false } = {}): Promise<RunningHubNode[]> {
    buses.fresh();
    const hub = createHubStore(openHubDb(':memory:'));
    store = sqliteSharedStore(hub);
    evaluation = sqliteEvaluationStore(hub.db);
    await store.seedOrganisations(ALWAYS_OPEN);
    const hash = await hashPassword(PASSWORD);
    for (let i = 1; i <= 3; i++) await store.addAgent({ organisation: 'CAF', login: `caf${i}`, displayName: `Agent CAF ${i}`, passwordHash: hash }, Date.now());
    for (let i = 0; i < n; i++) nodes.push(await startHubNode({ bus: await buses.busFor(`n${i}`), store, evaluation, timing: TIMING, ringTimeoutMs: 20_000, ...extra, ...(process.env.RELAIS_TEST_LOG ? { logger: pino({ level: 'debug' }) } : {}) }));
    // The six organisations spread over the nodes before the scenario starts (so that « the owner » stays the owner).
    await balanced(nodes);
    return nodes;
  }
  /** A booth on `boothNode` in a call with CAF's agent `caf1` on `agentNode`, both told it is accepted; the booth's token. */
  async function inCall(boothNode: RunningHubNode, agentNode: RunningHubNode): Promise<{ kiosk: RawClient; caf: RawClient; callId: string; token: string }> {
    const caf = await newAgent(agentNode, 'caf1');
    const { token } = await store.addBooth('Mairie de Vic', Date.now());
    const kiosk = track(await booth(boothNode.url, token));
    await untilAvailable(kiosk, 1);
    kiosk.send({ type: 'call.request', organisation: 'CAF' });
    const ringing = await caf.next('call.ringing');
    caf.send({ type: 'call.accept', callId: ringing.callId });
    await kiosk.next('call.accepted');
    await caf.next('call.accepted');
    return { kiosk, caf, callId: ringing.callId, token };
  }
  /** Waits until the organisations are spread evenly over these nodes (6 organisations). */
  async function balanced(over: RunningHubNode[]): Promise<void> {
    const most = Math.ceil(6 / over.length);
    const fewest = Math.floor(6 / over.length);
    await waitFor(
      () => over.every((n) => n.owned().length >= fewest && n.owned().length <= most) && over.reduce((sum, n) => sum + n.owned().length, 0) === 6,
      10_000,
      `organisations spread over ${over.length} nodes (${over.map((n) => n.owned().length).join('/')})`,
    );
  }
  const track = <T extends RawClient>(c: T): T => {
    clients.push(c);
    return c;
  };
  const newBooth = async (node: RunningHubNode, name: string): Promise<RawClient> => track(await booth(node.url, (await store.addBooth(name, Date.now())).token));
  const newAgent = (node: RunningHubNode, login: string): Promise<RawClient> => agent(node.url, login, PASSWORD).then(track);
  /** Asks the presence until the node says this many CAF agents are available. */
  async function untilAvailable(client: RawClient, agents: number): Promise<void> {
    const end = Date.now() + 10_000;
    for (;;) {
      client.send({ type: 'presence.get' });
      const p = await client.next('presence');
      if (p.organisations.some((o) => o.code === 'CAF' && o.agentsAvailable === agents)) return;
      if (Date.now() > end) throw new Error(`CAF never showed ${agents} agents available`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  /** The call records matching, once there are `count` of them (they are written after the call ends). */
  async function recordsOf(match: (r: CallRecord) => boolean, count: number): Promise<CallRecord[]> {
    const end = Date.now() + 5_000;
    for (;;) {
      const found = (await store.calls()).filter(match);
      if (found.length >= count || Date.now() > end) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  /** Waits until one node owns CAF, and returns it. */
  async function ownerOf(org: string): Promise<RunningHubNode> {
    await waitFor(() => nodes.some((n) => n.owned().includes(org)), 5_000, `an owner for ${org}`);
    return nodes.find((n) => n.owned().includes(org))!;
  }

  it('puts a booth on one node through to an agent on another: ringing, accepted, signals both ways, ended, one record', async () => {
    const [a, b, c] = await cluster(3);
    const caf = await newAgent(c!, 'caf1');
    const kiosk = await newBooth(a!, 'Mairie de Vic');
    // A node started without the appointments' store says so first: the kiosk offers none.
    expect(kiosk.frames[0]).toMatchObject({ type: 'hello', appointments: false });
    await untilAvailable(kiosk, 1);
    kiosk.send({ type: 'call.request', organisation: 'CAF' });
    const ringing = await caf.next('call.ringing');
    expect(ringing.siteName).toBe('Mairie de Vic');
    caf.send({ type: 'call.accept', callId: ringing.callId });
    const accepted = await kiosk.next('call.accepted');
    expect(accepted).toMatchObject({ callId: ringing.callId, peerName: 'Agent CAF 1', initiator: true });
    await caf.next('call.accepted', (f) => f.callId === ringing.callId);
    kiosk.send({ type: 'signal', callId: ringing.callId, data: { sdp: 'offre' } });
    expect((await caf.next('signal')).data).toEqual({ sdp: 'offre' });
    caf.send({ type: 'signal', callId: ringing.callId, data: { sdp: 'réponse' } });
    expect((await kiosk.next('signal')).data).toEqual({ sdp: 'réponse' });
    // Neither a stranger on a third node nor a wrong call id gets a signal through.
    const other = await newBooth(b!, 'Autre');
    other.send({ type: 'signal', callId: ringing.callId, data: { sdp: 'intrus' } });
    await other.next('error', (e) => e.code === 'NOT_IN_CALL');
    // Many signals at once (trickled ICE candidates, within the socket's rate limit) arrive all, in the order sent.
    for (let i = 0; i < 100; i++) kiosk.send({ type: 'signal', callId: ringing.callId, data: { candidate: `c${i}` } });
    const got: unknown[] = [];
    for (let i = 0; i < 100; i++) got.push((await caf.next('signal')).data);
    expect(got).toEqual(Array.from({ length: 100 }, (_, i) => ({ candidate: `c${i}` })));
    // They went over the nodes' direct link, not through the bus.
    expect(a!.linkStats().viaLink).toBeGreaterThan(0);
    expect(a!.linkStats().out).toBe(2);
    caf.send({ type: 'call.hangup', callId: ringing.callId });
    expect((await kiosk.next('call.ended')).reason).toBe('hangup_agent');
    const recorded = await recordsOf((r) => r.id === ringing.callId, 1);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ outcome: 'answered', reason: 'hangup_agent', organisation: 'CAF' });
  });

  it('spreads the organisations over the nodes, again when one leaves or joins, and a ringing call survives each handover', async () => {
    const [a, b, c] = await cluster(3);
    expect([a, b, c].map((n) => n!.owned().length)).toEqual([2, 2, 2]);
    // A call rings an agent of CAF while the organisations move; the agent lets it ring.
    const first = await newAgent(b!, 'caf1');
    const kiosk = await newBooth(a!, 'Mairie de Vic');
    await untilAvailable(kiosk, 1);
    kiosk.send({ type: 'call.request', organisation: 'CAF' });
    const ringing = await first.next('call.ringing');
    await c!.close();
    nodes = nodes.filter((n) => n !== c);
    await balanced(nodes);
    expect(nodes.map((n) => n.owned().length)).toEqual([3, 3]);
    nodes.push(await startHubNode({ bus: await buses.busFor('n9'), store, timing: TIMING, ringTimeoutMs: 20_000 }));
    await balanced(nodes);
    expect(nodes.map((n) => n.owned().length)).toEqual([2, 2, 2]);
    // The call rang through it all, and the agent answers it.
    first.send({ type: 'call.accept', callId: ringing.callId });
    expect((await kiosk.next('call.accepted')).callId).toBe(ringing.callId);
  });

  it('serves the coordinator\'s counts on every node: a booth\'s week sent to one is on the dashboard read on another', async () => {
    const [a, b] = await cluster(2);
    const { id, token } = await store.addBooth('Relais de Gramat', Date.now());
    await evaluation.addCoordinator('coord.lot', await hashPassword(PASSWORD), Date.now());
    const week = { siteId: 'ignoré-par-le-hub', week: '2026-W49', counts: [{ organisation: 'CAF', service: 'visio', count: 4 }], hash: 'abcdef0123456789' };
    const sent = await fetch(`${a!.httpUrl}${AGGREGATES_PATH}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(week) });
    expect(await sent.json()).toEqual({ outcome: 'stored' });
    // A revoked or unknown token is refused.
    const stranger = await fetch(`${a!.httpUrl}${AGGREGATES_PATH}`, { method: 'POST', headers: { Authorization: 'Bearer rb_inconnu' }, body: JSON.stringify(week) });
    expect(stranger.status).toBe(401);
    const login = await fetch(`${b!.httpUrl}/coordinator/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: 'coord.lot', password: PASSWORD }) });
    // The node (no fleet store given) serves the counts alone, and says so.
    expect(await login.json()).toEqual({ login: 'coord.lot', views: ['counts'] });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const dashboard = (await (await fetch(`${b!.httpUrl}/coordinator/api/dashboard?from=2026-W49&to=2026-W49`, { headers: { cookie } })).json()) as { sites: Array<{ siteId: string; cells: unknown[] }>; total: number };
    expect(dashboard.sites).toEqual([expect.objectContaining({ siteId: `booth-${String(id).padStart(4, '0')}`, siteName: 'Relais de Gramat', cells: [4] })]);
    expect(dashboard.total).toBe(4);
    // What a node started without a fleet store does not serve is not there: the fleet's booths.
    expect((await fetch(`${b!.httpUrl}/coordinator/api/booths`, { headers: { cookie } })).status).toBe(404);
  });

  it('keeps one socket per booth and per agent across nodes: signing in on another node replaces the older one', async () => {
    const [a, b] = await cluster(2);
    const token = (await store.addBooth('Mairie de Vic', Date.now())).token;
    const first = track(await booth(a!.url, token));
    const second = track(await booth(b!.url, token));
    expect((await first.next('error')).code).toBe('REPLACED');
    await first.closed;
    const agentFirst = await newAgent(b!, 'caf1');
    const agentSecond = await newAgent(a!, 'caf1');
    expect((await agentFirst.next('error')).code).toBe('REPLACED');
    await agentFirst.closed;
    // The newer ones stay, and work: a call from the booth rings the agent.
    second.send({ type: 'call.request', organisation: 'CAF' });
    expect((await agentSecond.next('call.ringing')).siteName).toBe('Mairie de Vic');
    expect(second.frames.some((f) => f.type === 'error' && f.code === 'REPLACED')).toBe(false);
  });

  it('relays the signals of a call whose booth and agent are on the same node, both ways', async () => {
    const [a] = await cluster(2);
    const { kiosk, caf, callId } = await inCall(a!, a!);
    kiosk.send({ type: 'signal', callId, data: { sdp: 'offre' } });
    expect((await caf.next('signal')).data).toEqual({ sdp: 'offre' });
    caf.send({ type: 'signal', callId, data: { sdp: 'réponse' } });
    expect((await kiosk.next('signal')).data).toEqual({ sdp: 'réponse' });
    caf.send({ type: 'call.hangup', callId });
    expect((await kiosk.next('call.ended')).reason).toBe('hangup_agent');
  });

  it('sends every batch through the bus when direct links are off, in order all the same', async () => {
    const [a, b] = await cluster(2, { link: false });
    const { kiosk, caf, callId } = await inCall(a!, b!);
    for (let i = 0; i < 50; i++) kiosk.send({ type: 'signal', callId, data: { n: i } });
    const got: unknown[] = [];
    for (let i = 0; i < 50; i++) got.push((await caf.next('signal')).data);
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => ({ n: i })));
    expect(a!.linkStats()).toMatchObject({ viaLink: 0, out: 0 });
    expect(a!.linkStats().viaBus).toBeGreaterThan(0);
  });

  it('keeps one queue across nodes: positions in arrival order, answered in that order, each once', async () => {
    const [a, b, c] = await cluster(3);
    const caf = await newAgent(c!, 'caf1');
    const kiosks = [await newBooth(a!, 'Site 1'), await newBooth(b!, 'Site 2'), await newBooth(c!, 'Site 3')];
    for (const [i, k] of kiosks.entries()) {
      k.send({ type: 'call.request', organisation: 'CAF' });
      // Asked one after the other: each is told its place before the next asks.
      await k.next('queue.position', (p) => p.position === i + 1);
    }
    const answered: string[] = [];
    for (const k of kiosks) {
      const ring = await caf.next('call.ringing');
      caf.send({ type: 'call.accept', callId: ring.callId });
      const acc = await k.next('call.accepted');
      expect(acc.callId).toBe(ring.callId);
      answered.push(ring.siteName);
      caf.send({ type: 'call.hangup', callId: ring.callId });
      await k.next('call.ended');
    }
    expect(answered).toEqual(['Site 1', 'Site 2', 'Site 3']);
    expect(await recordsOf((r) => r.outcome === 'answered', 3)).toHaveLength(3);
  });

  it('loses no call when the node owning the queue crashes while calls wait and ring: all answered in order, none twice', async () => {
    await cluster(3);
    const owner = await ownerOf('CAF');
    const others = nodes.filter((n) => n !== owner);
    const caf = await newAgent(others[1]!, 'caf1');
    const kiosks: RawClient[] = [];
    for (let i = 0; i < 4; i++) {
      const k = await newBooth(others[i % 2]!, `Site ${i + 1}`);
      kiosks.push(k);
      k.send({ type: 'call.request', organisation: 'CAF' });
      await k.next('queue.position', (p) => p.position === i + 1);
    }
    const firstRing = await caf.next('call.ringing');
    expect(firstRing.siteName).toBe('Site 1');
    await owner.crash();
    nodes = nodes.filter((n) => n !== owner);
    const order: string[] = [];
    const seen = new Set<string>();
    // The ringing call is answered on the new owner (the accept waits in the organisation's log meanwhile).
    caf.send({ type: 'call.accept', callId: firstRing.callId });
    let ring = firstRing;
    for (let i = 0; i < 4; i++) {
      if (i > 0) {
        ring = await caf.next('call.ringing', (r) => !seen.has(r.callId), 10_000);
        caf.send({ type: 'call.accept', callId: ring.callId });
      }
      const k = kiosks[i]!;
      const acc = await k.next('call.accepted', undefined, 10_000);
      expect(acc.callId).toBe(ring.callId);
      seen.add(ring.callId);
      order.push(ring.siteName);
      caf.send({ type: 'call.hangup', callId: ring.callId });
      await k.next('call.ended');
    }
    expect(order).toEqual(['Site 1', 'Site 2', 'Site 3', 'Site 4']);
    expect(await ownerOf('CAF')).not.toBe(owner);
    // No booth was put through twice.
    for (const k of kiosks) expect(k.frames.filter((f) => f.type === 'call.accepted')).toHaveLength(1);
    const answered = await recordsOf((r) => r.outcome === 'answered', 4);
    expect(new Set(answered.map((r) => r.id)).size).toBe(4);
    expect(answered).toHaveLength(4);
  });

  it('tells the booth when the node holding its agent crashes mid-call, and records the visit once', async () => {
    const [a, b, c] = await cluster(3);
    const owner = await ownerOf('CAF');
    const agentNode = [a!, b!, c!].find((n) => n !== owner)!;
    const boothNode = [a!, b!, c!].find((n) => n !== owner && n !== agentNode)!;
    const { kiosk, callId } = await inCall(boothNode, agentNode);
    await agentNode.crash();
    nodes = nodes.filter((n) => n !== agentNode);
    const ended = await kiosk.next('call.ended', undefined, 10_000);
    expect(ended).toMatchObject({ callId, reason: 'peer_lost' });
    const recorded = await recordsOf((r) => r.id === callId, 1);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ outcome: 'answered', reason: 'peer_lost' });
  });

  it('keeps a call in progress when the booth’s node, owner of the queue, crashes: the booth signs in on another, resumes with the new owner, signals flow both ways, one record', async () => {
    const [a, b, c] = await cluster(3);
    const owner = await ownerOf('CAF');
    // The booth on the node owning CAF (the harder case: the resume waits for the new owner), the agent on another.
    const boothNode = owner;
    const agentNode = [a!, b!, c!].find((n) => n !== boothNode)!;
    const spare = [a!, b!, c!].find((n) => n !== boothNode && n !== agentNode)!;
    const { caf, callId, token } = await inCall(boothNode, agentNode);
    await boothNode.crash();
    nodes = nodes.filter((n) => n !== boothNode);
    // Back within the grace, as the kiosk does through the load balancer.
    const again = track(await booth(spare.url, token));
    again.send({ type: 'call.resume', callId, organisation: 'CAF' });
    expect(await again.next('call.resumed', undefined, 5_000)).toEqual({ type: 'call.resumed', callId });
    await caf.next('call.resumed', undefined, 5_000);
    again.send({ type: 'signal', callId, data: { type: 'candidate', n: 1 } });
    expect((await caf.next('signal', undefined, 5_000)).data).toEqual({ type: 'candidate', n: 1 });
    caf.send({ type: 'signal', callId, data: { type: 'candidate', n: 2 } });
    expect((await again.next('signal', undefined, 5_000)).data).toEqual({ type: 'candidate', n: 2 });
    // Long past the dead node's time and the grace: the call is still on.
    await new Promise((r) => setTimeout(r, TIMING.deadAfterMs + TIMING.resumeGraceMs + 500));
    expect(caf.frames.filter((f) => f.type === 'call.ended')).toEqual([]);
    caf.send({ type: 'call.hangup', callId });
    expect(await again.next('call.ended', undefined, 5_000)).toMatchObject({ callId, reason: 'hangup_agent' });
    const recorded = await recordsOf((r) => r.id === callId, 1);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ outcome: 'answered', reason: 'hangup_agent' });
  });

  it('keeps a call in progress when the agent’s node crashes and the agent resumes elsewhere; refuses a resume by another account', async () => {
    const [a, b, c] = await cluster(3);
    const owner = await ownerOf('CAF');
    const agentNode = [a!, b!, c!].find((n) => n !== owner)!;
    const boothNode = [a!, b!, c!].find((n) => n !== agentNode)!;
    const spare = [a!, b!, c!].find((n) => n !== boothNode && n !== agentNode)!;
    const { kiosk, callId } = await inCall(boothNode, agentNode);
    await agentNode.crash();
    nodes = nodes.filter((n) => n !== agentNode);
    // Another agent of CAF, and a booth, try to take the call over: each is told it is over for them.
    const other = await newAgent(spare, 'caf2');
    other.send({ type: 'call.resume', callId, organisation: 'CAF' });
    expect(await other.next('call.ended', undefined, 5_000)).toEqual({ type: 'call.ended', callId, reason: 'peer_lost' });
    const stranger = await newBooth(spare, 'Autre site');
    stranger.send({ type: 'call.resume', callId, organisation: 'CAF' });
    expect(await stranger.next('call.ended', undefined, 5_000)).toMatchObject({ callId, reason: 'peer_lost' });
    const back = await newAgent(spare, 'caf1');
    back.send({ type: 'call.resume', callId, organisation: 'CAF' });
    await back.next('call.resumed', undefined, 5_000);
    await kiosk.next('call.resumed', undefined, 5_000);
    kiosk.send({ type: 'signal', callId, data: { type: 'offer', sdp: 'v=0' } });
    expect((await back.next('signal', undefined, 5_000)).data).toEqual({ type: 'offer', sdp: 'v=0' });
    await new Promise((r) => setTimeout(r, TIMING.deadAfterMs + TIMING.resumeGraceMs + 500));
    expect(kiosk.frames.filter((f) => f.type === 'call.ended')).toEqual([]);
    kiosk.send({ type: 'call.hangup', callId });
    expect(await back.next('call.ended', undefined, 5_000)).toMatchObject({ callId, reason: 'hangup_booth' });
    expect(await recordsOf((r) => r.id === callId, 1)).toHaveLength(1);
  });

  it('sends the agent’s new socket what the booth signalled while the agent’s node lay dead, in order, after the resume', async () => {
    const [a, b, c] = await cluster(3);
    const owner = await ownerOf('CAF');
    const agentNode = [a!, b!, c!].find((n) => n !== owner)!;
    const boothNode = [a!, b!, c!].find((n) => n !== agentNode)!;
    const spare = [a!, b!, c!].find((n) => n !== boothNode && n !== agentNode)!;
    const { kiosk, caf, callId } = await inCall(boothNode, agentNode);
    kiosk.send({ type: 'signal', callId, data: { n: 1 } });
    expect((await caf.next('signal')).data).toEqual({ n: 1 });
    await agentNode.crash();
    nodes = nodes.filter((n) => n !== agentNode);
    // Sent to the dead node's socket: before it is known dead, and after.
    kiosk.send({ type: 'signal', callId, data: { n: 2 } });
    kiosk.send({ type: 'signal', callId, data: { n: 3 } });
    const back = await newAgent(spare, 'caf1');
    back.send({ type: 'call.resume', callId, organisation: 'CAF' });
    await back.next('call.resumed', undefined, 5_000);
    kiosk.send({ type: 'signal', callId, data: { n: 4 } });
    await waitFor(() => back.frames.some((f) => f.type === 'signal' && (f.data as { n: number }).n === 4), 5_000, 'the signal sent after the resume');
    const ns = back.frames.filter((f) => f.type === 'signal').map((f) => (f.data as { n: number }).n);
    // 1 came before (the client drops it as already had: same text); 2 and 3 were lost with the node but sent again.
    expect(ns.filter((n) => n !== 1)).toEqual([2, 3, 4]);
    expect(ns.filter((n) => n === 1).length).toBeLessThanOrEqual(1);
    expect(back.frames.findIndex((f) => f.type === 'call.resumed')).toBeLessThan(back.frames.findIndex((f) => f.type === 'signal'));
  });

  // Only Redis can be written by something else than a node.
  if (kind === 'redis')
  it('ignores damaged messages on the nodes\' channels and inboxes, and goes on serving', async () => {
    const [a, b] = await cluster(2);
    const caf = await newAgent(b!, 'caf1');
    const kiosk = await newBooth(a!, 'Mairie de Vic');
    const raw = new Redis(buses.redis().url);
    try {
      for (const text of ['', 'booth', 'booth x 1 n', 'agent 1 1', `booth 1 1 ${'n'.repeat(100_000)}`, 'root 1 1 n', 'booth 1 NaN n', 'booth 9007199254740993 1 n']) await raw.publish(`${buses.prefix()}claims`, text);
      for (const text of ['CAF', ':', 'CAF:abc', 'CAF:-1e400', `${'x'.repeat(100_000)}:1`]) await raw.publish(`${buses.prefix()}available`, text);
      await raw.publish(`${buses.prefix()}resync`, 'INCONNU');
      for (const node of [a!.nodeId, b!.nodeId]) {
        await raw.xadd(`${buses.prefix()}inbox:${node}`, '*', 'b', 'pas un lot');
        await raw.xadd(`${buses.prefix()}inbox:${node}`, '*', 'b', `x.1 1\nr1 99 tronqué`);
        await raw.xadd(`${buses.prefix()}inbox:${node}`, '*', 'm', '{pas du json');
        await raw.xadd(`${buses.prefix()}inbox:${node}`, '*', 'm', JSON.stringify({ k: 'frame', to: 'c999', frame: { type: 'call.ended', callId: 'x', reason: 'peer_lost' } }));
      }
      await raw.xadd(`${buses.prefix()}ops:CAF`, '*', 'm', '{pas du json');
    } finally {
      raw.disconnect();
    }
    // Both nodes still serve: a call goes through, signals both ways, nobody was replaced.
    await untilAvailable(kiosk, 1);
    kiosk.send({ type: 'call.request', organisation: 'CAF' });
    const ring = await caf.next('call.ringing');
    caf.send({ type: 'call.accept', callId: ring.callId });
    await kiosk.next('call.accepted');
    kiosk.send({ type: 'signal', callId: ring.callId, data: { sdp: 'offre' } });
    expect((await caf.next('signal')).data).toEqual({ sdp: 'offre' });
    for (const c of [kiosk, caf]) expect(c.frames.some((f) => f.type === 'error' && f.code === 'REPLACED')).toBe(false);
  });

  // The in-process bus has no server to restart.
  if (kind === 'redis')
  it('recovers from Redis restarted empty without restarting the nodes: presence comes back, calls go through', async () => {
    const [a, , c] = await cluster(3);
    const caf = await newAgent(c!, 'caf1');
    const kiosk = await newBooth(a!, 'Mairie');
    await buses.redis().restart();
    kiosk.send({ type: 'call.request', organisation: 'CAF' });
    const ring = await caf.next('call.ringing', undefined, 15_000);
    caf.send({ type: 'call.accept', callId: ring.callId });
    await kiosk.next('call.accepted', undefined, 10_000);
    kiosk.send({ type: 'signal', callId: ring.callId, data: { ice: 1 } });
    expect((await caf.next('signal', undefined, 10_000)).data).toEqual({ ice: 1 });
    // A booth signing in after the restart sees the agent available (the owner published it again).
    const late = await newBooth(a!, 'Après');
    await untilAvailable(late, 1);
  });
});
