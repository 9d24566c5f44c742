// What a booth call holds besides its state (hub client, link, peer, timers) and the side effects that end it or report a
// fault: the store's actions, the hub's events (hubEvents.ts) and the peer's events all act through these.
import type { CallSessionHandlers } from '../../call/callSession.js';
import type { BoothHubPort, CallSessionPort } from '../../call/ports.js';
import { DEFAULT_HUB_LOST_AFTER_MS, type BoothCallDeps, type CallEndCode, type FaultCategory, type StateAccess } from './callState.js';
import type { BoothHubLink } from './hubLink.js';

/** The peer prepared while waiting (offer made, candidates gathered): its signals are held until the agent accepts. */
export interface PreparedPeer {
  /** The call it was made for; null when made with the booth's servers before the call was placed. */
  callId: string | null;
  servers: string;
  /** Signals kept until the accept (null once released). */
  held: Array<Record<string, unknown>> | null;
  /** Where signals go once released. */
  sink: ((data: Record<string, unknown>) => void) | null;
  failed: boolean;
}

/** The resources of the call under way. */
export interface CallResources {
  hub: BoothHubPort | null;
  /** The link of the current call: the kiosk's (kept at the end) or one of this call's own (closed at the end). */
  link: { link: BoothHubLink; owned: boolean } | null;
  session: CallSessionPort | null;
  prepared: PreparedPeer | null;
  offs: Array<() => void>;
  hubLostTimer: ReturnType<typeof setTimeout> | null;
  peerLostTimer: ReturnType<typeof setTimeout> | null;
  retryTimer: ReturnType<typeof setTimeout> | null;
  recorded: boolean;
  /** Bumped by every start and reset: an older start that resumes after an await stops there. */
  generation: number;
}

export interface CallEffects {
  readonly deps: BoothCallDeps;
  readonly state: StateAccess;
  readonly held: CallResources;
  /** What the peer's events do to the call (CallSession's handlers). */
  readonly sessionHandlers: Partial<CallSessionHandlers>;
  clearHubLost(): void;
  /** Gives the lost hub `hubLostAfterMs` to come back before the call ends (a timer already running is kept). */
  armHubLost(): void;
  /** Stops listening, destroys the peer, lets the hub go (closed when the call's own, released when the kiosk's). */
  teardown(): void;
  fault(faultKey: string, category: FaultCategory, what: string): void;
  /** Ends the call: records the visit of a call that was answered, reports what the mediator must know, then tears down. */
  end(code: CallEndCode): void;
}

/** Whether two streams carry the same tracks (a stream announced again need not be bound again). */
export function sameTracks(a: MediaStream, b: MediaStream): boolean {
  if (a === b) return true;
  const ta = a.getTracks();
  const tb = b.getTracks();
  const same = (x: MediaStreamTrack, y: MediaStreamTrack) => x === y || (!!x.id && x.id === y.id);
  return ta.length === tb.length && ta.every((x) => tb.some((y) => same(x, y)));
}

export function createCallEffects(deps: BoothCallDeps, state: StateAccess): CallEffects {
  const { get, set } = state;
  const hubLostAfterMs = deps.hubLostAfterMs ?? DEFAULT_HUB_LOST_AFTER_MS;
  const held: CallResources = {
    hub: null,
    link: null,
    session: null,
    prepared: null,
    offs: [],
    hubLostTimer: null,
    peerLostTimer: null,
    retryTimer: null,
    recorded: false,
    generation: 0,
  };

  const clearHubLost = () => {
    if (held.hubLostTimer) clearTimeout(held.hubLostTimer);
    held.hubLostTimer = null;
  };

  const armHubLost = () => {
    if (!held.hubLostTimer) held.hubLostTimer = setTimeout(() => end('hub_lost'), hubLostAfterMs);
  };

  const teardown = () => {
    clearHubLost();
    if (held.peerLostTimer) clearTimeout(held.peerLostTimer);
    held.peerLostTimer = null;
    if (held.retryTimer) clearTimeout(held.retryTimer);
    held.retryTimer = null;
    for (const off of held.offs) off();
    held.offs = [];
    held.session?.destroy();
    held.session = null;
    held.prepared = null;
    if (held.link?.owned) held.link.link.close();
    else held.hub?.release();
    held.link = null;
    held.hub = null;
    const s = get();
    if (s.localStream) deps.stopStream(s.localStream);
  };

  const fault = (faultKey: string, category: FaultCategory, what: string) => {
    const organisation = get().organisation ?? undefined;
    deps.reportFault({ faultKey, category, what, ...(organisation ? { organisation } : {}) }).catch(() => undefined);
  };

  const end = (code: CallEndCode) => {
    const s = get();
    if (s.phase === 'ended' || s.phase === 'idle') return;
    const wasConnected = s.phase === 'connected';
    if (wasConnected && s.startedAt !== null && s.organisation && !held.recorded) {
      held.recorded = true;
      deps.recordVisit({ organisation: s.organisation, startedAt: s.startedAt, endedAt: deps.now() }).catch(() => undefined);
    }
    if (code === 'media_failed' || (code === 'peer_lost' && !wasConnected)) fault(`visio:call_failed.${s.organisation ?? ''}`, 'connection', 'Appel visio interrompu');
    if (code === 'hub_lost') fault('visio:hub_unreachable', 'connection', 'Service d’appel injoignable pendant l’attente');
    teardown();
    set({ phase: 'ended', endCode: code, remoteStream: null, localStream: null, pdf: s.pdf, hubInterrupted: false });
  };

  const sessionHandlers: Partial<CallSessionHandlers> = {
    // The browser deps announce the receivers' tracks when the peer is built (bound while waiting); the peer's own
    // announcement after the answer carries the same tracks and must not rebind the element (a rebind rebuilds its player).
    remoteStream: (remoteStream) => {
      const current = get().remoteStream;
      if (current && sameTracks(current, remoteStream)) return;
      set({ remoteStream });
    },
    closed: () => {
      // The hub's call.ended usually follows the peer's close by a few ms and says why; wait for it briefly.
      if (get().phase !== 'connected' || held.peerLostTimer) return;
      held.peerLostTimer = setTimeout(() => {
        held.peerLostTimer = null;
        if (get().phase === 'connected') end('peer_lost');
      }, deps.peerLostGraceMs ?? 2_000);
    },
    sendProgress: (p) => set({ transfer: { kind: p.kind, name: p.name, size: p.size, done: p.done, state: 'sending' } }),
    sendResult: (_id, ok, reason) => {
      const t = get().transfer;
      if (t) set({ transfer: { ...t, state: ok ? 'verified' : 'failed', ...(reason ? { reason } : {}) } });
    },
    receiveProgress: (p) => set({ transfer: { kind: p.kind, name: p.name, size: p.size, done: p.done, state: 'receiving' } }),
    received: (f) => {
      set({ transfer: { kind: f.kind, name: f.name, size: f.bytes.length, done: f.bytes.length, state: 'verified', sha256: f.sha256 } });
      if (f.kind === 'pdf') set({ pdf: { name: f.name, bytes: f.bytes } });
    },
    receiveFailed: (_id, reason) => {
      const t = get().transfer;
      set({ transfer: t ? { ...t, state: 'failed', reason } : null });
    },
    level: (level, levelManual) => set({ level, levelManual }),
  };

  return { deps, state, held, sessionHandlers, clearHubLost, armHubLost, teardown, fault, end };
}
