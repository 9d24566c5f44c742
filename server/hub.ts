// The hub's socket layer: HTTP + ws, authentication, limits, heartbeat, and the relay of signals within accepted pairs.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { openingState } from '../shared/openingHours.js';
import {
  AGENT_FRAMES,
  AUTH_FRAMES,
  BOOTH_FRAMES,
  ClientFrame,
  HUB_ERROR_MESSAGES,
  MAX_FRAME_BYTES,
  BEAT_TEXT,
  HUB_SUBPROTOCOL,
  PROTOCOL_VERSION,
  handshakeCredential,
  type HubErrorCode,
  type HubFrame,
  type IceServer,
  type OrganisationPresence,
} from '../shared/protocol.js';
import { DEFAULT_ATTEMPT_LIMITS, FailedAttempts, TokenBucket, hashPassword, verifyPassword, type AttemptLimits } from './auth.js';
import { FifoDeadlines } from './deadlines.js';
import { createCallEngine, realScheduler, type CallEngine, type OrganisationInfo, type Scheduler } from './calls.js';
import { ALWAYS_OPEN, WEEKDAY_HOURS, createHubStore, openHubDb, sha256, type AgentRow, type BoothRow, type HubStore } from './store.js';
import { migrateAggregates, type AggregateLimits } from './aggregates/index.js';
import { badRequest, decodePath, requestUrl } from './httpTarget.js';
import { createCoordinatorRoutes, type HttpRoute } from './coordinator/index.js';

export interface HubOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Directory of `hub.sqlite` (created if absent); or `dbFile` directly (`:memory:` for tests). */
  dataDir?: string;
  dbFile?: string;
  clock?: () => number;
  scheduler?: Scheduler;
  logger?: Logger;
  ringTimeoutMs?: number;
  heartbeatMs?: number;
  iceServers?: IceServer[];
  /** The built agent console (`agent.html`, `assets/`), served from the same port. */
  staticDir?: string;
  demo?: boolean;
  /** Frames per second and burst allowed per socket. */
  rateLimit?: { perSecond: number; burst: number };
  attemptLimits?: AttemptLimits;
  maxFrameBytes?: number;
  /** A socket that has not authenticated after this long is closed. */
  authTimeoutMs?: number;
  sessionTtlMs?: number;
  /** How often revocations made by another process (the CLI) are picked up. */
  revocationPollMs?: number;
  /** A socket whose unsent output exceeds this is dropped (it does not read). */
  maxBufferedBytes?: number;
  /** Bounds on a booth's weekly counts (server/aggregates/bounds.ts; default DEFAULT_AGGREGATE_LIMITS). */
  aggregateLimits?: AggregateLimits;
  /** Extra HTTP handlers, consulted after the coordinator's routes and before the static files (true: answered). */
  httpRoutes?: Array<(ctx: { store: HubStore; clock: () => number; logger: Logger }) => HttpRoute>;
}

export interface DemoAccounts {
  boothToken: string;
  agents: Array<{ organisation: string; login: string; password: string }>;
  consoleUrl: string;
}

export interface HubStats {
  sockets: number;
  booths: number;
  agents: number;
  framesIn: number;
  relayed: number;
  badFrames: number;
  byError: Partial<Record<HubErrorCode, number>>;
  heartbeatDropped: number;
  /** WebSocket pings sent: only to sockets silent for a whole heartbeat period. */
  pings: number;
  calls: ReturnType<CallEngine['stats']>;
  rssBytes: number;
  heapUsedBytes: number;
}

export interface RunningHub {
  /** The WebSocket URL (`ws://host:port/hub`). */
  url: string;
  httpUrl: string;
  port: number;
  demo: DemoAccounts | null;
  store: HubStore;
  stats(): HubStats;
  revokeBooth(id: number): boolean;
  revokeAgent(id: number): boolean;
  revokeSession(token: string): boolean;
  /** Tells every participant `hub_restart`, closes sockets, server and database. */
  close(): Promise<void>;
}

type Role = 'none' | 'booth' | 'agent';

interface Conn {
  id: string;
  ws: WebSocket;
  /** The socket under `ws`, where a sign-in's answers (`flush`) and relayed signals (`relayRaw`) are written. */
  socket: Duplex;
  /** The peer's address, read on first need (failed sign-ins, password logins): a system call each. */
  address: string | null;
  /** While a socket is being signed in, what it is answered is gathered here and leaves in one write (`flush`). */
  batch: string[] | null;
  role: Role;
  subjectId: number;
  sessionHash: string | null;
  alive: boolean;
  /** In the liveness checks (an agent, or a booth with a call): see `watch`. */
  watched: boolean;
  authPending: boolean;
  bucket: TokenBucket;
  lastRateNotice: number;
  rateDrops: number;
  closed: boolean;
}

/** Presence changes are gathered for this long before one broadcast. */
const PRESENCE_COALESCE_MS = 1_000;
/** Sockets sent the presence per turn of the event loop (~2 ms of sends). */
const PRESENCE_SLICE = 128;
const DEMO_LOGIN = (org: string): string => `demo-${org.toLowerCase()}`;
const WS_PATH = '/hub';
/** Failed sign-ins are counted per token (by the start of its hash) and per address. */
const boothAttemptKey = (tokenHash: string): string => `#booth:${tokenHash.slice(0, 16)}`;
const BEAT_BYTES = Buffer.from(BEAT_TEXT);
const ignoreSocketError = (): void => undefined;
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self' ws: wss: blob:; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'none'";
const HTTP_HEADERS = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' };
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

