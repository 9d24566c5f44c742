// The department's configuration on the hub: numbered versions for every booth or one, the configuration each booth
// must run (the newest version aimed at it or at every booth), the `config.apply` frames sent on sign-in, on publish
// and when another node published (refresh), and what each booth answered. Store, clock, sockets and logger are passed
// in; the state is in the store (SQLite on one machine, PostgreSQL shared by the nodes of a hub across machines), so
// nothing here assumes one process holds the booths' sockets.
import type { Logger } from 'pino';
import {
  checkFleetConfig,
  MAX_REFUSAL_DETAIL,
  type BoothConfigState,
  type ConfigVersionFull,
  type ConfigVersionSummary,
  type FleetConfig,
  type RefusalCode,
} from '../../shared/fleetConfig.js';
import { IDLE_SECONDS_DEFAULT } from '../../shared/contract/teleservice.js';
import type { HubFrameOf } from '../../shared/protocol.js';
import type { OrganisationRow } from '../store.js';
import type { FleetConfigStore, StoredVersion } from './store.js';

export type { BoothConfigState, ConfigVersionFull, ConfigVersionSummary };

export type PublishResult =
  | { ok: true; version: number; pushed: number }
  | { ok: false; error: 'INVALID_CONFIG' | 'TOO_LARGE' | 'UNKNOWN_BOOTH' | 'UNKNOWN_VERSION'; detail: string };

export interface FleetConfigDeps {
  store: FleetConfigStore;
  /** The hub's organisations and their hours (the partner agreements'): what the editor starts from. */
  organisations: () => Promise<readonly OrganisationRow[]>;
  clock: () => number;
  /** Sends a frame to a booth's socket if it has one here; returns whether it did. */
  sendToBooth: (boothId: number, frame: HubFrameOf<'config.apply'>) => boolean;
  /** The booths signed in on this hub (this node, on a hub across machines). */
  connectedBooths: () => Iterable<number>;
  log: Logger;
}

export interface HubFleetConfig {
  publish(input: { target: number | null; config: unknown; by: string }): Promise<PublishResult>;
  /** Publishes an older version's configuration again, for the same target, as a new version. */
  rollback(input: { version: number; by: string }): Promise<PublishResult>;
  versions(limit?: number): Promise<ConfigVersionSummary[]>;
  version(version: number): Promise<ConfigVersionFull | null>;
  /** The version a booth must run: the newest aimed at it or at every booth. */
  effectiveFor(boothId: number): Promise<ConfigVersionFull | null>;
  /** The newest version for every booth (what the editor starts from). */
  department(): Promise<ConfigVersionFull | null>;
  booths(): Promise<BoothConfigState[]>;
  /** Before the first version, the editor starts from the hub's organisations and the kiosk's defaults. */
  starter(): Promise<FleetConfig>;
  /** A booth signed in: it is sent its configuration (in the background; a failure is logged). */
  boothJoined(boothId: number): void;
  /** The booth's answers, recorded in the background in the order received (a failure is logged). */
  applied(boothId: number, version: number): void;
  refused(boothId: number, version: number, code: RefusalCode, detail: string): void;
  /**
   * If a version was published since the last refresh (on another node of a hub across machines), sends the booths
   * connected here the configuration they must run, to those whose version changed only. Never rejects (logged).
   */
  refresh(): Promise<void>;
  /** Resolves when what was started before it (answers, sign-in pushes, refreshes) is done: tests, and before closing. */
  settled(): Promise<void>;
}

export const MAX_VERSIONS_LISTED = 200;

/** Before the first version, the editor starts from the hub's organisations (the partner agreements' hours) and the kiosk's defaults. */
export function starterConfig(organisations: readonly OrganisationRow[]): FleetConfig {
  return {
    organisations: organisations.map((o) => ({ code: o.code, name: o.name, openingHours: o.openingHours, correspondent: '' })),
    guidesOffered: null,
    documentsOffered: null,
    charter: null,
    surveyPeriod: 'first_six_months',
    idleSeconds: IDLE_SECONDS_DEFAULT,
  };
}

