// The connection registry and its writes alone (server/connections/): replacement, drops, batches, slow readers.
import { describe, expect, it } from 'vitest';
import type { Conn } from '../../../../server/connections/conn.js';
import { createConnectionRegistry } from '../../../../server/connections/registry.js';
import { createWrites } from '../../../../server/connections/writes.js';
import { textFrames } from '../../../../server/framing.js';
import { newCounters } from '../../../../server/stats.js';
import { fakeConn, framesOf, silentLog, type FakeConn } from './fakeConn.js';

const HELLO = '{"type":"hello"}';

function setUp(maxBufferedBytes = 1 << 20) {
  const counters = newCounters();
  const writes = createWrites({ maxBufferedBytes, counters, log: silentLog });
  const left: string[] = [];
  const registry = createConnectionRegistry({ writes, clock: () => 0, rateLimit: { perSecond: 50, burst: 200 }, helloText: HELLO, onLeave: (c) => void left.push(c.id) });
  /** A registered socket whose ws and raw socket are fakes. */
  const open = (): FakeConn => {
    const fake = fakeConn('unused');
    const conn = registry.add(fake.ws, fake.socket) as Conn as FakeConn;
    conn.fake = fake.fake;
    return conn;
  };
  return { registry, writes, counters, left, open };
}

describe('the connection registry', () => {
  it('numbers sockets and gathers the hello in the batch of a new one', () => {
    const t = setUp();
    const a = t.open();
    const b = t.open();
    expect([a.id, b.id]).toEqual(['c1', 'c2']);
    expect(a.batch).toEqual([HELLO]);
    expect(t.registry.conns.size).toBe(2);
  });

  it('drops the previous socket of a booth that signs in again (REPLACED, 4001), the error before the close', () => {
    const t = setUp();
    const first = t.open();
    first.batch = null;
    t.registry.claimBooth(first, 7);
    const second = t.open();
    t.registry.claimBooth(second, 7);
    expect(framesOf(first).map((f) => f.code)).toEqual(['REPLACED']);
    expect(first.fake.closedWith).toEqual({ code: 4001, reason: 'REPLACED' });
    expect(t.registry.boothConn.get(7)).toBe(second);
    expect(t.left).toEqual([first.id]);
    expect(t.registry.conns.has(first.id)).toBe(false);
  });

  it('forgets a socket once, and only a signed-in one leaves the call engine', () => {
    const t = setUp();
    const anonymous = t.open();
    const agent = t.open();
    t.registry.claimAgent(agent, 3, 'hash');
    t.registry.forget(anonymous);
    t.registry.forget(agent);
    t.registry.forget(agent);
    expect(t.left).toEqual([agent.id]);
    expect(t.registry.agentConn.size).toBe(0);
    expect(t.registry.conns.size).toBe(0);
  });
});

describe('the writes', () => {
  it('sends what a socket signing in is answered in one write, as consecutive text frames', () => {
    const t = setUp();
    const c = t.open();
    t.writes.sendFrame(c, { type: 'pong', t: 1 });
    expect(c.fake.written).toEqual([]);
    t.writes.flush(c);
    expect(c.fake.written).toEqual([textFrames([HELLO, '{"type":"pong","t":1}'])]);
    t.writes.sendFrame(c, { type: 'pong', t: 2 });
    expect(c.fake.sent).toEqual(['{"type":"pong","t":2}']);
  });

  it('closes a socket whose client no longer reads instead of queueing more for it', () => {
    const t = setUp(1_000);
    const c = t.open();
    c.batch = null;
    c.fake.bufferedAmount = 1_001;
    t.writes.sendFrame(c, { type: 'pong', t: 1 });
    t.writes.relayRaw(c, Buffer.from('{}'));
    expect(c.fake.terminated).toBe(true);
    expect(c.fake.sent).toEqual([]);
    expect(c.fake.written).toEqual([]);
  });

  it('counts each error answered, and the bad frames apart', () => {
    const t = setUp();
    const c = t.open();
    t.writes.sendError(c, 'BAD_JSON', { bad: true });
    t.writes.sendError(c, 'AUTH_RATE_LIMITED', { retryAfterMs: 900 });
    expect(t.counters.byError).toEqual({ BAD_JSON: 1, AUTH_RATE_LIMITED: 1 });
    expect(t.counters.badFrames).toBe(1);
    t.writes.flush(c);
    expect(c.fake.written[0]!.toString()).toContain('"retryAfterMs":900');
  });
});
