// The hub: composes its parts (connections, sign-in, frame router, call engine, presence, liveness, revocation, fleet, HTTP),
// listens, and closes. Each part is a file of its own with its collaborators passed in.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { MAX_FRAME_BYTES, PROTOCOL_VERSION, type HubFrame } from '../shared/protocol.js';
import { DEFAULT_ATTEMPT_LIMITS, hashPassword } from './auth.js';
import { createHubAppointments } from './appointments/index.js';
import { createBoothTokens } from './boothTokens.js';
import { createCallEngine, realScheduler } from './calls.js';
import { createConnectionRegistry } from './connections/registry.js';
import { acceptHubSockets, listenHub } from './connections/upgrade.js';
import { createWrites } from './connections/writes.js';
import { createCoordinatorRoutes, type HttpRoute } from './coordinator/index.js';
import { sqliteEvaluationStore } from './sharedStore/evaluation.js';
import { seedDemo } from './demoSeed.js';
import { createHubEnrolment, publicOrigin } from './enrolment/index.js';
import { createHubFleet, resetLeftOnline } from './fleet/hubFleet.js';
import { createSqliteFleetStore } from './fleet/store.js';
import { createHubUpdates } from './updates/hubUpdates.js';
import { createHubFleetConfig, createSqliteFleetConfigStore } from './fleetConfig/index.js';
import type { HubOptions, RunningHub } from './hubApi.js';
import { trustedProxies } from './http/clientAddress.js';
import { createHttpServer } from './http/server.js';
import { createLiveness } from './liveness.js';
import { createOrganisationDirectory } from './organisations.js';
import { createPresence } from './presence.js';
import { createRevocation } from './revocation.js';
import { createFrameRouter } from './router.js';
import { createSignIn } from './signIn.js';
import { hubStats, newCounters, type HubStats } from './stats.js';
import { ALWAYS_OPEN, WEEKDAY_HOURS, createHubStore, openHubDb, type HubStore } from './store.js';

export type { DemoAccounts } from './demoSeed.js';
export type { HubOptions, RunningHub } from './hubApi.js';
export type { HubStats } from './stats.js';

function openStore(options: HubOptions, demoMode: boolean): HubStore {
  let dbFile = options.dbFile ?? ':memory:';
  if (!options.dbFile && options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    dbFile = path.join(options.dataDir, 'hub.sqlite');
  }
  const store = createHubStore(openHubDb(dbFile));
  store.seedOrganisations(demoMode ? ALWAYS_OPEN : WEEKDAY_HOURS);
  if (demoMode) for (const o of store.organisations()) store.setOpeningHours(o.code, ALWAYS_OPEN);
  return store;
}

