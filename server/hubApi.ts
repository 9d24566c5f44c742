// What `startHub` takes (its options) and what it gives (the running hub): the hub's public types.
import type { Logger } from 'pino';
import type { IceServer } from '../shared/protocol.js';
import type { AggregateLimits } from './aggregates/index.js';
import type { AttemptLimits } from './auth.js';
import type { Scheduler } from './calls.js';
import type { HttpRoute } from './coordinator/index.js';
import type { DemoAccounts } from './demoSeed.js';
import type { Fleet } from './fleet/fleet.js';
import type { FleetOptions } from './fleet/hubFleet.js';
import type { HubFleetConfig } from './fleetConfig/index.js';
import type { HubStats } from './stats.js';
import type { HubStore } from './store.js';

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
  /** How late a visitor may join an appointment before it is « non honoré » (default 15 minutes). */
  appointmentGraceMs?: number;
  /** Extra HTTP handlers, consulted after the coordinator's routes and before the static files (true: answered). */
  /** Booths' health, alerts by e-mail and webhook (server/fleet/hubFleet.ts). */
  fleet?: FleetOptions;
  /** Where release files are kept (default `<dataDir>/releases`); server/updates/. */
  releasesDir?: string;
  httpRoutes?: Array<(ctx: { store: HubStore; clock: () => number; logger: Logger }) => HttpRoute>;
  /** Wrong enrolment codes allowed per address and overall (server/enrolment/; default DEFAULT_ENROL_LIMITS). */
  enrolLimits?: AttemptLimits;
  /**
   * The hub's address as booths reach it (`https://relais.cantal.fr` behind a TLS proxy), shown with each enrolment code;
   * checked by `publicOrigin`. Default: the address the coordinator's browser used.
   */
  publicUrl?: string;
  /**
   * Reverse proxies or load balancers (IP addresses) whose X-Forwarded-For is believed, so the limits on wrong passwords
   * and codes count each client, not the proxy (server/http/clientAddress.ts). Default: none.
   */
  trustedProxies?: readonly string[];
}

export interface RunningHub {
  /** The WebSocket URL (`ws://host:port/hub`). */
  url: string;
  httpUrl: string;
  port: number;
  demo: DemoAccounts | null;
  store: HubStore;
  stats(): HubStats;
  /** Revokes the booth and closes its socket at once. */
  revokeBooth(id: number): boolean;
  revokeAgent(id: number): boolean;
  revokeSession(token: string): boolean;
  /** The booths' health, history and alerts. */
  fleet: Fleet;
  /** The configuration pushed to the booths: versions, publish, roll back, each booth's state. */
  fleetConfig: HubFleetConfig;
  /** Tells every participant `hub_restart`, closes sockets, server and database. */
  close(): Promise<void>;
}
