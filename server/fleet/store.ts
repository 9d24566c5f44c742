// Where the fleet's state is kept: each booth's connection state, last report and problems (with since when), its
// bounded history, and the alerts in progress. Asynchronous: the SQLite file of one machine (migration 0006, below) or
// PostgreSQL shared by the nodes of a hub across machines (server/sharedStore/postgresFleet.ts).
import { BoothEvent, BoothHealth, BoothProblem } from '../../shared/fleet.js';
import type { HubDb } from '../store.js';

/** Since when each current problem has lasted (the alert rules need the duration, not only the fact). */
export type ProblemsSince = Partial<Record<BoothProblem, number>>;

export interface FleetState {
  online: boolean;
  /** The socket's last open (online) or close (offline); null if the booth never connected. */
  since: number | null;
  health: BoothHealth | null;
  reportedAt: number | null;
  problems: ProblemsSince;
}

export interface FleetRecord extends FleetState {
  boothId: number;
  name: string;
  revoked: boolean;
}

export type AlertRule = 'offline' | 'printer_down';
export interface ActiveAlert {
  boothId: number;
  rule: AlertRule;
  startedAt: number;
  /** The booth's name as stored (an alert of a booth no longer in the table is not listed). */
  name: string;
}

/** Both stores' query of the alerts in progress, with their booths' names, oldest first. */
export const ACTIVE_ALERTS_SQL = 'SELECT a.booth_id, a.rule, a.started_at, b.name FROM fleet_alerts a JOIN booths b ON b.id = a.booth_id ORDER BY a.started_at, a.booth_id';
export type ActiveAlertSql = { booth_id: number; rule: AlertRule; started_at: number; name: string };
export const toActiveAlert = (r: ActiveAlertSql): ActiveAlert => ({ boothId: r.booth_id, rule: r.rule, startedAt: r.started_at, name: r.name });

/** How many events a booth's history keeps: older ones are deleted in the transaction that adds new ones. */
export const HISTORY_LIMIT = 200;

export interface FleetStore {
  /** Every booth (revoked ones too), with its fleet state (a booth never seen has an offline, empty state). */
  records(): Promise<FleetRecord[]>;
  /**
   * The booths an alert may be due for or in progress on, for the periodic check, which every hub and node runs: those
   * with an alert in progress, and the booths not revoked that are offline since `offlineSince` or earlier, or whose
   * problems name the printer. A superset (dueAlerts decides); reading every booth each time stalled a hub of 10,000
   * booths 20 to 50 ms at each check.
   */
  alertCandidates(offlineSince: number): Promise<FleetRecord[]>;
  record(boothId: number): Promise<FleetRecord | null>;
  /**
   * A booth's new connection to this hub, in one step: online since `at`, with an `online` event, its last report and
   * problems kept (unless another node holds it online since later: the rule of `save`); its record as it was before,
   * null if there is no such booth (nothing written).
   */
  connect(boothId: number, at: number): Promise<FleetRecord | null>;
  /** Writes a booth's state and appends its events, pruning its history to `HISTORY_LIMIT`, in one transaction. */
  save(boothId: number, state: FleetState, events: readonly BoothEvent[]): Promise<void>;
  /** Newest first, at most `limit`. */
  history(boothId: number, limit: number): Promise<BoothEvent[]>;
  /**
   * Marks offline, at `at` (with an `offline` event), the booths left online by hubs that stopped without closing their
   * sockets; how many. The SQLite store has one hub per file: at its start no booth is connected anywhere, `live` is
   * not needed. On PostgreSQL each row names the node holding the booth: those of nodes not in `live` are reset.
   */
  resetOnline(at: number, live?: ReadonlySet<string>): Promise<number>;
  /** True if this call started the alert (the unique key decides when two hubs try at once). */
  startAlert(boothId: number, rule: AlertRule, at: number): Promise<boolean>;
  /** True if this call ended it. */
  endAlert(boothId: number, rule: AlertRule): Promise<boolean>;
  activeAlerts(): Promise<ActiveAlert[]>;
}

/** A booth joined to its state, as both stores read it (SQLite's online is 0/1, PostgreSQL's a boolean). */
export type RecordSql = { id: number; name: string; revoked_at: number | null; online: number | boolean | null; since: number | null; health: string | null; reported_at: number | null; problems: string | null };

