// One node of a hub across machines: the hub's socket layer (connections, sign-in, frame router, liveness, presence)
// over the shared store (PostgreSQL) and the bus (Redis), with the calls decided by each organisation's owner node.
// What it serves: visio (sign-in, presence, calls, signalling, call records), the coordinator's counts dashboard with
// the booths' weekly aggregates, the fleet (« Bornes »: each booth's health, history and alerts, its enrolment, the
// configuration pushed to it, its updates), and visio appointments (slots, bookings, the call at the time, each agent's
// calendar feed, the coordinator's month counts), all in PostgreSQL.
import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import pino from 'pino';
import { MAX_FRAME_BYTES, PROTOCOL_VERSION, type HubFrame } from '../../shared/protocol.js';
import { DEFAULT_ATTEMPT_LIMITS, hashPassword } from '../auth.js';
import { createBoothTokens } from '../boothTokens.js';
import { realScheduler } from '../calls.js';
import type { Conn } from '../connections/conn.js';
import { createConnectionRegistry } from '../connections/registry.js';
import { acceptHubSockets, listenHub } from '../connections/upgrade.js';
import { createWrites } from '../connections/writes.js';
import { trustedProxies } from '../http/clientAddress.js';
import { createHttpServer } from '../http/server.js';
import { createLiveness } from '../liveness.js';
import { createOrganisationDirectory } from '../organisations.js';
import { createPresence } from '../presence.js';
import { createRevocation } from '../revocation.js';
import { createFrameRouter } from '../router.js';
import type { HubOptions } from '../hubApi.js';
import type { SharedHubStore } from '../sharedStore/types.js';
import { createSignIn } from '../signIn.js';
import { hubStats, newCounters, type HubStats } from '../stats.js';
import { WEEKDAY_HOURS, sha256, type OrganisationRow } from '../store.js';
import { createCoordinatorRoutes } from '../coordinator/index.js';
import { createHubFleet, resetLeftOnline, type FleetOptions } from '../fleet/hubFleet.js';
import type { FleetStore } from '../fleet/store.js';
import { createEnrolRoute, publicOrigin } from '../enrolment/routes.js';
import type { EnrolmentStore } from '../enrolment/store.js';
import { createHubFleetConfig, type FleetConfigStore } from '../fleetConfig/index.js';
import type { ReleaseFiles } from '../updates/files.js';
import { createSharedUpdates, type UpdateStore } from '../updates/index.js';
import type { EvaluationStore } from '../sharedStore/evaluation.js';
import { createAppointmentFrames } from '../appointments/frames.js';
import { createIcalRoute } from '../appointments/ical.js';
import { createAppointmentService, DEFAULT_GRACE_MS } from '../appointments/service.js';
import type { AppointmentStore } from '../appointments/store.js';
import { NODE_ID_PATTERN, type ClusterBus, type Notice } from './bus.js';
import { createGateway } from './gateway.js';
import { startNodeLinks, type LinkStats, type NodeLinks } from './links.js';
import { createOrgOwner, type OrgOwner, type OwnerTiming } from './owner.js';
import { createRecordWriter } from './records.js';

export interface ClusterTiming extends OwnerTiming {
  /** How often a node beats, renews its leases and looks for dead nodes. */
  checkMs: number;
}

/**
 * A dead node's organisations move within about 3 s, and its calls waiting or ringing end then; a call in progress waits
 * 10 s more for its side to sign in again elsewhere and resume. A node checks once a second, with its sockets' liveness
 * sweep (two intervals of a second started together fire in one wake-up), and its reads of Redis streams wait 30 s for
 * an entry: an idle node wakes about twice a second (the check's timer, its answer), not ten times.
 */
export const DEFAULT_CLUSTER_TIMING: ClusterTiming = { checkMs: 1_000, leaseMs: 3_000, deadAfterMs: 3_000, graceMs: 2_000, blockMs: 30_000, resumeGraceMs: 10_000 };

