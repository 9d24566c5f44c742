// The bus of bus.ts on Redis 7 (ioredis): inboxes and organisations' logs are streams, leases and node liveness are
// keys with an expiry, the commit is one script (state, log trimmed, frames sent — only while the lease is held).
// Redis holds run-time state only: restarted empty, the nodes beat again, the owners commit again from memory.
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { randomBytes } from 'node:crypto';
import type { EngineSnapshot } from '../calls.js';
import { readNotice, type CheckResult, type Claim, type ClusterBus, type InboxItem, type Notice, type NodeMessage, type OpEntry, type OrgOp } from './bus.js';
import { committedState, isStateField } from './orgState.js';

/** Streams are capped (a dead node's inbox does not grow for ever); a live node reads its own within milliseconds. */
const STREAM_CAP = '100000';
const INBOX_TTL_MS = 60_000;

const LEASE = `local h = redis.call('GET', KEYS[1])
if h == false then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 2 end
if h == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
// A lease gone (Redis restarted empty) is taken back by its owner committing: its state is the newest there is.
// KEYS: the lease, the state (a hash: 'lastOpId', 'rev' and the state's fields, orgState.ts), the log, then one inbox
// per frame. ARGV: the node's id, the log position, the lease's length, the revision built on, the new one, '1' if whole,
// how many fields are set and removed, the fields set (name, value), the fields removed, then the frames. A delta onto
// another revision than the one stored (Redis restarted empty, or a reply lost) does nothing and returns 2: the owner
// commits again whole. Fields go by STATE_CHUNK to HSET and HDEL (Lua's unpack has a limit).
const STATE_CHUNK = 256;
const COMMIT = `local h = redis.call('GET', KEYS[1])
if h == false then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3]) elseif h ~= ARGV[1] then return 0 end
if ARGV[6] == '1' then redis.call('DEL', KEYS[2])
elseif redis.call('HGET', KEYS[2], 'rev') ~= ARGV[4] then return 2 end
redis.call('HSET', KEYS[2], 'lastOpId', ARGV[2], 'rev', ARGV[5])
local at = 9
local stop = at + 2 * tonumber(ARGV[7])
while at < stop do
  local to = math.min(at + 2 * ${STATE_CHUNK}, stop) - 1
  redis.call('HSET', KEYS[2], unpack(ARGV, at, to))
  at = to + 1
end
stop = at + tonumber(ARGV[8])
while at < stop do
  local to = math.min(at + ${STATE_CHUNK}, stop) - 1
  redis.call('HDEL', KEYS[2], unpack(ARGV, at, to))
  at = to + 1
