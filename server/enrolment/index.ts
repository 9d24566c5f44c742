// Enrolment as the hub composes it: its store on the hub's database, the kiosk's route and the coordinator's API.
import type { Logger } from 'pino';
import type { AttemptLimits } from '../auth.js';
import type { HttpRoute } from '../coordinator/index.js';
import type { HubStore } from '../store.js';
import { createEnrolRoute, type EnrolmentApiDeps } from './routes.js';
import { createEnrolmentStore, type EnrolmentStore } from './store.js';

export { DEFAULT_ENROL_LIMITS, isEnrolmentsPath, answerEnrolments, publicOrigin, type EnrolmentApiDeps } from './routes.js';
export { createEnrolmentStore, type EnrolmentStore } from './store.js';

export interface HubEnrolment {
  store: EnrolmentStore;
  /** `POST /api/enrol`, open to any kiosk (rate-limited). */
  route: HttpRoute;
  /** For the coordinator's routes, behind their login. */
  api: EnrolmentApiDeps;
}

export interface HubEnrolmentOptions {
  limits?: AttemptLimits | undefined;
  /** The hub's public origin, given with each code. */
  publicUrl?: string | undefined;
  /** Proxies whose X-Forwarded-For names the kiosk (server/http/clientAddress.ts). */
  trusted?: ReadonlySet<string>;
}

export function createHubEnrolment(store: HubStore, clock: () => number, logger: Logger, { limits, publicUrl, trusted }: HubEnrolmentOptions = {}): HubEnrolment {
  const enrolments = createEnrolmentStore(store);
  return {
    store: enrolments,
    route: createEnrolRoute({ enrolments, clock, logger, ...(limits ? { limits } : {}), ...(trusted ? { trusted } : {}) }),
    api: { enrolments, clock, logger, ...(publicUrl ? { publicUrl } : {}) },
  };
}
