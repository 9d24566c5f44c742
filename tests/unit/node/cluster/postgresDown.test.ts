// PostgreSQL stopped and started again under two running nodes (the real `npm run hub` bundle, one process each, over a
// real Redis and a real PostgreSQL, on loopback, started and stopped by PID by this file), as a department's database
// restarts for an upgrade or a failover. A call in progress goes on; a visit that ends meanwhile is recorded once the
// database is back; sign-ins and requests in between are told to try again; no node process ends, and each serves
// again by itself.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGGREGATES_PATH } from '../../../../shared/aggregates.js';
import { HubClient, type ClientStatus, type WebSocketConstructor } from '../../../../shared/hubClient.js';
import { connect, waitFor } from '../hub/helpers.js';
import { PASSWORD, startNodeCluster, untilCafAvailable, type NodeCluster, type NodeProcess } from './nodeProcesses.js';

let cluster: NodeCluster;
const hubClients: HubClient[] = [];

// Alert checks every 2 s (a quarter of the offline delay): the booths' states written again are seen soon.
beforeAll(async () => {
  cluster = await startNodeCluster({ nodes: 2, agents: 3, booths: 3, coordinator: true, nodeArgs: ['--offline-alert-ms', '8000'] });
}, 120_000);

afterAll(async () => {
  for (const h of hubClients) h.stop();
  await cluster?.stop();
}, 60_000);

