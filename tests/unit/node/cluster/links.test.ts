// The direct links between nodes (server/cluster/links.ts), over real sockets on loopback: batches over the link once
// it is open, back in order whichever way each came, nothing lost nor doubled when a link breaks (what it had not
// acknowledged goes through the bus), a missing batch given up after a while, and every hostile connection refused
// without harm to the links that follow.
import { createHmac } from 'node:crypto';
import net from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { batchHeader, encodeNodeMessage } from '../../../../server/cluster/batches.js';
import type { NodeMessage } from '../../../../server/cluster/bus.js';
import { GAP_GIVE_UP_MS, startNodeLinks, type LinkTransport, type NodeLinks } from '../../../../server/cluster/links.js';
import { waitFor } from '../hub/helpers.js';

const SECRET = 'secret-de-test-du-cluster';
const log = pino({ level: 'silent' });

interface Side {
  id: string;
  links: NodeLinks;
  got: NodeMessage[];
  /** Batches others sent it through the bus, not yet read. */
  bus: string[];
}

let open: Array<{ close(): Promise<void> | void }> = [];
afterEach(async () => {
  for (const o of open.reverse()) await o.close();
  open = [];
});

/** Nodes on one pretend bus: `addresses` says where each one's link is (a test may point it elsewhere). */
function world(): { sides: Map<string, Side>; addresses: Map<string, string>; side(id: string, opts?: { direct?: boolean; clock?: () => number; helloTimeoutMs?: number; ackEveryMs?: number }): Promise<Side>; pump(to: Side): void } {
  const sides = new Map<string, Side>();
  const addresses = new Map<string, string>();
  return {
    sides,
    addresses,
    async side(id, opts = {}) {
      const got: NodeMessage[] = [];
      const bus: string[] = [];
      const transport: LinkTransport = {
        nodeId: id,
        sendBatch: (node, text) => sides.get(node)?.bus.push(text),
        addressOf: async (node) => addresses.get(node) ?? null,
      };
      const links = await startNodeLinks({ transport, secret: SECRET, host: '127.0.0.1', port: 0, receive: (m) => got.push(m), log, ...opts });
      open.push(links);
      if (links.address) addresses.set(id, links.address);
      const side = { id, links, got, bus };
      sides.set(id, side);
      return side;
    },
    pump(to) {
      for (const text of to.bus.splice(0)) to.links.receiveBatch(text);
    },
  };
}

const raw = (to: string, n: number): NodeMessage => ({ k: 'raw', to, raw: `{"type":"signal","callId":"c","data":{"n":${n}}}` });
const numbers = (got: NodeMessage[]): number[] => got.map((m) => (m.k === 'raw' ? (JSON.parse(m.raw) as { data: { n: number } }).data.n : -1));
const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));
/** Signals numbered `from` to `to - 1` from `a` to b.1's socket 7, one per turn of the event loop (one batch each). */
async function batchesOfOne(a: Side, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) {
    a.links.deliver('b.1', raw('7', i));
    await nextTurn();
  }
}

function frameOf(text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  return Buffer.concat([head, body]);
}

/** A raw TCP client of a link: reads the challenge, then lets the test write what it likes. */
async function dialRaw(address: string): Promise<{ socket: net.Socket; challenge: string; closed: Promise<void> }> {
  const [host, port] = address.split(':');
  const socket = net.connect({ host: host!, port: Number(port) });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  const challenge = await new Promise<string>((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const onData = (c: Buffer): void => {
      buf = Buffer.concat([buf, c]);
      if (buf.length >= 4 && buf.length >= 4 + buf.readUInt32BE(0)) {
        socket.off('data', onData);
        resolve(buf.toString('utf8', 4, 4 + buf.readUInt32BE(0)));
      }
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error('closed before the challenge')));
  });
  open.push({ close: () => void socket.destroy() });
  return { socket, challenge, closed };
}
const answer = (challenge: string, from: string, to: string, secret = SECRET): string => `${from} ${createHmac('sha256', secret).update(`${challenge} ${from} ${to}`).digest('hex')}`;

