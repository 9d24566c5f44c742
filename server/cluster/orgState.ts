// An organisation's call state as its owner commits it to the bus (owner.ts): not one text rewritten at each commit but
// one field per agent, booth, call, queue and list of durations, so that a commit carries only what changed since the
// last one (an agent's status: one field, where CAF's whole state with 2,000 agents is some 300 KB).
//
// A field's value is `<seq> <JSON>`: the seq keeps the engine's order (its maps iterate in insertion order, which sets
// the order agents are rung and told), since a store's hash gives its fields back in any order. Seqs grow along each
// kind's order; an entry that moved (left and came back between two commits) gets a new one, and so is written again.
import type { EngineSnapshot } from '../calls.js';

/** What a commit writes: fields set (name, value) and fields removed. */
export interface StateDelta {
  set: Array<[string, string]>;
  del: string[];
}

/** One prefix per kind of entry; the bus keeps its own fields (log position, revision) under names without `|`. */
const KINDS = ['a', 'b', 'c', 'q', 'd'] as const;
type Kind = (typeof KINDS)[number];

/** A field value's seq: a positive integer, or NaN where there is none to read. */
function seqOf(value: string): number {
  const space = value.indexOf(' ');
  const seq = space > 0 ? Number(value.slice(0, space)) : NaN;
  return Number.isSafeInteger(seq) && seq > 0 ? seq : NaN;
}

/**
 * What the owner last committed, field by field, and the deltas that bring it to the engine's state. `delta` assumes
 * the commit it is for succeeds (commits go out in order on one connection); `forget` makes the next delta whole
 * (after a commit that failed or found the store's state was not the one it built on).
 */
export interface CommittedState {
  /** The fields that bring the committed state to `snap`, or all of them (and nothing removed) when `whole`. */
  delta(snap: EngineSnapshot, whole: boolean): StateDelta;
  /** The fields as now committed (a state loaded from the bus). */
  reset(fields: ReadonlyMap<string, string>): void;
  forget(): void;
}

interface Entry {
  /** The value as last seen (the snapshot's own copy, which the engine does not change), to skip its JSON when equal. */
  last: unknown;
  seq: number;
  /** The field's value as committed: `<seq> <JSON>`. */
  value: string;
  /** The delta that last saw it (those not seen by the last one are removed). */
  seen: number;
}

export function committedState(): CommittedState {
  const empty = (): Record<Kind, Map<string, Entry>> => ({ a: new Map(), b: new Map(), c: new Map(), q: new Map(), d: new Map() });
  let committed = empty();
  let nextSeq = 1;
  let pass = 0;
  let set: Array<[string, string]> = [];
  let whole = false;

  /** One entry of the snapshot, after one of seq `lastSeq` in its kind: what changed is added to `set`; its seq. */
  function visit(kind: Kind, id: string, v: unknown, lastSeq: number): number {
    const entries = committed[kind];
    let entry = entries.get(id);
    // Kept where it was if it still comes after the entries before it; otherwise (new, or moved) a new seq.
    const moved = entry === undefined || entry.seq <= lastSeq;
    if (entry === undefined) entries.set(id, (entry = { last: undefined, seq: 0, value: '', seen: pass }));
    entry.seen = pass;
    if (moved) entry.seq = nextSeq++;
    // The same object seen again may have been changed in place: only a fresh copy is compared without JSON.
    const equal = !moved && entry.last !== undefined && entry.last !== v && flatEqual(entry.last, v);
    entry.last = v;
    if (equal !== true) {
      const value = `${entry.seq} ${JSON.stringify(v)}`;
      if (value !== entry.value) {
        entry.value = value;
        set.push([`${kind}|${id}`, value]);
        return entry.seq;
      }
    }
    if (whole) set.push([`${kind}|${id}`, entry.value]);
    return entry.seq;
  }

  return {
    delta(snap, asWhole) {
      set = [];
      whole = asWhole;
      pass++;
      let last = 0;
      for (const [party, agent] of snap.agents) last = visit('a', party, agent, last);
      last = 0;
      for (const [party, booth] of snap.booths) last = visit('b', party, booth, last);
      last = 0;
      for (const call of snap.calls) last = visit('c', call.id, call, last);
      last = 0;
      for (const [org, queue] of snap.queues) last = visit('q', org, queue, last);
      last = 0;
      for (const [org, durations] of snap.durations) last = visit('d', org, durations, last);
      const del: string[] = [];
      for (const kind of KINDS) {
        for (const [id, entry] of committed[kind]) {
          if (entry.seen === pass) continue;
          committed[kind].delete(id);
          if (!whole) del.push(`${kind}|${id}`);
        }
      }
      return { set, del };
    },
    reset(fields) {
      committed = empty();
      for (const [field, value] of fields) {
        const seq = seqOf(value);
        // Only what snapshotOf could read (the owner passes its `kept`): anything else is not committed state.
        if (!isStateField(field) || Number.isNaN(seq)) continue;
        committed[field[0] as Kind].set(field.slice(2), { last: undefined, seq, value, seen: pass });
        nextSeq = Math.max(nextSeq, seq + 1);
      }
    },
    forget() {
      committed = empty();
    },
  };
}

