// The hub's HTTP routes for evaluation: booths POST their weekly aggregates (Bearer booth token), and the department's
// coordinator logs in (rate-limited, HttpOnly SameSite=Strict cookie) to read the dashboard as JSON or CSV at /coordinator.
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { AGGREGATES_PATH } from '../../shared/aggregates.js';
import { IsoWeek } from '../../shared/domain.js';
import { isoWeekLabel, shiftWeek, weekKeyFromLabel, weekKeyOf } from '../../shared/time.js';
import { dashboardCsv, DEFAULT_AGGREGATE_LIMITS, MAX_DASHBOARD_WEEKS, type AggregateLimits } from '../aggregates/index.js';
import { DEFAULT_ATTEMPT_LIMITS, FailedAttempts, verifyPassword, type AttemptLimits } from '../auth.js';
import { clientAddress } from '../http/clientAddress.js';
import { answerFleet, isFleetPath, type FleetApiDeps } from '../fleet/routes.js';
import { answerConfig, configNeedsBody, isConfigPath, type HubFleetConfig } from '../fleetConfig/index.js';
import { answerEnrolments, isEnrolmentsPath, type EnrolmentApiDeps } from '../enrolment/routes.js';
import type { AppointmentStore } from '../appointments/store.js';
import { answerAppointments, isAppointmentsPath } from './appointmentsRoute.js';
import type { EvaluationStore } from '../sharedStore/evaluation.js';
import type { CoordinatorRow } from './store.js';
import { coordinatorCsp } from '../../shared/node/csp.js';

/** Answers the request and returns true, or returns false to let the next handler try. */
export type HttpRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>;

export interface CoordinatorRoutesOptions {
  /** The coordinators' accounts and the weekly aggregates: SQLite on one machine, PostgreSQL on a hub across machines. */
  evaluation: EvaluationStore;
  /** The booth of a token (revoked or not), null when none has it: who sends aggregates. */
  boothByToken: (token: string) => Promise<{ id: number; name: string; revoked: boolean } | null>;
  /** The appointments' store (SQLite, or PostgreSQL on a hub across machines), for the appointments' page; absent: not served. */
  appointments?: Pick<AppointmentStore, 'records'>;
  /** Whether the kiosk updates' routes (server/updates/) are served beside these: their view is offered then. */
  updates?: boolean;
  clock: () => number;
  logger: Logger;
  /** The built renderer holding coordinator.html (and its assets, served by the hub under /assets/). */
  staticDir: string | null;
  attemptLimits?: AttemptLimits;
  sessionTtlMs?: number;
  /** Adds `Secure` to the session cookie (set it when the hub is served over https). */
  secureCookie?: boolean;
  /** Bounds on a booth's weekly counts (beyond: refused to the booth, and left out of the dashboard). */
  aggregateLimits?: AggregateLimits;
  /** The « Bornes » API (server/fleet/routes.ts), behind the same login; absent: not served. */
  fleet?: FleetApiDeps;
  /** The configuration pushed to the booths (server/fleetConfig/), behind the same login; absent: not served. */
  fleetConfig?: HubFleetConfig;
  /** Creating booths with their one-time enrolment code (server/enrolment/), behind the same login; absent: not served. */
  enrolment?: EnrolmentApiDeps;
  /** Proxies whose X-Forwarded-For names the client, for the login's limits (server/http/clientAddress.ts). */
  trustedProxies?: ReadonlySet<string>;
}

