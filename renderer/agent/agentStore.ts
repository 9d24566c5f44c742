// The agent's side of the hub: login, availability, ringing calls, the call itself, photos received, PDFs sent.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ClientStatus, HubCredentials } from '../../shared/hubClient.js';
import type { AgentStatus, EndReason } from '../../shared/protocol.js';
import type { CallSessionHandlers } from '../call/callSession.js';
import type { AgentHubPort, AgentSessionPort, AgentTransferView, SessionOptions } from '../call/ports.js';
import type { CallLevel } from '../call/stepDown.js';
import { MAX_PDF_BYTES } from '../call/transfer.js';

export interface AgentDeps {
  createHub(credentials: HubCredentials): AgentHubPort;
  getMedia(): Promise<MediaStream | null>;
  createSession(options: SessionOptions): AgentSessionPort;
  stopStream(stream: MediaStream): void;
  /** A URL for a received photo (URL.createObjectURL in the browser). */
  photoUrl(bytes: Uint8Array): string;
  now(): number;
  /** How long a closed peer waits for the hub to say why the call ended (ms). */
  peerLostGraceMs?: number;
  /** The call screen is drawn once the answer has left, or after this delay when the peer sends nothing (ms, default 500). */
  showCallAfterMs?: number;
  /**
   * Opens camera and microphone while the agent is signed in and available (released when away, in a call's end when
   * away, at logout), so accepting answers at once. Nothing is sent to anyone before the agent accepts. Default true.
   */
  warmCamera?: boolean;
}

export interface RingingCall {
  callId: string;
  organisation: string;
  siteName: string;
  queuedAt: number;
}

export interface ReceivedPhoto {
  id: string;
  name: string;
  url: string;
  sha256: string;
  size: number;
}

export type AgentEndCode = EndReason | 'connection_lost';

export interface AgentCall {
  callId: string;
  organisation: string;
  site: string;
  startedAt: number;
  localStream: MediaStream | null;
  remoteStream: MediaStream | null;
  muted: boolean;
  cameraOff: boolean;
  audioOnly: boolean;
  level: CallLevel;
  levelManual: boolean;
}

export interface AgentState {
  phase: 'login' | 'connecting' | 'ready';
  loginError: 'failed' | 'unreachable' | null;
  name: string | null;
  organisation: string | null;
  demo: boolean;
  availability: AgentStatus;
  hubStatus: ClientStatus;
  ringing: RingingCall[];
  waiting: number;
  accepting: string | null;
  /** Camera and microphone are open, ready for the next call (the agent is available; nothing is sent). */
  cameraReady: boolean;
  call: AgentCall | null;
  photos: ReceivedPhoto[];
  transfer: AgentTransferView | null;
  ended: AgentEndCode | null;
  login(login: string, password: string): void;
  logout(): void;
  setAvailability(status: AgentStatus): void;
  accept(callId: string): Promise<void>;
  decline(callId: string): void;
  hangup(): void;
  toggleMute(): void;
  toggleCamera(): void;
  setAudioOnly(on: boolean): void;
  sendPdf(name: string, bytes: Uint8Array): Promise<void>;
}

export type AgentStore = StoreApi<AgentState>;

const isPdf = (bytes: Uint8Array) => bytes.length > 4 && bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46;

