// Wall-clock time in a named time zone (Europe/Paris by default) ↔ instants, with the daylight-saving changes explicit:
// a slot is published as « 09:00 » and must stay 09:00 local on both sides of the March and October changes.
export const PARIS = 'Europe/Paris';

/** A local date and time, without zone: what a planner writes (« 2026-03-30T09:00 »). */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Whether the runtime knows this IANA zone (a bad name is refused, never thrown further). */
export function isTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64) return false;
  try {
    formatterOf(zone);
    return true;
  } catch {
    return false;
  }
}

function formatterOf(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall-clock time of an instant in a zone. */
export function wallOf(instant: number, zone = PARIS): WallTime & { second: number } {
  const parts: Record<string, number> = {};
  for (const p of formatterOf(zone).formatToParts(new Date(instant))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0, hour: parts.hour ?? 0, minute: parts.minute ?? 0, second: parts.second ?? 0 };
}

/** The zone's offset from UTC at an instant, in milliseconds (Paris: +1 h in winter, +2 h in summer). */
export function offsetAt(instant: number, zone = PARIS): number {
  const w = wallOf(instant, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

const sameWall = (a: WallTime, b: WallTime): boolean =>
  a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute;

/**
 * The instant of a wall-clock time in a zone, as RFC 5545 (3.3.5) reads a local time:
 * - a time that occurs twice (the October change, 02:30) is its first occurrence, still in summer time;
 * - a time that does not occur (the March change, 02:30 does not exist in Paris) is read with the offset before the gap:
 *   02:30 +01:00, that is 03:30 summer time. The slot moves one hour later that day, and `shifted` says so.
 */
export function instantOf(wall: WallTime, zone = PARIS): { instant: number; shifted: boolean } {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const before = offsetAt(asUtc - 86_400_000, zone);
  const after = offsetAt(asUtc + 86_400_000, zone);
  const candidates = [asUtc - Math.max(before, after), asUtc - Math.min(before, after)];
  for (const instant of candidates) if (sameWall(wallOf(instant, zone), wall)) return { instant, shifted: false };
  return { instant: asUtc - before, shifted: true };
}

const WALL_TEXT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
const DAY_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;

/** « 2026-03-30T09:00 » → its parts, or null when it is not a real date and time. */
export function parseWall(text: string): WallTime | null {
  const m = WALL_TEXT.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (!isRealDay(year, month, day) || hour > 23 || minute > 59) return null;
  return { year, month, day, hour, minute };
}

/** « 2026-12-25 » → [year, month, day], or null. */
export function parseDay(text: string): [number, number, number] | null {
  const m = DAY_TEXT.exec(text);
  if (!m) return null;
  const [year, month, day] = m.slice(1).map(Number) as [number, number, number];
  return isRealDay(year, month, day) ? [year, month, day] : null;
}

function isRealDay(year: number, month: number, day: number): boolean {
  if (year < 2000 || year > 2200 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export const dayKey = (year: number, month: number, day: number): string =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/** The local day (« YYYY-MM-DD ») of an instant in a zone. */
export function localDayOf(instant: number, zone = PARIS): string {
  const w = wallOf(instant, zone);
  return dayKey(w.year, w.month, w.day);
}

/** The instant of local midnight starting this day (« YYYY-MM-DD ») in a zone. */
export function startOfLocalDay(day: [number, number, number], zone = PARIS): number {
  return instantOf({ year: day[0], month: day[1], day: day[2], hour: 0, minute: 0 }, zone).instant;
}
