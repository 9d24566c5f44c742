import { afterEach, describe, expect, it } from 'vitest';
import { FifoDeadlines } from '../../../../server/deadlines.js';
import { startHub, type RunningHub } from '../../../../server/hub.js';
import { connect } from './helpers.js';

describe('FifoDeadlines', () => {
  it('hands over only what is due, earliest first', () => {
    const d = new FifoDeadlines<string>(100);
    d.add('a', 0);
    d.add('b', 10);
    d.add('c', 50);
    const got: string[] = [];
    expect(d.takeDue(99, (x) => got.push(x))).toBe(0);
    expect(d.takeDue(110, (x) => got.push(x))).toBe(2);
    expect(got).toEqual(['a', 'b']);
    expect(d.size).toBe(1);
    d.takeDue(150, (x) => got.push(x));
    expect(got).toEqual(['a', 'b', 'c']);
    expect(d.size).toBe(0);
  });

  it('spreads a burst over several sweeps when capped, losing none', () => {
    const d = new FifoDeadlines<number>(1000);
    for (let i = 0; i < 10_000; i++) d.add(i, i / 10);
    const got: number[] = [];
    let sweeps = 0;
    while (d.size > 0) {
      d.takeDue(5_000, (x) => got.push(x), 700);
      sweeps++;
    }
    expect(sweeps).toBe(15);
    expect(got).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
  });

  it('keeps working after items are added back while it compacts (a socket pinged again)', () => {
    const d = new FifoDeadlines<number>(10);
    let now = 0;
    for (let i = 0; i < 3000; i++) d.add(i, now);
    const seen = new Map<number, number>();
    for (let step = 0; step < 50; step++) {
      now += 10;
      d.takeDue(now, (x) => {
        seen.set(x, (seen.get(x) ?? 0) + 1);
        d.add(x, now);
      }, 500);
    }
    expect(d.size).toBe(3000);
    // 50 sweeps of at most 500: every item came round 8 or 9 times, in turn.
    expect(Math.min(...seen.values())).toBeGreaterThanOrEqual(8);
    expect(Math.max(...seen.values())).toBeLessThanOrEqual(9);
  });
});

describe('hub deadlines without a timer per socket', () => {
  let hub: RunningHub | null = null;
  afterEach(async () => {
    await hub?.close();
    hub = null;
  });

  it('closes a socket that does not authenticate in time, and only that one', async () => {
    hub = await startHub({ authTimeoutMs: 300, heartbeatMs: 60_000 });
    const token = hub.store.addBooth('Borne', Date.now()).token;
    const silent = await connect(hub.url);
    const booth = await connect(hub.url);
    booth.send({ type: 'auth.booth', token });
    await booth.next('auth.ok');
    const error = await silent.next('error', undefined, 3_000);
    expect(error.code).toBe('NOT_AUTHENTICATED');
    expect((await silent.closed).code).toBe(4000);
    booth.send({ type: 'ping', t: 1 });
    expect((await booth.next('pong')).t).toBe(1);
    expect(hub.stats().sockets).toBe(1);
    booth.close();
  });

  it('closes a socket that stops answering heartbeats, keeps one that answers', async () => {
    hub = await startHub({ heartbeatMs: 200 });
    const tokenA = hub.store.addBooth('A', Date.now()).token;
    const tokenB = hub.store.addBooth('B', Date.now()).token;
    const alive = await connect(hub.url);
    alive.send({ type: 'auth.booth', token: tokenA });
    await alive.next('auth.ok');
    const deaf = await connect(hub.url);
    deaf.send({ type: 'auth.booth', token: tokenB });
    await deaf.next('auth.ok');
    // A client that no longer answers pings (its network is gone): ws answers pings itself unless told otherwise.
    (deaf.ws as unknown as { _receiver: { removeAllListeners(e: string): void } })._receiver.removeAllListeners('ping');
    await deaf.closed;
    expect(hub.stats().heartbeatDropped).toBe(1);
    alive.send({ type: 'ping', t: 2 });
    expect((await alive.next('pong')).t).toBe(2);
    alive.close();
  });
});

describe('presence sent to many booths', () => {
  let hub: RunningHub | null = null;
  afterEach(async () => {
    await hub?.close();
    hub = null;
  });

  it('reaches every signed-in booth once when an organisation becomes reachable, sent in slices', async () => {
    hub = await startHub({ demo: true });
    const now = Date.now();
    const booths = await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        const c = await connect(hub!.url);
        c.send({ type: 'auth.booth', token: hub!.store.addBooth(`Borne ${i}`, now).token });
        await c.next('auth.ok');
        await c.next('presence');
        return c;
      }),
    );
    const agentId = hub.store.addAgent({ organisation: 'CAF', login: 'caf-x', displayName: 'Agent', passwordHash: 'unused' }, now);
    const agent = await connect(hub.url);
    agent.send({ type: 'auth.session', session: hub.store.newSession(agentId, now, 60_000) });
    await agent.next('auth.ok');
    agent.send({ type: 'agent.status', status: 'available' });
    const frames = await Promise.all(booths.map((b) => b.next('presence', (f) => f.organisations.some((o) => o.code === 'CAF' && o.reachable), 5_000)));
    expect(frames).toHaveLength(300);
    // Once each: no booth got the change twice.
    await new Promise((r) => setTimeout(r, 1_200));
    for (const b of booths) expect(b.frames.filter((f) => f.type === 'presence').length).toBe(2);
    for (const b of [...booths, agent]) b.close();
  });
});
