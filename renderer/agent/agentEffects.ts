// What the agent's console holds besides its state (hub client, peer, camera) and the side effects that end a call: the
// store's actions, the hub's events (agentHubEvents.ts) and the peer's events all act through these.
import type { CallSessionHandlers } from '../call/callSession.js';
import type { AgentHubPort, AgentSessionPort } from '../call/ports.js';
import { createWarmCamera, type WarmCamera } from './agentCamera.js';
import type { AgentDeps, AgentEndCode, AgentStateAccess } from './agentState.js';

export interface AgentResources {
  hub: AgentHubPort | null;
  session: AgentSessionPort | null;
  offs: Array<() => void>;
  /** The camera and microphone of the call. */
  media: MediaStream | null;
  /** A remote stream announced before the call screen is drawn. */
  earlyRemote: MediaStream | null;
}

export interface AgentEffects {
  readonly deps: AgentDeps;
  readonly state: AgentStateAccess;
  readonly held: AgentResources;
  readonly camera: WarmCamera;
  /** What the peer's events do to the call (CallSession's handlers). */
  readonly sessionHandlers: Partial<CallSessionHandlers>;
  /** Ends the call: destroys the peer, releases its camera, says why, and readies the camera for the next call. */
  endCall(code: AgentEndCode): void;
}

export function createAgentEffects(deps: AgentDeps, state: AgentStateAccess): AgentEffects {
  const { get, set } = state;
  const held: AgentResources = { hub: null, session: null, offs: [], media: null, earlyRemote: null };
  const mayWarm = () => deps.warmCamera !== false && get().phase === 'ready' && get().availability === 'available' && !get().call && !get().accepting && held.hub !== null;
  const camera = createWarmCamera(deps, state, mayWarm);

  const endCall = (code: AgentEndCode) => {
    held.session?.destroy();
    held.session = null;
    held.earlyRemote = null;
    if (held.media) deps.stopStream(held.media);
    held.media = null;
    if (get().call) set({ call: null, ended: code, accepting: null, hubInterrupted: false });
    else set({ accepting: null, hubInterrupted: false });
    camera.warmUp();
  };

  const sessionHandlers: Partial<CallSessionHandlers> = {
    remoteStream: (remoteStream) => {
      const call = get().call;
      if (call) set({ call: { ...call, remoteStream } });
      // The remote tracks come with the offer, before the answer leaves and the call screen is drawn.
      else held.earlyRemote = remoteStream;
    },
    closed: () => {
      // The hub's call.ended usually follows the peer's close and says why; wait for it briefly.
      const call = get().call;
      if (!call) return;
      setTimeout(() => {
        if (get().call?.callId !== call.callId) return;
        held.hub?.hangup();
        endCall('peer_lost');
      }, deps.peerLostGraceMs ?? 2_000);
    },
    receiveProgress: (p) => set({ transfer: { direction: 'in', name: p.name, size: p.size, done: p.done, state: 'active' } }),
    received: (f) => {
      set({ transfer: { direction: 'in', name: f.name, size: f.bytes.length, done: f.bytes.length, state: 'verified' } });
      if (f.kind === 'photo') set({ photos: [...get().photos, { id: f.id, name: f.name, url: deps.photoUrl(f.bytes), sha256: f.sha256, size: f.bytes.length }] });
    },
    receiveFailed: (_id, reason) => {
      const t = get().transfer;
      set({ transfer: { direction: 'in', name: t?.name ?? '', size: t?.size ?? 0, done: t?.done ?? 0, state: 'failed', reason } });
    },
    sendProgress: (p) => set({ transfer: { direction: 'out', name: p.name, size: p.size, done: p.done, state: 'active' } }),
    sendResult: (_id, ok, reason) => {
      const t = get().transfer;
      if (t) set({ transfer: { ...t, state: ok ? 'verified' : 'failed', ...(reason ? { reason } : {}) } });
    },
    level: (level, levelManual) => {
      const call = get().call;
      if (call) set({ call: { ...call, level, levelManual } });
    },
  };

  return { deps, state, held, camera, sessionHandlers, endCall };
}
