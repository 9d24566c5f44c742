// What an organisation's owner commits on each bus (in-process and a real Redis): the fields that changed, not the whole
// state; the whole state again when the store's is not the one it built on (Redis restarted empty), with the same frames;
// a state of an older node (one JSON text) and damaged fields read by the next owner, which writes it all again.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { realScheduler, type OrganisationInfo } from '../../../../server/calls.js';
import type { ClusterBus, Committed, Outgoing } from '../../../../server/cluster/bus.js';
import { snapshotOf } from '../../../../server/cluster/orgState.js';
import { createOrgOwner, type OrgOwner } from '../../../../server/cluster/owner.js';
import { clusterBuses, type BusKind } from './buses.js';

const CAF: OrganisationInfo = { code: 'CAF', name: 'CAF', openNow: true, nextOpening: null, closesAt: null };
const TIMING = { leaseMs: 3_000, deadAfterMs: 3_000, graceMs: 0, blockMs: 200, resumeGraceMs: 10_000 };
const OTHER = 'other-node';

interface Recorded {
  committed: Committed;
  out: Outgoing[];
  result: string;
}

/** A bus whose commits are recorded, with the state they built applied to a model of the store's fields. */
function recording(bus: ClusterBus) {
  const commits: Recorded[] = [];
  const model = new Map<string, string>();
  const waiters = new Set<() => void>();
  const wrapped: ClusterBus = {
    ...bus,
    async commit(org, committed, out, leaseMs) {
      const result = await bus.commit(org, committed, out, leaseMs);
      commits.push({ committed, out, result });
      if (result === 'committed') {
        if (committed.whole) model.clear();
        for (const [f, v] of committed.delta.set) model.set(f, v);
        for (const f of committed.delta.del) model.delete(f);
      }
      for (const w of [...waiters]) w();
      return result;
    },
  };
  return {
    bus: wrapped,
    commits,
    model,
    /** Resolves once what has been committed satisfies `pred`. */
    until(pred: () => boolean): Promise<void> {
      return new Promise((resolve) => {
        const w = (): void => {
          if (!pred()) return;
          waiters.delete(w);
          resolve();
        };
        waiters.add(w);
        w();
      });
    },
  };
}

function logLines(): { lines: Array<Record<string, unknown>>; stream: Writable } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

const agentsOf = (fields: Map<string, string>): string[] => snapshotOf(fields).snapshot.agents.map(([p]) => p);
const bytesOf = (c: Committed): number => c.delta.set.reduce((n, [f, v]) => n + f.length + v.length, 0) + c.delta.del.reduce((n, f) => n + f.length, 0);

