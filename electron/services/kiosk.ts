// The kiosk's one factory, called by both shells: opens the database, seeds the demo site, builds the services and the verb handlers.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VERB_NAMES, type EventName, type EventPayload, type VerbName } from '../../shared/contract/index.js';
import type { foundationVerbs } from '../../shared/contract/foundation.js';
import { weekKeyOf } from '../../shared/time.js';
import { createAuth, type Auth } from './foundation/auth.js';
import type { KioskCore, KioskFeature } from './core.js';
import { openDatabase, type Db } from './db/index.js';
import type { Handlers, MediatorContext } from './dispatch.js';
import { createIncidentLog, type IncidentLog } from './evaluation/incidents.js';
import { gridCsv, parseIsoWeek, weeklyGrid } from './foundation/grid.js';
import { createTeleserviceFeature, type TeleserviceFeature, type TeleserviceFeatureOptions, type TeleserviceVerb } from './teleservice/feature.js';
import { createHelp, type Help } from './foundation/help.js';
import type { Logger } from './logger.js';
import { createSettings, DemoConfig, type Settings } from './foundation/settings.js';
import { createVisits, type Visits } from './foundation/visits.js';
import { createVisioFeature, type VisioOptions, type VisioVerb } from './visio/feature.js';
import { createEvaluationFeature, type EvaluationFeature, type EvaluationFeatureOptions, type EvaluationVerb } from './evaluation/feature.js';
import { createAppointmentsFeature, type AppointmentsVerb } from './appointments/feature.js';
import { createFleetFeature, type FleetFeatureOptions, type FleetVerb } from './fleet/feature.js';
import { createFleetConfigFeature, type FleetConfigVerb } from './fleetConfig/feature.js';
import { createSetupFeature, type SetupFeatureOptions, type SetupVerb } from './setup/feature.js';
import { createPrintingFeature, type PrintingFeature, type PrintingFeatureOptions, type PrintingVerb } from './printing/feature.js';
import { createUpdatesFeature, type UpdatesFeature, type UpdatesVerb } from './updates/feature.js';

export type KioskEventListener = (name: EventName, payload: EventPayload<EventName>) => void;
/** A feature with the handlers of some verbs (any `KioskFeature<K>` is one). */
export interface AnyKioskFeature {
  handlers: Partial<Handlers>;
  close?(): void | Promise<void>;
}
/** Builds one feature (visio, …) on the kiosk's core; it brings the handlers of its own verbs. */
export type KioskFeatureFactory = (core: KioskCore) => AnyKioskFeature;

export interface KioskOptions {
  /** The SQLite file (see paths.ts `kioskDbFile`; its folder is created if missing), or `:memory:` for tests. */
  dbFile: string;
  clock?: () => number;
  logger: Logger;
  /** better-sqlite3 native binding built for the current runtime (Electron vs Node). */
  nativeBinding?: string;
  /** Folder holding demo-config.json (and guides, logos…); defaults to the repository's `assets/`. */
  assetsDir?: string;
  /** Shown by app.info; defaults to package.json's version. */
  version?: string;
  /** How often an idle mediator session is checked for auto-lock (30 s). */
  idleCheckMs?: number;
  /** Guided online services: which shell hosts the websites, extra guides, the print callback (guides/feature.ts). */
  teleservice?: Omit<TeleserviceFeatureOptions, 'newId'>;
  /** Visio-accueil: the hub this booth uses (configured, or the embedded demo hub); none by default. */
  visio?: VisioOptions;
  /** Evaluation tools: the hub the weekly aggregates go to defaults to the visio hub; timers for tests. */
  evaluation?: Partial<EvaluationFeatureOptions>;
  /** Printing, forms, documents, device health: CUPS on localhost by default (or an injected backend); `false`: none. */
  printing?: PrintingFeatureOptions | false;
  /** The fleet's health report: tests inject the free-disk reading (statfs on the data folder otherwise). */
  fleet?: Pick<FleetFeatureOptions, 'freeDiskBytes'>;
  /** The first-start assistant (setup/feature.ts); absent: the booth is set up already (every step verb refused). */
  setup?: SetupFeatureOptions;
  /** Further features, built after the foundation and the teleservice feature; a later one wins on a shared verb. */
  features?: readonly KioskFeatureFactory[];
}

export interface Kiosk {
  handlers: Handlers;
  /** For dispatch: NOT_UNLOCKED without a mediator session; otherwise the verb keeps the session alive and names who acts. */
  requireMediator(): MediatorContext;
  onEvent(listener: KioskEventListener): () => void;
  close(): void;
  db: Db;
  settings: Settings;
  auth: Auth;
  visits: Visits;
  help: Help;
  incidents: IncidentLog;
  teleservice: TeleserviceFeature;
  /** For the visits handlers (`onVisitsChanged`) and main-side faults (`reportFault`, `faultCleared`). */
  evaluation: EvaluationFeature;
  /** The print service (null when composed with `printing: false`). */
  printing: PrintingFeature | null;
  clock: () => number;
  logger: Logger;
  /** Whether a downloaded update may be installed now (updates/feature.ts). */
  updates: UpdatesFeature;
  /** Pushes a contract event to the shells' listeners (for features built on this kiosk). */
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  /** Contract verbs no feature handles (each answers INTERNAL and logs VERB_NOT_WIRED); empty in a full composition. */
  unwiredVerbs: readonly VerbName[];
}

