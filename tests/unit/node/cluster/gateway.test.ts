// A node's gateway (server/cluster/gateway.ts) receiving a call's first signal over the direct link before the owner's
// `call.accepted` has come through its inbox: the signal waits for it, then follows it; one for no call is dropped. And
// a socket resuming its call after its node died: what goes to the organisation's log, what is refused here.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { HubFrame } from '../../../../shared/protocol.js';
import { createMemoryWorld, memoryBus, type MemoryWorld } from '../../../../server/cluster/memoryBus.js';
import { createGateway } from '../../../../server/cluster/gateway.js';

function gatewayOn(clock: () => number): { gateway: ReturnType<typeof createGateway>; out: Array<[string, string]>; world: MemoryWorld } {
  const out: Array<[string, string]> = [];
  const world = createMemoryWorld(clock);
  const gateway = createGateway({
    bus: memoryBus(world, 'n1.a'),
    deliver: () => undefined,
    organisations: () => [{ code: 'CAF', name: 'CAF', openNow: true, nextOpening: null, closesAt: null }],
    iceServers: () => [],
    clock,
    sendLocal: (conn, frame: HubFrame) => out.push([conn, frame.type]),
    relayLocal: (conn, raw) => {
      out.push([conn, raw.toString()]);
      return true;
    },
    onPresenceChanged: () => undefined,
    log: pino({ level: 'silent' }),
  });
  return { gateway, out, world };
}

const accepted = (callId: string): HubFrame => ({ type: 'call.accepted', callId, organisation: 'CAF', peerName: 'Agent', initiator: false, iceServers: [] });

describe('signals that outrun their call.accepted', () => {
  it('keeps them until the call is accepted here, then relays them after it, in order', () => {
    const { gateway, out } = gatewayOn(() => 1_000);
    gateway.receive({ k: 'raw', to: '4', raw: 'offre' });
    gateway.receive({ k: 'raw', to: '4', raw: 'candidat' });
    expect(out).toEqual([]);
    gateway.receive({ k: 'frame', to: '4', frame: accepted('c1'), peer: 'n2.b~9' });
    expect(out).toEqual([
      ['4', 'call.accepted'],
      ['4', 'offre'],
      ['4', 'candidat'],
    ]);
    gateway.receive({ k: 'raw', to: '4', raw: 'suite' });
    expect(out.at(-1)).toEqual(['4', 'suite']);
    expect(gateway.peerOf('4', 'c1')).toBe('n2.b~9');
  });

  it('drops those for a socket whose call never comes, and keeps no more than a few', () => {
    let now = 1_000;
    const { gateway, out } = gatewayOn(() => now);
    for (let i = 0; i < 100; i++) gateway.receive({ k: 'raw', to: '5', raw: `s${i}` });
    now += 10_000;
    gateway.receive({ k: 'raw', to: '6', raw: 'autre' });
    gateway.receive({ k: 'frame', to: '5', frame: accepted('c2'), peer: 'n2.b~1' });
    expect(out).toEqual([['5', 'call.accepted']]);
    gateway.receive({ k: 'frame', to: '6', frame: accepted('c3'), peer: 'n2.b~2' });
    expect(out.slice(1)).toEqual([
      ['6', 'call.accepted'],
      ['6', 'autre'],
    ]);
    // A flood before the call is accepted: the first 64 are kept, the rest dropped.
    for (let i = 0; i < 100; i++) gateway.receive({ k: 'raw', to: '7', raw: `f${i}` });
    gateway.receive({ k: 'frame', to: '7', frame: accepted('c4'), peer: 'n2.b~3' });
    expect(out.filter(([conn]) => conn === '7').map(([, what]) => what)).toEqual(['call.accepted', ...Array.from({ length: 64 }, (_, i) => `f${i}`)]);
  });

  it('relays nothing to a socket after its call ended', () => {
    const { gateway, out } = gatewayOn(() => 1_000);
    gateway.receive({ k: 'frame', to: '4', frame: accepted('c1'), peer: 'n2.b~9' });
    gateway.receive({ k: 'frame', to: '4', frame: { type: 'call.ended', callId: 'c1', reason: 'hangup_agent' } });
    gateway.receive({ k: 'raw', to: '4', raw: 'tard' });
    expect(out.map(([, what]) => what)).toEqual(['call.accepted', 'call.ended']);
    expect(gateway.peerOf('4', 'c1')).toBeNull();
  });
});

describe('a socket resuming its call (its node died)', () => {
  it('puts a booth’s resume in the log of the organisation it names, and an agent’s in its own; refuses the others here', async () => {
    const { gateway, out, world } = gatewayOn(() => 1_000);
    gateway.joinBooth('1', { boothId: 7, siteName: 'Mairie' });
    gateway.joinAgent('2', { agentId: 3, organisation: 'CAF', displayName: 'Agent' });
    expect(gateway.resume('1', 'c1', 'ZZZ')).toBe('UNKNOWN_ORGANISATION');
    expect(gateway.resume('1', 'c1', 'CAF')).toBeNull();
    // Its call is known here now: a second resume, or a request, waits for the owner's answer.
    expect(gateway.resume('1', 'c1', 'CAF')).toBe('ALREADY_QUEUED');
    expect(gateway.request('1', 'CAF')).toBe('ALREADY_QUEUED');
    // An agent names another organisation: its own decides (and ends it there: not its call).
    expect(gateway.resume('2', 'c1', 'CPAM')).toBeNull();
    expect(gateway.resume('9', 'c1', 'CAF')).toBe('FORBIDDEN');
    await gateway.settled();
    const ops = world.logs.get('CAF')?.entries.map((e) => e.value) ?? [];
    expect(ops.filter((op) => op.t === 'resume')).toEqual([
      { t: 'resume', party: 'n1.a~1', callId: 'c1', organisation: 'CAF', booth: { boothId: 7, siteName: 'Mairie' } },
      { t: 'resume', party: 'n1.a~2', callId: 'c1', organisation: 'CPAM' },
    ]);
    expect(world.logs.has('ZZZ') || world.logs.has('CPAM')).toBe(false);
    // The owner's call.resumed names where the signals now go; its call.ended frees the booth to ask again.
    gateway.receive({ k: 'frame', to: '1', frame: { type: 'call.resumed', callId: 'c1' }, peer: 'n3.c~4' });
    expect(gateway.peerOf('1', 'c1')).toBe('n3.c~4');
    gateway.receive({ k: 'raw', to: '1', raw: 'signal' });
    expect(out.filter(([conn]) => conn === '1').map(([, what]) => what)).toEqual(['ice.servers', 'call.resumed', 'signal']);
    gateway.receive({ k: 'frame', to: '1', frame: { type: 'call.ended', callId: 'c1', reason: 'hangup_agent' } });
    expect(gateway.peerOf('1', 'c1')).toBeNull();
    expect(gateway.request('1', 'CAF')).toBeNull();
  });
});