export const COOKIE = 'relais_coordinator';
const MAX_BODY = 256 * 1024;
const BASE_HEADERS = { 'Content-Security-Policy': coordinatorCsp(), 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' };

const Login = z.object({ login: z.string().trim().min(1).max(80), password: z.string().min(1).max(200) }).strict();

/** The site id the hub gives a booth's aggregates: its identity is its token, whatever id the booth puts in the payload. */
export const siteIdOfBooth = (boothId: number): string => `booth-${String(boothId).padStart(4, '0')}`;

class BodyError extends Error {
  constructor(readonly status: number) {
    super(`body refused (${status})`);
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new BodyError(413);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new BodyError(400);
  }
}

const json = (res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): true => {
  res.writeHead(status, { ...BASE_HEADERS, 'Content-Type': 'application/json; charset=utf-8', ...extra }).end(JSON.stringify(body));
  return true;
};

function cookieOf(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

/** A default range: the 12 ISO weeks up to the current one. */
function rangeOf(url: URL, now: number): { fromWeek: string; toWeek: string } | null {
  const current = weekKeyOf(now);
  const from = url.searchParams.get('from') ?? isoWeekLabel(shiftWeek(current, -11));
  const to = url.searchParams.get('to') ?? isoWeekLabel(current);
  if (!IsoWeek.safeParse(from).success || !IsoWeek.safeParse(to).success) return null;
  const f = weekKeyFromLabel(from);
  const t = weekKeyFromLabel(to);
  if (f > t || shiftWeek(f, MAX_DASHBOARD_WEEKS - 1) < t) return null;
  return { fromWeek: from, toWeek: to };
}

export function createCoordinatorRoutes(options: CoordinatorRoutesOptions): HttpRoute {
  const { appointments, evaluation, clock } = options;
  const log = options.logger.child({ scope: 'coordinator' });
  // The dashboard's views this hub serves (the page shows those only), and 'enrol' where booths can be created from the
  // « Bornes » view.
  const views = [
    'counts',
    ...(options.fleet ? ['booths'] : []),
    ...(options.fleet && options.enrolment ? ['enrol'] : []),
    ...(appointments ? ['appointments'] : []),
    ...(options.updates ? ['updates'] : []),
    ...(options.fleetConfig ? ['config'] : []),
  ];
  const attempts = new FailedAttempts(options.attemptLimits ?? DEFAULT_ATTEMPT_LIMITS, clock);
  const ttlMs = options.sessionTtlMs ?? 8 * 3_600_000;
  const trusted = options.trustedProxies ?? new Set<string>();
  const limits = options.aggregateLimits ?? DEFAULT_AGGREGATE_LIMITS;
  const staticRoot = options.staticDir ? path.resolve(options.staticDir) : null;
  // Unknown logins still cost one scrypt, so their answer takes as long as a wrong password.
  const dummyHash = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

  const sessionCookie = (value: string, maxAgeS: number) =>
    `${COOKIE}=${value}; Path=/coordinator; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${options.secureCookie ? '; Secure' : ''}`;
  const coordinatorOf = async (req: IncomingMessage): Promise<CoordinatorRow | null> => {
    const token = cookieOf(req, COOKIE);
    return token ? evaluation.coordinatorBySession(token, clock()) : null;
  };

  async function receiveAggregates(req: IncomingMessage, res: ServerResponse): Promise<true> {
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
    const booth = token ? await options.boothByToken(token) : null;
    if (!booth || booth.revoked) {
      log.warn({ code: 'AGGREGATES_UNAUTHORISED' }, 'aggregates refused: unknown or revoked booth token');
      return json(res, 401, { error: 'UNAUTHORISED' });
    }
    let body: unknown;
    try {
      body = await readJson(req);
    } catch (cause) {
      return json(res, cause instanceof BodyError ? cause.status : 400, { error: 'INVALID_PAYLOAD' });
    }
    const siteId = siteIdOfBooth(booth.id);
    const payload = typeof body === 'object' && body !== null ? { ...body, siteId } : body;
    const result = await evaluation.storeWeek(siteId, booth.name, payload, clock(), limits);
    if (!result.ok) {
      log.warn({ code: 'AGGREGATES_REFUSED', reason: result.error.code, booth: booth.id, detail: result.error.message.slice(0, 300) }, 'aggregates refused');
      const bounds = result.error.code === 'COUNTS_OUT_OF_BOUNDS' ? { limits } : {};
      return json(res, 400, { error: result.error.code, message: result.error.message.slice(0, 500), ...bounds });
    }
    log.info({ code: 'AGGREGATES_STORED', booth: booth.id, outcome: result.value }, 'weekly aggregates received');
    return json(res, 200, { outcome: result.value });
  }

  async function login(req: IncomingMessage, res: ServerResponse): Promise<true> {
    const address = clientAddress(req, trusted);
    let body: unknown;
    try {
      body = await readJson(req);
    } catch {
      return json(res, 400, { error: 'INVALID_INPUT' });
    }
    const parsed = Login.safeParse(body);
    if (!parsed.success) return json(res, 400, { error: 'INVALID_INPUT' });
    const { login: name, password } = parsed.data;
    // The check counts against the limits from now until scrypt ends: parallel guesses cannot pass them meanwhile.
    const wait = attempts.begin(name, address);
    if (wait > 0) {
      log.warn({ code: 'COORDINATOR_LOGIN_THROTTLED' }, 'coordinator login throttled');
      return json(res, 429, { error: 'TOO_MANY_ATTEMPTS', retryAfterS: Math.ceil(wait / 1000) }, { 'Retry-After': String(Math.ceil(wait / 1000)) });
    }
    let account: CoordinatorRow | null = null;
    let good = false;
    try {
      account = await evaluation.coordinatorByLogin(name);
      good = (await verifyPassword(password, account?.passwordHash ?? dummyHash)) && account !== null && !account.revoked;
    } finally {
      attempts.settle(name, address, good ? 'succeeded' : 'failed');
    }
    if (!account || !good) {
      log.warn({ code: 'COORDINATOR_LOGIN_FAILED' }, 'coordinator login refused');
      return json(res, 401, { error: 'WRONG_CREDENTIALS' });
    }
    const token = await evaluation.newCoordinatorSession(account.id, clock(), ttlMs);
    log.info({ code: 'COORDINATOR_LOGIN', coordinator: account.id }, 'coordinator signed in');
    return json(res, 200, { login: account.login, views }, { 'Set-Cookie': sessionCookie(token, Math.floor(ttlMs / 1000)) });
  }

  /** Refuses state-changing requests sent from another origin (the cookie is SameSite=Strict already). */
  const sameOrigin = (req: IncomingMessage): boolean => {
    const origin = req.headers.origin;
    return origin === undefined || origin === `http://${req.headers.host}` || origin === `https://${req.headers.host}`;
  };

  async function servePage(req: IncomingMessage, res: ServerResponse): Promise<true> {
    if (!staticRoot) {
      res.writeHead(404, { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('Tableau de bord non construit (npm run build, puis --static-dir dist/renderer).');
      return true;
    }
    try {
      const body = await readFile(path.join(staticRoot, 'coordinator.html'));
      res.writeHead(200, { ...BASE_HEADERS, 'Content-Type': 'text/html; charset=utf-8' }).end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('coordinator.html introuvable.');
    }
    return true;
  }

  return async (req, res, url) => {
    const p = url.pathname;
    if (p !== '/coordinator' && !p.startsWith('/coordinator/')) return false;
    const method = req.method ?? 'GET';
    if (p === AGGREGATES_PATH) return method === 'POST' ? receiveAggregates(req, res) : json(res, 405, { error: 'METHOD' });
    if (p === '/coordinator/api/login') {
      if (method !== 'POST') return json(res, 405, { error: 'METHOD' });
      if (!sameOrigin(req)) return json(res, 403, { error: 'FORBIDDEN' });
      return login(req, res);
    }
    if (p === '/coordinator/api/logout') {
      if (method !== 'POST') return json(res, 405, { error: 'METHOD' });
      if (!sameOrigin(req)) return json(res, 403, { error: 'FORBIDDEN' });
      const token = cookieOf(req, COOKIE);
      if (token) await evaluation.endCoordinatorSession(token);
      return json(res, 200, { done: true }, { 'Set-Cookie': sessionCookie('', 0) });
    }
    if (options.fleet && isFleetPath(p)) {
      if (!(await coordinatorOf(req))) return json(res, 401, { error: 'NOT_SIGNED_IN' });
      const answer = await answerFleet(options.fleet, method, url, sameOrigin(req));
      return json(res, answer.status, answer.body);
    }
    if (options.fleetConfig && isConfigPath(p)) {
      const who = await coordinatorOf(req);
      if (!who) return json(res, 401, { error: 'NOT_SIGNED_IN' });
      let body: unknown = null;
      if (configNeedsBody(method, p) && sameOrigin(req)) {
        try {
          body = await readJson(req);
        } catch (cause) {
          return json(res, cause instanceof BodyError ? cause.status : 400, { error: 'INVALID_INPUT' });
        }
      }
      const answer = await answerConfig(options.fleetConfig, { method, url, sameOrigin: sameOrigin(req), body, coordinator: who.login });
      return json(res, answer.status, answer.body);
    }
    if (options.enrolment && isEnrolmentsPath(p)) {
      if (!(await coordinatorOf(req))) return json(res, 401, { error: 'NOT_SIGNED_IN' });
      const answer = await answerEnrolments(options.enrolment, req, url, sameOrigin(req));
      return json(res, answer.status, answer.body);
    }
    if (method !== 'GET' && method !== 'HEAD') return json(res, 405, { error: 'METHOD' });
    if (p === '/coordinator') return servePage(req, res);
    // The page's assets are relative (./assets/…): keep it at /coordinator so they resolve to the hub's /assets/.
    if (p === '/coordinator/') {
      res.writeHead(308, { ...BASE_HEADERS, Location: '/coordinator' }).end();
      return true;
    }
    if (p.startsWith('/coordinator/api/')) {
      const who = await coordinatorOf(req);
      if (!who) return json(res, 401, { error: 'NOT_SIGNED_IN' });
      if (p === '/coordinator/api/session') return json(res, 200, { login: who.login, views });
      if (appointments && isAppointmentsPath(p)) {
        const answer = await answerAppointments(appointments, url, clock());
        if (answer.kind === 'json') return json(res, answer.status, answer.body);
        res
          .writeHead(200, { ...BASE_HEADERS, 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${answer.filename}"` })
          .end(req.method === 'HEAD' ? undefined : answer.content);
        return true;
      }
      if (p === '/coordinator/api/dashboard' || p === '/coordinator/api/dashboard.csv') {
        const range = rangeOf(url, clock());
        if (!range) return json(res, 400, { error: 'INVALID_RANGE' });
        const d = await evaluation.dashboard(range, limits);
        if (d.excluded.length > 0) {
          log.warn({ code: 'AGGREGATES_OUT_OF_BOUNDS_LEFT_OUT', weeks: d.excluded.length }, 'site-weeks out of bounds left out of the dashboard');
        }
        if (p === '/coordinator/api/dashboard') return json(res, 200, d);
        const csv = dashboardCsv(d);
        res
          .writeHead(200, { ...BASE_HEADERS, 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${csv.filename}"` })
          .end(req.method === 'HEAD' ? undefined : csv.content);
        return true;
      }
    }
    return json(res, 404, { error: 'NOT_FOUND' });
  };
}
