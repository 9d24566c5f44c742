// The bus of bus.ts inside one process: what several nodes share when they are objects of one program (the engine's
// tests run every scenario on it and on Redis). Same rules: ordered streams, leases that expire, commits refused once
// the lease is lost.
import { randomBytes } from 'node:crypto';
import type { CheckResult, Claim, ClusterBus, InboxItem, Notice, OpEntry, OrgOp, Outgoing, SavedState } from './bus.js';

interface Stream<T> {
  entries: Array<{ id: number; value: T }>;
  waiters: Set<() => void>;
}

export interface MemoryWorld {
  clock: () => number;
  inboxes: Map<string, Stream<InboxItem>>;
  /** Nodes taken for dead and forgotten, until each reads it at its next check. */
  forgotten: Set<string>;
  logs: Map<string, Stream<OrgOp>>;
  leases: Map<string, { holder: string; expiresAt: number }>;
  /** Each live node: until when, and where its direct link listens. */
  nodes: Map<string, { until: number; address: string | null }>;
  secret: string;
  states: Map<string, SavedState>;
  available: Map<string, number>;
  listeners: Set<(org: string, agents: number) => void>;
  resyncs: Set<(org: string) => void>;
  claims: Set<(claim: Claim & { node: string }) => void>;
  notices: Set<(notice: Notice & { node: string }) => void>;
  nextId: number;
}

export function createMemoryWorld(clock: () => number = Date.now): MemoryWorld {
  return { clock, inboxes: new Map(), forgotten: new Set(), logs: new Map(), leases: new Map(), nodes: new Map(), states: new Map(), available: new Map(), listeners: new Set(), resyncs: new Set(), claims: new Set(), notices: new Set(), nextId: 1, secret: randomBytes(32).toString('hex') };
}

function streamOf<T>(map: Map<string, Stream<T>>, key: string): Stream<T> {
  let s = map.get(key);
  if (!s) {
    s = { entries: [], waiters: new Set() };
    map.set(key, s);
  }
  return s;
}

function append<T>(world: MemoryWorld, s: Stream<T>, value: T): void {
  s.entries.push({ id: world.nextId++, value });
  const waiters = [...s.waiters];
  s.waiters.clear();
  for (const w of waiters) w();
}

/** Reads what `s` has after `after`, waiting up to `blockMs` for some; `waiting` holds the wait's end while it lasts. */
async function readAfter<T>(s: Stream<T>, after: number, blockMs: number, closed: () => boolean, waiting: Set<() => void>): Promise<Array<{ id: number; value: T }>> {
  // A closed bus fails its reads, as a closed Redis connection does (a reading loop does not spin on empty answers).
  if (closed()) throw new Error('bus closed');
  const found = (): Array<{ id: number; value: T }> => s.entries.filter((e) => e.id > after);
  let out = found();
  if (out.length > 0 || blockMs <= 0) return out;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      s.waiters.delete(done);
      waiting.delete(done);
      resolve();
    };
    const timer = setTimeout(done, blockMs);
    s.waiters.add(done);
    waiting.add(done);
  });
  if (closed()) throw new Error('bus closed');
  out = found();
  return out;
}

