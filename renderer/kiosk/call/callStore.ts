// The booth's call, as a zustand store: pre-flight, queue, connected call (files, level), end and visit record.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ClientStatus } from '../../../shared/hubClient.js';
import type { EndReason, HubFrameOf, HubFrameType } from '../../../shared/protocol.js';
import type { CallSessionHandlers } from '../../call/callSession.js';
import type { PreflightResult, PreflightFailure } from '../../call/media.js';
import type { CallLevel } from '../../call/stepDown.js';
import type { FileKind, TransferErrorCode } from '../../call/transfer.js';
import { createBoothHubLink, type BoothHubLink } from './hubLink.js';

/** How long the booth waits for a lost hub before it says so and gives up, unless `hubLostAfterMs` says otherwise. */
export const DEFAULT_HUB_LOST_AFTER_MS = 30_000;

/** The part of shared/hubClient.ts's HubClient the booth uses (a fake in tests). */
export interface HubLike {
  readonly status: ClientStatus;
  start(): void;
  stop(): void;
  on<T extends HubFrameType>(type: T, handler: (frame: HubFrameOf<T>) => void): () => void;
  onEvent(name: 'status', handler: (e: { status: ClientStatus; attempt: number }) => void): () => void;
  onEvent(name: 'requeued', handler: (e: { organisation: string }) => void): () => void;
  onEvent(name: 'callLost', handler: (e: { callId: string; reason: 'connection_lost' }) => void): () => void;
  requestCall(organisation: string): boolean;
  cancelCall(): boolean;
  hangup(): boolean;
  signal(data: Record<string, unknown>): boolean;
  /** Forgets the current call (hang up or cancel) while keeping the connection. */
  release(): void;
}

/** The part of CallSession the store uses (a fake in tests). */
export interface SessionLike {
  signal(data: unknown): void;
  sendFile(kind: FileKind, name: string, bytes: Uint8Array): Promise<{ id: string; sha256: string }>;
  setAudioOnly(on: boolean): void;
  destroy(): void;
}

export type FaultCategory = 'equipment' | 'connection' | 'organisation_unreachable' | 'other';

export interface BoothCallDeps {
  /** `hub.connection` of the kiosk contract. */
  hubConnection(): Promise<{ url: string; token: string }>;
  createHub(url: string, token: string): HubLike;
  preflight(): Promise<PreflightResult>;
  createSession(options: {
    initiator: boolean;
    iceServers: RTCIceServer[];
    stream: MediaStream;
    sendSignal(data: Record<string, unknown>): void;
    handlers: Partial<CallSessionHandlers>;
  }): SessionLike;
  /** `visio.recordVisit` of the kiosk contract. */
  recordVisit(visit: { organisation: string; startedAt: number; endedAt: number }): Promise<unknown>;
  /** `incidents.reportFault` of the kiosk contract. */
  reportFault(fault: { faultKey: string; category: FaultCategory; organisation?: string; what: string }): Promise<unknown>;
  /** `help.request` of the kiosk contract. */
  requestHelp(screen: string): Promise<unknown>;
  /** A still photo for "Montrer un document": from the document camera when chosen in settings, else the call's camera. */
  takePhoto(callStream: MediaStream): Promise<Uint8Array>;
  stopStream(stream: MediaStream): void;
  now(): number;
  /**
   * The kiosk's hub connection, kept across calls (see hubLink.ts). Without it each call opens its own socket after the
   * tap and closes it at the end.
   */
  hubLink?: BoothHubLink;
  /** How long the booth may wait for a lost hub before it says so and gives up (ms; default DEFAULT_HUB_LOST_AFTER_MS). */
  hubLostAfterMs?: number;
  /** How long a closed peer waits for the hub to say why the call ended before saying the link was lost (ms). */
  peerLostGraceMs?: number;
  /** After the booth was put back in the queue by a reconnect, "no agent" is retried for this long (agents reconnect too). */
  requeueWindowMs?: number;
}

export type CallPhase = 'idle' | 'preflight' | 'preflight_failed' | 'connecting' | 'waiting' | 'connected' | 'ended';

/** Why a call ended or could not start: hub reasons, plus what only the booth can see. */
export type CallEndCode = EndReason | 'no_agent' | 'closed' | 'connection_lost' | 'hub_unavailable' | 'hub_lost' | 'media_failed';

export interface TransferView {
  kind: FileKind;
  name: string;
  size: number;
  done: number;
  state: 'sending' | 'receiving' | 'verified' | 'failed';
  reason?: TransferErrorCode;
  sha256?: string;
}

