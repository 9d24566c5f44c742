// Enrolment over HTTP: `POST /api/enrol` where a new kiosk exchanges its one-time code for its credential (guesses
// limited per address and overall), and the coordinator's `/coordinator/api/enrolments` (behind the login, in
// server/coordinator/routes.ts): create a booth with its code and QR code, list those waiting, give a new code.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import QRCode from 'qrcode';
import { ENROL_PATH, EnrolRequest, NewEnrolment, type EnrolAnswer, type EnrolmentCreated } from '../../shared/enrolment.js';
import { FailedAttempts, type AttemptLimits } from '../auth.js';
import { clientAddress } from '../http/clientAddress.js';
import type { HttpRoute } from '../coordinator/index.js';
import { normaliseEnrolmentCode } from './codes.js';
import type { CreatedEnrolment, EnrolmentRefusal, EnrolmentStore } from './store.js';

/** Wrong codes allowed per address (and overall, across addresses) in a sliding window. */
export const DEFAULT_ENROL_LIMITS: AttemptLimits = { perLogin: 200, perAddress: 10, windowMs: 15 * 60_000 };
const MAX_BODY = 4 * 1024;
const HEADERS = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Content-Type': 'application/json; charset=utf-8' };
/** FailedAttempts counts per « login » and per address: enrolment has one login, so its limit is the overall one. */
const ALL = 'enrolment';

const STATUS: Record<EnrolmentRefusal, number> = { ENROL_CODE_UNKNOWN: 404, ENROL_CODE_USED: 409, ENROL_CODE_EXPIRED: 410 };

class BodyError extends Error {
  constructor(readonly status: 400 | 413) {
    super(`body refused (${status})`);
  }
}

/** The JSON body, at most `max` bytes (413 beyond, without reading the rest), 400 when it is not JSON. */
export async function readSmallJson(req: IncomingMessage, max: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) throw new BodyError(413);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > max) throw new BodyError(413);
      chunks.push(chunk as Buffer);
    }
  } catch (cause) {
    throw cause instanceof BodyError ? cause : new BodyError(400);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new BodyError(400);
  }
}

const send = (res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): true => {
  // A refused body may still be arriving: close the connection rather than read the rest.
  res.writeHead(status, { ...HEADERS, ...(status === 413 ? { Connection: 'close' } : {}), ...extra }).end(JSON.stringify(body));
  return true;
};

export interface EnrolRouteDeps {
  enrolments: Pick<EnrolmentStore, 'redeem'>;
  clock: () => number;
  logger: Logger;
  limits?: AttemptLimits;
  /** Proxies whose X-Forwarded-For is believed (server/http/clientAddress.ts). */
  trusted?: ReadonlySet<string>;
}

/** `POST /api/enrol` {code}: 200 {boothId, name, token}, or 400/404/409/410/413/429 with `{ error }`. */
export function createEnrolRoute({ enrolments, clock, logger, limits, trusted = new Set() }: EnrolRouteDeps): HttpRoute {
  const log = logger.child({ scope: 'enrolment' });
  const attempts = new FailedAttempts(limits ?? DEFAULT_ENROL_LIMITS, clock);
  return async (req, res, url) => {
    if (url.pathname !== ENROL_PATH) return false;
    if (req.method !== 'POST') return send(res, 405, { error: 'METHOD' } satisfies EnrolAnswer);
    const address = clientAddress(req, trusted);
    const wait = attempts.retryAfter(ALL, address);
    if (wait > 0) {
      log.warn({ code: 'ENROL_THROTTLED' }, 'enrolment code guesses throttled');
      return send(res, 429, { error: 'ENROL_TOO_MANY_ATTEMPTS' } satisfies EnrolAnswer, { 'Retry-After': String(Math.ceil(wait / 1000)) });
    }
    let body: unknown;
    try {
      body = await readSmallJson(req, MAX_BODY);
    } catch (cause) {
      return send(res, cause instanceof BodyError ? cause.status : 400, { error: 'INVALID_INPUT' } satisfies EnrolAnswer);
    }
    const parsed = EnrolRequest.safeParse(body);
    if (!parsed.success) return send(res, 400, { error: 'INVALID_INPUT' } satisfies EnrolAnswer);
    const code = normaliseEnrolmentCode(parsed.data.code);
    const result = code ? await enrolments.redeem(code, clock()) : { ok: false as const, error: 'ENROL_CODE_UNKNOWN' as const };
    if (!result.ok) {
      // Every refusal counts as a guess: a used or expired code tells a guesser as much as an unknown one.
      attempts.fail(ALL, address);
      log.warn({ code: result.error }, 'enrolment code refused');
      return send(res, STATUS[result.error], { error: result.error } satisfies EnrolAnswer);
    }
    log.info({ code: 'BOOTH_ENROLLED', booth: result.boothId }, 'booth enrolled with its one-time code');
    return send(res, 200, { boothId: result.boothId, name: result.name, token: result.token } satisfies EnrolAnswer);
  };
}

