// The agent's side of the hub, as a zustand store: login, availability, ringing calls, the call itself, photos received,
// PDFs sent. The state and its shape are in agentState.ts; what the console holds and how a call ends in agentEffects.ts;
// the hub's events in agentHubEvents.ts; the camera held ready in agentCamera.ts.
import { createStore } from 'zustand/vanilla';
import { MAX_PDF_BYTES } from '../call/transfer.js';
import { createAgentEffects } from './agentEffects.js';
import { listenToAgentHub } from './agentHubEvents.js';
import type { AgentDeps, AgentState, AgentStore } from './agentState.js';

export type { AgentCall, AgentDeps, AgentEndCode, AgentState, AgentStore, ReceivedPhoto, RingingCall } from './agentState.js';

const isPdf = (bytes: Uint8Array) => bytes.length > 4 && bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46;

export function createAgentStore(deps: AgentDeps): AgentStore {
  return createStore<AgentState>()((set, get) => {
    const fx = createAgentEffects(deps, { get, set });
    const { held, camera, endCall } = fx;

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
      hubInterrupted: false,
      photos: [],
      transfer: null,
      ended: null,

      login(login, password) {
        get().logout();
        const h = deps.createHub({ role: 'agent', login, password });
        held.hub = h;
        set({ phase: 'connecting', loginError: null });
        listenToAgentHub(fx, h);
        h.start();
      },

      logout() {
        endCall('hangup_agent');
        camera.coolDown();
        held.offs.forEach((off) => off());
        held.offs = [];
        held.hub?.stop();
        held.hub = null;
        set({ phase: 'login', ringing: [], call: null, name: null, organisation: null, ended: null });
      },

      setAvailability(status) {
        set({ availability: status });
        held.hub?.setAvailability(status);
        if (status === 'away') camera.coolDown();
        else camera.warmUp();
      },

      async accept(callId) {
        if (!held.hub || get().call || get().accepting) return;
        const ready = camera.takeReady();
        if (ready) {
          // The camera is already open: the accept leaves first, the screen follows.
          held.media = ready;
          held.hub.accept(callId);
          set({ accepting: callId, ended: null, cameraReady: false });
          return;
        }
        set({ accepting: callId, ended: null });
        // The camera opened while available answers at once; otherwise it is opened now.
        held.media = camera.held() ? await camera.take() : null;
        if (!held.media) held.media = await deps.getMedia();
        if (get().accepting !== callId || !held.hub) {
          if (held.media) deps.stopStream(held.media);
          held.media = null;
          return;
        }
        held.hub.accept(callId);
      },

      decline(callId) {
        held.hub?.decline(callId);
        set({ ringing: get().ringing.filter((r) => r.callId !== callId) });
      },

      hangup() {
        if (!get().call) return;
        held.hub?.hangup();
        endCall('hangup_agent');
      },

      toggleMute() {
        const call = get().call;
        if (!call) return;
        held.session?.setMicrophone(call.muted);
        set({ call: { ...call, muted: !call.muted } });
      },

      toggleCamera() {
        const call = get().call;
        if (!call) return;
        held.session?.setCamera(call.cameraOff);
        set({ call: { ...call, cameraOff: !call.cameraOff } });
      },

      setAudioOnly(on) {
        const call = get().call;
        if (!call) return;
        held.session?.setAudioOnly(on);
        set({ call: { ...call, audioOnly: on } });
      },

      async sendPdf(name, bytes) {
        if (!held.session) return;
        if (!isPdf(bytes)) {
          set({ transfer: { direction: 'out', name, size: bytes.length, done: 0, state: 'failed', reason: 'NOT_PDF' } });
          return;
        }
        if (bytes.length > MAX_PDF_BYTES) {
          set({ transfer: { direction: 'out', name, size: bytes.length, done: 0, state: 'failed', reason: 'TOO_LARGE' } });
          return;
        }
        try {
          await held.session.sendFile('pdf', name, bytes);
        } catch {
          const t = get().transfer;
          set({ transfer: { direction: 'out', name, size: bytes.length, done: t?.done ?? 0, state: 'failed' } });
        }
      },
    };
  });
}
