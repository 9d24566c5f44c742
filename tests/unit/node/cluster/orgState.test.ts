// An organisation's state as its owner commits it: field by field, only what changed, in the engine's order whatever
// order the store gives the fields back, and damaged fields left out rather than trusted.
import { describe, expect, it } from 'vitest';
import type { EngineSnapshot } from '../../../../server/calls.js';
import { committedState, isStateField, snapshotOf } from '../../../../server/cluster/orgState.js';

const agent = (id: number, status: 'away' | 'available' = 'away') => ({ agentId: id, organisation: 'CAF', displayName: `Agent ${id}`, status, call: null });

function snapshot(agents: number[], over: Partial<EngineSnapshot> = {}): EngineSnapshot {
  return {
    agents: agents.map((id) => [`n1~a${id}`, agent(id)]),
    booths: [['n2~b1', { boothId: 1, siteName: 'Site 1', call: 'c1' }]],
    calls: [{ id: 'c1', organisation: 'CAF', booth: 'n2~b1', boothId: 1, siteName: 'Site 1', state: 'queued', queuedAt: 1_000, answeredAt: null, agent: null, agentId: null, ringing: [], declined: [], appointment: null }],
    queues: [['CAF', ['c1']]],
    durations: [['CAF', [300, 420]]],
    ...over,
  };
}

/** The store's hash after applying `delta`s in turn, as a Map whose order is shuffled (a hash gives no order back). */
function store(): { apply(d: { set: Array<[string, string]>; del: string[] }, whole: boolean): void; fields(): Map<string, string> } {
  let h = new Map<string, string>();
  return {
    apply(d, whole) {
      if (whole) h = new Map();
      for (const [f, v] of d.set) h.set(f, v);
      for (const f of d.del) h.delete(f);
    },
    fields() {
      const entries = [...h];
      for (let i = entries.length - 1; i > 0; i--) {
        const j = (i * 7919) % (i + 1);
        [entries[i], entries[j]] = [entries[j]!, entries[i]!];
      }
      return new Map([...entries, ['rev', '12'], ['lastOpId', '1-0']]);
    },
  };
}