export const ENROLMENTS_PATH = '/coordinator/api/enrolments';
const RENEW_PATH = /^\/coordinator\/api\/enrolments\/([1-9]\d{0,8})\/renew$/;

export const isEnrolmentsPath = (p: string): boolean => p === ENROLMENTS_PATH || p.startsWith(`${ENROLMENTS_PATH}/`);

export interface EnrolmentApiDeps {
  enrolments: Pick<EnrolmentStore, 'create' | 'renew' | 'pending'>;
  clock: () => number;
  logger: Logger;
  /** The hub's public origin (publicOrigin), when the operator gave one. */
  publicUrl?: string;
}

/**
 * The hub's public address from what an operator typed: an http(s) origin without credentials, path, query or fragment
 * (`https://relais.cantal.fr`, `http://10.0.0.5:8787`), or a French sentence saying what is wrong with it.
 */
export function publicOrigin(typed: string): { origin: string } | { error: string } {
  const refused = { error: `Adresse publique du hub invalide : « ${typed.slice(0, 200)} » (attendu : https://nom.du.hub ou http://adresse:port, sans chemin).` };
  let url: URL;
  try {
    url = new URL(typed.trim());
  } catch {
    return refused;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return refused;
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) return refused;
  // A DNS name holds 253 characters at most, in labels of 63.
  if (url.hostname.length > 253 || url.hostname.split('.').some((label) => label.length > 63)) return refused;
  return { origin: url.origin };
}

/**
 * What the kiosk's assistant is told to type: the hub's public address when the operator gave one (behind a TLS proxy
 * the browser's Host is right but the socket is plain HTTP), else the address the coordinator's browser reached.
 */
function hubAddressOf(req: IncomingMessage, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl;
  const host = req.headers.host ?? '127.0.0.1';
  const secure = (req.socket as { encrypted?: boolean }).encrypted === true;
  return `${secure ? 'https' : 'http'}://${host}`;
}

async function withQr(created: CreatedEnrolment, hubAddress: string): Promise<EnrolmentCreated> {
  const payload = `relais-enrol:${hubAddress}#${created.code}`;
  const svg = await QRCode.toString(payload, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { ...created, hubAddress, qrSvgDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
}

/** The answer to a signed-in coordinator's request on an enrolment path; `sameOrigin` as the coordinator's routes judge it. */
export async function answerEnrolments(deps: EnrolmentApiDeps, req: IncomingMessage, url: URL, sameOrigin: boolean): Promise<{ status: number; body: unknown }> {
  const method = req.method ?? 'GET';
  const log = deps.logger.child({ scope: 'enrolment' });
  if (url.pathname === ENROLMENTS_PATH && (method === 'GET' || method === 'HEAD')) return { status: 200, body: { pending: await deps.enrolments.pending() } };
  const renew = RENEW_PATH.exec(url.pathname);
  if (url.pathname !== ENROLMENTS_PATH && !renew) return { status: 404, body: { error: 'NOT_FOUND' } };
  if (method !== 'POST') return { status: 405, body: { error: 'METHOD' } };
  if (!sameOrigin) return { status: 403, body: { error: 'FORBIDDEN' } };
  let body: unknown = {};
  try {
    body = await readSmallJson(req, MAX_BODY);
  } catch (cause) {
    if (!renew) return { status: cause instanceof BodyError ? cause.status : 400, body: { error: 'INVALID_INPUT' } };
  }
  if (renew) {
    const created = await deps.enrolments.renew(Number(renew[1]), deps.clock());
    if (!created) return { status: 404, body: { error: 'NOT_PENDING' } };
    log.info({ code: 'ENROLMENT_CODE_RENEWED', booth: created.boothId }, 'new enrolment code');
    return { status: 200, body: await withQr(created, hubAddressOf(req, deps.publicUrl)) };
  }
  const parsed = NewEnrolment.safeParse(body);
  if (!parsed.success) return { status: 400, body: { error: 'INVALID_INPUT', fields: parsed.error.issues.map((i) => String(i.path[0] ?? '')) } };
  const created = await deps.enrolments.create(parsed.data.name, parsed.data.commune, deps.clock());
  log.info({ code: 'BOOTH_CREATED', booth: created.boothId }, 'booth created with an enrolment code');
  return { status: 201, body: await withQr(created, hubAddressOf(req, deps.publicUrl)) };
}