describe('hub on two nodes while PostgreSQL restarts', () => {
  it('keeps a call going, records the visit that ended meanwhile once, tells sign-ins to try again, and serves again by itself', async () => {
    const { nodes, tokens, stores, signedIn, logged, pg: pgServer } = cluster;
    const [n0, n1] = nodes as [NodeProcess, NodeProcess];
    const pids = nodes.map((n) => n.proc.pid);
    // A call in progress across the two nodes: the booth on n0, CAF's agent on n1.
    const caf = await signedIn(n1.url, { type: 'auth.agent', login: 'caf0', password: PASSWORD });
    caf.send({ type: 'agent.status', status: 'available' });
    const kiosk = await signedIn(n0.url, { type: 'auth.booth', token: tokens[0] });
    await untilCafAvailable(kiosk, 1, 'CAF shown available on the booth\'s node');
    kiosk.send({ type: 'call.request', organisation: 'CAF' });
    const ring = await caf.next('call.ringing', undefined, 10_000);
    caf.send({ type: 'call.accept', callId: ring.callId });
    await kiosk.next('call.accepted', undefined, 10_000);
    // Another booth, online on n0, that will go while the database is down.
    const leaving = await signedIn(n0.url, { type: 'auth.booth', token: tokens[2] });

    await pgServer.down();

    // The call's signals need no database: both ways, across the nodes.
    kiosk.send({ type: 'signal', callId: ring.callId, data: { sdp: 'offre' } });
    expect((await caf.next('signal', undefined, 5_000)).data).toEqual({ sdp: 'offre' });
    caf.send({ type: 'signal', callId: ring.callId, data: { sdp: 'réponse' } });
    expect((await kiosk.next('signal', undefined, 5_000)).data).toEqual({ sdp: 'réponse' });
    // The visit ends while the database is down: both sides are told; its record cannot be written yet.
    const failedBefore = nodes.reduce((sum, n) => sum + logged(n, 'HUB_RECORD_FAILED'), 0);
    kiosk.send({ type: 'call.hangup', callId: ring.callId });
    await kiosk.next('call.ended', undefined, 5_000);
    await caf.next('call.ended', undefined, 5_000);
    await waitFor(() => nodes.reduce((sum, n) => sum + logged(n, 'HUB_RECORD_FAILED'), 0) > failedBefore, 10_000, 'the record\'s failed write logged');

    // The other booth goes: its node cannot write it offline yet.
    leaving.close();
    await leaving.closed;
    // A sign-in that needs the database is told so, and its socket closed as « try again later » (1013).
    const refused = await connect(n0.url);
    refused.send({ type: 'auth.agent', login: 'caf1', password: PASSWORD });
    expect((await refused.next('error', undefined, 10_000)).code).toBe('INTERNAL');
    expect((await refused.closed).code).toBe(1013);
    // The agents' console signing in meanwhile (its hub client, with the password) keeps trying with its backoff: the
    // store failing is not a wrong password, so neither refused nor held back as guessing.
    const statuses: ClientStatus[] = [];
    const console1 = new HubClient({ url: n0.url, WebSocket: WebSocket as unknown as WebSocketConstructor, credentials: { role: 'agent', login: 'caf1', password: PASSWORD }, backoff: { initialMs: 100, maxMs: 400, factor: 2, jitter: 0 } });
    hubClients.push(console1);
    console1.onEvent('status', (x) => statuses.push(x.status));
    console1.start();
    await waitFor(() => statuses.filter((x) => x === 'waiting_retry').length >= 8, 15_000, 'the console retrying its sign-in');
    expect(statuses).not.toContain('ready');
    expect(statuses).not.toContain('refused');
    // A booth whose token its node already knows signs in without the database (the kiosk's client), and sees CAF.
    const late = new HubClient({ url: n1.url, WebSocket: WebSocket as unknown as WebSocketConstructor, credentials: { role: 'booth', token: tokens[1]! } });
    hubClients.push(late);
    let cafShown = -1;
    late.on('presence', (p) => (cafShown = p.organisations.find((o) => o.code === 'CAF')?.agentsAvailable ?? -1));
    late.start();
    await waitFor(() => late.status === 'ready' && cafShown === 1, 10_000, 'the booth signed in during the outage');

    // HTTP requests that need the database: 503 with a French message, nothing stored, the node still answering.
    const week = { siteId: 'booth-xxxx', week: '2026-W49', counts: [{ organisation: 'CAF', service: 'visio', count: 4 }], hash: 'revision-4-0000' };
    const postWeek = () => fetch(`${n0.httpUrl}${AGGREGATES_PATH}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens[2]}` }, body: JSON.stringify(week) });
    const weekDown = await postWeek();
    expect(weekDown.status).toBe(503);
    expect(weekDown.headers.get('retry-after')).toMatch(/^\d+$/);
    const login = () => fetch(`${n1.httpUrl}/coordinator/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: 'coord.lot', password: PASSWORD }) });
    const loginDown = await login();
    expect(loginDown.status).toBe(503);
    expect(((await loginDown.json()) as { message: string }).message).toMatch(/réessayez/i);
    for (const n of nodes) expect((await fetch(`${n.httpUrl}/healthz`)).status).toBe(200);
    // Each node's periodic reads (organisations, revocations, configuration) fail and are logged, once a period passes.
    await waitFor(() => nodes.every((n) => logged(n, 'HUB_STORE_FAILED') > 0), 15_000, 'each node\'s periodic read failing');

    await pgServer.up();

    // The console signs in by itself; the first agent leaves, and a new call goes through it and is recorded.
    await waitFor(() => console1.status === 'ready', 15_000, 'the console signed in once PostgreSQL is back');
    expect(statuses).not.toContain('refused');
    caf.close();
    await waitFor(() => cafShown === 0, 10_000, 'the first agent gone from the booth\'s presence');
    console1.setAvailability('available');
    const ringing = console1.next('call.ringing', 10_000);
    const accepted = late.next('call.accepted', 10_000);
    await waitFor(() => cafShown === 1, 10_000, 'the console\'s agent shown available to the booth');
    late.requestCall('CAF');
    const ring2 = await ringing;
    console1.accept(ring2.callId);
    expect((await accepted).callId).toBe(ring2.callId);
    const ended = console1.next('call.ended', 5_000);
    late.hangup();
    await ended;

    // Both visits recorded, each once: the one that ended while the database was down, written when it came back.
    await waitFor(async () => (await stores.store.calls()).filter((c) => c.id === ring.callId || c.id === ring2.callId).length === 2, 15_000, 'both visits recorded');
    const records = (await stores.store.calls()).filter((c) => c.id === ring.callId || c.id === ring2.callId);
    expect(records.map((r) => [r.id, r.outcome]).sort()).toEqual([[ring.callId, 'answered'], [ring2.callId, 'answered']].sort());
    // The week refused during the outage is taken now; the coordinator signs in.
    expect(await (await postWeek()).json()).toEqual({ outcome: 'stored' });
    const signedInAgain = await login();
    expect(signedInAgain.status).toBe(200);
    // The booth that went during the outage is shown offline (written at its node's next check), the others online.
    const cookie = signedInAgain.headers.get('set-cookie')!.split(';')[0]!;
    const onlineOf = async () => {
      const { booths } = (await (await fetch(`${n1.httpUrl}/coordinator/api/booths`, { headers: { cookie } })).json()) as { booths: Array<{ name: string; online: boolean }> };
      return Object.fromEntries(booths.map((b) => [b.name, b.online]));
    };
    await waitFor(async () => (await onlineOf())['Site 2'] === false, 10_000, 'the booth gone during the outage shown offline');
    expect(await onlineOf()).toEqual({ 'Site 0': true, 'Site 1': true, 'Site 2': false });
    // No node process ended: the same two, still running.
    expect(nodes.map((n) => [n.proc.pid, n.proc.child.exitCode, n.proc.child.signalCode])).toEqual(pids.map((p) => [p, null, null]));
  }, 120_000);
});
