// The call state machine without sockets: queue order, ringing, races, hang-ups and disconnects at every step.
import { beforeEach, describe, expect, it } from 'vitest';
import { createCallEngine, type CallEngine, type CallRecord, type EngineState, type OrganisationInfo, type Scheduler } from '../../../../server/calls.js';
import type { HubFrame, HubFrameOf, HubFrameType } from '../../../../shared/protocol.js';

class FakeScheduler implements Scheduler {
  now = 1_780_000_000_000;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private seq = 0;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
    }
    this.now = end;
  }
  get pending(): number {
    return this.timers.size;
  }
}

interface World {
  engine: CallEngine & EngineState;
  sched: FakeScheduler;
  outbox: Array<{ to: string; frame: HubFrame }>;
  records: CallRecord[];
  orgs: Map<string, OrganisationInfo>;
  /** Appointments whose call was answered (onAppointmentAnswered). */
  answered: string[];
  framesTo<T extends HubFrameType>(to: string, type: T): Array<HubFrameOf<T>>;
  last<T extends HubFrameType>(to: string, type: T): HubFrameOf<T>;
}

function world(ringTimeoutMs = 60_000): World {
  const sched = new FakeScheduler();
  const outbox: World['outbox'] = [];
  const records: CallRecord[] = [];
  const answered: string[] = [];
  const orgs = new Map<string, OrganisationInfo>(
    ['CAF', 'CPAM'].map((code) => [code, { code, name: code, openNow: true, nextOpening: null, closesAt: null }]),
  );
  let n = 0;
  const engine = createCallEngine({
    clock: () => sched.now,
    scheduler: sched,
    send: (to, frame) => outbox.push({ to, frame }),
    record: (c) => records.push(c),
    organisation: (code) => orgs.get(code) ?? null,
    organisations: () => [...orgs.values()],
    ringTimeoutMs,
    iceServers: () => [{ urls: 'turn:127.0.0.1:3478', username: 'u', credential: 'p' }],
    newCallId: () => `call-${++n}`,
    defaultCallSeconds: 300,
    onAppointmentAnswered: (id) => answered.push(id),
  });
  const framesTo = <T extends HubFrameType>(to: string, type: T): Array<HubFrameOf<T>> =>
    outbox.filter((o) => o.to === to && o.frame.type === type).map((o) => o.frame as HubFrameOf<T>);
  const last = <T extends HubFrameType>(to: string, type: T): HubFrameOf<T> => {
    const all = framesTo(to, type);
    const f = all[all.length - 1];
    if (!f) throw new Error(`no ${type} frame to ${to}`);
    return f;
  };
  return { engine, sched, outbox, records, orgs, answered, framesTo, last };
}

function agent(w: World, party: string, organisation = 'CAF', id = Number(party.replace(/\D/g, '')) || 1): void {
  w.engine.joinAgent(party, { agentId: id, organisation, displayName: `Agent ${party}` });
  w.engine.setAgentStatus(party, 'available');
}
function booth(w: World, party: string, id = Number(party.replace(/\D/g, '')) || 1): void {
  w.engine.joinBooth(party, { boothId: id, siteName: `Site ${party}` });
}

