// Presence alone (server/presence.ts): coalesced, sent only when it changed, in slices — with a manual scheduler.
import { describe, expect, it } from 'vitest';
import type { Scheduler } from '../../../../server/calls.js';
import { PRESENCE_COALESCE_MS, PRESENCE_SLICE, createPresence } from '../../../../server/presence.js';
import type { OrganisationPresence } from '../../../../shared/protocol.js';
import { fakeConn, type FakeConn } from './fakeConn.js';

function setUp(socketCount = 3) {
  let now = Date.UTC(2026, 2, 10, 9);
  const timers: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
  const scheduler: Scheduler = {
    setTimeout: (fn, ms) => {
      const t = { fn, ms, cleared: false };
      timers.push(t);
      return t;
    },
    clearTimeout: (h) => void ((h as { cleared: boolean }).cleared = true),
  };
  const deferred: Array<() => void> = [];
  let reachable = true;
  let agents = 1;
  const conns: FakeConn[] = Array.from({ length: socketCount }, (_, i) => fakeConn(`c${i}`, i === 0 ? 'none' : 'booth', i));
  const presence = createPresence({
    clock: () => now,
    presenceOf: (): OrganisationPresence[] => [{ code: 'CAF', name: 'CAF', openNow: true, reachable, agentsAvailable: agents, nextOpening: null, closesAt: null }],
    conns: () => conns.values(),
    sendRaw: (c, text) => void (c as FakeConn).fake.sent.push(text),
    scheduler,
    defer: (fn) => void deferred.push(fn),
  });
  presence.noteToldNow();
  const pending = () => timers.filter((t) => !t.cleared);
  const fire = (): void => {
    const due = pending();
    timers.length = 0;
    for (const t of due) t.fn();
  };
  const runDeferred = (): number => {
    let turns = 0;
    while (deferred.length > 0) {
      deferred.shift()!();
      turns++;
    }
    return turns;
  };
  return {
    presence,
    conns,
    pending,
    fire,
    runDeferred,
    set: (v: { reachable?: boolean; agents?: number }) => ((reachable = v.reachable ?? reachable), (agents = v.agents ?? agents)),
    advance: (ms: number) => (now += ms),
  };
}

describe('presence', () => {
  it('gathers a burst of changes into one broadcast after the coalescing delay', () => {
    const t = setUp();
    t.set({ reachable: false });
    for (let i = 0; i < 5; i++) t.presence.changed();
    expect(t.pending().map((x) => x.ms)).toEqual([PRESENCE_COALESCE_MS]);
    t.fire();
    expect(t.conns.map((c) => c.fake.sent.length)).toEqual([0, 1, 1]);
    expect(JSON.parse(t.conns[1]!.fake.sent[0]!)).toMatchObject({ type: 'presence', organisations: [{ code: 'CAF', reachable: false }] });
  });

  it('tells nothing when what booths see did not change (a count of agents is not news)', () => {
    const t = setUp();
    t.set({ agents: 4 });
    t.presence.changed();
    t.fire();
    expect(t.conns.every((c) => c.fake.sent.length === 0)).toBe(true);
  });

  it('sends to many sockets in slices, one per turn of the event loop, and a newer presence replaces an older one', () => {
    const t = setUp(PRESENCE_SLICE * 3 + 1);
    t.set({ reachable: false });
    t.presence.changed();
    t.fire();
    const told = () => t.conns.filter((c) => c.fake.sent.length > 0).length;
    expect(told()).toBe(PRESENCE_SLICE);
    t.set({ reachable: true });
    t.presence.changed();
    t.fire();
    // The older broadcast's next slice sends nothing; the newer one reaches every signed-in socket, two slices later.
    expect(t.runDeferred()).toBe(3);
    expect(told()).toBe(PRESENCE_SLICE * 3);
    expect(t.conns.slice(1).every((c) => JSON.parse(c.fake.sent.at(-1)!).organisations[0].reachable === true)).toBe(true);
  });

  it('keeps the text told at sign-in for a minute, and builds it again once presence changed', () => {
    const t = setUp();
    const first = t.presence.frameText();
    t.advance(1_000);
    expect(t.presence.frameText()).toBe(first);
    t.presence.changed();
    expect(t.presence.frameText()).not.toBe(first);
    const second = t.presence.frameText();
    t.advance(60_000);
    expect(JSON.parse(t.presence.frameText()).at).toBeGreaterThan(JSON.parse(second).at);
  });

  it('sends nothing more once closed', () => {
    const t = setUp(PRESENCE_SLICE + 2);
    t.set({ reachable: false });
    t.presence.changed();
    t.presence.close();
    expect(t.pending()).toEqual([]);
    t.presence.changed();
    expect(t.pending()).toEqual([]);
    expect(t.conns.every((c) => c.fake.sent.length === 0)).toBe(true);
  });
});