const here = path.dirname(fileURLToPath(import.meta.url));

function packageVersion(): string {
  const file = path.resolve(here, '../../package.json');
  if (!existsSync(file)) return '0.0.0';
  const { version } = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown };
  return typeof version === 'string' ? version : '0.0.0';
}

export function createKiosk(options: KioskOptions): Kiosk {
  const clock = options.clock ?? Date.now;
  const logger = options.logger.child({ scope: 'kiosk' });
  const version = options.version ?? packageVersion();
  const inMemory = options.dbFile === ':memory:';
  if (!inMemory) mkdirSync(path.dirname(options.dbFile), { recursive: true });
  const db = openDatabase(options.dbFile, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});

  const settings = createSettings({ db, clock, logger });
  const assetsDir = options.assetsDir ?? path.resolve(here, '../../assets');
  const demoFile = path.join(assetsDir, 'demo-config.json');
  if (existsSync(demoFile)) {
    settings.seedDemoIfEmpty(DemoConfig.parse(JSON.parse(readFileSync(demoFile, 'utf8'))));
  } else {
    logger.warn({ code: 'DEMO_CONFIG_MISSING', file: demoFile }, 'no demo configuration found: nothing seeded');
  }
  const auth = createAuth({ db, clock, settings, logger });
  const visits = createVisits({ db, clock, logger });
  const help = createHelp({ db, clock, logger });
  const incidents = createIncidentLog({ db, clock, logger: logger.child({ scope: 'incidents' }) });

  const listeners = new Set<KioskEventListener>();
  const emit = <E extends EventName>(name: E, payload: EventPayload<E>): void => {
    for (const l of listeners) {
      try {
        l(name, payload);
      } catch (cause) {
        logger.error({ code: 'EVENT_LISTENER_FAILED', event: name, err: cause }, 'event listener threw');
      }
    }
  };
  const unsubscribe = [
    help.onChange((s) => emit('help.changed', s)),
    auth.onChange((s) => emit('auth.changed', s)),
    settings.onChange(() => emit('settings.changed', { at: clock() })),
  ];
  const idleTimer = setInterval(() => auth.checkIdle(), options.idleCheckMs ?? 30_000);
  idleTimer.unref();

  const requireMediator = (): MediatorContext => {
    const mediator = auth.requireMediator();
    auth.touch();
    return { mediator };
  };

  const tempDir = inMemory ? tmpdir() : path.join(path.dirname(options.dbFile), 'tmp');
  mkdirSync(tempDir, { recursive: true });
  const core: KioskCore = { db, clock, logger, settings, auth, visits, help, incidents, assetsDir, tempDir, emit };
  const printing =
    options.printing === false
      ? null
      : createPrintingFeature(core, { dataDir: inMemory ? tempDir : path.dirname(options.dbFile), ...options.printing, hub: options.printing?.hub ?? options.visio?.hub ?? null });
  // A PDF downloaded during a guided session goes to the site's printer (the teleservice feature counts it).
  const teleserviceOptions = options.teleservice ?? { mode: 'webshell' as const };
  const teleservice = createTeleserviceFeature(core, { ...teleserviceOptions, print: teleserviceOptions.print ?? (printing ? (r) => printing.printTeleservice(r) : undefined) });
  const evaluation = createEvaluationFeature(core, { ...options.evaluation, hub: options.evaluation?.hub ?? options.visio?.hub ?? null });
  const updates = createUpdatesFeature(core);
  const features: AnyKioskFeature[] = [
    createFoundationFeature(core, version),
    teleservice,
    createVisioFeature(core, options.visio ?? { hub: null }),
    evaluation,
    ...(printing ? [printing] : []),
    // The slip goes through the printing feature's tracked jobs (kind `other`: an appointment is counted by the hub, not as `documents`).
    createAppointmentsFeature(core, printing ? { print: (r) => printing.service.submit({ ...r, kind: 'other', copies: 1 }) } : {}),
    createFleetFeature(core, {
      version,
      shell: teleserviceOptions.mode === 'electron' ? 'electron' : 'web',
      printerState: () => printing?.service.lastPrinterState() ?? null,
      dataDir: inMemory ? tempDir : path.dirname(options.dbFile),
      ...options.fleet,
    }),
    updates,
    createSetupFeature(core, options.setup ?? { assistant: false }),
    ...(options.features ?? []).map((make) => make(core)),
  ];

  const wired: Partial<Record<VerbName, unknown>> = {};
  for (const feature of features) Object.assign(wired, feature.handlers);
  // The department's configuration governs some verbs of the other features: it wraps their handlers.
  const fleetConfig = createFleetConfigFeature(core, {
    previous: { ...wired } as Handlers,
    invalidGuides: teleservice.guideErrors.map((e) => e.file.replace(/\.ya?ml$/i, '')),
  });
  Object.assign(wired, fleetConfig.handlers);
  // A kiosk composed without some feature (tests, a reduced shell) still answers every verb: INTERNAL, and a log line.
  const unwiredVerbs = VERB_NAMES.filter((v) => wired[v] === undefined);
  for (const verbName of unwiredVerbs) {
    wired[verbName] = () => {
      logger.error({ code: 'VERB_NOT_WIRED', verb: verbName }, 'no feature of this kiosk handles the verb');
      throw new Error(`verb ${verbName} is not wired in this kiosk`);
    };
  }
  if (unwiredVerbs.length > 0) logger.warn({ code: 'VERBS_NOT_WIRED', verbs: unwiredVerbs }, 'kiosk composed without some features');
  const handlers = wired as Handlers;

  let closed = false;
  return {
    handlers,
    requireMediator,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      if (closed) return;
      closed = true;
      clearInterval(idleTimer);
      for (const feature of features) {
        try {
          void Promise.resolve(feature.close?.()).catch((cause: unknown) => {
            logger.error({ code: 'FEATURE_CLOSE_FAILED', err: cause }, 'a feature failed to close');
          });
        } catch (cause) {
          logger.error({ code: 'FEATURE_CLOSE_FAILED', err: cause }, 'a feature failed to close');
        }
      }
      for (const u of unsubscribe) u();
      listeners.clear();
      db.close();
    },
    db,
    settings,
    auth,
    visits,
    help,
    incidents,
    teleservice,
    evaluation,
    printing,
    updates,
    clock,
    logger,
    emit,
    unwiredVerbs,
  };
}