describe('call engine', () => {
  let w: World;
  beforeEach(() => {
    w = world();
  });

  it('a queued booth gets the ICE servers with its call id before any agent accepts (it prepares its offer while it waits)', () => {
    agent(w, 'a1');
    booth(w, 'b1');
    expect(w.engine.request('b1', 'CAF')).toBeNull();
    const ring = w.last('a1', 'call.ringing');
    const early = w.framesTo('b1', 'ice.servers').filter((f) => f.callId !== undefined);
    expect(early).toEqual([{ type: 'ice.servers', callId: ring.callId, iceServers: [{ urls: 'turn:127.0.0.1:3478', username: 'u', credential: 'p' }] }]);
    expect(w.framesTo('b1', 'call.accepted')).toHaveLength(0);
    expect(w.framesTo('a1', 'ice.servers')).toHaveLength(0);
  });

  it('a booth gets the ICE servers for its next calls when it joins (no call id); an agent does not', () => {
    booth(w, 'b1');
    agent(w, 'a1');
    expect(w.framesTo('b1', 'ice.servers')).toEqual([{ type: 'ice.servers', iceServers: [{ urls: 'turn:127.0.0.1:3478', username: 'u', credential: 'p' }] }]);
    expect(w.framesTo('a1', 'ice.servers')).toHaveLength(0);
  });

  it('a booth refused at once (no agent, closed) gets no ICE servers for that call', () => {
    booth(w, 'b1');
    expect(w.engine.request('b1', 'CAF')).toBeNull();
    expect(w.last('b1', 'call.unavailable')).toMatchObject({ reason: 'no_agent' });
    expect(w.framesTo('b1', 'ice.servers').filter((f) => f.callId !== undefined)).toHaveLength(0);
  });

  it('rings the available agents of the organisation and pairs the first to accept', () => {
    agent(w, 'a1');
    agent(w, 'a2');
    agent(w, 'x3', 'CPAM');
    booth(w, 'b1');
    expect(w.engine.request('b1', 'CAF')).toBeNull();
    const ring = w.last('a1', 'call.ringing');
    expect(ring).toMatchObject({ organisation: 'CAF', siteName: 'Site b1' });
    expect(w.framesTo('a2', 'call.ringing')).toHaveLength(1);
    expect(w.framesTo('x3', 'call.ringing')).toHaveLength(0);
    expect(w.engine.accept('a2', ring.callId)).toBeNull();
    expect(w.last('b1', 'call.accepted')).toMatchObject({ callId: ring.callId, initiator: true, peerName: 'Agent a2' });
    expect(w.last('a2', 'call.accepted')).toMatchObject({ initiator: false, peerName: 'Site b1' });
    expect(w.last('b1', 'ice.servers').iceServers[0]).toMatchObject({ urls: 'turn:127.0.0.1:3478', username: 'u' });
    expect(w.last('a1', 'call.withdrawn')).toEqual({ type: 'call.withdrawn', callId: ring.callId, reason: 'taken' });
    expect(w.engine.accept('a1', ring.callId)).toBe('ALREADY_TAKEN');
    expect(w.engine.peerOf('b1', ring.callId)).toBe('a2');
    expect(w.engine.peerOf('a2', ring.callId)).toBe('b1');
    expect(w.engine.peerOf('a1', ring.callId)).toBeNull();
  });

  it('serves booths in the order they asked and tells each its position', () => {
    agent(w, 'a1');
    booth(w, 'b1');
    booth(w, 'b2');
    booth(w, 'b3');
    w.engine.request('b1', 'CAF');
    w.engine.request('b2', 'CAF');
    w.engine.request('b3', 'CAF');
    expect(w.last('b3', 'queue.position')).toMatchObject({ position: 3 });
    expect(w.last('b2', 'queue.position')).toMatchObject({ position: 2 });
    // Only the head of the queue rings.
    const rings = w.framesTo('a1', 'call.ringing');
    expect(rings).toHaveLength(1);
    const first = rings[0]!.callId;
    expect(w.last('b1', 'queue.position').callId).toBe(first);
    w.engine.accept('a1', first);
    expect(w.last('b2', 'queue.position')).toMatchObject({ position: 1 });
    expect(w.last('b3', 'queue.position')).toMatchObject({ position: 2 });
    expect(w.framesTo('a1', 'call.ringing')).toHaveLength(1);
    w.engine.hangup('a1', first);
    const second = w.last('a1', 'call.ringing');
    expect(second.callId).toBe(w.last('b2', 'queue.position').callId);
  });

  it('estimates the wait from recent call durations and the number of agents', () => {
    agent(w, 'a1');
    booth(w, 'b1');
    booth(w, 'b2');
    w.engine.request('b1', 'CAF');
    const id = w.last('a1', 'call.ringing').callId;
    w.engine.accept('a1', id);
    w.sched.advance(120_000);
    w.engine.hangup('b1', id);
    booth(w, 'b3');
    w.engine.request('b1', 'CAF');
    const id2 = w.last('a1', 'call.ringing').callId;
    w.engine.accept('a1', id2);
    w.engine.request('b2', 'CAF');
    w.engine.request('b3', 'CAF');
    // One agent busy, a 120 s history: the first waiting booth waits one call, the second two.
    expect(w.last('b2', 'queue.position')).toMatchObject({ position: 1, estimatedWaitS: 120 });
    expect(w.last('b3', 'queue.position')).toMatchObject({ position: 2, estimatedWaitS: 240 });
  });

  it('tells the booth "no agent" after the ring timeout and records a missed call', () => {
    agent(w, 'a1');
    booth(w, 'b1');
    w.engine.request('b1', 'CAF');
    const id = w.last('a1', 'call.ringing').callId;
    w.sched.advance(59_999);
    expect(w.framesTo('b1', 'call.unavailable')).toHaveLength(0);
    w.sched.advance(1);
    expect(w.last('b1', 'call.unavailable')).toEqual({ type: 'call.unavailable', callId: id, organisation: 'CAF', reason: 'no_agent', nextOpening: null });
    expect(w.last('a1', 'call.withdrawn')).toMatchObject({ callId: id, reason: 'timeout' });
    expect(w.records).toEqual([expect.objectContaining({ id, outcome: 'missed', reason: 'timeout', agentId: null, answeredAt: null })]);
    expect(w.engine.accept('a1', id)).toBe('UNKNOWN_CALL');
  });

  it('refuses at once when the organisation is closed, with the next opening', () => {
    w.orgs.set('CAF', { code: 'CAF', name: 'CAF', openNow: false, nextOpening: 1_780_050_000_000, closesAt: null });
    agent(w, 'a1');
    booth(w, 'b1');
    w.engine.request('b1', 'CAF');
    expect(w.last('b1', 'call.unavailable')).toMatchObject({ reason: 'closed', nextOpening: 1_780_050_000_000 });
    expect(w.framesTo('a1', 'call.ringing')).toHaveLength(0);
    expect(w.records[0]).toMatchObject({ outcome: 'missed', reason: 'closed' });
  });

  it('refuses at once when no agent of the organisation is available', () => {
    agent(w, 'x1', 'CPAM');
    w.engine.joinAgent('a2', { agentId: 2, organisation: 'CAF', displayName: 'away' });
    booth(w, 'b1');
    w.engine.request('b1', 'CAF');
    expect(w.last('b1', 'call.unavailable')).toMatchObject({ reason: 'no_agent' });
    expect(w.engine.request('b1', 'NOPE')).toBe('UNKNOWN_ORGANISATION');
  });

  it('refuses a second call from a booth that already waits', () => {
    agent(w, 'a1');
    booth(w, 'b1');
    w.engine.request('b1', 'CAF');
    expect(w.engine.request('b1', 'CAF')).toBe('ALREADY_QUEUED');
  });

  it('does not let an agent accept a call of another organisation, nor a booth accept anything', () => {
    agent(w, 'a1');
    agent(w, 'x2', 'CPAM');
    booth(w, 'b1');
    w.engine.request('b1', 'CAF');
    const id = w.last('a1', 'call.ringing').callId;
    expect(w.engine.accept('x2', id)).toBe('UNKNOWN_CALL');
    expect(w.engine.accept('b1', id)).toBe('FORBIDDEN');
    expect(w.engine.request('a1', 'CAF')).toBe('FORBIDDEN');
    expect(w.engine.hangup('x2', id)).toBe('NOT_IN_CALL');
  });

  it('ends the call for the agent when the booth hangs up, and the reverse', () => {
    agent(w, 'a1');
    booth(w, 'b1');
    w.engine.request('b1', 'CAF');
    const id = w.last('a1', 'call.ringing').callId;
    w.engine.accept('a1', id);
    w.sched.advance(5_000);
    expect(w.engine.hangup('b1', id)).toBeNull();
    expect(w.last('a1', 'call.ended')).toEqual({ type: 'call.ended', callId: id, reason: 'hangup_booth' });
    expect(w.records[0]).toMatchObject({ outcome: 'answered', reason: 'hangup_booth', agentId: 1, boothId: 1 });
    expect(w.records[0]!.endedAt - w.records[0]!.answeredAt!).toBe(5_000);

    w.engine.request('b1', 'CAF');
    const id2 = w.last('a1', 'call.ringing').callId;
    w.engine.accept('a1', id2);
    expect(w.engine.hangup('a1', id2)).toBeNull();
    expect(w.last('b1', 'call.ended')).toEqual({ type: 'call.ended', callId: id2, reason: 'hangup_agent' });
    expect(w.engine.peerOf('b1', id2)).toBeNull();
  });

  describe('resuming a call in progress from a new socket (its node died; the media went on)', () => {
    function inCall(): string {
      agent(w, 'a1');
      booth(w, 'b1');
      w.engine.request('b1', 'CAF');
      const id = w.last('a1', 'call.ringing').callId;
      w.engine.accept('a1', id);
      return id;
    }

    it('moves the booth’s side to its new socket: both told, signals routed there, the end recorded once', () => {
      const id = inCall();
      booth(w, 'b9', 1);
      expect(w.engine.resume('b9', id, 'CAF')).toBeNull();
      expect(w.framesTo('b9', 'call.resumed')).toEqual([{ type: 'call.resumed', callId: id }]);
      expect(w.framesTo('a1', 'call.resumed')).toEqual([{ type: 'call.resumed', callId: id }]);
      expect(w.engine.peerOf('a1', id)).toBe('b9');
      expect(w.engine.peerOf('b9', id)).toBe('a1');
      expect(w.engine.peerOf('b1', id)).toBeNull();
      expect([w.engine.inActiveCall('b1'), w.engine.inActiveCall('b9'), w.engine.inActiveCall('a1')]).toEqual([false, true, true]);
      // The old socket's late close changes nothing.
      w.engine.leave('b1');
      expect(w.framesTo('a1', 'call.ended')).toEqual([]);
      w.sched.advance(60_000);
      expect(w.engine.hangup('a1', id)).toBeNull();
      expect(w.last('b9', 'call.ended')).toEqual({ type: 'call.ended', callId: id, reason: 'hangup_agent' });
      expect(w.records).toHaveLength(1);
      expect(w.records[0]).toMatchObject({ id, outcome: 'answered', reason: 'hangup_agent', boothId: 1, agentId: 1 });
    });

    it('moves the agent’s side to its new socket, withdrawing what rang there meanwhile', () => {
      const id = inCall();
      booth(w, 'b2');
      w.engine.request('b2', 'CAF');
      const waiting = w.last('b2', 'queue.position').callId;
      // Signed in again and said available before resuming: the waiting call rings the new socket.
      agent(w, 'a7', 'CAF', 1);
      expect(w.last('a7', 'call.ringing').callId).toBe(waiting);
      expect(w.engine.resume('a7', id, 'CAF')).toBeNull();
      expect(w.last('a7', 'call.withdrawn')).toEqual({ type: 'call.withdrawn', callId: waiting, reason: 'cancelled' });
      expect(w.framesTo('b1', 'call.resumed')).toEqual([{ type: 'call.resumed', callId: id }]);
      expect(w.engine.peerOf('b1', id)).toBe('a7');
      expect(w.engine.accept('a7', waiting)).toBe('UNKNOWN_CALL');
      expect(w.engine.stats()).toMatchObject({ active: 1, agents: 1 });
      w.engine.leave('a1');
      expect(w.framesTo('b1', 'call.ended')).toEqual([]);
      expect(w.engine.hangup('b1', id)).toBeNull();
      expect(w.last('a7', 'call.ended').reason).toBe('hangup_booth');
      // Free again: the waiting call rings it.
      expect(w.last('a7', 'call.ringing').callId).toBe(waiting);
    });

    it('answers call.ended to a resume that is not this account’s, over, unknown or of another organisation, and leaves the call as it was', () => {
      const id = inCall();
      booth(w, 'b2');
      agent(w, 'c5', 'CPAM', 5);
      agent(w, 'a2', 'CAF', 2);
      const tries: Array<[string, string, string]> = [
        ['b2', id, 'CAF'], // another booth
        ['c5', id, 'CAF'], // an agent of another organisation
        ['a2', id, 'CAF'], // another agent of the organisation
        ['b2', 'call-404', 'CAF'],
        ['b2', id, 'CPAM'],
        ['b2', '', 'CAF'],
      ];
      for (const [party, callId, org] of tries) expect(w.engine.resume(party, callId, org)).toBeNull();
      expect(w.framesTo('b2', 'call.ended').map((f) => f.callId)).toEqual([id, 'call-404', id, '']);
      expect(w.framesTo('c5', 'call.ended')).toEqual([{ type: 'call.ended', callId: id, reason: 'peer_lost' }]);
      expect(w.framesTo('a2', 'call.ended')).toHaveLength(1);
      expect(w.framesTo('a1', 'call.resumed')).toEqual([]);
      expect(w.engine.peerOf('a1', id)).toBe('b1');
      expect(w.engine.resume('nobody', id, 'CAF')).toBe('FORBIDDEN');
      // Over: the booth's own call, once hung up, cannot be resumed.
      w.engine.hangup('b1', id);
      booth(w, 'b9', 1);
      w.engine.resume('b9', id, 'CAF');
      expect(w.last('b9', 'call.ended')).toEqual({ type: 'call.ended', callId: id, reason: 'peer_lost' });
      expect(w.records).toHaveLength(1);
    });

    it('does not resume a call still waiting or ringing (the booth asks again instead)', () => {
      agent(w, 'a1');
      booth(w, 'b1');
      w.engine.request('b1', 'CAF');
      const id = w.last('a1', 'call.ringing').callId;
      booth(w, 'b9', 1);
      w.engine.resume('b9', id, 'CAF');
      expect(w.last('b9', 'call.ended').reason).toBe('peer_lost');
      expect(w.engine.accept('a1', id)).toBeNull();
      expect(w.engine.peerOf('a1', id)).toBe('b1');
    });
  });

  it('lets the booth cancel while waiting: abandoned, ringing withdrawn', () => {
    agent(w, 'a1');
    booth(w, 'b1');
    w.engine.request('b1', 'CAF');
    const id = w.last('a1', 'call.ringing').callId;
    w.engine.cancel('b1');
    expect(w.last('a1', 'call.withdrawn')).toMatchObject({ callId: id, reason: 'cancelled' });
    expect(w.last('b1', 'call.ended')).toMatchObject({ callId: id, reason: 'cancelled' });
    expect(w.records[0]).toMatchObject({ outcome: 'abandoned' });
    expect(w.sched.pending).toBe(0);
  });

  it('lets an agent decline; the call keeps ringing the others', () => {
    agent(w, 'a1');
    agent(w, 'a2');
    booth(w, 'b1');
    w.engine.request('b1', 'CAF');
    const id = w.last('a1', 'call.ringing').callId;
    expect(w.engine.decline('a1', id)).toBeNull();
    expect(w.engine.accept('a1', id)).toBe('UNKNOWN_CALL');
    expect(w.engine.accept('a2', id)).toBeNull();
  });

  describe('disconnects', () => {
    it('booth lost while queued: abandoned, position of the others updated', () => {
      agent(w, 'a1');
      booth(w, 'b1');
      booth(w, 'b2');
      w.engine.request('b1', 'CAF');
      w.engine.request('b2', 'CAF');
      const id = w.last('a1', 'call.ringing').callId;
      w.engine.leave('b1');
      expect(w.last('a1', 'call.withdrawn')).toMatchObject({ callId: id, reason: 'cancelled' });
      expect(w.records[0]).toMatchObject({ id, outcome: 'abandoned', reason: 'peer_lost' });
      expect(w.last('b2', 'queue.position')).toMatchObject({ position: 1 });
      expect(w.last('a1', 'call.ringing').callId).toBe(w.last('b2', 'queue.position').callId);
    });

    it('booth lost in a call: the agent is told peer_lost and becomes free', () => {
      agent(w, 'a1');
      booth(w, 'b1');
      booth(w, 'b2');
      w.engine.request('b1', 'CAF');
      const id = w.last('a1', 'call.ringing').callId;
      w.engine.accept('a1', id);
      w.engine.request('b2', 'CAF');
      w.engine.leave('b1');
      expect(w.last('a1', 'call.ended')).toEqual({ type: 'call.ended', callId: id, reason: 'peer_lost' });
      expect(w.records[0]).toMatchObject({ outcome: 'answered', reason: 'peer_lost' });
      expect(w.last('a1', 'call.ringing').callId).not.toBe(id);
    });

    it('agent lost in a call: the booth is told peer_lost', () => {
      agent(w, 'a1');
      booth(w, 'b1');
      w.engine.request('b1', 'CAF');
      const id = w.last('a1', 'call.ringing').callId;
      w.engine.accept('a1', id);
      w.engine.leave('a1');
      expect(w.last('b1', 'call.ended')).toEqual({ type: 'call.ended', callId: id, reason: 'peer_lost' });
      expect(w.engine.stats()).toMatchObject({ active: 0, agents: 0 });
    });

    it('last agent lost while ringing: the booth is told no agent at once', () => {
      agent(w, 'a1');
      booth(w, 'b1');
      w.engine.request('b1', 'CAF');
      w.engine.leave('a1');
      expect(w.last('b1', 'call.unavailable')).toMatchObject({ reason: 'no_agent' });
      expect(w.sched.pending).toBe(0);
    });

    it('ringing agent lost while another is busy: the call waits again without a ring timeout', () => {
      agent(w, 'a1');
      agent(w, 'a2');
      booth(w, 'b1');
      booth(w, 'b2');
      w.engine.request('b1', 'CAF');
      w.engine.accept('a1', w.last('a1', 'call.ringing').callId);
      w.engine.request('b2', 'CAF');
      const id2 = w.last('a2', 'call.ringing').callId;
      w.engine.leave('a2');
      w.sched.advance(120_000);
      expect(w.framesTo('b2', 'call.unavailable')).toHaveLength(0);
      expect(w.engine.stats()).toMatchObject({ queued: 1, ringing: 0, active: 1 });
      w.engine.hangup('a1', w.last('a1', 'call.accepted').callId);
      expect(w.last('a1', 'call.ringing').callId).toBe(id2);
    });

    it('agent going away while ringing stops the ring for them', () => {
      agent(w, 'a1');
      agent(w, 'a2');
      booth(w, 'b1');
      w.engine.request('b1', 'CAF');
      const id = w.last('a1', 'call.ringing').callId;
      w.engine.setAgentStatus('a1', 'away');
      expect(w.last('a1', 'call.withdrawn')).toMatchObject({ callId: id });
      expect(w.engine.accept('a1', id)).toBe('UNKNOWN_CALL');
      expect(w.engine.accept('a2', id)).toBeNull();
    });

    it('an agent coming online rings the waiting head of the queue', () => {
      agent(w, 'a1');
      booth(w, 'b1');
      booth(w, 'b2');
      w.engine.request('b1', 'CAF');
      w.engine.accept('a1', w.last('a1', 'call.ringing').callId);
      w.engine.request('b2', 'CAF');
      agent(w, 'a2');
      expect(w.last('a2', 'call.ringing').callId).toBe(w.last('b2', 'queue.position').callId);
    });

    it('hub shutdown tells every participant hub_restart', () => {
      agent(w, 'a1');
      booth(w, 'b1');
      booth(w, 'b2');
      w.engine.request('b1', 'CAF');
      const id = w.last('a1', 'call.ringing').callId;
      w.engine.accept('a1', id);
      w.engine.request('b2', 'CAF');
      w.engine.shutdown();
      expect(w.last('b1', 'call.ended').reason).toBe('hub_restart');
      expect(w.last('a1', 'call.ended').reason).toBe('hub_restart');
      expect(w.last('b2', 'call.ended').reason).toBe('hub_restart');
      expect(w.records.map((r) => r.outcome).sort()).toEqual(['answered', 'failed']);
    });
  });

  it('reports presence: reachable when open with an available agent', () => {
    agent(w, 'a1');
    const p = w.engine.presence(w.sched.now);
    expect(p.find((o) => o.code === 'CAF')).toMatchObject({ agentsAvailable: 1, reachable: true });
    expect(p.find((o) => o.code === 'CPAM')).toMatchObject({ agentsAvailable: 0, reachable: false });
  });
});

