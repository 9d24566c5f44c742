// The frame router alone (server/router.ts): its role gate, its guards, and the relay of signals — no server started.
import { describe, expect, it } from 'vitest';
import type { CallEngine } from '../../../../server/calls.js';
import { createWrites } from '../../../../server/connections/writes.js';
import { createFrameRouter, roleGate } from '../../../../server/router.js';
import { newCounters } from '../../../../server/stats.js';
import { AGENT_FRAMES, AUTH_FRAMES, BEAT_TEXT, BOOTH_FRAMES, type ClientFrameType } from '../../../../shared/protocol.js';
import { fakeConn, framesOf, silentLog, type FakeConn } from './fakeConn.js';

const ALL_TYPES = [...new Set<ClientFrameType>([...AUTH_FRAMES, ...BOOTH_FRAMES, ...AGENT_FRAMES])];

describe('the role gate', () => {
  it('lets a socket not signed in send only sign-ins, ping and beat', () => {
    for (const type of ALL_TYPES) expect(roleGate({ role: 'none', authPending: false }, type)).toBe(AUTH_FRAMES.has(type) ? null : 'NOT_AUTHENTICATED');
  });

  it('refuses a second sign-in, and to each role the frames of the other', () => {
    for (const type of ALL_TYPES) {
      const booth = roleGate({ role: 'booth', authPending: false }, type);
      const agent = roleGate({ role: 'agent', authPending: false }, type);
      if (type.startsWith('auth.')) {
        expect(booth).toBe('ALREADY_AUTHENTICATED');
        expect(agent).toBe('ALREADY_AUTHENTICATED');
      } else {
        expect(booth).toBe(BOOTH_FRAMES.has(type) ? null : 'FORBIDDEN');
        expect(agent).toBe(AGENT_FRAMES.has(type) ? null : 'FORBIDDEN');
      }
    }
    expect(roleGate({ role: 'booth', authPending: false }, 'call.accept')).toBe('FORBIDDEN');
    expect(roleGate({ role: 'agent', authPending: false }, 'call.request')).toBe('FORBIDDEN');
  });

  it('refuses another sign-in while a password is being checked', () => {
    expect(roleGate({ role: 'none', authPending: true }, 'auth.agent')).toBe('AUTH_RATE_LIMITED');
    expect(roleGate({ role: 'none', authPending: true }, 'auth.booth')).toBe('AUTH_RATE_LIMITED');
    expect(roleGate({ role: 'none', authPending: true }, 'ping')).toBeNull();
  });
});

function setUp(options: { maxFrameBytes?: number } = {}) {
  let now = 1_000;
  const counters = newCounters();
  const conns = new Map<string, FakeConn>();
  const calls: string[] = [];
  const pairs = new Map<string, string>();
  const engine = {
    setAgentStatus: (party: string, status: string) => void calls.push(`status ${party} ${status}`),
    request: (party: string, organisation: string, appointment?: { id: string }) => (calls.push(`request ${party} ${organisation}${appointment ? ` ${appointment.id}` : ''}`), null),
    cancel: () => null,
    accept: (party: string, callId: string) => (calls.push(`accept ${party} ${callId}`), callId === 'gone' ? ('UNKNOWN_CALL' as const) : null),
    decline: () => null,
    hangup: () => null,
    resume: (party: string, callId: string, organisation: string) => (calls.push(`resume ${party} ${callId} ${organisation}`), null),
    peerOf: (party: string, callId: string) => (callId === 'call-1' ? (pairs.get(party) ?? null) : null),
  } satisfies Partial<CallEngine>;
  const watched: string[] = [];
  const signIns: string[] = [];
  const reports: Array<{ boothId: number; version: string }> = [];
  const onFrame = createFrameRouter({
    clock: () => now,
    counters,
    maxFrameBytes: options.maxFrameBytes ?? 8_192,
    engine,
    writes: createWrites({ maxBufferedBytes: 1 << 20, counters, log: silentLog }),
    conns,
    signIn: {
      booth: (c, token) => void signIns.push(`booth ${c.id} ${token}`),
      session: (c, session) => void signIns.push(`session ${c.id} ${session}`),
      password: async (c, login) => void signIns.push(`password ${c.id} ${login}`),
    },
    presenceText: () => '{"type":"presence","at":0,"organisations":[]}',
    watch: (c) => void watched.push(c.id),
    appointmentCall: (c, organisation, id) => (id === 'due' ? { id, agentId: 4 } : null),
    appointments: (c, frame) => {
      if (frame.type === 'slots.list') throw new Error('store down');
      calls.push(`appointments ${c.id} ${frame.type}`);
    },
    fleet: { report: (boothId, health) => (reports.push({ boothId, version: health.version }), true) },
    log: silentLog,
  });
  const add = (c: FakeConn): FakeConn => (conns.set(c.id, c), c);
  const send = (c: FakeConn, frame: unknown): void => onFrame(c, Buffer.from(typeof frame === 'string' ? frame : JSON.stringify(frame)), false);
  return { onFrame, send, add, counters, calls, pairs, watched, signIns, reports, advance: (ms: number) => (now += ms) };
}

