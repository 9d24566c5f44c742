// One organisation's calls on a hub across machines: the node holding its lease runs the call engine of server/calls.ts
// for it, applies its log of operations in order, and commits state, log position and frames together (bus.ts).
// Why one owner per organisation: queue order, positions and waits need one place that decides them; an organisation
// is the natural unit (its agents only answer its calls). The nodes spread the organisations between them (node.ts): a
// node takes a free lease at once only while it owns no more than the least loaded node, and hands one over when it
// owns two more (a clean handover: state committed, lease released, taken by another node at its next check).
import type { Logger } from 'pino';
import { HUB_ERROR_MESSAGES, type HubFrame } from '../../shared/protocol.js';
import { createCallEngine, type CallEngine, type CallEngineDeps, type EngineError, type EngineSnapshot, type EngineState, type PartyId } from '../calls.js';
import { splitParty, type ClusterBus, type Committed, type OrgOp, type Outgoing } from './bus.js';
import { committedState, snapshotOf } from './orgState.js';

export interface OwnerTiming {
  /** How long a lease lasts without renewal: a dead owner is replaced after at most this. */
  leaseMs: number;
  /** A node not seen for this long is dead: the calls of its sockets end. */
  deadAfterMs: number;
  /** A free lease with no state saved (first start, or Redis restarted empty) waits this long for its last owner. */
  graceMs: number;
  /**
   * A party of a call in progress on a dead node has this long more to sign in again elsewhere and resume it (the media,
   * peer to peer, goes on meanwhile) before the call ends for the other side.
   */
  resumeGraceMs: number;
  /** How long a read of the log waits for operations. */
  blockMs: number;
}

export interface OwnerDeps {
  bus: ClusterBus;
  org: string;
  clock: () => number;
  timing: OwnerTiming;
  /**
   * The engine's dependencies but for `send` (the owner's) and `organisations` (this one). `onAppointmentAnswered` may
   * run again for the same answer (an owner taking over applies the log from its last commit): the store honours once.
   */
  engine: Omit<CallEngineDeps, 'send' | 'onPresenceChanged'>;
  log: Logger;
}

export interface OrgOwner {
  readonly org: string;
  owning(): boolean;
  /**
   * Takes the lease if free, ends the calls of dead nodes' sockets, publishes the available agents when they changed.
   * `holder`: the lease's holder as the node's check just read it; `lease`: what that check did to the lease this node
   * held (renewed, taken back, lost), or undefined if it held none then. Not `eager`: a free lease is taken only once it
   * has been free for a lease's length (the least loaded nodes take it first).
   */
  tick(live: Set<string>, holder: string | null, eager?: boolean, lease?: 'taken' | 'renewed' | null): Promise<void>;
  /** Commits and gives the lease up, to be taken by another node (spreading organisations); stays ready to take it again. */
  handOver(): Promise<void>;
  stats(): ReturnType<CallEngine['stats']> | null;
  /** Stops; `release`: commits and gives the lease up for another node to take at once (a node stopping cleanly). */
  close(release: boolean): Promise<void>;
}

type Engine = CallEngine & EngineState;

