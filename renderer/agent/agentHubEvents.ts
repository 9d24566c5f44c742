// The hub's frames and the client's events on the agent's console, each turned into what it does: sign-in, ringing calls,
// the accepted call (answered before its screen is drawn), its signals, its end, and its socket lost and resumed.
import type { AgentHubPort } from '../call/ports.js';
import type { AgentEffects } from './agentEffects.js';

/** Listens to the agent's hub client from the login (the listeners are dropped at logout or a refused login). */
export function listenToAgentHub(fx: AgentEffects, h: AgentHubPort): void {
  const { deps, held, camera, sessionHandlers, endCall } = fx;
  const { get, set } = fx.state;
  held.offs.push(
    h.onEvent('status', ({ status, attempt }) => {
      set({ hubStatus: status });
      if (status === 'refused' && get().phase !== 'ready') {
        camera.coolDown();
        set({ phase: 'login', loginError: 'failed' });
        held.offs.forEach((off) => off());
        held.offs = [];
        held.hub = null;
      } else if (status === 'waiting_retry' && get().phase === 'connecting' && attempt >= 2 && get().loginError !== 'unavailable') set({ loginError: 'unreachable' });
    }),
    h.on('auth.ok', (f) => {
      if (f.role !== 'agent') return;
      set({ phase: 'ready', loginError: null, name: f.name, organisation: f.organisation, demo: f.demo });
      if (!get().call) h.setAvailability(get().availability);
      camera.warmUp();
    }),
    h.on('error', (f) => {
      if (f.code === 'AUTH_FAILED' && get().phase === 'connecting') set({ loginError: 'failed' });
      // The hub answers but cannot check the password now (its database restarting): it closes the socket as « try
      // again later », and the client signs in again by itself; not « no answer », nor a wrong password.
      else if (f.code === 'INTERNAL' && get().phase === 'connecting') set({ loginError: 'unavailable' });
    }),
    h.on('call.ringing', (f) => {
      const others = get().ringing.filter((r) => r.callId !== f.callId);
      const appointment = f.appointmentId ? { appointmentId: f.appointmentId, ...(f.appointment ? { appointment: f.appointment } : {}) } : {};
      set({ ringing: [...others, { callId: f.callId, organisation: f.organisation, siteName: f.siteName, queuedAt: f.queuedAt, ...appointment }] });
    }),
    h.on('call.withdrawn', (f) => set({ ringing: get().ringing.filter((r) => r.callId !== f.callId) })),
    h.on('queue.summary', (f) => set({ waiting: f.waiting })),
    h.on('call.accepted', (f) => {
      const ring = get().ringing.find((r) => r.callId === f.callId);
      const stream = held.media ?? new MediaStream();
      const localStream = held.media;
      const startedAt = deps.now();
      held.earlyRemote = null;
      let shown = false;
      let showTimer: ReturnType<typeof setTimeout> | null = null;
      // The answer leaves before the call screen is drawn: drawing two videos first delays it on a busy machine.
      // A peer that sends nothing is shown anyway after showCallAfterMs.
      const show = () => {
        if (shown) return;
        shown = true;
        if (showTimer) clearTimeout(showTimer);
        if (held.session !== created) return;
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
            remoteStream: held.earlyRemote,
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
        handlers: sessionHandlers,
      });
      held.session = created;
      if (!shown) showTimer = setTimeout(show, deps.showCallAfterMs ?? 500);
    }),
    h.on('signal', (f) => held.session?.signal(f.data)),
    h.on('call.ended', (f) => {
      if (get().call?.callId === f.callId || get().accepting === f.callId) endCall(f.reason);
      set({ ringing: get().ringing.filter((r) => r.callId !== f.callId) });
    }),
    // The media goes on peer to peer while the client resumes the call on a new socket: said, not ended.
    h.onEvent('callInterrupted', () => set({ hubInterrupted: true })),
    h.onEvent('callResumed', () => set({ hubInterrupted: false })),
    h.onEvent('callLost', () => endCall('connection_lost')),
  );
}
