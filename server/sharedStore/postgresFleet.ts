// The fleet's store on PostgreSQL, for the nodes of a hub across machines: the SQLite store's answers
// (server/fleet/store.ts) over the pool of the shared store, whose migration 0003 made the tables. Each online booth's
// row names the node holding its socket, so that the booths of a node that died are marked offline by the others.
import type pg from 'pg';
import type { BoothEvent } from '../../shared/fleet.js';
import { ACTIVE_ALERTS_SQL, alertCandidatesWhere, HISTORY_LIMIT, toActiveAlert, toRecord, type ActiveAlertSql, type AlertRule, type FleetStore, type RecordSql } from '../fleet/store.js';

const SELECT = 'SELECT b.id, b.name, b.revoked_at, h.online, h.since, h.health, h.reported_at, h.problems FROM booths b LEFT JOIN booth_health h ON h.booth_id = b.id';
/** A booth id PostgreSQL's BIGINT holds: anything else is no booth (and is not sent to the server). */
const isId = (id: number): boolean => Number.isSafeInteger(id);
/** TEXT cannot hold NUL: an event's version carrying one is stored without it (JSON text escapes it, so health keeps it). */
const text = (s: string | null): string | null => (s === null ? null : s.replaceAll('\0', ''));

/** Deletes booth $1's events but the newest `keep` (an integer: written into the SQL). */
const pruneKeeping = (keep: number): string =>
  `DELETE FROM booth_events WHERE booth_id = $1 AND id <= (SELECT id FROM booth_events WHERE booth_id = $1 ORDER BY id DESC LIMIT 1 OFFSET ${Math.floor(keep)})`;

