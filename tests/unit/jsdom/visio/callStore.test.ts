// The booth's call store against a fake hub client: pre-flight, queue, call, files, end, visit record, resilience.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBoothCallStore } from '../../../../renderer/kiosk/visio/callStore.js';
import { DEFAULT_HUB_LOST_AFTER_MS, type BoothCallDeps, type BoothCallStore } from '../../../../renderer/kiosk/visio/callState.js';
import { createBoothHubLink } from '../../../../renderer/kiosk/visio/hubLink.js';
import { FaultKey } from '../../../../shared/contract/evaluation.js';
import { FakeHub, FakeSession, fakeStream, perCallLink } from './fakes.js';

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

/** The deps to change; `hubConnection` is what the call's own link asks the kiosk (when no kiosk link is given). */
type SetupOptions = Partial<BoothCallDeps> & { hubConnection?: () => Promise<{ url: string; token: string }> };

function setup({ hubConnection, ...overrides }: SetupOptions = {}) {
  const hub = new FakeHub();
  const sessions: FakeSession[] = [];
  const visits: unknown[] = [];
  const faults: Array<{ faultKey: string; category: string }> = [];
  const help: string[] = [];
  const stream = fakeStream();
  let now = 1_000_000;
  const deps: BoothCallDeps = {
    hubLink: perCallLink(hub, hubConnection),
    preflight: async () => ({ ok: true, stream }),
    createSession: (o) => {
      const s = new FakeSession(o);
      sessions.push(s);
      return s;
    },
    recordVisit: async (v) => visits.push(v),
    reportFault: async (f) => faults.push(f),
    requestHelp: async (screen) => help.push(screen),
    takePhoto: async () => new Uint8Array(1234),
    stopStream: (s) => s.getTracks().forEach((t) => t.stop()),
    now: () => now,
    hubLostAfterMs: 30_000,
    peerLostGraceMs: 2_000,
    ...overrides,
  };
  const store = createBoothCallStore(deps);
  return { store, hub, sessions, visits, faults, help, stream, advance: (ms: number) => (now += ms) };
}

async function toWaiting(t: ReturnType<typeof setup>): Promise<void> {
  await t.store.getState().start('CAF');
  t.hub.ready();
  t.hub.frame({ type: 'queue.position', callId: 'c1', organisation: 'CAF', position: 2, estimatedWaitS: 240 });
}

function accept(t: ReturnType<typeof setup>): void {
  t.hub.frame({ type: 'call.accepted', callId: 'c1', organisation: 'CAF', peerName: 'Claire Martin', initiator: true, iceServers: [{ urls: 'turn:127.0.0.1:3478', username: 'u', credential: 'p' }] });
}

const phase = (s: BoothCallStore) => s.getState().phase;

