// The booth's browser deps: the remote stream made from the peer's receivers, bound before the answer arrives.
import { describe, expect, it } from 'vitest';
import { receiverStream } from '../../../../renderer/kiosk/visio/browserDeps.js';

const track = (id: string) => ({ id }) as unknown as MediaStreamTrack;
const pcWith = (tracks: Array<MediaStreamTrack | null>) => ({ getReceivers: () => tracks.map((t) => ({ track: t }) as unknown as RTCRtpReceiver) });

describe('receiverStream', () => {
  it('makes one stream of the tracks the peer will receive, before any answer', () => {
    const [a, v] = [track('a'), track('v')];
    const made: MediaStreamTrack[][] = [];
    const stream = receiverStream(pcWith([a, v]), (tracks) => {
      made.push(tracks);
      return { tracks } as unknown as MediaStream;
    });
    expect(made).toEqual([[a, v]]);
    expect(stream).toEqual({ tracks: [a, v] });
  });

  it('gives nothing without a peer connection or without receivers', () => {
    const make = () => ({}) as MediaStream;
    expect(receiverStream(null, make)).toBeNull();
    expect(receiverStream(pcWith([]), make)).toBeNull();
    expect(receiverStream(pcWith([null]), make)).toBeNull();
  });
});