describe('an organisation state committed field by field', () => {
  it('gives back the snapshot it was given, in the engine\'s order, from fields in any order', () => {
    const c = committedState();
    const s = store();
    const snap = snapshot([3, 1, 2]);
    s.apply(c.delta(snap, true), true);
    const read = snapshotOf(s.fields());
    expect(read.unreadable).toEqual([]);
    expect(read.snapshot).toEqual(snap);
  });

  it('commits only what changed: one agent\'s status among 2,000 is one field of a few hundred bytes', () => {
    const c = committedState();
    const s = store();
    const ids = Array.from({ length: 2_000 }, (_, i) => i);
    const whole = c.delta(snapshot(ids), true);
    s.apply(whole, true);
    const wholeBytes = whole.set.reduce((n, [f, v]) => n + f.length + v.length, 0);
    const next = snapshot(ids);
    next.agents[1_234]![1].status = 'available';
    const d = c.delta(next, false);
    expect(d.set.map(([f]) => f)).toEqual(['a|n1~a1234']);
    expect(d.del).toEqual([]);
    const bytes = d.set.reduce((n, [f, v]) => n + f.length + v.length, 0);
    expect(bytes).toBeLessThan(200);
    expect(wholeBytes).toBeGreaterThan(200_000);
    s.apply(d, false);
    expect(snapshotOf(s.fields()).snapshot).toEqual(next);
    // Nothing changed: nothing to write.
    expect(c.delta(next, false)).toEqual({ set: [], del: [] });
  });

  it('removes what left, and writes again what moved: an agent gone and back is last, as in the engine', () => {
    const c = committedState();
    const s = store();
    s.apply(c.delta(snapshot([1, 2, 3, 4]), true), true);
    // Agent 2 left and signed in again between two commits (the engine's map put it last); the call was answered.
    const next = snapshot([1, 3, 4, 2], { calls: [], queues: [['CAF', []]], booths: [] });
    const d = c.delta(next, false);
    expect(d.set.map(([f]) => f).sort()).toEqual(['a|n1~a2', 'q|CAF']);
    expect(d.del.sort()).toEqual(['b|n2~b1', 'c|c1']);
    s.apply(d, false);
    expect(snapshotOf(s.fields()).snapshot).toEqual(next);
    // And again after a state loaded by another owner: its seqs go on from the highest read.
    const other = committedState();
    other.reset(snapshotOf(s.fields()).kept);
    const later = snapshot([3, 4, 2, 1], { calls: [], queues: [['CAF', []]], booths: [] });
    const d2 = other.delta(later, false);
    expect(d2.set.map(([f]) => f)).toEqual(['a|n1~a1']);
    s.apply(d2, false);
    expect(snapshotOf(s.fields()).snapshot).toEqual(later);
  });

  it('sees every change, whether the value is a fresh copy, the same object changed in place, or nested', () => {
    const c = committedState();
    const call = (over: Record<string, unknown>): EngineSnapshot['calls'][number] => ({ ...snapshot([]).calls[0]!, ...over });
    const appointment = { id: 'rdv1', agentId: 7, details: { start: 1_000, subject: 'Dossier', note: 'a' } };
    c.delta(snapshot([1], { calls: [call({ appointment })] }), true);
    // A nested object with the same shape but another value deep inside.
    const d1 = c.delta(snapshot([1], { calls: [call({ appointment: { ...appointment, details: { ...appointment.details, note: 'b' } } })] }), false);
    expect(d1.set.map(([f]) => f)).toEqual(['c|c1']);
    // The same snapshot object, changed in place between two deltas.
    const same = snapshot([1]);
    c.delta(same, false);
    same.agents[0]![1].status = 'available';
    expect(c.delta(same, false).set.map(([f]) => f)).toEqual(['a|n1~a1']);
    // Arrays: one element changed, one added, one removed; a key added with the same count of keys elsewhere.
    const arrays = snapshot([1], { durations: [['CAF', [300, 421]]], queues: [['CAF', ['c1', 'c2']]] });
    arrays.agents[0]![1].status = 'available';
    expect(c.delta(arrays, false).set.map(([f]) => f).sort()).toEqual(['d|CAF', 'q|CAF']);
    const swapped = snapshot([1], { durations: [['CAF', [300, 421]]], queues: [['CAF', ['c1', 'c2']]] });
    const { call: _call, ...rest } = swapped.agents[0]![1];
    swapped.agents[0]![1] = { ...rest, status: 'available', room: null } as unknown as (typeof swapped.agents)[number][1];
    expect(c.delta(swapped, false).set.map(([f]) => f)).toEqual(['a|n1~a1']);
    // Back to a plain agent, then the same again as a fresh copy: nothing to write.
    const plain = (): EngineSnapshot => snapshot([1], { durations: [['CAF', [300, 421]]], queues: [['CAF', ['c1', 'c2']]] });
    expect(c.delta(plain(), false).set.map(([f]) => f)).toEqual(['a|n1~a1']);
    expect(c.delta(plain(), false)).toEqual({ set: [], del: [] });
  });

  it('writes everything again after forget (a failed commit): nothing removed, every field set', () => {
    const c = committedState();
    c.delta(snapshot([1, 2]), true);
    c.forget();
    const d = c.delta(snapshot([1]), false);
    expect(d.del).toEqual([]);
    expect(d.set.map(([f]) => f).sort()).toEqual(['a|n1~a1', 'b|n2~b1', 'c|c1', 'd|CAF', 'q|CAF']);
  });

  it('leaves out damaged fields and says which, keeping the rest', () => {
    const c = committedState();
    const good = new Map(c.delta(snapshot([1]), true).set);
    const hostile: Array<[string, string]> = [
      ['a|n1~x1', 'garbage'],
      ['a|n1~x2', '0 {"agentId":2}'],
      ['a|n1~x3', '-4 {"agentId":3}'],
      ['a|n1~x4', '1e400 {"agentId":4}'],
      ['a|n1~x5', 'x {"agentId":5}'],
      ['a|n1~x6', '7 [1,2]'],
      ['a|n1~x7', '7 null'],
      ['a|n1~x8', '7 {"agentId":'],
      ['c|c9', '8 {"id":"c9"}'],
      ['q|MSA', '9 [1,2]'],
      ['d|MSA', '10 ["x"]'],
      ['d|CPAM', '11 [1e999]'],
      ['a|n1~x9', ''],
    ];
    const fields = new Map([...good, ...hostile, ['z|other', '1 {}'], ['rev', '3'], ['lastOpId', '0'], ['||', '1 {}']]);
    const read = snapshotOf(fields);
    expect(read.snapshot).toEqual(snapshot([1]));
    expect(read.unreadable.sort()).toEqual(hostile.map(([f]) => f).sort());
    expect([...read.kept.keys()].sort()).toEqual([...good.keys()].sort());
  });

  it('resets from fields whose seq cannot be read without taking them as committed, and goes on with sound seqs', () => {
    const c = committedState();
    const good = new Map(c.delta(snapshot([1, 2]), true).set);
    const other = committedState();
    other.reset(new Map([...good, ['a|n1~x', 'no-space'], ['a|n1~y', 'NaN {}'], ['a|n1~z', '-2 {}'], ['rev', '5']]));
    // The unreadable ones were not committed: nothing to remove; the next agent gets a seq after the highest sound one.
    const d = other.delta(snapshot([1, 2, 3]), false);
    expect(d.del).toEqual([]);
    expect(d.set.map(([f]) => f)).toEqual(['a|n1~a3']);
    const s = new Map([...good, ...d.set]);
    expect(snapshotOf(s).snapshot.agents.map(([p]) => p)).toEqual(['n1~a1', 'n1~a2', 'n1~a3']);
  });

  it('tells the state\'s fields from the bus\'s own', () => {
    expect(['a|x', 'b|n~c', 'c|id', 'q|CAF', 'd|CAF'].every(isStateField)).toBe(true);
    expect(['rev', 'lastOpId', 'state', 'a|', 'z|x', '', 'a'].some(isStateField)).toBe(false);
  });
});
