// The hub's store of weekly aggregates received from booths, and the coordinator's dashboard queries (grid, totals, CSV).
// A pure module over a better-sqlite3 database: the hub's migrations create the tables and the hub passes its db in.
import type Database from 'better-sqlite3';
import { SERVICE_TYPES, type ServiceType } from '../../shared/domain.js';
import { err, ok, type Result } from '../../shared/result.js';
import { isoWeekLabel, shiftWeek, weekKeyFromLabel } from '../../shared/time.js';
import { migration0003 } from '../migrations/0003-aggregates.js';
import { AGGREGATE_LIMIT_CEILING, DEFAULT_AGGREGATE_LIMITS, outOfBounds, weekWithin, type AggregateLimits } from './bounds.js';
import { WeeklyAggregatePayload } from '../../shared/aggregates.js';

type Db = Database.Database;

/**
 * The aggregate tables on a database of their own (tests, benches), as the hub's migration 0003 creates them in its
 * database; idempotent.
 */
export function migrateAggregates(db: Db): void {
  migration0003.up(db);
}

export type StoreOutcome = 'stored' | 'replaced' | 'unchanged';
export type StoreError = 'INVALID_PAYLOAD' | 'SITE_MISMATCH' | 'COUNTS_OUT_OF_BOUNDS';

