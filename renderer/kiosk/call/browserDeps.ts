// The booth call's real collaborators in the browser: the kiosk bridge's verbs, HubClient over WebSocket, simple-peer, the cameras.
import SimplePeer from 'simple-peer';
import { HubClient, type WebSocketConstructor } from '../../../shared/hubClient.js';
import { CallSession, type PeerFactory, type PeerLike } from '../../call/callSession.js';
import { openDocumentCamera, preflight, stillFromStream, stopStream } from '../../call/media.js';
import type { BoothCallDeps, FaultCategory } from './callStore.js';

/** The kiosk verbs the call needs, already unwrapped (the lead builds this from `getBridge()`; see the report). */
export interface KioskCallVerbs {
  hubConnection(): Promise<{ url: string; token: string }>;
  recordVisit(visit: { organisation: string; startedAt: number; endedAt: number }): Promise<unknown>;
  reportFault(fault: { faultKey: string; category: FaultCategory; organisation?: string; what: string }): Promise<unknown>;
  requestHelp(screen: string): Promise<unknown>;
  documentCameraId(): Promise<string | null>;
}

export const simplePeerFactory: PeerFactory = ({ initiator, config, stream }) =>
  new SimplePeer({ initiator, config, stream, trickle: true }) as unknown as PeerLike;

export function createBrowserBoothDeps(verbs: KioskCallVerbs, options: { iceTransportPolicy?: RTCIceTransportPolicy } = {}): BoothCallDeps {
  return {
    hubConnection: () => verbs.hubConnection(),
    createHub: (url, token) =>
      new HubClient({ url, WebSocket: WebSocket as unknown as WebSocketConstructor, credentials: { role: 'booth', token }, backoff: { initialMs: 300, maxMs: 5_000 } }),
    preflight: () => preflight(),
    createSession: (o) =>
      new CallSession({ ...o, createPeer: simplePeerFactory, ...(options.iceTransportPolicy ? { iceTransportPolicy: options.iceTransportPolicy } : {}) }),
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