export function createOrgOwner({ bus, org, clock, timing, engine: engineDeps, log }: OwnerDeps): OrgOwner {
  let engine: Engine | null = null;
  let lastOpId = '0';
  /** What this owner last committed (or loaded), field by field, and its revision; `whole`: write it all next time. */
  const saved = committedState();
  let rev = 0;
  let whole = true;
  let generation = 0;
  let outbox: Outgoing[] = [];
  let freeSince: number | null = null;
  /** Since when the lease has been seen free by this node while it was not eager to take it. */
  let freeSeenSince: number | null = null;
  let published = -1;
  let resyncs = 0;
  let closed = false;
  const missingSince = new Map<string, number>();

  const send = (party: PartyId, frame: HubFrame): void => {
    const { node, conn } = splitParty(party);
    // Where the signals of a call go, for the node of each side: given with the accept, and again when a side resumes.
    const peer = (frame.type === 'call.accepted' || frame.type === 'call.resumed') && engine ? engine.peerOf(party, frame.callId) : null;
    outbox.push({ node, msg: peer ? { k: 'frame', to: conn, frame, peer } : { k: 'frame', to: conn, frame } });
  };
  const refuse = (party: PartyId, code: EngineError | null): void => {
    if (code) send(party, { type: 'error', code, message: HUB_ERROR_MESSAGES[code].fr });
  };

  function makeEngine(gen: number, from?: EngineSnapshot): Engine {
    return createCallEngine(
      {
        ...engineDeps,
        organisations: (now) => engineDeps.organisations(now).filter((o) => o.code === org),
        scheduler: {
          // A ring timeout changes the state: what it sent is committed like an operation's.
          setTimeout: (fn, ms) =>
            engineDeps.scheduler.setTimeout(() => {
              // The timer of an engine no longer owned here does nothing (another node decides now).
              if (gen !== generation) return;
              fn();
              void commit();
            }, ms),
          clearTimeout: (h) => engineDeps.scheduler.clearTimeout(h),
        },
        send,
      },
      from,
    );
  }

  function apply(e: Engine, op: OrgOp): void {
    switch (op.t) {
      case 'agent':
        // Told again after a resync: an agent already known keeps its state (and its call).
        if (e.knows(op.party)) return;
        return e.joinAgent(op.party, op.agent);
      case 'status':
        return e.setAgentStatus(op.party, op.status);
      case 'leave':
        return e.leave(op.party, op.reason);
      case 'request':
        e.knowBooth(op.party, op.booth);
        return refuse(op.party, e.request(op.party, org, op.appointment));
      case 'cancel':
        return refuse(op.party, e.cancel(op.party));
      case 'accept':
        return refuse(op.party, e.accept(op.party, op.callId));
      case 'decline':
        return refuse(op.party, e.decline(op.party, op.callId));
      case 'hangup':
        return refuse(op.party, e.hangup(op.party, op.callId));
      case 'resume':
        if (op.booth) e.knowBooth(op.party, op.booth);
        return refuse(op.party, e.resume(op.party, op.callId, op.organisation));
    }
  }

  /**
   * Commits what changed since the last commit, with the frames produced meanwhile. Commits go out in order on one
   * connection, so each delta builds on the one before it even while that one is in flight; one that finds another
   * revision stored (Redis restarted empty, or the reply to a commit lost) is sent again whole, with the same frames.
   */
  async function commit(): Promise<void> {
    const e = engine;
    if (!e) return;
    const out = outbox;
    outbox = [];
    let result: Awaited<ReturnType<ClusterBus['commit']>> = 'stale';
    try {
      for (let attempt = 0; result === 'stale' && attempt < 2; attempt++) {
        const asWhole = whole || attempt > 0;
        whole = false;
        const committed: Committed = { delta: saved.delta(e.snapshot(), asWhole), whole: asWhole, base: rev, rev: ++rev, lastOpId };
        result = await bus.commit(org, committed, out, timing.leaseMs);
      }
    } catch (err) {
      // Redis unreachable: the frames go with the next commit, the state whole (nothing of it is lost, it is in memory).
      whole = true;
      outbox = [...out, ...outbox];
      log.warn({ code: 'HUB_CLUSTER_COMMIT_FAILED', org, err: (err as Error).message }, 'commit failed, retried');
      return;
    }
    // A whole commit is never stale: what is not committed here is the lease lost.
    const ok = result === 'committed';
    if (!ok && engine === e) return stop('lease_lost');
    // What booths see changes with an agent's status: told at once, not at the next tick.
    const available = e.presence(clock())[0]?.agentsAvailable ?? 0;
    if (ok && available !== published) {
      published = available;
      await bus.setAvailable(org, available).catch(() => undefined);
    }
  }

  function stop(why: string): void {
    if (!engine) return;
    log.warn({ code: 'HUB_CLUSTER_OWNER_STOPPED', org, why }, 'organisation no longer owned here');
    engine = null;
    outbox = [];
    generation++;
  }

  async function readLoop(gen: number): Promise<void> {
    while (!closed && gen === generation && engine) {
      let entries;
      try {
        entries = await bus.readOps(org, lastOpId, timing.blockMs);
      } catch (err) {
        if (closed || gen !== generation) return;
        log.warn({ code: 'HUB_CLUSTER_READ_FAILED', org, err: (err as Error).message }, 'reading operations failed');
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      const e = engine;
      if (closed || gen !== generation || !e) return;
      for (const entry of entries) {
        try {
          apply(e, entry.op);
        } catch (err) {
          log.error({ code: 'HUB_CLUSTER_OP_FAILED', org, op: entry.op.t, err: (err as Error).message }, 'operation failed');
        }
        lastOpId = entry.id;
      }
      if (entries.length > 0) await commit();
    }
  }

  async function take(): Promise<void> {
    const stored = await bus.load(org);
    const now = clock();
    // No state saved: the first start, or Redis restarted empty — its owner, alive, takes the lease again first.
    if (!stored) {
      freeSince ??= now;
      if (now - freeSince < timing.graceMs) return;
    }
    if ((await bus.lease(org, timing.leaseMs)) === null) return;
    freeSince = null;
    let from: EngineSnapshot | undefined;
    if (stored) {
      const read = snapshotOf(stored.fields);
      if (read.unreadable.length > 0) log.error({ code: 'HUB_CLUSTER_BAD_STATE', org, fields: read.unreadable.length }, 'unreadable entries of the state left out');
      from = read.snapshot;
      saved.reset(read.kept);
      rev = stored.rev;
      // What could not be read, or a state of an older node, is written again whole.
      whole = read.unreadable.length > 0 || stored.rev < 0;
      lastOpId = stored.lastOpId;
    } else {
      saved.forget();
      whole = true;
      lastOpId = '0';
    }
    const gen = ++generation;
    engine = makeEngine(gen, from);
    log.info({ code: 'HUB_CLUSTER_OWNER', org, node: bus.nodeId, takenOver: from !== undefined }, 'organisation owned here');
    await commit();
    // Nothing was saved: the nodes tell this owner their agents again, asked at three ticks in a row since a node just
    // reconnected to Redis may miss the first.
    if (!stored) resyncs = 3;
    void readLoop(gen);
  }

  /**
   * The read loop stops applying first, then what it applied is committed (after any commit it has in flight: one Redis
   * connection keeps their order) and only then the lease is released: no commit of this node can take it back.
   */
  async function handOver(): Promise<void> {
    if (!engine) return;
    generation++;
    await commit();
    if (!engine) return;
    engine = null;
    outbox = [];
    await bus.release(org);
    log.info({ code: 'HUB_CLUSTER_HANDED_OVER', org }, 'organisation handed over');
  }

  /** Ends the calls of the sockets of nodes gone for `deadAfterMs` (`resumeGraceMs` more for a call in progress). */
  function dropDead(e: Engine, live: Set<string>): boolean {
    const now = clock();
    let dropped = false;
    for (const party of e.parties()) {
      const { node } = splitParty(party);
      if (live.has(node) || node === bus.nodeId) {
        missingSince.delete(node);
        continue;
      }
      const since = missingSince.get(node) ?? now;
      missingSince.set(node, since);
      if (now - since < timing.deadAfterMs + (e.inActiveCall(party) ? timing.resumeGraceMs : 0)) continue;
      e.leave(party, 'peer_lost');
      dropped = true;
      void bus.forgetNode(node).catch(() => undefined);
    }
    return dropped;
  }

  return {
    org,
    owning: () => engine !== null,
    async tick(live, holder, eager = true, lease) {
      if (closed) return;
      if (!engine) {
        if (holder !== null) {
          freeSince = null;
          freeSeenSince = null;
          return;
        }
        if (!eager) {
          freeSeenSince ??= clock();
          if (clock() - freeSeenSince < timing.leaseMs) return;
        }
        freeSeenSince = null;
        return take();
      }
      // Renewed by the node's check; an engine taken since then (none: take() is in tick) renews it here.
      const renewed = lease !== undefined ? lease : await bus.lease(org, timing.leaseMs);
      if (renewed === null) return stop('lease_lost');
      const e = engine;
      // Taken again rather than renewed: Redis restarted empty, so the state is saved anew.
      if (dropDead(e, live) || renewed === 'taken') await commit();
      if (resyncs > 0) {
        resyncs--;
        await bus.requestResync(org);
      }
      const available = e.presence(clock())[0]?.agentsAvailable ?? 0;
      // Published when it changes (opening hours too), and again when Redis restarted empty. A node that missed a
      // publication reads it at its next check (CheckResult.available).
      if (available !== published || renewed === 'taken') {
        published = available;
        await bus.setAvailable(org, published);
      }
    },
    stats: () => engine?.stats() ?? null,
    handOver,
    async close(release) {
      if (closed) return;
      if (release) await handOver();
      closed = true;
      stop('closed');
    },
  };
}
