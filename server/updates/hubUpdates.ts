// Kiosk updates as a hub composes them: an update store and the release files, booths known by their token and the
// fleet's reports, the coordinator known by the dashboard's session cookie. `createSharedUpdates` takes them from the
// asynchronous stores (PostgreSQL for the nodes of a hub across machines); `createHubUpdates` gives it the one-machine
// hub's SQLite and releases' folder.
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { HttpRoute } from '../coordinator/index.js';
import { COOKIE } from '../coordinator/index.js';
import type { Fleet } from '../fleet/index.js';
import type { EvaluationStore } from '../sharedStore/evaluation.js';
import { sqliteEvaluationStore } from '../sharedStore/evaluation.js';
import type { SharedHubStore } from '../sharedStore/types.js';
import { sha256, type HubStore } from '../store.js';
import { diskReleaseFiles, type ReleaseFiles } from './files.js';
import { createUpdateRoutes } from './routes.js';
import { createSqliteUpdateStore, type UpdateStore } from './store.js';

export interface HubUpdatesDeps {
  store: HubStore;
  fleet: Pick<Fleet, 'view'>;
  releasesDir: string;
  clock: () => number;
  log: Logger;
  maxUploadBytes?: number;
}

export interface SharedUpdatesDeps {
  updates: UpdateStore;
  files: ReleaseFiles;
  /** Booths by the sha256 of their token. */
  store: Pick<SharedHubStore, 'boothByTokenHash'>;
  /** Coordinators by their session. */
  evaluation: Pick<EvaluationStore, 'coordinatorBySession'>;
  fleet: Pick<Fleet, 'view'>;
  clock: () => number;
  log: Logger;
  /** An installer uploaded through the API may not exceed this (default 1 GiB). */
  maxUploadBytes?: number;
}

function cookieValue(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

export function createSharedUpdates(deps: SharedUpdatesDeps): HttpRoute {
  return createUpdateRoutes({
    store: deps.updates,
    files: deps.files,
    boothByToken: (token) => deps.store.boothByTokenHash(sha256(token)),
    booths: async () => (await deps.fleet.view()).booths,
    isCoordinator: async (req) => {
      const token = cookieValue(req, COOKIE);
      return token !== null && token.length > 0 && (await deps.evaluation.coordinatorBySession(token, deps.clock())) !== null;
    },
    clock: deps.clock,
    log: deps.log,
    ...(deps.maxUploadBytes === undefined ? {} : { maxUploadBytes: deps.maxUploadBytes }),
  });
}

export function createHubUpdates(deps: HubUpdatesDeps): HttpRoute {
  const store = deps.store;
  return createSharedUpdates({
    updates: createSqliteUpdateStore(store.db),
    files: diskReleaseFiles(deps.releasesDir),
    store: { boothByTokenHash: async (hash) => store.boothByTokenHash(hash) },
    evaluation: sqliteEvaluationStore(store.db),
    fleet: deps.fleet,
    clock: deps.clock,
    log: deps.log,
    ...(deps.maxUploadBytes === undefined ? {} : { maxUploadBytes: deps.maxUploadBytes }),
  });
}
