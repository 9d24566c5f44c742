// Entry of the agents' console, served by the hub at its root URL.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import SimplePeer from 'simple-peer';
import { HubClient, type WebSocketConstructor } from '../../shared/hubClient.js';
import { CallSession, type PeerLike } from '../call/callSession.js';
import { stopStream } from '../call/media.js';
import '../ui/kiosk.css';
import { AgentApp } from './AgentApp.js';
import { createAgentStore } from './agentStore.js';
import { createAgentAppointmentsStore } from './appointments/agentAppointmentsStore.js';
import { initAgentI18n } from './i18n.js';

initAgentI18n();
const hubUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/hub`;
// The appointments listen to each sign-in's hub client; nothing of an agent's stays after sign-out.
const appointments = createAgentAppointmentsStore();
let detachAppointments = (): void => undefined;
const store = createAgentStore({
  createHub: (credentials) => {
    const hub = new HubClient({ url: hubUrl, WebSocket: WebSocket as unknown as WebSocketConstructor, credentials, backoff: { initialMs: 300, maxMs: 5_000 } });
    detachAppointments();
    appointments.getState().reset();
    detachAppointments = appointments.getState().attach(hub);
    return hub;
  },
  async getMedia() {
    try {
      return await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: { ideal: 640 }, height: { ideal: 480 } } });
    } catch {
      return null;
    }
  },
  createSession: (o) =>
    new CallSession({ ...o, createPeer: ({ initiator, config, stream }) => new SimplePeer({ initiator, config, stream, trickle: true }) as unknown as PeerLike }),
  stopStream,
  photoUrl: (bytes) => URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' })),
  now: () => Date.now(),
});

store.subscribe((s, before) => {
  if (s.phase === 'login' && before.phase !== 'login') {
    detachAppointments();
    appointments.getState().reset();
  }
});

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <AgentApp store={store} appointments={appointments} />
    </StrictMode>,
  );
}
