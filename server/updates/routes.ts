// The hub's update routes. Booths (Bearer booth token): the channel files of electron-updater's generic provider under
// /updates/, each booth told the newest release its rollout includes (else the version it runs), the files with Range,
// and the booth's report. The coordinator (behind its login): the releases, each booth's version and last result, the
// rollout of a release, and uploading a release's installer.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { coordinatorCsp } from '../../shared/node/csp.js';
import type { BoothRow as FleetBoothRow } from '../../shared/fleet.js';
import {
  CHANNEL_FILES,
  ReleaseFileName,
  ReleaseVersion,
  RELEASES_API_PATH,
  Rollout,
  UPDATES_FEED_PATH,
  UPDATES_REPORT_PATH,
  UpdateReport,
  compareReleaseVersions,
  platformOfFile,
  type ReleasesResponse,
  type UpdatePlatform,
} from '../../shared/updates.js';
import type { HttpRoute } from '../coordinator/index.js';
import type { BoothRow } from '../store.js';
import { decodePath } from '../httpTarget.js';
import { ReleaseFileError, type ReleaseFiles } from './files.js';
import { channelFile, currentVersionFile } from './manifest.js';
import { newestFirst, offeredRelease } from './rollout.js';
import type { UpdateStore } from './store.js';

export interface UpdateRoutesDeps {
  store: UpdateStore;
  /** Where the installers are kept: the hub's disk (`diskReleaseFiles`) or PostgreSQL (`postgresReleaseFiles`). */
  files: ReleaseFiles;
  /** The booth of a token (revoked or not), null when none has it. */
  boothByToken: (token: string) => Promise<BoothRow | null>;
  /** Every booth with its last health report (the fleet's « Bornes » rows). */
  booths: () => Promise<readonly FleetBoothRow[]>;
  /** Whether the request comes from a signed-in coordinator (the coordinator's session cookie). */
  isCoordinator: (req: IncomingMessage) => Promise<boolean>;
  clock: () => number;
  log: Logger;
  /** An installer uploaded through the API may not exceed this (default 1 GiB). */
  maxUploadBytes?: number;
}

const HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' };
const API_HEADERS = { ...HEADERS, 'Content-Security-Policy': coordinatorCsp() };
const MAX_JSON = 16 * 1024;
const FILE_PATH = /^\/updates\/files\/([^/]+)\/([^/]+)$/;
const ROLLOUT_PATH = /^\/coordinator\/api\/releases\/([^/]+)\/rollout$/;
const UPLOAD_PATH = /^\/coordinator\/api\/releases\/([^/]+)\/files\/([^/]+)$/;
const CHANNEL_BY_FILE = new Map<string, UpdatePlatform>(Object.entries(CHANNEL_FILES).map(([p, f]) => [f, p as UpdatePlatform]));

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = API_HEADERS): true => {
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
  return true;
};

class BodyRefused extends Error {
  constructor(readonly status: number) {
    super(`body refused (${status})`);
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_JSON) throw new BodyRefused(413);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON) throw new BodyRefused(413);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new BodyRefused(400);
  }
}

/** A path segment decoded and checked against a schema, or null. */
function segment<T>(raw: string | undefined, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }): T | null {
  const decoded = raw === undefined ? null : decodePath(raw);
  if (decoded === null) return null;
  const r = schema.safeParse(decoded);
  return r.success ? r.data : null;
}

