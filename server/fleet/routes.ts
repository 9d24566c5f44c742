// The coordinator's fleet API, answered behind the coordinator's login (server/coordinator/routes.ts checks the
// cookie and writes the answer): the booths, one booth's history, the alerts in progress, and revoking a booth.
import type { Fleet } from './fleet.js';

export interface FleetApiDeps {
  fleet: Pick<Fleet, 'view' | 'history' | 'alerts'>;
  /** Revokes the booth and closes its socket (at once here, at their next check on other nodes); null if there is no such booth. */
  revoke: (boothId: number) => Promise<{ revoked: boolean } | null>;
}

export interface FleetAnswer {
  status: number;
  body: unknown;
}

export const FLEET_API_PREFIX = '/coordinator/api/booths';
export const ALERTS_PATH = '/coordinator/api/alerts';

const BOOTH_PATH = /^\/coordinator\/api\/booths\/([^/]*)\/(history|revoke)$/;

/** A booth id as the hub gives them: a positive integer in decimal, nothing else (no sign, no exponent, no spaces). */
function boothIdOf(text: string): number | null {
  if (!/^[1-9]\d{0,8}$/.test(text)) return null;
  return Number(text);
}

/** Whether this path is the fleet API's (so the coordinator's routes hand it here, whatever the method). */
export const isFleetPath = (p: string): boolean => p === ALERTS_PATH || p === FLEET_API_PREFIX || p.startsWith(`${FLEET_API_PREFIX}/`);

/** The answer to a signed-in coordinator's request on a fleet path. `sameOrigin`: the request's Origin is the hub's. */
export async function answerFleet(deps: FleetApiDeps, method: string, url: URL, sameOrigin: boolean): Promise<FleetAnswer> {
  const p = url.pathname;
  const reading = method === 'GET' || method === 'HEAD';
  if (p === FLEET_API_PREFIX) return reading ? { status: 200, body: await deps.fleet.view() } : { status: 405, body: { error: 'METHOD' } };
  if (p === ALERTS_PATH) return reading ? { status: 200, body: await deps.fleet.alerts() } : { status: 405, body: { error: 'METHOD' } };
  const m = BOOTH_PATH.exec(p);
  if (!m) return { status: 404, body: { error: 'NOT_FOUND' } };
  const id = boothIdOf(m[1] ?? '');
  const action = m[2];
  if (action === 'history') {
    if (!reading) return { status: 405, body: { error: 'METHOD' } };
    if (id === null) return { status: 400, body: { error: 'INVALID_ID' } };
    const rawLimit = url.searchParams.get('limit');
    const limit = rawLimit === null ? 200 : /^[1-9]\d{0,2}$/.test(rawLimit) ? Math.min(200, Number(rawLimit)) : null;
    if (limit === null) return { status: 400, body: { error: 'INVALID_LIMIT' } };
    const events = await deps.fleet.history(id, limit);
    return events ? { status: 200, body: events } : { status: 404, body: { error: 'UNKNOWN_BOOTH' } };
  }
  if (method !== 'POST') return { status: 405, body: { error: 'METHOD' } };
  if (!sameOrigin) return { status: 403, body: { error: 'FORBIDDEN' } };
  if (id === null) return { status: 400, body: { error: 'INVALID_ID' } };
  const done = await deps.revoke(id);
  return done ? { status: 200, body: done } : { status: 404, body: { error: 'UNKNOWN_BOOTH' } };
}
