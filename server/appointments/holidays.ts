// French public holidays (jours fériés of the Code du travail, art. L3133-1), metropolitan list: fixed dates, and those
// that follow Easter (Easter Monday, Ascension Thursday, Whit Monday). Alsace-Moselle's extra days are not included.
import { dayKey } from './localTime.js';

const FIXED: ReadonlyArray<[number, number, string]> = [
  [1, 1, "Jour de l'an"],
  [5, 1, 'Fête du Travail'],
  [5, 8, 'Victoire 1945'],
  [7, 14, 'Fête nationale'],
  [8, 15, 'Assomption'],
  [11, 1, 'Toussaint'],
  [11, 11, 'Armistice 1918'],
  [12, 25, 'Noël'],
];

/** Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm, « Meeus/Jones/Butcher »). */
export function easterSunday(year: number): [number, number] {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return [month, day];
}

const cache = new Map<number, Map<string, string>>();

/** The public holidays of a year: « YYYY-MM-DD » → name. */
export function frenchHolidays(year: number): ReadonlyMap<string, string> {
  const known = cache.get(year);
  if (known) return known;
  const days = new Map<string, string>();
  for (const [month, day, name] of FIXED) days.set(dayKey(year, month, day), name);
  const [em, ed] = easterSunday(year);
  const easter = Date.UTC(year, em - 1, ed);
  for (const [offset, name] of [
    [1, 'Lundi de Pâques'],
    [39, 'Ascension'],
    [50, 'Lundi de Pentecôte'],
  ] as const) {
    const d = new Date(easter + offset * 86_400_000);
    days.set(dayKey(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()), name);
  }
  cache.set(year, days);
  return days;
}

export const isFrenchHoliday = (day: string): boolean => frenchHolidays(Number(day.slice(0, 4))).has(day);
