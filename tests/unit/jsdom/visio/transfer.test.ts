// The data-channel file transfer: framing, chunking under backpressure, SHA-256 on arrival, size bounds, JPEG re-encoding.
import { describe, expect, it } from 'vitest';
import {
  CHUNK_BYTES,
  FileReceiver,
  HIGH_WATER_BYTES,
  MAX_PHOTO_BYTES,
  TransferError,
  decodeFrame,
  encodeChunk,
  encodeControl,
  encodeUnder,
  sendFile,
  sha256Hex,
  type ControlMessage,
  type ReceivedFile,
  type TransferErrorCode,
} from '../../../../renderer/call/transfer.js';

function bytesOf(n: number, seed = 7): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = x & 0xff;
  }
  return out;
}

/** A channel that queues what is sent and drains `drain` bytes each time the sender looks at bufferedAmount. */
function fakeLink(drain = Infinity) {
  const sent: Uint8Array[] = [];
  let buffered = 0;
  let maxBuffered = 0;
  return {
    sent,
    maxBuffered: () => maxBuffered,
    link: {
      send(b: Uint8Array) {
        sent.push(b.slice());
        buffered += b.length;
        maxBuffered = Math.max(maxBuffered, buffered);
      },
      bufferedAmount() {
        buffered = Math.max(0, buffered - drain);
        return buffered;
      },
      isOpen: () => true,
    },
  };
}

function receiver() {
  const done: ReceivedFile[] = [];
  const failed: TransferErrorCode[] = [];
  const replies: ControlMessage[] = [];
  const progress: number[] = [];
  const r = new FileReceiver({
    progress: (p) => progress.push(p.done),
    complete: (f) => done.push(f),
    failed: (_id, code) => failed.push(code),
    reply: (m) => replies.push(m),
  });
  return { r, done, failed, replies, progress };
}

describe('framing', () => {
  it('round-trips control messages and chunks, and refuses unknown or malformed frames', () => {
    const start: ControlMessage = { t: 'file.start', id: 'a1', kind: 'photo', name: 'doc.jpg', size: 3, sha256: 'a'.repeat(64) };
    expect(decodeFrame(encodeControl(start))).toEqual({ type: 'control', message: start });
    expect(decodeFrame(encodeControl({ t: 'level', level: 'reduced', manual: false }))).toEqual({ type: 'control', message: { t: 'level', level: 'reduced', manual: false } });
    const chunk = decodeFrame(encodeChunk(new Uint8Array([1, 2, 3])));
    expect(chunk.type === 'chunk' && Array.from(chunk.bytes)).toEqual([1, 2, 3]);
    expect(decodeFrame(new Uint8Array([9, 1])).type).toBe('invalid');
    expect(decodeFrame(new Uint8Array([])).type).toBe('invalid');
    expect(decodeFrame(encodeControl({ t: 'level', level: 'hd', manual: false } as unknown as ControlMessage)).type).toBe('invalid');
    expect(decodeFrame(encodeControl({ ...start, sha256: 'xyz' })).type).toBe('invalid');
    expect(decodeFrame('{not json').type).toBe('invalid');
  });
});