export async function startHub(options: HubOptions = {}): Promise<RunningHub> {
  const clock = options.clock ?? Date.now;
  const log = (options.logger ?? pino({ level: 'silent' })).child({ scope: 'hub' });
  const demoMode = options.demo ?? false;
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const maxFrameBytes = options.maxFrameBytes ?? MAX_FRAME_BYTES;
  const rate = options.rateLimit ?? { perSecond: 50, burst: 200 };
  const maxBuffered = options.maxBufferedBytes ?? 4 * 1024 * 1024;
  const sessionTtlMs = options.sessionTtlMs ?? 12 * 3_600_000;
  const iceServers = options.iceServers ?? [];

  let dbFile = options.dbFile ?? ':memory:';
  if (!options.dbFile && options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    dbFile = path.join(options.dataDir, 'hub.sqlite');
  }
  const store = createHubStore(openHubDb(dbFile));
  migrateAggregates(store.db);
  store.seedOrganisations(demoMode ? ALWAYS_OPEN : WEEKDAY_HOURS);
  if (demoMode) for (const o of store.organisations()) store.setOpeningHours(o.code, ALWAYS_OPEN);

  // Organisations and their hours change rarely: cached, refreshed with the presence tick.
  let organisations = store.organisations();
  // Opening hours have minute resolution and the Paris calendar arithmetic is costly: computed once per minute.
  let infoMinute = -1;
  let infoCache = new Map<string, OrganisationInfo>();
  const infoOf = (o: (typeof organisations)[number], now: number): OrganisationInfo => {
    const minute = Math.floor(now / 60_000);
    if (minute !== infoMinute) {
      infoMinute = minute;
      infoCache = new Map();
    }
    let info = infoCache.get(o.code);
    if (!info) {
      const s = openingState(o.openingHours, now);
      info = { code: o.code, name: o.name, openNow: s.openNow, nextOpening: s.nextOpening, closesAt: s.closesAt };
      infoCache.set(o.code, info);
    }
    return info;
  };

  const helloText = JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, demo: demoMode, heartbeatMs, maxFrameBytes } satisfies HubFrame);
  const conns = new Map<string, Conn>();
  const boothConn = new Map<number, Conn>();
  const agentConn = new Map<number, Conn>();
  let nextConnId = 1;
  const counters = { framesIn: 0, relayed: 0, badFrames: 0, heartbeatDropped: 0, pings: 0, byError: {} as Partial<Record<HubErrorCode, number>> };
  const attempts = new FailedAttempts(options.attemptLimits ?? DEFAULT_ATTEMPT_LIMITS, clock);
  const dummyHash = await hashPassword(randomBytes(12).toString('hex'));

  // Booths by their token's hash, read once at start: a booth's sign-in costs no database read (after a hub restart,
  // every booth signs in at once). A booth added from the CLI meanwhile is read at its first sign-in. A revoked booth
  // leaves this map at once when revoked through the hub (`revokeBooth`), and at the next revocation check when revoked
  // from the CLI (every `revocationPollMs`), which also closes its socket.
  const boothsByHash = new Map<string, BoothRow>(store.activeBooths().map((b) => [b.tokenHash, b.booth]));
  function boothByTokenHash(hash: string): BoothRow | null {
    const known = boothsByHash.get(hash);
    if (known) return known;
    const booth = store.boothByTokenHash(hash);
    if (booth && !booth.revoked) boothsByHash.set(hash, booth);
    return booth;
  }
  function forgetBooths(ids: readonly number[]): void {
    if (ids.length === 0) return;
    const revoked = new Set(ids);
    for (const [hash, booth] of boothsByHash) if (revoked.has(booth.id)) boothsByHash.delete(hash);
  }

  /** Whether a frame can be written to this socket now; one whose client no longer reads is closed instead. */
  function writable(conn: Conn): boolean {
    if (conn.closed || conn.ws.readyState !== 1) return false;
    if (conn.ws.bufferedAmount > maxBuffered) {
      log.warn({ code: 'HUB_SLOW_CONSUMER', conn: conn.id }, 'connection no longer reads its messages: closed');
      conn.ws.terminate();
      return false;
    }
    return true;
  }
  function sendRaw(conn: Conn, text: string): void {
    if (conn.batch !== null) conn.batch.push(text);
    else if (writable(conn)) conn.ws.send(text, { binary: false });
  }
  /**
   * Writes what a socket was answered while it signed in (hello, ice.servers, auth.ok, presence, or an error) as one
   * buffer of text frames: one write instead of one ws send each. Safe for the same reasons as `relayRaw`.
   */
  function flush(conn: Conn): void {
    const batch = conn.batch;
    if (batch === null) return;
    conn.batch = null;
    if (batch.length > 0 && writable(conn)) conn.socket.write(textFrames(batch));
  }
  const addressOf = (conn: Conn): string => (conn.address ??= (conn.socket as net.Socket).remoteAddress ?? '?');
  const sendFrame = (conn: Conn, frame: HubFrame): void => sendRaw(conn, JSON.stringify(frame));
  const sendTo = (party: string, frame: HubFrame): void => {
    const c = conns.get(party);
    if (c) sendFrame(c, frame);
  };
  function sendError(conn: Conn, code: HubErrorCode, extra?: { retryAfterMs?: number; bad?: boolean }): void {
    counters.byError[code] = (counters.byError[code] ?? 0) + 1;
    if (extra?.bad) counters.badFrames++;
    const frame: HubFrame = { type: 'error', code, message: HUB_ERROR_MESSAGES[code].fr };
    if (extra?.retryAfterMs !== undefined) frame.retryAfterMs = extra.retryAfterMs;
    sendFrame(conn, frame);
  }

  let presenceTimer: ReturnType<typeof setTimeout> | null = null;
  // The presence text sent to each socket that authenticates, rebuilt only when presence changed or a minute passed.
  let presenceText: string | null = null;
  let presenceTextMinute = -1;
  function presenceFrameText(): string {
    const now = clock();
    const minute = Math.floor(now / 60_000);
    if (presenceText === null || minute !== presenceTextMinute) {
      presenceText = JSON.stringify({ type: 'presence', at: now, organisations: engine.presence(now) } satisfies HubFrame);
      presenceTextMinute = minute;
    }
    return presenceText;
  }
  // A count of agents changing is not news for 10,000 booths; whether an organisation can be called is.
  const presenceKey = (list: OrganisationPresence[]): string => list.map((o) => `${o.code}:${o.openNow}:${o.reachable}:${o.nextOpening}:${o.closesAt}`).join('|');
  /** What the sockets were last told (each is told the presence as it signs in): set once the engine exists. */
  let lastPresence = '';
  /** Sent to every authenticated socket only when what it says changed (not on every call set-up). */
  function broadcastPresence(): void {
    presenceTimer = null;
    const organisationsNow = engine.presence(clock());
    const key = presenceKey(organisationsNow);
    if (key === lastPresence) return;
    lastPresence = key;
    const text = JSON.stringify({ type: 'presence', at: clock(), organisations: organisationsNow } satisfies HubFrame);
    // 10,000 sends take ~150 ms: sent in slices, one per turn of the event loop, so signals relayed meanwhile are not
    // held back. A newer presence replaces one still being sent (the sockets it had not reached get the newer one).
    const generation = ++presenceGeneration;
    const targets: Conn[] = [];
    for (const c of conns.values()) if (c.role !== 'none') targets.push(c);
    let next = 0;
    const slice = (): void => {
      if (generation !== presenceGeneration || closing) return;
      const end = Math.min(next + PRESENCE_SLICE, targets.length);
      for (; next < end; next++) sendRaw(targets[next]!, text);
      if (next < targets.length) setImmediate(slice);
    };
    slice();
  }
  let presenceGeneration = 0;
  // Coalesced: a burst of agent changes gives one presence frame to the booths.
  function presenceChanged(): void {
    presenceText = null;
    if (presenceTimer !== null || closing) return;
    presenceTimer = setTimeout(broadcastPresence, PRESENCE_COALESCE_MS);
    presenceTimer.unref();
  }

  const engine = createCallEngine({
    clock,
    scheduler: options.scheduler ?? realScheduler,
    send: sendTo,
    record: (c) => {
      try {
        store.recordCall(c);
      } catch (e) {
        log.error({ code: 'HUB_RECORD_FAILED', err: (e as Error).message }, 'call record not written');
      }
      log.info({ code: 'HUB_CALL_ENDED', callId: c.id, organisation: c.organisation, outcome: c.outcome, reason: c.reason }, 'call ended');
    },
    organisation: (code, now) => {
      const o = organisations.find((x) => x.code === code);
      return o ? infoOf(o, now) : null;
    },
    organisations: (now) => organisations.map((o) => infoOf(o, now)),
    ringTimeoutMs: options.ringTimeoutMs ?? 60_000,
    iceServers: () => iceServers,
    newCallId: () => randomUUID(),
    onPresenceChanged: presenceChanged,
  });

  // Sockets signing in are told the presence of now: the first periodic check has nothing to broadcast unless it changed.
  lastPresence = presenceKey(engine.presence(clock()));

  function dropConn(conn: Conn, code: HubErrorCode, wsCode: number): void {
    if (conn.closed) return;
    sendError(conn, code);
    // The error frame goes before ws's close frame.
    flush(conn);
    conn.ws.close(wsCode, code);
    forget(conn);
  }

  function forget(conn: Conn): void {
    if (conn.closed) return;
    conn.closed = true;
    conns.delete(conn.id);
    if (conn.role === 'booth' && boothConn.get(conn.subjectId) === conn) boothConn.delete(conn.subjectId);
    if (conn.role === 'agent' && agentConn.get(conn.subjectId) === conn) agentConn.delete(conn.subjectId);
    if (conn.role !== 'none') engine.leave(conn.id);
  }

  function authenticated(conn: Conn): void {
    sendRaw(conn, presenceFrameText());
  }

  function admitBooth(conn: Conn, id: number, name: string, demo: boolean): void {
    const previous = boothConn.get(id);
    if (previous && previous !== conn) dropConn(previous, 'REPLACED', 4001);
    conn.role = 'booth';
    conn.subjectId = id;
    boothConn.set(id, conn);
    engine.joinBooth(conn.id, { boothId: id, siteName: name });
    sendFrame(conn, { type: 'auth.ok', role: 'booth', id, name, organisation: null, session: null, demo });
    authenticated(conn);
  }

  function admitAgent(conn: Conn, agent: AgentRow, session: string | null, sessionHash: string): void {
    const previous = agentConn.get(agent.id);
    if (previous && previous !== conn) dropConn(previous, 'REPLACED', 4001);
    conn.role = 'agent';
    conn.subjectId = agent.id;
    conn.sessionHash = sessionHash;
    agentConn.set(agent.id, conn);
    engine.joinAgent(conn.id, { agentId: agent.id, organisation: agent.organisation, displayName: agent.displayName });
    sendFrame(conn, { type: 'auth.ok', role: 'agent', id: agent.id, name: agent.displayName, organisation: agent.organisation, session, demo: agent.demo });
    authenticated(conn);
    watch(conn);
  }

  async function authAgent(conn: Conn, login: string, password: string): Promise<void> {
    const address = addressOf(conn);
    // The check counts against the limits from now until scrypt ends: parallel guesses cannot pass them meanwhile.
    const wait = attempts.begin(login, address);
    if (wait > 0) {
      log.warn({ code: 'HUB_AUTH_RATE_LIMITED' }, 'too many wrong passwords');
      sendError(conn, 'AUTH_RATE_LIMITED', { retryAfterMs: wait });
      return;
    }
    conn.authPending = true;
    let agent: AgentRow | null = null;
    let good = false;
    try {
      agent = store.agentByLogin(login);
      good = (await verifyPassword(password, agent?.passwordHash ?? dummyHash)) && agent !== null;
    } finally {
      conn.authPending = false;
      // A revoked agent's right password is neither a failure nor a success.
      attempts.settle(login, address, !good ? 'failed' : agent?.revoked ? 'neither' : 'succeeded');
    }
    if (conn.closed) return;
    if (!agent || !good) {
      log.warn({ code: 'HUB_AUTH_FAILED' }, 'agent sign-in failed');
      sendError(conn, 'AUTH_FAILED');
      return;
    }
    if (agent.revoked) return dropConn(conn, 'REVOKED', 4003);
    const session = store.newSession(agent.id, clock(), sessionTtlMs);
    admitAgent(conn, agent, session, sha256(session));
  }

  /** A booth's sign-in, from its `auth.booth` frame or its handshake. */
  function signInBooth(conn: Conn, token: string): void {
    const hash = sha256(token);
    if (!attempts.quiet) {
      const wait = attempts.retryAfter(boothAttemptKey(hash), addressOf(conn));
      if (wait > 0) return sendError(conn, 'AUTH_RATE_LIMITED', { retryAfterMs: wait });
    }
    const booth = boothByTokenHash(hash);
    if (!booth) {
      attempts.fail(boothAttemptKey(hash), addressOf(conn));
      log.warn({ code: 'HUB_AUTH_FAILED' }, 'booth token refused');
      return sendError(conn, 'AUTH_FAILED');
    }
    if (booth.revoked) return dropConn(conn, 'REVOKED', 4003);
    admitBooth(conn, booth.id, booth.name, booth.demo);
  }

  /** An agent's sign-in with a session, from its `auth.session` frame or its handshake. */
  function signInSession(conn: Conn, session: string): void {
    const agent = store.agentBySession(session, clock());
    if (!agent) {
      attempts.fail(`#session`, addressOf(conn));
      return sendError(conn, 'AUTH_FAILED');
    }
    if (agent.revoked) return dropConn(conn, 'REVOKED', 4003);
    admitAgent(conn, agent, session, sha256(session));
  }

  function onFrame(conn: Conn, data: Buffer, isBinary: boolean): void {
    counters.framesIn++;
    conn.alive = true;
    const now = clock();
    if (!conn.bucket.take(now)) {
      counters.byError.RATE_LIMITED = (counters.byError.RATE_LIMITED ?? 0) + 1;
      conn.rateDrops++;
      if (now - conn.lastRateNotice >= 1000) {
        conn.lastRateNotice = now;
        sendFrame(conn, { type: 'error', code: 'RATE_LIMITED', message: HUB_ERROR_MESSAGES.RATE_LIMITED.fr });
      }
      return;
    }
    // A client's liveness beat, byte for byte: nothing to parse, nothing to answer.
    if (data.length === BEAT_BYTES.length && !isBinary && data.equals(BEAT_BYTES)) return;
    if (isBinary) return sendError(conn, 'BAD_FRAME', { bad: true });
    if (data.length > maxFrameBytes) return sendError(conn, 'TOO_LARGE', { bad: true });
    if (tooDeep(data)) return sendError(conn, 'BAD_FRAME', { bad: true });
    let value: unknown;
    try {
      value = JSON.parse(data.toString('utf8'));
    } catch {
      return sendError(conn, 'BAD_JSON', { bad: true });
    }
    if (typeof value !== 'object' || value === null) return sendError(conn, 'BAD_FRAME', { bad: true });
    const type = (value as { type?: unknown }).type;
    if (type === 'signal') return relaySignal(conn, value as Record<string, unknown>, data);
    const parsed = ClientFrame.safeParse(value);
    if (!parsed.success) return sendError(conn, 'BAD_FRAME', { bad: true });
    const frame = parsed.data;
    if (conn.role === 'none') {
      if (!AUTH_FRAMES.has(frame.type)) return sendError(conn, 'NOT_AUTHENTICATED');
    } else if (frame.type.startsWith('auth.')) return sendError(conn, 'ALREADY_AUTHENTICATED');
    else if (!(conn.role === 'booth' ? BOOTH_FRAMES : AGENT_FRAMES).has(frame.type)) return sendError(conn, 'FORBIDDEN');
    if (conn.authPending && frame.type.startsWith('auth.')) return sendError(conn, 'AUTH_RATE_LIMITED');

    let failure: ReturnType<CallEngine['accept']> = null;
    switch (frame.type) {
      case 'auth.booth':
        return signInBooth(conn, frame.token);
      case 'auth.agent':
        void authAgent(conn, frame.login, frame.password).catch((e: unknown) => {
          conn.authPending = false;
          log.error({ code: 'HUB_AUTH_ERROR', err: (e as Error).message }, 'error during a sign-in');
          sendError(conn, 'INTERNAL');
        });
        return;
      case 'auth.session':
        return signInSession(conn, frame.session);
      case 'ping':
        return sendFrame(conn, { type: 'pong', t: frame.t });
      case 'beat':
        return;
      case 'presence.get':
        return sendRaw(conn, presenceFrameText());
      case 'agent.status':
        engine.setAgentStatus(conn.id, frame.status);
        return;
      case 'call.request':
        failure = engine.request(conn.id, frame.organisation);
        if (!failure) watch(conn);
        break;
      case 'call.cancel':
        failure = engine.cancel(conn.id);
        break;
      case 'call.accept':
        failure = engine.accept(conn.id, frame.callId);
        break;
      case 'call.decline':
        failure = engine.decline(conn.id, frame.callId);
        break;
      case 'call.hangup':
        failure = engine.hangup(conn.id, frame.callId);
        break;
      case 'signal':
        return relaySignal(conn, frame, data);
    }
    if (failure) sendError(conn, failure);
  }

  /**
   * The hot path: a signal is checked against the `Signal` schema's shape by hand (no zod, no re-serialisation)
   * and the received bytes are forwarded as they are to the other side of the pair.
   */
  function relaySignal(conn: Conn, value: Record<string, unknown>, raw: Buffer): void {
    let keys = 0;
    for (const k in value) {
      keys++;
      if (k !== 'type' && k !== 'callId' && k !== 'data') return sendError(conn, 'BAD_FRAME', { bad: true });
    }
    const callId = value.callId;
    const payload = value.data;
    if (keys !== 3 || typeof callId !== 'string' || callId.length === 0 || callId.length > 64) return sendError(conn, 'BAD_FRAME', { bad: true });
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return sendError(conn, 'BAD_FRAME', { bad: true });
    if (conn.role === 'none') return sendError(conn, 'NOT_AUTHENTICATED');
    const peer = engine.peerOf(conn.id, callId);
    const target = peer === null ? undefined : conns.get(peer);
    if (!target) return sendError(conn, 'NOT_IN_CALL');
    counters.relayed++;
    relayRaw(target, raw);
  }

  /**
   * Writes a relayed signal to the target's socket as one WebSocket text frame in one buffer: one `write`, instead of
   * ws's cork, header, payload and uncork for each signal (measured in `npm run bench:hub`). Safe because the hub's
   * frames are never compressed nor fragmented (perMessageDeflate off), so ws has nothing queued that this could pass,
   * and the socket is written only while ws says it is open; ws's `bufferedAmount` counts these bytes too.
   */
  function relayRaw(target: Conn, payload: Buffer): void {
    if (writable(target)) target.socket.write(textFrame(payload));
  }

  // ---- HTTP: the agent console and a health probe --------------------------------------------------
  const staticRoot = options.staticDir ? path.resolve(options.staticDir) : null;
  // Evaluation: booths' weekly aggregates and the coordinator's dashboard (server/coordinator/).
  const httpRoutes: HttpRoute[] = [
    createCoordinatorRoutes({ store, clock, logger: log, staticDir: options.staticDir ?? null, ...(options.aggregateLimits ? { aggregateLimits: options.aggregateLimits } : {}) }),
    ...(options.httpRoutes ?? []).map((make) => make({ store, clock, logger: log })),
  ];
  const server = http.createServer((req, res) => {
    // A target the hub cannot read is the client's fault: 400, never a throw (a throw here would end the process).
    const url = requestUrl(req.url);
    if (!url) {
      log.info({ code: 'HTTP_BAD_TARGET', method: req.method }, 'HTTP request with an unreadable target refused');
      return badRequest(res, HTTP_HEADERS);
    }
    void (async () => {
      for (const route of httpRoutes) if (await route(req, res, url)) return;
      builtInHttp(req, res, url);
    })().catch((cause: unknown) => {
      log.error({ code: 'HTTP_ROUTE_FAILED', err: cause }, 'an HTTP route failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  function builtInHttp(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    const headers = HTTP_HEADERS;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    if (url.pathname === '/healthz') {
      const s = stats();
      res.writeHead(200, { ...headers, 'Content-Type': 'application/json' }).end(
        JSON.stringify({ ok: true, demo: demoMode, sockets: s.sockets, calls: s.calls, rssBytes: s.rssBytes, badFrames: s.badFrames, relayed: s.relayed }),
      );
      return;
    }
    if (!staticRoot) {
      res.writeHead(404, headers).end();
      return;
    }
    const rel = url.pathname === '/' ? 'agent.html' : url.pathname.startsWith('/assets/') ? decodePath(url.pathname.slice(1)) : undefined;
    if (rel === null) {
      log.info({ code: 'HTTP_BAD_PATH' }, 'static file path with a malformed percent-encoding refused');
      return badRequest(res, headers);
    }
    const file = rel ? path.resolve(staticRoot, rel) : null;
    if (!file || !file.startsWith(staticRoot + path.sep)) {
      res.writeHead(404, headers).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { ...headers, 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream' }).end(req.method === 'HEAD' ? undefined : body),
      () => res.writeHead(404, headers).end(),
    );
  }

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: Math.max(maxFrameBytes * 4, 256 * 1024),
    perMessageDeflate: false,
    clientTracking: false,
    // Answer with the hub's subprotocol only: a credential offered beside it is never echoed back.
    handleProtocols: (offered) => (offered.has(HUB_SUBPROTOCOL) ? HUB_SUBPROTOCOL : false),
  });
  server.on('upgrade', (req, socket, head) => {
    // Node's HTTP server stops listening for this socket's errors when it hands it over: without a listener, a client
    // that resets the connection before the answer is written would end the process. ws adds its own in handleUpgrade.
    socket.on('error', ignoreSocketError);
    if (!isHubPath(req.url) || closing) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    // TCP keepalive: the kernel probes a silent socket after heartbeatMs and closes it when the other end is gone (see
    // "Liveness" below); it also keeps NAT and firewall state open for idle booths.
    if (socket instanceof net.Socket) socket.setKeepAlive(true, heartbeatMs);
    // The handshake's answer and the hub's hello, with, for a credential in the handshake, ice.servers, auth.ok and the
    // presence, leave in one write (ws answers and calls back synchronously; the frames are gathered, see `flush`).
    socket.cork();
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = onConnection(ws, socket);
      const credential = handshakeCredential(req.headers['sec-websocket-protocol']);
      try {
        if (credential && 'booth' in credential) signInBooth(conn, credential.booth);
        else if (credential) signInSession(conn, credential.session);
      } catch (e) {
        log.error({ code: 'HUB_AUTH_ERROR', err: (e as Error).message }, 'error during a sign-in');
        sendError(conn, 'INTERNAL');
      } finally {
        flush(conn);
      }
    });
    socket.uncork();
  });

  /** A new socket, its hello gathered in its batch: the caller signs it in if it can, then flushes. */
  function onConnection(ws: WebSocket, socket: Duplex): Conn {
    const conn: Conn = {
      id: `c${nextConnId++}`,
      ws,
      socket,
      address: null,
      batch: [helloText],
      role: 'none',
      subjectId: 0,
      sessionHash: null,
      alive: true,
      watched: false,
      authPending: false,
      bucket: new TokenBucket(rate.perSecond, rate.burst, clock()),
      lastRateNotice: 0,
      rateDrops: 0,
      closed: false,
    };
    conns.set(conn.id, conn);
    authDeadlines.add(conn, performance.now());
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      // Until it is signed in, what a socket is answered leaves in one write (ice.servers, auth.ok and the presence).
      const gather = conn.role === 'none';
      if (gather) conn.batch = [];
      try {
        onFrame(conn, data, isBinary);
      } catch (e) {
        log.error({ code: 'HUB_FRAME_ERROR', err: (e as Error).message }, 'error while handling a frame');
        sendError(conn, 'INTERNAL');
      } finally {
        if (gather) flush(conn);
      }
    });
    ws.on('pong', () => {
      conn.alive = true;
    });
    ws.on('error', (e) => {
      counters.badFrames++;
      log.debug({ code: 'HUB_SOCKET_ERROR', err: e.message }, 'socket error');
    });
    ws.on('close', () => forget(conn));
    return conn;
  }

  // Liveness. An idle booth (signed in, no call) costs nothing in user space: its socket has TCP keepalive (the kernel
  // probes it after heartbeatMs of silence and closes it if the booth is gone; the booth's next connection replaces it
  // anyway). Pinging 10,000 idle booths every 30 s cost ~15 ms of CPU a second (the idle figure of `npm run bench:hub`).
  // Agents, and booths with a call queued, ringing or active, are watched: every heartbeatMs a watched socket that sent
  // anything meanwhile (its client's `beat` at least) is kept as it is; a silent one is pinged (a client without beats,
  // a browser tab whose timers are throttled: browsers answer pings themselves) and closed if no pong nor frame comes
  // within pongWaitMs. Deadlines without a timer per socket (server/deadlines.ts), swept by one interval; pings capped
  // per sweep so a burst is spread out. Real time, not the injected clock.
  let sweepNow = 0;
  const authDeadlines = new FifoDeadlines<Conn>(options.authTimeoutMs ?? 15_000);
  const checkDeadlines = new FifoDeadlines<Conn>(heartbeatMs);
  const pongDeadlines = new FifoDeadlines<Conn>(Math.min(heartbeatMs, 10_000));
  // A tenth of the shortest wait, at most a second: an idle hub wakes once a second for this, not ten times.
  const sweepMs = Math.min(1_000, Math.max(10, Math.floor(Math.min(pongDeadlines.delayMs, authDeadlines.delayMs) / 10)));
  const expireAuth = (conn: Conn): void => {
    if (!conn.closed && conn.role === 'none') dropConn(conn, 'NOT_AUTHENTICATED', 4000);
  };
  const needsWatching = (conn: Conn): boolean => conn.role === 'agent' || (conn.role === 'booth' && engine.boothInCall(conn.id));
  /** Starts watching a socket that needs it (an agent signed in, a booth that asked for a call). */
  const watch = (conn: Conn): void => {
    if (conn.watched || conn.closed || !needsWatching(conn)) return;
    conn.watched = true;
    conn.alive = true;
    checkDeadlines.add(conn, performance.now());
  };
  /** A watched socket's period is over: kept if it said something, pinged if not; no longer watched once idle. */
  const checkDue = (conn: Conn): void => {
    if (conn.closed) return;
    conn.watched = needsWatching(conn);
    if (!conn.watched) return;
    if (conn.alive) {
      conn.alive = false;
      checkDeadlines.add(conn, sweepNow);
      return;
    }
    counters.pings++;
    conn.ws.ping();
    pongDeadlines.add(conn, sweepNow);
  };
  /** The answer to a ping is due: closed if nothing came and it is still watched, else back to the periodic check. */
  const pongDue = (conn: Conn): void => {
    if (conn.closed) return;
    if (conn.alive || !needsWatching(conn)) return checkDue(conn);
    counters.heartbeatDropped++;
    log.info({ code: 'HUB_HEARTBEAT_MISSED', role: conn.role }, 'connection missed its heartbeat: closed');
    conn.ws.terminate();
    forget(conn);
  };
  const heartbeat = setInterval(() => {
    sweepNow = performance.now();
    authDeadlines.takeDue(sweepNow, expireAuth);
    pongDeadlines.takeDue(sweepNow, pongDue);
    const pingsPerSweep = Math.max(32, Math.ceil(((conns.size * sweepMs) / heartbeatMs) * 2));
    checkDeadlines.takeDue(sweepNow, checkDue, pingsPerSweep);
  }, sweepMs);
  heartbeat.unref();

  let lastRevocationCheck = clock();
  const closeRevoked = (): void => {
    const since = lastRevocationCheck;
    lastRevocationCheck = clock();
    const r = store.revokedSince(since);
    forgetBooths(r.booths);
    // Almost always nothing: then no walk over every socket (10,000 of them, every 5 s).
    if (r.booths.length === 0 && r.agents.length === 0 && r.sessions.length === 0) return;
    const sessions = new Set(r.sessions);
    for (const id of r.booths) {
      const c = boothConn.get(id);
      if (c) dropConn(c, 'REVOKED', 4003);
    }
    for (const c of [...conns.values()]) {
      if (c.role === 'agent' && (r.agents.includes(c.subjectId) || (c.sessionHash !== null && sessions.has(c.sessionHash)))) dropConn(c, 'REVOKED', 4003);
    }
  };
  const tick = setInterval(() => {
    try {
      closeRevoked();
      attempts.prune();
      organisations = store.organisations();
      infoMinute = -1;
      presenceChanged();
    } catch (e) {
      log.error({ code: 'HUB_TICK_FAILED', err: (e as Error).message }, 'periodic check failed');
    }
  }, options.revocationPollMs ?? 5_000);
  tick.unref();

  let closing = false;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? '127.0.0.1';
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  const httpUrl = `http://${hostForUrl}:${port}`;
  const url = `ws://${hostForUrl}:${port}${WS_PATH}`;

  let demo: DemoAccounts | null = null;
  if (demoMode) demo = await seedDemo(store, clock(), httpUrl);
  if (demo) {
    log.info(
      { code: 'HUB_DEMO', consoleUrl: demo.consoleUrl, agents: demo.agents.map((a) => `${a.login} / ${a.password}`) },
      `DEMO hub: agents' console ${demo.consoleUrl} — demo accounts ${demo.agents.map((a) => a.login).join(', ')}, password ${demo.agents[0]?.password ?? ''}`,
    );
  }
  log.info({ code: 'HUB_LISTENING', url }, `hub listening on ${url}`);

  function stats(): HubStats {
    const mem = process.memoryUsage();
    let booths = 0;
    let agents = 0;
    for (const c of conns.values()) {
      if (c.role === 'booth') booths++;
      else if (c.role === 'agent') agents++;
    }
    return {
      sockets: conns.size,
      booths,
      agents,
      framesIn: counters.framesIn,
      relayed: counters.relayed,
      badFrames: counters.badFrames,
      byError: { ...counters.byError },
      heartbeatDropped: counters.heartbeatDropped,
      pings: counters.pings,
      calls: engine.stats(),
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
    };
  }

  return {
    url,
    httpUrl,
    port,
    demo,
    store,
    stats,
    revokeBooth(id) {
      const done = store.revokeBooth(id, clock());
      forgetBooths([id]);
      const c = boothConn.get(id);
      if (c) dropConn(c, 'REVOKED', 4003);
      return done;
    },
    revokeAgent(id) {
      const done = store.revokeAgent(id, clock());
      const c = agentConn.get(id);
      if (c) dropConn(c, 'REVOKED', 4003);
      return done;
    },
    revokeSession(token) {
      const done = store.revokeSession(token, clock());
      const hash = sha256(token);
      for (const c of [...conns.values()]) if (c.sessionHash === hash) dropConn(c, 'REVOKED', 4003);
      return done;
    },
    async close() {
      if (closing) return;
      closing = true;
      clearInterval(heartbeat);
      clearInterval(tick);
      if (presenceTimer) clearTimeout(presenceTimer);
      engine.shutdown();
      for (const c of [...conns.values()]) {
        c.ws.close(1012, 'hub_restart');
        forget(c);
      }
      await new Promise<void>((resolve) => {
        wss.close(() => resolve());
      });
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      store.db.close();
      log.info({ code: 'HUB_CLOSED' }, 'hub stopped');
    },
  };
}

