// The department's configuration on the hub: numbered versions for every booth or one, the configuration each booth
// must run (the newest version aimed at it or at every booth), the `config.apply` frames sent on sign-in and on publish,
// and what each booth answered. Clock, sockets and logger are passed in; the state is in the hub's SQLite
// (migration 0008), so nothing here assumes one process holds the booths' sockets.
import type { Logger } from 'pino';
import {
  checkFleetConfig,
  MAX_REFUSAL_DETAIL,
  type BoothConfigState,
  type ConfigVersionFull,
  type ConfigVersionSummary,
  type RefusalCode,
} from '../../shared/fleetConfig.js';
import type { HubFrameOf } from '../../shared/protocol.js';
import type { HubDb } from '../store.js';

export type { BoothConfigState, ConfigVersionFull, ConfigVersionSummary };

export type PublishResult =
  | { ok: true; version: number; pushed: number }
  | { ok: false; error: 'INVALID_CONFIG' | 'TOO_LARGE' | 'UNKNOWN_BOOTH' | 'UNKNOWN_VERSION'; detail: string };

export interface FleetConfigDeps {
  db: HubDb;
  clock: () => number;
  /** Sends a frame to a booth's socket if it has one here; returns whether it did. */
  sendToBooth: (boothId: number, frame: HubFrameOf<'config.apply'>) => boolean;
  /** The booths signed in on this hub. */
  connectedBooths: () => Iterable<number>;
  log: Logger;
}

export interface HubFleetConfig {
  publish(input: { target: number | null; config: unknown; by: string }): PublishResult;
  /** Publishes an older version's configuration again, for the same target, as a new version. */
  rollback(input: { version: number; by: string }): PublishResult;
  versions(limit?: number): ConfigVersionSummary[];
  version(version: number): ConfigVersionFull | null;
  /** The version a booth must run: the newest aimed at it or at every booth. */
  effectiveFor(boothId: number): ConfigVersionFull | null;
  /** The newest version for every booth (what the editor starts from). */
  department(): ConfigVersionFull | null;
  booths(): BoothConfigState[];
  /** A booth signed in: it is sent its configuration. */
  boothJoined(boothId: number): void;
  applied(boothId: number, version: number): void;
  refused(boothId: number, version: number, code: RefusalCode, detail: string): void;
}

interface VersionRow {
  version: number;
  target_booth: number | null;
  config: string;
  published_at: number;
  published_by: string;
  rolled_back_from: number | null;
}

const summary = (r: VersionRow): ConfigVersionSummary => ({
  version: r.version,
  targetBooth: r.target_booth,
  publishedAt: r.published_at,
  publishedBy: r.published_by,
  rolledBackFrom: r.rolled_back_from,
});

export const MAX_VERSIONS_LISTED = 200;

