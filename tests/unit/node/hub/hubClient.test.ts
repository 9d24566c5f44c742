// The typed hub client against a fake WebSocket: backoff with jitter, validation of what it sends and receives.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HELD_SIGNALS_MAX, HELD_SIGNALS_MAX_BYTES, HubClient, SEEN_SIGNALS_MAX, type HubCredentials, type WebSocketLike } from '../../../../shared/hubClient.js';
import { BEAT_TEXT, MAX_FRAME_BYTES } from '../../../../shared/protocol.js';

type Listener = (ev: { data?: unknown; code?: number }) => void;

class FakeSocket implements WebSocketLike {
  static instances: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  private listeners = new Map<string, Listener[]>();
  constructor(
    readonly url: string,
    readonly protocols: string[] = [],
  ) {
    FakeSocket.instances.push(this);
  }
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.readyState = 3;
  }
  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  emit(type: string, ev: { data?: unknown; code?: number } = {}): void {
    if (type === 'open') this.readyState = 1;
    if (type === 'close') this.readyState = 3;
    for (const l of this.listeners.get(type) ?? []) l(ev);
  }
}

const hello = (protocol: number): string => JSON.stringify({ type: 'hello', protocol, demo: false, heartbeatMs: 30_000, maxFrameBytes: 65_536 });

