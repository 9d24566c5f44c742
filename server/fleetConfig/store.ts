// Where the department's configuration is kept: every published version, and per booth the version it last said it
// runs and its last refusal. Asynchronous: the SQLite file of one machine (migration 0008, below) or PostgreSQL shared
// by the nodes of a hub across machines (server/sharedStore/postgresFleetConfig.ts). The stores hold text and numbers;
// parsing a stored configuration (and refusing one that no longer parses) is the service's (service.ts).
import type { BoothConfigState, ConfigVersionSummary } from '../../shared/fleetConfig.js';
import type { HubDb } from '../store.js';

/** A stored version: `config` is its JSON text, written only after checkFleetConfig. */
export interface StoredVersion extends ConfigVersionSummary {
  config: string;
}

export interface NewVersion {
  /** null: every booth. */
  target: number | null;
  config: string;
  at: number;
  by: string;
  rolledBackFrom: number | null;
}

export interface Refusal {
  version: number;
  code: string;
  detail: string;
  at: number;
}

export interface FleetConfigStore {
  /** Stores a version; its number, greater than every number given before (never reused, even after a deletion). */
  insert(v: NewVersion): Promise<number>;
  version(version: number): Promise<StoredVersion | null>;
  /** Newest first, at most `limit` (a positive integer), without their configuration. */
  versions(limit: number): Promise<ConfigVersionSummary[]>;
  /** The version a booth must run: the newest aimed at it or at every booth (an unknown booth: every booth's). */
  effective(boothId: number): Promise<StoredVersion | null>;
  /** The newest version for every booth. */
  department(): Promise<StoredVersion | null>;
  /** The booths not revoked, by id, each with the version it must run and its last answers. */
  booths(): Promise<BoothConfigState[]>;
  /** Whether a booth has this id (revoked or not). */
  boothExists(boothId: number): Promise<boolean>;
  /** The booth runs `version`; a refusal of that version or an older one is forgotten. */
  markApplied(boothId: number, version: number, at: number): Promise<void>;
  markRefused(boothId: number, refusal: Refusal): Promise<void>;
  /** The newest version's number, whatever its target; 0 before the first. */
  newestVersion(): Promise<number>;
}

/** A version's row, as both stores read it. */
export type VersionSql = {
  version: number;
  target_booth: number | null;
  config: string;
  published_at: number;
  published_by: string;
  rolled_back_from: number | null;
};

export const toSummary = (r: VersionSql): ConfigVersionSummary => ({
  version: r.version,
  targetBooth: r.target_booth,
  publishedAt: r.published_at,
  publishedBy: r.published_by,
  rolledBackFrom: r.rolled_back_from,
});
export const toStored = (r: VersionSql): StoredVersion => ({ ...toSummary(r), config: r.config });

/** A booth with its expected version and its state's columns (null when it never answered), as both stores read it. */
export type BoothStateSql = {
  id: number;
  name: string;
  expected_version: number | null;
  applied_version: number | null;
  applied_at: number | null;
  refused_version: number | null;
  refused_code: string | null;
  refused_detail: string | null;
  refused_at: number | null;
};

export const toBoothState = (r: BoothStateSql): BoothConfigState => ({
  boothId: r.id,
  name: r.name,
  expectedVersion: r.expected_version,
  appliedVersion: r.applied_version,
  appliedAt: r.applied_at,
  refused:
    r.refused_version !== null
      ? { version: r.refused_version, code: r.refused_code ?? 'APPLY_FAILED', detail: r.refused_detail ?? '', at: r.refused_at ?? 0 }
      : null,
});

type StateSql = Omit<BoothStateSql, 'id' | 'name' | 'expected_version'> & { booth_id: number };

export function createSqliteFleetConfigStore(db: HubDb): FleetConfigStore {
  const insert = db.prepare<[number | null, string, number, string, number | null]>(
    'INSERT INTO fleet_config_versions (target_booth, config, published_at, published_by, rolled_back_from) VALUES (?, ?, ?, ?, ?)',
  );
  const one = db.prepare<[number], VersionSql>('SELECT * FROM fleet_config_versions WHERE version = ?');
  const list = db.prepare<[number], VersionSql>(
    'SELECT version, target_booth, published_at, published_by, rolled_back_from, \'\' AS config FROM fleet_config_versions ORDER BY version DESC LIMIT ?',
  );
  // Two index seeks on (target_booth, version): the booth's newest and the department's newest, the newer wins.
  const effective = db.prepare<[number], VersionSql>(
    `SELECT * FROM fleet_config_versions WHERE version = (SELECT MAX(v) FROM (
       SELECT MAX(version) AS v FROM fleet_config_versions WHERE target_booth = ?
       UNION ALL SELECT MAX(version) FROM fleet_config_versions WHERE target_booth IS NULL))`,
  );
  const newestDepartment = db.prepare<[], VersionSql>('SELECT * FROM fleet_config_versions WHERE target_booth IS NULL ORDER BY version DESC LIMIT 1');
  const newest = db.prepare<[], { v: number }>('SELECT COALESCE(MAX(version), 0) AS v FROM fleet_config_versions');
  const boothExists = db.prepare<[number], { id: number }>('SELECT id FROM booths WHERE id = ?');
  const boothRows = db.prepare<[], { id: number; name: string }>('SELECT id, name FROM booths WHERE revoked_at IS NULL ORDER BY id');
  const stateRows = db.prepare<[], StateSql>('SELECT * FROM booth_config_state');
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
  // Read in one synchronous run: a consistent view without a transaction.
  const booths = (): BoothConfigState[] => {
    const states = new Map(stateRows.all().map((s) => [s.booth_id, s]));
    return boothRows.all().map((b) => {
      const s = states.get(b.id);
      return toBoothState({
        id: b.id,
        name: b.name,
        expected_version: effective.get(b.id)?.version ?? null,
        applied_version: s?.applied_version ?? null,
        applied_at: s?.applied_at ?? null,
        refused_version: s?.refused_version ?? null,
        refused_code: s?.refused_code ?? null,
        refused_detail: s?.refused_detail ?? null,
        refused_at: s?.refused_at ?? null,
      });
    });
  };
  const stored = (r: VersionSql | undefined): StoredVersion | null => (r ? toStored(r) : null);

  // better-sqlite3 answers at once; the promises only give the interface's shape (a throw becomes a rejection).
  return {
    insert: async (v) => Number(insert.run(v.target, v.config, v.at, v.by, v.rolledBackFrom).lastInsertRowid),
    version: async (version) => stored(one.get(version)),
    versions: async (limit) => list.all(limit).map(toSummary),
    effective: async (boothId) => stored(effective.get(boothId)),
    department: async () => stored(newestDepartment.get()),
    booths: async () => booths(),
    boothExists: async (boothId) => boothExists.get(boothId) !== undefined,
    async markApplied(boothId, version, at) {
      markApplied.run({ booth: boothId, version, at });
    },
    async markRefused(boothId, r) {
      markRefused.run({ booth: boothId, version: r.version, code: r.code, detail: r.detail, at: r.at });
    },
    newestVersion: async () => newest.get()?.v ?? 0,
  };
}
