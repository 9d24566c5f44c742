// The coordinator's configuration API, answered behind the coordinator's login (server/coordinator/routes.ts checks the
// cookie, reads the body and writes the answer): the versions and each booth's state, one version, publish, roll back.
import { z } from 'zod';
import type { ConfigOverview } from '../../shared/fleetConfig.js';
import type { HubFleetConfig } from './service.js';

export const CONFIG_API_PREFIX = '/coordinator/api/config';
const VERSION_PATH = /^\/coordinator\/api\/config\/versions\/([^/]*)$/;
const ROLLBACK_PATH = `${CONFIG_API_PREFIX}/rollback`;

export interface ConfigAnswer {
  status: number;
  body: unknown;
}

const VersionNumber = z.number().int().positive().max(2_147_483_647);
const Publish = z.strictObject({ target: z.union([z.literal('all'), VersionNumber]), config: z.unknown() });
const Rollback = z.strictObject({ version: VersionNumber });

export const isConfigPath = (p: string): boolean => p === CONFIG_API_PREFIX || p.startsWith(`${CONFIG_API_PREFIX}/`);

/** Whether a request on this path carries a JSON body the caller must read first. */
export const configNeedsBody = (method: string, p: string): boolean => method === 'POST' && (p === CONFIG_API_PREFIX || p === ROLLBACK_PATH);

const refusal = (r: { error: string; detail: string }): ConfigAnswer => ({
  status: r.error === 'UNKNOWN_BOOTH' || r.error === 'UNKNOWN_VERSION' ? 404 : r.error === 'TOO_LARGE' ? 413 : 400,
  body: { error: r.error, detail: r.detail },
});

/** The answer to a signed-in coordinator's request on a configuration path. `body`: the parsed JSON of a POST. */
export async function answerConfig(
  service: HubFleetConfig,
  request: { method: string; url: URL; sameOrigin: boolean; body: unknown; coordinator: string },
): Promise<ConfigAnswer> {
  const { method, url } = request;
  const p = url.pathname;
  const reading = method === 'GET' || method === 'HEAD';
  if (p === CONFIG_API_PREFIX && reading) {
    const [versions, booths, department, starter] = await Promise.all([service.versions(), service.booths(), service.department(), service.starter()]);
    return { status: 200, body: { versions, booths, department, starter } satisfies ConfigOverview };
  }
  const m = VERSION_PATH.exec(p);
  if (m) {
    if (!reading) return { status: 405, body: { error: 'METHOD' } };
    const n = /^[1-9]\d{0,9}$/.test(m[1] ?? '') ? Number(m[1]) : null;
    if (n === null) return { status: 400, body: { error: 'INVALID_VERSION' } };
    const v = await service.version(n);
    return v ? { status: 200, body: v } : { status: 404, body: { error: 'UNKNOWN_VERSION' } };
  }
  if (p !== CONFIG_API_PREFIX && p !== ROLLBACK_PATH) return { status: 404, body: { error: 'NOT_FOUND' } };
  if (method !== 'POST') return { status: 405, body: { error: 'METHOD' } };
  if (!request.sameOrigin) return { status: 403, body: { error: 'FORBIDDEN' } };
  if (p === ROLLBACK_PATH) {
    const parsed = Rollback.safeParse(request.body);
    if (!parsed.success) return { status: 400, body: { error: 'INVALID_INPUT' } };
    const done = await service.rollback({ version: parsed.data.version, by: request.coordinator });
    return done.ok ? { status: 201, body: { version: done.version, pushed: done.pushed } } : refusal(done);
  }
  const parsed = Publish.safeParse(request.body);
  if (!parsed.success) return { status: 400, body: { error: 'INVALID_INPUT' } };
  const done = await service.publish({ target: parsed.data.target === 'all' ? null : parsed.data.target, config: parsed.data.config, by: request.coordinator });
  return done.ok ? { status: 201, body: { version: done.version, pushed: done.pushed } } : refusal(done);
}