end
if ARGV[2] ~= '0' then redis.call('XTRIM', KEYS[3], 'MINID', ARGV[2]) end
for i = 4, #KEYS do redis.call('XADD', KEYS[i], 'MAXLEN', '~', '${STREAM_CAP}', '*', 'm', ARGV[at + i - 4]) end
return 1`;

// A node's check, in one round trip (each round trip wakes the node and Redis once): it beats (its key expires unless
// renewed, the set of nodes keeps its name), the cluster's secret is written back if Redis lost it, the leases it holds
// are renewed (taken back if free: Redis restarted empty), and it reads the live nodes, each organisation's holder and
// the available agents as last published.
// KEYS: its key, the set of nodes, its inbox, the secret, the available agents, then one lease per organisation.
// ARGV: its id, its link's address, the lease's length, the inbox's, the secret ('' if unknown), the nodes' key prefix,
// then per organisation '1' if it holds that lease.
/** How long a node taken for dead is marked so (`forgetNode`), for it to learn it at its next check if it wakes. */
const FORGOTTEN_TTL_S = 24 * 3600;

const CHECK = `local me, ttl = ARGV[1], ARGV[3]
if ARGV[5] ~= '' then redis.call('SET', KEYS[4], ARGV[5], 'NX') end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ttl)
redis.call('SADD', KEYS[2], me)
redis.call('PEXPIRE', KEYS[3], ARGV[4])
local forgotten = redis.call('DEL', KEYS[6])
local live = {}
for _, n in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if redis.call('EXISTS', ARGV[6] .. n) == 1 then live[#live + 1] = n end
end
local holders, leases = {}, {}
for i = 7, #KEYS do
  local h = redis.call('GET', KEYS[i])
  local lease = -1
  if ARGV[i] == '1' then
    if h == false then redis.call('SET', KEYS[i], me, 'PX', ttl) h = me lease = 2
    elseif h == me then redis.call('PEXPIRE', KEYS[i], ttl) lease = 1
    else lease = 0 end
  end
  holders[#holders + 1] = h or ''
  leases[#leases + 1] = lease
end
return {live, holders, leases, redis.call('HGETALL', KEYS[5]), forgotten}`;

type StreamReply = Array<[string, Array<[string, string[]]>]> | null;

export interface RedisBusOptions {
  url: string;
  nodeId: string;
  /** Prefix of every key (several hubs, or tests, on one Redis). */
  prefix?: string;
  log: Logger;
}

export async function openRedisBus({ url, nodeId, prefix = 'relais:', log }: RedisBusOptions): Promise<ClusterBus> {
  const base: RedisOptions = {
    // While Redis restarts, commands wait for it instead of failing (they are sent again once it is back).
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(50 * times, 500),
    lazyConnect: true,
  };
  const cmd = new Redis(url, { ...base, enableAutoPipelining: true, connectionName: `relais-${nodeId}` });
  let closed = false;
  const connections = new Set<Redis>([cmd]);
  const onError = (e: Error): void => {
    if (!closed) log.warn({ code: 'HUB_REDIS_ERROR', err: e.message }, 'Redis connection error');
  };
  cmd.on('error', onError);
  // Sent by its SHA-1 (EVALSHA), its text only when Redis does not have it yet (a Redis just restarted).
  cmd.defineCommand('relaisCheck', { lua: CHECK });
  cmd.defineCommand('relaisCommit', { lua: COMMIT });
  const scripts = cmd as Redis & { relaisCheck(...keysAndArgs: Array<string | number>): Promise<unknown>; relaisCommit(...keysAndArgs: Array<string | number>): Promise<unknown> };
  await cmd.connect();
  const blocking = (): Redis => {
    const r = cmd.duplicate({ enableAutoPipelining: false });
    r.on('error', onError);
    connections.add(r);
    return r;
  };
  const inboxReader = blocking();
  const opsReaders = new Map<string, Redis>();
  /** The organisations whose log a read is blocked on now. */
  const readingOps = new Set<string>();
  const dropOpsReader = (org: string): void => {
    const reader = opsReaders.get(org);
    opsReaders.delete(org);
    readingOps.delete(org);
    if (reader) {
      connections.delete(reader);
      reader.disconnect();
    }
  };
  const sub = blocking();
  const listeners = new Set<(org: string, agents: number) => void>();
  const resyncs = new Set<(org: string) => void>();
  const claims = new Set<(claim: Claim & { node: string }) => void>();
  const notices = new Set<(notice: Notice & { node: string }) => void>();

  const k = {
    node: (n: string) => `${prefix}node:${n}`,
    nodes: `${prefix}nodes`,
    inbox: (n: string) => `${prefix}inbox:${n}`,
    forgotten: (n: string) => `${prefix}forgotten:${n}`,
    ops: (o: string) => `${prefix}ops:${o}`,
    lease: (o: string) => `${prefix}lease:${o}`,
    state: (o: string) => `${prefix}state:${o}`,
    available: `${prefix}available`,
    resync: `${prefix}resync`,
    secret: `${prefix}linksecret`,
    claims: `${prefix}claims`,
    notices: `${prefix}notices`,
  };
  // A node id names one run of a node (a suffix is drawn at each start): what its inbox held before is not for it.
  await cmd.del(k.inbox(nodeId));
  let inboxAfter = '0-0';
  let secret: string | null = null;

  await sub.subscribe(k.available, k.resync, k.claims, k.notices);
  sub.on('message', (channel: string, text: string) => {
    if (channel === k.resync) {
      for (const l of resyncs) l(text);
      return;
    }
    if (channel === k.notices) {
      const notice = readNotice(text);
      if (notice) for (const l of notices) l(notice);
      else log.warn({ code: 'HUB_BUS_BAD_MESSAGE', channel: 'notices' }, 'unreadable notice dropped');
      return;
    }
    if (channel === k.claims) {
      // `<role> <id> <at> <node>`
      const [role, id, at, node] = text.split(' ');
      const claim = { role: role === 'booth' || role === 'agent' ? role : null, id: Number(id), at: Number(at), node: node ?? '' };
      if (claim.role && Number.isSafeInteger(claim.id) && Number.isSafeInteger(claim.at) && claim.node) for (const l of claims) l(claim as Claim & { node: string });
      return;
    }
    const i = text.lastIndexOf(':');
    const agents = Number(text.slice(i + 1));
    if (i > 0 && Number.isSafeInteger(agents)) for (const l of listeners) l(text.slice(0, i), agents);
  });

  const entriesOf = (reply: StreamReply): Array<[string, string, string]> => {
    const out: Array<[string, string, string]> = [];
    for (const [, entries] of reply ?? []) for (const [id, fields] of entries) out.push([id, fields[0] ?? '', fields[1] ?? '']);
    return out;
  };

  return {
    nodeId,
    async check(ttlMs, linkAddress, orgs, held) {
      const keys = [k.node(nodeId), k.nodes, k.inbox(nodeId), k.secret, k.available, k.forgotten(nodeId), ...orgs.map((o) => k.lease(o))];
      const args = [nodeId, linkAddress ?? '-', String(ttlMs), String(INBOX_TTL_MS), secret ?? '', k.node(''), ...orgs.map((o) => (held.has(o) ? '1' : ''))];
      const [live, holders, leases, available, forgotten] = (await scripts.relaisCheck(keys.length, ...keys, ...args)) as [string[], string[], number[], string[], number];
      const out: CheckResult = { live: new Set(live), holders: new Map(), leases: new Map(), available: new Map(), forgotten: forgotten === 1 };
      orgs.forEach((org, i) => {
        out.holders.set(org, holders[i] || null);
        if (held.has(org)) out.leases.set(org, leases[i] === 2 ? 'taken' : leases[i] === 1 ? 'renewed' : null);
      });
      for (let i = 0; i + 1 < available.length; i += 2) {
        const n = Number(available[i + 1]);
        if (Number.isSafeInteger(n) && n >= 0) out.available.set(available[i]!, n);
      }
      return out;
    },
    async addressOf(node) {
      const a = await cmd.get(k.node(node));
      return a === null || a === '-' ? null : a;
    },
    async linkSecret() {
      await cmd.set(k.secret, randomBytes(32).toString('hex'), 'NX');
      secret = await cmd.get(k.secret);
      if (!secret) throw new Error('Redis lost the cluster secret as it was written');
      return secret;
    },
    async forgetNode(node) {
      // The mark outlives any freeze worth waiting for; a node's id names one run, so no later node reads it.
      await cmd.multi().srem(k.nodes, node).del(k.inbox(node)).set(k.forgotten(node), '1', 'EX', FORGOTTEN_TTL_S).exec();
    },
    sendBatch(node, text) {
      // A batch is what one node sends another in one turn of its event loop (batches.ts): one stream entry (field `b`).
      cmd.xadd(k.inbox(node), 'MAXLEN', '~', STREAM_CAP, '*', 'b', text).catch(onError);
    },
    async readInbox(blockMs) {
      const reply = (await inboxReader.xread('COUNT', 1000, 'BLOCK', blockMs, 'STREAMS', k.inbox(nodeId), inboxAfter)) as StreamReply;
      const entries = entriesOf(reply);
      if (entries.length === 0) return [];
      inboxAfter = entries[entries.length - 1]![0];
      const out: InboxItem[] = [];
      for (const [, field, text] of entries) {
        if (field === 'b') {
          out.push({ k: 'batch', text });
          continue;
        }
        try {
          out.push(JSON.parse(text) as NodeMessage);
        } catch {
          log.error({ code: 'HUB_BUS_BAD_MESSAGE' }, 'unreadable inbox message dropped');
        }
      }
      return out;
    },
    async submit(org, op) {
      await cmd.xadd(k.ops(org), '*', 'm', JSON.stringify(op));
    },
    async readOps(org, afterId, blockMs) {
      // A read still blocked belongs to a reading this node gave up (its lease was lost, then taken again): its
      // connection goes with it, so that the new reading waits behind nothing.
      if (readingOps.has(org)) dropOpsReader(org);
      let reader = opsReaders.get(org);
      if (!reader) {
        reader = blocking();
        opsReaders.set(org, reader);
      }
      readingOps.add(org);
      let reply: StreamReply;
      try {
        reply = (await reader.xread('COUNT', 500, 'BLOCK', blockMs, 'STREAMS', k.ops(org), afterId === '0' ? '0-0' : afterId)) as StreamReply;
      } finally {
        if (opsReaders.get(org) === reader) readingOps.delete(org);
      }
      const out: OpEntry[] = [];
      for (const [id, , text] of entriesOf(reply)) {
        try {
          out.push({ id, op: JSON.parse(text) as OrgOp });
        } catch {
          log.error({ code: 'HUB_BUS_BAD_OP', org }, 'unreadable operation skipped');
        }
      }
      return out;
    },
    async lease(org, ttlMs) {
      const r = await cmd.eval(LEASE, 1, k.lease(org), nodeId, ttlMs);
      return r === 2 ? 'taken' : r === 1 ? 'renewed' : null;
    },
    async release(org) {
      await cmd.eval(RELEASE, 1, k.lease(org), nodeId);
      dropOpsReader(org);
    },
    async commit(org, committed, out, leaseMs) {
      const keys = [k.lease(org), k.state(org), k.ops(org), ...out.map((o) => k.inbox(o.node))];
      const { delta } = committed;
      const args = [nodeId, committed.lastOpId, String(leaseMs), String(committed.base), String(committed.rev), committed.whole ? '1' : '0', String(delta.set.length), String(delta.del.length)];
      for (const [field, value] of delta.set) args.push(field, value);
      for (const field of delta.del) args.push(field);
      for (const o of out) args.push(JSON.stringify(o.msg));
      const r = await scripts.relaisCommit(keys.length, ...keys, ...args);
      return r === 1 ? 'committed' : r === 2 ? 'stale' : 'lease_lost';
    },
    async load(org) {
      const h = await cmd.hgetall(k.state(org));
      if (typeof h.lastOpId !== 'string') return null;
      // A revision that cannot be read (hand-edited) is unknown: the fields are read, and written again whole.
      const rev = Number(h.rev);
      if (typeof h.rev === 'string') return { fields: new Map(Object.entries(h).filter(([f]) => isStateField(f))), rev: /^[0-9]{1,15}$/.test(h.rev) ? rev : -1, lastOpId: h.lastOpId };
      // Written by a node of before the state went by fields: one JSON text, read whole and written again whole.
      if (typeof h.state !== 'string') return null;
      try {
        const fields = new Map(committedState().delta(JSON.parse(h.state) as EngineSnapshot, true).set);
        return { fields, rev: -1, lastOpId: h.lastOpId };
      } catch {
        log.error({ code: 'HUB_CLUSTER_BAD_STATE', org }, 'unreadable state left out');
        return null;
      }
    },
    async setAvailable(org, agents) {
      await cmd.multi().hset(k.available, org, String(agents)).publish(k.available, `${org}:${agents}`).exec();
    },
    async available() {
      const h = await cmd.hgetall(k.available);
      const out = new Map<string, number>();
      for (const [org, n] of Object.entries(h)) if (Number.isSafeInteger(Number(n))) out.set(org, Number(n));
      return out;
    },
    onAvailable(listener) {
      listeners.add(listener);
    },
    async requestResync(org) {
      await cmd.publish(k.resync, org);
    },
    onResync(listener) {
      resyncs.add(listener);
    },
    async announceClaim(claim) {
      await cmd.publish(k.claims, `${claim.role} ${claim.id} ${claim.at} ${nodeId}`);
    },
    onClaim(listener) {
      claims.add(listener);
    },
    async announceNotice(notice) {
      await cmd.publish(k.notices, JSON.stringify({ ...notice, node: nodeId }));
    },
    onNotice(listener) {
      notices.add(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      await cmd.del(k.node(nodeId)).catch(() => undefined);
      for (const r of connections) r.disconnect();
    },
  };
}
