// What the nodes of a hub across machines share at run time, as one interface with two implementations: Redis streams
// and keys (redisBus.ts) between machines, and the in-process one (memoryBus.ts) that the engine's tests also run on.
//
// - each node has an inbox (a stream): frames for its sockets, and signals relayed from a peer on another node;
// - each organisation has a log of operations (a stream): what its booths and agents asked, in the order they asked;
// - one node owns each organisation (a lease renewed while it lives): it alone applies that log to the organisation's
//   call engine, and commits what changed of the engine's state (orgState.ts), the log position reached and the frames
//   it produced in one step (a script while it still holds the lease, and only onto the revision it built on). A node
//   taking over loads that state and applies the log from there: an operation is never applied twice nor lost, and a
//   frame is sent once;
// - each node says it lives (a key that expires); the owner of an organisation ends the calls of a dead node's sockets;
// - the owners publish how many agents each organisation has available (what booths see in `presence`);
// - an owner that starts with no state saved (Redis restarted empty) asks the nodes to tell it their sockets again;
// - a node tells the others what it changed in an appointment (notices), for the booth's and agents' sockets they hold.
import type { AgentStatus, EndReason, HubFrame } from '../../shared/protocol.js';
import type { AgentParty, AppointmentCall, BoothParty } from '../calls.js';
import type { StateDelta } from './orgState.js';

/** Delivered to a node for one of its sockets (`to`: the socket's id on that node). */
export type NodeMessage =
  /** A frame from an organisation's engine; `peer` is the other side of a call just accepted (where its signals go). */
  | { k: 'frame'; to: string; frame: HubFrame; peer?: string }
  /** A signal relayed as received, bytes unchanged. */
  | { k: 'raw'; to: string; raw: string };

/** An operation on an organisation's calls: `party` is a socket across the hub (`node~socket`). */
export type OrgOp =
  | { t: 'agent'; party: string; agent: AgentParty }
  | { t: 'status'; party: string; status: AgentStatus }
  | { t: 'leave'; party: string; reason?: EndReason }
  | { t: 'request'; party: string; booth: BoothParty; appointment?: AppointmentCall }
  | { t: 'cancel'; party: string }
  | { t: 'accept'; party: string; callId: string }
  | { t: 'decline'; party: string; callId: string }
  | { t: 'hangup'; party: string; callId: string }
  /** A booth or agent signed in again mid-call (its node died): the call goes on with this party. */
  | { t: 'resume'; party: string; callId: string; organisation: string; booth?: BoothParty };

/** What a node's inbox holds: an owner's message, or a batch another node sent it (batches.ts, links.ts). */
export type InboxItem = NodeMessage | { k: 'batch'; text: string };

/** A booth's or an agent's sign-in on a node: one socket per account across the hub, as on one node. */
export interface Claim {
  role: 'booth' | 'agent';
  id: number;
  at: number;
}

/**
 * A frame for every socket of a booth, or for an organisation's agents (one agent, or all of them with null), on
 * whichever nodes they are: what a node changed in an appointment, told to both sides (server/appointments/frames.ts).
 */
export type Notice = { to: 'booth'; boothId: number; frame: HubFrame } | { to: 'agents'; organisation: string; agentId: number | null; frame: HubFrame };

/** A notice as a bus carries it, or null when it is not one (a notice is read from Redis: it is checked, never trusted). */
export function readNotice(text: string): (Notice & { node: string }) | null {
  let n: unknown;
  try {
    n = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof n !== 'object' || n === null) return null;
  const o = n as Record<string, unknown>;
  const frame = o.frame as { type?: unknown } | null | undefined;
  if (typeof o.node !== 'string' || typeof frame !== 'object' || frame === null || typeof frame.type !== 'string') return null;
  const id = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
  if (o.to === 'booth' && id(o.boothId)) return { to: 'booth', boothId: o.boothId, frame: frame as HubFrame, node: o.node };
  if (o.to === 'agents' && typeof o.organisation === 'string' && (o.agentId === null || id(o.agentId))) {
    return { to: 'agents', organisation: o.organisation, agentId: o.agentId, frame: frame as HubFrame, node: o.node };
  }
  return null;
}

export interface Outgoing {
  node: string;
  msg: NodeMessage;
}

export interface OpEntry {
  id: string;
  op: OrgOp;
}

export interface Committed {
  /** The state's fields set and removed since revision `base`; `whole`: every field, the stored state replaced. */
  delta: StateDelta;
  whole: boolean;
  /** The revision the delta builds on (ignored when `whole`), and the one it makes. */
  base: number;
  rev: number;
  /** The position in the organisation's log up to which the state has applied it ('0': none). */
  lastOpId: string;
}

