// A node's side of the calls on a hub across machines: the socket layer sees the CallEngine of server/calls.ts; what
// its sockets ask goes to the log of the organisation concerned (its owner decides, owner.ts), and what owners send
// comes back through this node's inbox. Signals of a call in progress go straight to the peer's node, not via an owner.
import type { Logger } from 'pino';
import type { AgentStatus, HubFrame, IceServer } from '../../shared/protocol.js';
import { presenceEntry, type AgentParty, type BoothParty, type CallEngine, type OrganisationInfo, type PartyId } from '../calls.js';
import { partyOf, splitParty, type ClusterBus, type NodeMessage, type OrgOp } from './bus.js';

export interface GatewayDeps {
  bus: ClusterBus;
  /** Sends a message to a socket of another node (its direct link, links.ts, or the bus). */
  deliver: (node: string, msg: NodeMessage) => void;
  /** The organisations with their opening state (the node's own directory, read from the shared store). */
  organisations: (now: number) => OrganisationInfo[];
  iceServers: () => IceServer[];
  clock: () => number;
  /** Writes a frame to one of this node's sockets, if it is still there. */
  sendLocal: (conn: string, frame: HubFrame) => void;
  /** Writes a relayed signal's bytes to one of this node's sockets: false if it is gone. */
  relayLocal: (conn: string, raw: Buffer) => boolean;
  onPresenceChanged: () => void;
  log: Logger;
}

export interface Gateway extends CallEngine {
  /** A message of this node's inbox. */
  receive(msg: NodeMessage): void;
  /** A signal from this node's socket `from` for a peer on another node (its party id across the hub): false if it cannot be sent. */
  relayElsewhere(from: string, peer: PartyId, raw: Buffer): boolean;
  /** An owner published an organisation's available agents. */
  setAvailable(org: string, agents: number): void;
  /** An organisation's owner started with no state: its agents here join again (those it knows are left as they are). */
  resync(org: string): void;
  /** The organisation of one of this node's agent sockets (null: no agent signed in on it). */
  agentOrganisation(conn: string): string | null;
  /** Operations not yet in their log (a node stopping waits for them). */
  settled(): Promise<void>;
}

/** How long, and how many, signals are kept for a socket whose call is not yet accepted here. */
const EARLY_KEEP_MS = 5_000;
const EARLY_MAX = 64;
/**
 * How long, and how many, the signals a socket sent its peer on another node are kept, to be sent again to the peer's
 * new socket when it resumes: they may have gone to a node that died before reading them (a node is known dead 3 s
 * after its last beat, and a peer comes back within 10 s more). The client drops those it already had (hubClient).
 */
const SENT_KEEP_MS = 20_000;
const SENT_MAX = 64;

interface LocalBooth extends BoothParty {
  /** Its call: id null while asked and not yet answered by the owner. */
  call: { id: string | null; org: string } | null;
  /** The organisations it asked (each is told when it leaves). */
  orgs: Set<string>;
}

