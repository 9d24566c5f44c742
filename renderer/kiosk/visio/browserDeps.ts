// The booth call's real collaborators in the browser: the kiosk bridge's verbs, HubClient over WebSocket, simple-peer, the cameras.
import SimplePeer from 'simple-peer';
import { HubClient, type WebSocketConstructor } from '../../../shared/hubClient.js';
import { CallSession, type PeerFactory, type PeerLike } from '../../call/callSession.js';
import { openDocumentCamera, preflight, stillFromStream, stopStream } from '../../call/media.js';
import type { BoothCallDeps, FaultCategory } from './callState.js';
import { createBoothHubLink, type BoothHubLink } from './hubLink.js';
import type { BoothHubPort } from '../../call/ports.js';

/** The kiosk verbs the call needs, already unwrapped (the kiosk builds them from its bridge: kioskCallVerbs in VisioScreen.tsx). */
export interface KioskCallVerbs {
  hubConnection(): Promise<{ url: string; token: string }>;
  recordVisit(visit: { organisation: string; startedAt: number; endedAt: number }): Promise<unknown>;
  reportFault(fault: { faultKey: string; category: FaultCategory; organisation?: string; what: string }): Promise<unknown>;
  requestHelp(screen: string): Promise<unknown>;
  documentCameraId(): Promise<string | null>;
}

export const simplePeerFactory: PeerFactory = ({ initiator, config, stream }) =>
  new SimplePeer({ initiator, config, stream, trickle: true }) as unknown as PeerLike;

/**
 * The tracks the peer will receive, as a stream: they exist (muted) as soon as the peer has its transceivers, before any
 * offer or answer, and start playing when the other side's media arrives. Binding them to the remote <video> early makes
 * the browser build that element's media player (audio output and compositor set-up, synchronous waits of ~100 ms on a
 * busy machine) while the visitor waits, instead of between the agent's answer and the first picture. Null without a
 * peer connection or receivers.
 */
export function receiverStream(
  pc: Pick<RTCPeerConnection, 'getReceivers'> | null,
  makeStream: (tracks: MediaStreamTrack[]) => MediaStream = (tracks) => new MediaStream(tracks),
): MediaStream | null {
  const tracks = pc?.getReceivers().map((r) => r.track).filter((t): t is MediaStreamTrack => !!t) ?? [];
  return tracks.length > 0 ? makeStream(tracks) : null;
}

/** A hub link over HubClient and the browser's WebSocket, signed in with the token `hub.connection` gives. */
export function createBrowserHubLink(verbs: Pick<KioskCallVerbs, 'hubConnection'>, onHub?: (hub: BoothHubPort) => void): BoothHubLink {
  return createBoothHubLink({
    ...(onHub ? { onHub } : {}),
    hubConnection: () => verbs.hubConnection(),
    createHub: (url, token) =>
      new HubClient({ url, WebSocket: WebSocket as unknown as WebSocketConstructor, credentials: { role: 'booth', token }, backoff: { initialMs: 300, maxMs: 5_000 } }),
  });
}

/** The call's deps in the browser; its hub link is one of its own per call unless the caller gives the kiosk's (`kept`). */
export function createBrowserBoothDeps(verbs: KioskCallVerbs, options: { iceTransportPolicy?: RTCIceTransportPolicy } = {}): BoothCallDeps {
  return {
    hubLink: { perCall: () => createBrowserHubLink(verbs) },
    preflight: () => preflight(),
    createSession: (o) => {
      const session = new CallSession({ ...o, createPeer: simplePeerFactory, ...(options.iceTransportPolicy ? { iceTransportPolicy: options.iceTransportPolicy } : {}) });
      // The remote picture is bound to its <video> now, while the visitor waits, not when the agent's answer arrives: see
      // receiverStream. The stream the peer announces later holds the same tracks, so the element keeps this one.
      const early = receiverStream(session.pc);
      if (early) o.handlers.remoteStream?.(early);
      return session;
    },
    recordVisit: (v) => verbs.recordVisit(v),
    reportFault: (f) => verbs.reportFault(f),
    requestHelp: (screen) => verbs.requestHelp(screen),
    async takePhoto(callStream) {
      const documentCamera = await openDocumentCamera(await verbs.documentCameraId().catch(() => null));
      try {
        return await stillFromStream(documentCamera ?? new MediaStream(callStream.getVideoTracks()));
      } finally {
        if (documentCamera) stopStream(documentCamera);
      }
    },
    stopStream,
    now: () => Date.now(),
  };
}