function makeClient(random: () => number, credentials: HubCredentials = { role: 'booth', token: 'rb_x' }) {
  FakeSocket.instances = [];
  const delays: number[] = [];
  const timers: Array<() => void> = [];
  const client = new HubClient({
    url: 'ws://127.0.0.1:1/hub',
    WebSocket: FakeSocket,
    credentials,
    backoff: { initialMs: 100, maxMs: 1_000, factor: 2, jitter: 0.5 },
    random,
    setTimer: (fn, ms) => {
      delays.push(ms);
      timers.push(fn);
      return timers.length;
    },
    clearTimer: () => undefined,
  });
  return { client, delays, timers };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('hub client', () => {
  it('retries with exponential backoff, capped, with jitter drawn in the upper half', () => {
    for (const [random, expected] of [
      [() => 0, [50, 100, 200, 400, 500, 500]],
      [() => 1, [100, 200, 400, 800, 1000, 1000]],
    ] as const) {
      const { client, delays, timers } = makeClient(random);
      client.start();
      for (let i = 0; i < 6; i++) {
        FakeSocket.instances.at(-1)!.emit('close', { code: 1006 });
        timers.shift()!();
      }
      expect(delays).toEqual(expected);
      client.stop();
    }
  });

  it('offers its token with the handshake, sends no auth frame to a hub of protocol 3, and resets the backoff once accepted', () => {
    const { client, delays, timers } = makeClient(() => 1);
    client.start();
    FakeSocket.instances.at(-1)!.emit('close', { code: 1006 });
    timers.shift()!();
    const ws = FakeSocket.instances.at(-1)!;
    expect(ws.protocols).toEqual(['relais', 'relais.booth.rb_x']);
    ws.emit('open');
    ws.emit('message', { data: hello(3) });
    expect(ws.sent).toEqual([]);
    expect(client.status).toBe('authenticating');
    ws.emit('message', { data: JSON.stringify({ type: 'auth.ok', role: 'booth', id: 1, name: 'Site', organisation: null, session: null, demo: false }) });
    expect(client.status).toBe('ready');
    ws.emit('close', { code: 1006 });
    expect(delays).toEqual([100, 100]);
    client.stop();
  });

  it('sends its auth frame to a hub older than protocol 3, and a password always in a frame', () => {
    const booth = makeClient(() => 1).client;
    booth.start();
    const old = FakeSocket.instances.at(-1)!;
    old.emit('open');
    expect(old.sent).toEqual([]);
    old.emit('message', { data: hello(2) });
    expect(old.sent.map((x) => JSON.parse(x))).toEqual([{ type: 'auth.booth', token: 'rb_x' }]);
    booth.stop();

    const { client, timers } = makeClient(() => 1, { role: 'agent', login: 'caf1', password: 'secret' });
    client.start();
    let ws = FakeSocket.instances.at(-1)!;
    expect(ws.protocols).toEqual(['relais']);
    ws.emit('open');
    expect(ws.sent.map((x) => JSON.parse(x))).toEqual([{ type: 'auth.agent', login: 'caf1', password: 'secret' }]);
    ws.emit('message', { data: JSON.stringify({ type: 'auth.ok', role: 'agent', id: 3, name: 'Claire', organisation: 'CAF', session: 'rs_abc', demo: false }) });
    // After a reconnect, the session the hub gave goes with the handshake.
    ws.emit('close', { code: 1006 });
    timers.at(-1)!();
    ws = FakeSocket.instances.at(-1)!;
    expect(ws.protocols).toEqual(['relais', 'relais.session.rs_abc']);
    ws.emit('open');
    ws.emit('message', { data: hello(3) });
    expect(ws.sent).toEqual([]);
    client.stop();
  });

  it('remembers whether the hub takes appointments, from each hello (a hub across machines says it does not)', () => {
    const { client } = makeClient(() => 1);
    expect(client.appointmentsOffered).toBe(true);
    client.start();
    const ws = FakeSocket.instances.at(-1)!;
    ws.emit('open');
    ws.emit('message', { data: JSON.stringify({ ...(JSON.parse(hello(3)) as object), appointments: false }) });
    expect(client.appointmentsOffered).toBe(false);
    ws.emit('message', { data: hello(3) });
    expect(client.appointmentsOffered).toBe(true);
    client.stop();
  });

  it('refuses to send a frame outside the protocol', () => {
    const { client } = makeClient(() => 1);
    client.start();
    FakeSocket.instances.at(-1)!.emit('open');
    expect(() => client.send({ type: 'call.request', organisation: 'pas un code' })).toThrow();
    client.stop();
  });

  it('ignores and reports hub frames outside the protocol', () => {
    const { client } = makeClient(() => 1);
    const invalid: string[] = [];
    const pongs: number[] = [];
    client.onEvent('invalidFrame', (e) => invalid.push(e.raw));
    client.on('pong', (f) => pongs.push(f.t));
    client.start();
    const ws = FakeSocket.instances.at(-1)!;
    ws.emit('open');
    ws.emit('message', { data: '{"type":"pong"}' });
    ws.emit('message', { data: 'not json' });
    ws.emit('message', { data: '{"type":"pong","t":3}' });
    expect(invalid).toHaveLength(2);
    expect(pongs).toEqual([3]);
    client.stop();
  });

  it('hands the app a signal the hub sends again once only (the same text), a new one and another call’s always', () => {
    const { client } = makeClient(() => 1);
    client.start();
    const ws = FakeSocket.instances.at(-1)!;
    ws.emit('open');
    ws.emit('message', { data: JSON.stringify({ type: 'auth.ok', role: 'agent', id: 1, name: 'Claire', organisation: 'CAF', session: null, demo: false }) });
    ws.emit('message', { data: JSON.stringify({ type: 'call.accepted', callId: 'c1', organisation: 'CAF', peerName: 'Site', initiator: false, iceServers: [] }) });
    const got: unknown[] = [];
    client.on('signal', (f) => got.push(f.data));
    const signal = (callId: string, data: unknown): string => JSON.stringify({ type: 'signal', callId, data });
    ws.emit('message', { data: signal('c1', { type: 'offer', sdp: 'v=0 1' }) });
    ws.emit('message', { data: signal('c1', { type: 'offer', sdp: 'v=0 1' }) });
    ws.emit('message', { data: signal('c1', { candidate: 'a' }) });
    expect(got).toEqual([{ type: 'offer', sdp: 'v=0 1' }, { candidate: 'a' }]);
    // Bounded: the oldest are forgotten past SEEN_SIGNALS_MAX, the latest still dropped when sent again.
    for (let i = 0; i < SEEN_SIGNALS_MAX; i++) ws.emit('message', { data: signal('c1', { candidate: `n${i}` }) });
    got.length = 0;
    ws.emit('message', { data: signal('c1', { type: 'offer', sdp: 'v=0 1' }) });
    ws.emit('message', { data: signal('c1', { candidate: `n${SEEN_SIGNALS_MAX - 1}` }) });
    expect(got).toEqual([{ type: 'offer', sdp: 'v=0 1' }]);
    // Another call starts afresh.
    ws.emit('message', { data: JSON.stringify({ type: 'call.ended', callId: 'c1', reason: 'hangup_booth' }) });
    ws.emit('message', { data: JSON.stringify({ type: 'call.accepted', callId: 'c2', organisation: 'CAF', peerName: 'Site', initiator: false, iceServers: [] }) });
    ws.emit('message', { data: signal('c2', { candidate: 'a' }) });
    expect(got).toEqual([{ type: 'offer', sdp: 'v=0 1' }, { candidate: 'a' }]);
    client.stop();
  });

  it('stops retrying once its access is revoked', () => {
    const { client, timers } = makeClient(() => 1);
    client.start();
    const ws = FakeSocket.instances.at(-1)!;
    ws.emit('open');
    ws.emit('message', { data: JSON.stringify({ type: 'error', code: 'REVOKED', message: 'Accès révoqué.' }) });
    expect(client.status).toBe('refused');
    expect(timers).toHaveLength(0);
  });

  it('release forgets the call but keeps the socket: cancels a waiting call, hangs up an active one, and asks nothing again after a reconnect', () => {
    const { client, timers } = makeClient(() => 1);
    const authOk = JSON.stringify({ type: 'auth.ok', role: 'booth', id: 1, name: 'Site', organisation: null, session: null, demo: false });
    client.start();
    let ws = FakeSocket.instances.at(-1)!;
    ws.emit('open');
    ws.emit('message', { data: authOk });
    client.requestCall('CAF');
    ws.emit('message', { data: JSON.stringify({ type: 'queue.position', callId: 'c1', organisation: 'CAF', position: 1, estimatedWaitS: 0 }) });
    client.release();
    expect(JSON.parse(ws.sent.at(-1)!)).toEqual({ type: 'call.cancel' });
    client.requestCall('CAF');
    ws.emit('message', { data: JSON.stringify({ type: 'call.accepted', callId: 'c2', organisation: 'CAF', peerName: 'Claire', initiator: true, iceServers: [] }) });
    client.release();
    expect(JSON.parse(ws.sent.at(-1)!)).toEqual({ type: 'call.hangup', callId: 'c2' });
    expect(client.status).toBe('ready');
    const before = ws.sent.length;
    client.release();
    expect(ws.sent.length).toBe(before);
    // A reconnect restores nothing: no call.request is sent again.
    ws.emit('close', { code: 1006 });
    timers.at(-1)!();
    ws = FakeSocket.instances.at(-1)!;
    ws.emit('open');
    ws.emit('message', { data: hello(3) });
    ws.emit('message', { data: authOk });
    expect(ws.sent).toEqual([]);
    client.stop();
  });

  it('a booth waiting for its appointment’s call asks again with the appointment after a reconnect', () => {
    const { client, timers } = makeClient(() => 1);
    const authOk = JSON.stringify({ type: 'auth.ok', role: 'booth', id: 1, name: 'Site', organisation: null, session: null, demo: false });
    client.start();
    let ws = FakeSocket.instances.at(-1)!;
    ws.emit('open');
    ws.emit('message', { data: authOk });
    expect(client.requestCall('CAF', 'appt-1')).toBe(true);
    expect(JSON.parse(ws.sent.at(-1)!)).toEqual({ type: 'call.request', organisation: 'CAF', appointmentId: 'appt-1' });
    ws.emit('close', { code: 1006 });
    timers.at(-1)!();
    ws = FakeSocket.instances.at(-1)!;
    ws.emit('open');
    ws.emit('message', { data: hello(3) });
    ws.emit('message', { data: authOk });
    expect(ws.sent.map((raw) => JSON.parse(raw))).toEqual([{ type: 'call.request', organisation: 'CAF', appointmentId: 'appt-1' }]);
    // A walk-in's call afterwards carries none.
    client.release();
    client.requestCall('CAF');
    expect(JSON.parse(ws.sent.at(-1)!)).toEqual({ type: 'call.request', organisation: 'CAF' });
    client.stop();
  });

  it('an agent declines a ringing call with one call.decline frame, and nothing when not connected', () => {
    const { client } = makeClient(() => 1, { role: 'agent', login: 'claire', password: 'pw' });
    expect(client.decline('c1')).toBe(false);
    client.start();
    const ws = FakeSocket.instances.at(-1)!;
    ws.emit('open');
    ws.emit('message', { data: JSON.stringify({ type: 'auth.ok', role: 'agent', id: 3, name: 'Claire', organisation: 'CAF', session: null, demo: false }) });
    const before = ws.sent.length;
    expect(client.decline('c1')).toBe(true);
    expect(ws.sent.slice(before).map((raw) => JSON.parse(raw))).toEqual([{ type: 'call.decline', callId: 'c1' }]);
    expect(client.status).toBe('ready');
    client.stop();
  });

  it('beats while the hub watches it (a call under way) and only when it has sent nothing else for 0.9 × the heartbeat', () => {
    vi.useFakeTimers();
    const { client } = makeClient(() => 0.5);
    client.start();
    const ws = FakeSocket.instances.at(-1)!;
    ws.emit('open');
    ws.emit('message', { data: JSON.stringify({ type: 'hello', protocol: 2, demo: false, heartbeatMs: 30_000, maxFrameBytes: 65_536 }) });
    ws.emit('message', { data: JSON.stringify({ type: 'auth.ok', role: 'booth', id: 1, name: 'Site', organisation: null, session: null, demo: false }) });
    const beats = (): number => ws.sent.filter((x) => x === BEAT_TEXT).length;
    // An idle booth: its socket is left to TCP keepalive, it says nothing.
    vi.advanceTimersByTime(270_000);
    expect(beats()).toBe(0);
    // Waiting for an agent: the call request says it is alive for this period, then a beat each period.
    client.requestCall('CAF');
    vi.advanceTimersByTime(27_000);
    expect(beats()).toBe(0);
    vi.advanceTimersByTime(27_000);
    expect(beats()).toBe(1);
    vi.advanceTimersByTime(27_000);
    expect(beats()).toBe(2);
    // Once the socket is gone nothing more is sent.
    ws.emit('close', { code: 1006 });
    vi.advanceTimersByTime(270_000);
    expect(beats()).toBe(2);
    client.stop();

    const old = makeClient(() => 0.5);
    old.client.start();
    const oldWs = FakeSocket.instances.at(-1)!;
    oldWs.emit('open');
    oldWs.emit('message', { data: JSON.stringify({ type: 'hello', protocol: 1, demo: false, heartbeatMs: 30_000, maxFrameBytes: 65_536 }) });
    old.client.requestCall('CAF');
    vi.advanceTimersByTime(270_000);
    expect(oldWs.sent.filter((x) => x === BEAT_TEXT)).toEqual([]);
    old.client.stop();
  });
});

const authOk = (role: 'booth' | 'agent' = 'booth'): string =>
  JSON.stringify({ type: 'auth.ok', role, id: 1, name: 'Site', organisation: role === 'agent' ? 'CAF' : null, session: null, demo: false });
const accepted = (callId = 'c1'): string => JSON.stringify({ type: 'call.accepted', callId, organisation: 'CAF', peerName: 'Claire', initiator: true, iceServers: [] });

/** A client whose timers the test fires by kind: the reconnection's (any delay under the window) or the resume window's. */
function resumingClient(credentials: HubCredentials = { role: 'booth', token: 'rb_x' }) {
  FakeSocket.instances = [];
  let next = 1;
  const pending = new Map<number, { fn: () => void; ms: number }>();
  const client = new HubClient({
    url: 'ws://127.0.0.1:1/hub',
    WebSocket: FakeSocket,
    credentials,
    backoff: { initialMs: 100, maxMs: 1_000, factor: 2, jitter: 0 },
    resumeWindowMs: 20_000,
    setTimer: (fn, ms) => {
      pending.set(next, { fn, ms });
      return next++;
    },
    clearTimer: (handle) => void pending.delete(handle as number),
  });
  const events: Array<{ name: string; callId: string }> = [];
  for (const name of ['callInterrupted', 'callResumed', 'callLost'] as const) client.onEvent(name, (e) => events.push({ name, callId: e.callId }));
  const fire = (window: boolean): void => {
    const found = [...pending].find(([, t]) => (t.ms === 20_000) === window);
    if (!found) throw new Error(window ? 'no resume window armed' : 'no reconnection armed');
    pending.delete(found[0]);
    found[1].fn();
  };
  const ws = (): FakeSocket => FakeSocket.instances.at(-1)!;
  const sent = (socket = ws()) => socket.sent.map((raw) => JSON.parse(raw) as Record<string, unknown>);
  return {
    client,
    events,
    ws,
    sent,
    /** Signed in, then in call c1 of CAF. */
    inCall(role: 'booth' | 'agent' = 'booth'): void {
      client.start();
      ws().emit('open');
      ws().emit('message', { data: authOk(role) });
      ws().emit('message', { data: accepted() });
    },
    /** The socket drops (its node died). */
    lose(code = 1006): void {
      ws().emit('close', { code });
    },
    fireReconnect: () => fire(false),
    /** The reconnection timer fires and the new socket signs in. */
    reconnect(role: 'booth' | 'agent' = 'booth'): FakeSocket {
      fire(false);
      ws().emit('open');
      ws().emit('message', { data: hello(3) });
      ws().emit('message', { data: authOk(role) });
      return ws();
    },
    expireWindow: () => fire(true),
    windowArmed: () => [...pending.values()].some((t) => t.ms === 20_000),
  };
}

describe('hub client: a call whose socket is lost is resumed on the next one', () => {
  it('a socket lost mid-call interrupts the call (callInterrupted) instead of losing it', () => {
    const t = resumingClient();
    t.inCall();
    t.lose();
    expect(t.events).toEqual([{ name: 'callInterrupted', callId: 'c1' }]);
    expect(t.client.callId).toBe('c1');
    expect(t.client.status).toBe('waiting_retry');
    t.client.stop();
  });

  it('once signed in again it sends call.resume with the call’s id and organisation, and call.resumed makes the call active again', () => {
    const t = resumingClient();
    t.inCall();
    t.lose();
    const socket = t.reconnect();
    expect(t.sent(socket)).toEqual([{ type: 'call.resume', callId: 'c1', organisation: 'CAF' }]);
    socket.emit('message', { data: JSON.stringify({ type: 'call.resumed', callId: 'c1' }) });
    expect(t.events).toEqual([
      { name: 'callInterrupted', callId: 'c1' },
      { name: 'callResumed', callId: 'c1' },
    ]);
    expect(t.client.callId).toBe('c1');
    expect(t.windowArmed()).toBe(false);
    // The call is this socket's now: its signals and its hang-up go out.
    expect(t.client.signal({ type: 'candidate' })).toBe(true);
    expect(t.client.hangup()).toBe(true);
    expect(t.sent(socket).at(-1)).toEqual({ type: 'call.hangup', callId: 'c1' });
    t.client.stop();
  });

  it('an agent asks for its call back before it says it is available again', () => {
    const t = resumingClient({ role: 'agent', session: 'rs_abc' });
    t.client.start();
    t.ws().emit('open');
    t.ws().emit('message', { data: authOk('agent') });
    t.client.setAvailability('available');
    t.ws().emit('message', { data: accepted() });
    t.lose();
    const socket = t.reconnect('agent');
    expect(t.sent(socket).map((f) => f.type)).toEqual(['call.resume', 'agent.status']);
    t.client.stop();
  });

  it('a call not resumed within the window is lost (callLost), and the hub that did not answer is told it is over', () => {
    const t = resumingClient();
    t.inCall();
    t.lose();
    const socket = t.reconnect();
    t.expireWindow();
    expect(t.events.map((e) => e.name)).toEqual(['callInterrupted', 'callLost']);
    expect(t.sent(socket).at(-1)).toEqual({ type: 'call.hangup', callId: 'c1' });
    expect(t.client.callId).toBeNull();
    // A late answer changes nothing.
    socket.emit('message', { data: JSON.stringify({ type: 'call.resumed', callId: 'c1' }) });
    expect(t.events.map((e) => e.name)).toEqual(['callInterrupted', 'callLost']);
    t.client.stop();
  });

  it('a hub that never comes back within the window loses the call (callLost) with nothing sent', () => {
    const t = resumingClient();
    t.inCall();
    t.lose();
    t.expireWindow();
    expect(t.events.map((e) => e.name)).toEqual(['callInterrupted', 'callLost']);
    t.client.stop();
  });

  it('an error frame after signing in again (a hub that does not know call.resume) loses the call', () => {
    const t = resumingClient();
    t.inCall();
    t.lose();
    const socket = t.reconnect();
    socket.emit('message', { data: JSON.stringify({ type: 'error', code: 'BAD_FRAME', message: 'Message invalide.' }) });
    expect(t.events.map((e) => e.name)).toEqual(['callInterrupted', 'callLost']);
    expect(t.windowArmed()).toBe(false);
    expect(t.client.status).toBe('ready');
    t.client.stop();
  });

  it('call.ended for the call being resumed clears it without callLost (the screens end the call from the frame)', () => {
    const t = resumingClient();
    const ended: string[] = [];
    t.client.on('call.ended', (f) => ended.push(f.reason));
    t.inCall();
    t.lose();
    const socket = t.reconnect();
    socket.emit('message', { data: JSON.stringify({ type: 'call.ended', callId: 'c1', reason: 'peer_lost' }) });
    expect(ended).toEqual(['peer_lost']);
    expect(t.events.map((e) => e.name)).toEqual(['callInterrupted']);
    expect(t.windowArmed()).toBe(false);
    expect(t.client.callId).toBeNull();
    t.client.stop();
  });

  it('a refused sign-in while resuming loses the call, and so does a socket closed for good (replaced, revoked)', () => {
    const t = resumingClient();
    t.inCall();
    t.lose();
    t.fireReconnect();
    t.ws().emit('open');
    t.ws().emit('message', { data: JSON.stringify({ type: 'error', code: 'REVOKED', message: 'Accès révoqué.' }) });
    expect(t.events.map((e) => e.name)).toEqual(['callInterrupted', 'callLost']);
    expect(t.client.status).toBe('refused');
    expect(t.windowArmed()).toBe(false);

    const replaced = resumingClient();
    replaced.inCall();
    replaced.lose(4003);
    expect(replaced.events.map((e) => e.name)).toEqual(['callLost']);
    expect(replaced.windowArmed()).toBe(false);
  });

  it('ignores a call.resumed for another call, or one that comes before it asked on this socket', () => {
    const t = resumingClient();
    t.inCall();
    t.lose();
    t.fireReconnect();
    t.ws().emit('open');
    t.ws().emit('message', { data: hello(3) });
    // Not signed in yet: nothing was asked on this socket.
    t.ws().emit('message', { data: JSON.stringify({ type: 'call.resumed', callId: 'c1' }) });
    t.ws().emit('message', { data: authOk() });
    t.ws().emit('message', { data: JSON.stringify({ type: 'call.resumed', callId: 'c2' }) });
    expect(t.events.map((e) => e.name)).toEqual(['callInterrupted']);
    expect(t.client.callId).toBe('c1');
    // Kept for the resumption, not sent on a socket the call is not on yet.
    expect(t.client.signal({ type: 'candidate' })).toBe(true);
    expect(t.sent().map((f) => f.type)).toEqual(['call.resume']);
    expect(t.windowArmed()).toBe(true);
    t.client.stop();
  });

  it('the side that kept its socket ignores the call.resumed the hub sends it, and its call goes on', () => {
    const t = resumingClient();
    t.inCall();
    t.ws().emit('message', { data: JSON.stringify({ type: 'call.resumed', callId: 'c1' }) });
    expect(t.events).toEqual([]);
    expect(t.client.callId).toBe('c1');
    expect(t.client.signal({ type: 'candidate' })).toBe(true);
    t.client.stop();
  });

  it('a socket lost again before the call was resumed asks again on the next one, within the same window', () => {
    const t = resumingClient();
    t.inCall();
    t.lose();
    t.reconnect();
    t.lose();
    const socket = t.reconnect();
    expect(t.sent(socket)).toEqual([{ type: 'call.resume', callId: 'c1', organisation: 'CAF' }]);
    expect(t.events.map((e) => e.name)).toEqual(['callInterrupted']);
    socket.emit('message', { data: JSON.stringify({ type: 'call.resumed', callId: 'c1' }) });
    expect(t.events.map((e) => e.name)).toEqual(['callInterrupted', 'callResumed']);
    t.client.stop();
  });

  it('hanging up while resuming sends nothing and asks nothing after the reconnect; stop() drops the resumption too', () => {
    const t = resumingClient();
    t.inCall();
    t.lose();
    expect(t.client.hangup()).toBe(false);
    expect(t.client.callId).toBeNull();
    expect(t.windowArmed()).toBe(false);
    expect(t.sent(t.reconnect())).toEqual([]);
    t.client.stop();

    const stopped = resumingClient();
    stopped.inCall();
    stopped.lose();
    stopped.client.stop();
    expect(stopped.windowArmed()).toBe(false);
    expect(stopped.events.map((e) => e.name)).toEqual(['callInterrupted']);
  });

  it('a waiting call (not yet answered) is still asked again after a reconnect, with no resumption', () => {
    const t = resumingClient();
    const requeued: string[] = [];
    t.client.onEvent('requeued', (e) => requeued.push(e.organisation));
    t.client.start();
    t.ws().emit('open');
    t.ws().emit('message', { data: authOk() });
    t.client.requestCall('CAF');
    t.ws().emit('message', { data: JSON.stringify({ type: 'queue.position', callId: 'c1', organisation: 'CAF', position: 1, estimatedWaitS: 0 }) });
    t.lose();
    const socket = t.reconnect();
    expect(t.sent(socket)).toEqual([{ type: 'call.request', organisation: 'CAF' }]);
    expect(requeued).toEqual(['CAF']);
    expect(t.events).toEqual([]);
    expect(t.windowArmed()).toBe(false);
    t.client.stop();
  });
});

describe('hub client: the signals of an interrupted call wait for its resumption', () => {
  const resumed = (callId = 'c1'): string => JSON.stringify({ type: 'call.resumed', callId });

  /** An agent signing in with its password, so each new socket shows its auth frame first (resumingClient's timers). */
  function interruptedClient() {
    const t = resumingClient({ role: 'agent', login: 'claire', password: 'pw' });
    return {
      ...t,
      /** The events raised so far, as `<name> <callId>`. */
      named: () => t.events.map((e) => `${e.name} ${e.callId}`),
      /** What went out on the socket, a signal shown by its call and payload. */
      seen: (socket = t.ws()) => t.sent(socket).map((f) => (f.type === 'signal' ? { signal: f.callId, data: f.data } : f.type)),
      /** Signed in, then in `callId`, whose socket drops. */
      interrupt(callId = 'c1'): void {
        if (FakeSocket.instances.length === 0) {
          t.client.start();
          t.ws().emit('open');
          t.ws().emit('message', { data: authOk('agent') });
        }
        t.ws().emit('message', { data: accepted(callId) });
        t.lose();
      },
      /** The reconnection timer fires, the new socket opens and signs in. */
      reconnect: (): FakeSocket => t.reconnect('agent'),
    };
  }

  it('sends the signals of the interruption right after call.resumed, in order and once: the new socket sees auth, call.resume, then them', () => {
    const t = interruptedClient();
    t.interrupt();
    expect(t.client.signal({ n: 1 })).toBe(true);
    t.fireReconnect();
    const socket = t.ws();
    socket.emit('open');
    expect(t.client.signal({ n: 2 })).toBe(true);
    socket.emit('message', { data: hello(3) });
    socket.emit('message', { data: authOk('agent') });
    expect(t.client.send({ type: 'signal', callId: 'c1', data: { n: 3 } })).toBe(true);
    // Asked, not yet resumed: nothing of the call goes out on this socket.
    expect(t.seen(socket)).toEqual(['auth.agent', 'call.resume']);
    // What the app sends once resumed (from the frame or from the event) comes after the kept signals.
    const offFrame = t.client.on('call.resumed', () => t.client.signal({ n: 'frame' }));
    const offEvent = t.client.onEvent('callResumed', () => t.client.signal({ n: 'event' }));
    socket.emit('message', { data: resumed() });
    offFrame();
    offEvent();
    expect(t.seen(socket)).toEqual([
      'auth.agent',
      'call.resume',
      { signal: 'c1', data: { n: 1 } },
      { signal: 'c1', data: { n: 2 } },
      { signal: 'c1', data: { n: 3 } },
      { signal: 'c1', data: { n: 'event' } },
      { signal: 'c1', data: { n: 'frame' } },
    ]);
    expect(t.named()).toEqual(['callInterrupted c1', 'callResumed c1']);
    // Once: a repeated call.resumed, or a later interruption of the same call, sends none of them again.
    const before = socket.sent.length;
    socket.emit('message', { data: resumed() });
    expect(socket.sent.length).toBe(before);
    socket.emit('close', { code: 1006 });
    const next = t.reconnect();
    next.emit('message', { data: resumed() });
    expect(t.seen(next)).toEqual(['auth.agent', 'call.resume']);
    t.client.stop();
  });

  it('keeps them across a socket lost again before the call was resumed, and sends them on the socket that resumes it', () => {
    const t = interruptedClient();
    t.interrupt();
    t.client.signal({ n: 1 });
    const first = t.reconnect();
    t.client.signal({ n: 2 });
    first.emit('close', { code: 1006 });
    t.client.signal({ n: 3 });
    const second = t.reconnect();
    second.emit('message', { data: resumed() });
    expect(t.seen(first)).toEqual(['auth.agent', 'call.resume']);
    expect(t.seen(second)).toEqual([
      'auth.agent',
      'call.resume',
      { signal: 'c1', data: { n: 1 } },
      { signal: 'c1', data: { n: 2 } },
      { signal: 'c1', data: { n: 3 } },
    ]);
    t.client.stop();
  });

  it('drops them when the call is lost at the end of the window: only call.hangup goes out, and a later call resumes without them', () => {
    const t = interruptedClient();
    t.interrupt();
    expect(t.client.signal({ n: 1 })).toBe(true);
    const socket = t.reconnect();
    expect(t.client.signal({ n: 2 })).toBe(true);
    t.expireWindow();
    socket.emit('message', { data: resumed() });
    expect(t.named()).toEqual(['callInterrupted c1', 'callLost c1']);
    expect(t.seen(socket)).toEqual(['auth.agent', 'call.resume', 'call.hangup']);
    // The next call, interrupted and resumed, carries only its own.
    t.interrupt('c2');
    t.client.signal({ n: 'c2' });
    const next = t.reconnect();
    next.emit('message', { data: resumed('c2') });
    expect(t.seen(next)).toEqual(['auth.agent', 'call.resume', { signal: 'c2', data: { n: 'c2' } }]);
    t.client.stop();
  });

  it('drops them when the call is lost by a refusal: a revoked sign-in, or an error answering call.resume', () => {
    const revoked = interruptedClient();
    revoked.interrupt();
    expect(revoked.client.signal({ n: 1 })).toBe(true);
    revoked.fireReconnect();
    const socket = revoked.ws();
    socket.emit('open');
    socket.emit('message', { data: JSON.stringify({ type: 'error', code: 'REVOKED', message: 'Accès révoqué.' }) });
    socket.emit('message', { data: resumed() });
    expect(revoked.named()).toEqual(['callInterrupted c1', 'callLost c1']);
    expect(revoked.seen(socket)).toEqual(['auth.agent']);

    const refused = interruptedClient();
    refused.interrupt();
    expect(refused.client.signal({ n: 1 })).toBe(true);
    const answered = refused.reconnect();
    answered.emit('message', { data: JSON.stringify({ type: 'error', code: 'BAD_FRAME', message: 'Message invalide.' }) });
    expect(refused.named()).toEqual(['callInterrupted c1', 'callLost c1']);
    refused.interrupt('c2');
    const next = refused.reconnect();
    next.emit('message', { data: resumed('c2') });
    expect([...refused.seen(answered), ...refused.seen(next)].filter((f) => typeof f !== 'string')).toEqual([]);
    refused.client.stop();
  });

  it('drops them when the app hangs up during the interruption, or when the hub ends the call', () => {
    const t = interruptedClient();
    t.interrupt();
    expect(t.client.signal({ n: 1 })).toBe(true);
    expect(t.client.hangup()).toBe(false);
    // No call any more: nothing kept, nothing asked.
    expect(t.client.signal({ n: 2 })).toBe(false);
    const socket = t.reconnect();
    socket.emit('message', { data: resumed() });
    expect(t.seen(socket)).toEqual(['auth.agent']);

    t.interrupt('c2');
    expect(t.client.signal({ n: 3 })).toBe(true);
    const ending = t.reconnect();
    ending.emit('message', { data: JSON.stringify({ type: 'call.ended', callId: 'c2', reason: 'peer_lost' }) });
    t.interrupt('c3');
    const next = t.reconnect();
    next.emit('message', { data: resumed('c3') });
    expect([...t.seen(ending), ...t.seen(next)].filter((f) => typeof f !== 'string')).toEqual([]);
    t.client.stop();
  });

  it('keeps at most HELD_SIGNALS_MAX signals, the newest, of 1,000 sent during the interruption', () => {
    const t = interruptedClient();
    t.interrupt();
    for (let n = 0; n < 1_000; n++) expect(t.client.signal({ candidate: `candidate:${n}`, n })).toBe(true);
    const socket = t.reconnect();
    socket.emit('message', { data: resumed() });
    const ns = t.sent(socket).filter((f) => f.type === 'signal').map((f) => (f.data as { n: number }).n);
    expect(HELD_SIGNALS_MAX).toBe(64);
    expect(ns).toEqual(Array.from({ length: HELD_SIGNALS_MAX }, (_, i) => 1_000 - HELD_SIGNALS_MAX + i));
    t.client.stop();
  });

  it('keeps at most HELD_SIGNALS_MAX_BYTES of signals, the newest, when they are large offers', () => {
    const t = interruptedClient();
    t.interrupt();
    // 40 offers of 5,000 two-byte characters (~10 KB in UTF-8, 5 K in string length): over the bytes bound long before
    // the count bound, and only if counted in UTF-8.
    const offer = (n: number) => ({ type: 'offer', sdp: 'é'.repeat(5_000), n });
    for (let n = 10; n < 50; n++) expect(t.client.signal(offer(n))).toBe(true);
    const socket = t.reconnect();
    const before = socket.sent.length;
    socket.emit('message', { data: resumed() });
    const texts = socket.sent.slice(before);
    const frameBytes = Buffer.byteLength(JSON.stringify({ type: 'signal', callId: 'c1', data: offer(10) }), 'utf8');
    // As many of the newest as fit: one more would not.
    const fit = Math.floor(HELD_SIGNALS_MAX_BYTES / frameBytes);
    expect(texts.every((text) => Buffer.byteLength(text, 'utf8') === frameBytes)).toBe(true);
    expect(texts.map((text) => (JSON.parse(text) as { data: { n: number } }).data.n)).toEqual(Array.from({ length: fit }, (_, i) => 50 - fit + i));
    t.client.stop();
  });

  it('keeps no signal for another call than the interrupted one', () => {
    const t = interruptedClient();
    t.interrupt();
    expect(t.client.send({ type: 'signal', callId: 'c9', data: { n: 'other' } })).toBe(false);
    expect(t.client.send({ type: 'signal', callId: 'c1', data: { n: 'mine' } })).toBe(true);
    const socket = t.reconnect();
    socket.emit('message', { data: resumed() });
    expect(t.seen(socket)).toEqual(['auth.agent', 'call.resume', { signal: 'c1', data: { n: 'mine' } }]);
    t.client.stop();
  });

  it('a hostile or huge signal during the interruption does not throw and is not kept; the others still go out', () => {
    const t = interruptedClient();
    t.interrupt();
    const circular: Record<string, unknown> = { type: 'candidate' };
    circular.self = circular;
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    const hostile: Array<Record<string, unknown>> = [
      { type: 'offer', sdp: 'v'.repeat(10_000_000) },
      { type: 'offer', sdp: 'é'.repeat(40_000) },
      { type: 'offer', sdp: '\ud800'.repeat(20_000) },
      circular,
      { big: 10n },
      {
        toJSON: () => {
          throw new Error('boom');
        },
      },
      deep,
    ];
    for (const data of hostile) expect(t.client.signal(data)).toBe(false);
    expect(t.client.signal({ ['__proto__']: { polluted: true }, constructor: 'x', type: 'candidate' })).toBe(true);
    expect(t.client.signal({ type: 'candidate', candidate: 'ok' })).toBe(true);
    const socket = t.reconnect();
    socket.emit('message', { data: resumed() });
    expect(socket.sent.every((text) => Buffer.byteLength(text, 'utf8') <= MAX_FRAME_BYTES)).toBe(true);
    expect(t.sent(socket).filter((f) => f.type === 'signal')).toHaveLength(2);
    expect(t.sent(socket).at(-1)).toEqual({ type: 'signal', callId: 'c1', data: { type: 'candidate', candidate: 'ok' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    t.client.stop();
  });
});
