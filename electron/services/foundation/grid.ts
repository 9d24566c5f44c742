// The weekly counting grid (DOMAIN.md): visits of one ISO week (Paris) per organisation × type of service, and its CSV export.
import type { Organisation, WeeklyGrid } from '../../../shared/contract/index.js';
import { SERVICE_TYPES, type ServiceType } from '../../../shared/domain.js';
import { ExpectedError } from '../../../shared/errors.js';
import { dayLabel, isoWeekLabel, mondayOfIsoWeek, weekKeyFromLabel, weeksInIsoYear } from '../../../shared/time.js';
import type { Db } from '../db/index.js';

/** The grid's one query: served by the covering index visits_by_week (week_key, organisation, service). */
export const WEEKLY_GRID_SQL = 'SELECT organisation, service, COUNT(*) AS n FROM visits WHERE week_key = ? GROUP BY organisation, service';

export const SERVICE_LABELS_FR: Record<ServiceType, string> = {
  info: 'Information / orientation',
  documents: 'Fourniture de documents',
  visio: 'Visio-accueil',
  teleservice: 'Aide aux téléservices',
  internet: 'Consultation Internet',
};

const zeroCounts = (): Record<ServiceType, number> =>
  Object.fromEntries(SERVICE_TYPES.map((s) => [s, 0])) as Record<ServiceType, number>;

const isService = (s: string): s is ServiceType => (SERVICE_TYPES as readonly string[]).includes(s);

/** The week key of a `YYYY-Www` label; INVALID_INPUT for a week 53 in a year of 52 weeks. */
export function parseIsoWeek(label: string): number {
  const key = weekKeyFromLabel(label);
  if (key % 100 > weeksInIsoYear(Math.floor(key / 100))) {
    throw new ExpectedError('INVALID_INPUT', `L'année ${Math.floor(key / 100)} n'a que ${weeksInIsoYear(Math.floor(key / 100))} semaines.`, { week: label });
  }
  return key;
}

function civilDayKey(year: number, month: number, day: number, plusDays = 0): number {
  const d = new Date(Date.UTC(year, month - 1, day + plusDays, 12));
  return d.getUTCFullYear() * 10_000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

/**
 * The grid of ISO week `weekKey` (ISO year × 100 + week, e.g. 202605). Rows: the active organisations in position
 * order, then any organisation that has visits that week although inactive or removed from the settings.
 */
export function weeklyGrid(db: Db, weekKey: number, organisations: readonly Organisation[], siteName: string): WeeklyGrid {
  const counted = db.prepare<[number], { organisation: string; service: string; n: number }>(WEEKLY_GRID_SQL).all(weekKey);
  const byOrganisation = new Map<string, Record<ServiceType, number>>();
  for (const { organisation, service, n } of counted) {
    if (!isService(service)) continue;
    const counts = byOrganisation.get(organisation) ?? zeroCounts();
    counts[service] += n;
    byOrganisation.set(organisation, counts);
  }

  const ordered = [...organisations].sort((a, b) => a.position - b.position || a.code.localeCompare(b.code));
  const known = new Set(ordered.map((o) => o.code));
  const rowsOf: { code: string; name: string }[] = ordered
    .filter((o) => o.active || byOrganisation.has(o.code))
    .map((o) => ({ code: o.code, name: o.name }));
  for (const code of [...byOrganisation.keys()].filter((c) => !known.has(c)).sort()) rowsOf.push({ code, name: code });

  const columnTotals = zeroCounts();
  let total = 0;
  const rows = rowsOf.map(({ code, name }) => {
    const counts = byOrganisation.get(code) ?? zeroCounts();
    let rowTotal = 0;
    for (const s of SERVICE_TYPES) {
      rowTotal += counts[s];
      columnTotals[s] += counts[s];
    }
    total += rowTotal;
    return { organisation: code, name, counts, total: rowTotal };
  });

  const monday = mondayOfIsoWeek(weekKey);
  return {
    week: isoWeekLabel(weekKey),
    from: dayLabel(civilDayKey(monday.year, monday.month, monday.day)),
    to: dayLabel(civilDayKey(monday.year, monday.month, monday.day, 6)),
    siteName,
    services: [...SERVICE_TYPES],
    rows,
    columnTotals,
    total,
  };
}

const csvField = (value: string | number): string => {
  const s = String(value);
  return /[";\r\n]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s;
};

/** The grid as a spreadsheet-friendly CSV: UTF-8 with BOM, `;` separators, CRLF line ends, French headers. */
export function gridCsv(grid: WeeklyGrid): { filename: string; content: string } {
  const lines: (string | number)[][] = [
    ['Organisme', ...grid.services.map((s) => SERVICE_LABELS_FR[s]), 'Total'],
    ...grid.rows.map((r) => [r.name, ...grid.services.map((s) => r.counts[s] ?? 0), r.total]),
    ['Total', ...grid.services.map((s) => grid.columnTotals[s] ?? 0), grid.total],
  ];
  return {
    filename: `grille-comptage-${grid.week}.csv`,
    content: `\uFEFF${lines.map((l) => l.map(csvField).join(';')).join('\r\n')}\r\n`,
  };
}
