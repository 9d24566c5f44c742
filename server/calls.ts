// The hub's call state machine: queues per organisation, ringing, accept races, hang-ups and disconnects — no sockets.
import type { RingingAppointment } from '../shared/appointments.js';
import type { AgentStatus, EndReason, HubFrame, IceServer, OrganisationPresence, UnavailableReason } from '../shared/protocol.js';

/** A connection's id in the socket layer; the engine only addresses parties by it. */
export type PartyId = string;

export interface Scheduler {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realScheduler: Scheduler = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export type CallOutcome = 'answered' | 'missed' | 'abandoned' | 'failed';

export interface CallRecord {
  id: string;
  organisation: string;
  boothId: number;
  agentId: number | null;
  queuedAt: number;
  answeredAt: number | null;
  endedAt: number;
  outcome: CallOutcome;
  reason: EndReason | UnavailableReason | 'timeout';
}

export interface OrganisationInfo {
  code: string;
  name: string;
  openNow: boolean;
  nextOpening: number | null;
  closesAt: number | null;
}

export interface CallEngineDeps {
  clock: () => number;
  scheduler: Scheduler;
  send: (party: PartyId, frame: HubFrame) => void;
  record: (call: CallRecord) => void;
  /** The hub's organisations with their opening state at `now` (null: unknown code). */
  organisation: (code: string, now: number) => OrganisationInfo | null;
  organisations: (now: number) => OrganisationInfo[];
  ringTimeoutMs: number;
  iceServers: () => IceServer[];
  newCallId: () => string;
  /** Default duration of a call when an organisation has no history, for the estimated wait. */
  defaultCallSeconds?: number;
  /** Called when what booths see in `presence` may have changed. */
  onPresenceChanged?: () => void;
  /** Called when an agent answers a call made for an appointment (the hub marks it honoured). */
  onAppointmentAnswered?: (appointmentId: string) => void;
}

/** A call placed for a booked appointment: rung on its holding agent first, queued ahead of walk-ins. */
export interface AppointmentCall {
  id: string;
  /** The agent who holds the slot, or null (the organisation's queue). */
  agentId: number | null;
  /** What every agent rung sees with the call (start, subject, consented note); never logged. */
  details?: RingingAppointment;
}

export interface BoothParty {
  boothId: number;
  siteName: string;
}
export interface AgentParty {
  agentId: number;
  organisation: string;
  displayName: string;
}

/**
 * What the socket layer needs from call state. The in-process implementation below keeps it in memory;
 * a shared one (Redis, ARCHITECTURE.md) would implement the same operations.
 */
export interface CallEngine {
  joinBooth(party: PartyId, booth: BoothParty): void;
  joinAgent(party: PartyId, agent: AgentParty): void;
  /** A socket closed, missed its heartbeat, or was revoked. */
  leave(party: PartyId, reason?: EndReason): void;
  setAgentStatus(party: PartyId, status: AgentStatus): void;
  request(party: PartyId, organisation: string, appointment?: AppointmentCall): EngineError | null;
  cancel(party: PartyId): EngineError | null;
  accept(party: PartyId, callId: string): EngineError | null;
  decline(party: PartyId, callId: string): EngineError | null;
  hangup(party: PartyId, callId: string): EngineError | null;
  /**
   * A booth or agent signed in again mid-call (on a hub across machines, the node holding its socket died; the media,
   * peer to peer, went on): its active call continues with this party, both sides told `call.resumed`. A call over,
   * unknown, or not this account's is answered `call.ended` (peer_lost). FORBIDDEN: `party` is neither booth nor agent.
   */
  resume(party: PartyId, callId: string, organisation: string): EngineError | null;
  /** The party on the other side of an accepted call, when `party` is in that call. */
  peerOf(party: PartyId, callId: string): PartyId | null;
  /** Whether this booth has a call queued, ringing or active. */
  boothInCall(party: PartyId): boolean;
  presence(now: number): OrganisationPresence[];
  /** Ends everything (hub shutting down): every participant is told `hub_restart`. */
  shutdown(): void;
  stats(): { queued: number; ringing: number; active: number; booths: number; agents: number };
}

/** What booths are told of an organisation: its opening state and how many of its agents are available. */
export function presenceEntry(o: OrganisationInfo, agentsAvailable: number): OrganisationPresence {
  const { code, name, openNow, nextOpening, closesAt } = o;
  return { code, name, openNow, nextOpening, closesAt, agentsAvailable, reachable: openNow && agentsAvailable > 0 };
}

/** What an engine holds, as JSON: what a hub across machines keeps in Redis for another node to take over (server/cluster/). */
export interface EngineSnapshot {
  agents: Array<[PartyId, AgentParty & { status: AgentStatus; call: string | null }]>;
  booths: Array<[PartyId, BoothParty & { call: string | null }]>;
  calls: Array<Omit<Call, 'ringing' | 'declined' | 'timer'> & { ringing: PartyId[]; declined: PartyId[] }>;
  queues: Array<[string, string[]]>;
  durations: Array<[string, number[]]>;
}

/** What a node of a hub across machines needs beyond the socket layer's operations. */
export interface EngineState {
  snapshot(): EngineSnapshot;
  /** Every party the engine knows (booths, agents, and the parties of its calls). */
  parties(): PartyId[];
  /** Whether `party` is one of `parties()`, without listing them (an agent told again, among thousands). */
  knows(party: PartyId): boolean;
  /** Makes a booth known without telling it anything (its own node told it the ICE servers when it signed in). */
  knowBooth(party: PartyId, booth: BoothParty): void;
  /** Whether this party is a side of a call in progress. */
  inActiveCall(party: PartyId): boolean;
}

export type EngineError = 'UNKNOWN_CALL' | 'NOT_IN_CALL' | 'ALREADY_TAKEN' | 'BUSY' | 'ALREADY_QUEUED' | 'UNKNOWN_ORGANISATION' | 'FORBIDDEN';

interface Call {
  id: string;
  organisation: string;
  booth: PartyId;
  boothId: number;
  siteName: string;
  state: 'queued' | 'ringing' | 'active';
  queuedAt: number;
  answeredAt: number | null;
  agent: PartyId | null;
  agentId: number | null;
  ringing: Set<PartyId>;
  declined: Set<PartyId>;
  timer: unknown;
  appointment: AppointmentCall | null;
}

interface AgentState extends AgentParty {
  status: AgentStatus;
  call: string | null;
}
interface BoothState extends BoothParty {
  call: string | null;
}

const RECENT_DURATIONS = 20;

/** `from`: the state taken over from another node (its ringing calls ring on for a full ring timeout). */
export function createCallEngine(deps: CallEngineDeps, from?: EngineSnapshot): CallEngine & EngineState {
  const agents = new Map<PartyId, AgentState>(from?.agents.map(([p, a]) => [p, { ...a }]));
  const booths = new Map<PartyId, BoothState>(from?.booths.map(([p, b]) => [p, { ...b }]));
  const calls = new Map<string, Call>(
    from?.calls.map((c) => [c.id, { ...c, ringing: new Set(c.ringing), declined: new Set(c.declined), timer: null }]),
  );
  /** Waiting calls (queued or ringing) per organisation, oldest first. */
  const queues = new Map<string, string[]>(from?.queues.map(([o, q]) => [o, [...q]]));
  const durations = new Map<string, number[]>(from?.durations.map(([o, d]) => [o, [...d]]));
  const defaultCallSeconds = deps.defaultCallSeconds ?? 600;

  const presenceChanged = (): void => deps.onPresenceChanged?.();
  const queueOf = (org: string): string[] => {
    let q = queues.get(org);
    if (!q) {
      q = [];
      queues.set(org, q);
    }
    return q;
  };

  /** Agents of an organisation who said they are available (free or already in a call). */
  const servingAgents = (org: string): AgentState[] => [...agents.values()].filter((a) => a.organisation === org && a.status === 'available');
  const freeAgents = (org: string): PartyId[] => {
    const out: PartyId[] = [];
    for (const [id, a] of agents) if (a.organisation === org && a.status === 'available' && a.call === null) out.push(id);
    return out;
  };

  const averageSeconds = (org: string): number => {
    const d = durations.get(org);
    if (!d || d.length === 0) return defaultCallSeconds;
    return d.reduce((s, x) => s + x, 0) / d.length;
  };

  function finish(call: Call, outcome: CallOutcome, reason: CallRecord['reason']): void {
    if (call.timer !== null) deps.scheduler.clearTimeout(call.timer);
    call.timer = null;
    calls.delete(call.id);
    const q = queues.get(call.organisation);
    if (q) {
      const i = q.indexOf(call.id);
      if (i >= 0) q.splice(i, 1);
    }
    const booth = booths.get(call.booth);
    if (booth && booth.call === call.id) booth.call = null;
    if (call.agent) {
      const agent = agents.get(call.agent);
      if (agent && agent.call === call.id) agent.call = null;
    }
    const now = deps.clock();
    if (outcome === 'answered' && call.answeredAt !== null) {
      const d = durations.get(call.organisation) ?? [];
      d.push(Math.max(1, (now - call.answeredAt) / 1000));
      if (d.length > RECENT_DURATIONS) d.shift();
      durations.set(call.organisation, d);
    }
    deps.record({
      id: call.id,
      organisation: call.organisation,
      boothId: call.boothId,
      agentId: call.agentId,
      queuedAt: call.queuedAt,
      answeredAt: call.answeredAt,
      endedAt: now,
      outcome,
      reason,
    });
  }

  function withdrawRinging(call: Call, reason: 'taken' | 'cancelled' | 'timeout', except?: PartyId): void {
    for (const a of call.ringing) if (a !== except) deps.send(a, { type: 'call.withdrawn', callId: call.id, reason });
    call.ringing.clear();
  }

  function unavailable(call: Call, reason: UnavailableReason, record: CallRecord['reason']): void {
    const info = deps.organisation(call.organisation, deps.clock());
    withdrawRinging(call, reason === 'no_agent' && record === 'timeout' ? 'timeout' : 'cancelled');
    deps.send(call.booth, {
      type: 'call.unavailable',
      callId: call.id,
      organisation: call.organisation,
      reason,
      nextOpening: info ? (info.openNow ? null : info.nextOpening) : null,
    });
    finish(call, 'missed', record);
  }

  /** Tells every waiting booth of an organisation its position and estimated wait. */
  function announcePositions(org: string): void {
    const q = queues.get(org);
    if (!q) return;
    const serving = Math.max(1, servingAgents(org).length);
    const free = freeAgents(org).length;
    const avg = averageSeconds(org);
    q.forEach((id, index) => {
      const call = calls.get(id);
      if (!call) return;
      const ahead = index + (free > 0 ? 0 : 1);
      deps.send(call.booth, {
        type: 'queue.position',
        callId: id,
        organisation: org,
        position: index + 1,
        estimatedWaitS: Math.round((avg * ahead) / serving),
      });
    });
    for (const [party, a] of agents) if (a.organisation === org) deps.send(party, { type: 'queue.summary', organisation: org, waiting: q.length });
  }

  /** A ringing call ends as missed after the ring timeout (an appointment's holder first gives way to the others). */
  function armRingTimer(call: Call): void {
    const org = call.organisation;
    call.timer = deps.scheduler.setTimeout(() => {
      const c = calls.get(call.id);
      if (!c || c.state !== 'ringing') return;
      c.timer = null;
      if (c.appointment && freeAgents(org).some((a) => !c.ringing.has(a) && !c.declined.has(a))) {
        // The holding agent did not answer in time: the organisation's other free agents are rung.
        for (const a of c.ringing) {
          c.declined.add(a);
          deps.send(a, { type: 'call.withdrawn', callId: c.id, reason: 'timeout' });
        }
        c.ringing.clear();
        c.state = 'queued';
        dispatch(org);
        return;
      }
      unavailable(c, 'no_agent', 'timeout');
      dispatch(org);
      announcePositions(org);
    }, deps.ringTimeoutMs);
  }

  /** Rings the head of an organisation's queue on every free agent who has not declined it. */
  function dispatch(org: string): void {
    const q = queues.get(org);
    const headId = q?.[0];
    if (!headId) return;
    const head = calls.get(headId);
    if (!head) return;
    if (servingAgents(org).length === 0) {
      for (const id of [...(q ?? [])]) {
        const c = calls.get(id);
        if (c) unavailable(c, 'no_agent', 'no_agent');
      }
      return;
    }
    let targets = freeAgents(org).filter((a) => !head.ringing.has(a) && !head.declined.has(a));
    // An appointment rings its holding agent alone while they are free and have not declined; else every free agent.
    const holder = head.appointment?.agentId ?? null;
    if (holder !== null) {
      const holding = targets.filter((a) => agents.get(a)?.agentId === holder);
      if (holding.length > 0) targets = holding;
      else if ([...head.ringing].some((a) => agents.get(a)?.agentId === holder)) return;
    }
    if (targets.length === 0) {
      // Nobody left to ring (agents busy, gone or declined): the call waits again without a ring timeout.
      if (head.state === 'ringing' && head.ringing.size === 0) {
        if (head.timer !== null) deps.scheduler.clearTimeout(head.timer);
        head.timer = null;
        head.state = 'queued';
      }
      return;
    }
    if (head.state === 'queued') {
      head.state = 'ringing';
      armRingTimer(head);
    }
    for (const a of targets) {
      head.ringing.add(a);
      deps.send(a, {
        type: 'call.ringing',
        callId: head.id,
        organisation: org,
        siteName: head.siteName,
        queuedAt: head.queuedAt,
        ringTimeoutMs: deps.ringTimeoutMs,
        ...(head.appointment ? { appointmentId: head.appointment.id } : {}),
        ...(head.appointment?.details ? { appointment: head.appointment.details } : {}),
      });
    }
  }

  function endActive(call: Call, reason: EndReason, notifyBooth: boolean, notifyAgent: boolean): void {
    if (notifyBooth) deps.send(call.booth, { type: 'call.ended', callId: call.id, reason });
    if (notifyAgent && call.agent) deps.send(call.agent, { type: 'call.ended', callId: call.id, reason });
    finish(call, 'answered', reason);
  }

  function afterAgentChange(org: string): void {
    dispatch(org);
    announcePositions(org);
    presenceChanged();
  }

  const engine: CallEngine & EngineState = {
    joinBooth(party, booth) {
      booths.set(party, { ...booth, call: null });
      // The booth prepares its peer connection as soon as its camera is open, before it asks for a call.
      deps.send(party, { type: 'ice.servers', iceServers: deps.iceServers() });
    },
    joinAgent(party, agent) {
      agents.set(party, { ...agent, status: 'away', call: null });
    },
    leave(party, reason = 'peer_lost') {
      const booth = booths.get(party);
      if (booth) {
        booths.delete(party);
        const call = booth.call ? calls.get(booth.call) : undefined;
        if (call) {
          if (call.state === 'active') endActive(call, reason, false, true);
          else {
            withdrawRinging(call, 'cancelled');
            finish(call, 'abandoned', reason);
            announcePositions(call.organisation);
          }
          dispatch(call.organisation);
        }
        return;
      }
      const agent = agents.get(party);
      if (!agent) return;
      agents.delete(party);
      const call = agent.call ? calls.get(agent.call) : undefined;
      if (call && call.state === 'active') endActive(call, reason, true, false);
      for (const c of calls.values()) {
        c.ringing.delete(party);
        c.declined.delete(party);
      }
      afterAgentChange(agent.organisation);
    },
    setAgentStatus(party, status) {
      const agent = agents.get(party);
      if (!agent || agent.status === status) return;
      agent.status = status;
      if (status === 'away') {
        for (const c of calls.values()) {
          if (c.ringing.delete(party)) deps.send(party, { type: 'call.withdrawn', callId: c.id, reason: 'cancelled' });
        }
      }
      afterAgentChange(agent.organisation);
    },
    request(party, organisation, appointment) {
      const booth = booths.get(party);
      if (!booth) return 'FORBIDDEN';
      if (booth.call) return 'ALREADY_QUEUED';
      const now = deps.clock();
      const info = deps.organisation(organisation, now);
      if (!info) return 'UNKNOWN_ORGANISATION';
      const call: Call = {
        id: deps.newCallId(),
        organisation,
        booth: party,
        boothId: booth.boothId,
        siteName: booth.siteName,
        state: 'queued',
        queuedAt: now,
        answeredAt: null,
        agent: null,
        agentId: null,
        ringing: new Set(),
        declined: new Set(),
        timer: null,
        appointment: appointment ?? null,
      };
      calls.set(call.id, call);
      booth.call = call.id;
      // An appointment's slot was published by the organisation: it holds outside the opening hours too.
      if (!info.openNow && !appointment) {
        unavailable(call, 'closed', 'closed');
        return null;
      }
      if (servingAgents(organisation).length === 0) {
        unavailable(call, 'no_agent', 'no_agent');
        return null;
      }
      const q = queueOf(organisation);
      // Appointments wait ahead of walk-ins not yet rung (a walk-in already ringing keeps its turn), in arrival order.
      const isWaitingWalkIn = (id: string): boolean => {
        const c = calls.get(id);
        return c !== undefined && c.state === 'queued' && c.appointment === null;
      };
      const walkIn = appointment ? q.findIndex(isWaitingWalkIn) : -1;
      if (walkIn >= 0) q.splice(walkIn, 0, call.id);
      else q.push(call.id);
      // The booth prepares its peer connection (offer, ICE candidates kept to itself) while it waits: it needs the servers now.
      deps.send(party, { type: 'ice.servers', callId: call.id, iceServers: deps.iceServers() });
      announcePositions(organisation);
      dispatch(organisation);
      return null;
    },
    cancel(party) {
      const booth = booths.get(party);
      if (!booth) return 'FORBIDDEN';
      const call = booth.call ? calls.get(booth.call) : undefined;
      if (!call) return 'UNKNOWN_CALL';
      if (call.state === 'active') {
        endActive(call, 'hangup_booth', true, true);
        dispatch(call.organisation);
        return null;
      }
      withdrawRinging(call, 'cancelled');
      deps.send(party, { type: 'call.ended', callId: call.id, reason: 'cancelled' });
      finish(call, 'abandoned', 'cancelled');
      dispatch(call.organisation);
      announcePositions(call.organisation);
      return null;
    },
    accept(party, callId) {
      const agent = agents.get(party);
      if (!agent) return 'FORBIDDEN';
      const call = calls.get(callId);
      if (!call || call.organisation !== agent.organisation) return 'UNKNOWN_CALL';
      if (call.state === 'active') return 'ALREADY_TAKEN';
      if (!call.ringing.has(party)) return 'UNKNOWN_CALL';
      if (agent.call) return 'BUSY';
      if (call.timer !== null) deps.scheduler.clearTimeout(call.timer);
      call.timer = null;
      call.state = 'active';
      call.agent = party;
      call.agentId = agent.agentId;
      call.answeredAt = deps.clock();
      agent.call = call.id;
      withdrawRinging(call, 'taken', party);
      const q = queueOf(call.organisation);
      q.splice(q.indexOf(call.id), 1);
      // This agent is no longer free: stop ringing them for other waiting calls.
      for (const c of calls.values()) if (c !== call && c.ringing.delete(party)) deps.send(party, { type: 'call.withdrawn', callId: c.id, reason: 'cancelled' });
      const iceServers = deps.iceServers();
      const booth = booths.get(call.booth);
      deps.send(call.booth, { type: 'ice.servers', callId, iceServers });
      deps.send(party, { type: 'ice.servers', callId, iceServers });
      deps.send(call.booth, { type: 'call.accepted', callId, organisation: call.organisation, peerName: agent.displayName, initiator: true, iceServers });
      deps.send(party, { type: 'call.accepted', callId, organisation: call.organisation, peerName: booth?.siteName ?? call.siteName, initiator: false, iceServers });
      if (call.appointment) deps.onAppointmentAnswered?.(call.appointment.id);
      dispatch(call.organisation);
      announcePositions(call.organisation);
      presenceChanged();
      return null;
    },
    decline(party, callId) {
      const agent = agents.get(party);
      if (!agent) return 'FORBIDDEN';
      const call = calls.get(callId);
      if (!call || call.organisation !== agent.organisation || !call.ringing.has(party)) return 'UNKNOWN_CALL';
      call.ringing.delete(party);
      call.declined.add(party);
      deps.send(party, { type: 'call.withdrawn', callId, reason: 'declined' });
      // An appointment rung on its holder alone: once they decline, the organisation's other free agents are rung.
      if (call.appointment && call.ringing.size === 0 && calls.get(queues.get(call.organisation)?.[0] ?? '') === call) dispatch(call.organisation);
      return null;
    },
    hangup(party, callId) {
      const call = calls.get(callId);
      if (!call) return 'UNKNOWN_CALL';
      if (call.booth === party) return engine.cancel(party);
      if (call.agent !== party || call.state !== 'active') return 'NOT_IN_CALL';
      endActive(call, 'hangup_agent', true, true);
      dispatch(call.organisation);
      announcePositions(call.organisation);
      presenceChanged();
      return null;
    },
    resume(party, callId, organisation) {
      const booth = booths.get(party);
      const agent = booth ? undefined : agents.get(party);
      if (!booth && !agent) return 'FORBIDDEN';
      const call = calls.get(callId);
      const mine = call !== undefined && call.state === 'active' && call.organisation === organisation && (booth ? call.boothId === booth.boothId : call.agentId === agent!.agentId);
      if (!mine) {
        deps.send(party, { type: 'call.ended', callId, reason: 'peer_lost' });
        return null;
      }
      if (booth) {
        if (call.booth !== party) booths.delete(call.booth);
        booth.call = call.id;
        call.booth = party;
      } else {
        const old = call.agent !== null && call.agent !== party ? call.agent : null;
        if (old !== null) agents.delete(old);
        agent!.call = call.id;
        call.agent = party;
        for (const c of calls.values()) {
          if (old !== null) {
            c.ringing.delete(old);
            c.declined.delete(old);
          }
          // Said available again before resuming, this socket may have been rung meanwhile: it is busy.
          if (c !== call && c.ringing.delete(party)) deps.send(party, { type: 'call.withdrawn', callId: c.id, reason: 'cancelled' });
        }
        dispatch(call.organisation);
        // The old socket no longer counts among the available agents.
        presenceChanged();
      }
      deps.send(party, { type: 'call.resumed', callId });
      const other = booth ? call.agent : call.booth;
      if (other) deps.send(other, { type: 'call.resumed', callId });
      return null;
    },
    boothInCall(party) {
      return (booths.get(party)?.call ?? null) !== null;
    },
    peerOf(party, callId) {
      const call = calls.get(callId);
      if (!call || call.state !== 'active') return null;
      if (call.booth === party) return call.agent;
      if (call.agent === party) return call.booth;
      return null;
    },
    presence(now) {
      return deps.organisations(now).map((o) => presenceEntry(o, servingAgents(o.code).length));
    },
    shutdown() {
      for (const call of [...calls.values()]) {
        withdrawRinging(call, 'cancelled');
        deps.send(call.booth, { type: 'call.ended', callId: call.id, reason: 'hub_restart' });
        if (call.agent) deps.send(call.agent, { type: 'call.ended', callId: call.id, reason: 'hub_restart' });
        finish(call, call.state === 'active' ? 'answered' : 'failed', 'hub_restart');
      }
    },
    snapshot() {
      return {
        agents: [...agents].map(([p, a]) => [p, { ...a }]),
        booths: [...booths].map(([p, b]) => [p, { ...b }]),
        calls: [...calls.values()].map(({ ringing, declined, timer: _timer, ...c }) => ({ ...c, ringing: [...ringing], declined: [...declined] })),
        queues: [...queues].map(([o, q]) => [o, [...q]]),
        durations: [...durations].map(([o, d]) => [o, [...d]]),
      };
    },
    parties() {
      const out = new Set<PartyId>([...agents.keys(), ...booths.keys()]);
      for (const c of calls.values()) {
        out.add(c.booth);
        if (c.agent) out.add(c.agent);
        for (const a of c.ringing) out.add(a);
      }
      return [...out];
    },
    knows(party) {
      if (agents.has(party) || booths.has(party)) return true;
      for (const c of calls.values()) if (c.booth === party || c.agent === party || c.ringing.has(party)) return true;
      return false;
    },
    knowBooth(party, booth) {
      if (!booths.has(party)) booths.set(party, { ...booth, call: null });
    },
    inActiveCall(party) {
      for (const c of calls.values()) if (c.state === 'active' && (c.booth === party || c.agent === party)) return true;
      return false;
    },
    stats() {
      let queued = 0;
      let ringing = 0;
      let active = 0;
      for (const c of calls.values()) {
        if (c.state === 'queued') queued++;
        else if (c.state === 'ringing') ringing++;
        else active++;
      }
      return { queued, ringing, active, booths: booths.size, agents: agents.size };
    },
  };
  // Taken over from another node: what rang there rings on here for a full ring timeout.
  for (const c of calls.values()) if (c.state === 'ringing') armRingTimer(c);
  return engine;
}
