// Direct links between the nodes of a hub across machines, for what goes node to node without an owner deciding it:
// the signals of calls in progress. Through Redis each such batch costs a write and a stream read on both sides; over
// a TCP connection kept open between two nodes it costs one write and one read. Redis stays the way for everything
// else (organisations' logs, owners' commits and their frames) and the fallback for these batches: until a link is
// open, while it reconnects, and for the batches a broken link had not acknowledged (sent again through the bus).
// Batches are numbered per destination (batches.ts) and put back in order by the receiver, whichever way each came.
//
// On the wire: frames of a 4-byte big-endian length and that many bytes of UTF-8. The listening node speaks first: a
// random challenge; the dialing node answers `<its id> <HMAC-SHA256(secret, challenge, its id, the listener's id)>`,
// the secret being the cluster's (kept in Redis: only nodes reach it), then sends batches; the listener acknowledges the highest batch
// number received from time to time. A link refuses everything else and closes: a wrong answer, a frame too long,
// a batch naming another sender, silence before the answer.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import net from 'node:net';
import type { Logger } from 'pino';
import type { NodeMessage } from './bus.js';
import { batchHeader, decodeNodeMessages, encodeNodeMessage, readBatchHeader } from './batches.js';

/** A batch is sent once it reaches this size, whatever the turn (a link's frame is at most LINK_MAX_FRAME). */
const BATCH_FLUSH_CHARS = 256 * 1024;
/** Four bytes of UTF-8 at most per UTF-16 unit of a flushed batch, and some room. */
export const LINK_MAX_FRAME = 4 * BATCH_FLUSH_CHARS + 512 * 1024;
const HELLO_MAX = 512;
const HELLO_TIMEOUT_MS = 5_000;
/**
 * How often a receiver acknowledges what came over a link (only when something came since its last ack). Each ack
 * wakes both nodes (the receiver's timer, the sender's read): at 50 ms that was 40 wake-ups a second per loaded link,
 * each costing about what relaying a batch does. Acks only let the sender forget batches: a link that breaks with more
 * of them unacknowledged sends more again through the bus, and the receiver drops those it already has.
 */
const ACK_EVERY_MS = 500;
/** A link that leaves this many batches unacknowledged is dropped (they go through the bus). */
const MAX_UNACKED = 20_000;
/** Batches held waiting for a missing one, at most, per sender. */
const MAX_HELD = 10_000;
/** A batch missing for this long is given up: what came after it is delivered. */
export const GAP_GIVE_UP_MS = 2_000;
const FORGET_SENDER_MS = 3_600_000;
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 10_000;

export interface LinkTransport {
  readonly nodeId: string;
  /** Sends a batch's text through the destination's inbox on the bus. */
  sendBatch(node: string, text: string): void;
  /** Where a node's link listens (`host:port`), null if it has none. */
  addressOf(node: string): Promise<string | null>;
}

export interface NodeLinksOptions {
  transport: LinkTransport;
  /** false: no link is opened nor accepted, every batch goes through the bus (still numbered and put in order). */
  direct?: boolean;
  /** The cluster's shared secret (ClusterBus.linkSecret). */
  secret: string;
  /** Where this node's link listens; port 0: any free port. */
  host: string;
  port: number;
  /** The host other nodes reach this one at (default `host`; a wildcard host needs one). */
  advertise?: string;
  /** Messages for this node's sockets, in the order their senders sent them. */
  receive: (msg: NodeMessage) => void;
  clock?: () => number;
  /** How long a node dialing in has to answer the challenge (5 s). */
  helloTimeoutMs?: number;
  /** How often what came over a link is acknowledged (ACK_EVERY_MS). */
  ackEveryMs?: number;
  log: Logger;
}

export interface LinkStats {
  /** Links this node has open to others, and from others. */
  out: number;
  in: number;
  /** Batches sent over a link, and through the bus. */
  viaLink: number;
  viaBus: number;
  /** Connections refused (wrong answer, bad frame, silence), and batches given up missing. */
  refused: number;
  gaps: number;
}

