// The bus of bus.ts on Redis 7 (ioredis): inboxes and organisations' logs are streams, leases and node liveness are
// keys with an expiry, the commit is one script (state, log trimmed, frames sent — only while the lease is held).
// Redis holds run-time state only: restarted empty, the nodes beat again, the owners commit again from memory.
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import type { ClusterBus, Committed, NodeMessage, OpEntry, OrgOp } from './bus.js';

/** Streams are capped (a dead node's inbox does not grow for ever); a live node reads its own within milliseconds. */
const STREAM_CAP = '100000';
const INBOX_TTL_MS = 60_000;

const LEASE = `local h = redis.call('GET', KEYS[1])
if h == false then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 2 end
if h == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
// A lease gone (Redis restarted empty) is taken back by its owner committing: its state is the newest there is.
const COMMIT = `local h = redis.call('GET', KEYS[1])
if h == false then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[4]) elseif h ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], 'state', ARGV[2], 'lastOpId', ARGV[3])
if ARGV[3] ~= '0' then redis.call('XTRIM', KEYS[3], 'MINID', ARGV[3]) end
for i = 4, #KEYS do redis.call('XADD', KEYS[i], 'MAXLEN', '~', '${STREAM_CAP}', '*', 'm', ARGV[i + 1]) end
return 1`;

/** One message of a batch: `<kind><socket id> <length> <payload>` (kind `r`: a relayed signal's text, `m`: JSON). */
export function encodeNodeMessage(msg: NodeMessage): string {
  const payload = msg.k === 'raw' ? msg.raw : JSON.stringify(msg);
  return `${msg.k === 'raw' ? 'r' : 'm'}${msg.to} ${payload.length} ${payload}`;
}

/** The messages of a batch, appended to `out`; false (and what comes after dropped) where it cannot be read. */
export function decodeNodeMessages(text: string, out: NodeMessage[]): boolean {
  let at = 0;
  while (at < text.length) {
    const kind = text[at];
    const sp1 = text.indexOf(' ', at);
    const sp2 = sp1 < 0 ? -1 : text.indexOf(' ', sp1 + 1);
    const digits = sp2 < 0 ? '' : text.slice(sp1 + 1, sp2);
    const length = /^[0-9]{1,9}$/.test(digits) ? Number(digits) : NaN;
    if ((kind !== 'r' && kind !== 'm') || Number.isNaN(length) || sp2 + 1 + length > text.length) return false;
    const to = text.slice(at + 1, sp1);
    const payload = text.slice(sp2 + 1, sp2 + 1 + length);
    at = sp2 + 1 + length;
    if (kind === 'r') {
      out.push({ k: 'raw', to, raw: payload });
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      return false;
    }
    const m = parsed as Partial<NodeMessage> | null;
    if (!m || m.k !== 'frame' || typeof m.to !== 'string' || typeof m.frame !== 'object' || m.frame === null) return false;
    out.push(m as NodeMessage);
  }
  return true;
}

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
  await cmd.connect();
  const blocking = (): Redis => {
    const r = cmd.duplicate({ enableAutoPipelining: false });
    r.on('error', onError);
    connections.add(r);
    return r;
  };
  const inboxReader = blocking();
  const opsReaders = new Map<string, Redis>();
  const sub = blocking();
  const listeners = new Set<(org: string, agents: number) => void>();
  const resyncs = new Set<(org: string) => void>();

  const k = {
    node: (n: string) => `${prefix}node:${n}`,
    nodes: `${prefix}nodes`,
    inbox: (n: string) => `${prefix}inbox:${n}`,
    ops: (o: string) => `${prefix}ops:${o}`,
    lease: (o: string) => `${prefix}lease:${o}`,
    state: (o: string) => `${prefix}state:${o}`,
    available: `${prefix}available`,
    resync: `${prefix}resync`,
  };
  // A node id names one run of a node (a suffix is drawn at each start): what its inbox held before is not for it.
  await cmd.del(k.inbox(nodeId));
  let inboxAfter = '0-0';

  await sub.subscribe(k.available, k.resync);
  sub.on('message', (channel: string, text: string) => {
    if (channel === k.resync) {
      for (const l of resyncs) l(text);
      return;
    }
    const i = text.lastIndexOf(':');
    const agents = Number(text.slice(i + 1));
    if (i > 0 && Number.isSafeInteger(agents)) for (const l of listeners) l(text.slice(0, i), agents);
  });

  // What nodes send each other in one turn of the event loop goes as one stream entry per destination (field `b`):
  // at 2,000 signals a second that is a few Redis commands per turn instead of one per signal. Each message is
  // `<kind><socket id> <length> <payload>`: kind `r` a relayed signal as received (no JSON around JSON), `m` a message
  // in JSON; the length is the payload's in UTF-16 units, as JavaScript reads it back.
  const batches = new Map<string, string[]>();
  const flush = (): void => {
    for (const [node, batch] of batches) cmd.xadd(k.inbox(node), 'MAXLEN', '~', STREAM_CAP, '*', 'b', batch.join('')).catch(onError);
    batches.clear();
  };
  const entriesOf = (reply: StreamReply): Array<[string, string, string]> => {
    const out: Array<[string, string, string]> = [];
    for (const [, entries] of reply ?? []) for (const [id, fields] of entries) out.push([id, fields[0] ?? '', fields[1] ?? '']);
    return out;
  };

  return {
    nodeId,
    async beat(ttlMs) {
      await cmd.multi().set(k.node(nodeId), '1', 'PX', ttlMs).sadd(k.nodes, nodeId).pexpire(k.inbox(nodeId), INBOX_TTL_MS).exec();
    },
    async liveNodes() {
      const members = await cmd.smembers(k.nodes);
      if (members.length === 0) return new Set();
      const alive = await cmd.mget(...members.map(k.node));
      return new Set(members.filter((_, i) => alive[i] !== null));
    },
    async forgetNode(node) {
      await cmd.multi().srem(k.nodes, node).del(k.inbox(node)).exec();
    },
    deliver(node, msg) {
      let batch = batches.get(node);
      if (!batch) {
        batch = [];
        batches.set(node, batch);
        if (batches.size === 1) setImmediate(flush);
      }
      batch.push(encodeNodeMessage(msg));
    },
    async readInbox(blockMs) {
      const reply = (await inboxReader.xread('COUNT', 1000, 'BLOCK', blockMs, 'STREAMS', k.inbox(nodeId), inboxAfter)) as StreamReply;
      const entries = entriesOf(reply);
      if (entries.length === 0) return [];
      inboxAfter = entries[entries.length - 1]![0];
      const out: NodeMessage[] = [];
      for (const [, field, text] of entries) {
        if (field === 'b') {
          if (!decodeNodeMessages(text, out)) log.error({ code: 'HUB_BUS_BAD_MESSAGE' }, 'unreadable inbox batch dropped');
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
      let reader = opsReaders.get(org);
      if (!reader) {
        reader = blocking();
        opsReaders.set(org, reader);
      }
      const reply = (await reader.xread('COUNT', 500, 'BLOCK', blockMs, 'STREAMS', k.ops(org), afterId === '0' ? '0-0' : afterId)) as StreamReply;
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
    holder: (org) => cmd.get(k.lease(org)),
    async release(org) {
      await cmd.eval(RELEASE, 1, k.lease(org), nodeId);
      const reader = opsReaders.get(org);
      opsReaders.delete(org);
      if (reader) {
        connections.delete(reader);
        reader.disconnect();
      }
    },
    async commit(org, committed, out, leaseMs) {
      const keys = [k.lease(org), k.state(org), k.ops(org), ...out.map((o) => k.inbox(o.node))];
      const args = [nodeId, committed.state, committed.lastOpId, String(leaseMs), ...out.map((o) => JSON.stringify(o.msg))];
      return (await cmd.eval(COMMIT, keys.length, ...keys, ...args)) === 1;
    },
    async load(org) {
      const h = await cmd.hgetall(k.state(org));
      return typeof h.state === 'string' && typeof h.lastOpId === 'string' ? ({ state: h.state, lastOpId: h.lastOpId } satisfies Committed) : null;
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
    async close() {
      if (closed) return;
      closed = true;
      await cmd.del(k.node(nodeId)).catch(() => undefined);
      for (const r of connections) r.disconnect();
    },
  };
}