export function memoryBus(world: MemoryWorld, nodeId: string): ClusterBus {
  let inboxAfter = 0;
  let closed = false;
  /** This node's reads waiting for entries: a node closing ends them at once. */
  const waiting = new Set<() => void>();
  const leaseMine = (org: string): boolean => {
    const l = world.leases.get(org);
    return l !== undefined && l.holder === nodeId && l.expiresAt > world.clock();
  };
  const send = (out: Outgoing): void => append(world, streamOf(world.inboxes, out.node), out.msg);
  return {
    nodeId,
    async check(ttlMs, linkAddress, orgs, held) {
      const now = world.clock();
      if (!closed) world.nodes.set(nodeId, { until: now + ttlMs, address: linkAddress ?? null });
      const forgotten = world.forgotten.delete(nodeId);
      const out: CheckResult = { live: new Set([...world.nodes].filter(([, n]) => n.until > now).map(([n]) => n)), holders: new Map(), leases: new Map(), available: new Map(world.available), forgotten };
      for (const org of orgs) {
        const l = world.leases.get(org);
        const holder = l && l.expiresAt > now ? l.holder : null;
        if (held.has(org) && !closed) {
          if (holder === null || holder === nodeId) world.leases.set(org, { holder: nodeId, expiresAt: now + ttlMs });
          out.leases.set(org, holder === null ? 'taken' : holder === nodeId ? 'renewed' : null);
          out.holders.set(org, holder ?? nodeId);
        } else out.holders.set(org, holder);
      }
      return out;
    },
    async addressOf(node) {
      const n = world.nodes.get(node);
      return n && n.until > world.clock() ? n.address : null;
    },
    async linkSecret() {
      return world.secret;
    },
    async forgetNode(node) {
      world.inboxes.delete(node);
      world.nodes.delete(node);
      world.forgotten.add(node);
    },
    sendBatch(node, text) {
      if (!closed) append(world, streamOf(world.inboxes, node), { k: 'batch', text });
    },
    async readInbox(blockMs) {
      const entries = await readAfter(streamOf(world.inboxes, nodeId), inboxAfter, blockMs, () => closed, waiting);
      if (entries.length === 0) return [];
      inboxAfter = entries[entries.length - 1]!.id;
      // Read messages are dropped, as Redis trims a stream.
      const s = world.inboxes.get(nodeId);
      if (s) s.entries = s.entries.filter((e) => e.id > inboxAfter);
      return entries.map((e) => e.value);
    },
    async submit(org, op) {
      if (closed) return;
      append(world, streamOf(world.logs, org), op);
    },
    async readOps(org, afterId, blockMs) {
      const entries = await readAfter(streamOf(world.logs, org), Number(afterId), blockMs, () => closed, waiting);
      return entries.map((e): OpEntry => ({ id: String(e.id), op: e.value }));
    },
    async lease(org, ttlMs) {
      if (closed) return null;
      const now = world.clock();
      const l = world.leases.get(org);
      const held = l !== undefined && l.expiresAt > now;
      if (held && l.holder !== nodeId) return null;
      world.leases.set(org, { holder: nodeId, expiresAt: now + ttlMs });
      return held ? 'renewed' : 'taken';
    },
    async release(org) {
      if (world.leases.get(org)?.holder === nodeId) world.leases.delete(org);
    },
    async commit(org, committed, out, leaseMs) {
      if (closed) return 'lease_lost';
      const held = world.leases.get(org);
      if (held && held.expiresAt > world.clock() && held.holder !== nodeId) return 'lease_lost';
      if (!leaseMine(org)) world.leases.set(org, { holder: nodeId, expiresAt: world.clock() + leaseMs });
      const before = world.states.get(org);
      if (!committed.whole && before?.rev !== committed.base) return 'stale';
      const fields = committed.whole || !before ? new Map<string, string>() : before.fields;
      for (const [field, value] of committed.delta.set) fields.set(field, value);
      for (const field of committed.delta.del) fields.delete(field);
      world.states.set(org, { fields, rev: committed.rev, lastOpId: committed.lastOpId });
      // The log is kept from what the state has applied on (Redis: XTRIM MINID).
      const log = world.logs.get(org);
      if (log) log.entries = log.entries.filter((e) => e.id > Number(committed.lastOpId));
      for (const o of out) send(o);
      return 'committed';
    },
    async load(org) {
      const saved = world.states.get(org);
      return saved ? { ...saved, fields: new Map(saved.fields) } : null;
    },
    async setAvailable(org, agents) {
      world.available.set(org, agents);
      for (const l of world.listeners) l(org, agents);
    },
    async available() {
      return new Map(world.available);
    },
    onAvailable(listener) {
      world.listeners.add((org, agents) => {
        if (!closed) listener(org, agents);
      });
    },
    async requestResync(org) {
      for (const l of world.resyncs) l(org);
    },
    onResync(listener) {
      world.resyncs.add((org) => {
        if (!closed) listener(org);
      });
    },
    async announceClaim(claim) {
      if (!closed) for (const l of world.claims) l({ ...claim, node: nodeId });
    },
    onClaim(listener) {
      world.claims.add((claim) => {
        if (!closed) listener(claim);
      });
    },
    // Through JSON, as Redis carries it: a frame told is a copy, never the sender's object.
    async announceNotice(notice) {
      const text = JSON.stringify({ ...notice, node: nodeId });
      if (!closed) for (const l of world.notices) l(JSON.parse(text) as Notice & { node: string });
    },
    onNotice(listener) {
      world.notices.add((notice) => {
        if (!closed) listener(notice);
      });
    },
    async close() {
      closed = true;
      for (const w of [...waiting]) w();
    },
  };
}