describe('direct links between nodes', () => {
  it('sends over the link once open, in order, and nothing through the bus', async () => {
    const w = world();
    const a = await w.side('a.1');
    const b = await w.side('b.1');
    a.links.check(new Set(['a.1', 'b.1']));
    await waitFor(() => a.links.stats().out === 1 && b.links.stats().in === 1, 5_000, 'the link from a to b');
    for (let i = 0; i < 300; i++) {
      a.links.deliver('b.1', raw('7', i));
      if (i % 10 === 9) await nextTurn();
    }
    await waitFor(() => b.got.length === 300, 5_000, '300 messages');
    expect(numbers(b.got)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(b.got.every((m) => m.to === '7')).toBe(true);
    expect(a.links.stats()).toMatchObject({ viaBus: 0, refused: 0 });
    expect(a.links.stats().viaLink).toBeGreaterThanOrEqual(30);
    expect(b.bus).toHaveLength(0);
  });

  it('sends through the bus until a link is open, then over it: the receiver keeps the order across both', async () => {
    const w = world();
    const a = await w.side('a.1');
    const b = await w.side('b.1');
    // No check yet: the first batch goes through the bus and starts the dialing.
    a.links.deliver('b.1', raw('7', 0));
    await nextTurn();
    expect(b.bus).toHaveLength(1);
    await waitFor(() => a.links.stats().out === 1, 5_000, 'the link');
    a.links.deliver('b.1', raw('7', 1));
    await waitFor(() => b.links.stats().in === 1 && a.links.stats().viaLink === 1, 5_000, 'batch 2 over the link');
    // Batch 2 came over the link before batch 1 was read from the bus: it waits for it.
    await new Promise((r) => setTimeout(r, 50));
    expect(b.got).toHaveLength(0);
    w.pump(b);
    expect(numbers(b.got)).toEqual([0, 1]);
  });

  it('keeps numbering a node missing from the live nodes for a moment: its next batches are not taken for old ones', async () => {
    const w = world();
    const a = await w.side('a.1');
    const b = await w.side('b.1');
    a.links.check(new Set(['a.1', 'b.1']));
    await waitFor(() => a.links.stats().out === 1, 5_000, 'the link');
    await batchesOfOne(a, 0, 5);
    await waitFor(() => b.got.length === 5, 5_000, 'the first 5');
    // b missed its beats (a busy machine): a drops its link, then b is back.
    a.links.check(new Set(['a.1']));
    await waitFor(() => a.links.stats().out === 0, 5_000, 'the link dropped');
    a.links.check(new Set(['a.1', 'b.1']));
    await waitFor(() => a.links.stats().out === 1, 5_000, 'a new link');
    await batchesOfOne(a, 5, 10);
    await waitFor(() => b.got.length === 10, 5_000, 'the next 5');
    expect(numbers(b.got)).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('puts batches back in order, drops those it already has, and gives a missing one up after a while', () => {
    let now = 1_000;
    const got: NodeMessage[] = [];
    const batch = (seq: number, ...ns: number[]): string => batchHeader('x.1', seq) + ns.map((n) => encodeNodeMessage(raw('1', n))).join('');
    return startNodeLinks({ transport: { nodeId: 'me.1', sendBatch: () => undefined, addressOf: async () => null }, direct: false, secret: '', host: '127.0.0.1', port: 0, receive: (m) => got.push(m), clock: () => now, log }).then(async (links) => {
      open.push(links);
      expect(links.address).toBeNull();
      links.receiveBatch(batch(2, 20, 21));
      links.receiveBatch(batch(1, 10));
      links.receiveBatch(batch(1, 10));
      links.receiveBatch(batch(2, 20, 21));
      expect(numbers(got)).toEqual([10, 20, 21]);
      // Batch 3 never comes: 4 and 5 wait, then are delivered once it is given up.
      links.receiveBatch(batch(5, 50));
      links.receiveBatch(batch(4, 40));
      links.check(new Set(['x.1']));
      expect(got).toHaveLength(3);
      now += GAP_GIVE_UP_MS + 1;
      links.check(new Set(['x.1']));
      expect(numbers(got)).toEqual([10, 20, 21, 40, 50]);
      expect(links.stats().gaps).toBe(1);
      // The late batch 3 is old news; 6 follows at once.
      links.receiveBatch(batch(3, 30));
      links.receiveBatch(batch(6, 60));
      expect(numbers(got)).toEqual([10, 20, 21, 40, 50, 60]);
      // A sender far ahead (10,001 batches while batch 7 never comes): not held for ever, delivered at once in order.
      for (let seq = 8; seq <= 10_008; seq++) links.receiveBatch(batch(seq, seq));
      expect(links.stats().gaps).toBe(2);
      expect(numbers(got).slice(6)).toEqual(Array.from({ length: 10_001 }, (_, i) => i + 8));
      got.length = 6;
      // Headers that cannot be read deliver nothing and throw nothing.
      for (const bad of ['', 'x.1', 'x.1 0\nr1 1 a', 'x.1 -1\n', 'x.1 abc\n', ' 7\n', 'x.1 99999999999999999\n', `${'y'.repeat(300)} 1\n`]) links.receiveBatch(bad);
      expect(got).toHaveLength(6);
    });
  });

  it('loses nothing and doubles nothing when a link breaks: what it had not acknowledged goes through the bus', async () => {
    const w = world();
    const a = await w.side('a.1');
    const b = await w.side('b.1');
    // a reaches b through a relay the test can silence, then cut.
    let silent = false;
    const bAddress = w.addresses.get('b.1')!;
    const pairs = new Set<net.Socket>();
    const relay = net.createServer((inbound) => {
      const [host, port] = bAddress.split(':');
      const outbound = net.connect({ host: host!, port: Number(port) });
      pairs.add(inbound).add(outbound);
      for (const s of [inbound, outbound]) s.on('error', () => undefined);
      inbound.on('data', (c) => {
        if (!silent) outbound.write(c);
      });
      outbound.on('data', (c) => inbound.write(c));
      inbound.on('close', () => outbound.destroy());
      outbound.on('close', () => inbound.destroy());
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    open.push({ close: () => new Promise<void>((r) => relay.close(() => r())) });
    w.addresses.set('b.1', `127.0.0.1:${(relay.address() as net.AddressInfo).port}`);
    a.links.check(new Set(['a.1', 'b.1']));
    await waitFor(() => a.links.stats().out === 1 && b.links.stats().in === 1, 5_000, 'the link through the relay');
    await batchesOfOne(a, 0, 20);
    await waitFor(() => b.got.length === 20, 5_000, 'the first 20');
    // Acknowledged or not, the relay now swallows what a sends; then the link breaks.
    silent = true;
    await batchesOfOne(a, 20, 40);
    expect(b.got.length).toBeLessThan(40);
    for (const s of pairs) s.destroy();
    await waitFor(() => a.links.stats().out === 0, 5_000, 'a to see its link broken');
    expect(b.bus.length).toBeGreaterThanOrEqual(20);
    w.pump(b);
    expect(numbers(b.got)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    // a dials again (to b itself now) and the next batches go over the new link.
    w.addresses.set('b.1', bAddress);
    await waitFor(
      () => {
        a.links.check(new Set(['a.1', 'b.1']));
        return a.links.stats().out === 1;
      },
      5_000,
      'a new link',
    );
    a.links.deliver('b.1', raw('7', 40));
    await waitFor(() => b.got.length === 41, 5_000, 'batch 41');
    expect(numbers(b.got).at(-1)).toBe(40);
  });

  it('acknowledges what came at most once per period, with the highest number, and says nothing when nothing came', async () => {
    const w = world();
    const b = await w.side('b.1', { ackEveryMs: 150 });
    const { socket, challenge } = await dialRaw(b.links.address!);
    const acks: number[] = [];
    let buf = Buffer.alloc(0);
    socket.on('data', (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32BE(0)) {
        acks.push(Number(buf.toString('utf8', 4, 4 + buf.readUInt32BE(0))));
        buf = buf.subarray(4 + buf.readUInt32BE(0));
      }
    });
    socket.write(frameOf(answer(challenge, 'x.1', 'b.1')));
    for (let seq = 1; seq <= 30; seq++) {
      socket.write(frameOf(batchHeader('x.1', seq) + encodeNodeMessage(raw('1', seq))));
      await nextTurn();
    }
    await waitFor(() => b.got.length === 30, 5_000, 'the 30 batches');
    await waitFor(() => acks.length > 0, 5_000, 'an ack');
    // Thirty batches in a few milliseconds: one ack (at most two, should the period end among them), the last naming 30.
    await new Promise((r) => setTimeout(r, 400));
    expect(acks.length).toBeLessThanOrEqual(2);
    expect(acks.at(-1)).toBe(30);
    // Nothing came since: no more acks.
    const before = acks.length;
    await new Promise((r) => setTimeout(r, 400));
    expect(acks).toHaveLength(before);
    socket.write(frameOf(batchHeader('x.1', 31) + encodeNodeMessage(raw('1', 31))));
    await waitFor(() => acks.length === before + 1, 5_000, 'the ack of batch 31');
    expect(acks.at(-1)).toBe(31);
  });

  describe('hostile connections to a link', () => {
    async function refusedThenStillServing(b: Side, w: ReturnType<typeof world>, attack: () => Promise<void>): Promise<void> {
      const before = b.links.stats().refused;
      await attack();
      await waitFor(() => b.links.stats().refused === before + 1, 5_000, 'the refusal');
      expect(b.got).toHaveLength(0);
      // A real node still links and is heard.
      const a = w.sides.get('a.1') ?? (await w.side('a.1'));
      a.links.check(new Set(['a.1', 'b.1']));
      await waitFor(() => a.links.stats().out === 1, 5_000, 'a real link after the attack');
      a.links.deliver('b.1', raw('9', 1));
      await waitFor(() => b.got.length === 1, 5_000, 'a message over it');
      b.got.length = 0;
    }

    it.each<[string, (challenge: string) => Buffer[]]>([
      ['an HTTP request', () => [Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')]],
      ['a length of 4 GiB', () => [Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 2, 3])]],
      ['a wrong answer', () => [frameOf('x.1 deadbeef')]],
      ['no node name', (c) => [frameOf(` ${answer(c, '', 'b.1').slice(1)}`)]],
      ['the answer for another node', (c) => [frameOf(answer(c, 'x.1', 'c.1'))]],
      ['the answer to another challenge', () => [frameOf(answer('0'.repeat(32), 'x.1', 'b.1'))]],
      ['the answer with another secret', (c) => [frameOf(answer(c, 'x.1', 'b.1', 'autre'))]],
      ['the answer claiming to be the listener itself', (c) => [frameOf(answer(c, 'b.1', 'b.1'))]],
      ['a batch naming another sender', (c) => [frameOf(answer(c, 'x.1', 'b.1')), frameOf(batchHeader('y.1', 1) + encodeNodeMessage(raw('1', 1)))]],
      ['a batch without a header', (c) => [frameOf(answer(c, 'x.1', 'b.1')), frameOf(encodeNodeMessage(raw('1', 1)))]],
      ['a batch too long', (c) => [frameOf(answer(c, 'x.1', 'b.1')), Buffer.from([0x7f, 0xff, 0xff, 0xff, 0])]],
    ])('refuses %s and keeps serving', async (_what, attack) => {
      const w = world();
      const b = await w.side('b.1');
      await refusedThenStillServing(b, w, async () => {
        const { socket, challenge, closed } = await dialRaw(b.links.address!);
        for (const chunk of attack(challenge)) socket.write(chunk);
        await closed;
      });
    });

    it('refuses a connection that says nothing, once its time is up', async () => {
      const w = world();
      const b = await w.side('b.1', { helloTimeoutMs: 200 });
      await refusedThenStillServing(b, w, async () => {
        await (await dialRaw(b.links.address!)).closed;
      });
    });

    it('delivers what it can read of a damaged batch from a real node, and goes on', async () => {
      const w = world();
      const b = await w.side('b.1');
      const { socket, challenge } = await dialRaw(b.links.address!);
      socket.write(frameOf(answer(challenge, 'x.1', 'b.1')));
      socket.write(frameOf(batchHeader('x.1', 1) + encodeNodeMessage(raw('1', 1)) + 'r1 999 tronqué'));
      socket.write(frameOf(batchHeader('x.1', 2) + encodeNodeMessage(raw('1', 2))));
      await waitFor(() => b.got.length === 2, 5_000, 'the readable messages');
      expect(numbers(b.got)).toEqual([1, 2]);
      expect(b.links.stats().refused).toBe(0);
    });

    it('survives 200 connections cut at every point of the exchange', async () => {
      const w = world();
      const b = await w.side('b.1');
      const [host, port] = b.links.address!.split(':');
      const cuts = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          new Promise<void>((resolve) => {
            const s = net.connect({ host: host!, port: Number(port) });
            s.on('error', () => resolve());
            s.on('close', () => resolve());
            s.on('connect', () => {
              if (i % 4 === 0) s.destroy();
              else if (i % 4 === 1) s.end(Buffer.from([0, 0]));
              else if (i % 4 === 2) s.end(frameOf('x.1 00').subarray(0, 7));
            });
            s.on('data', () => {
              if (i % 4 === 3) s.destroy();
            });
          }),
        ),
      );
      expect(cuts).toHaveLength(200);
      const a = await w.side('a.1');
      a.links.check(new Set(['a.1', 'b.1']));
      await waitFor(() => a.links.stats().out === 1, 5_000, 'a real link');
      a.links.deliver('b.1', raw('9', 1));
      await waitFor(() => b.got.length === 1, 5_000, 'a message over it');
    });
  });
});