describe('calls for appointments', () => {
  let w: World;
  beforeEach(() => {
    w = world();
  });

  it('rings the holding agent alone, then everyone once they decline, and reports the answer once', () => {
    agent(w, 'a1');
    agent(w, 'a2');
    booth(w, 'b1');
    expect(w.engine.request('b1', 'CAF', { id: 'rdv-1', agentId: 2 })).toBeNull();
    const ring = w.last('a2', 'call.ringing');
    expect(ring.appointmentId).toBe('rdv-1');
    expect(w.framesTo('a1', 'call.ringing')).toHaveLength(0);
    expect(w.engine.decline('a2', ring.callId)).toBeNull();
    expect(w.last('a1', 'call.ringing').callId).toBe(ring.callId);
    expect(w.engine.accept('a1', ring.callId)).toBeNull();
    expect(w.answered).toEqual(['rdv-1']);
  });

  it('rings the other free agents when the holder does not answer within the ring time', () => {
    agent(w, 'a1');
    agent(w, 'a2');
    booth(w, 'b1');
    w.engine.request('b1', 'CAF', { id: 'rdv-1', agentId: 2 });
    const ring = w.last('a2', 'call.ringing');
    expect(w.framesTo('a1', 'call.ringing')).toHaveLength(0);
    w.sched.advance(60_000);
    expect(w.last('a2', 'call.withdrawn')).toMatchObject({ callId: ring.callId, reason: 'timeout' });
    expect(w.last('a1', 'call.ringing').callId).toBe(ring.callId);
    expect(w.framesTo('b1', 'call.unavailable')).toHaveLength(0);
    w.sched.advance(60_000);
    expect(w.last('b1', 'call.unavailable').reason).toBe('no_agent');
  });

  it('rings every free agent when the holder is away, and holds outside opening hours', () => {
    w.orgs.set('CAF', { code: 'CAF', name: 'CAF', openNow: false, nextOpening: null, closesAt: null });
    agent(w, 'a1');
    booth(w, 'b1');
    expect(w.engine.request('b1', 'CAF', { id: 'rdv-1', agentId: 9 })).toBeNull();
    expect(w.last('a1', 'call.ringing').appointmentId).toBe('rdv-1');
    booth(w, 'b2');
    w.engine.request('b2', 'CAF');
    expect(w.last('b2', 'call.unavailable').reason).toBe('closed');
  });

  it('puts an appointment ahead of the walk-ins waiting, behind the walk-in already ringing', () => {
    agent(w, 'a1');
    booth(w, 'b1');
    booth(w, 'b2');
    booth(w, 'b3');
    w.engine.request('b1', 'CAF');
    const first = w.last('a1', 'call.ringing');
    w.engine.request('b2', 'CAF');
    w.engine.request('b3', 'CAF', { id: 'rdv-3', agentId: null });
    expect(w.last('b3', 'queue.position').position).toBe(2);
    expect(w.last('b2', 'queue.position').position).toBe(3);
    expect(w.engine.accept('a1', first.callId)).toBeNull();
    expect(w.answered).toEqual([]);
    expect(w.engine.hangup('a1', first.callId)).toBeNull();
    const next = w.last('a1', 'call.ringing');
    expect(next.appointmentId).toBe('rdv-3');
    w.engine.accept('a1', next.callId);
    expect(w.answered).toEqual(['rdv-3']);
  });
});

