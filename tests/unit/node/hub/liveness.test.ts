// Liveness alone (server/liveness.ts): auth timeouts, pings to silent watched sockets, closing the unanswered —
// with an injected monotonic clock and fake sockets.
import { describe, expect, it } from 'vitest';
import type { HubErrorCode } from '../../../../shared/protocol.js';
import type { Conn } from '../../../../server/connections/conn.js';
import { createLiveness } from '../../../../server/liveness.js';
import { newCounters } from '../../../../server/stats.js';
import { fakeConn, silentLog, type FakeConn } from './fakeConn.js';

const HEARTBEAT_MS = 30_000;
const AUTH_MS = 15_000;
const PONG_MS = 10_000;

function setUp() {
  let now = 0;
  const counters = newCounters();
  const inCall = new Set<string>();
  const dropped: Array<{ id: string; code: HubErrorCode; wsCode: number }> = [];
  const forgotten: string[] = [];
  const liveness = createLiveness({
    now: () => now,
    heartbeatMs: HEARTBEAT_MS,
    authTimeoutMs: AUTH_MS,
    boothInCall: (id) => inCall.has(id),
    socketCount: () => 10,
    drop: (c: Conn, code, wsCode) => {
      dropped.push({ id: c.id, code, wsCode });
      c.closed = true;
    },
    forget: (c) => {
      forgotten.push(c.id);
      c.closed = true;
    },
    counters,
    log: silentLog,
  });
  /** Moves time on in sweeps, as the hub's interval does. */
  const run = (ms: number): void => {
    const end = now + ms;
    while (now < end) {
      now = Math.min(end, now + liveness.sweepMs);
      liveness.sweep();
    }
  };
  return { liveness, counters, inCall, dropped, forgotten, run };
}

const signedIn = (id: string, role: 'booth' | 'agent'): FakeConn => fakeConn(id, role, 1);

describe('liveness', () => {
  it('sweeps once a second at most', () => {
    expect(setUp().liveness.sweepMs).toBe(1_000);
  });

  it('closes a socket that has not signed in within the auth timeout, and not one that has', () => {
    const t = setUp();
    const silent = fakeConn('c1');
    const booth = fakeConn('c2');
    t.liveness.opened(silent);
    t.liveness.opened(booth);
    booth.role = 'booth';
    t.run(AUTH_MS - 1_000);
    expect(t.dropped).toEqual([]);
    t.run(1_000);
    expect(t.dropped).toEqual([{ id: 'c1', code: 'NOT_AUTHENTICATED', wsCode: 4000 }]);
  });

  it('pings a watched agent only after a silent period, and closes it when no pong nor frame comes', () => {
    const t = setUp();
    const agent = signedIn('c1', 'agent');
    t.liveness.watch(agent);
    t.run(HEARTBEAT_MS);
    // It said something in its first period (it signed in): kept, unpinged.
    expect(agent.fake.pings).toBe(0);
    t.run(HEARTBEAT_MS);
    expect(agent.fake.pings).toBe(1);
    t.run(PONG_MS);
    expect(agent.fake.terminated).toBe(true);
    expect(t.forgotten).toEqual(['c1']);
    expect(t.counters).toMatchObject({ pings: 1, heartbeatDropped: 1 });
  });

  it('keeps a watched agent that beats, without pinging it, and one that answers the ping', () => {
    const t = setUp();
    const beating = signedIn('c1', 'agent');
    const answering = signedIn('c2', 'agent');
    t.liveness.watch(beating);
    t.liveness.watch(answering);
    for (let i = 0; i < 6; i++) {
      t.run(HEARTBEAT_MS / 2);
      beating.alive = true;
      if (answering.fake.pings > 0) answering.alive = true;
    }
    expect(beating.fake.pings).toBe(0);
    expect(answering.fake.pings).toBeGreaterThan(0);
    expect(t.forgotten).toEqual([]);
  });

  it('leaves an idle booth to TCP keepalive, and watches it while it has a call', () => {
    const t = setUp();
    const booth = signedIn('c1', 'booth');
    t.liveness.watch(booth);
    expect(booth.watched).toBe(false);
    t.inCall.add('c1');
    t.liveness.watch(booth);
    expect(booth.watched).toBe(true);
    t.run(HEARTBEAT_MS * 2);
    expect(booth.fake.pings).toBe(1);
    // The call ended before the pong was due: no longer watched, not closed.
    t.inCall.delete('c1');
    t.run(PONG_MS);
    expect(booth.watched).toBe(false);
    expect(booth.fake.terminated).toBe(false);
  });
});