describe.each<BusKind>(['memory', 'redis'])('an organisation\'s owner committing on the %s bus', (kind) => {
  const buses = clusterBuses(kind);
  let owners: OrgOwner[] = [];
  let closing: ClusterBus[] = [];

  afterEach(async () => {
    for (const o of owners) await o.close(false);
    for (const b of closing) await b.close();
    owners = [];
    closing = [];
  });

  async function bus(name: string): Promise<ClusterBus> {
    const b = await buses.busFor(name);
    closing.push(b);
    return b;
  }

  async function ownerOn(b: ClusterBus, log = pino({ level: 'silent' })): Promise<OrgOwner> {
    const owner = createOrgOwner({
      bus: b,
      org: 'CAF',
      clock: Date.now,
      timing: TIMING,
      engine: {
        clock: Date.now,
        scheduler: realScheduler,
        record: () => undefined,
        organisation: (code) => (code === 'CAF' ? CAF : null),
        organisations: () => [CAF],
        ringTimeoutMs: 60_000,
        iceServers: () => [],
        newCallId: () => randomUUID(),
      },
      log,
    });
    owners.push(owner);
    await owner.tick(new Set([b.nodeId]), null, true);
    expect(owner.owning()).toBe(true);
    return owner;
  }

  /** Joins `n` CAF agents (parties of another node) through the organisation's log. */
  async function join(sub: ClusterBus, from: number, n: number): Promise<void> {
    for (let i = from; i < from + n; i++) await sub.submit('CAF', { t: 'agent', party: `${OTHER}~a${i}`, agent: { agentId: i, organisation: 'CAF', displayName: `Agent ${i}` } });
  }
  /** Erases the stored state, as a Redis restarted empty would. */
  async function eraseState(): Promise<void> {
    if (kind === 'memory') {
      buses.world().states.delete('CAF');
      return;
    }
    const r = new Redis(buses.redis().url);
    await r.del(`${buses.prefix()}state:CAF`);
    r.disconnect();
  }
  /** Damages the stored state: `field` made unreadable and foreign fields added. */
  async function damage(field: string): Promise<void> {
    const bad: Array<[string, string]> = [
      [field, '3 {"agentId":'],
      ['c|forged', '99 {"id":"forged"}'],
      ['q|CAF', '100 [1,2,3]'],
    ];
    if (kind === 'memory') {
      const fields = buses.world().states.get('CAF')!.fields;
      for (const [f, v] of bad) fields.set(f, v);
      return;
    }
    const r = new Redis(buses.redis().url);
    await r.hset(`${buses.prefix()}state:CAF`, ...bad.flat());
    r.disconnect();
  }

  it('commits what changed: one status among 2,000 agents is one field of under 200 bytes, and the order survives a takeover', async () => {
    buses.fresh();
    const rec = recording(await bus('owner1'));
    const sub = await bus('sub');
    const owner = await ownerOn(rec.bus);
    expect(rec.commits[0]!.committed.whole).toBe(true);
    await join(sub, 0, 2_000);
    await rec.until(() => agentsOf(rec.model).length === 2_000);
    const whole = [...rec.model].reduce((n, [f, v]) => n + f.length + v.length, 0);
    const before = rec.commits.length;
    await sub.submit('CAF', { t: 'status', party: `${OTHER}~a1234`, status: 'available' });
    await rec.until(() => rec.model.get(`a|${OTHER}~a1234`)?.includes('"available"') === true);
    const after = rec.commits.slice(before);
    expect(after.map((c) => c.result)).toEqual(['committed']);
    expect(after[0]!.committed.whole).toBe(false);
    expect(after[0]!.committed.delta).toEqual({ set: [[`a|${OTHER}~a1234`, rec.model.get(`a|${OTHER}~a1234`)]], del: [] });
    expect(bytesOf(after[0]!.committed)).toBeLessThan(200);
    expect(whole).toBeGreaterThan(200_000);
    // Agent 5 leaves and signs in again: the engine puts it last, and so does the state read back.
    await sub.submit('CAF', { t: 'leave', party: `${OTHER}~a5` });
    await join(sub, 5, 1);
    await rec.until(() => agentsOf(rec.model).at(-1) === `${OTHER}~a5`);
    const stored = (await rec.bus.load('CAF'))!;
    expect(stored.fields).toEqual(rec.model);
    const order = [...Array.from({ length: 2_000 }, (_, i) => i).filter((i) => i !== 5), 5].map((i) => `${OTHER}~a${i}`);
    expect(agentsOf(stored.fields)).toEqual(order);
    // Handed over: the next owner loads the same state and goes on with deltas onto its revision.
    await owner.handOver();
    const handedRev = rec.commits.at(-1)!.committed.rev;
    expect(handedRev).toBeGreaterThanOrEqual(stored.rev);
    const rec2 = recording(await bus('owner2'));
    const next = await ownerOn(rec2.bus);
    expect(next.stats()).toMatchObject({ agents: 2_000 });
    // Its first commit builds on the revision handed over, and the state it loaded has nothing to write again.
    expect(rec2.commits.map((c) => [c.result, c.committed.whole, c.committed.base, c.committed.delta])).toEqual([['committed', false, handedRev, { set: [], del: [] }]]);
    await sub.submit('CAF', { t: 'status', party: `${OTHER}~a7`, status: 'available' });
    await rec2.until(() => rec2.commits.length === 2);
    expect(rec2.commits[1]!.committed.delta.set.map(([f]) => f)).toEqual([`a|${OTHER}~a7`]);
    expect(agentsOf((await rec2.bus.load('CAF'))!.fields)).toEqual(order);
  });

  it('commits the whole state again, with the same frames, when the stored one is gone (Redis restarted empty)', async () => {
    buses.fresh();
    const rec = recording(await bus('owner1'));
    const sub = await bus('sub');
    await ownerOn(rec.bus);
    await join(sub, 0, 50);
    for (let i = 0; i < 3; i++) await sub.submit('CAF', { t: 'status', party: `${OTHER}~a${i}`, status: 'available' });
    await rec.until(() => [0, 1, 2].every((i) => rec.model.get(`a|${OTHER}~a${i}`)?.includes('"available"')));
    await eraseState();
    const before = rec.commits.length;
    // A booth asks: the three available agents ring; those frames must go out once, with the state.
    await sub.submit('CAF', { t: 'request', party: `${OTHER}~b1`, booth: { boothId: 1, siteName: 'Mairie' } });
    await rec.until(() => rec.commits.length >= before + 2);
    const [stale, again] = rec.commits.slice(before);
    expect(stale!.result).toBe('stale');
    expect(stale!.committed.whole).toBe(false);
    expect(again!.result).toBe('committed');
    expect(again!.committed.whole).toBe(true);
    expect(again!.out).toBe(stale!.out);
    expect(again!.out.filter((o) => o.msg.k === 'frame' && o.msg.frame.type === 'call.ringing')).toHaveLength(3);
    const stored = (await rec.bus.load('CAF'))!;
    expect(stored.fields).toEqual(rec.model);
    expect(agentsOf(stored.fields)).toHaveLength(50);
    expect(snapshotOf(stored.fields).snapshot.calls).toHaveLength(1);
  });

  it('stores a commit of thousands of fields set and removed at once, odd names and values kept byte for byte', async () => {
    buses.fresh();
    const b = await bus('owner1');
    expect(await b.lease('CAF', 3_000)).toBe('taken');
    const value = (i: number): string => `${i} {"displayName":"Agent ${i} — é\\n\u2028 ${'x'.repeat(i % 50)}"}`;
    const all = new Map(Array.from({ length: 5_000 }, (_, i): [string, string] => [`a|n~a${i}|${'é'.repeat(i % 3)}`, value(i)]));
    expect(await b.commit('CAF', { delta: { set: [...all], del: [] }, whole: true, base: 0, rev: 1, lastOpId: '0' }, [], 3_000)).toBe('committed');
    const removed = [...all.keys()].slice(100, 900);
    const set: Array<[string, string]> = Array.from({ length: 700 }, (_, i) => [`b|n~b${i}`, value(i + 2_000)]);
    expect(await b.commit('CAF', { delta: { set, del: removed }, whole: false, base: 1, rev: 2, lastOpId: '0' }, [], 3_000)).toBe('committed');
    for (const f of removed) all.delete(f);
    for (const [f, v] of set) all.set(f, v);
    expect(await b.load('CAF')).toEqual({ fields: all, rev: 2, lastOpId: '0' });
    // Onto a revision it was not built on: nothing done.
    expect(await b.commit('CAF', { delta: { set: [['b|n~z', '1 {}']], del: [...all.keys()] }, whole: false, base: 1, rev: 3, lastOpId: '0' }, [], 3_000)).toBe('stale');
    expect((await b.load('CAF'))!.fields).toEqual(all);
    // By a node that does not hold the lease: refused, whole or not.
    const other = await bus('owner2');
    expect(await other.commit('CAF', { delta: { set: [], del: [] }, whole: true, base: 0, rev: 9, lastOpId: '0' }, [], 3_000)).toBe('lease_lost');
    expect((await b.load('CAF'))!.rev).toBe(2);
  });

  it('leaves out the damaged fields it loads, says so, and writes its state whole', async () => {
    buses.fresh();
    const rec = recording(await bus('owner1'));
    const sub = await bus('sub');
    const first = await ownerOn(rec.bus);
    await join(sub, 0, 3);
    await rec.until(() => agentsOf(rec.model).length === 3);
    await first.handOver();
    await damage(`a|${OTHER}~a1`);
    const { lines, stream } = logLines();
    const rec2 = recording(await bus('owner2'));
    const next = await ownerOn(rec2.bus, pino({ level: 'info' }, stream));
    expect(next.stats()).toMatchObject({ agents: 2, queued: 0, ringing: 0 });
    expect(lines.find((l) => l.code === 'HUB_CLUSTER_BAD_STATE')).toMatchObject({ org: 'CAF', fields: 3 });
    expect(rec2.commits.map((c) => [c.result, c.committed.whole])).toEqual([['committed', true]]);
    const stored = (await rec2.bus.load('CAF'))!;
    expect(agentsOf(stored.fields)).toEqual([`${OTHER}~a0`, `${OTHER}~a2`]);
    expect([...stored.fields.keys()].filter((f) => f.startsWith('c|') || f === `a|${OTHER}~a1`)).toEqual([]);
    expect(stored.fields).toEqual(rec2.model);
  });
});