/** Whether a request's target is the hub's socket path (with or without a query string). */
function isHubPath(target: string | undefined): boolean {
  return target !== undefined && target.startsWith(WS_PATH) && (target.length === WS_PATH.length || target[WS_PATH.length] === '?');
}

const headerBytesOf = (length: number): number => (length < 126 ? 2 : length < 65_536 ? 4 : 10);

/** Writes the header of an unmasked, final text frame of `length` bytes at `at`; returns where its payload goes. */
function writeTextHeader(out: Buffer, at: number, length: number): number {
  out[at] = 0x81;
  if (length < 126) {
    out[at + 1] = length;
    return at + 2;
  }
  if (length < 65_536) {
    out[at + 1] = 126;
    out.writeUInt16BE(length, at + 2);
    return at + 4;
  }
  out[at + 1] = 127;
  out.writeBigUInt64BE(BigInt(length), at + 2);
  return at + 10;
}

/** An unmasked, final WebSocket text frame (RFC 6455 §5.2) carrying `payload`, in one buffer. */
export function textFrame(payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(headerBytesOf(payload.length) + payload.length);
  payload.copy(frame, writeTextHeader(frame, 0, payload.length));
  return frame;
}

/** Several texts as consecutive text frames, in one buffer. */
export function textFrames(texts: readonly string[]): Buffer {
  const lengths = texts.map((t) => Buffer.byteLength(t));
  let total = 0;
  for (const length of lengths) total += headerBytesOf(length) + length;
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  texts.forEach((text, i) => {
    at = writeTextHeader(out, at, lengths[i]!);
    at += out.write(text, at, 'utf8');
  });
  return out;
}