export interface NodeLinks {
  /** `host:port` other nodes dial (advertised with the node's beat); null without direct links. */
  readonly address: string | null;
  /** Queues a message for a socket of another node; sent at the end of this turn (or sooner, if the batch is large). */
  deliver(node: string, msg: NodeMessage): void;
  /** A batch that came through the bus. */
  receiveBatch(text: string): void;
  /** The nodes alive now: links to others are dropped, gaps that waited too long given up. */
  check(live: ReadonlySet<string>): void;
  stats(): LinkStats;
  close(): Promise<void>;
}

/** Reads length-prefixed frames from a socket's chunks; false from `push` when a frame is longer than `max`. */
function frameReader(onFrame: (text: string) => void): { push(chunk: Buffer, max: number): boolean } {
  let chunks: Buffer[] = [];
  let have = 0;
  return {
    push(chunk, max) {
      chunks.push(chunk);
      have += chunk.length;
      while (have >= 4) {
        const head = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        chunks = [head];
        const length = head.readUInt32BE(0);
        if (length > max) return false;
        if (have < 4 + length) return true;
        const text = head.toString('utf8', 4, 4 + length);
        const rest = head.subarray(4 + length);
        chunks = rest.length > 0 ? [rest] : [];
        have = rest.length;
        onFrame(text);
      }
      return true;
    },
  };
}

/** A frame in one buffer: its length, then its text as UTF-8 (one allocation, one copy). */
function frame(text: string): Buffer {
  const length = Buffer.byteLength(text, 'utf8');
  const out = Buffer.allocUnsafe(4 + length);
  out.writeUInt32BE(length, 0);
  out.write(text, 4, 'utf8');
  return out;
}

/** The dialer's answer: it knows the secret, and means this listener (a node restarted on the same port is another). */
const macOf = (secret: string, challenge: string, from: string, to: string): Buffer => createHmac('sha256', secret).update(`${challenge} ${from} ${to}`).digest();

interface Outbound {
  node: string;
  parts: string[];
  chars: number;
  socket: net.Socket | null;
  open: boolean;
  connecting: boolean;
  retryAt: number;
  retryMs: number;
  unacked: Array<{ seq: number; text: string }>;
}

interface Inbound {
  expected: number;
  held: Map<number, string>;
  heldSince: number;
  seenAt: number;
}

