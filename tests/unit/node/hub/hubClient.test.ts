// The typed hub client against a fake WebSocket: backoff with jitter, validation of what it sends and receives.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HubClient, type HubCredentials, type WebSocketLike } from '../../../../shared/hubClient.js';
import { BEAT_TEXT } from '../../../../shared/protocol.js';

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

describe('hub client: a call whose socket is lost is resumed on the next one', () => {
  const authOk = (role: 'booth' | 'agent' = 'booth'): string =>
    JSON.stringify({ type: 'auth.ok', role, id: 1, name: 'Site', organisation: role === 'agent' ? 'CAF' : null, session: null, demo: false });
  const accepted = JSON.stringify({ type: 'call.accepted', callId: 'c1', organisation: 'CAF', peerName: 'Claire', initiator: true, iceServers: [] });

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
        ws().emit('message', { data: accepted });
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
    t.ws().emit('message', { data: accepted });
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
    expect(t.client.signal({ type: 'candidate' })).toBe(false);
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
