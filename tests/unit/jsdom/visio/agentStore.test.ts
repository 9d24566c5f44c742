// The agent's store against a fake hub: sign-in, availability, ringing with site and organisation, accept, call end.
import { describe, expect, it, vi } from 'vitest';
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

  it('a hub that cannot check the password now says so while its client tries again, then signs in', () => {
    const t = setup();
    t.store.getState().login('caf', 'secret');
    t.hub.frame({ type: 'error', code: 'INTERNAL', message: 'Erreur interne du hub.' });
    expect(t.store.getState()).toMatchObject({ phase: 'connecting', loginError: 'unavailable' });
    // Its socket closed as « try again later »: the retries keep that reason, not « no answer ».
    t.hub.event('status', { status: 'waiting_retry', attempt: 3 });
    expect(t.store.getState()).toMatchObject({ phase: 'connecting', loginError: 'unavailable' });
    t.hub.ready('agent');
    expect(t.store.getState()).toMatchObject({ phase: 'ready', loginError: null });
  });

  it('a hub that does not answer says so while its client tries again', () => {
    const t = setup();
    t.store.getState().login('caf', 'secret');
    t.hub.event('status', { status: 'waiting_retry', attempt: 2 });
    expect(t.store.getState()).toMatchObject({ phase: 'connecting', loginError: 'unreachable' });
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
    t.sessions[0]!.emit({ type: 'answer', sdp: 'a' });
    expect(t.store.getState().call).toMatchObject({ callId: 'c1', site: 'Relais de Saint-Essai', startedAt: 5_000, localStream: t.media });
    expect(t.store.getState().ringing).toEqual([]);
  });

  it('a ringing appointment call keeps its appointment for the console (its time, subject and note); a walk-in has none', () => {
    const t = setup();
    t.store.getState().login('caf', 'secret');
    t.hub.ready('agent');
    ring(t.hub);
    t.hub.frame({ type: 'call.ringing', callId: 'c2', organisation: 'CAF', siteName: 'Relais de Murat', queuedAt: 2_000, ringTimeoutMs: 60_000, appointmentId: 'appt-1' });
    expect(t.store.getState().ringing.map((r) => [r.callId, r.appointmentId])).toEqual([
      ['c1', undefined],
      ['c2', 'appt-1'],
    ]);
  });

  it('a call taken by a colleague disappears from the ringing list', () => {
    const t = setup();
    t.store.getState().login('caf', 'secret');
    t.hub.ready('agent');
    ring(t.hub);
    t.hub.frame({ type: 'call.withdrawn', callId: 'c1', reason: 'taken' });
    expect(t.store.getState().ringing).toEqual([]);
  });

  it('declining a ringing call tells the hub and takes it off this console\'s ringing list', () => {
    const t = setup();
    t.store.getState().login('caf', 'secret');
    t.hub.ready('agent');
    ring(t.hub);
    t.store.getState().decline('c1');
    expect(t.hub.sent.at(-1)).toEqual({ type: 'call.decline', callId: 'c1' });
    expect(t.store.getState().ringing).toEqual([]);
  });

  async function inCall() {
    const t = setup();
    t.store.getState().login('caf', 'secret');
    t.hub.ready('agent');
    ring(t.hub);
    await t.store.getState().accept('c1');
    t.hub.frame({ type: 'call.accepted', callId: 'c1', organisation: 'CAF', peerName: 'Relais', initiator: false, iceServers: [] });
    t.sessions[0]!.emit({ type: 'answer', sdp: 'a' });
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

  it('its hub socket interrupted mid-call keeps the call and says so until it is resumed; a lost one still ends it', async () => {
    const t = await inCall();
    t.hub.event('callInterrupted', { callId: 'c1' });
    expect(t.store.getState()).toMatchObject({ call: { callId: 'c1' }, hubInterrupted: true });
    expect(t.sessions[0]!.destroyed).toBe(false);
    t.hub.event('callResumed', { callId: 'c1' });
    expect(t.store.getState()).toMatchObject({ call: { callId: 'c1' }, hubInterrupted: false });
    t.hub.event('callInterrupted', { callId: 'c1' });
    t.hub.event('callLost', { callId: 'c1', reason: 'connection_lost' });
    expect(t.store.getState()).toMatchObject({ call: null, ended: 'connection_lost', hubInterrupted: false });
  });

  describe('camera warmed while available', () => {
    const flush = async () => {
      for (let i = 0; i < 5; i++) await Promise.resolve();
    };
    function counting() {
      const opened: Array<MediaStream & { stopped: () => boolean }> = [];
      const t = setup({
        getMedia: async () => {
          const m = fakeStream();
          opened.push(m);
          return m;
        },
      });
      return { ...t, opened };
    }

    it('opens camera and microphone once signed in and available; accepting uses them and sends the accept without opening another', async () => {
      const t = counting();
      t.store.getState().login('caf', 'secret');
      expect(t.opened).toHaveLength(0);
      t.hub.ready('agent');
      await flush();
      expect(t.opened).toHaveLength(1);
      expect(t.store.getState().cameraReady).toBe(true);
      expect(t.hub.sent.filter((f) => f.type === 'signal')).toEqual([]);
      ring(t.hub);
      await t.store.getState().accept('c1');
      expect(t.hub.sent.at(-1)).toEqual({ type: 'call.accept', callId: 'c1' });
      expect(t.opened).toHaveLength(1);
      t.hub.frame({ type: 'call.accepted', callId: 'c1', organisation: 'CAF', peerName: 'Relais', initiator: false, iceServers: [] });
      t.sessions[0]!.emit({ type: 'answer', sdp: 'a' });
      expect(t.store.getState().call?.localStream).toBe(t.opened[0]);
      expect(t.store.getState().cameraReady).toBe(false);
    });

    it('going away releases the camera; available again opens it again', async () => {
      const t = counting();
      t.store.getState().login('caf', 'secret');
      t.hub.ready('agent');
      await flush();
      t.store.getState().setAvailability('away');
      expect(t.opened[0]!.stopped()).toBe(true);
      expect(t.store.getState().cameraReady).toBe(false);
      t.store.getState().setAvailability('available');
      await flush();
      expect(t.opened).toHaveLength(2);
      expect(t.opened[1]!.stopped()).toBe(false);
    });

    it('an opening that answers after the agent went away is stopped at once', async () => {
      let answer: (m: MediaStream) => void = () => undefined;
      const late = fakeStream();
      const t = setup({ getMedia: () => new Promise((r) => (answer = r)) });
      t.store.getState().login('caf', 'secret');
      t.hub.ready('agent');
      t.store.getState().setAvailability('away');
      answer(late);
      await flush();
      expect(late.stopped()).toBe(true);
      expect(t.store.getState().cameraReady).toBe(false);
    });

    it('signing out releases the camera', async () => {
      const t = counting();
      t.store.getState().login('caf', 'secret');
      t.hub.ready('agent');
      await flush();
      t.store.getState().logout();
      expect(t.opened[0]!.stopped()).toBe(true);
      expect(t.store.getState().cameraReady).toBe(false);
    });

    it('after a call the camera of the call is released and a fresh one is readied for the next call', async () => {
      const t = counting();
      t.store.getState().login('caf', 'secret');
      t.hub.ready('agent');
      await flush();
      ring(t.hub);
      await t.store.getState().accept('c1');
      t.hub.frame({ type: 'call.accepted', callId: 'c1', organisation: 'CAF', peerName: 'Relais', initiator: false, iceServers: [] });
      t.sessions[0]!.emit({ type: 'answer', sdp: 'a' });
      t.hub.frame({ type: 'call.ended', callId: 'c1', reason: 'hangup_booth' });
      expect(t.opened[0]!.stopped()).toBe(true);
      await flush();
      expect(t.opened).toHaveLength(2);
      expect(t.store.getState().cameraReady).toBe(true);
    });

    it('warmCamera: false opens the camera only at accept', async () => {
      const opened: MediaStream[] = [];
      const t = setup({
        warmCamera: false,
        getMedia: async () => {
          const m = fakeStream();
          opened.push(m);
          return m;
        },
      });
      t.store.getState().login('caf', 'secret');
      t.hub.ready('agent');
      await flush();
      expect(opened).toHaveLength(0);
      ring(t.hub);
      await t.store.getState().accept('c1');
      expect(opened).toHaveLength(1);
    });
  });

  it('accepted: the answer leaves before the call screen is drawn; a peer that sends nothing is shown after the delay', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const t = setup({ showCallAfterMs: 500 });
      t.store.getState().login('caf', 'secret');
      t.hub.ready('agent');
      ring(t.hub);
      await t.store.getState().accept('c1');
      t.hub.frame({ type: 'call.accepted', callId: 'c1', organisation: 'CAF', peerName: 'Relais', initiator: false, iceServers: [] });
      expect(t.store.getState().call).toBeNull();
      let callWhenSent: unknown = 'unset';
      const signal = t.hub.signal.bind(t.hub);
      t.hub.signal = (d) => {
        callWhenSent = t.store.getState().call;
        return signal(d);
      };
      const remote = fakeStream();
      t.sessions[0]!.handlers.remoteStream?.(remote);
      t.sessions[0]!.emit({ type: 'answer', sdp: 'a' });
      expect(callWhenSent).toBeNull();
      // The remote tracks, announced with the offer before the answer, are on the call screen.
      expect(t.store.getState().call?.remoteStream).toBe(remote);
      expect(t.hub.sent.at(-1)).toEqual({ type: 'signal', data: { type: 'answer', sdp: 'a' } });
      expect(t.store.getState().call).toMatchObject({ callId: 'c1' });

      const u = setup({ showCallAfterMs: 500 });
      u.store.getState().login('caf', 'secret');
      u.hub.ready('agent');
      ring(u.hub);
      await u.store.getState().accept('c1');
      u.hub.frame({ type: 'call.accepted', callId: 'c1', organisation: 'CAF', peerName: 'Relais', initiator: false, iceServers: [] });
      vi.advanceTimersByTime(499);
      expect(u.store.getState().call).toBeNull();
      vi.advanceTimersByTime(1);
      expect(u.store.getState().call).toMatchObject({ callId: 'c1' });
    } finally {
      vi.useRealTimers();
    }
  });
});