export type FoundationVerb = keyof typeof foundationVerbs;

/** Contract verbs no built-in feature declares as its own: `never` (kiosk.test.ts checks it at compile time). */
export type VerbWithoutFeature = Exclude<VerbName, FoundationVerb | TeleserviceVerb | VisioVerb | EvaluationVerb | PrintingVerb | AppointmentsVerb | FleetVerb | UpdatesVerb | FleetConfigVerb | SetupVerb>;

/** The verbs of shared/contract/foundation.ts over the foundation services (a KioskFeature, like the other features). */
export function createFoundationFeature(core: Pick<KioskCore, 'db' | 'clock' | 'settings' | 'auth' | 'visits' | 'help'>, version: string): KioskFeature<FoundationVerb> {
  const { db, clock, settings, auth, visits, help } = core;
  const gridOf = (weekKey: number) => weeklyGrid(db, weekKey, settings.organisations(), settings.site().name);
  const handlers = {
    'app.info': () => settings.appInfo(clock(), version),
    'organisations.list': () => settings.organisationsWithState(clock()),

    'help.request': ({ screen }) => help.request(screen),
    'help.state': () => help.state(),
    'help.acknowledge': (_input, { mediator }) => help.acknowledge(mediator),

    'auth.state': () => auth.state(),
    'auth.unlock': ({ pin }) => auth.unlock(pin),
    'auth.lock': () => auth.lock(),

    'visits.record': (input, { mediator }) => visits.record(input, { mediatorId: mediator, source: 'mediator' }),
    'visits.update': ({ id, patch }, { mediator }) => visits.update(id, patch, mediator),
    'visits.delete': ({ id }, { mediator }) => {
      visits.remove(id, mediator);
      return { done: true as const };
    },
    'visits.listDay': ({ day }) => visits.listDay(day),

    'grid.week': ({ week }) => gridOf(week === undefined ? weekKeyOf(clock()) : parseIsoWeek(week)),
    'grid.csv': ({ week }) => gridCsv(gridOf(parseIsoWeek(week))),

    'settings.updateSite': ({ name, commune }) => {
      settings.updateSite(name, commune);
      return settings.appInfo(clock(), version);
    },
    'settings.saveOrganisation': (input) => settings.saveOrganisation(input),
    'mediators.list': () => settings.mediators(),
    'mediators.add': ({ name, pin }) => settings.addMediator(name, pin),
    'mediators.setPin': ({ id, pin }) => settings.setMediatorPin(id, pin),
    'mediators.deactivate': ({ id }) => {
      const mediator = settings.deactivateMediator(id);
      // A deactivated mediator's open session ends with it.
      if (auth.currentMediatorId() === id) auth.lock();
      return mediator;
    },
  } satisfies Handlers<FoundationVerb>;
  return { handlers };
}