describe('the parties an engine knows', () => {
  it('knows exactly the parties it lists, through a random run of joins, calls, answers, hang-ups and departures', () => {
    const w = world(5_000);
    let seed = 0x2b1d;
    const rand = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const candidates = [...Array.from({ length: 6 }, (_, i) => `a${i + 1}`), ...Array.from({ length: 8 }, (_, i) => `b${i + 1}`), 'nobody', ''];
    let checks = 0;
    for (let step = 0; step < 2_000; step++) {
      const a = `a${rand(6) + 1}`;
      const b = `b${rand(8) + 1}`;
      const callId = `call-${rand(40) + 1}`;
      switch (rand(9)) {
        case 0: agent(w, a, rand(2) ? 'CAF' : 'CPAM'); break;
        case 1: booth(w, b); break;
        case 2: w.engine.request(b, rand(2) ? 'CAF' : 'CPAM'); break;
        case 3: w.engine.accept(a, callId); break;
        case 4: w.engine.decline(a, callId); break;
        case 5: w.engine.hangup(rand(2) ? a : b, callId); break;
        case 6: w.engine.leave(rand(2) ? a : b); break;
        case 7: w.engine.cancel(b); break;
        default: w.sched.advance(rand(6_000)); break;
      }
      const listed = new Set(w.engine.parties());
      for (const p of candidates) {
        expect(w.engine.knows(p)).toBe(listed.has(p));
        checks++;
      }
    }
    // The run went through calls (a random run that never rang anyone would prove little).
    expect(w.records.length).toBeGreaterThan(20);
    expect(checks).toBe(2_000 * candidates.length);
  });
});
