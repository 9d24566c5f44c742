// A node frozen, not dead: SIGSTOP of the node owning CAF's queue (a VM stalled, a process paused), long enough for
// the other to take its lease, then SIGCONT. Two nodes (the real `npm run hub` bundle, one process each) over a real
// Redis and a real PostgreSQL, on loopback, started and stopped by PID by this file. The node that wakes must not act
// as the owner it was (no call rung or answered twice), nor leave its booths waiting for a call the others ended: it
// closes their sockets as at a restart, so that they sign in again and ask again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type RawClient } from '../hub/helpers.js';
import { PASSWORD, startNodeCluster, untilCafAvailable, type NodeCluster, type NodeProcess } from './nodeProcesses.js';

let cluster: NodeCluster;
let frozen: NodeProcess | null = null;

beforeAll(async () => {
  cluster = await startNodeCluster({ nodes: 2, agents: 2, booths: 2 });
  await waitFor(async () => (await Promise.all(cluster.nodes.map(cluster.owns))).every((o) => o.length === 3), 20_000, 'organisations spread over the two nodes');
}, 120_000);

afterAll(async () => {
  // A node left stopped would never exit on SIGTERM.
  if (frozen) process.kill(frozen.proc.pid, 'SIGCONT');
  await cluster?.stop();
}, 60_000);

describe('hub on two nodes, the owner of a queue frozen then woken', () => {
  it('answers the ringing call once through the new owner; the woken node, taken for dead, has its booth sign in again and serves it', async () => {
    const { nodes, tokens, stores, signedIn, owns } = cluster;
    const owner = (await owns(nodes[0]!)).includes('CAF') ? nodes[0]! : nodes[1]!;
    const other = nodes.find((n) => n !== owner)!;
    // A call ringing (its booth and agent on the other node) and one waiting behind it from a booth on the owner.
    const caf0 = await signedIn(other.url, { type: 'auth.agent', login: 'caf0', password: PASSWORD });
    caf0.send({ type: 'agent.status', status: 'available' });
    const ringingBooth = await signedIn(other.url, { type: 'auth.booth', token: tokens[0] });
    await untilCafAvailable(ringingBooth, 1, 'CAF shown available');
    ringingBooth.send({ type: 'call.request', organisation: 'CAF' });
    const ring = await caf0.next('call.ringing', undefined, 10_000);
    const waitingBooth = await signedIn(owner.url, { type: 'auth.booth', token: tokens[1] });
    waitingBooth.send({ type: 'call.request', organisation: 'CAF' });
    const waiting = await waitingBooth.next('queue.position', undefined, 10_000);

    frozen = owner;
    process.kill(owner.proc.pid, 'SIGSTOP');
    // The agent answers while the owner is frozen: the new owner, once it holds the lease, connects the call.
    caf0.send({ type: 'call.accept', callId: ring.callId });
    await waitFor(async () => (await owns(other)).length === 6, 15_000, 'the other node owning every organisation');
    expect((await ringingBooth.next('call.accepted', undefined, 10_000)).callId).toBe(ring.callId);
    await caf0.next('call.accepted', undefined, 10_000);
    // Left frozen until the new owner takes it for dead: the waiting call of its booth is ended, and recorded.
    await waitFor(async () => (await stores.store.calls()).some((c) => c.id === waiting.callId), 20_000, 'the frozen node\'s waiting call ended');

    process.kill(owner.proc.pid, 'SIGCONT');
    frozen = null;
    // The woken node learns it was taken for dead: it closes its sockets as at a restart (1012), and its booth signs in
    // again (the kiosk's client does, on the same address) and asks again for the call it was waiting for.
    const closed = await Promise.race([waitingBooth.closed, new Promise<null>((resolve) => setTimeout(() => resolve(null), 15_000))]);
    expect(closed?.code, 'the woken node\'s booth socket closed within 15 s').toBe(1012);
    const again = await signedIn(owner.url, { type: 'auth.booth', token: tokens[1] });
    const caf1 = await signedIn(other.url, { type: 'auth.agent', login: 'caf1', password: PASSWORD });
    caf1.send({ type: 'agent.status', status: 'available' });
    await untilCafAvailable(again, 1, 'the woken node showing the new agent');
    again.send({ type: 'call.request', organisation: 'CAF' });
    const ring2 = await caf1.next('call.ringing', undefined, 15_000);
    caf1.send({ type: 'call.accept', callId: ring2.callId });
    expect((await again.next('call.accepted', undefined, 10_000)).callId).toBe(ring2.callId);
    // Signals both ways between the woken node and the other.
    again.send({ type: 'signal', callId: ring2.callId, data: { sdp: 'offre' } });
    expect((await caf1.next('signal', undefined, 5_000)).data).toEqual({ sdp: 'offre' });
    caf1.send({ type: 'signal', callId: ring2.callId, data: { sdp: 'réponse' } });
    expect((await again.next('signal', undefined, 5_000)).data).toEqual({ sdp: 'réponse' });

    // Nothing rung, answered or ended twice: each agent rang once, each booth was connected once.
    const count = (c: RawClient, type: string) => c.frames.filter((f) => f.type === type).length;
    expect([count(caf0, 'call.ringing'), count(caf1, 'call.ringing')]).toEqual([1, 1]);
    expect([count(ringingBooth, 'call.accepted'), count(waitingBooth, 'call.accepted'), count(again, 'call.accepted')]).toEqual([1, 0, 1]);
    expect([count(ringingBooth, 'call.ended'), count(again, 'call.ended')]).toEqual([0, 0]);
    // Both calls end and are recorded once each; the waiting call taken for dead is recorded too.
    for (const [booth, agent, callId] of [[ringingBooth, caf0, ring.callId], [again, caf1, ring2.callId]] as const) {
      booth.send({ type: 'call.hangup', callId });
      await agent.next('call.ended', (f) => f.callId === callId, 10_000);
    }
    await waitFor(async () => (await stores.store.calls()).length === 3, 15_000, 'three calls recorded');
    const records = await stores.store.calls();
    expect(records.map((r) => [r.id, r.outcome]).sort()).toEqual(
      [
        [ring.callId, 'answered'],
        [ring2.callId, 'answered'],
        [waiting.callId, records.find((r) => r.id === waiting.callId)!.outcome],
      ].sort(),
    );
    expect(records.find((r) => r.id === waiting.callId)!.outcome).not.toBe('answered');
    // Both processes still running.
    expect(nodes.map((n) => [n.proc.child.exitCode, n.proc.child.signalCode])).toEqual([
      [null, null],
      [null, null],
    ]);
  }, 120_000);
});