/** Parses what the database holds defensively: a row edited by hand gives an empty value, not a crash. */
function parseHealth(text: string | null): BoothHealth | null {
  if (text === null) return null;
  try {
    const r = BoothHealth.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
function parseProblems(text: string | null): ProblemsSince {
  if (text === null) return {};
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    const out: ProblemsSince = {};
    for (const [k, v] of Object.entries(value)) if (BoothProblem.safeParse(k).success && typeof v === 'number') out[k as BoothProblem] = v;
    return out;
  } catch {
    return {};
  }
}

export const toRecord = (r: RecordSql): FleetRecord => ({
  boothId: r.id,
  name: r.name,
  revoked: r.revoked_at !== null,
  online: r.online === 1 || r.online === true,
  since: r.since,
  health: parseHealth(r.health),
  reportedAt: r.reported_at,
  problems: parseProblems(r.problems),
});

/**
 * The WHERE of FleetStore.alertCandidates for both stores, given how each writes the offline bound's parameter and false.
 * The printer's problem is found in the JSON text (the only rule on problems: see dueAlerts).
 */
export const alertCandidatesWhere = (bound: string, no: string): string =>
  `b.id IN (SELECT booth_id FROM fleet_alerts) OR (b.revoked_at IS NULL AND ((h.online = ${no} AND h.since <= ${bound}) OR h.problems LIKE '%"printer_down"%'))`;

export function createSqliteFleetStore(db: HubDb): FleetStore {
  const SELECT = 'SELECT b.id, b.name, b.revoked_at, h.online, h.since, h.health, h.reported_at, h.problems FROM booths b LEFT JOIN booth_health h ON h.booth_id = b.id';
  const st = {
    all: db.prepare<[], RecordSql>(`${SELECT} ORDER BY b.id`),
    one: db.prepare<[number], RecordSql>(`${SELECT} WHERE b.id = ?`),
    candidates: db.prepare<[number], RecordSql>(`${SELECT} WHERE ${alertCandidatesWhere('?', '0')} ORDER BY b.id`),
    upsert: db.prepare(
      `INSERT INTO booth_health (booth_id, online, since, health, reported_at, problems) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (booth_id) DO UPDATE SET online = excluded.online, since = excluded.since, health = excluded.health,
         reported_at = excluded.reported_at, problems = excluded.problems`,
    ),
    connect: db.prepare(
      `INSERT INTO booth_health (booth_id, online, since, health, reported_at, problems) VALUES (?, 1, ?, NULL, NULL, '{}')
       ON CONFLICT (booth_id) DO UPDATE SET online = 1, since = excluded.since`,
    ),
    event: db.prepare('INSERT INTO booth_events (booth_id, at, kind, problem, version) VALUES (?, ?, ?, ?, ?)'),
    prune: db.prepare(
      `DELETE FROM booth_events WHERE booth_id = ? AND id <= (SELECT id FROM booth_events WHERE booth_id = ? ORDER BY id DESC LIMIT 1 OFFSET ${HISTORY_LIMIT})`,
    ),
    history: db.prepare<[number, number], BoothEvent>('SELECT at, kind, problem, version FROM booth_events WHERE booth_id = ? ORDER BY id DESC LIMIT ?'),
    resetOnline: db.prepare('UPDATE booth_health SET online = 0, since = ? WHERE online = 1'),
    resetEvents: db.prepare("INSERT INTO booth_events (booth_id, at, kind, problem, version) SELECT booth_id, ?, 'offline', NULL, NULL FROM booth_health WHERE online = 1"),
    startAlert: db.prepare('INSERT OR IGNORE INTO fleet_alerts (booth_id, rule, started_at) VALUES (?, ?, ?)'),
    endAlert: db.prepare('DELETE FROM fleet_alerts WHERE booth_id = ? AND rule = ?'),
    alerts: db.prepare<[], ActiveAlertSql>(ACTIVE_ALERTS_SQL),
  };
  const save = db.transaction((boothId: number, s: FleetState, events: readonly BoothEvent[]) => {
    st.upsert.run(boothId, s.online ? 1 : 0, s.since, s.health ? JSON.stringify(s.health) : null, s.reportedAt, JSON.stringify(s.problems));
    for (const e of events) st.event.run(boothId, e.at, e.kind, e.problem, e.version);
    if (events.length > 0) st.prune.run(boothId, boothId);
  });
  const connect = db.transaction((boothId: number, at: number): FleetRecord | null => {
    const before = st.one.get(boothId);
    if (!before) return null;
    st.connect.run(boothId, at);
    st.event.run(boothId, at, 'online', null, null);
    st.prune.run(boothId, boothId);
    return toRecord(before);
  });
  const resetOnline = db.transaction((at: number) => {
    st.resetEvents.run(at);
    return st.resetOnline.run(at).changes;
  });
  // better-sqlite3 answers at once; the promises only give the interface's shape (a throw becomes a rejection).
  return {
    records: async () => st.all.all().map(toRecord),
    alertCandidates: async (offlineSince) => st.candidates.all(offlineSince).map(toRecord),
    async record(boothId) {
      const r = st.one.get(boothId);
      return r ? toRecord(r) : null;
    },
    connect: async (boothId, at) => connect(boothId, at),
    async save(boothId, state, events) {
      save(boothId, state, events);
    },
    history: async (boothId, limit) => st.history.all(boothId, limit),
    resetOnline: async (at) => resetOnline(at),
    startAlert: async (boothId, rule, at) => st.startAlert.run(boothId, rule, at).changes > 0,
    endAlert: async (boothId, rule) => st.endAlert.run(boothId, rule).changes > 0,
    activeAlerts: async () => st.alerts.all().map(toActiveAlert),
  };
}