export async function startNodeLinks(o: NodeLinksOptions): Promise<NodeLinks> {
  const { transport, secret, log } = o;
  const me = transport.nodeId;
  const clock = o.clock ?? Date.now;
  const outs = new Map<string, Outbound>();
  /**
   * The last batch number sent to each node. Kept when a node's link is dropped (it missed a beat or two under load and
   * comes back): starting again from 1 would have its next batches taken for ones it already has.
   */
  const sentSeq = new Map<string, { seq: number; at: number }>();
  const ins = new Map<string, Inbound>();
  const accepted = new Set<net.Socket>();
  const counts: LinkStats = { out: 0, in: 0, viaLink: 0, viaBus: 0, refused: 0, gaps: 0 };
  let closed = false;
  let flushQueued = false;

  // ---- receiving: batches back in order, per sender ----
  const deliverBatch = (text: string, body: number): void => {
    const out: NodeMessage[] = [];
    if (!decodeNodeMessages(text, out, body)) log.error({ code: 'HUB_BUS_BAD_MESSAGE' }, 'unreadable batch: its end dropped');
    for (const m of out) o.receive(m);
  };
  const drain = (from: Inbound): void => {
    for (let next = from.held.get(from.expected); next !== undefined; next = from.held.get(from.expected)) {
      from.held.delete(from.expected);
      from.expected++;
      deliverBatch(next, readBatchHeader(next)!.body);
    }
    from.heldSince = from.held.size > 0 ? clock() : 0;
  };
  /** The missing batches before the first held are given up: what followed is delivered. */
  const giveUp = (sender: string, from: Inbound): void => {
    let first = Infinity;
    for (const seq of from.held.keys()) if (seq < first) first = seq;
    counts.gaps++;
    log.warn({ code: 'HUB_LINK_GAP', from: sender, missing: first - from.expected }, 'batches from a node never came: what followed is delivered');
    from.expected = first;
    drain(from);
  };
  const giveUpGaps = (now: number): void => {
    for (const [sender, from] of ins) if (from.held.size > 0 && now - from.heldSince >= GAP_GIVE_UP_MS) giveUp(sender, from);
  };
  /** Returns the batch's number, or null (and nothing delivered) if its header cannot be read or names `onlyFrom`'s other. */
  const receive = (text: string, onlyFrom?: string): number | null => {
    const h = readBatchHeader(text);
    if (!h || (onlyFrom !== undefined && h.from !== onlyFrom)) return null;
    let from = ins.get(h.from);
    if (!from) {
      from = { expected: 1, held: new Map(), heldSince: 0, seenAt: 0 };
      ins.set(h.from, from);
    }
    from.seenAt = clock();
    if (h.seq < from.expected || from.held.has(h.seq)) return h.seq;
    if (h.seq === from.expected) {
      from.expected++;
      deliverBatch(text, h.body);
      if (from.held.size > 0) drain(from);
    } else {
      if (from.held.size === 0) from.heldSince = clock();
      from.held.set(h.seq, text);
      // A node far ahead of what came (a bug, or batches lost for good) is not kept waiting for in memory without end.
      if (from.held.size > MAX_HELD) giveUp(h.from, from);
    }
    return h.seq;
  };

  const server = net.createServer((socket) => {
    if (closed) return void socket.destroy();
    accepted.add(socket);
    socket.setNoDelay(true);
    const challenge = randomBytes(16).toString('hex');
    let peer: string | null = null;
    let acked = 0;
    let received = 0;
    let ackTimer: NodeJS.Timeout | null = null;
    const refuse = (why: string): void => {
      counts.refused++;
      log.warn({ code: 'HUB_LINK_REFUSED', why }, 'link from another node refused');
      socket.destroy();
    };
    const hello = setTimeout(() => refuse('no answer to the challenge'), o.helloTimeoutMs ?? HELLO_TIMEOUT_MS);
    hello.unref();
    const reader = frameReader((text) => {
      if (socket.destroyed) return;
      if (peer === null) {
        const sp = text.indexOf(' ');
        const node = sp > 0 ? text.slice(0, sp) : '';
        const given = Buffer.from(sp > 0 ? text.slice(sp + 1) : '', 'hex');
        const want = macOf(secret, challenge, node, me);
        if (!node || node === me || given.length !== want.length || !timingSafeEqual(given, want)) return refuse('wrong answer');
        clearTimeout(hello);
        peer = node;
        counts.in++;
        return;
      }
      const seq = receive(text, peer);
      if (seq === null) return refuse('unreadable batch');
      if (seq > received) received = seq;
      ackTimer ??= setTimeout(() => {
        ackTimer = null;
        if (received > acked && !socket.destroyed) {
          acked = received;
          socket.write(frame(String(acked)));
        }
      }, o.ackEveryMs ?? ACK_EVERY_MS);
    });
    socket.on('data', (chunk: Buffer) => {
      if (!reader.push(chunk, peer === null ? HELLO_MAX : LINK_MAX_FRAME)) refuse('frame too long');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(hello);
      if (ackTimer) clearTimeout(ackTimer);
      accepted.delete(socket);
      if (peer !== null) counts.in--;
    });
    socket.write(frame(challenge));
  });
  server.on('error', (e) => log.error({ code: 'HUB_LINK_SERVER_ERROR', err: e.message }, 'link server error'));
  const direct = o.direct ?? true;
  let address: string | null = null;
  if (direct) {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, o.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const bound = server.address() as net.AddressInfo;
    const advertised = o.advertise ?? o.host;
    address = `${advertised.includes(':') ? `[${advertised}]` : advertised}:${bound.port}`;
  }

  // ---- sending ----
  const outOf = (node: string): Outbound => {
    let out = outs.get(node);
    if (!out) {
      out = { node, parts: [], chars: 0, socket: null, open: false, connecting: false, retryAt: 0, retryMs: RETRY_MIN_MS, unacked: [] };
      outs.set(node, out);
    }
    return out;
  };
  const sendByBus = (out: Outbound, text: string): void => {
    counts.viaBus++;
    transport.sendBatch(out.node, text);
  };
  const linkDown = (out: Outbound, socket: net.Socket): void => {
    if (out.socket !== socket) return;
    if (out.open) counts.out--;
    out.socket = null;
    out.open = false;
    out.connecting = false;
    out.retryAt = clock() + out.retryMs;
    out.retryMs = Math.min(out.retryMs * 2, RETRY_MAX_MS);
    if (closed) return;
    // What the other node may not have: through the bus, in order (it drops what it already has).
    for (const u of out.unacked) sendByBus(out, u.text);
    out.unacked = [];
  };
  const dial = (out: Outbound): void => {
    out.connecting = true;
    transport.addressOf(out.node).then(
      (where) => {
        const m = where ? /^\[?([^\]]+?)\]?:([0-9]{1,5})$/.exec(where) : null;
        if (!m || closed || !outs.has(out.node)) {
          out.connecting = false;
          out.retryAt = clock() + RETRY_MAX_MS;
          return;
        }
        const socket = net.connect({ host: m[1]!, port: Number(m[2]) });
        out.socket = socket;
        socket.setNoDelay(true);
        let challenged = false;
        const reader = frameReader((text) => {
          if (!challenged) {
            challenged = true;
            socket.write(frame(`${me} ${macOf(secret, text, me, out.node).toString('hex')}`));
            out.open = true;
            out.connecting = false;
            out.retryMs = RETRY_MIN_MS;
            counts.out++;
            return;
          }
          const ack = Number(text);
          if (!Number.isSafeInteger(ack)) return void socket.destroy();
          let drop = 0;
          while (drop < out.unacked.length && out.unacked[drop]!.seq <= ack) drop++;
          if (drop > 0) out.unacked.splice(0, drop);
        });
        socket.on('data', (chunk: Buffer) => {
          if (!reader.push(chunk, HELLO_MAX)) socket.destroy();
        });
        socket.on('error', () => undefined);
        socket.on('close', () => linkDown(out, socket));
      },
      () => {
        out.connecting = false;
        out.retryAt = clock() + out.retryMs;
      },
    );
  };
  const flushOne = (out: Outbound): void => {
    if (out.parts.length === 0) return;
    const seq = (sentSeq.get(out.node)?.seq ?? 0) + 1;
    sentSeq.set(out.node, { seq, at: clock() });
    const text = batchHeader(me, seq) + out.parts.join('');
    out.parts = [];
    out.chars = 0;
    if (out.open && out.socket && out.unacked.length < MAX_UNACKED) {
      counts.viaLink++;
      out.unacked.push({ seq, text });
      out.socket.write(frame(text));
    } else {
      if (out.open && out.socket) out.socket.destroy();
      sendByBus(out, text);
    }
    if (direct && !out.socket && !out.connecting && !closed && clock() >= out.retryAt) dial(out);
  };
  const flush = (): void => {
    flushQueued = false;
    for (const out of outs.values()) flushOne(out);
  };

  return {
    address,
    deliver(node, msg) {
      if (closed) return;
      const out = outOf(node);
      const part = encodeNodeMessage(msg);
      out.parts.push(part);
      out.chars += part.length;
      if (out.chars >= BATCH_FLUSH_CHARS) flushOne(out);
      else if (!flushQueued) {
        flushQueued = true;
        setImmediate(flush);
      }
    },
    receiveBatch(text) {
      if (receive(text) === null) log.error({ code: 'HUB_BUS_BAD_MESSAGE' }, 'batch without a readable header dropped');
    },
    check(live) {
      const now = clock();
      // Links are opened as nodes appear, so the first signal of a call already has one.
      if (direct && !closed) {
        for (const node of live) {
          if (node === me) continue;
          const out = outOf(node);
          if (!out.socket && !out.connecting && now >= out.retryAt) dial(out);
        }
      }
      for (const [node, out] of outs) {
        if (live.has(node)) continue;
        outs.delete(node);
        out.unacked = [];
        out.socket?.destroy();
      }
      giveUpGaps(now);
      // A sender dead and unheard of for an hour, with nothing held, is forgotten (a node's id names one run of it).
      for (const [sender, from] of ins) if (from.held.size === 0 && !live.has(sender) && now - from.seenAt > FORGET_SENDER_MS) ins.delete(sender);
      for (const [node, sent] of sentSeq) if (!live.has(node) && now - sent.at > FORGET_SENDER_MS) sentSeq.delete(node);
    },
    stats: () => ({ ...counts }),
    async close() {
      if (closed) return;
      flush();
      closed = true;
      for (const out of outs.values()) out.socket?.end();
      outs.clear();
      for (const s of accepted) s.destroy();
      if (direct) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
