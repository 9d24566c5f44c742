// The pre-flight: the device list and the camera are asked at once; a failure names what is missing.
import { describe, expect, it } from 'vitest';
import { preflight } from '../../../../renderer/call/media.js';

function track(kind: 'audio' | 'video') {
  let stopped = false;
  return { kind, stop: () => (stopped = true), stopped: () => stopped };
}

function devices(opts: { kinds?: string[]; gum: () => Promise<MediaStream>; listFails?: boolean }) {
  const calls: string[] = [];
  const media = {
    enumerateDevices: async () => {
      calls.push('list');
      if (opts.listFails) throw new Error('denied');
      return (opts.kinds ?? ['videoinput', 'audioinput']).map((kind) => ({ kind }) as MediaDeviceInfo);
    },
    getUserMedia: (c: MediaStreamConstraints) => {
      calls.push(`gum:${JSON.stringify(Object.keys(c))}`);
      return opts.gum();
    },
  } as unknown as MediaDevices;
  return { media, calls };
}

function stream(kinds: Array<'audio' | 'video'>) {
  const tracks = kinds.map(track);
  return {
    tracks,
    stream: {
      getTracks: () => tracks,
      getVideoTracks: () => tracks.filter((t) => t.kind === 'video'),
      getAudioTracks: () => tracks.filter((t) => t.kind === 'audio'),
    } as unknown as MediaStream,
  };
}

describe('pre-flight', () => {
  it('asks the device list and getUserMedia together, before either answers, and opens the camera once', async () => {
    const s = stream(['audio', 'video']);
    let release: (m: MediaStream) => void = () => undefined;
    const d = devices({ gum: () => new Promise((r) => (release = r)) });
    const result = preflight(d.media);
    await Promise.resolve();
    await Promise.resolve();
    expect(d.calls.sort()).toEqual(['gum:["audio","video"]', 'list']);
    release(s.stream);
    expect(await result).toEqual({ ok: true, stream: s.stream });
    expect(d.calls.filter((c) => c.startsWith('gum'))).toHaveLength(1);
  });

  it('names the missing camera when getUserMedia fails and the list has no camera', async () => {
    const d = devices({ kinds: ['audioinput'], gum: async () => Promise.reject(Object.assign(new Error('x'), { name: 'NotFoundError' })) });
    expect(await preflight(d.media)).toEqual({ ok: false, failure: 'CAMERA_MISSING' });
  });

  it('names the missing microphone when getUserMedia fails and the list has no microphone', async () => {
    const d = devices({ kinds: ['videoinput'], gum: async () => Promise.reject(Object.assign(new Error('x'), { name: 'NotFoundError' })) });
    expect(await preflight(d.media)).toEqual({ ok: false, failure: 'MICROPHONE_MISSING' });
  });

  it('a refusal with every device present is a permission problem; a busy camera says so', async () => {
    const denied = devices({ gum: async () => Promise.reject(Object.assign(new Error('x'), { name: 'NotAllowedError' })) });
    expect(await preflight(denied.media)).toEqual({ ok: false, failure: 'PERMISSION_DENIED' });
    const busy = devices({ listFails: true, gum: async () => Promise.reject(Object.assign(new Error('x'), { name: 'NotReadableError' })) });
    expect(await preflight(busy.media)).toEqual({ ok: false, failure: 'DEVICE_BUSY' });
  });

  it('a stream without a microphone track is refused and its camera released', async () => {
    const s = stream(['video']);
    const d = devices({ gum: async () => s.stream });
    expect(await preflight(d.media)).toEqual({ ok: false, failure: 'MICROPHONE_MISSING' });
    expect(s.tracks[0]!.stopped()).toBe(true);
  });

  it('no media API at all is said as such', async () => {
    expect(await preflight(undefined)).toEqual({ ok: false, failure: 'NO_MEDIA_API' });
  });
});