export function createAgentStore(deps: AgentDeps): AgentStore {
  let hub: AgentHubPort | null = null;
  let session: AgentSessionPort | null = null;
  let offs: Array<() => void> = [];
  let media: MediaStream | null = null;
  /** The camera opened ahead of the next call while available, and the opening in progress. */
  let warm: MediaStream | null = null;
  let warming: Promise<void> | null = null;
  /** Bumped by every release: an opening that answers after it is stopped at once. */
  let warmEpoch = 0;
  /** A remote stream announced before the call screen is drawn. */
  let earlyRemote: MediaStream | null = null;

  return createStore<AgentState>()((set, get) => {
    const mayWarm = () => deps.warmCamera !== false && get().phase === 'ready' && get().availability === 'available' && !get().call && !get().accepting && hub !== null;

    const warmUp = () => {
      if (warm || warming || !mayWarm()) return;
      const epoch = warmEpoch;
      warming = deps.getMedia().then(
        (stream) => {
          warming = null;
          if (!stream) return;
          if (epoch !== warmEpoch || !mayWarm()) {
            deps.stopStream(stream);
            return;
          }
          warm = stream;
          set({ cameraReady: true });
        },
        () => {
          warming = null;
        },
      );
    };

    const coolDown = () => {
      warmEpoch++;
      if (warm) deps.stopStream(warm);
      warm = null;
      if (get().cameraReady) set({ cameraReady: false });
    };

    /** The warm stream for a call, waiting for an opening in progress; null when none. */
    const takeWarm = async (): Promise<MediaStream | null> => {
      if (!warm && warming) await warming;
      const stream = warm && warm.getTracks().every((t) => t.readyState !== 'ended') ? warm : null;
      if (warm && !stream) deps.stopStream(warm);
      warm = null;
      if (get().cameraReady) set({ cameraReady: false });
      return stream;
    };

    const endCall = (code: AgentEndCode) => {
      session?.destroy();
      session = null;
      earlyRemote = null;
      if (media) deps.stopStream(media);
      media = null;
      if (get().call) set({ call: null, ended: code, accepting: null });
      else set({ accepting: null });
      warmUp();
    };

    const handlers: Partial<CallSessionHandlers> = {
      remoteStream: (remoteStream) => {
        const call = get().call;
        if (call) set({ call: { ...call, remoteStream } });
        // The remote tracks come with the offer, before the answer leaves and the call screen is drawn.
        else earlyRemote = remoteStream;
      },
      closed: () => {
        // The hub's call.ended usually follows the peer's close and says why; wait for it briefly.
        const call = get().call;
        if (!call) return;
        setTimeout(() => {
          if (get().call?.callId !== call.callId) return;
          hub?.hangup();
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

    return {
      phase: 'login',
      loginError: null,
      name: null,
      organisation: null,
      demo: false,
      availability: 'available',
      hubStatus: 'idle',
      ringing: [],
      waiting: 0,
      accepting: null,
      cameraReady: false,
      call: null,
      photos: [],
      transfer: null,
      ended: null,

      login(login, password) {
        get().logout();
        const h = deps.createHub({ role: 'agent', login, password });
        hub = h;
        set({ phase: 'connecting', loginError: null });
        offs.push(
          h.onEvent('status', ({ status, attempt }) => {
            set({ hubStatus: status });
            if (status === 'refused' && get().phase !== 'ready') {
              coolDown();
              set({ phase: 'login', loginError: 'failed' });
              offs.forEach((off) => off());
              offs = [];
              hub = null;
            } else if (status === 'waiting_retry' && get().phase === 'connecting' && attempt >= 2) set({ loginError: 'unreachable' });
          }),
          h.on('auth.ok', (f) => {
            if (f.role !== 'agent') return;
            set({ phase: 'ready', loginError: null, name: f.name, organisation: f.organisation, demo: f.demo });
            if (!get().call) h.setAvailability(get().availability);
            warmUp();
          }),
          h.on('error', (f) => {
            if (f.code === 'AUTH_FAILED' && get().phase === 'connecting') set({ loginError: 'failed' });
          }),
          h.on('call.ringing', (f) => {
            const others = get().ringing.filter((r) => r.callId !== f.callId);
            set({ ringing: [...others, { callId: f.callId, organisation: f.organisation, siteName: f.siteName, queuedAt: f.queuedAt }] });
          }),
          h.on('call.withdrawn', (f) => set({ ringing: get().ringing.filter((r) => r.callId !== f.callId) })),
          h.on('queue.summary', (f) => set({ waiting: f.waiting })),
          h.on('call.accepted', (f) => {
            const ring = get().ringing.find((r) => r.callId === f.callId);
            const stream = media ?? new MediaStream();
            const localStream = media;
            const startedAt = deps.now();
            earlyRemote = null;
            let shown = false;
            let showTimer: ReturnType<typeof setTimeout> | null = null;
            // The answer leaves before the call screen is drawn: drawing two videos first delays it on a busy machine.
            // A peer that sends nothing is shown anyway after showCallAfterMs.
            const show = () => {
              if (shown) return;
              shown = true;
              if (showTimer) clearTimeout(showTimer);
              if (session !== created) return;
              set({
                accepting: null,
                ringing: get().ringing.filter((r) => r.callId !== f.callId),
                photos: [],
                transfer: null,
                ended: null,
                call: {
                  callId: f.callId,
                  organisation: f.organisation,
                  site: ring?.siteName ?? f.peerName,
                  startedAt,
                  localStream,
                  remoteStream: earlyRemote,
                  muted: false,
                  cameraOff: false,
                  audioOnly: false,
                  level: 'full',
                  levelManual: false,
                },
              });
            };
            const created = deps.createSession({
              initiator: f.initiator,
              iceServers: f.iceServers as RTCIceServer[],
              stream,
              sendSignal: (d) => {
                h.signal(d);
                show();
              },
              handlers,
            });
            session = created;
            if (!shown) showTimer = setTimeout(show, deps.showCallAfterMs ?? 500);
          }),
          h.on('signal', (f) => session?.signal(f.data)),
          h.on('call.ended', (f) => {
            if (get().call?.callId === f.callId || get().accepting === f.callId) endCall(f.reason);
            set({ ringing: get().ringing.filter((r) => r.callId !== f.callId) });
          }),
          h.onEvent('callLost', () => endCall('connection_lost')),
        );
        h.start();
      },

      logout() {
        endCall('hangup_agent');
        coolDown();
        offs.forEach((off) => off());
        offs = [];
        hub?.stop();
        hub = null;
        set({ phase: 'login', ringing: [], call: null, name: null, organisation: null, ended: null });
      },

      setAvailability(status) {
        set({ availability: status });
        hub?.setAvailability(status);
        if (status === 'away') coolDown();
        else warmUp();
      },

      async accept(callId) {
        if (!hub || get().call || get().accepting) return;
        const ready = warm && warm.getTracks().every((t) => t.readyState !== 'ended') ? warm : null;
        if (ready) {
          // The camera is already open: the accept leaves first, the screen follows.
          warm = null;
          media = ready;
          hub.accept(callId);
          set({ accepting: callId, ended: null, cameraReady: false });
          return;
        }
        set({ accepting: callId, ended: null });
        // The camera opened while available answers at once; otherwise it is opened now.
        media = warm || warming ? await takeWarm() : null;
        if (!media) media = await deps.getMedia();
        if (get().accepting !== callId || !hub) {
          if (media) deps.stopStream(media);
          media = null;
          return;
        }
        hub.accept(callId);
      },

      decline(callId) {
        hub?.decline(callId);
        set({ ringing: get().ringing.filter((r) => r.callId !== callId) });
      },

      hangup() {
        if (!get().call) return;
        hub?.hangup();
        endCall('hangup_agent');
      },

      toggleMute() {
        const call = get().call;
        if (!call) return;
        session?.setMicrophone(call.muted);
        set({ call: { ...call, muted: !call.muted } });
      },

      toggleCamera() {
        const call = get().call;
        if (!call) return;
        session?.setCamera(call.cameraOff);
        set({ call: { ...call, cameraOff: !call.cameraOff } });
      },

      setAudioOnly(on) {
        const call = get().call;
        if (!call) return;
        session?.setAudioOnly(on);
        set({ call: { ...call, audioOnly: on } });
      },

      async sendPdf(name, bytes) {
        if (!session) return;
        if (!isPdf(bytes)) {
          set({ transfer: { direction: 'out', name, size: bytes.length, done: 0, state: 'failed', reason: 'NOT_PDF' } });
          return;
        }
        if (bytes.length > MAX_PDF_BYTES) {
          set({ transfer: { direction: 'out', name, size: bytes.length, done: 0, state: 'failed', reason: 'TOO_LARGE' } });
          return;
        }
        try {
          await session.sendFile('pdf', name, bytes);
        } catch {
          const t = get().transfer;
          set({ transfer: { direction: 'out', name, size: bytes.length, done: t?.done ?? 0, state: 'failed' } });
        }
      },
    };
  });
}