/** `node`: this node's id, written on the rows of the booths it holds. */
export function postgresFleetStore(pool: pg.Pool, node: string): FleetStore {
  return {
    async records() {
      return (await pool.query<RecordSql>(`${SELECT} ORDER BY b.id`)).rows.map(toRecord);
    },
    async alertCandidates(offlineSince) {
      return (await pool.query<RecordSql>(`${SELECT} WHERE ${alertCandidatesWhere('$1', 'false')} ORDER BY b.id`, [Math.floor(offlineSince)])).rows.map(toRecord);
    },
    async record(boothId) {
      if (!isId(boothId)) return null;
      const [row] = (await pool.query<RecordSql>(`${SELECT} WHERE b.id = $1`, [boothId])).rows;
      return row ? toRecord(row) : null;
    },
    async connect(boothId, at) {
      if (!isId(boothId)) return null;
      // One statement: the record as it was, the row online on this node (the rule of save below), the event, the pruning.
      const { rows } = await pool.query<RecordSql>(
        `WITH before AS (${SELECT} WHERE b.id = $1),
         written AS (
           INSERT INTO booth_health (booth_id, online, node, since, health, reported_at, problems) SELECT id, TRUE, $2, $3, NULL, NULL, '{}' FROM before
           ON CONFLICT (booth_id) DO UPDATE SET online = TRUE, node = EXCLUDED.node, since = EXCLUDED.since
           WHERE NOT (booth_health.online AND booth_health.node IS NOT NULL AND booth_health.node <> $2 AND COALESCE(booth_health.since, 0) > $3)
           RETURNING booth_id
         ),
         pruned AS (${pruneKeeping(HISTORY_LIMIT - 1)} AND EXISTS (SELECT 1 FROM written)),
         logged AS (INSERT INTO booth_events (booth_id, at, kind, problem, version) SELECT booth_id, $3, 'online', NULL, NULL FROM written)
         SELECT * FROM before`,
        [boothId, node, Math.floor(at)],
      );
      return rows[0] ? toRecord(rows[0]) : null;
    },
    async save(boothId, state, events) {
      if (!isId(boothId)) return;
      // One statement, so one round trip (a booth's connection wrote in six: BEGIN, SELECT … FOR UPDATE, the upsert, the
      // events, the pruning, COMMIT): the upsert, its events and their pruning. A booth that moved to another node: what
      // its old node still writes (its last report, then its socket's close) must not undo the new node's. A row online
      // on another node since later than this state is left as it is: the upsert's WHERE, read on the row it locked.
      const upsert = `INSERT INTO booth_health (booth_id, online, node, since, health, reported_at, problems) VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (booth_id) DO UPDATE SET online = EXCLUDED.online, node = EXCLUDED.node, since = EXCLUDED.since,
          health = EXCLUDED.health, reported_at = EXCLUDED.reported_at, problems = EXCLUDED.problems
        WHERE NOT (booth_health.online AND booth_health.node IS NOT NULL AND booth_health.node <> $8
          AND (NOT EXCLUDED.online OR COALESCE(booth_health.since, 0) > COALESCE(EXCLUDED.since, 0)))
        RETURNING booth_id`;
      const values = [boothId, state.online, state.online ? node : null, state.since, state.health ? JSON.stringify(state.health) : null, state.reportedAt, JSON.stringify(state.problems), node];
      if (events.length === 0) {
        await pool.query(upsert, values);
        return;
      }
      // The pruning in the same statement when it can be: it sees the events as they were before it, so it keeps the
      // newest HISTORY_LIMIT - n of them. More new events than that (a hand-made burst) are pruned after, as they were.
      const keepOld = HISTORY_LIMIT - events.length;
      const added = await pool.query(
        `WITH written AS (${upsert})${keepOld >= 0 ? `, pruned AS (${pruneKeeping(keepOld)} AND EXISTS (SELECT 1 FROM written))` : ''}
         INSERT INTO booth_events (booth_id, at, kind, problem, version)
         SELECT written.booth_id, e.at, e.kind, e.problem, e.version
           FROM written, unnest($9::bigint[], $10::text[], $11::text[], $12::text[]) WITH ORDINALITY AS e(at, kind, problem, version, n) ORDER BY e.n`,
        [...values, events.map((e) => e.at), events.map((e) => e.kind), events.map((e) => text(e.problem)), events.map((e) => text(e.version))],
      );
      if (added.rowCount !== 0 && keepOld < 0) await pool.query(pruneKeeping(HISTORY_LIMIT), [boothId]);
    },
    async history(boothId, limit) {
      if (!isId(boothId)) return [];
      const { rows } = await pool.query<BoothEvent>('SELECT at, kind, problem, version FROM booth_events WHERE booth_id = $1 ORDER BY id DESC LIMIT $2', [boothId, limit]);
      return rows;
    },
    async resetOnline(at, live) {
      const nodes = live ? [...live] : [];
      // One statement: two nodes resetting at once mark each booth once (the second finds it offline already).
      const { rows } = await pool.query<{ n: number }>(
        `WITH reset AS (
           UPDATE booth_health SET online = FALSE, node = NULL, since = $1 WHERE online AND (node IS NULL OR NOT (node = ANY ($2::text[]))) RETURNING booth_id
         ), logged AS (
           INSERT INTO booth_events (booth_id, at, kind, problem, version) SELECT booth_id, $1, 'offline', NULL, NULL FROM reset
         )
         SELECT count(*)::int AS n FROM reset`,
        [at, nodes],
      );
      return rows[0]?.n ?? 0;
    },
    async startAlert(boothId, rule: AlertRule, at) {
      if (!isId(boothId)) return false;
      return ((await pool.query('INSERT INTO fleet_alerts (booth_id, rule, started_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [boothId, rule, at])).rowCount ?? 0) > 0;
    },
    async endAlert(boothId, rule) {
      if (!isId(boothId)) return false;
      return ((await pool.query('DELETE FROM fleet_alerts WHERE booth_id = $1 AND rule = $2', [boothId, rule])).rowCount ?? 0) > 0;
    },
    async activeAlerts() {
      return (await pool.query<ActiveAlertSql>(ACTIVE_ALERTS_SQL)).rows.map(toActiveAlert);
    },
  };
}