describe('the frame router', () => {
  it('hands a role the engine call its frame names, and a refused one to nobody', () => {
    const t = setUp();
    const booth = t.add(fakeConn('c1', 'booth', 7));
    const agent = t.add(fakeConn('c2', 'agent', 3));
    t.send(booth, { type: 'call.request', organisation: 'CAF' });
    t.send(booth, { type: 'call.accept', callId: 'x' });
    t.send(agent, { type: 'agent.status', status: 'available' });
    t.send(agent, { type: 'call.accept', callId: 'gone' });
    expect(t.calls).toEqual(['request c1 CAF', 'status c2 available', 'accept c2 gone']);
    expect(t.watched).toEqual(['c1']);
    expect(framesOf(booth).map((f) => f.code)).toEqual(['FORBIDDEN']);
    expect(framesOf(agent).map((f) => f.code)).toEqual(['UNKNOWN_CALL']);
    expect(t.counters.byError).toEqual({ FORBIDDEN: 1, UNKNOWN_CALL: 1 });
  });

  it('hands a resume to the engine for booths and agents, watches the socket, and refuses a malformed one', () => {
    const t = setUp();
    const booth = t.add(fakeConn('c1', 'booth', 7));
    const agent = t.add(fakeConn('c2', 'agent', 3));
    t.send(booth, { type: 'call.resume', callId: 'call-1', organisation: 'CAF' });
    t.send(agent, { type: 'call.resume', callId: 'call-1', organisation: 'CAF' });
    for (const bad of [{ type: 'call.resume', callId: 'call-1' }, { type: 'call.resume', callId: '', organisation: 'CAF' }, { type: 'call.resume', callId: 'x'.repeat(500), organisation: 'CAF' }, { type: 'call.resume', callId: 'call-1', organisation: 'CAF', extra: 1 }])
      t.send(booth, bad);
    expect(t.calls).toEqual(['resume c1 call-1 CAF', 'resume c2 call-1 CAF']);
    expect(t.watched).toEqual(['c1', 'c2']);
    expect(framesOf(booth).map((f) => f.code)).toEqual(['BAD_FRAME', 'BAD_FRAME', 'BAD_FRAME', 'BAD_FRAME']);
  });

  it('hands appointment frames to the appointments, refuses a booth publishing slots, and answers INTERNAL when they fail', () => {
    const t = setUp();
    const booth = t.add(fakeConn('c1', 'booth', 7));
    const agent = t.add(fakeConn('c2', 'agent', 3));
    t.send(booth, { type: 'appointment.slots', organisation: 'CAF' });
    t.send(booth, { type: 'slots.publish', series: { start: '2026-06-02T09:00', lengthMin: 30, capacity: 1 } });
    t.send(agent, { type: 'appointment.book', organisation: 'CAF', startsAt: 1, subject: 'rsa' });
    t.send(agent, { type: 'appointments.list', range: 'day' });
    t.send(agent, { type: 'slots.list' });
    expect(t.calls).toEqual(['appointments c1 appointment.slots', 'appointments c2 appointments.list']);
    expect(framesOf(booth).map((f) => f.code)).toEqual(['FORBIDDEN']);
    expect(framesOf(agent).map((f) => f.code)).toEqual(['FORBIDDEN', 'INTERNAL']);
  });

  it('passes a call for a due appointment to the engine, and refuses one that is not with UNKNOWN_APPOINTMENT', () => {
    const t = setUp();
    const booth = t.add(fakeConn('c1', 'booth', 7));
    t.send(booth, { type: 'call.request', organisation: 'CAF', appointmentId: 'late' });
    t.send(booth, { type: 'call.request', organisation: 'CAF', appointmentId: 'due' });
    t.send(booth, { type: 'call.request', organisation: 'CAF', appointmentId: 'x'.repeat(100) });
    expect(t.calls).toEqual(['request c1 CAF due']);
    expect(framesOf(booth).map((f) => f.code)).toEqual(['UNKNOWN_APPOINTMENT', 'BAD_FRAME']);
  });

  it('hands a booth’s health report to the fleet under the booth’s own id; refuses it from others and malformed', () => {
    const t = setUp();
    const booth = t.add(fakeConn('c1', 'booth', 7));
    const agent = t.add(fakeConn('c2', 'agent', 3));
    const stranger = t.add(fakeConn('c3'));
    const health = { version: '1.4.0', shell: 'web', printer: { state: 'none', reasons: [] }, cameras: 1, microphones: 1, freeDiskBytes: 5e9, lastCountSyncAt: null, openIncidents: 0, uptimeS: 10, clockOffsetMs: 0 };
    t.send(booth, { type: 'booth.health', health });
    t.send(agent, { type: 'booth.health', health });
    t.send(stranger, { type: 'booth.health', health });
    t.send(booth, { type: 'booth.health', health: { ...health, boothId: 8 } });
    t.send(booth, { type: 'booth.health', health: { ...health, uptimeS: -1 } });
    t.send(booth, { type: 'booth.health', health: { ...health, version: '1.4.0\n' } });
    t.send(booth, { type: 'booth.health', health: [health] });
    expect(t.reports).toEqual([{ boothId: 7, version: '1.4.0' }]);
    expect(framesOf(agent).map((f) => f.code)).toEqual(['FORBIDDEN']);
    expect(framesOf(stranger).map((f) => f.code)).toEqual(['NOT_AUTHENTICATED']);
    expect(framesOf(booth).map((f) => f.code)).toEqual(['BAD_FRAME', 'BAD_FRAME', 'BAD_FRAME', 'BAD_FRAME']);
  });

  it('passes sign-ins to sign-in, and nothing else from a socket not signed in', () => {
    const t = setUp();
    const c = t.add(fakeConn('c1'));
    t.send(c, { type: 'call.request', organisation: 'CAF' });
    t.send(c, { type: 'auth.booth', token: 'rb_abc' });
    t.send(c, { type: 'auth.agent', login: 'c.martin', password: 'secret' });
    expect(t.calls).toEqual([]);
    expect(t.signIns).toEqual(['booth c1 rb_abc', 'password c1 c.martin']);
    expect(framesOf(c).map((f) => f.code)).toEqual(['NOT_AUTHENTICATED']);
  });

  it('relays a signal byte for byte to the other side of the call only', () => {
    const t = setUp();
    const booth = t.add(fakeConn('c1', 'booth', 7));
    const agent = t.add(fakeConn('c2', 'agent', 3));
    t.pairs.set('c1', 'c2');
    const raw = '{"type":"signal","callId":"call-1","data":{"sdp":"v=0"}}';
    t.send(booth, raw);
    expect(agent.fake.written.map((b) => b.subarray(2).toString())).toEqual([raw]);
    t.send(booth, { type: 'signal', callId: 'call-2', data: {} });
    t.send(booth, { type: 'signal', callId: 'call-1', data: {}, extra: 1 });
    expect(framesOf(booth).map((f) => f.code)).toEqual(['NOT_IN_CALL', 'BAD_FRAME']);
    expect(t.counters.relayed).toBe(1);
  });

  it('answers nothing to a beat, and refuses binary, oversized, deep and unreadable frames, counting them', () => {
    const t = setUp({ maxFrameBytes: 2_048 });
    const c = t.add(fakeConn('c1', 'booth', 7));
    t.onFrame(c, Buffer.from(BEAT_TEXT), false);
    t.onFrame(c, Buffer.from('{"type":"ping","t":1}'), true);
    t.send(c, 'x'.repeat(2_049));
    t.send(c, `${'['.repeat(1_000)}${']'.repeat(1_000)}`);
    t.send(c, '{not json');
    t.send(c, { type: 'nonsense' });
    expect(framesOf(c).map((f) => f.code)).toEqual(['BAD_FRAME', 'TOO_LARGE', 'BAD_FRAME', 'BAD_JSON', 'BAD_FRAME']);
    expect(t.counters.badFrames).toBe(5);
    expect(t.counters.framesIn).toBe(6);
  });

  it('drops frames over the rate limit, telling the socket at most once a second', () => {
    const t = setUp();
    const c = t.add(fakeConn('c1', 'booth', 7));
    for (let i = 0; i < 250; i++) t.send(c, { type: 'ping', t: i });
    const frames = framesOf(c);
    expect(frames.filter((f) => f.type === 'pong')).toHaveLength(200);
    expect(frames.filter((f) => f.code === 'RATE_LIMITED')).toHaveLength(1);
    expect(c.rateDrops).toBe(50);
    t.advance(1_000);
    t.send(c, { type: 'ping', t: 999 });
    expect(framesOf(c).at(-1)).toMatchObject({ type: 'pong', t: 999 });
  });
});