describe('an organisation\'s owner on Redis taking over from a node of before the state went by fields', () => {
  const buses = clusterBuses('redis');

  it('reads the state written as one JSON text, then writes it whole by fields', async () => {
    buses.fresh();
    const key = `${buses.prefix()}state:CAF`;
    const r = new Redis(buses.redis().url);
    const snap = {
      agents: [[`${OTHER}~a1`, { agentId: 1, organisation: 'CAF', displayName: 'Agent 1', status: 'available', call: null }]],
      booths: [],
      calls: [],
      queues: [['CAF', []]],
      durations: [['CAF', [300]]],
    };
    await r.hset(key, 'state', JSON.stringify(snap), 'lastOpId', '0');
    const rec = recording(await buses.busFor('owner1'));
    const made: OrgOwner[] = [];
    const startOwner = async (b: ClusterBus): Promise<OrgOwner> => {
      const o = createOrgOwner({
        bus: b,
        org: 'CAF',
        clock: Date.now,
        timing: TIMING,
        engine: { clock: Date.now, scheduler: realScheduler, record: () => undefined, organisation: () => CAF, organisations: () => [CAF], ringTimeoutMs: 60_000, iceServers: () => [], newCallId: () => randomUUID() },
        log: pino({ level: 'silent' }),
      });
      made.push(o);
      await o.tick(new Set([b.nodeId]), null, true);
      expect(o.owning()).toBe(true);
      return o;
    };
    try {
      const owner = await startOwner(rec.bus);
      expect(owner.stats()).toMatchObject({ agents: 1 });
      expect(rec.commits.map((c) => [c.result, c.committed.whole])).toEqual([['committed', true]]);
      const h = await r.hgetall(key);
      expect(h.state).toBeUndefined();
      expect(snapshotOf(new Map(Object.entries(h))).snapshot).toEqual(snap);
      // A revision damaged by hand: the state is read all the same, and written again whole at the next owner's start.
      await owner.handOver();
      for (const bad of ['abc', '-3', '1e9', '', '99999999999999999999']) {
        await r.hset(key, 'rev', bad);
        const loaded = (await rec.bus.load('CAF'))!;
        expect(loaded.rev).toBe(-1);
        expect(snapshotOf(loaded.fields).snapshot).toEqual(snap);
      }
      const before = rec.commits.length;
      await startOwner(rec.bus);
      expect(rec.commits.slice(before).map((c) => [c.result, c.committed.whole])).toEqual([['committed', true]]);
      expect(snapshotOf(new Map(Object.entries(await r.hgetall(key)))).snapshot).toEqual(snap);
    } finally {
      for (const o of made) await o.close(false);
      await rec.bus.close();
      r.disconnect();
    }
  });
});