/** The one-machine hub's options that mean the same for a node (server/hubApi.ts), with the node's bus and store. */
export interface HubNodeOptions
  extends Pick<
    HubOptions,
    | 'host'
    | 'port'
    | 'clock'
    | 'scheduler'
    | 'logger'
    | 'ringTimeoutMs'
    | 'heartbeatMs'
    | 'iceServers'
    | 'staticDir'
    | 'rateLimit'
    | 'attemptLimits'
    | 'maxFrameBytes'
    | 'authTimeoutMs'
    | 'sessionTtlMs'
    | 'revocationPollMs'
    | 'maxBufferedBytes'
    | 'trustedProxies'
    | 'publicUrl'
    | 'enrolLimits'
  > {
  /** The bus between nodes: Redis (redisBus.ts) or, in tests, the in-process one. Its node id names this node. */
  bus: ClusterBus;
  store: SharedHubStore;
  /** The coordinators and weekly aggregates (PostgreSQL): the coordinator's counts dashboard is served with it. */
  evaluation?: EvaluationStore;
  /**
   * The fleet's store (PostgreSQL: postgresFleet.ts, for this node's id) and its alert settings: booths' health and the
   * coordinator's « Bornes » view are served with it (behind the coordinator's login, so with `evaluation`).
   */
  fleet?: { store: FleetStore; options?: FleetOptions };
  /**
   * Booths created from the « Bornes » view with a one-time code, which a fresh kiosk's assistant spends at `/api/enrol`
   * (PostgreSQL: postgresEnrolment.ts). Served with `fleet` and `evaluation`. The wrong-code limits count per node.
   */
  enrolment?: EnrolmentStore;
  /**
   * The department's configuration pushed to the booths (PostgreSQL: postgresFleetConfig.ts): each node sends it to its
   * own booths at sign-in, and within `revocationPollMs` (5 s) when a version was published through another node.
   */
  fleetConfig?: FleetConfigStore;
  /** Kiosk updates: the releases, their rollout and reports, and their installers (PostgreSQL: postgresUpdates.ts). */
  updates?: { store: UpdateStore; files: ReleaseFiles };
  /**
   * Visio appointments (PostgreSQL: postgresAppointments.ts): booths book on any node, what changes is told to the booth
   * and the agents on whichever node they are (the bus's notices), every node sweeps « non honoré » (the store gives
   * each missed appointment to one). Without it booths are told at hello that appointments are not offered.
   */
  appointments?: { store: AppointmentStore; graceMs?: number };
  timing?: Partial<ClusterTiming>;
  /**
   * The direct link other nodes send this one signals over (links.ts): where it listens (default: the hub's host, any
   * free port) and the host they reach it at (default: that host). `false`: every batch through the bus.
   */
  link?: { host?: string; port?: number; advertise?: string } | false;
}

export interface RunningHubNode {
  nodeId: string;
  url: string;
  httpUrl: string;
  port: number;
  /** The organisations whose calls this node decides now. */
  owned(): string[];
  stats(): HubStats;
  /** What went over direct links and through the bus. */
  linkStats(): LinkStats;
  /** Stops cleanly: sockets told `hub_restart`, organisations handed over at once. */
  close(): Promise<void>;
  /** Stops as a crash would (tests of the in-process bus): nothing handed over, nothing said. */
  crash(): Promise<void>;
}

/** The host other nodes dial for this node's link: the one it listens on, or this machine's name for a wildcard. */
export function advertisedHost(host: string): string {
  return host === '0.0.0.0' || host === '::' || host === '' ? hostname() : host;
}

/** A node's id for one run: the name given (or the host's) and a suffix drawn at start, so a restarted node is new. */
export function nodeIdFor(name: string): string {
  if (!NODE_ID_PATTERN.test(name) || name.length > 48) throw new Error(`Nom de nœud invalide : « ${name.slice(0, 64)} » (lettres, chiffres, point, tiret, souligné ; 48 au plus).`);
  return `${name}.${randomBytes(3).toString('hex')}`;
}

