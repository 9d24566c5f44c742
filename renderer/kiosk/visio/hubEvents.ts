// The hub's frames and the client's events during a booth call, each turned into what it does to the call: the request
// once signed in, the queue, the accept, the signals, the end, and a lost, resumed or restarted hub.
import type { BoothHubPort } from '../../call/ports.js';
import type { CallEffects } from './callEffects.js';
import { connectPeer, preparePeer } from './preparePeer.js';

/** One call attempt, from the tap: what it asked for, and what the hub has said so far. */
export interface CallAttempt {
  /** The store's generation when it started: a later start or reset makes it stale. */
  readonly generation: number;
  readonly organisation: string;
  /** The booth's appointment this call is for (the hub rings its holding agent first); undefined for a walk-in. */
  readonly appointmentId: string | undefined;
  authenticated: boolean;
  requested: boolean;
  /** When a reconnect put the booth back in the queue (null: never). */
  requeuedAt: number | null;
}

/** Requests the call once, when the hub has authenticated the booth and the pre-flight has passed. */
export function requestOnce(fx: CallEffects, attempt: CallAttempt, h: BoothHubPort): void {
  if (attempt.requested || !attempt.authenticated || fx.state.get().phase !== 'connecting') return;
  attempt.requested = true;
  h.requestCall(attempt.organisation, attempt.appointmentId);
}

/** Listens to the hub for this attempt (the listeners are dropped by the call's teardown). */
export function listenToHub(fx: CallEffects, attempt: CallAttempt, h: BoothHubPort): void {
  const { deps, held, end, fault } = fx;
  const { get, set } = fx.state;
  const { organisation } = attempt;
  held.offs.push(
    h.onEvent('status', ({ status }) => {
      set({ hubStatus: status });
      const phase = get().phase;
      if (status === 'ready') {
        fx.clearHubLost();
      } else if ((status === 'waiting_retry' || status === 'connecting') && (phase === 'waiting' || phase === 'connecting')) {
        fx.armHubLost();
      } else if (status === 'refused') end('hub_unavailable');
    }),
    // Frame handlers run after the client has restored its state, so this first request is not doubled by a requeue.
    h.on('auth.ok', () => {
      attempt.authenticated = true;
      requestOnce(fx, attempt, h);
    }),
    h.onEvent('requeued', () => {
      attempt.requeuedAt = deps.now();
      set({ requeued: true });
    }),
    // The media goes on peer to peer while the client resumes the call on a new socket: said, not ended.
    h.onEvent('callInterrupted', () => {
      if (get().phase === 'connected') set({ hubInterrupted: true });
    }),
    h.onEvent('callResumed', () => set({ hubInterrupted: false })),
    h.onEvent('callLost', () => {
      if (get().phase === 'connected') end('connection_lost');
    }),
    h.on('queue.position', (f) => set({ phase: get().phase === 'connected' ? 'connected' : 'waiting', position: f.position, estimatedWaitS: f.estimatedWaitS })),
    h.on('ice.servers', (f) => {
      const stream = get().localStream;
      if (f.callId !== undefined && stream) preparePeer(fx, stream, f.callId, f.iceServers);
    }),
    h.on('call.unavailable', (f) => {
      // Just after a hub restart the agents are still reconnecting: keep the place and ask again for a while.
      if (f.reason === 'no_agent' && attempt.requeuedAt !== null && deps.now() - attempt.requeuedAt < (deps.requeueWindowMs ?? 20_000)) {
        if (held.retryTimer) clearTimeout(held.retryTimer);
        held.retryTimer = setTimeout(() => {
          held.retryTimer = null;
          if (attempt.generation === held.generation && get().phase === 'waiting') h.requestCall(organisation, attempt.appointmentId);
        }, 1_000);
        return;
      }
      set({ nextOpening: f.nextOpening });
      if (f.reason === 'no_agent') fault(`visio:unreachable.${organisation}`, 'organisation_unreachable', 'Aucun conseiller disponible');
      end(f.reason);
    }),
    h.on('call.accepted', (f) => {
      const stream = get().localStream;
      if (!stream) return;
      connectPeer(fx, h, f, stream);
      set({ phase: 'connected', peerName: f.peerName, startedAt: deps.now(), requeued: false });
    }),
    h.on('signal', (f) => {
      if (get().phase === 'connected') held.session?.signal(f.data);
    }),
    h.on('call.ended', (f) => {
      // A hub restart while waiting: the client puts the booth back in the queue after reconnecting.
      if (f.reason === 'hub_restart' && get().phase === 'waiting') {
        set({ requeued: true });
        return;
      }
      end(f.reason);
    }),
  );
}
