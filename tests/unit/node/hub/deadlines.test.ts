import { afterEach, describe, expect, it } from 'vitest';
import { FifoDeadlines } from '../../../../server/deadlines.js';
import { startHub, type RunningHub } from '../../../../server/hub.js';
import { BEAT_TEXT, beatEveryMs } from '../../../../shared/protocol.js';
import { execFileSync } from 'node:child_process';
import { ALWAYS_OPEN } from '../../../../server/store.js';
import { TUESDAY_10H, booth, connect, waitFor, type RawClient } from './helpers.js';

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

  /** An agent signed in by session (no scrypt): the hub watches every agent. */
  async function sessionAgent(h: RunningHub, login: string): Promise<RawClient> {
    const id = h.store.addAgent({ organisation: 'CAF', login, displayName: login, passwordHash: 'unused' }, Date.now());
    const c = await connect(h.url);
    c.send({ type: 'auth.session', session: h.store.newSession(id, Date.now(), 60_000) });
    await c.next('auth.ok');
    return c;
  }

  it('closes a watched socket that stops answering pings (an agent whose network is gone), keeps one that answers', async () => {
    hub = await startHub({ heartbeatMs: 200 });
    const alive = await sessionAgent(hub, 'alive');
    const deaf = await sessionAgent(hub, 'deaf');
    // A client that no longer answers pings: ws answers pings itself unless told otherwise.
    (deaf.ws as unknown as { _receiver: { removeAllListeners(e: string): void } })._receiver.removeAllListeners('ping');
    await deaf.closed;
    expect(hub.stats().heartbeatDropped).toBe(1);
    alive.send({ type: 'ping', t: 2 });
    expect((await alive.next('pong')).t).toBe(2);
    alive.close();
  });

  it('watches agents and booths with a call: pings only the silent ones; an idle booth is left to TCP keepalive', async () => {
    hub = await startHub({ heartbeatMs: 200, clock: () => TUESDAY_10H });
    hub.store.setOpeningHours('CAF', ALWAYS_OPEN);
    const idleBooth = await booth(hub.url, hub.store.addBooth('Idle', Date.now()).token);
    const waitingBooth = await booth(hub.url, hub.store.addBooth('Waiting', Date.now()).token);
    const beatingAgent = await sessionAgent(hub, 'beating');
    const silentAgent = await sessionAgent(hub, 'silent');
    // The booth's call rings the available agent, who lets it ring (the ring timeout is a minute).
    beatingAgent.send({ type: 'agent.status', status: 'available' });
    waitingBooth.send({ type: 'presence.get' });
    await waitingBooth.next('presence', (p) => p.organisations.some((o) => o.code === 'CAF' && o.reachable));
    waitingBooth.send({ type: 'call.request', organisation: 'CAF' });
    await beatingAgent.next('call.ringing');
    const pings = new Map<RawClient, number>([idleBooth, waitingBooth, beatingAgent, silentAgent].map((c) => [c, 0]));
    for (const c of pings.keys()) c.ws.on('ping', () => pings.set(c, pings.get(c)! + 1));
    let beats = 0;
    const beat = setInterval(() => {
      beatingAgent.ws.send(BEAT_TEXT);
      beats++;
    }, beatEveryMs(200));
    try {
      // Six beats: five heartbeat periods.
      await waitFor(() => beats >= 6 && pings.get(silentAgent)! >= 2 && pings.get(waitingBooth)! >= 2, 5_000, 'six beats, two pings to each silent watched socket');
    } finally {
      clearInterval(beat);
    }
    expect(pings.get(idleBooth)).toBe(0);
    expect(pings.get(beatingAgent)).toBe(0);
    expect(hub.stats()).toMatchObject({ sockets: 4, heartbeatDropped: 0, badFrames: 0 });
    expect(hub.stats().pings).toBe(pings.get(silentAgent)! + pings.get(waitingBooth)!);
    for (const c of pings.keys()) c.close();
  });

  it('turns TCP keepalive on for every hub socket', async () => {
    const h = await startHub({ heartbeatMs: 30_000 });
    hub = h;
    const c = await booth(h.url, h.store.addBooth('Borne', Date.now()).token);
    // `ss -o` shows the kernel's keepalive timer on the hub's side of the connection, once what the hub sent last is
    // acknowledged (until then it shows the retransmission timer: the client's ACK may be delayed).
    const timerOf = (): string => /timer:\((\w+),/.exec(execFileSync('ss', ['-tno', 'state', 'established', `( sport = :${h.port} )`]).toString())?.[1] ?? 'none';
    await waitFor(() => timerOf() !== 'on', 2_000, 'the hub\'s last frames acknowledged');
    expect(timerOf()).toBe('keepalive');
    c.close();
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