/**
 * Whether two values of a snapshot's entry are equal, told without their JSON where it can be: primitives, and arrays of
 * primitives (the snapshot copies them); undefined where an object is nested (an appointment: compared by JSON).
 */
function flatEqual(before: unknown, after: unknown): boolean | undefined {
  if (Array.isArray(after)) return Array.isArray(before) ? primitivesEqual(before, after) : false;
  if (typeof after !== 'object' || after === null || typeof before !== 'object' || before === null) return before === after;
  const a = after as Record<string, unknown>;
  const b = before as Record<string, unknown>;
  let keys = 0;
  for (const key in a) {
    keys++;
    const x = a[key];
    if (typeof x !== 'object' || x === null) {
      if (x !== b[key]) return false;
      continue;
    }
    if (!Array.isArray(x)) return undefined;
    const y = b[key];
    if (!Array.isArray(y)) return false;
    const same = primitivesEqual(y, x);
    if (same !== true) return same;
  }
  for (const _ in b) keys--;
  return keys === 0;
}

function primitivesEqual(before: unknown[], after: unknown[]): boolean | undefined {
  if (before.length !== after.length) return false;
  for (let i = 0; i < after.length; i++) {
    const x = after[i];
    if (typeof x === 'object' && x !== null) return undefined;
    if (x !== before[i]) return false;
  }
  return true;
}

/** Whether a field of the bus's hash is one of the state's entries (the bus's own fields have no `|`). */
export const isStateField = (field: string): boolean => field.length > 2 && field[1] === '|' && (KINDS as readonly string[]).includes(field[0]!);

/**
 * The snapshot the fields hold, in the engine's order, and the fields that could not be read (left out: a hand-edited or
 * damaged store; the owner writes its state whole at its next commit).
 */
export function snapshotOf(fields: ReadonlyMap<string, string>): { snapshot: EngineSnapshot; unreadable: string[]; kept: Map<string, string> } {
  const byKind = new Map<Kind, Array<{ seq: number; id: string; value: unknown }>>(KINDS.map((k) => [k, []]));
  const unreadable: string[] = [];
  const kept = new Map<string, string>();
  for (const [field, text] of fields) {
    if (!isStateField(field)) continue;
    const seq = seqOf(text);
    let value: unknown;
    try {
      value = Number.isNaN(seq) ? undefined : JSON.parse(text.slice(text.indexOf(' ') + 1));
    } catch {
      value = undefined;
    }
    const kind = field[0] as Kind;
    if (!readable(kind, value)) {
      unreadable.push(field);
      continue;
    }
    byKind.get(kind)!.push({ seq, id: field.slice(2), value });
    kept.set(field, text);
  }
  const sorted = (k: Kind) => byKind.get(k)!.sort((x, y) => x.seq - y.seq);
  type S = EngineSnapshot;
  return {
    snapshot: {
      agents: sorted('a').map((e) => [e.id, e.value as S['agents'][number][1]]),
      booths: sorted('b').map((e) => [e.id, e.value as S['booths'][number][1]]),
      calls: sorted('c').map((e) => e.value as S['calls'][number]),
      queues: sorted('q').map((e) => [e.id, e.value as string[]]),
      durations: sorted('d').map((e) => [e.id, e.value as number[]]),
    },
    unreadable,
    kept,
  };
}

/** The shape each kind must have to be given to the engine (the bus is shared: a damaged entry is left out, not trusted). */
function readable(kind: Kind, value: unknown): boolean {
  if (kind === 'q') return Array.isArray(value) && value.every((x) => typeof x === 'string');
  if (kind === 'd') return Array.isArray(value) && value.every((x) => typeof x === 'number' && Number.isFinite(x));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if (kind === 'c') {
    const c = value as Record<string, unknown>;
    return typeof c.id === 'string' && typeof c.booth === 'string' && Array.isArray(c.ringing) && Array.isArray(c.declined);
  }
  return true;
}
