// Revocation alone (server/revocation.ts): what the store says was revoked loses its socket — with a fake store.
import { describe, expect, it } from 'vitest';
import type { Conn } from '../../../../server/connections/conn.js';
import { createRevocation } from '../../../../server/revocation.js';
import { sha256 } from '../../../../server/store.js';
import { fakeConn, type FakeConn } from './fakeConn.js';

function setUp() {
  let now = 10_000;
  const revoked = { booths: [] as number[], agents: [] as number[], sessions: [] as string[] };
  const asked: number[] = [];
  const conns = new Map<string, FakeConn>();
  const boothConn = new Map<number, FakeConn>();
  const agentConn = new Map<number, FakeConn>();
  const forgottenTokens: number[][] = [];
  const store = {
    revokedSince: (since: number) => (asked.push(since), revoked),
    revokeBooth: () => true,
    revokeAgent: () => true,
    revokeSession: () => true,
  };
  const drop = (c: Conn, code: string, wsCode: number): void => {
    (c as FakeConn).fake.closedWith = { code: wsCode, reason: code };
    c.closed = true;
    conns.delete(c.id);
  };
  const revocation = createRevocation({ store, clock: () => now, registry: { conns, boothConn, agentConn, drop }, boothTokens: { forget: (ids) => void forgottenTokens.push([...ids]) } });
  const booth = (id: string, boothId: number): FakeConn => {
    const c = fakeConn(id, 'booth', boothId);
    conns.set(id, c);
    boothConn.set(boothId, c);
    return c;
  };
  const agent = (id: string, agentId: number, session: string): FakeConn => {
    const c = fakeConn(id, 'agent', agentId);
    c.sessionHash = sha256(session);
    conns.set(id, c);
    agentConn.set(agentId, c);
    return c;
  };
  return { revocation, revoked, asked, forgottenTokens, booth, agent, advance: (ms: number) => (now += ms) };
}

describe('revocation', () => {
  it('asks the store what was revoked since its last check, and closes nothing when nothing was', () => {
    const t = setUp();
    const b = t.booth('c1', 7);
    t.advance(5_000);
    t.revocation.closeRevoked();
    t.advance(5_000);
    t.revocation.closeRevoked();
    expect(t.asked).toEqual([10_000, 15_000]);
    expect(b.fake.closedWith).toBeNull();
  });

  it('closes with REVOKED (4003) the sockets of booths, agents and sessions revoked by another process', () => {
    const t = setUp();
    const booth = t.booth('c1', 7);
    const otherBooth = t.booth('c2', 8);
    const agent = t.agent('c3', 3, 'rs_a');
    const bySession = t.agent('c4', 4, 'rs_b');
    const otherAgent = t.agent('c5', 5, 'rs_c');
    Object.assign(t.revoked, { booths: [7], agents: [3], sessions: [sha256('rs_b')] });
    t.revocation.closeRevoked();
    for (const c of [booth, agent, bySession]) expect(c.fake.closedWith).toEqual({ code: 4003, reason: 'REVOKED' });
    for (const c of [otherBooth, otherAgent]) expect(c.fake.closedWith).toBeNull();
    expect(t.forgottenTokens).toEqual([[7]]);
  });

  it('revoking through the hub closes the socket at once and forgets the booth token', () => {
    const t = setUp();
    const booth = t.booth('c1', 7);
    const agent = t.agent('c2', 3, 'rs_a');
    const session = t.agent('c3', 4, 'rs_b');
    expect(t.revocation.revokeBooth(7)).toBe(true);
    expect(t.revocation.revokeAgent(3)).toBe(true);
    expect(t.revocation.revokeSession('rs_b')).toBe(true);
    for (const c of [booth, agent, session]) expect(c.fake.closedWith).toEqual({ code: 4003, reason: 'REVOKED' });
    expect(t.forgottenTokens).toEqual([[7]]);
  });
});