/** A booth's payload parsed and checked as storeWeek does before storing anything (by SQLite or PostgreSQL). */
export function checkWeek(siteId: string, payload: unknown, limits: AggregateLimits): Result<WeeklyAggregatePayload, StoreError> {
  const parsed = WeeklyAggregatePayload.safeParse(payload);
  if (!parsed.success) return err('INVALID_PAYLOAD', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const p = parsed.data;
  if (p.siteId !== siteId) return err('SITE_MISMATCH', 'Les agrégats ne viennent pas du site authentifié.');
  const beyond = outOfBounds(p.counts, limits);
  if (beyond !== null) return err('COUNTS_OUT_OF_BOUNDS', beyond);
  return ok(p);
}

/**
 * Stores a booth's week, replacing what the same site sent before for that week (idempotent per site and week).
 * `siteId` is the booth's identity as authenticated by the hub; the payload must carry the same one. Counts beyond
 * `limits` are refused (COUNTS_OUT_OF_BOUNDS, with a French message): nothing is stored.
 */
export function storeWeek(
  db: Db,
  siteId: string,
  siteName: string,
  payload: unknown,
  receivedAt: number,
  limits: AggregateLimits = DEFAULT_AGGREGATE_LIMITS,
): Result<StoreOutcome, StoreError> {
  const checked = checkWeek(siteId, payload, limits);
  if (!checked.ok) return checked;
  const p = checked.value;
  const weekKey = weekKeyFromLabel(p.week);
  return db.transaction((): Result<StoreOutcome, StoreError> => {
    db.prepare(
      `INSERT INTO aggregate_sites (site_id, site_name, last_received_at) VALUES (?, ?, ?)
       ON CONFLICT (site_id) DO UPDATE SET site_name = excluded.site_name, last_received_at = excluded.last_received_at`,
    ).run(siteId, siteName, receivedAt);
    const previous = db.prepare<[string, number], { hash: string; total: number }>('SELECT hash, total FROM aggregate_weeks WHERE site_id = ? AND week_key = ?').get(siteId, weekKey);
    if (previous?.hash === p.hash) return ok('unchanged');
    // The department's rows of the week are updated by difference, unless the week replaced was out of bounds (stored
    // by an older hub: not in them) or they are not sane integers (from an older hub too): then they are rebuilt.
    const rebuild = (previous !== undefined && !weekWithin(previous.total, AGGREGATE_LIMIT_CEILING)) || departmentWeekInsane(db, weekKey);
    const addToDepartment = db.prepare<[number, string, string, number]>(
      `INSERT INTO aggregate_department_weeks (week_key, organisation, service, count) VALUES (?, ?, ?, ?)
       ON CONFLICT (week_key, organisation, service) DO UPDATE SET count = count + excluded.count`,
    );
    if (!rebuild) {
      const old = db
        .prepare<[string, number], { organisation: string; service: string; count: number }>('SELECT organisation, service, count FROM aggregate_counts WHERE site_id = ? AND week_key = ?')
        .all(siteId, weekKey);
      for (const c of old) addToDepartment.run(weekKey, c.organisation, c.service, -c.count);
    }
    db.prepare('DELETE FROM aggregate_counts WHERE site_id = ? AND week_key = ?').run(siteId, weekKey);
    db.prepare('DELETE FROM aggregate_department_weeks WHERE week_key = ? AND count = 0').run(weekKey);
    const insert = db.prepare<[string, number, string, string, number]>(
      `INSERT INTO aggregate_counts (site_id, week_key, organisation, service, count) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (site_id, week_key, organisation, service) DO UPDATE SET count = count + excluded.count`,
    );
    let total = 0;
    for (const c of p.counts) {
      if (c.count === 0) continue;
      insert.run(siteId, weekKey, c.organisation, c.service, c.count);
      if (!rebuild) addToDepartment.run(weekKey, c.organisation, c.service, c.count);
      total += c.count;
    }
    db.prepare(
      `INSERT INTO aggregate_weeks (site_id, week_key, hash, total, received_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (site_id, week_key) DO UPDATE SET hash = excluded.hash, total = excluded.total, received_at = excluded.received_at`,
    ).run(siteId, weekKey, p.hash, total, receivedAt);
    if (rebuild) rebuildDepartmentWeek(db, weekKey);
    return ok(previous ? 'replaced' : 'stored');
  })();
}

/** Whether a week's department rows hold a count no in-bounds data can give (negative, or not an exact integer). */
function departmentWeekInsane(db: Db, weekKey: number): boolean {
  return (
    db.prepare<[number, number], { x: number }>('SELECT 1 AS x FROM aggregate_department_weeks WHERE week_key = ? AND (count < 0 OR count > ?) LIMIT 1').get(weekKey, Number.MAX_SAFE_INTEGER) !==
    undefined
  );
}

/** Recomputes a week's department rows from the site-weeks within AGGREGATE_LIMIT_CEILING. */
function rebuildDepartmentWeek(db: Db, weekKey: number): void {
  db.prepare('DELETE FROM aggregate_department_weeks WHERE week_key = ?').run(weekKey);
  db.prepare(
    `INSERT INTO aggregate_department_weeks (week_key, organisation, service, count)
     SELECT c.week_key, c.organisation, c.service, SUM(c.count) FROM aggregate_weeks w
       JOIN aggregate_counts c ON c.site_id = w.site_id AND c.week_key = w.week_key
     WHERE w.week_key = ? AND w.total BETWEEN 0 AND ? GROUP BY c.organisation, c.service HAVING SUM(c.count) <> 0`,
  ).run(weekKey, AGGREGATE_LIMIT_CEILING);
}

export interface Dashboard {
  fromWeek: string;
  toWeek: string;
  /** Every ISO week of the range, in order; the columns of the grid. */
  weeks: string[];
  /** One row per known site; a cell is null when the site sent nothing for that week (or what it sent is out of bounds). */
  sites: { siteId: string; siteName: string; cells: (number | null)[]; total: number; lastReceivedAt: number }[];
  weekTotals: number[];
  total: number;
  /** Department totals of the range per organisation and type of service. */
  organisations: { organisation: string; counts: Record<ServiceType, number>; total: number }[];
  serviceTotals: Record<ServiceType, number>;
  /** Site-weeks of the range left out of every figure because their counts are out of bounds (stored by an older hub). */
  excluded: { siteId: string; siteName: string; week: string }[];
}

export const MAX_DASHBOARD_WEEKS = 530;

const zeroCounts = (): Record<ServiceType, number> => Object.fromEntries(SERVICE_TYPES.map((s) => [s, 0])) as Record<ServiceType, number>;

/** The ISO weeks of a dashboard's range ('YYYY-Www', inclusive), as stored keys: RangeError on an empty or too long range. */
export function dashboardWeeks(range: { fromWeek: string; toWeek: string }): { from: number; to: number; weekKeys: number[] } {
  const from = weekKeyFromLabel(range.fromWeek);
  const to = weekKeyFromLabel(range.toWeek);
  if (from > to) throw new RangeError(`empty week range: ${range.fromWeek} > ${range.toWeek}`);
  const weekKeys: number[] = [];
  for (let w = from; w <= to; w = shiftWeek(w, 1)) {
    weekKeys.push(w);
    if (weekKeys.length > MAX_DASHBOARD_WEEKS) throw new RangeError(`week range longer than ${MAX_DASHBOARD_WEEKS} weeks`);
  }
  return { from, to, weekKeys };
}

/** What a store reads first for a dashboard: SQLite's and PostgreSQL's rows, computed into the same answer. */
export interface DashboardRows {
  /** Every known site, ordered by name then id, byte for byte (SQLite's BINARY collation). */
  sites: { siteId: string; siteName: string; lastReceivedAt: number }[];
  /** The site-weeks of the range, ordered by week then site id (the order of `excluded`). */
  siteWeeks: { weekKey: number; siteId: string; total: number }[];
  /** Per week of the range that has department rows: their sum, lowest and highest count. */
  departmentWeeks: { weekKey: number; total: number; low: number; high: number }[];
}

/** A dashboard but for its totals per organisation, and the weeks whose totals must come from the sites' counts. */
export interface DashboardGrid {
  partial: Omit<Dashboard, 'organisations' | 'serviceTotals'>;
  /**
   * Weeks (keys) whose totals per organisation are added up from the shown site-weeks' counts; the others' come from
   * the department's rows of the week.
   */
  recompute: number[];
}

export type DashboardCount = { organisation: string; service: ServiceType; count: number };

/** `dashboard`'s grid from its first rows, and the weeks whose department rows it cannot trust. */
export function dashboardGrid(weeks: { from: number; to: number; weekKeys: number[] }, rows: DashboardRows, limits: AggregateLimits): DashboardGrid {
  const { weekKeys } = weeks;
  const column = new Map(weekKeys.map((w, i) => [w, i]));
  const sites = rows.sites.map((s) => ({ siteId: s.siteId, siteName: s.siteName, cells: weekKeys.map((): number | null => null), total: 0, lastReceivedAt: s.lastReceivedAt }));
  const siteRow = new Map(sites.map((s) => [s.siteId, s]));
  const weekTotals = weekKeys.map(() => 0);
  let total = 0;
  const excluded: Dashboard['excluded'] = [];
  /** Weeks (column index) with a site-week left out: their department rows hold it (or may), so they are recomputed. */
  const recompute = new Set<number>();
  for (const c of rows.siteWeeks) {
    const row = siteRow.get(c.siteId);
    const i = column.get(c.weekKey);
    if (i === undefined) continue;
    if (!row || !weekWithin(c.total, limits.maxWeekTotal)) {
      recompute.add(i);
      if (row) excluded.push({ siteId: row.siteId, siteName: row.siteName, week: isoWeekLabel(c.weekKey) });
      continue;
    }
    row.cells[i] = c.total;
    row.total += c.total;
    weekTotals[i] = (weekTotals[i] ?? 0) + c.total;
    total += c.total;
  }

  // Each week's department rows must add up to the week's shown cells (and be sane integers).
  const departmentTotals = weekKeys.map(() => 0);
  for (const w of rows.departmentWeeks) {
    const i = column.get(w.weekKey);
    if (i === undefined) continue;
    departmentTotals[i] = w.total;
    if (w.low < 0 || w.high > Number.MAX_SAFE_INTEGER) recompute.add(i);
  }
  weekKeys.forEach((_, i) => {
    if (departmentTotals[i] !== weekTotals[i]) recompute.add(i);
  });

  return {
    partial: { fromWeek: isoWeekLabel(weeks.from), toWeek: isoWeekLabel(weeks.to), weeks: weekKeys.map(isoWeekLabel), sites, weekTotals, total, excluded },
    recompute: weekKeys.filter((_, i) => recompute.has(i)),
  };
}

/** The dashboard from its grid and the counts per organisation and service of its weeks (in any order, summed here). */
export function dashboardTotals(grid: DashboardGrid, counts: readonly DashboardCount[]): Dashboard {
  const organisations = new Map<string, { organisation: string; counts: Record<ServiceType, number>; total: number }>();
  const serviceTotals = zeroCounts();
  for (const r of counts) {
    if (!(r.service in serviceTotals)) continue;
    let row = organisations.get(r.organisation);
    if (!row) {
      row = { organisation: r.organisation, counts: zeroCounts(), total: 0 };
      organisations.set(r.organisation, row);
    }
    row.counts[r.service] += r.count;
    row.total += r.count;
    serviceTotals[r.service] += r.count;
  }
  return {
    ...grid.partial,
    organisations: [...organisations.values()].sort((a, b) => (a.organisation < b.organisation ? -1 : a.organisation > b.organisation ? 1 : 0)),
    serviceTotals,
  };
}

/**
 * The department's grid per site and week over a range of ISO weeks ('YYYY-Www', inclusive), with totals. A site-week
 * whose total is out of `limits` is left out of every figure and listed in `excluded`: one site's bad data never breaks
 * the view of the others. The totals per organisation come from the department's rows of each week when they add up to
 * the week's shown cells (always, unless a week was left out or an older hub left them wrong); else that week's are
 * added up again from the shown sites' counts.
 */
export function dashboard(db: Db, range: { fromWeek: string; toWeek: string }, limits: AggregateLimits = DEFAULT_AGGREGATE_LIMITS): Dashboard {
  const weeks = dashboardWeeks(range);
  const { from, to } = weeks;
  const grid = dashboardGrid(
    weeks,
    {
      sites: db
        .prepare<[], { siteId: string; siteName: string; lastReceivedAt: number }>(
          'SELECT site_id AS siteId, site_name AS siteName, last_received_at AS lastReceivedAt FROM aggregate_sites ORDER BY site_name, site_id',
        )
        .all(),
      siteWeeks: db
        .prepare<[number, number], { weekKey: number; siteId: string; total: number }>(
          'SELECT week_key AS weekKey, site_id AS siteId, total FROM aggregate_weeks WHERE week_key BETWEEN ? AND ? ORDER BY week_key, site_id',
        )
        .all(from, to),
      departmentWeeks: db
        .prepare<[number, number], { weekKey: number; total: number; low: number; high: number }>(
          `SELECT week_key AS weekKey, TOTAL(count) AS total, MIN(count) AS low, MAX(count) AS high FROM aggregate_department_weeks
           WHERE week_key BETWEEN ? AND ? GROUP BY week_key`,
        )
        .all(from, to),
    },
    limits,
  );

  if (grid.recompute.length === 0) {
    const counts = db
      .prepare<[number, number], DashboardCount>(
        'SELECT organisation, service, TOTAL(count) AS count FROM aggregate_department_weeks WHERE week_key BETWEEN ? AND ? GROUP BY organisation, service',
      )
      .all(from, to);
    return dashboardTotals(grid, counts);
  }
  const recompute = new Set(grid.recompute);
  const shownCounts = db.prepare<[number, number], DashboardCount>(
    `SELECT c.organisation, c.service, TOTAL(c.count) AS count FROM aggregate_weeks w
       JOIN aggregate_counts c ON c.site_id = w.site_id AND c.week_key = w.week_key
     WHERE w.week_key = ? AND w.total BETWEEN 0 AND ? AND w.site_id IN (SELECT site_id FROM aggregate_sites)
     GROUP BY c.organisation, c.service`,
  );
  const departmentRows = db.prepare<[number], DashboardCount>('SELECT organisation, service, count FROM aggregate_department_weeks WHERE week_key = ?');
  return dashboardTotals(
    grid,
    weeks.weekKeys.flatMap((w) => (recompute.has(w) ? shownCounts.all(w, limits.maxWeekTotal) : departmentRows.all(w))),
  );
}

const SERVICE_HEADERS_FR: Record<ServiceType, string> = {
  info: 'Information / orientation',
  documents: 'Fourniture de documents',
  visio: 'Visio-accueil',
  teleservice: 'Aide aux téléservices',
  internet: 'Consultation Internet',
};

const csvField = (value: string): string => {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

/** The dashboard as CSV for a spreadsheet: UTF-8 with BOM, ';', the grid (sites × weeks) then the totals per organisation. */
export function dashboardCsv(d: Dashboard): { filename: string; content: string } {
  const lines = [
    ['Site', ...d.weeks, 'Total'].join(';'),
    ...d.sites.map((s) => [csvField(s.siteName), ...s.cells.map((c) => (c === null ? '' : String(c))), String(s.total)].join(';')),
    ['Total', ...d.weekTotals.map(String), String(d.total)].join(';'),
    '',
    ['Organisme', ...SERVICE_TYPES.map((s) => SERVICE_HEADERS_FR[s]), 'Total'].join(';'),
    ...d.organisations.map((o) => [csvField(o.organisation), ...SERVICE_TYPES.map((s) => String(o.counts[s])), String(o.total)].join(';')),
    ['Total', ...SERVICE_TYPES.map((s) => String(d.serviceTotals[s])), String(d.total)].join(';'),
    ...(d.excluded.length > 0
      ? ['', 'Semaines écartées (comptages hors bornes);Semaine', ...d.excluded.map((e) => [csvField(e.siteName), e.week].join(';'))]
      : []),
  ];
  return { filename: `tableau-de-bord_${d.fromWeek}_${d.toWeek}.csv`, content: `\uFEFF${lines.join('\r\n')}\r\n` };
}