describe('sendFile and FileReceiver', () => {
  it('a 1.5 MB photo arrives whole in 16 KiB chunks with the same SHA-256, progress rising on both sides', async () => {
    const photo = bytesOf(1_500_000);
    const { link, sent } = fakeLink();
    const sendProgress: number[] = [];
    const { sha256 } = await sendFile(link, { id: 'p1', kind: 'photo', name: 'doc.jpg', bytes: photo }, (p) => sendProgress.push(p.done));
    expect(sent.length).toBe(2 + Math.ceil(photo.length / CHUNK_BYTES));
    expect(sent.slice(1, -1).every((f) => f.length <= CHUNK_BYTES + 1)).toBe(true);
    expect(sendProgress.at(-1)).toBe(photo.length);

    const rx = receiver();
    for (const f of sent) await rx.r.accept(decodeFrame(f));
    expect(rx.failed).toEqual([]);
    expect(rx.done).toHaveLength(1);
    expect(rx.done[0]!.sha256).toBe(sha256);
    expect(rx.done[0]!.sha256).toBe(await sha256Hex(photo));
    expect(Buffer.compare(rx.done[0]!.bytes, photo)).toBe(0);
    expect(rx.replies).toEqual([{ t: 'file.result', id: 'p1', ok: true }]);
    expect(rx.progress.at(-1)).toBe(photo.length);
    expect(rx.progress.every((v, i, a) => i === 0 || v >= a[i - 1]!)).toBe(true);
  });

  it('waits while the channel holds more than the high-water mark instead of piling up', async () => {
    const { link, maxBuffered } = fakeLink(64 * 1024);
    await sendFile(link, { id: 'p2', kind: 'pdf', name: 'big.pdf', bytes: bytesOf(4 * 1024 * 1024) });
    expect(maxBuffered()).toBeLessThanOrEqual(HIGH_WATER_BYTES + CHUNK_BYTES + 1);
  });

  it('a corrupted chunk is caught by the SHA-256 check and reported to the sender', async () => {
    const { link, sent } = fakeLink();
    await sendFile(link, { id: 'p3', kind: 'photo', name: 'doc.jpg', bytes: bytesOf(50_000) });
    const tampered = sent.map((f, i) => (i === 2 ? Uint8Array.from(f, (b, j) => (j === 10 ? b ^ 0xff : b)) : f));
    const rx = receiver();
    for (const f of tampered) await rx.r.accept(decodeFrame(f));
    expect(rx.done).toEqual([]);
    expect(rx.failed).toEqual(['HASH_MISMATCH']);
    expect(rx.replies).toEqual([{ t: 'file.result', id: 'p3', ok: false, reason: 'HASH_MISMATCH' }]);
  });

  it('a missing chunk is reported as a size mismatch', async () => {
    const { link, sent } = fakeLink();
    await sendFile(link, { id: 'p4', kind: 'photo', name: 'doc.jpg', bytes: bytesOf(50_000) });
    const rx = receiver();
    for (const f of sent.filter((_, i) => i !== 1)) await rx.r.accept(decodeFrame(f));
    expect(rx.failed).toEqual(['SIZE_MISMATCH']);
  });

  it('refuses to send a photo over 2 MB, and the receiver refuses an announced oversize photo without buffering it', async () => {
    const { link, sent } = fakeLink();
    await expect(sendFile(link, { id: 'p5', kind: 'photo', name: 'x.jpg', bytes: new Uint8Array(MAX_PHOTO_BYTES + 1) })).rejects.toThrow(TransferError);
    expect(sent).toEqual([]);
    const rx = receiver();
    await rx.r.accept({ type: 'control', message: { t: 'file.start', id: 'p6', kind: 'photo', name: 'x.jpg', size: MAX_PHOTO_BYTES + 1, sha256: '0'.repeat(64) } });
    await rx.r.accept({ type: 'chunk', bytes: new Uint8Array(10) });
    await rx.r.accept({ type: 'control', message: { t: 'file.end', id: 'p6' } });
    expect(rx.failed).toEqual(['TOO_LARGE']);
    expect(rx.done).toEqual([]);
  });

  it('stops with CHANNEL_CLOSED when the channel closes mid-transfer', async () => {
    let open = true;
    const sent: Uint8Array[] = [];
    const link = {
      send: (b: Uint8Array) => {
        sent.push(b);
        if (sent.length === 3) open = false;
      },
      bufferedAmount: () => 0,
      isOpen: () => open,
    };
    await expect(sendFile(link, { id: 'p7', kind: 'pdf', name: 'a.pdf', bytes: bytesOf(100_000) })).rejects.toMatchObject({ code: 'CHANNEL_CLOSED' });
  });
});

describe('encodeUnder', () => {
  it('lowers the JPEG quality, then the size, until the picture fits under 2 MB', async () => {
    const tried: Array<[number, number]> = [];
    // A fake encoder: bytes proportional to quality and to the area.
    const encode = async (quality: number, scale: number) => {
      tried.push([quality, scale]);
      return new Uint8Array(Math.round(5_000_000 * quality * scale * scale));
    };
    const result = await encodeUnder(encode);
    expect(result.bytes.length).toBeLessThanOrEqual(MAX_PHOTO_BYTES);
    expect(result).toMatchObject({ quality: 0.35, scale: 1 });
    expect(tried[0]).toEqual([0.92, 1]);
    const big = await encodeUnder(async (q, s) => new Uint8Array(Math.round(40_000_000 * q * s * s)));
    expect(big.scale).toBeLessThan(1);
    expect(big.bytes.length).toBeLessThanOrEqual(MAX_PHOTO_BYTES);
  });

  it('gives up with TOO_LARGE when nothing fits', async () => {
    await expect(encodeUnder(async () => new Uint8Array(10), 5)).rejects.toMatchObject({ code: 'TOO_LARGE' });
  });
});
