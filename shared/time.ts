// Calendar arithmetic in Europe/Paris: ISO weeks, local days and wall-clock times, computed in code so SQL can index them.
const ZONE = 'Europe/Paris';

const partsFormatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  weekday: 'short',
  hourCycle: 'h23',
});

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export interface ParisParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
}

export function parisParts(epochMs: number): ParisParts {
  const out: Record<string, string> = {};
  for (const p of partsFormatter.formatToParts(new Date(epochMs))) out[p.type] = p.value;
  return {
    year: Number(out.year),
    month: Number(out.month),
    day: Number(out.day),
    hour: Number(out.hour),
    minute: Number(out.minute),
    second: Number(out.second),
    weekday: WEEKDAYS[out.weekday ?? ''] ?? 0,
  };
}

/** ISO week of a civil date (year, month 1-12, day). */
export function isoWeekOfDate(year: number, month: number, day: number): { isoYear: number; week: number } {
  const date = Date.UTC(year, month - 1, day);
  const weekday = ((new Date(date).getUTCDay() + 6) % 7) + 1;
  const thursday = date + (4 - weekday) * 86_400_000;
  const isoYear = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(isoYear, 0, 1)) / (7 * 86_400_000)) + 1;
  return { isoYear, week };
}

/** Stored week key: ISO year × 100 + ISO week (2026-W05 → 202605), in Paris time. */
export function weekKeyOf(epochMs: number): number {
  const p = parisParts(epochMs);
  const { isoYear, week } = isoWeekOfDate(p.year, p.month, p.day);
  return isoYear * 100 + week;
}

/** Stored day key: YYYYMMDD in Paris time. */
export function dayKeyOf(epochMs: number): number {
  const p = parisParts(epochMs);
  return p.year * 10_000 + p.month * 100 + p.day;
}

export function isoWeekLabel(weekKey: number): string {
  return `${Math.floor(weekKey / 100)}-W${String(weekKey % 100).padStart(2, '0')}`;
}

export function weekKeyFromLabel(label: string): number {
  const m = /^(\d{4})-W(\d{2})$/.exec(label);
  if (!m) throw new RangeError(`not an ISO week: ${label}`);
  return Number(m[1]) * 100 + Number(m[2]);
}

export function dayKeyFromLabel(day: string): number {
  return Number(day.replaceAll('-', ''));
}

export function dayLabel(dayKey: number): string {
  const s = String(dayKey);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}

/** Civil date (UTC-noon based, zone-free) of the Monday of an ISO week. */
export function mondayOfIsoWeek(weekKey: number): { year: number; month: number; day: number } {
  const isoYear = Math.floor(weekKey / 100);
  const week = weekKey % 100;
  const jan4 = Date.UTC(isoYear, 0, 4, 12);
  const jan4Weekday = ((new Date(jan4).getUTCDay() + 6) % 7) + 1;
  const monday = new Date(jan4 + ((week - 1) * 7 - (jan4Weekday - 1)) * 86_400_000);
  return { year: monday.getUTCFullYear(), month: monday.getUTCMonth() + 1, day: monday.getUTCDate() };
}

/** Number of ISO weeks in an ISO year (52 or 53). */
export function weeksInIsoYear(isoYear: number): number {
  return isoWeekOfDate(isoYear, 12, 28).week;
}

export function shiftWeek(weekKey: number, delta: number): number {
  const m = mondayOfIsoWeek(weekKey);
  const t = Date.UTC(m.year, m.month - 1, m.day, 12) + delta * 7 * 86_400_000;
  const d = new Date(t);
  const { isoYear, week } = isoWeekOfDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  return isoYear * 100 + week;
}

/** The epoch ms of a Paris wall-clock time (resolves DST by probing the two candidate offsets). */
export function parisWallTimeToEpoch(year: number, month: number, day: number, hour: number, minute: number): number {
  const naive = Date.UTC(year, month - 1, day, hour, minute);
  for (const offsetHours of [1, 2]) {
    const candidate = naive - offsetHours * 3_600_000;
    const p = parisParts(candidate);
    if (p.year === year && p.month === month && p.day === day && p.hour === hour && p.minute === minute) return candidate;
  }
  // A wall time skipped by the spring change: take the instant one hour later.
  return naive - 3_600_000;
}
