// A node's gateway (server/cluster/gateway.ts) receiving a call's first signal over the direct link before the owner's
// `call.accepted` has come through its inbox: the signal waits for it, then follows it; one for no call is dropped.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { HubFrame } from '../../../../shared/protocol.js';
import { createMemoryWorld, memoryBus } from '../../../../server/cluster/memoryBus.js';
import { createGateway } from '../../../../server/cluster/gateway.js';

function gatewayOn(clock: () => number): { gateway: ReturnType<typeof createGateway>; out: Array<[string, string]> } {
  const out: Array<[string, string]> = [];
  const gateway = createGateway({
    bus: memoryBus(createMemoryWorld(clock), 'n1.a'),
    deliver: () => undefined,
    organisations: () => [],
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
  return { gateway, out };
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
