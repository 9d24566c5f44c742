// Kiosk updates as the hub composes them: the update store over the hub's database, the releases' folder, booths known
// by their token and the fleet's reports, the coordinator known by the dashboard's session cookie.
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { HttpRoute } from '../coordinator/index.js';
import { COOKIE, createCoordinatorStore } from '../coordinator/index.js';
import type { Fleet } from '../fleet/index.js';
import type { HubStore } from '../store.js';
import { createUpdateRoutes } from './routes.js';
import { createSqliteUpdateStore } from './store.js';

export interface HubUpdatesDeps {
  store: HubStore;
  fleet: Pick<Fleet, 'view'>;
  releasesDir: string;
  clock: () => number;
  log: Logger;
  maxUploadBytes?: number;
}

function cookieValue(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

export function createHubUpdates(deps: HubUpdatesDeps): HttpRoute {
  const coordinators = createCoordinatorStore(deps.store.db);
  return createUpdateRoutes({
    store: createSqliteUpdateStore(deps.store.db),
    boothByToken: (token) => deps.store.boothByToken(token),
    booths: async () => (await deps.fleet.view()).booths,
    isCoordinator: (req) => {
      const token = cookieValue(req, COOKIE);
      return token !== null && token.length > 0 && coordinators.bySession(token, deps.clock()) !== null;
    },
    releasesDir: deps.releasesDir,
    clock: deps.clock,
    log: deps.log,
    ...(deps.maxUploadBytes === undefined ? {} : { maxUploadBytes: deps.maxUploadBytes }),
  });
}
