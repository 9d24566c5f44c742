// The voice sent with redundancy (renderer/call/redundantVoice.ts): RED put first on the audio transceivers before the
// offer and again after each remote description (before the answer), never on video, and nothing changed where the
// browser has no RED or refuses the order. Against a typed fake of RTCPeerConnection; the real call is checked in
// tests/e2e/visio.spec.ts (outbound audio codec audio/red on both sides).
import { describe, expect, it } from 'vitest';
import { preferRedundantVoice, redFirst } from '../../../../renderer/call/redundantVoice.js';

const OPUS = { mimeType: 'audio/opus', clockRate: 48_000, channels: 2 };
const RED = { mimeType: 'audio/red', clockRate: 48_000, channels: 2 };
const G722 = { mimeType: 'audio/G722', clockRate: 8_000 };

function fakeTransceiver(kind: 'audio' | 'video', refuse = false) {
  const set: RTCRtpCodec[][] = [];
  return {
    set,
    transceiver: {
      currentDirection: null,
      receiver: { track: { kind } },
      sender: { track: null },
      setCodecPreferences(codecs: RTCRtpCodec[]) {
        if (refuse) throw new DOMException('InvalidModificationError');
        set.push(codecs);
      },
    } as unknown as RTCRtpTransceiver,
  };
}

function fakePc(transceivers: RTCRtpTransceiver[]) {
  const described: RTCSessionDescriptionInit[] = [];
  const pc = {
    getTransceivers: () => transceivers,
    setRemoteDescription: async (d: RTCSessionDescriptionInit) => {
      described.push(d);
    },
  } as unknown as RTCPeerConnection;
  return { pc, described };
}

const capabilities = (codecs: RTCRtpCodec[]) => ({ getCapabilities: (kind: string) => (kind === 'audio' ? { codecs } : null) });

describe('redFirst', () => {
  it('puts every RED entry first and keeps the others in order', () => {
    expect(redFirst([OPUS, G722, RED])).toEqual([RED, OPUS, G722]);
    expect(redFirst([{ mimeType: 'AUDIO/RED' }, OPUS])).toEqual([{ mimeType: 'AUDIO/RED' }, OPUS]);
  });

  it('says null when the browser has no RED', () => {
    expect(redFirst([OPUS, G722])).toBeNull();
    expect(redFirst([])).toBeNull();
  });
});

describe('preferRedundantVoice', () => {
  it('prefers RED on the audio transceivers at once and again after a remote description, never on video', async () => {
    const audio = fakeTransceiver('audio');
    const video = fakeTransceiver('video');
    const { pc, described } = fakePc([audio.transceiver, video.transceiver]);
    preferRedundantVoice(pc, capabilities([OPUS, RED, G722]));
    expect(audio.set).toEqual([[RED, OPUS, G722]]);
    await pc.setRemoteDescription({ type: 'offer', sdp: 'v=0' });
    expect(described).toEqual([{ type: 'offer', sdp: 'v=0' }]);
    expect(audio.set).toHaveLength(2);
    expect(video.set).toEqual([]);
  });

  it('changes nothing without RED, without the capabilities API, or when the browser refuses the order', async () => {
    const audio = fakeTransceiver('audio');
    const { pc } = fakePc([audio.transceiver]);
    preferRedundantVoice(pc, capabilities([OPUS]));
    preferRedundantVoice(pc, undefined);
    expect(audio.set).toEqual([]);
    const refusing = fakeTransceiver('audio', true);
    const other = fakePc([refusing.transceiver]);
    expect(() => preferRedundantVoice(other.pc, capabilities([OPUS, RED]))).not.toThrow();
    await expect(other.pc.setRemoteDescription({ type: 'answer', sdp: 'v=0' })).resolves.toBeUndefined();
  });
});