export interface BoothCallState {
  phase: CallPhase;
  organisation: string | null;
  failure: PreflightFailure | null;
  position: number | null;
  estimatedWaitS: number | null;
  peerName: string | null;
  startedAt: number | null;
  localStream: MediaStream | null;
  remoteStream: MediaStream | null;
  level: CallLevel;
  levelManual: boolean;
  audioOnly: boolean;
  hubStatus: ClientStatus;
  /** A notice for the waiting screen: the hub restarted and the booth is back in the queue. */
  requeued: boolean;
  transfer: TransferView | null;
  pdf: { name: string; bytes: Uint8Array } | null;
  endCode: CallEndCode | null;
  nextOpening: number | null;
  start(organisation: string): Promise<void>;
  cancel(): void;
  hangup(): void;
  showDocument(): Promise<void>;
  setAudioOnly(on: boolean): void;
  closePdf(): void;
  reset(): void;
}

export type BoothCallStore = StoreApi<BoothCallState>;

const IDLE = {
  phase: 'idle' as CallPhase,
  organisation: null,
  failure: null,
  position: null,
  estimatedWaitS: null,
  peerName: null,
  startedAt: null,
  localStream: null,
  remoteStream: null,
  level: 'full' as CallLevel,
  levelManual: false,
  audioOnly: false,
  hubStatus: 'idle' as ClientStatus,
  requeued: false,
  transfer: null,
  pdf: null,
  endCode: null,
  nextOpening: null,
};

/** Whether two streams carry the same tracks (a stream announced again need not be bound again). */
export function sameTracks(a: MediaStream, b: MediaStream): boolean {
  if (a === b) return true;
  const ta = a.getTracks();
  const tb = b.getTracks();
  const same = (x: MediaStreamTrack, y: MediaStreamTrack) => x === y || (!!x.id && x.id === y.id);
  return ta.length === tb.length && ta.every((x) => tb.some((y) => same(x, y)));
}

