// The « Bornes » view's logic without React: a booth's state in words, its severity for sorting, the filters and the
// sort. Dates in Europe/Paris through the project's formatters, whatever the browser's locale.
import type { TFunction } from 'i18next';
import type { BoothProblem, BoothRow } from '../../../shared/fleet.js';
import { formatDate, formatDayMonth, formatTime } from '../../i18n/format.js';

export type BoothFilter = 'all' | 'problem' | 'offline';
export const BOOTH_FILTERS: readonly BoothFilter[] = ['all', 'problem', 'offline'];
export type SortKey = 'name' | 'state' | 'reportedAt';
export const SORT_KEYS: readonly SortKey[] = ['name', 'state', 'reportedAt'];
export type SortDirection = 'ascending' | 'descending';
export interface BoothSort {
  key: SortKey;
  direction: SortDirection;
}

/** `offline` is said from `online` (with since when); the other problems as the hub judged them. */
const shownProblems = (row: BoothRow): BoothProblem[] => row.problems.filter((p) => p !== 'offline');

/** A booth needs a look: offline, or with a problem (a revoked booth is done with). */
export const needsAttention = (row: BoothRow): boolean => !row.revoked && (!row.online || shownProblems(row).length > 0);

/** Worst first when sorted descending: offline, then by number of problems; revoked booths last of all. */
export function severity(row: BoothRow): number {
  if (row.revoked) return -1;
  return (row.online ? 0 : 100) + shownProblems(row).length;
}

export function filterBooths(rows: readonly BoothRow[], filter: BoothFilter): BoothRow[] {
  if (filter === 'problem') return rows.filter(needsAttention);
  if (filter === 'offline') return rows.filter((r) => !r.revoked && !r.online);
  return [...rows];
}

const collator = new Intl.Collator('fr-FR', { sensitivity: 'base', numeric: true });

export function sortBooths(rows: readonly BoothRow[], { key, direction }: BoothSort): BoothRow[] {
  const sign = direction === 'ascending' ? 1 : -1;
  const byName = (a: BoothRow, b: BoothRow) => collator.compare(a.name, b.name) || a.id - b.id;
  const compare =
    key === 'name'
      ? (a: BoothRow, b: BoothRow) => sign * byName(a, b)
      : key === 'state'
        ? (a: BoothRow, b: BoothRow) => sign * (severity(a) - severity(b)) || byName(a, b)
        : // Never reported sorts as the oldest report.
          (a: BoothRow, b: BoothRow) => sign * ((a.reportedAt ?? -1) - (b.reportedAt ?? -1)) || byName(a, b);
  return [...rows].sort(compare);
}

/** The sort a header's click gives: the other direction on the same column; worst, newest or A→Z first on a new one. */
export function nextSort(current: BoothSort, key: SortKey): BoothSort {
  if (current.key === key) return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  return { key, direction: key === 'name' ? 'ascending' : 'descending' };
}

/** « 14:05 » when it is today in Paris, else « le 3 décembre » (with the year when not this year). */
function offlineWords(t: TFunction, since: number, now: number, lang: string): string {
  if (formatDate(since, lang) === formatDate(now, lang)) return t('coordinator.booths.offlineAt', { time: formatTime(since, lang) });
  const sameYear = formatDate(since, lang).slice(-4) === formatDate(now, lang).slice(-4);
  return t('coordinator.booths.offlineOn', { date: formatDayMonth(since, lang, { withYear: !sameYear }) });
}

export function problemWords(t: TFunction, problem: BoothProblem, row: BoothRow, expectedVersion: string | null): string {
  if (problem === 'version_behind') {
    const version = row.health?.version;
    return version && expectedVersion ? t('coordinator.booths.problems.version_behind', { version, expected: expectedVersion }) : t('coordinator.booths.problems.version_behind_unknown');
  }
  return t(`coordinator.booths.problems.${problem}`);
}

/** The booth's state as phrases, the connection first: « Hors ligne depuis 14:05 », « Imprimante en panne »… */
export function stateWords(t: TFunction, row: BoothRow, expectedVersion: string | null, now: number, lang: string): string[] {
  if (row.revoked) return [t('coordinator.booths.revoked')];
  const connection = row.online
    ? t('coordinator.booths.online')
    : row.since === null
      ? t('coordinator.booths.neverConnected')
      : offlineWords(t, row.since, now, lang);
  return [connection, ...shownProblems(row).map((p) => problemWords(t, p, row, expectedVersion))];
}