export function createHubFleetConfig(deps: FleetConfigDeps): HubFleetConfig {
  const { db, clock } = deps;
  const log = deps.log.child({ scope: 'fleet-config' });
  const insert = db.prepare<[number | null, string, number, string, number | null]>(
    'INSERT INTO fleet_config_versions (target_booth, config, published_at, published_by, rolled_back_from) VALUES (?, ?, ?, ?, ?)',
  );
  const one = db.prepare<[number], VersionRow>('SELECT * FROM fleet_config_versions WHERE version = ?');
  const list = db.prepare<[number], VersionRow>(
    'SELECT version, target_booth, published_at, published_by, rolled_back_from, \'\' AS config FROM fleet_config_versions ORDER BY version DESC LIMIT ?',
  );
  // Two index seeks on (target_booth, version): the booth's newest and the department's newest, the newer wins.
  const effective = db.prepare<[number], VersionRow>(
    `SELECT * FROM fleet_config_versions WHERE version = (SELECT MAX(v) FROM (
       SELECT MAX(version) AS v FROM fleet_config_versions WHERE target_booth = ?
       UNION ALL SELECT MAX(version) FROM fleet_config_versions WHERE target_booth IS NULL))`,
  );
  const newestDepartment = db.prepare<[], VersionRow>('SELECT * FROM fleet_config_versions WHERE target_booth IS NULL ORDER BY version DESC LIMIT 1');
  const boothExists = db.prepare<[number], { id: number }>('SELECT id FROM booths WHERE id = ?');
  const boothRows = db.prepare<[], { id: number; name: string }>('SELECT id, name FROM booths WHERE revoked_at IS NULL ORDER BY id');
  const stateRows = db.prepare<[], { booth_id: number; applied_version: number | null; applied_at: number | null; refused_version: number | null; refused_code: string | null; refused_detail: string | null; refused_at: number | null }>(
    'SELECT * FROM booth_config_state',
  );
  // A refusal is kept until the booth runs that version or a newer one.
  const markApplied = db.prepare<[{ booth: number; version: number; at: number }]>(
    `INSERT INTO booth_config_state (booth_id, applied_version, applied_at) VALUES (@booth, @version, @at)
     ON CONFLICT (booth_id) DO UPDATE SET applied_version = @version, applied_at = @at,
       refused_version = CASE WHEN refused_version <= @version THEN NULL ELSE refused_version END,
       refused_code = CASE WHEN refused_version <= @version THEN NULL ELSE refused_code END,
       refused_detail = CASE WHEN refused_version <= @version THEN NULL ELSE refused_detail END,
       refused_at = CASE WHEN refused_version <= @version THEN NULL ELSE refused_at END`,
  );
  const markRefused = db.prepare<[{ booth: number; version: number; code: string; detail: string; at: number }]>(
    `INSERT INTO booth_config_state (booth_id, refused_version, refused_code, refused_detail, refused_at) VALUES (@booth, @version, @code, @detail, @at)
     ON CONFLICT (booth_id) DO UPDATE SET refused_version = @version, refused_code = @code, refused_detail = @detail, refused_at = @at`,
  );

  const full = (row: VersionRow | undefined): ConfigVersionFull | null => {
    if (!row) return null;
    // Stored only after checkFleetConfig: a row that no longer parses (a schema changed by hand) is not sent.
    const checked = checkFleetConfig(JSON.parse(row.config));
    if (!checked.ok) {
      log.error({ code: 'FLEET_CONFIG_STORED_INVALID', version: row.version, detail: checked.detail }, 'stored configuration does not parse');
      return null;
    }
    return { ...summary(row), config: checked.config };
  };

  const effectiveFor = (boothId: number): ConfigVersionFull | null => full(effective.get(boothId));

  const push = (boothId: number): boolean => {
    const current = effectiveFor(boothId);
    if (!current) return false;
    return deps.sendToBooth(boothId, { type: 'config.apply', version: current.version, config: current.config });
  };

  const store = (target: number | null, config: unknown, by: string, rolledBackFrom: number | null): PublishResult => {
    if (target !== null && !boothExists.get(target)) return { ok: false, error: 'UNKNOWN_BOOTH', detail: `borne ${target}` };
    const checked = checkFleetConfig(config);
    if (!checked.ok) return { ok: false, error: checked.code === 'TOO_LARGE' ? 'TOO_LARGE' : 'INVALID_CONFIG', detail: checked.detail };
    const version = Number(insert.run(target, JSON.stringify(checked.config), clock(), by.slice(0, 80), rolledBackFrom).lastInsertRowid);
    let pushed = 0;
    for (const boothId of [...deps.connectedBooths()]) {
      if ((target === null || target === boothId) && push(boothId)) pushed++;
    }
    log.info({ code: 'FLEET_CONFIG_PUBLISHED', version, target, rolledBackFrom, pushed }, 'configuration published');
    return { ok: true, version, pushed };
  };

  return {
    publish: ({ target, config, by }) => store(target, config, by, null),
    rollback({ version, by }) {
      const row = one.get(version);
      if (!row) return { ok: false, error: 'UNKNOWN_VERSION', detail: `version ${version}` };
      return store(row.target_booth, JSON.parse(row.config), by, version);
    },
    versions: (limit = MAX_VERSIONS_LISTED) => list.all(Math.min(Math.max(1, limit), MAX_VERSIONS_LISTED)).map(summary),
    version: (version) => full(one.get(version)),
    effectiveFor,
    department: () => full(newestDepartment.get()),
    booths() {
      const states = new Map(stateRows.all().map((s) => [s.booth_id, s]));
      return boothRows.all().map((b) => {
        const s = states.get(b.id);
        return {
          boothId: b.id,
          name: b.name,
          expectedVersion: effective.get(b.id)?.version ?? null,
          appliedVersion: s?.applied_version ?? null,
          appliedAt: s?.applied_at ?? null,
          refused:
            s && s.refused_version !== null
              ? { version: s.refused_version, code: s.refused_code ?? 'APPLY_FAILED', detail: s.refused_detail ?? '', at: s.refused_at ?? 0 }
              : null,
        };
      });
    },
    boothJoined(boothId) {
      try {
        push(boothId);
      } catch (e) {
        log.error({ code: 'FLEET_CONFIG_PUSH_FAILED', booth: boothId, err: (e as Error).message }, 'configuration not sent');
      }
    },
    applied(boothId, version) {
      // Only a version aimed at this booth (or at every booth) is recorded: a booth cannot claim another's.
      const row = one.get(version);
      if (!row || (row.target_booth !== null && row.target_booth !== boothId)) {
        log.warn({ code: 'FLEET_CONFIG_APPLIED_UNKNOWN', booth: boothId, version }, 'booth reports a version not meant for it');
        return;
      }
      markApplied.run({ booth: boothId, version, at: clock() });
      log.info({ code: 'FLEET_CONFIG_APPLIED', booth: boothId, version }, 'booth applied its configuration');
    },
    refused(boothId, version, code, detail) {
      const row = one.get(version);
      if (!row || (row.target_booth !== null && row.target_booth !== boothId)) {
        log.warn({ code: 'FLEET_CONFIG_REFUSED_UNKNOWN', booth: boothId, version }, 'booth refuses a version not meant for it');
        return;
      }
      markRefused.run({ booth: boothId, version, code, detail: detail.slice(0, MAX_REFUSAL_DETAIL), at: clock() });
      log.warn({ code: 'FLEET_CONFIG_REFUSED', booth: boothId, version, reason: code }, 'booth refused its configuration');
    },
  };
}
