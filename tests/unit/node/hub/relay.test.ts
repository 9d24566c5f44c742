// The relay's own WebSocket framing (server/framing.ts `textFrame`): headers of every length class, and signals of those
// lengths relayed byte for byte over real sockets, in order with the frames ws sends itself.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../../server/auth.js';
import { textFrame, textFrames, tooDeep } from '../../../../server/framing.js';
import { startHub, type RunningHub } from '../../../../server/hub.js';
import { TUESDAY_10H, agent, booth, type RawClient } from './helpers.js';

/** Reads back an unmasked frame: FIN, opcode, payload length and payload. */
function decode(frame: Buffer): { fin: boolean; opcode: number; length: number; payload: Buffer } {
  const fin = (frame[0]! & 0x80) !== 0;
  const opcode = frame[0]! & 0x0f;
  const masked = (frame[1]! & 0x80) !== 0;
  expect(masked).toBe(false);
  let length = frame[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    length = frame.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    length = Number(frame.readBigUInt64BE(2));
    offset = 10;
  }
  return { fin, opcode, length, payload: frame.subarray(offset) };
}

describe('textFrame', () => {
  it.each([
    [0, 2],
    [1, 2],
    [125, 2],
    [126, 4],
    [65_535, 4],
    [65_536, 10],
    [200_000, 10],
  ])('frames %i bytes with a %i-byte header', (length, header) => {
    const payload = Buffer.alloc(length, 0x61);
    if (length > 0) payload[length - 1] = 0x7a;
    const frame = textFrame(payload);
    expect(frame.length).toBe(header + length);
    const d = decode(frame);
    expect(d).toMatchObject({ fin: true, opcode: 1, length });
    expect(d.payload.equals(payload)).toBe(true);
  });
});

describe('textFrames', () => {
  it('puts texts of every length class, multibyte ones included, one after the other in one buffer', () => {
    const texts = ['{"type":"hello"}', '', 'é'.repeat(70), 'x'.repeat(126), 'ü'.repeat(40_000)];
    const out = textFrames(texts);
    const back: string[] = [];
    let at = 0;
    while (at < out.length) {
      const d = decode(out.subarray(at));
      expect(d).toMatchObject({ fin: true, opcode: 1 });
      back.push(d.payload.subarray(0, d.length).toString('utf8'));
      at += out.length - at - d.payload.length + d.length;
    }
    expect(back).toEqual(texts);
    expect(out.length).toBe(2 + 16 + 2 + 4 + 140 + 4 + 126 + 10 + 80_000);
  });
});

describe('relay over real sockets', () => {
  let hub: RunningHub;
  const open: RawClient[] = [];

  beforeEach(async () => {
    hub = await startHub({ dbFile: ':memory:', clock: () => TUESDAY_10H, maxFrameBytes: 256 * 1024 });
    hub.store.addAgent({ organisation: 'CAF', login: 'caf1', displayName: 'Agent CAF', passwordHash: await hashPassword('mot-de-passe') }, TUESDAY_10H);
  });

  afterEach(async () => {
    for (const c of open.splice(0)) c.close();
    await hub.close();
  });

  it('relays signals of every length class byte for byte, before the frames ws sends after them', async () => {
    const a = await agent(hub.url, 'caf1', 'mot-de-passe');
    const b = await booth(hub.url, hub.store.addBooth('Saint-Flour', TUESDAY_10H).token);
    open.push(a, b);
    b.send({ type: 'call.request', organisation: 'CAF' });
    const ring = await a.next('call.ringing');
    a.send({ type: 'call.accept', callId: ring.callId });
    await b.next('call.accepted');
    await a.next('call.accepted');

    const received: string[] = [];
    a.ws.on('message', (data) => received.push(String(data)));
    const sent: string[] = [];
    for (const length of [125, 126, 65_535, 65_536, 200_000]) {
      const head = JSON.stringify({ type: 'signal', callId: ring.callId, data: { sdp: '' } });
      const text = JSON.stringify({ type: 'signal', callId: ring.callId, data: { sdp: 'v'.repeat(length - head.length) } });
      expect(text.length).toBe(length);
      sent.push(text);
      b.sendText(text);
    }
    // The hang-up makes ws itself send `call.ended` to the agent: it must come after every relayed signal.
    b.send({ type: 'call.hangup', callId: ring.callId });
    await a.next('call.ended');
    expect(received.filter((t) => t.includes('"signal"'))).toEqual(sent);
    expect(received.findIndex((t) => t.includes('"call.ended"'))).toBe(sent.length);
    expect(hub.stats().relayed).toBe(sent.length);
  });
});

describe('a peer that no longer reads', () => {
  it('is closed once the signals waiting for it pass maxBufferedBytes, and the booth is told', async () => {
    const hub = await startHub({ dbFile: ':memory:', clock: () => TUESDAY_10H, maxBufferedBytes: 256 * 1024 });
    hub.store.addAgent({ organisation: 'CAF', login: 'caf1', displayName: 'Agent CAF', passwordHash: await hashPassword('mot-de-passe') }, TUESDAY_10H);
    const a = await agent(hub.url, 'caf1', 'mot-de-passe');
    const b = await booth(hub.url, hub.store.addBooth('Saint-Flour', TUESDAY_10H).token);
    try {
      b.send({ type: 'call.request', organisation: 'CAF' });
      const ring = await a.next('call.ringing');
      a.send({ type: 'call.accept', callId: ring.callId });
      await b.next('call.accepted');
      // The agent's client stops reading: the kernel's buffers fill, then the hub's.
      a.ws.pause();
      const big = JSON.stringify({ type: 'signal', callId: ring.callId, data: { sdp: 'v'.repeat(60_000) } });
      for (let i = 0; i < 190; i++) b.sendText(big);
      expect(await b.next('call.ended', undefined, 15_000)).toMatchObject({ callId: ring.callId });
      expect(hub.stats().sockets).toBe(1);
    } finally {
      a.close();
      b.close();
      await hub.close();
    }
  });
});

describe('tooDeep', () => {
  it('lets small frames through whatever their nesting, and refuses large deeply nested ones', () => {
    const nested = (depth: number): Buffer => Buffer.from(`{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    expect(nested(400).length).toBeLessThan(1_024);
    expect(tooDeep(nested(400))).toBe(false);
    expect(tooDeep(nested(600))).toBe(true);
    expect(tooDeep(nested(15))).toBe(false);
    // Many brackets but shallow: scanned, and accepted.
    const flat = Buffer.from(JSON.stringify({ a: Array.from({ length: 300 }, () => [1]) }));
    expect(flat.length).toBeGreaterThan(1_024);
    expect(tooDeep(flat)).toBe(false);
  });
});
