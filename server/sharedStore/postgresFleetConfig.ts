// The configuration pushed from the hub, on PostgreSQL, for the nodes of a hub across machines: the SQLite store's
// answers (server/fleetConfig/store.ts) over the pool of the shared store, whose migration 0005 made the tables. A
// version published on one node is sent by the others when they refresh (server/fleetConfig/service.ts).
import type pg from 'pg';
import { toBoothState, toStored, toSummary, type BoothStateSql, type FleetConfigStore, type StoredVersion, type VersionSql } from '../fleetConfig/store.js';

/** An id PostgreSQL's BIGINT holds: anything else is no row's (and is not sent to the server), as SQLite finds none. */
const isId = (id: number): boolean => Number.isSafeInteger(id);
/** TEXT cannot hold NUL (the server refuses it as a parameter): a name or a booth's detail carrying one is stored without it. */
const text = (s: string): string => s.replaceAll('\0', '');

// The booth's newest and the department's newest, each an index seek on (target_booth, version); GREATEST skips NULL.
const EFFECTIVE = `GREATEST(
  (SELECT MAX(version) FROM fleet_config_versions WHERE target_booth = $1),
  (SELECT MAX(version) FROM fleet_config_versions WHERE target_booth IS NULL))`;

export function postgresFleetConfigStore(pool: pg.Pool): FleetConfigStore {
  const one = async (sql: string, values: unknown[] = []): Promise<StoredVersion | null> => {
    const [row] = (await pool.query<VersionSql>(sql, values)).rows;
    return row ? toStored(row) : null;
  };
  const department = (): Promise<StoredVersion | null> =>
    one('SELECT * FROM fleet_config_versions WHERE target_booth IS NULL ORDER BY version DESC LIMIT 1');

  return {
    async insert(v) {
      if (v.target !== null && !isId(v.target)) throw new Error(`no booth can have the id ${v.target}`);
      const { rows } = await pool.query<{ version: number }>(
        'INSERT INTO fleet_config_versions (target_booth, config, published_at, published_by, rolled_back_from) VALUES ($1, $2, $3, $4, $5) RETURNING version',
        [v.target, v.config, v.at, text(v.by), v.rolledBackFrom],
      );
      return rows[0]!.version;
    },
    async version(version) {
      return isId(version) ? one('SELECT * FROM fleet_config_versions WHERE version = $1', [version]) : null;
    },
    async versions(limit) {
      const { rows } = await pool.query<VersionSql>(
        "SELECT version, target_booth, published_at, published_by, rolled_back_from, '' AS config FROM fleet_config_versions ORDER BY version DESC LIMIT $1",
        [limit],
      );
      return rows.map(toSummary);
    },
    async effective(boothId) {
      // SQLite binds a NaN as NULL, which no booth's version has: the department's newest, as here.
      if (!isId(boothId)) return department();
      return one(`SELECT * FROM fleet_config_versions WHERE version = ${EFFECTIVE}`, [boothId]);
    },
    department,
    async booths() {
      // One statement: the booths, their expected versions and their states read at the same instant.
      const { rows } = await pool.query<BoothStateSql>(
        `SELECT b.id, b.name,
           GREATEST((SELECT MAX(v.version) FROM fleet_config_versions v WHERE v.target_booth = b.id), d.newest) AS expected_version,
           s.applied_version, s.applied_at, s.refused_version, s.refused_code, s.refused_detail, s.refused_at
         FROM booths b
         CROSS JOIN (SELECT MAX(version) AS newest FROM fleet_config_versions WHERE target_booth IS NULL) d
         LEFT JOIN booth_config_state s ON s.booth_id = b.id
         WHERE b.revoked_at IS NULL
         ORDER BY b.id`,
      );
      return rows.map(toBoothState);
    },
    async boothExists(boothId) {
      return isId(boothId) && (await pool.query('SELECT 1 FROM booths WHERE id = $1', [boothId])).rows.length > 0;
    },
    async markApplied(boothId, version, at) {
      if (!isId(boothId) || !isId(version)) return;
      // A refusal is kept until the booth runs that version or a newer one.
      await pool.query(
        `INSERT INTO booth_config_state AS s (booth_id, applied_version, applied_at) VALUES ($1, $2, $3)
         ON CONFLICT (booth_id) DO UPDATE SET applied_version = $2, applied_at = $3,
           refused_version = CASE WHEN s.refused_version <= $2 THEN NULL ELSE s.refused_version END,
           refused_code = CASE WHEN s.refused_version <= $2 THEN NULL ELSE s.refused_code END,
           refused_detail = CASE WHEN s.refused_version <= $2 THEN NULL ELSE s.refused_detail END,
           refused_at = CASE WHEN s.refused_version <= $2 THEN NULL ELSE s.refused_at END`,
        [boothId, version, at],
      );
    },
    async markRefused(boothId, r) {
      if (!isId(boothId) || !isId(r.version)) return;
      await pool.query(
        `INSERT INTO booth_config_state (booth_id, refused_version, refused_code, refused_detail, refused_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (booth_id) DO UPDATE SET refused_version = EXCLUDED.refused_version, refused_code = EXCLUDED.refused_code,
           refused_detail = EXCLUDED.refused_detail, refused_at = EXCLUDED.refused_at`,
        [boothId, r.version, text(r.code), text(r.detail), r.at],
      );
    },
    async newestVersion() {
      const { rows } = await pool.query<{ v: number }>('SELECT COALESCE(MAX(version), 0) AS v FROM fleet_config_versions');
      return Number(rows[0]?.v ?? 0);
    },
  };
}