export function createUpdateRoutes(deps: UpdateRoutesDeps): HttpRoute {
  const { store, clock } = deps;
  const log = deps.log.child({ scope: 'updates' });
  const maxUpload = deps.maxUploadBytes ?? 1024 ** 3;

  async function boothOf(req: IncomingMessage): Promise<BoothRow | null> {
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
    if (token.length === 0 || token.length > 200) return null;
    const booth = await deps.boothByToken(token);
    return booth && !booth.revoked ? booth : null;
  }

  /** The version a booth runs as the hub knows it: its last health report, else its last successful update. */
  async function runningVersion(boothId: number): Promise<string | null> {
    const reported = (await deps.booths()).find((b) => b.id === boothId)?.health?.version ?? null;
    if (reported !== null) return reported;
    const last = await store.report(boothId);
    return last?.outcome === 'updated' ? last.version : null;
  }

  async function feed(req: IncomingMessage, res: ServerResponse, booth: BoothRow, platform: UpdatePlatform): Promise<true> {
    const releases = await store.releases();
    const running = await runningVersion(booth.id);
    const newest = offeredRelease(releases, booth.id, platform);
    // A booth already past the release its rollout gives (installed by hand, or a release since withdrawn) keeps its own.
    const offered = newest && running !== null && (compareReleaseVersions(running, newest.version) ?? 0) > 0 ? null : newest;
    let body: string;
    if (offered) {
      const file = offered.files.find((f) => f.platform === platform);
      body = file ? channelFile(offered.version, file, offered.createdAt) : currentVersionFile(running ?? '0.0.0', clock());
    } else {
      const current = running === null ? undefined : releases.find((r) => r.version === running);
      const file = current?.files.find((f) => f.platform === platform);
      body = current && file ? channelFile(current.version, file, current.createdAt) : currentVersionFile(running ?? '0.0.0', clock());
    }
    log.debug({ code: 'UPDATE_FEED', booth: booth.id, platform, offered: offered?.version ?? null }, 'update feed served');
    res.writeHead(200, { ...HEADERS, 'Content-Type': 'text/yaml; charset=utf-8' }).end(req.method === 'HEAD' ? undefined : body);
    return true;
  }

  async function file(req: IncomingMessage, res: ServerResponse, booth: BoothRow, rawVersion: string | undefined, rawName: string | undefined): Promise<true> {
    const version = segment(rawVersion, ReleaseVersion);
    const name = segment(rawName, ReleaseFileName);
    if (version === null || name === null) return json(res, 400, { error: 'INVALID_PATH' }, HEADERS);
    const release = await store.release(version);
    const known = release?.files.find((f) => f.name === name);
    if (!release || !known) return json(res, 404, { error: 'NOT_FOUND' }, HEADERS);
    log.info({ code: 'UPDATE_DOWNLOAD', booth: booth.id, version, range: req.headers.range !== undefined }, 'release file requested');
    await deps.files.send(req, res, version, name, `"${known.sha512}"`, HEADERS);
    return true;
  }

  async function report(req: IncomingMessage, res: ServerResponse, booth: BoothRow): Promise<true> {
    let body: unknown;
    try {
      body = await readJson(req);
    } catch (cause) {
      return json(res, cause instanceof BodyRefused ? cause.status : 400, { error: 'INVALID_PAYLOAD' }, HEADERS);
    }
    const parsed = UpdateReport.safeParse(body);
    if (!parsed.success) return json(res, 400, { error: 'INVALID_PAYLOAD' }, HEADERS);
    await store.recordReport(booth.id, parsed.data, clock());
    const level = parsed.data.outcome === 'failed' ? 'warn' : 'info';
    log[level]({ code: 'UPDATE_REPORTED', booth: booth.id, version: parsed.data.version, outcome: parsed.data.outcome, reason: parsed.data.reason }, 'booth update report');
    return json(res, 200, { recorded: true }, HEADERS);
  }

  async function view(): Promise<ReleasesResponse> {
    const booths = await deps.booths();
    const [releases, reports] = await Promise.all([store.releases().then(newestFirst), store.reports()]);
    return {
      at: clock(),
      releases: releases.map((r) => ({ version: r.version, createdAt: r.createdAt, files: r.files, rollout: r.rollout })),
      booths: booths.map((b) => {
        const last = reports.get(b.id) ?? null;
        return {
          id: b.id,
          name: b.name,
          revoked: b.revoked,
          version: b.health?.version ?? null,
          offered: b.revoked ? null : (offeredRelease(releases, b.id, null)?.version ?? null),
          lastReport: last,
        };
      }),
    };
  }

  async function setRollout(req: IncomingMessage, res: ServerResponse, rawVersion: string | undefined): Promise<true> {
    const version = segment(rawVersion, ReleaseVersion);
    if (version === null) return json(res, 400, { error: 'INVALID_VERSION' });
    let body: unknown;
    try {
      body = await readJson(req);
    } catch (cause) {
      return json(res, cause instanceof BodyRefused ? cause.status : 400, { error: 'INVALID_INPUT' });
    }
    const parsed = Rollout.safeParse(body);
    if (!parsed.success) return json(res, 400, { error: 'INVALID_INPUT' });
    const known = new Set((await deps.booths()).map((b) => b.id));
    if (parsed.data.booths.some((id) => !known.has(id))) return json(res, 400, { error: 'UNKNOWN_BOOTH' });
    if (!(await store.setRollout(version, parsed.data, clock()))) return json(res, 404, { error: 'UNKNOWN_RELEASE' });
    log.info({ code: 'UPDATE_ROLLOUT', version, rollout: parsed.data }, 'release rollout changed');
    return json(res, 200, await view());
  }

  async function upload(req: IncomingMessage, res: ServerResponse, rawVersion: string | undefined, rawName: string | undefined): Promise<true> {
    const version = segment(rawVersion, ReleaseVersion);
    const name = segment(rawName, ReleaseFileName);
    if (version === null) return json(res, 400, { error: 'INVALID_VERSION' });
    if (name === null) return json(res, 400, { error: 'INVALID_NAME' });
    const platform = platformOfFile(name);
    if (platform === null) return json(res, 400, { error: 'UNKNOWN_PLATFORM' });
    if (Number(req.headers['content-length'] ?? 0) > maxUpload) return json(res, 413, { error: 'TOO_LARGE' });
    try {
      const stored = await deps.files.store(version, name, req, maxUpload);
      await store.addReleaseFile(version, { platform, name, ...stored }, clock());
      log.info({ code: 'UPDATE_RELEASE_ADDED', version, platform, name, size: stored.size }, 'release file registered');
      return json(res, 201, { version, platform, name, ...stored });
    } catch (cause) {
      if (cause instanceof ReleaseFileError) return json(res, cause.code === 'TOO_LARGE' ? 413 : 400, { error: cause.code }, { ...API_HEADERS, Connection: 'close' });
      throw cause;
    }
  }

  /** State-changing requests from another origin are refused (the cookie is SameSite=Strict already). */
  const sameOrigin = (req: IncomingMessage): boolean => {
    const origin = req.headers.origin;
    return origin === undefined || origin === `http://${req.headers.host}` || origin === `https://${req.headers.host}`;
  };

  return async (req, res, url) => {
    const p = url.pathname;
    const method = req.method ?? 'GET';
    const reading = method === 'GET' || method === 'HEAD';
    if (p.startsWith(UPDATES_FEED_PATH)) {
      const booth = await boothOf(req);
      if (!booth) {
        log.warn({ code: 'UPDATE_UNAUTHORISED' }, 'update request refused: unknown or revoked booth token');
        return json(res, 401, { error: 'UNAUTHORISED' }, HEADERS);
      }
      if (p === UPDATES_REPORT_PATH) return method === 'POST' ? report(req, res, booth) : json(res, 405, { error: 'METHOD' }, HEADERS);
      if (!reading) return json(res, 405, { error: 'METHOD' }, HEADERS);
      const platform = CHANNEL_BY_FILE.get(p.slice(UPDATES_FEED_PATH.length));
      if (platform) return feed(req, res, booth, platform);
      const m = FILE_PATH.exec(p);
      if (m) return file(req, res, booth, m[1], m[2]);
      return json(res, 404, { error: 'NOT_FOUND' }, HEADERS);
    }
    if (p !== RELEASES_API_PATH && !p.startsWith(`${RELEASES_API_PATH}/`)) return false;
    if (!(await deps.isCoordinator(req))) return json(res, 401, { error: 'NOT_SIGNED_IN' });
    if (p === RELEASES_API_PATH) return reading ? json(res, 200, await view()) : json(res, 405, { error: 'METHOD' });
    const rollout = ROLLOUT_PATH.exec(p);
    const uploadPath = UPLOAD_PATH.exec(p);
    if (!rollout && !uploadPath) return json(res, 404, { error: 'NOT_FOUND' });
    if (method !== (rollout ? 'POST' : 'PUT')) return json(res, 405, { error: 'METHOD' });
    if (!sameOrigin(req)) return json(res, 403, { error: 'FORBIDDEN' });
    return rollout ? setRollout(req, res, rollout[1]) : upload(req, res, uploadPath?.[1], uploadPath?.[2]);
  };
}
