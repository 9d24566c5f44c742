// Two CallSessions joined by fake peers: signals go out, files cross with their hash checked, the level is shared.
import { describe, expect, it } from 'vitest';
import { CallSession, type CallSessionHandlers, type PeerLike } from '../../../../renderer/call/callSession.js';
import type { ReceivedFile } from '../../../../renderer/call/transfer.js';

type Listener = (...args: never[]) => void;

class FakePeer implements PeerLike {
  other: FakePeer | null = null;
  listeners = new Map<string, Listener[]>();
  signalled: unknown[] = [];
  destroyed = false;
  bufferSize = 0;
  on(event: string, fn: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const fn of this.listeners.get(event) ?? []) (fn as (...a: unknown[]) => void)(...args);
  }
  signal(data: unknown): void {
    this.signalled.push(data);
  }
  send(data: Uint8Array): void {
    const copy = data.slice();
    queueMicrotask(() => this.other?.emit('data', copy));
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('close');
    this.other?.destroy();
  }
}

/** RTCRtpSenders that keep the parameters they are given (and count the setParameters calls). */
function fakeSenders() {
  interface Params {
    transactionId: string;
    encodings: Array<Record<string, unknown>>;
    degradationPreference?: string;
  }
  interface Sender {
    track: { kind: string };
    calls: number;
    params: Params;
    getParameters(): Params;
    setParameters(p: Params): Promise<void>;
  }
  const make = (kind: 'audio' | 'video') => {
    const s: Sender = {
      track: { kind },
      calls: 0,
      params: { transactionId: 't', encodings: [{ active: true }] },
      getParameters: () => structuredClone(s.params),
      setParameters: async (p) => {
        s.calls++;
        s.params = structuredClone(p);
      },
    };
    return s;
  };
  const audio = make('audio');
  const video = make('video');
  return { audio, video, list: [audio, video] };
}

function pair(handlersA: Partial<CallSessionHandlers> = {}, handlersB: Partial<CallSessionHandlers> = {}) {
  const peers: FakePeer[] = [];
  const out: unknown[] = [];
  const make = (initiator: boolean, handlers: Partial<CallSessionHandlers>) =>
    new CallSession({
      createPeer: () => {
        const p = new FakePeer();
        peers.push(p);
        return p;
      },
      initiator,
      iceServers: [],
      stream: { getAudioTracks: () => [], getVideoTracks: () => [] } as unknown as MediaStream,
      sendSignal: (d) => out.push(d),
      handlers,
      statsIntervalMs: 0,
    });
  const a = make(true, handlersA);
  const b = make(false, handlersB);
  peers[0]!.other = peers[1]!;
  peers[1]!.other = peers[0]!;
  return { a, b, peers, out };
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
};

describe('CallSession', () => {
  it('sends its peer signals to the hub and passes the hub signals to its peer', () => {
    const { a, peers, out } = pair();
    peers[0]!.emit('signal', { type: 'offer', sdp: 'v=0' });
    expect(out).toEqual([{ type: 'offer', sdp: 'v=0' }]);
    a.signal({ type: 'answer', sdp: 'v=0' });
    expect(peers[0]!.signalled).toEqual([{ type: 'answer', sdp: 'v=0' }]);
  });

  it('a photo sent by one side arrives whole at the other with the same SHA-256, and the sender hears it was verified', async () => {
    const received: ReceivedFile[] = [];
    const results: boolean[] = [];
    const { a } = pair({ sendResult: (_id, ok) => results.push(ok) }, { received: (f) => received.push(f) });
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 31) % 256);
    const { sha256 } = await a.sendFile('photo', 'doc.jpg', bytes);
    await settle();
    expect(received).toHaveLength(1);
    expect(received[0]!.sha256).toBe(sha256);
    expect(received[0]!.kind).toBe('photo');
    expect(Buffer.compare(received[0]!.bytes, bytes)).toBe(0);
    expect(results).toEqual([true]);
  });

  it('audio only chosen on one side is applied and shown on both, and lifting it restores full on both', async () => {
    const levelsA: string[] = [];
    const levelsB: string[] = [];
    const { a, b } = pair({ level: (l) => levelsA.push(l) }, { level: (l) => levelsB.push(l) });
    a.setAudioOnly(true);
    await settle();
    expect(a.level).toBe('audio_only');
    expect(b.level).toBe('audio_only');
    expect(levelsB.at(-1)).toBe('audio_only');
    a.setAudioOnly(false);
    await settle();
    expect(b.level).toBe('full');
    expect(levelsA.at(-1)).toBe('full');
  });

  it('lossy getStats samples on one side step both sides down to reduced', async () => {
    const { a, b } = pair();
    let at = 0;
    let received = 0;
    let lost = 0;
    const sample = (loss: number) => {
      received += 100 - loss;
      lost += loss;
      at += 1000;
      b.observe({ at, packetsReceived: received, packetsLost: lost, rttMs: 30, jitterMs: 5, availableOutgoingBps: null });
    };
    sample(0);
    sample(20);
    sample(20);
    await settle();
    expect(b.level).toBe('full');
    sample(20);
    await settle();
    expect(b.level).toBe('reduced');
    expect(a.level).toBe('reduced');
  });

  it('on connect, gives the voice high priority and caps full video; a narrowing estimate steps the video down within two samples', async () => {
    const { a, peers } = pair();
    const senders = fakeSenders();
    (peers[0] as unknown as { _pc: unknown })._pc = { getSenders: () => senders.list };
    peers[0]!.emit('connect');
    await settle();
    expect(senders.audio.params.encodings[0]).toMatchObject({ priority: 'high', networkPriority: 'high' });
    expect(senders.video.params.degradationPreference).toBe('maintain-framerate');
    expect(senders.video.params.encodings[0]).toMatchObject({ active: true, scaleResolutionDownBy: 1, maxBitrate: 900_000 });
    const sample = (at: number, bps: number) => a.observe({ at, packetsReceived: at / 20, packetsLost: 0, rttMs: 80, jitterMs: 5, availableOutgoingBps: bps });
    sample(1000, 1_200_000);
    sample(2000, 120_000);
    await settle();
    expect(a.level).toBe('full');
    const calls = senders.video.calls;
    sample(3000, 120_000);
    await settle();
    expect(a.level).toBe('reduced');
    expect(senders.video.params.encodings[0]).toMatchObject({ scaleResolutionDownBy: 2, maxBitrate: 250_000 });
    expect(senders.video.params.encodings[0]!.maxFramerate).toBeUndefined();
    expect(senders.video.calls).toBe(calls + 1);
    // The level holds: the sender is left alone.
    sample(4000, 125_000);
    await settle();
    expect(senders.video.calls).toBe(calls + 1);
  });

  it('reports the close once when the peer goes away', () => {
    const closed: string[] = [];
    const { peers } = pair({ closed: (c) => closed.push(c) });
    peers[0]!.emit('error', new Error('ice failed'));
    peers[0]!.emit('close');
    expect(closed).toEqual(['error']);
  });
});