export function createBoothCallStore(deps: BoothCallDeps): BoothCallStore {
  const hubLostAfterMs = deps.hubLostAfterMs ?? DEFAULT_HUB_LOST_AFTER_MS;
  let hub: HubLike | null = null;
  /** The link of the current call: the kiosk's (kept at the end) or one of this call's own (closed at the end). */
  let link: { link: BoothHubLink; owned: boolean } | null = null;
  let session: SessionLike | null = null;
  /** The peer prepared while waiting (offer made, candidates gathered): its signals are held until the agent accepts. */
  let prepared: {
    /** The call it was made for; null when made with the booth's servers before the call was placed. */
    callId: string | null;
    servers: string;
    /** Signals kept until the accept (null once released). */
    held: Array<Record<string, unknown>> | null;
    /** Where signals go once released. */
    sink: ((data: Record<string, unknown>) => void) | null;
    failed: boolean;
  } | null = null;
  /** Whether the prepared peer can serve this call: made with these servers, for this call or before any, and not failed. */
  const preparedFits = (callId: string | null, servers: string): boolean =>
    prepared !== null && prepared.servers === servers && !prepared.failed && (prepared.callId === null || prepared.callId === callId);
  let offs: Array<() => void> = [];
  let hubLostTimer: ReturnType<typeof setTimeout> | null = null;
  let peerLostTimer: ReturnType<typeof setTimeout> | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let recorded = false;
  /** Bumped by every start and reset: an older start that resumes after an await stops there. */
  let generation = 0;

  const store = createStore<BoothCallState>()((set, get) => {
    const clearHubLost = () => {
      if (hubLostTimer) clearTimeout(hubLostTimer);
      hubLostTimer = null;
    };

    const teardown = () => {
      clearHubLost();
      if (peerLostTimer) clearTimeout(peerLostTimer);
      peerLostTimer = null;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      for (const off of offs) off();
      offs = [];
      session?.destroy();
      session = null;
      prepared = null;
      if (link?.owned) link.link.close();
      else hub?.release();
      link = null;
      hub = null;
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
      if (wasConnected && s.startedAt !== null && s.organisation && !recorded) {
        recorded = true;
        deps.recordVisit({ organisation: s.organisation, startedAt: s.startedAt, endedAt: deps.now() }).catch(() => undefined);
      }
      if (code === 'media_failed' || (code === 'peer_lost' && !wasConnected)) fault(`visio:call_failed.${s.organisation ?? ''}`, 'connection', 'Appel visio interrompu');
      if (code === 'hub_lost') fault('visio:hub_unreachable', 'connection', 'Service d’appel injoignable pendant l’attente');
      teardown();
      set({ phase: 'ended', endCode: code, remoteStream: null, localStream: null, pdf: s.pdf });
    };

    const handlers: Partial<CallSessionHandlers> = {
      // The browser deps announce the receivers' tracks when the peer is built (bound while waiting); the peer's own
      // announcement after the answer carries the same tracks and must not rebind the element (a rebind rebuilds its player).
      remoteStream: (remoteStream) => {
        const current = get().remoteStream;
        if (current && sameTracks(current, remoteStream)) return;
        set({ remoteStream });
      },
      closed: () => {
        // The hub's call.ended usually follows the peer's close by a few ms and says why; wait for it briefly.
        if (get().phase !== 'connected' || peerLostTimer) return;
        peerLostTimer = setTimeout(() => {
          peerLostTimer = null;
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

    return {
      ...IDLE,

      async start(organisation) {
        if (get().phase !== 'idle' && get().phase !== 'ended' && get().phase !== 'preflight_failed') return;
        recorded = false;
        const gen = ++generation;
        set({ ...IDLE, phase: 'preflight', organisation });
        // The hub socket (already connected when the kiosk keeps one) and the pre-flight go together; the call is
        // requested as soon as both are done, with no other wait.
        let authenticated = false;
        let requeuedAt: number | null = null;
        let requested = false;
        const requestOnce = (h: HubLike) => {
          if (requested || !authenticated || get().phase !== 'connecting') return;
          requested = true;
          h.requestCall(organisation);
        };
        const current = deps.hubLink ? { link: deps.hubLink, owned: false } : { link: createBoothHubLink(deps), owned: true };
        link = current;
        /** The hub client as soon as it is known (a kept connection: before the pre-flight ends). */
        let known: HubLike | null = null;
        const hubCreated = current.link.acquire().then((created) => {
          if (gen !== generation || !created) return null;
          hub = created;
          known = created;
          listen(created);
          return created;
        });
        const check = await deps.preflight();
        if (gen !== generation || get().phase !== 'preflight') {
          if (check.ok) deps.stopStream(check.stream);
          return;
        }
        if (!check.ok) {
          set({ phase: 'preflight_failed', failure: check.failure });
          fault(`visio:preflight.${check.failure}`, 'equipment', `Pré-vérification visio : ${check.failure}`);
          deps.requestHelp(get().organisation ? `visio:${get().organisation}` : 'visio').catch(() => undefined);
          void hubCreated.then(() => {
            if (gen !== generation) return;
            for (const off of offs) off();
            offs = [];
            if (current.owned) current.link.close();
            hub = null;
            link = null;
          });
          return;
        }
        // The peer is built at once with the servers the hub gave at sign-in: its offer is made while the call is placed.
        const early = current.link.iceServers();
        if (early) prepare(check.stream, null, early);
        set({ phase: 'connecting', localStream: check.stream });
        // A kept connection is used without waiting (no await: the request leaves before the screen is drawn).
        const created = known ?? (await hubCreated);
        if (gen !== generation || get().phase !== 'connecting') return;
        if (!created) {
          fault('visio:hub_unreachable', 'connection', 'Service d’appel injoignable');
          end('hub_unavailable');
          return;
        }
        // A kept connection is already authenticated: its auth.ok came before this call.
        if (created.status === 'ready') authenticated = true;
        requestOnce(created);
        set({ hubStatus: created.status });
        if (created.status === 'refused') {
          end('hub_unavailable');
          return;
        }
        if ((created.status === 'waiting_retry' || created.status === 'connecting') && !hubLostTimer) hubLostTimer = setTimeout(() => end('hub_lost'), hubLostAfterMs);

        /**
         * Builds the peer before any accept (offer made, candidates gathered, all kept here): with the booth's servers right
         * after the pre-flight, else with the call's servers once queued. A peer made with other servers is replaced.
         */
        function prepare(stream: MediaStream, callId: string | null, iceServers: unknown[]): void {
          const phase = get().phase;
          if (phase !== 'preflight' && phase !== 'connecting' && phase !== 'waiting') return;
          const servers = JSON.stringify(iceServers);
          if (session && preparedFits(callId, servers)) {
            if (callId && prepared) prepared.callId = callId;
            return;
          }
          session?.destroy();
          const p: NonNullable<typeof prepared> = { callId, servers, held: [], sink: null, failed: false };
          prepared = p;
          const created: SessionLike = deps.createSession({
            initiator: true,
            iceServers: iceServers as RTCIceServer[],
            stream,
            // Nothing leaves the booth before the agent accepts: the offer and candidates wait here.
            sendSignal: (data) => {
              if (p.held) p.held.push(data);
              else p.sink?.(data);
            },
            handlers: {
              ...handlers,
              closed: (cause) => {
                // A replaced peer says nothing; a prepared one that fails before the accept is rebuilt at the accept.
                if (session !== created) return;
                if (p.held) p.failed = true;
                else handlers.closed?.(cause);
              },
            },
          });
          session = created;
        }

        function listen(h: HubLike): void {
          offs.push(
            h.onEvent('status', ({ status }) => {
              set({ hubStatus: status });
              const phase = get().phase;
              if (status === 'ready') {
                clearHubLost();
              } else if ((status === 'waiting_retry' || status === 'connecting') && (phase === 'waiting' || phase === 'connecting') && !hubLostTimer) {
                hubLostTimer = setTimeout(() => end('hub_lost'), hubLostAfterMs);
              } else if (status === 'refused') end('hub_unavailable');
            }),
            // Frame handlers run after the client has restored its state, so this first request is not doubled by a requeue.
            h.on('auth.ok', () => {
              authenticated = true;
              requestOnce(h);
            }),
            h.onEvent('requeued', () => {
              requeuedAt = deps.now();
              set({ requeued: true });
            }),
            h.onEvent('callLost', () => {
              if (get().phase === 'connected') end('connection_lost');
            }),
            h.on('queue.position', (f) => set({ phase: get().phase === 'connected' ? 'connected' : 'waiting', position: f.position, estimatedWaitS: f.estimatedWaitS })),
            h.on('ice.servers', (f) => {
              const stream = get().localStream;
              if (f.callId !== undefined && stream) prepare(stream, f.callId, f.iceServers);
            }),
            h.on('call.unavailable', (f) => {
              // Just after a hub restart the agents are still reconnecting: keep the place and ask again for a while.
              if (f.reason === 'no_agent' && requeuedAt !== null && deps.now() - requeuedAt < (deps.requeueWindowMs ?? 20_000)) {
                if (retryTimer) clearTimeout(retryTimer);
                retryTimer = setTimeout(() => {
                  retryTimer = null;
                  if (gen === generation && get().phase === 'waiting') h.requestCall(organisation);
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
              const p = prepared;
              if (session && p?.held && f.initiator && preparedFits(f.callId, JSON.stringify(f.iceServers))) {
                // The prepared offer and candidates leave now, before anything else is done.
                const held = p.held;
                p.held = null;
                p.sink = (data) => h.signal(data);
                for (const data of held) h.signal(data);
              } else {
                session?.destroy();
                session = deps.createSession({
                  initiator: f.initiator,
                  iceServers: f.iceServers as RTCIceServer[],
                  stream,
                  sendSignal: (data) => h.signal(data),
                  handlers,
                });
              }
              prepared = null;
              set({ phase: 'connected', peerName: f.peerName, startedAt: deps.now(), requeued: false });
            }),
            h.on('signal', (f) => {
              if (get().phase === 'connected') session?.signal(f.data);
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
      },

      cancel() {
        generation++;
        const phase = get().phase;
        if (phase === 'waiting' || phase === 'connecting') hub?.cancelCall();
        teardown();
        set({ ...IDLE });
      },

      hangup() {
        if (get().phase !== 'connected') return;
        hub?.hangup();
        end('hangup_booth');
      },

      async showDocument() {
        const stream = get().localStream;
        if (!session || !stream || get().phase !== 'connected') return;
        let bytes: Uint8Array;
        try {
          bytes = await deps.takePhoto(stream);
        } catch {
          set({ transfer: { kind: 'photo', name: '', size: 0, done: 0, state: 'failed' } });
          return;
        }
        const name = `document-${new Date(deps.now()).toISOString().replace(/[:.]/g, '-')}.jpg`;
        const current = session;
        if (!current) return;
        try {
          const { sha256 } = await current.sendFile('photo', name, bytes);
          const t = get().transfer;
          if (t) set({ transfer: { ...t, sha256 } });
        } catch {
          const t = get().transfer;
          set({ transfer: t ? { ...t, state: 'failed' } : { kind: 'photo', name, size: bytes.length, done: 0, state: 'failed' } });
        }
      },

      setAudioOnly(on) {
        session?.setAudioOnly(on);
        set({ audioOnly: on });
      },

      closePdf() {
        set({ pdf: null });
      },

      reset() {
        generation++;
        teardown();
        set({ ...IDLE });
      },
    };
  });
  return store;
}