export function createGateway(deps: GatewayDeps): Gateway {
  const { bus, log } = deps;
  const me = bus.nodeId;
  const booths = new Map<string, LocalBooth>();
  const agents = new Map<string, AgentParty & { status: AgentStatus }>();
  /** The call each of this node's sockets is in (from its `call.accepted` to its end), and where its signals go. */
  const inCall = new Map<string, { callId: string; peer: PartyId }>();
  /**
   * Signals for a socket not yet told its call was accepted: the peer's node may relay the first signal over the direct
   * link before this node has read the owner's `call.accepted` from its inbox. Kept (a little while) until it has.
   */
  const early = new Map<string, { at: number; raws: string[] }>();
  /** What each of this node's sockets in a call sent to a peer on another node lately (SENT_KEEP_MS, SENT_MAX). */
  const sentLately = new Map<string, { callId: string; sent: Array<{ at: number; raw: string }> }>();
  const available = new Map<string, number>();
  let pending = Promise.resolve();

  const submit = (org: string, op: OrgOp): void => {
    const sent = bus.submit(org, op).catch((e: unknown) => log.error({ code: 'HUB_CLUSTER_SUBMIT_FAILED', org, op: op.t, err: (e as Error).message }, 'operation not sent'));
    pending = pending.then(() => sent);
  };
  const party = (conn: string): PartyId => partyOf(me, conn);

  function track(conn: string, frame: HubFrame, peer: string | undefined): void {
    const booth = booths.get(conn);
    switch (frame.type) {
      case 'ice.servers':
      case 'queue.position':
        if (booth?.call && frame.callId !== undefined) booth.call.id = frame.callId;
        return;
      case 'call.accepted':
      case 'call.resumed': {
        if (booth?.call) booth.call.id = frame.callId;
        const before = inCall.get(conn);
        if (peer) inCall.set(conn, { callId: frame.callId, peer });
        // The other side resumed on a new socket: what was sent to its old one may have died with its node.
        if (frame.type === 'call.resumed' && peer && before?.callId === frame.callId && before.peer !== peer) sendAgain(conn, frame.callId, peer);
        return;
      }
      case 'call.ended':
      case 'call.unavailable':
        if (booth?.call && (booth.call.id === null || booth.call.id === frame.callId)) booth.call = null;
        if (inCall.get(conn)?.callId === frame.callId) inCall.delete(conn);
        if (sentLately.get(conn)?.callId === frame.callId) sentLately.delete(conn);
        return;
      case 'error':
        // The owner refused what the booth asked before any call was made of it, or no longer knows its call (an owner
        // that started with nothing saved): either way the booth has no call and may ask again.
        if (booth?.call && (booth.call.id === null || frame.code === 'UNKNOWN_CALL' || frame.code === 'NOT_IN_CALL')) booth.call = null;
        return;
      default:
        return;
    }
  }

  function toPeer(peer: PartyId, raw: string): void {
    const { node, conn } = splitParty(peer);
    if (node === me) deps.relayLocal(conn, Buffer.from(raw));
    else if (node) deps.deliver(node, { k: 'raw', to: conn, raw });
  }

  function keepSent(from: string, raw: string): void {
    const call = inCall.get(from);
    if (!call) return;
    const now = deps.clock();
    let kept = sentLately.get(from);
    if (!kept || kept.callId !== call.callId) sentLately.set(from, (kept = { callId: call.callId, sent: [] }));
    kept.sent.push({ at: now, raw });
    while (kept.sent.length > SENT_MAX || kept.sent[0]!.at < now - SENT_KEEP_MS) kept.sent.shift();
  }

  function sendAgain(conn: string, callId: string, peer: PartyId): void {
    const kept = sentLately.get(conn);
    if (!kept || kept.callId !== callId) return;
    const since = deps.clock() - SENT_KEEP_MS;
    for (const s of kept.sent) if (s.at >= since) toPeer(peer, s.raw);
  }

  function holdEarly(conn: string, raw: string): void {
    const now = deps.clock();
    // A signal after its call ended, or for a socket gone, is dropped when it has waited long enough.
    if (early.size > 0) for (const [c, e] of early) if (now - e.at > EARLY_KEEP_MS) early.delete(c);
    const held = early.get(conn) ?? { at: now, raws: [] };
    if (held.raws.length >= EARLY_MAX) return;
    held.raws.push(raw);
    early.set(conn, held);
  }

  const gateway: Gateway = {
    agentOrganisation(conn) {
      return agents.get(conn)?.organisation ?? null;
    },
    joinBooth(conn, booth) {
      booths.set(conn, { ...booth, call: null, orgs: new Set() });
      // The booth prepares its peer connection as soon as its camera is open, before it asks for a call.
      deps.sendLocal(conn, { type: 'ice.servers', iceServers: deps.iceServers() });
    },
    joinAgent(conn, agent) {
      agents.set(conn, { ...agent, status: 'away' });
      submit(agent.organisation, { t: 'agent', party: party(conn), agent });
    },
    leave(conn, reason) {
      const booth = booths.get(conn);
      if (booth) {
        booths.delete(conn);
        for (const org of booth.orgs) submit(org, { t: 'leave', party: party(conn), ...(reason ? { reason } : {}) });
      }
      const agent = agents.get(conn);
      if (agent) {
        agents.delete(conn);
        submit(agent.organisation, { t: 'leave', party: party(conn), ...(reason ? { reason } : {}) });
      }
      inCall.delete(conn);
      early.delete(conn);
      sentLately.delete(conn);
    },
    setAgentStatus(conn, status) {
      const agent = agents.get(conn);
      if (!agent) return;
      agent.status = status;
      submit(agent.organisation, { t: 'status', party: party(conn), status });
    },
    request(conn, organisation, appointment) {
      const booth = booths.get(conn);
      if (!booth) return 'FORBIDDEN';
      if (booth.call) return 'ALREADY_QUEUED';
      if (!deps.organisations(deps.clock()).some((o) => o.code === organisation)) return 'UNKNOWN_ORGANISATION';
      booth.call = { id: null, org: organisation };
      booth.orgs.add(organisation);
      submit(organisation, { t: 'request', party: party(conn), booth: { boothId: booth.boothId, siteName: booth.siteName }, ...(appointment ? { appointment } : {}) });
      return null;
    },
    cancel(conn) {
      const booth = booths.get(conn);
      if (!booth) return 'FORBIDDEN';
      if (!booth.call) return 'UNKNOWN_CALL';
      submit(booth.call.org, { t: 'cancel', party: party(conn) });
      return null;
    },
    accept(conn, callId) {
      const agent = agents.get(conn);
      if (!agent) return 'FORBIDDEN';
      submit(agent.organisation, { t: 'accept', party: party(conn), callId });
      return null;
    },
    decline(conn, callId) {
      const agent = agents.get(conn);
      if (!agent) return 'FORBIDDEN';
      submit(agent.organisation, { t: 'decline', party: party(conn), callId });
      return null;
    },
    hangup(conn, callId) {
      const agent = agents.get(conn);
      const org = agent?.organisation ?? booths.get(conn)?.call?.org;
      if (!org) return 'UNKNOWN_CALL';
      submit(org, { t: 'hangup', party: party(conn), callId });
      return null;
    },
    resume(conn, callId, organisation) {
      const booth = booths.get(conn);
      if (booth) {
        if (booth.call) return 'ALREADY_QUEUED';
        if (!deps.organisations(deps.clock()).some((o) => o.code === organisation)) return 'UNKNOWN_ORGANISATION';
        booth.call = { id: callId, org: organisation };
        booth.orgs.add(organisation);
        submit(organisation, { t: 'resume', party: party(conn), callId, organisation, booth: { boothId: booth.boothId, siteName: booth.siteName } });
        return null;
      }
      const agent = agents.get(conn);
      if (!agent) return 'FORBIDDEN';
      // The owner of the agent's own organisation decides (a call of another organisation is not this agent's).
      submit(agent.organisation, { t: 'resume', party: party(conn), callId, organisation });
      return null;
    },
    peerOf(conn, callId) {
      const a = inCall.get(conn);
      if (!a || a.callId !== callId) return null;
      const peer = splitParty(a.peer);
      return peer.node === me ? peer.conn : a.peer;
    },
    boothInCall(conn) {
      return (booths.get(conn)?.call ?? null) !== null;
    },
    presence(now) {
      return deps.organisations(now).map((o) => presenceEntry(o, available.get(o.code) ?? 0));
    },
    shutdown() {
      // The calls are the owners' (another node takes over what this one owned); this node's sockets leave one by one.
    },
    stats() {
      let waiting = 0;
      for (const [conn, b] of booths) if (b.call && !inCall.has(conn)) waiting++;
      const calls = new Set<string>();
      for (const a of inCall.values()) calls.add(a.callId);
      return { queued: waiting, ringing: 0, active: calls.size, booths: booths.size, agents: agents.size };
    },
    receive(msg) {
      if (msg.k === 'raw') {
        if (inCall.has(msg.to)) deps.relayLocal(msg.to, Buffer.from(msg.raw));
        else holdEarly(msg.to, msg.raw);
        return;
      }
      track(msg.to, msg.frame, msg.peer);
      deps.sendLocal(msg.to, msg.frame);
      const held = early.get(msg.to);
      if (held && inCall.has(msg.to)) {
        early.delete(msg.to);
        for (const raw of held.raws) deps.relayLocal(msg.to, Buffer.from(raw));
      }
    },
    relayElsewhere(from, peer, raw) {
      const { node, conn } = splitParty(peer);
      if (!node) return false;
      const text = raw.toString('utf8');
      deps.deliver(node, { k: 'raw', to: conn, raw: text });
      keepSent(from, text);
      return true;
    },
    setAvailable(org, agentsAvailable) {
      if (available.get(org) === agentsAvailable) return;
      available.set(org, agentsAvailable);
      deps.onPresenceChanged();
    },
    resync(org) {
      for (const [conn, a] of agents) {
        if (a.organisation !== org) continue;
        const agent: AgentParty = { agentId: a.agentId, organisation: a.organisation, displayName: a.displayName };
        submit(org, { t: 'agent', party: party(conn), agent });
        if (a.status !== 'away') submit(org, { t: 'status', party: party(conn), status: a.status });
      }
      // Calls of booths here that the new owner does not know end when the booth next acts on them (UNKNOWN_CALL).
    },
    settled: () => pending,
  };
  return gateway;
}
