// What every feature of the kiosk receives from the composition: the database, the clock, the foundation services, the
// incident log, and a way to emit contract events. A feature returns the handlers of its own verbs
// (shared/contract/<feature>.ts); dispatch hands a mediator-only handler the mediator who acts.
import type { EventName, EventPayload, VerbName } from '../../shared/contract/index.js';
import type { Auth } from './foundation/auth.js';
import type { Db } from './db/index.js';
import type { Handlers } from './dispatch.js';
import type { IncidentLog } from './evaluation/incidents.js';
import type { Help } from './foundation/help.js';
import type { Logger } from './logger.js';
import type { Settings } from './foundation/settings.js';
import type { Visits } from './foundation/visits.js';

export interface KioskCore {
  db: Db;
  clock: () => number;
  logger: Logger;
  settings: Settings;
  auth: Auth;
  visits: Visits;
  help: Help;
  /** The one incident log of the kiosk: mediators' incidents and the faults any feature sees (printer, hub, …). */
  incidents: IncidentLog;
  /** The repository's (or the packaged app's) `assets/` folder. */
  assetsDir: string;
  /** A folder for the kiosk's temporary files (downloads to print, …), wiped by the features that use it. */
  tempDir: string;
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
}

export interface KioskFeature<K extends VerbName> {
  handlers: Handlers<K>;
  /** Releases timers, servers and temporary files. */
  close?(): void | Promise<void>;
}