export async function startHubNode(options: HubNodeOptions): Promise<RunningHubNode> {
  const { bus, store } = options;
  const clock = options.clock ?? Date.now;
  const log = (options.logger ?? pino({ level: 'silent' })).child({ scope: 'hub', node: bus.nodeId });
  const timing: ClusterTiming = { ...DEFAULT_CLUSTER_TIMING, ...options.timing };
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const maxFrameBytes = options.maxFrameBytes ?? MAX_FRAME_BYTES;
  const iceServers = options.iceServers ?? [];
  const ringTimeoutMs = options.ringTimeoutMs ?? 60_000;
  const proxies = trustedProxies(options.trustedProxies ?? []);
  if ('error' in proxies) throw new Error(proxies.error);
  const trusted = proxies.proxies;
  const publicUrl = options.publicUrl === undefined ? undefined : publicOrigin(options.publicUrl);
  if (publicUrl && 'error' in publicUrl) throw new Error(publicUrl.error);

  await store.seedOrganisations(WEEKDAY_HOURS);
  let organisationRows: OrganisationRow[] = await store.organisations();
  const organisations = createOrganisationDirectory({ organisations: () => organisationRows });
  // The fleet: every node notes its own booths' sockets and reports; a node seeing another die marks that one's booths
  // offline (FleetStore.resetOnline); the alert checks of all nodes meet in the store's unique key (one start, one end).
  const hubFleet = options.fleet ? createHubFleet(options.fleet.store, () => organisationRows.map((o) => o.openingHours), clock, options.fleet.options ?? {}, log) : null;
  const fleet = hubFleet?.fleet ?? null;

  // A node without the appointments' store takes no appointment frames: booths are told so at once, and show no
  // « Prendre rendez-vous ».
  const helloText = JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, demo: false, heartbeatMs, maxFrameBytes, ...(options.appointments ? {} : { appointments: false }) } satisfies HubFrame);
  const counters = newCounters();
  const writes = createWrites({ maxBufferedBytes: options.maxBufferedBytes ?? 4 * 1024 * 1024, counters, log });
  const registry = createConnectionRegistry({
    writes,
    clock,
    rateLimit: options.rateLimit ?? { perSecond: 50, burst: 200 },
    helloText,
    onLeave: (conn) => {
      gateway.leave(conn.id);
      if (conn.role === 'booth') fleet?.disconnected(conn.subjectId);
    },
    onClaim: (conn, role, id) => announce(conn, role, id),
  });
  const fleetConfig = options.fleetConfig
    ? createHubFleetConfig({
        store: options.fleetConfig,
        organisations: async () => organisationRows,
        clock,
        sendToBooth: registry.sendToBooth,
        connectedBooths: () => registry.boothConn.keys(),
        log,
      })
    : null;
  const presence = createPresence({
    clock,
    presenceOf: (now) => gateway.presence(now),
    conns: () => registry.conns.values(),
    sendRaw: writes.sendRaw,
    scheduler: realScheduler,
    defer: (fn) => setImmediate(fn),
  });
  const gateway = createGateway({
    bus,
    deliver: (node, msg) => links.deliver(node, msg),
    clock,
    organisations: organisations.all,
    iceServers: () => iceServers,
    sendLocal: registry.sendTo,
    relayLocal: (conn, raw) => {
      const c = registry.conns.get(conn);
      if (!c) return false;
      counters.relayed++;
      writes.relayRaw(c, raw);
      return true;
    },
    onPresenceChanged: presence.changed,
    log,
  });
  const link = options.link === false ? null : (options.link ?? {});
  const linkHost = link?.host ?? options.host ?? '127.0.0.1';
  const links: NodeLinks = await startNodeLinks({
    transport: bus,
    direct: link !== null,
    secret: link ? await bus.linkSecret() : '',
    host: linkHost,
    port: link?.port ?? 0,
    advertise: link?.advertise ?? advertisedHost(linkHost),
    receive: (m) => gateway.receive(m),
    clock,
    log,
  });
  for (const [org, agents] of await bus.available()) gateway.setAvailable(org, agents);
  /** Each organisation's last publication heard, by its number in this node's count of them (see check). */
  let heard = 0;
  const heardAt = new Map<string, number>();
  bus.onAvailable((org, agents) => {
    heardAt.set(org, ++heard);
    gateway.setAvailable(org, agents);
  });
  bus.onResync((org) => gateway.resync(org));
  presence.noteToldNow();

  // Appointments: what changes is told to this node's sockets at once and to the other nodes' through the bus.
  const tellHere = (notice: Notice): void => {
    if (notice.to === 'booth') return void registry.sendToBooth(notice.boothId, notice.frame);
    if (notice.agentId !== null) {
      const c = registry.agentConn.get(notice.agentId);
      if (c) writes.sendFrame(c, notice.frame);
      return;
    }
    for (const c of registry.agentConn.values()) if (gateway.agentOrganisation(c.id) === notice.organisation) writes.sendFrame(c, notice.frame);
  };
  const tell = (notice: Notice): void => {
    tellHere(notice);
    bus.announceNotice(notice).catch((e: unknown) => log.warn({ code: 'HUB_CLUSTER_NOTICE_FAILED', err: (e as Error).message }, 'appointment change not told to the other nodes'));
  };
  bus.onNotice((notice) => {
    if (notice.node !== bus.nodeId) tellHere(notice);
  });
  const appointments = options.appointments
    ? (() => {
        const { store: appointmentStore, graceMs = DEFAULT_GRACE_MS } = options.appointments;
        const service = createAppointmentService({ store: appointmentStore, clock, newId: randomUUID, graceMs });
        const agentOf = async (id: number) => {
          const a = await store.agentById(id);
          return a && !a.revoked ? a : null;
        };
        const frames = createAppointmentFrames({
          service,
          store: appointmentStore,
          clock,
          // Known from its sign-in, without asking PostgreSQL at each frame; a revoked agent's socket is closed within 5 s.
          organisationOf: (conn) => gateway.agentOrganisation(conn.id),
          sendFrame: writes.sendFrame,
          sendError: writes.sendError,
          toBooth: (boothId, frame) => tell({ to: 'booth', boothId, frame }),
          toAgents: (organisation, agentId, frame) => tell({ to: 'agents', organisation, agentId, frame }),
          log,
        });
        const icalRoute = createIcalRoute({ store: appointmentStore, agentOf, clock, log });
        return { store: appointmentStore, frames, icalRoute };
      })()
    : null;

  const records = createRecordWriter({ write: (c) => store.recordCall(c), log });
  const owners = new Map<string, OrgOwner>();
  const ownEach = (): void => {
    for (const o of organisationRows) {
      if (owners.has(o.code)) continue;
      owners.set(
        o.code,
        createOrgOwner({
          bus,
          org: o.code,
          clock,
          timing,
          engine: {
            clock,
            scheduler: options.scheduler ?? realScheduler,
            record: (c) => {
              records.record(c);
              log.info({ code: 'HUB_CALL_ENDED', callId: c.id, organisation: c.organisation, outcome: c.outcome, reason: c.reason }, 'call ended');
            },
            organisation: organisations.info,
            organisations: organisations.all,
            ringTimeoutMs,
            iceServers: () => iceServers,
            newCallId: () => randomUUID(),
            ...(appointments ? { onAppointmentAnswered: (id: string) => void appointments.frames.answered(id) } : {}),
          },
          log,
        }),
      );
    }
  };
  ownEach();

  const liveness = createLiveness({
    now: () => performance.now(),
    heartbeatMs,
    authTimeoutMs: options.authTimeoutMs ?? 15_000,
    boothInCall: (id) => gateway.boothInCall(id),
    socketCount: () => registry.conns.size,
    drop: registry.drop,
    forget: registry.forget,
    counters,
    log,
  });
  const boothTokens = createBoothTokens(await store.activeBooths(), (hash) => store.boothByTokenHash(hash));
  // One socket per booth and per agent across the hub, as on one node: a sign-in here is announced, and a node holding an
  // older socket of the same account drops it (REPLACED). The later sign-in wins (ties: the greater node id).
  const claimedAt = new WeakMap<Conn, number>();
  const announce = (conn: Conn, role: 'booth' | 'agent', id: number): void => {
    const at = clock();
    claimedAt.set(conn, at);
    bus.announceClaim({ role, id, at }).catch((e: unknown) => log.warn({ code: 'HUB_CLUSTER_CLAIM_FAILED', err: (e as Error).message }, 'sign-in not announced'));
  };
  bus.onClaim((claim) => {
    if (claim.node === bus.nodeId) return;
    const local = (claim.role === 'booth' ? registry.boothConn : registry.agentConn).get(claim.id);
    const at = local ? (claimedAt.get(local) ?? 0) : 0;
    if (local && (at < claim.at || (at === claim.at && bus.nodeId < claim.node))) registry.drop(local, 'REPLACED', 4001);
  });
  const signIn = createSignIn({
    store,
    boothTokens,
    registry,
    engine: gateway,
    sendFrame: writes.sendFrame,
    sendRaw: writes.sendRaw,
    sendError: writes.sendError,
    presenceText: presence.frameText,
    watch: liveness.watch,
    boothJoined: (id) => {
      fleet?.connected(id);
      fleetConfig?.boothJoined(id);
    },
    clock,
    attemptLimits: options.attemptLimits ?? DEFAULT_ATTEMPT_LIMITS,
    sessionTtlMs: options.sessionTtlMs ?? 12 * 3_600_000,
    dummyHash: await hashPassword(randomBytes(12).toString('hex')),
    log,
  });
  const onFrame = createFrameRouter({
    clock,
    counters,
    maxFrameBytes,
    engine: gateway,
    writes,
    conns: registry.conns,
    signIn,
    presenceText: presence.frameText,
    watch: liveness.watch,
    appointments: appointments ? appointments.frames.onFrame : (conn) => writes.sendError(conn, 'NOT_OFFERED'),
    appointmentCall: (conn, organisation, id) => (appointments ? appointments.frames.callFor(conn.subjectId, organisation, id) : null),
    fleet: fleet ?? { report: () => false },
    ...(fleetConfig ? { fleetConfig } : {}),
    relayElsewhere: gateway.relayElsewhere,
    log,
  });
  // Revoked from the CLI (PostgreSQL): every node closes the sockets at its next check.
  const revocation = createRevocation({
    store: {
      revokedSince: (since) => store.revokedSince(since),
      revokeBooth: () => false,
      revokeAgent: () => false,
      revokeSession: () => false,
    },
    clock,
    registry,
    boothTokens,
    failed: (e) => log.warn({ code: 'HUB_STORE_FAILED', err: (e as Error).message }, 'revocations not read'),
  });
  const stats = (): HubStats => hubStats(registry.conns, counters, gateway.stats());
  const owned = (): string[] => [...owners.values()].filter((o) => o.owning()).map((o) => o.org);
  const health = (): unknown => {
    const s = stats();
    const l = links.stats();
    return { ok: true, node: bus.nodeId, owns: owned(), sockets: s.sockets, calls: s.calls, rssBytes: s.rssBytes, relayed: s.relayed, links: { out: l.out, in: l.in, viaLink: l.viaLink, viaBus: l.viaBus } };
  };
  // The coordinator's login, counts dashboard and the booths' weekly aggregates, on every node (their data is in
  // PostgreSQL), with the fleet, appointments, updates and configuration views of the stores given.
  const withUpdates = options.evaluation && fleet && options.updates ? { ...options.updates, evaluation: options.evaluation, fleet } : null;
  const routes = [
    ...(appointments ? [appointments.icalRoute] : []),
    ...(options.evaluation
      ? [
          // Kiosk updates: before the coordinator's routes, which answer every other /coordinator/api/ path.
          ...(withUpdates ? [createSharedUpdates({ updates: withUpdates.store, files: withUpdates.files, store, evaluation: withUpdates.evaluation, fleet: withUpdates.fleet, clock, log })] : []),
          createCoordinatorRoutes({
            evaluation: options.evaluation,
            boothByToken: (token) => store.boothByTokenHash(sha256(token)),
            clock,
            logger: log,
            staticDir: options.staticDir ?? null,
            trustedProxies: trusted,
            ...(fleet
              ? {
                  fleet: {
                    fleet,
                    // Revoked in PostgreSQL; this node closes the booth's socket now, the others at their next check.
                    async revoke(id: number) {
                      if (!(await store.boothExists(id))) return null;
                      const revoked = await store.revokeBooth(id, clock());
                      revocation.closeRevoked();
                      return { revoked };
                    },
                  },
                }
              : {}),
            ...(fleet && fleetConfig ? { fleetConfig } : {}),
            ...(withUpdates ? { updates: true } : {}),
            ...(appointments ? { appointments: appointments.store } : {}),
            ...(fleet && options.enrolment ? { enrolment: { enrolments: options.enrolment, clock, logger: log, ...(publicUrl ? { publicUrl: publicUrl.origin } : {}) } } : {}),
          }),
          ...(fleet && options.enrolment ? [createEnrolRoute({ enrolments: options.enrolment, clock, logger: log, trusted, ...(options.enrolLimits ? { limits: options.enrolLimits } : {}) })] : []),
        ]
      : []),
  ];
  const server = createHttpServer({ routes, health, staticDir: options.staticDir ?? null, log });
  let closing = false;
  const wss = acceptHubSockets({ server, closing: () => closing, trusted, heartbeatMs, maxFrameBytes, registry, writes, liveness, signIn, onFrame, counters, log });

  // The node beats, then each organisation's owner renews or takes its lease and ends dead nodes' calls.
  let checking = false;
  // The nodes seen live, and since when each one is missing: its booths are marked offline once it has been missing for
  // deadAfterMs (a Redis restarted empty hides every node until its next beat, a second later: not a death).
  let liveBefore: ReadonlySet<string> | null = null;
  const missingSince = new Map<string, number>();
  const check = async (): Promise<void> => {
    if (checking || closing) return;
    checking = true;
    try {
      const all = [...owners.values()];
      const asOf = heard;
      const seen = await bus.check(timing.leaseMs, links.address ?? undefined, all.map((o) => o.org), new Set(all.filter((o) => o.owning()).map((o) => o.org)));
      // Taken for dead while it was frozen or cut off from Redis: the owners ended its sockets' calls and dropped what
      // they sent them. Its sockets are closed as at a restart, so that each signs in again (here or elsewhere),
      // resumes its call in progress or asks again for the one it waited for, instead of waiting for what will not come.
      if (seen.forgotten) {
        log.warn({ code: 'HUB_CLUSTER_FORGOTTEN', sockets: registry.conns.size }, 'this node was taken for dead by the others: its sockets are closed to sign in again');
        registry.closeAllForRestart();
      }
      const live = seen.live;
      links.check(live);
      // What this node missed of the owners' publications (Redis restarting), unless one was heard since the check left.
      for (const [org, agents] of seen.available) if ((heardAt.get(org) ?? 0) <= asOf) gateway.setAvailable(org, agents);
      if (options.fleet) {
        const now = clock();
        for (const n of live) missingSince.delete(n);
        for (const n of liveBefore ?? []) if (!live.has(n) && !missingSince.has(n)) missingSince.set(n, now);
        const gone = [...missingSince].filter(([, since]) => now - since >= timing.deadAfterMs).map(([n]) => n);
        for (const n of gone) missingSince.delete(n);
        const kept = new Set([...live, ...missingSince.keys()]);
        if (gone.length > 0) void resetLeftOnline(options.fleet.store, now, log, kept);
        liveBefore = kept;
      }
      // Organisations spread over the nodes: how many each live node owns now.
      const holders = all.map((o) => seen.holders.get(o.org) ?? null);
      const counts = new Map([...live].map((n) => [n, 0]));
      for (const h of holders) if (h !== null && counts.has(h)) counts.set(h, counts.get(h)! + 1);
      const mine = counts.get(bus.nodeId) ?? 0;
      const others = [...counts].filter(([n]) => n !== bus.nodeId).map(([, c]) => c);
      const least = others.length > 0 ? Math.min(...others) : Infinity;
      // A free lease is taken at once by the least loaded nodes, by the others only if it stays free.
      await Promise.all(all.map((o, i) => o.tick(live, holders[i] ?? null, mine <= least, seen.leases.get(o.org))));
      // Two more than the least loaded node: one is handed over (an idle one first), one per check.
      if (mine - least >= 2) {
        const owning = all.filter((o) => o.owning());
        const idle = (o: OrgOwner): boolean => {
          const st = o.stats();
          return st === null || st.queued + st.ringing + st.active === 0;
        };
        const give = owning.find(idle) ?? owning[0];
        if (give) await give.handOver();
      }
    } catch (e) {
      log.warn({ code: 'HUB_CLUSTER_CHECK_FAILED', err: (e as Error).message }, 'cluster check failed (Redis?)');
    } finally {
      checking = false;
    }
  };
  await check();
  // Booths left online by nodes gone before this one started (the whole hub restarted, or a node dead while alone).
  // Only once the live nodes are known: a node starting while Redis is unreachable marks nothing offline.
  if (options.fleet && liveBefore) await resetLeftOnline(options.fleet.store, clock(), log, liveBefore);
  // Started together: at equal periods (the default), the check and the sweep share their wake-ups.
  const checker = setInterval(() => void check(), timing.checkMs);
  checker.unref();
  const heartbeat = setInterval(liveness.sweep, liveness.sweepMs);
  heartbeat.unref();

  const inbox = (async () => {
    while (!closing) {
      try {
        for (const m of await bus.readInbox(timing.blockMs)) {
          if (m.k === 'batch') links.receiveBatch(m.text);
          else gateway.receive(m);
        }
      } catch (e) {
        if (closing) return;
        log.warn({ code: 'HUB_CLUSTER_INBOX_FAILED', err: (e as Error).message }, 'inbox read failed');
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  })();

  const tick = setInterval(() => {
    void records.retry();
    revocation.closeRevoked();
    // A configuration published through another node reaches this node's booths (one query when nothing changed).
    if (fleetConfig) void fleetConfig.refresh();
    signIn.prune();
    presence.changed();
    if (appointments) void appointments.frames.sweep();
    store.organisations().then(
      (rows) => {
        organisationRows = rows;
        organisations.refresh();
        ownEach();
      },
      (e: unknown) => log.warn({ code: 'HUB_STORE_FAILED', err: (e as Error).message }, 'organisations not read'),
    );
  }, options.revocationPollMs ?? 5_000);
  tick.unref();

  const { port, httpUrl, url } = await listenHub(server, options.host ?? '127.0.0.1', options.port ?? 0);
  log.info({ code: 'HUB_LISTENING', url, node: bus.nodeId }, `hub node ${bus.nodeId} listening on ${url}`);

  async function stop(clean: boolean): Promise<void> {
    if (closing) return;
    closing = true;
    clearInterval(checker);
    clearInterval(heartbeat);
    clearInterval(tick);
    presence.close();
    // A crash says nothing to anyone: the bus is gone before the sockets.
    if (!clean) await bus.close();
    if (clean) registry.closeAllForRestart();
    else for (const c of [...registry.conns.values()]) c.ws.terminate();
    if (clean) await gateway.settled();
    // A crash writes nothing more: the other nodes mark this one's booths offline when its beats stop.
    await hubFleet?.close(clean);
    await fleetConfig?.settled();
    await links.close();
    await Promise.all([...owners.values()].map((o) => o.close(clean)));
    if (clean) {
      const unwritten = await records.drain();
      if (unwritten > 0) log.error({ code: 'HUB_RECORDS_UNWRITTEN', unwritten }, 'call records still not written when the node stopped');
    }
    if (clean) await bus.close();
    await inbox;
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    log.info({ code: 'HUB_CLOSED', clean }, 'hub node stopped');
  }

  return { nodeId: bus.nodeId, url, httpUrl, port, owned, stats, linkStats: links.stats, close: () => stop(true), crash: () => stop(false) };
}