describe('booth call store', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
  afterEach(() => vi.useRealTimers());

  it('asks for CAF once the hub has authenticated the booth, then shows position and estimated wait', async () => {
    const t = setup();
    await t.store.getState().start('CAF');
    expect(phase(t.store)).toBe('connecting');
    expect(t.hub.started).toBe(true);
    expect(t.hub.sent).toEqual([]);
    t.hub.ready();
    expect(t.hub.sent).toEqual([{ type: 'call.request', organisation: 'CAF' }]);
    t.hub.frame({ type: 'queue.position', callId: 'c1', organisation: 'CAF', position: 2, estimatedWaitS: 240 });
    expect(t.store.getState()).toMatchObject({ phase: 'waiting', position: 2, estimatedWaitS: 240 });
  });

  it('an appointment’s call carries its id in call.request, and again when the booth is put back in the queue', async () => {
    const t = setup();
    await t.store.getState().start('CAF', 'appt-1');
    t.hub.ready();
    expect(t.hub.sent).toEqual([{ type: 'call.request', organisation: 'CAF', appointmentId: 'appt-1' }]);
    // Just after a hub restart no agent is back yet: the booth asks again, still for its appointment.
    t.hub.event('requeued', { organisation: 'CAF' });
    t.hub.frame({ type: 'call.unavailable', callId: 'c1', organisation: 'CAF', reason: 'no_agent', nextOpening: null });
    vi.advanceTimersByTime(1_000);
    expect(t.hub.sent.at(-1)).toEqual({ type: 'call.request', organisation: 'CAF', appointmentId: 'appt-1' });
  });

  it('the hub connects during the pre-flight, and the call is requested once, only after the pre-flight passed', async () => {
    let release: (v: { ok: true; stream: MediaStream }) => void = () => undefined;
    const t = setup({ preflight: () => new Promise((r) => (release = r)) });
    const started = t.store.getState().start('CAF');
    await flush();
    expect(t.hub.started).toBe(true);
    t.hub.ready();
    expect(t.hub.sent).toEqual([]);
    release({ ok: true, stream: t.stream });
    await started;
    expect(t.hub.sent).toEqual([{ type: 'call.request', organisation: 'CAF' }]);
  });

  it('a camera or microphone missing stops before dialling, calls the mediator and reports the fault once', async () => {
    const t = setup({ preflight: async () => ({ ok: false, failure: 'CAMERA_MISSING' }) });
    await t.store.getState().start('CAF');
    expect(t.store.getState()).toMatchObject({ phase: 'preflight_failed', failure: 'CAMERA_MISSING' });
    await flush();
    expect(t.help).toEqual(['visio:CAF']);
    expect(t.faults).toEqual([expect.objectContaining({ faultKey: 'visio:preflight.CAMERA_MISSING', category: 'equipment', organisation: 'CAF' })]);
    expect(t.hub.sent).toEqual([]);
    expect(t.hub.stopped).toBe(true);
  });

  it('a hub that cannot be reached ends with hub_unavailable and a connection fault', async () => {
    const t = setup({ hubConnection: async () => Promise.reject(new Error('HUB_UNAVAILABLE')) });
    await t.store.getState().start('CAF');
    expect(t.store.getState()).toMatchObject({ phase: 'ended', endCode: 'hub_unavailable' });
    await flush();
    expect(t.faults.map((f) => f.category)).toEqual(['connection']);
    expect(t.stream.stopped()).toBe(true);
  });

  it('accepted: the booth opens the peer as initiator with the hub ICE servers and relays signals both ways', async () => {
    const t = setup();
    await toWaiting(t);
    accept(t);
    expect(t.store.getState()).toMatchObject({ phase: 'connected', peerName: 'Claire Martin', startedAt: 1_000_000 });
    const session = t.sessions[0]!;
    expect(session.options.initiator).toBe(true);
    expect(session.options.iceServers).toEqual([{ urls: 'turn:127.0.0.1:3478', username: 'u', credential: 'p' }]);
    t.hub.frame({ type: 'signal', callId: 'c1', data: { type: 'answer', sdp: 'x' } });
    expect(session.signals).toEqual([{ type: 'answer', sdp: 'x' }]);
  });

  it('hanging up tells the hub, records one CAF visit with its duration and ends the call', async () => {
    const t = setup();
    await toWaiting(t);
    accept(t);
    t.advance(95_000);
    t.store.getState().hangup();
    expect(t.hub.sent.at(-1)).toEqual({ type: 'call.hangup' });
    expect(t.store.getState()).toMatchObject({ phase: 'ended', endCode: 'hangup_booth' });
    await flush();
    expect(t.visits).toEqual([{ organisation: 'CAF', startedAt: 1_000_000, endedAt: 1_095_000 }]);
    expect(t.sessions[0]!.destroyed).toBe(true);
    expect(t.hub.stopped).toBe(true);
    t.hub.frame({ type: 'call.ended', callId: 'c1', reason: 'hangup_booth' });
    await flush();
    expect(t.visits).toHaveLength(1);
  });

  it('the agent hanging up ends the call with that reason even when the peer closed first', async () => {
    const t = setup();
    await toWaiting(t);
    accept(t);
    t.sessions[0]!.handlers.closed?.('closed');
    expect(phase(t.store)).toBe('connected');
    t.hub.frame({ type: 'call.ended', callId: 'c1', reason: 'hangup_agent' });
    expect(t.store.getState().endCode).toBe('hangup_agent');
  });

  it('a peer that closes with no word from the hub ends as peer_lost after the grace delay, visit recorded', async () => {
    const t = setup();
    await toWaiting(t);
    accept(t);
    t.sessions[0]!.handlers.closed?.('error');
    vi.advanceTimersByTime(2_000);
    expect(t.store.getState()).toMatchObject({ phase: 'ended', endCode: 'peer_lost' });
    await flush();
    expect(t.visits).toHaveLength(1);
  });

  it('a booth that loses the hub mid-call ends with connection_lost', async () => {
    const t = setup();
    await toWaiting(t);
    accept(t);
    t.hub.event('callLost', { callId: 'c1', reason: 'connection_lost' });
    expect(t.store.getState().endCode).toBe('connection_lost');
  });

  it('a hub socket interrupted mid-call keeps the call and says so until the call is resumed, however long the hub takes', async () => {
    const t = setup();
    await toWaiting(t);
    accept(t);
    t.hub.event('callInterrupted', { callId: 'c1' });
    t.hub.event('status', { status: 'waiting_retry', attempt: 1 });
    vi.advanceTimersByTime(60_000);
    expect(t.store.getState()).toMatchObject({ phase: 'connected', hubInterrupted: true });
    expect(t.sessions[0]!.destroyed).toBe(false);
    t.hub.event('status', { status: 'ready', attempt: 0 });
    t.hub.event('callResumed', { callId: 'c1' });
    expect(t.store.getState()).toMatchObject({ phase: 'connected', hubInterrupted: false });
  });

  it('an interrupted call the hub could not resume ends from its call.ended, or with connection_lost when the client gives up', async () => {
    const ended = setup();
    await toWaiting(ended);
    accept(ended);
    ended.hub.event('callInterrupted', { callId: 'c1' });
    ended.hub.frame({ type: 'call.ended', callId: 'c1', reason: 'peer_lost' });
    expect(ended.store.getState()).toMatchObject({ phase: 'ended', endCode: 'peer_lost', hubInterrupted: false });

    const lost = setup();
    await toWaiting(lost);
    accept(lost);
    lost.hub.event('callInterrupted', { callId: 'c1' });
    lost.hub.event('callLost', { callId: 'c1', reason: 'connection_lost' });
    expect(lost.store.getState()).toMatchObject({ phase: 'ended', endCode: 'connection_lost', hubInterrupted: false });
  });

  it('the visitor can hang up while the hub socket is interrupted: the peer closes and the visit is recorded', async () => {
    const t = setup();
    await toWaiting(t);
    accept(t);
    t.hub.event('callInterrupted', { callId: 'c1' });
    t.store.getState().hangup();
    expect(t.store.getState()).toMatchObject({ phase: 'ended', endCode: 'hangup_booth', hubInterrupted: false });
    expect(t.sessions[0]!.destroyed).toBe(true);
    await flush();
    expect(t.visits).toHaveLength(1);
  });

  it('a hub restart while waiting keeps the booth waiting and says it is back in the queue', async () => {
    const t = setup();
    await toWaiting(t);
    t.hub.frame({ type: 'call.ended', callId: 'c1', reason: 'hub_restart' });
    t.hub.event('status', { status: 'waiting_retry', attempt: 1 });
    expect(t.store.getState()).toMatchObject({ phase: 'waiting', requeued: true, hubStatus: 'waiting_retry' });
    t.hub.event('status', { status: 'ready', attempt: 0 });
    t.hub.event('requeued', { organisation: 'CAF' });
    vi.advanceTimersByTime(60_000);
    expect(phase(t.store)).toBe('waiting');
  });

  it('just after a requeue, "no agent" (agents still reconnecting) keeps the place and asks again; later it ends the call', async () => {
    const t = setup();
    await toWaiting(t);
    t.hub.event('status', { status: 'waiting_retry', attempt: 1 });
    t.hub.event('status', { status: 'ready', attempt: 0 });
    t.hub.event('requeued', { organisation: 'CAF' });
    t.hub.frame({ type: 'call.unavailable', callId: 'c2', organisation: 'CAF', reason: 'no_agent', nextOpening: null });
    expect(phase(t.store)).toBe('waiting');
    vi.advanceTimersByTime(1_000);
    expect(t.hub.sent.filter((f) => f.type === 'call.request')).toHaveLength(2);
    t.advance(25_000);
    t.hub.frame({ type: 'call.unavailable', callId: 'c3', organisation: 'CAF', reason: 'no_agent', nextOpening: null });
    expect(t.store.getState().endCode).toBe('no_agent');
  });

  it('a hub gone for longer than the limit while waiting ends with hub_lost and a fault', async () => {
    const t = setup();
    await toWaiting(t);
    t.hub.event('status', { status: 'waiting_retry', attempt: 1 });
    vi.advanceTimersByTime(29_999);
    expect(phase(t.store)).toBe('waiting');
    vi.advanceTimersByTime(1);
    expect(t.store.getState().endCode).toBe('hub_lost');
    await flush();
    expect(t.faults.map((f) => f.faultKey)).toContain('visio:hub_unreachable');
  });

  it('no agent available ends with no_agent and reports the organisation unreachable', async () => {
    const t = setup();
    await t.store.getState().start('CAF');
    t.hub.ready();
    t.hub.frame({ type: 'call.unavailable', callId: 'c1', organisation: 'CAF', reason: 'no_agent', nextOpening: null });
    expect(t.store.getState().endCode).toBe('no_agent');
    await flush();
    expect(t.faults.map((f) => f.category)).toEqual(['organisation_unreachable']);
    expect(t.visits).toEqual([]);
  });

  it('cancel while waiting tells the hub and returns to idle with the camera released', async () => {
    const t = setup();
    await toWaiting(t);
    t.store.getState().cancel();
    expect(t.hub.sent.at(-1)).toEqual({ type: 'call.cancel' });
    expect(phase(t.store)).toBe('idle');
    expect(t.stream.stopped()).toBe(true);
  });

  it('a reset during the pre-flight does not go on dialling when the camera answers late', async () => {
    let release: (v: { ok: true; stream: MediaStream }) => void = () => undefined;
    const late = fakeStream();
    const t = setup({ preflight: () => new Promise((r) => (release = r)) });
    const started = t.store.getState().start('CAF');
    t.store.getState().reset();
    release({ ok: true, stream: late });
    await started;
    expect(phase(t.store)).toBe('idle');
    expect(t.hub.sent).toEqual([]);
    expect(t.hub.started && !t.hub.stopped).toBe(false);
    expect(late.stopped()).toBe(true);
  });

  it('shows a document: the photo goes over the session, progress then the receiver verdict are shown', async () => {
    const t = setup();
    await toWaiting(t);
    accept(t);
    await t.store.getState().showDocument();
    expect(t.sessions[0]!.files).toEqual([{ kind: 'photo', name: expect.stringMatching(/^document-.*\.jpg$/), size: 1234 }]);
    expect(t.store.getState().transfer).toMatchObject({ state: 'sending', done: 1234, sha256: 'ab'.repeat(32) });
    t.sessions[0]!.handlers.sendResult?.('f1', true);
    expect(t.store.getState().transfer?.state).toBe('verified');
  });

  it('a PDF from the agent is kept for display; the level from either side is shown', async () => {
    const t = setup();
    await toWaiting(t);
    accept(t);
    const h = t.sessions[0]!.handlers;
    h.received?.({ id: 'x', kind: 'pdf', name: 'attestation.pdf', bytes: new Uint8Array([37, 80, 68, 70]), sha256: 'cd'.repeat(32) });
    expect(t.store.getState().pdf?.name).toBe('attestation.pdf');
    h.level?.('reduced', false);
    expect(t.store.getState()).toMatchObject({ level: 'reduced', levelManual: false });
    t.store.getState().setAudioOnly(true);
    expect(t.sessions[0]!.audioOnly).toEqual([true]);
    t.store.getState().closePdf();
    expect(t.store.getState().pdf).toBeNull();
  });

  it('prepares the peer while waiting, once the hub gives the ICE servers: its offer is held, then sent the instant the agent accepts', async () => {
    const t = setup();
    await toWaiting(t);
    const servers = [{ urls: 'turn:127.0.0.1:3478', username: 'u', credential: 'p' }];
    t.hub.frame({ type: 'ice.servers', callId: 'c1', iceServers: servers });
    expect(t.sessions).toHaveLength(1);
    const session = t.sessions[0]!;
    expect(session.options).toMatchObject({ initiator: true, iceServers: servers });
    const send = (session.options as unknown as { sendSignal(d: Record<string, unknown>): void }).sendSignal;
    send({ type: 'offer', sdp: 'o' });
    send({ candidate: { candidate: 'c' } });
    expect(t.hub.sent.filter((f) => f.type === 'signal')).toEqual([]);
    expect(phase(t.store)).toBe('waiting');
    accept(t);
    expect(t.sessions).toHaveLength(1);
    expect(t.hub.sent.filter((f) => f.type === 'signal')).toEqual([
      { type: 'signal', data: { type: 'offer', sdp: 'o' } },
      { type: 'signal', data: { candidate: { candidate: 'c' } } },
    ]);
    send({ candidate: { candidate: 'late' } });
    expect(t.hub.sent.at(-1)).toEqual({ type: 'signal', data: { candidate: { candidate: 'late' } } });
    expect(t.store.getState()).toMatchObject({ phase: 'connected', peerName: 'Claire Martin' });
  });

  it('a prepared peer that does not match the accepted call (other servers) is dropped and a fresh one is opened', async () => {
    const t = setup();
    await toWaiting(t);
    t.hub.frame({ type: 'ice.servers', callId: 'c1', iceServers: [{ urls: 'turn:127.0.0.1:9999' }] });
    accept(t);
    expect(t.sessions).toHaveLength(2);
    expect(t.sessions[0]!.destroyed).toBe(true);
    expect(t.sessions[1]!.options.iceServers).toEqual([{ urls: 'turn:127.0.0.1:3478', username: 'u', credential: 'p' }]);
  });

  it('a prepared peer that fails before the accept is replaced at the accept, and the failed one ends nothing', async () => {
    const t = setup();
    await toWaiting(t);
    t.hub.frame({ type: 'ice.servers', callId: 'c1', iceServers: [{ urls: 'turn:127.0.0.1:3478', username: 'u', credential: 'p' }] });
    t.sessions[0]!.handlers.closed?.('error');
    expect(phase(t.store)).toBe('waiting');
    accept(t);
    expect(t.sessions).toHaveLength(2);
    t.sessions[0]!.handlers.closed?.('closed');
    vi.advanceTimersByTime(5_000);
    expect(phase(t.store)).toBe('connected');
  });

  it('a prepared peer is destroyed when the visitor cancels: nothing was sent', async () => {
    const t = setup();
    await toWaiting(t);
    t.hub.frame({ type: 'ice.servers', callId: 'c1', iceServers: [] });
    t.store.getState().cancel();
    expect(t.sessions[0]!.destroyed).toBe(true);
    expect(t.hub.sent.filter((f) => f.type === 'signal')).toEqual([]);
  });

  it('with the kiosk hub link, an already authenticated connection gets the request right after the pre-flight and is kept after the call', async () => {
    const hub = new FakeHub();
    let created = 0;
    const hubLink = createBoothHubLink({
      hubConnection: async () => ({ url: 'ws://127.0.0.1:1/hub', token: 'tok' }),
      createHub: () => {
        created++;
        return hub;
      },
    });
    hubLink.warm();
    await flush();
    hub.ready();
    const t = setup({ hubLink: { kept: hubLink } });
    await t.store.getState().start('CAF');
    expect(hub.sent).toEqual([{ type: 'call.request', organisation: 'CAF' }]);
    hub.frame({ type: 'queue.position', callId: 'c1', organisation: 'CAF', position: 1, estimatedWaitS: 0 });
    hub.frame({ type: 'call.accepted', callId: 'c1', organisation: 'CAF', peerName: 'Claire Martin', initiator: true, iceServers: [] });
    t.store.getState().hangup();
    expect(hub.stopped).toBe(false);
    expect(hub.released).toBe(1);
    t.store.getState().reset();
    await t.store.getState().start('CAF');
    expect(created).toBe(1);
    expect(hub.sent.filter((f) => f.type === 'call.request')).toHaveLength(2);
  });

  it('with the servers the hub gave at sign-in, the peer is built right after the pre-flight, before the call is even placed', async () => {
    const hub = new FakeHub();
    const hubLink = createBoothHubLink({ hubConnection: async () => ({ url: 'ws://x', token: 't' }), createHub: () => hub });
    hubLink.warm();
    await flush();
    const servers = [{ urls: 'turn:127.0.0.1:3478', username: 'u', credential: 'p' }];
    hub.frame({ type: 'ice.servers', iceServers: servers });
    hub.ready();
    const t = setup({ hubLink: { kept: hubLink } });
    await t.store.getState().start('CAF');
    expect(t.sessions).toHaveLength(1);
    expect(t.sessions[0]!.options).toMatchObject({ initiator: true, iceServers: servers });
    expect(hub.sent).toEqual([{ type: 'call.request', organisation: 'CAF' }]);
    t.sessions[0]!.emit({ type: 'offer', sdp: 'o' });
    // The call's own servers (the same) keep that peer; the offer leaves only at the accept.
    hub.frame({ type: 'ice.servers', callId: 'c1', iceServers: servers });
    hub.frame({ type: 'queue.position', callId: 'c1', organisation: 'CAF', position: 1, estimatedWaitS: 0 });
    expect(t.sessions).toHaveLength(1);
    expect(hub.sent.filter((f) => f.type === 'signal')).toEqual([]);
    hub.frame({ type: 'call.accepted', callId: 'c1', organisation: 'CAF', peerName: 'Claire Martin', initiator: true, iceServers: servers });
    expect(hub.sent.filter((f) => f.type === 'signal')).toEqual([{ type: 'signal', data: { type: 'offer', sdp: 'o' } }]);
    expect(t.sessions).toHaveLength(1);
    t.sessions[0]!.emit({ candidate: 'late' });
    expect(hub.sent.at(-1)).toEqual({ type: 'signal', data: { candidate: 'late' } });
  });

  it('with the kiosk hub link, a wait given up (hub lost) releases the call so the client does not queue it again', async () => {
    const hub = new FakeHub();
    const hubLink = createBoothHubLink({ hubConnection: async () => ({ url: 'ws://x', token: 't' }), createHub: () => hub });
    const t = setup({ hubLink: { kept: hubLink } });
    await t.store.getState().start('CAF');
    hub.ready();
    hub.event('status', { status: 'waiting_retry', attempt: 1 });
    vi.advanceTimersByTime(30_000);
    expect(t.store.getState().endCode).toBe('hub_lost');
    expect(hub.released).toBe(1);
    expect(hub.stopped).toBe(false);
  });

  it('says the hub is lost after 30 s by default, or after hubLostAfterMs when given', async () => {
    expect(DEFAULT_HUB_LOST_AFTER_MS).toBe(30_000);
    for (const [given, limit] of [
      [undefined, 30_000],
      [5_000, 5_000],
    ] as const) {
      const t = setup({ hubLostAfterMs: given });
      await toWaiting(t);
      t.hub.event('status', { status: 'waiting_retry', attempt: 1 });
      vi.advanceTimersByTime(limit - 1);
      expect(phase(t.store)).toBe('waiting');
      vi.advanceTimersByTime(1);
      expect(t.store.getState().endCode).toBe('hub_lost');
    }
  });

  it('the remote picture bound when the peer is built stays bound when the peer announces the same tracks after the answer', async () => {
    const track = (id: string) => ({ id, kind: id.startsWith('a') ? 'audio' : 'video', stop: () => undefined }) as unknown as MediaStreamTrack;
    const streamOf = (...tracks: MediaStreamTrack[]) => ({ getTracks: () => tracks }) as unknown as MediaStream;
    const [audio, video] = [track('a1'), track('v1')];
    const early = streamOf(audio, video);
    const t = setup({
      createSession: (o) => {
        const s = new FakeSession(o);
        t.sessions.push(s);
        // As the browser deps do: the receivers' tracks are announced as soon as the peer exists.
        o.handlers.remoteStream?.(early);
        return s;
      },
    });
    await toWaiting(t);
    accept(t);
    expect(t.store.getState().remoteStream).toBe(early);
    const h = t.sessions[0]!.handlers;
    h.remoteStream?.(streamOf(video, audio));
    expect(t.store.getState().remoteStream).toBe(early);
    const other = streamOf(track('a2'), track('v2'));
    h.remoteStream?.(other);
    expect(t.store.getState().remoteStream).toBe(other);
  });

  it('every fault the call reports has a key the kiosk contract accepts (visio:<detail>)', async () => {
    const keys: string[] = [];
    const a = setup({ preflight: async () => ({ ok: false, failure: 'MICROPHONE_MISSING' }) });
    await a.store.getState().start('CAF');
    const b = setup();
    await toWaiting(b);
    b.hub.event('status', { status: 'waiting_retry', attempt: 1 });
    vi.advanceTimersByTime(30_000);
    const c = setup();
    await c.store.getState().start('CAF');
    c.hub.ready();
    c.hub.frame({ type: 'call.unavailable', callId: 'c1', organisation: 'CAF', reason: 'no_agent', nextOpening: null });
    await flush();
    for (const t of [a, b, c]) keys.push(...t.faults.map((f) => f.faultKey));
    expect(keys).toEqual(['visio:preflight.MICROPHONE_MISSING', 'visio:hub_unreachable', 'visio:unreachable.CAF']);
    for (const k of keys) expect(FaultKey.safeParse(k).success).toBe(true);
  });
});