export async function startHub(options: HubOptions = {}): Promise<RunningHub> {
  const clock = options.clock ?? Date.now;
  const log = (options.logger ?? pino({ level: 'silent' })).child({ scope: 'hub' });
  const demoMode = options.demo ?? false;
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const maxFrameBytes = options.maxFrameBytes ?? MAX_FRAME_BYTES;
  const iceServers = options.iceServers ?? [];
  const publicUrl = options.publicUrl === undefined ? undefined : publicOrigin(options.publicUrl);
  if (publicUrl && 'error' in publicUrl) throw new Error(publicUrl.error);
  const proxies = trustedProxies(options.trustedProxies ?? []);
  if ('error' in proxies) throw new Error(proxies.error);
  const trusted = proxies.proxies;
  const store = openStore(options, demoMode);
  const organisations = createOrganisationDirectory(store);
  const fleetStore = createSqliteFleetStore(store.db);
  // SQLite: one hub per file, so every booth it finds online was left so by the previous run (the statement runs now).
  void resetLeftOnline(fleetStore, clock(), log);
  const { fleet, close: closeFleet } = createHubFleet(fleetStore, () => store.organisations().map((o) => o.openingHours), clock, options.fleet ?? {}, log);

  const helloText = JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, demo: demoMode, heartbeatMs, maxFrameBytes } satisfies HubFrame);
  const counters = newCounters();
  const writes = createWrites({ maxBufferedBytes: options.maxBufferedBytes ?? 4 * 1024 * 1024, counters, log });
  const registry = createConnectionRegistry({
    writes,
    clock,
    rateLimit: options.rateLimit ?? { perSecond: 50, burst: 200 },
    helloText,
    onLeave: (conn) => {
      engine.leave(conn.id);
      if (conn.role === 'booth') fleet.disconnected(conn.subjectId);
    },
  });
  const fleetConfig = createHubFleetConfig({
    store: createSqliteFleetConfigStore(store.db),
    organisations: async () => store.organisations(),
    clock,
    sendToBooth: registry.sendToBooth,
    connectedBooths: () => registry.boothConn.keys(),
    log,
  });
  const dummyHash = await hashPassword(randomBytes(12).toString('hex'));
  const boothTokens = createBoothTokens(store.activeBooths(), store.boothByTokenHash);
  const presence = createPresence({
    clock,
    presenceOf: (now) => engine.presence(now),
    conns: () => registry.conns.values(),
    sendRaw: writes.sendRaw,
    scheduler: realScheduler,
    defer: (fn) => setImmediate(fn),
  });
  const engine = createCallEngine({
    clock,
    scheduler: options.scheduler ?? realScheduler,
    send: registry.sendTo,
    record: (c) => {
      try {
        store.recordCall(c);
      } catch (e) {
        log.error({ code: 'HUB_RECORD_FAILED', err: (e as Error).message }, 'call record not written');
      }
      log.info({ code: 'HUB_CALL_ENDED', callId: c.id, organisation: c.organisation, outcome: c.outcome, reason: c.reason }, 'call ended');
    },
    organisation: organisations.info,
    organisations: organisations.all,
    ringTimeoutMs: options.ringTimeoutMs ?? 60_000,
    iceServers: () => iceServers,
    newCallId: () => randomUUID(),
    onPresenceChanged: presence.changed,
    onAppointmentAnswered: (id) => void appointments.frames.answered(id),
  });
  // Sockets signing in are told the presence of now: the first periodic check has nothing to broadcast unless it changed.
  presence.noteToldNow();

  const liveness = createLiveness({
    now: () => performance.now(),
    heartbeatMs,
    authTimeoutMs: options.authTimeoutMs ?? 15_000,
    boothInCall: (id) => engine.boothInCall(id),
    socketCount: () => registry.conns.size,
    drop: registry.drop,
    forget: registry.forget,
    counters,
    log,
  });
  const signIn = createSignIn({
    store,
    boothTokens,
    registry,
    engine,
    sendFrame: writes.sendFrame,
    sendRaw: writes.sendRaw,
    sendError: writes.sendError,
    presenceText: presence.frameText,
    watch: liveness.watch,
    boothJoined: (id) => {
      fleet.connected(id);
      fleetConfig.boothJoined(id);
    },
    clock,
    attemptLimits: options.attemptLimits ?? DEFAULT_ATTEMPT_LIMITS,
    sessionTtlMs: options.sessionTtlMs ?? 12 * 3_600_000,
    dummyHash,
    log,
  });
  const appointments = createHubAppointments({
    hubStore: store,
    clock,
    conns: () => registry.conns.values(),
    writes,
    ...(options.appointmentGraceMs === undefined ? {} : { graceMs: options.appointmentGraceMs }),
    log,
  });
  const onFrame = createFrameRouter({
    clock,
    counters,
    maxFrameBytes,
    engine,
    writes,
    conns: registry.conns,
    signIn,
    presenceText: presence.frameText,
    watch: liveness.watch,
    appointments: appointments.frames.onFrame,
    appointmentCall: (conn, organisation, id) => appointments.frames.callFor(conn.subjectId, organisation, id),
    fleet,
    fleetConfig,
    log,
  });
  const revocation = createRevocation({ store, clock, registry, boothTokens });
  const stats = (): HubStats => hubStats(registry.conns, counters, engine.stats());

  // Evaluation: booths' weekly aggregates and the coordinator's dashboard (server/coordinator/).
  // Enrolment: booths created from the dashboard, and their one-time codes exchanged for credentials (server/enrolment/).
  const enrolment = createHubEnrolment(store, clock, log, { limits: options.enrolLimits, publicUrl: publicUrl?.origin, trusted });
  const httpRoutes: HttpRoute[] = [
    appointments.icalRoute,
    // Kiosk updates (server/updates/): before the coordinator's routes, which answer every other /coordinator/api/ path.
    createHubUpdates({
      store,
      fleet,
      releasesDir: options.releasesDir ?? path.join(options.dataDir ?? path.join(tmpdir(), `relais-hub-${process.pid}`), 'releases'),
      clock,
      log,
    }),
    enrolment.route,
    createCoordinatorRoutes({
      evaluation: sqliteEvaluationStore(store.db),
      boothByToken: async (token) => store.boothByToken(token),
      appointments: appointments.store,
      updates: true,
      clock,
      logger: log,
      staticDir: options.staticDir ?? null,
      ...(options.aggregateLimits ? { aggregateLimits: options.aggregateLimits } : {}),
      fleet: { fleet, revoke: async (id) => (store.boothExists(id) ? { revoked: revocation.revokeBooth(id) } : null) },
      fleetConfig,
      enrolment: enrolment.api,
      trustedProxies: trusted,
    }),
    ...(options.httpRoutes ?? []).map((make) => make({ store, clock, logger: log })),
  ];
  const health = (): unknown => {
    const s = stats();
    return { ok: true, demo: demoMode, sockets: s.sockets, calls: s.calls, rssBytes: s.rssBytes, badFrames: s.badFrames, relayed: s.relayed };
  };
  const server = createHttpServer({ routes: httpRoutes, health, staticDir: options.staticDir ?? null, log });
  let closing = false;
  const wss = acceptHubSockets({ server, closing: () => closing, trusted, heartbeatMs, maxFrameBytes, registry, writes, liveness, signIn, onFrame, counters, log });

  const heartbeat = setInterval(liveness.sweep, liveness.sweepMs);
  heartbeat.unref();
  const tick = setInterval(() => {
    try {
      revocation.closeRevoked();
      signIn.prune();
      organisations.refresh();
      presence.changed();
      void appointments.frames.sweep();
    } catch (e) {
      log.error({ code: 'HUB_TICK_FAILED', err: (e as Error).message }, 'periodic check failed');
    }
  }, options.revocationPollMs ?? 5_000);
  tick.unref();

  const { port, httpUrl, url } = await listenHub(server, options.host ?? '127.0.0.1', options.port ?? 0);

  const demo = demoMode ? await seedDemo(store, clock(), httpUrl) : null;
  if (demo) {
    log.info(
      { code: 'HUB_DEMO', consoleUrl: demo.consoleUrl, agents: demo.agents.map((a) => `${a.login} / ${a.password}`) },
      `DEMO hub: agents' console ${demo.consoleUrl} — demo accounts ${demo.agents.map((a) => a.login).join(', ')}, password ${demo.agents[0]?.password ?? ''}`,
    );
  }
  log.info({ code: 'HUB_LISTENING', url }, `hub listening on ${url}`);

  return {
    url,
    httpUrl,
    port,
    demo,
    store,
    stats,
    revokeBooth: revocation.revokeBooth,
    revokeAgent: revocation.revokeAgent,
    revokeSession: revocation.revokeSession,
    fleet,
    fleetConfig,
    async close() {
      if (closing) return;
      closing = true;
      clearInterval(heartbeat);
      clearInterval(tick);
      presence.close();
      engine.shutdown();
      registry.closeAllForRestart();
      await new Promise<void>((resolve) => {
        wss.close(() => resolve());
      });
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeFleet();
      await fleetConfig.settled();
      store.db.close();
      log.info({ code: 'HUB_CLOSED' }, 'hub stopped');
    },
  };
}