const MAX_DEPTH = 16;
const BRACKETS_WITHOUT_SCAN = 64;
/** Below this, a frame's nesting costs V8 microseconds at worst: not checked (relayed signals are ~250 bytes). */
const NESTING_CHECK_BYTES = 1_024;

/**
 * Deeply nested JSON costs V8 milliseconds to parse (a cheap denial of service): refuse it first. Protocol frames
 * have a handful of brackets, counted with native `indexOf`; only a frame with many is scanned byte by byte.
 */
export function tooDeep(buf: Buffer): boolean {
  if (buf.length < NESTING_CHECK_BYTES) return false;
  let brackets = 0;
  for (const byte of [0x7b, 0x5b]) {
    let at = buf.indexOf(byte);
    while (at !== -1) {
      if (++brackets > BRACKETS_WITHOUT_SCAN) return scanDepth(buf) > MAX_DEPTH;
      at = buf.indexOf(byte, at + 1);
    }
  }
  return false;
}

function scanDepth(buf: Buffer): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) max = depth;
      if (max > MAX_DEPTH) return max;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** One demo agent per organisation (`demo-caf`, …) and a demo booth; passwords and token are new at each start. */
async function seedDemo(store: HubStore, now: number, httpUrl: string): Promise<DemoAccounts> {
  const password = `demo-${randomBytes(4).toString('hex')}`;
  const passwordHash = await hashPassword(password);
  const agents: DemoAccounts['agents'] = [];
  for (const o of store.organisations()) {
    const login = DEMO_LOGIN(o.code);
    const existing = store.agentByLogin(login);
    if (existing) store.db.prepare('UPDATE agents SET password_hash = ?, revoked_at = NULL WHERE id = ?').run(passwordHash, existing.id);
    else store.addAgent({ organisation: o.code, login, displayName: `Conseiller ${o.code} (démo)`, passwordHash, demo: true }, now);
    agents.push({ organisation: o.code, login, password });
  }
  store.db.prepare("DELETE FROM booths WHERE demo = 1 AND name = 'Borne de démonstration'").run();
  const booth = store.addBooth('Borne de démonstration', now, true);
  return { boothToken: booth.token, agents, consoleUrl: `${httpUrl}/` };
}
