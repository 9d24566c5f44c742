// The agent's store against a fake hub: sign-in, availability, ringing with site and organisation, accept, call end.
import { describe, expect, it } from 'vitest';
import { createAgentStore, type AgentDeps } from '../../../../renderer/agent/agentStore.js';
import { FakeHub, FakeSession, fakeStream } from './fakes.js';

function setup(overrides: Partial<AgentDeps> = {}) {
  const hub = new FakeHub();
  const sessions: FakeSession[] = [];
  const credentials: unknown[] = [];
  const media = fakeStream();
  const store = createAgentStore({
    createHub: (c) => {
      credentials.push(c);
      return hub;
    },
    getMedia: async () => media,
    createSession: (o) => {
      const s = new FakeSession(o);
      sessions.push(s);
      return s;
    },
    stopStream: (s) => s.getTracks().forEach((t) => t.stop()),
    photoUrl: () => 'blob:photo',
    now: () => 5_000,
    ...overrides,
  });
  return { store, hub, sessions, credentials, media };
}

const ring = (hub: FakeHub) =>
  hub.frame({ type: 'call.ringing', callId: 'c1', organisation: 'CAF', siteName: 'Relais de Saint-Essai', queuedAt: 1_000, ringTimeoutMs: 60_000 });

describe('agent console store', () => {
  it('signs in with login and password, then announces itself available', () => {
    const t = setup();
    t.store.getState().login('caf', 'secret');
    expect(t.credentials).toEqual([{ role: 'agent', login: 'caf', password: 'secret' }]);
    expect(t.store.getState().phase).toBe('connecting');
    t.hub.ready('agent');
    expect(t.store.getState()).toMatchObject({ phase: 'ready', name: 'Claire', organisation: 'CAF' });
    expect(t.hub.sent).toEqual([{ type: 'agent.status', status: 'available' }]);
    t.store.getState().setAvailability('away');
    expect(t.hub.sent.at(-1)).toEqual({ type: 'agent.status', status: 'away' });
  });

  it('a refused login returns to the form with an error', () => {
    const t = setup();
    t.store.getState().login('caf', 'wrong');
    t.hub.event('status', { status: 'refused', attempt: 0 });
    expect(t.store.getState()).toMatchObject({ phase: 'login', loginError: 'failed' });
  });

  it('a ringing call shows site and organisation; accepting opens the camera, then the peer as non-initiator', async () => {
    const t = setup();
    t.store.getState().login('caf', 'secret');
    t.hub.ready('agent');
    ring(t.hub);
    expect(t.store.getState().ringing).toEqual([{ callId: 'c1', organisation: 'CAF', siteName: 'Relais de Saint-Essai', queuedAt: 1_000 }]);
    await t.store.getState().accept('c1');
    expect(t.hub.sent.at(-1)).toEqual({ type: 'call.accept', callId: 'c1' });
    t.hub.frame({ type: 'call.accepted', callId: 'c1', organisation: 'CAF', peerName: 'Relais de Saint-Essai', initiator: false, iceServers: [] });
    expect(t.sessions[0]!.options.initiator).toBe(false);
    expect(t.store.getState().call).toMatchObject({ callId: 'c1', site: 'Relais de Saint-Essai', startedAt: 5_000, localStream: t.media });
    expect(t.store.getState().ringing).toEqual([]);
  });

  it('a call taken by a colleague disappears from the ringing list', () => {
    const t = setup();
    t.store.getState().login('caf', 'secret');
    t.hub.ready('agent');
    ring(t.hub);
    t.hub.frame({ type: 'call.withdrawn', callId: 'c1', reason: 'taken' });
    expect(t.store.getState().ringing).toEqual([]);
  });

  async function inCall() {
    const t = setup();
    t.store.getState().login('caf', 'secret');
    t.hub.ready('agent');
    ring(t.hub);
    await t.store.getState().accept('c1');
    t.hub.frame({ type: 'call.accepted', callId: 'c1', organisation: 'CAF', peerName: 'Relais', initiator: false, iceServers: [] });
    return t;
  }

  it('mute and camera off act on the local tracks; photos received are listed with their hash', async () => {
    const t = await inCall();
    t.store.getState().toggleMute();
    t.store.getState().toggleCamera();
    expect(t.sessions[0]!.mic).toEqual([false]);
    expect(t.sessions[0]!.camera).toEqual([false]);
    expect(t.store.getState().call).toMatchObject({ muted: true, cameraOff: true });
    t.sessions[0]!.handlers.received?.({ id: 'p1', kind: 'photo', name: 'doc.jpg', bytes: new Uint8Array(10), sha256: 'ef'.repeat(32) });
    expect(t.store.getState().photos).toEqual([{ id: 'p1', name: 'doc.jpg', url: 'blob:photo', sha256: 'ef'.repeat(32), size: 10 }]);
  });

  it('sends only PDFs, under 10 MB', async () => {
    const t = await inCall();
    await t.store.getState().sendPdf('note.txt', new TextEncoder().encode('hello'));
    expect(t.store.getState().transfer).toMatchObject({ state: 'failed', reason: 'NOT_PDF' });
    await t.store.getState().sendPdf('big.pdf', Uint8Array.from({ length: 10 * 1024 * 1024 + 1 }, (_, i) => (i < 4 ? [37, 80, 68, 70][i]! : 0)));
    expect(t.store.getState().transfer).toMatchObject({ state: 'failed', reason: 'TOO_LARGE' });
    await t.store.getState().sendPdf('ok.pdf', new Uint8Array([37, 80, 68, 70, 45, 49]));
    expect(t.sessions[0]!.files).toEqual([{ kind: 'pdf', name: 'ok.pdf', size: 6 }]);
  });

  it('the booth hanging up ends the call with its reason and releases the camera', async () => {
    const t = await inCall();
    t.hub.frame({ type: 'call.ended', callId: 'c1', reason: 'hangup_booth' });
    expect(t.store.getState()).toMatchObject({ call: null, ended: 'hangup_booth' });
    expect(t.media.stopped()).toBe(true);
    expect(t.sessions[0]!.destroyed).toBe(true);
  });

  it('losing its own connection mid-call ends the call with connection_lost', async () => {
    const t = await inCall();
    t.hub.event('callLost', { callId: 'c1', reason: 'connection_lost' });
    expect(t.store.getState()).toMatchObject({ call: null, ended: 'connection_lost' });
  });
});
