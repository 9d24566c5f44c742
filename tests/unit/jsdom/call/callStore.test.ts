// The booth's call store against a fake hub client: pre-flight, queue, call, files, end, visit record, resilience.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBoothCallStore, type BoothCallDeps, type BoothCallStore } from '../../../../renderer/kiosk/call/callStore.js';
import { FakeHub, FakeSession, fakeStream } from './fakes.js';

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

function setup(overrides: Partial<BoothCallDeps> = {}) {
  const hub = new FakeHub();
  const sessions: FakeSession[] = [];
  const visits: unknown[] = [];
  const faults: Array<{ faultKey: string; category: string }> = [];
  const help: string[] = [];
  const stream = fakeStream();
  let now = 1_000_000;
  const deps: BoothCallDeps = {
    hubConnection: async () => ({ url: 'ws://127.0.0.1:1/hub', token: 'tok' }),
    createHub: () => hub,
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
    expect(t.help).toEqual(['visio:preflight']);
    expect(t.faults).toEqual([expect.objectContaining({ faultKey: 'visio.preflight.CAMERA_MISSING', category: 'equipment', organisation: 'CAF' })]);
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
    expect(t.faults.map((f) => f.faultKey)).toContain('visio.hub_unreachable');
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
});