/** An organisation's state as last committed: its fields (orgState.ts), revision and log position. */
export interface SavedState {
  fields: Map<string, string>;
  /** -1: unknown (a state written as one JSON text by an older node, or a damaged revision): the next commit is whole. */
  rev: number;
  lastOpId: string;
}

export interface CheckResult {
  /** The nodes alive now (whose last beat has not expired). */
  live: Set<string>;
  /** The node holding each organisation's lease, null if none does. */
  holders: Map<string, string | null>;
  /** Each lease this node held: 'renewed', 'taken' (it was free: Redis restarted empty), null (another node has it). */
  leases: Map<string, 'taken' | 'renewed' | null>;
  /** Each organisation's available agents as last published (what a node missed of `onAvailable` is made up here). */
  available: Map<string, number>;
  /**
   * True once after another node took this one for dead and forgot it (`forgetNode`): it was frozen or cut from Redis
   * for longer than `deadAfterMs`, so the calls of its sockets were ended elsewhere and what was sent to them dropped.
   */
  forgotten: boolean;
}

export interface ClusterBus {
  readonly nodeId: string;
  /**
   * A node's periodic check, in one round trip: this node lives for `ttlMs` more, other nodes reaching its direct link
   * (links.ts) at `linkAddress`; the leases of `held` are renewed for as long (taken back if found free). Returns the
   * live nodes, the holder of each organisation of `orgs`, and the available agents as last published.
   */
  check(ttlMs: number, linkAddress: string | undefined, orgs: readonly string[], held: ReadonlySet<string>): Promise<CheckResult>;
  /** Where a live node's direct link listens (`host:port`); null if it is dead or has none. */
  addressOf(node: string): Promise<string | null>;
  /** The secret the nodes of this cluster prove they know when they link (drawn by the first node to ask). */
  linkSecret(): Promise<string>;
  /** Forgets a dead node (its inbox), and marks it so, for its next check if it was only frozen. */
  forgetNode(node: string): Promise<void>;
  /** Sends a batch to a node's inbox; batches to one node arrive in the order sent. */
  sendBatch(node: string, text: string): void;
  /** This node's next messages and batches, waiting up to `blockMs` for some. */
  readInbox(blockMs: number): Promise<InboxItem[]>;
  /** Appends to an organisation's log; resolves once it is there. */
  submit(org: string, op: OrgOp): Promise<void>;
  /** An organisation's operations after `afterId`, waiting up to `blockMs`. Only its owner reads them. */
  readOps(org: string, afterId: string, blockMs: number): Promise<OpEntry[]>;
  /** Takes the organisation's lease if free ('taken'), or renews it if this node holds it ('renewed'); null: another holds it. */
  lease(org: string, ttlMs: number): Promise<'taken' | 'renewed' | null>;
  /** Gives the lease up if this node holds it. */
  release(org: string): Promise<void>;
  /**
   * Saves the state and sends the frames at once, only while no other node holds the lease ('lease_lost' if one does)
   * and, for a delta, only onto the revision it built on ('stale', nothing done: the owner commits again whole). A
   * lease found free is taken back for `leaseMs` (Redis restarted empty: this owner's state is the newest).
   */
  commit(org: string, committed: Committed, out: Outgoing[], leaseMs: number): Promise<'committed' | 'lease_lost' | 'stale'>;
  load(org: string): Promise<SavedState | null>;
  /** Publishes an organisation's available agents. */
  setAvailable(org: string, agents: number): Promise<void>;
  /** Every organisation's available agents as last published. */
  available(): Promise<Map<string, number>>;
  /** Called when an owner publishes a change. */
  onAvailable(listener: (org: string, agents: number) => void): void;
  /** Asks every node to tell an organisation's new owner its sockets again (it started with no state saved). */
  requestResync(org: string): Promise<void>;
  onResync(listener: (org: string) => void): void;
  /** Says that a booth or agent just signed in on this node (`at`: when): another node holding an older socket of it drops it. */
  announceClaim(claim: Claim): Promise<void>;
  onClaim(listener: (claim: Claim & { node: string }) => void): void;
  /** Tells every node (this one too) a frame for a booth's or agents' sockets; best effort, as presence is. */
  announceNotice(notice: Notice): Promise<void>;
  onNotice(listener: (notice: Notice & { node: string }) => void): void;
  /** Closes this node's connections (a node stopping; what it owns is released first by the node). */
  close(): Promise<void>;
}

/** A socket across the hub: the node's id and the socket's id on it. */
export const partyOf = (node: string, conn: string): string => `${node}~${conn}`;
export function splitParty(party: string): { node: string; conn: string } {
  const i = party.indexOf('~');
  return i < 0 ? { node: '', conn: party } : { node: party.slice(0, i), conn: party.slice(i + 1) };
}

/** A node's id: letters, digits, dot, dash and underscore (it names Redis keys and parties). */
export const NODE_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