/** A booth's id as the hub gives them: anything else is no booth, and nothing is recorded for it. */
const isBoothId = (id: number): boolean => Number.isSafeInteger(id) && id > 0;

export function createHubFleetConfig(deps: FleetConfigDeps): HubFleetConfig {
  const { store, clock } = deps;
  const log = deps.log.child({ scope: 'fleet-config' });

  const full = (row: StoredVersion | null): ConfigVersionFull | null => {
    if (!row) return null;
    // Stored only after checkFleetConfig: a row that no longer parses (a schema changed by hand) is not sent.
    let parsed: unknown;
    try {
      parsed = JSON.parse(row.config);
    } catch {
      parsed = undefined;
    }
    const checked = checkFleetConfig(parsed);
    if (!checked.ok) {
      log.error({ code: 'FLEET_CONFIG_STORED_INVALID', version: row.version, detail: checked.detail }, 'stored configuration does not parse');
      return null;
    }
    return { version: row.version, targetBooth: row.targetBooth, publishedAt: row.publishedAt, publishedBy: row.publishedBy, rolledBackFrom: row.rolledBackFrom, config: checked.config };
  };

  const effectiveFor = async (boothId: number): Promise<ConfigVersionFull | null> => full(await store.effective(boothId));

  // The version last sent from here to each booth connected here. A booth's version only grows (a roll back is a new
  // version), so a booth is sent a version only when it is newer than the last: publish, refresh and sign-in racing each
  // other send each version once, and never an older one after a newer. The check and the send run without a pause.
  const sent = new Map<number, number>();
  const send = (boothId: number, version: number, config: FleetConfig): boolean => {
    if (version <= (sent.get(boothId) ?? 0)) return false;
    if (!deps.sendToBooth(boothId, { type: 'config.apply', version, config })) return false;
    sent.set(boothId, version);
    return true;
  };
  const pushEffective = async (boothId: number): Promise<boolean> => {
    const current = await effectiveFor(boothId);
    return current !== null && send(boothId, current.version, current.config);
  };

  // Each booth's background work (its sign-in push, its answers) runs in order; `settled` waits for all of it.
  const pending = new Map<number, Promise<void>>();
  const inOrder = (boothId: number, work: () => Promise<void>, failed: (e: Error) => void): void => {
    const next = (pending.get(boothId) ?? Promise.resolve()).then(work).catch((e: unknown) => failed(e instanceof Error ? e : new Error(String(e))));
    pending.set(boothId, next);
    void next.then(() => {
      if (pending.get(boothId) === next) pending.delete(boothId);
    });
  };

  const save = async (target: number | null, config: unknown, by: string, rolledBackFrom: number | null): Promise<PublishResult> => {
    if (target !== null && !(await store.boothExists(target))) return { ok: false, error: 'UNKNOWN_BOOTH', detail: `borne ${target}` };
    const checked = checkFleetConfig(config);
    if (!checked.ok) return { ok: false, error: checked.code === 'TOO_LARGE' ? 'TOO_LARGE' : 'INVALID_CONFIG', detail: checked.detail };
    const version = await store.insert({ target, config: JSON.stringify(checked.config), at: clock(), by: by.slice(0, 80), rolledBackFrom });
    // The version just stored is the one its booths must run (none is newer): sent as it is, without reading it back.
    let pushed = 0;
    for (const boothId of [...deps.connectedBooths()]) {
      if ((target === null || target === boothId) && send(boothId, version, checked.config)) pushed++;
    }
    log.info({ code: 'FLEET_CONFIG_PUBLISHED', version, target, rolledBackFrom, pushed }, 'configuration published');
    return { ok: true, version, pushed };
  };

  // The newest version number the last complete refresh saw; refreshes run one after the other.
  let seen = 0;
  let refreshing: Promise<void> = Promise.resolve();
  const refreshNow = async (): Promise<void> => {
    const newest = await store.newestVersion();
    if (newest <= seen) return;
    const connected = new Set(deps.connectedBooths());
    for (const boothId of sent.keys()) if (!connected.has(boothId)) sent.delete(boothId);
    let pushed = 0;
    let failed = false;
    for (const boothId of connected) {
      try {
        if (await pushEffective(boothId)) pushed++;
      } catch (e) {
        failed = true;
        log.error({ code: 'FLEET_CONFIG_PUSH_FAILED', booth: boothId, err: (e as Error).message }, 'configuration not sent');
      }
    }
    // A booth not reached is tried again at the next refresh.
    if (!failed) seen = newest;
    if (pushed > 0) log.info({ code: 'FLEET_CONFIG_REFRESHED', version: newest, pushed }, 'configuration published elsewhere sent');
  };

  const record = (what: 'applied' | 'refused', boothId: number, version: number, write: () => Promise<void>): void => {
    const notMeant = (): void =>
      what === 'applied'
        ? log.warn({ code: 'FLEET_CONFIG_APPLIED_UNKNOWN', booth: boothId, version }, 'booth reports a version not meant for it')
        : log.warn({ code: 'FLEET_CONFIG_REFUSED_UNKNOWN', booth: boothId, version }, 'booth refuses a version not meant for it');
    if (!isBoothId(boothId)) return notMeant();
    inOrder(
      boothId,
      async () => {
        // Only a version aimed at this booth (or at every booth) is recorded: a booth cannot claim another's.
        const row = await store.version(version);
        if (!row || (row.targetBooth !== null && row.targetBooth !== boothId)) return notMeant();
        await write();
      },
      (e) => log.error({ code: 'FLEET_CONFIG_RECORD_FAILED', booth: boothId, version, err: e.message }, 'booth answer not recorded'),
    );
  };

  return {
    publish: ({ target, config, by }) => save(target, config, by, null),
    async rollback({ version, by }) {
      const row = await store.version(version);
      if (!row) return { ok: false, error: 'UNKNOWN_VERSION', detail: `version ${version}` };
      return save(row.targetBooth, JSON.parse(row.config), by, version);
    },
    async versions(limit = MAX_VERSIONS_LISTED) {
      const n = Number.isFinite(limit) ? Math.min(Math.max(1, Math.floor(limit)), MAX_VERSIONS_LISTED) : MAX_VERSIONS_LISTED;
      return store.versions(n);
    },
    version: async (version) => full(await store.version(version)),
    effectiveFor,
    department: async () => full(await store.department()),
    booths: () => store.booths(),
    starter: async () => starterConfig(await deps.organisations()),
    boothJoined(boothId) {
      // A new socket: what the booth's previous one was sent says nothing of what this one has.
      sent.delete(boothId);
      inOrder(
        boothId,
        async () => void (await pushEffective(boothId)),
        (e) => log.error({ code: 'FLEET_CONFIG_PUSH_FAILED', booth: boothId, err: e.message }, 'configuration not sent'),
      );
    },
    applied(boothId, version) {
      const at = clock();
      record('applied', boothId, version, async () => {
        await store.markApplied(boothId, version, at);
        log.info({ code: 'FLEET_CONFIG_APPLIED', booth: boothId, version }, 'booth applied its configuration');
      });
    },
    refused(boothId, version, code, detail) {
      const at = clock();
      record('refused', boothId, version, async () => {
        await store.markRefused(boothId, { version, code, detail: detail.slice(0, MAX_REFUSAL_DETAIL), at });
        log.warn({ code: 'FLEET_CONFIG_REFUSED', booth: boothId, version, reason: code }, 'booth refused its configuration');
      });
    },
    refresh() {
      refreshing = refreshing.then(refreshNow).catch((e: unknown) => {
        log.error({ code: 'FLEET_CONFIG_REFRESH_FAILED', err: (e as Error).message }, 'newest configuration not read');
      });
      return refreshing;
    },
    async settled() {
      while (pending.size > 0) await Promise.all(pending.values());
      await refreshing;
    },
  };
}
