// Dates, times, weeks and numbers as people read them, French by default (English second), never in the locale of the
// browser or the process: every Intl formatter here names its locale, so a Chromium in en-US still writes « 01/12/2026 »,
// « décembre 2026 », « 14:00 » and « 82,6 ». The renderer reaches it through renderer/i18n/format.ts; the services
// (printed report and grid, CSV) import it directly.
import { mondayOfIsoWeek } from './time.js';

export type FormatLanguage = 'fr' | 'en';

const ZONE = 'Europe/Paris';
const DAY_MS = 86_400_000;

/** French unless English is asked for: an unknown language never falls through to the runtime's own locale. */
export const languageOf = (lang: string | undefined): FormatLanguage => (lang === 'en' || lang?.startsWith('en-') ? 'en' : 'fr');
const intlLocale = (lang: string | undefined): string => (languageOf(lang) === 'en' ? 'en-GB' : 'fr-FR');

const cache = new Map<string, Intl.DateTimeFormat>();
function dateFormat(lang: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const locale = intlLocale(lang);
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    cache.set(key, f);
  }
  return f;
}

/** 'YYYY-MM-DD' (or 'YYYY-MM') as the UTC midnight of that civil day, for zone-free formatting. */
function civil(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
}

const frenchFirst = (text: string, lang: string | undefined): string => (languageOf(lang) === 'fr' ? firstOfMonth(text) : text);

/** « 14:00 », 24-hour, in Paris. */
export function formatTime(epochMs: number, lang?: string): string {
  return dateFormat(lang, { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(epochMs);
}

/** « jeudi 26 novembre », "Thursday 26 November": the weekday and date of an instant in Paris. */
export function formatWeekdayDate(epochMs: number, lang?: string): string {
  return dateFormat(lang, { timeZone: ZONE, weekday: 'long', day: 'numeric', month: 'long' }).format(epochMs);
}

/** « 3 décembre » (« 1er décembre 2025 » with the year), the Paris day of an instant in words. */
export function formatDayMonth(epochMs: number, lang?: string, { withYear = false }: { withYear?: boolean } = {}): string {
  return frenchFirst(dateFormat(lang, { timeZone: ZONE, day: 'numeric', month: 'long', ...(withYear ? { year: 'numeric' as const } : {}) }).format(epochMs), lang);
}

/** « 01/12/2026 », the Paris day of an instant. */
export function formatDate(epochMs: number, lang?: string): string {
  return dateFormat(lang, { timeZone: ZONE, day: '2-digit', month: '2-digit', year: 'numeric' }).format(epochMs);
}

/** « 01/12/2026 » for a civil day 'YYYY-MM-DD'. */
export function formatDayNumeric(day: string, lang?: string): string {
  return dateFormat(lang, { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' }).format(civil(day));
}

/** « 1er décembre 2026 » for a civil day 'YYYY-MM-DD'. */
export function formatDay(day: string, lang?: string): string {
  return frenchFirst(dateFormat(lang, { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(civil(day)), lang);
}

/** « mardi 1er décembre 2026 » for a civil day 'YYYY-MM-DD'. */
export function formatDayWithWeekday(day: string, lang?: string): string {
  return frenchFirst(dateFormat(lang, { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(civil(day)), lang);
}

/** « décembre 2026 » for a month 'YYYY-MM'. */
export function formatMonth(month: string, lang?: string): string {
  return dateFormat(lang, { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(civil(month));
}

/** « décembre » (or « December ») for a month number 1–12. */
export function monthName(month: number, lang?: string): string {
  return dateFormat(lang, { timeZone: 'UTC', month: 'long' }).format(Date.UTC(2000, month - 1, 1));
}

/** « 1er décembre 2026 à 14:00 » in Paris. */
export function formatDateTime(epochMs: number, lang?: string): string {
  return frenchFirst(dateFormat(lang, { timeZone: ZONE, day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(epochMs), lang);
}

/** « 01/12/2026 14:00 » in Paris: short, for tables and files. */
export function formatDateTimeShort(epochMs: number, lang?: string): string {
  return `${formatDate(epochMs, lang)} ${formatTime(epochMs, lang)}`;
}

/** « 82,6 » (fixed decimals, decimal comma in French). */
export function formatDecimal(value: number, lang?: string, fractionDigits = 1): string {
  return new Intl.NumberFormat(intlLocale(lang), { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(value);
}

/** « 3,5 » (at most `maxFractionDigits`, none when whole). */
export function formatNumber(value: number, lang?: string, maxFractionDigits = 2): string {
  return new Intl.NumberFormat(intlLocale(lang), { maximumFractionDigits: maxFractionDigits }).format(value);
}

/** A stored week 'YYYY-Www' or key YYYYWW as its number and the civil days of its Monday and Sunday. */
function weekParts(week: string | number): { number: number; monday: number; sunday: number } {
  const key = typeof week === 'number' ? week : Number(week.slice(0, 4)) * 100 + Number(week.slice(6));
  const m = mondayOfIsoWeek(key);
  const monday = Date.UTC(m.year, m.month - 1, m.day);
  return { number: key % 100, monday, sunday: monday + 6 * DAY_MS };
}

/** « semaine 49 » (the ISO week number, as people say it). */
export function formatWeekShort(week: string | number, lang?: string): string {
  const { number } = weekParts(week);
  return languageOf(lang) === 'en' ? `week ${number}` : `semaine ${number}`;
}

/**
 * « semaine 49 (du 30 novembre au 6 décembre) », « semaine 48 (du 23 au 29 novembre) »; the year is named when the week
 * straddles two (« semaine 53 (du 28 décembre 2026 au 3 janvier 2027) ») or when asked (a printed grid).
 */
export function formatWeek(week: string | number, lang?: string, { withYear = false }: { withYear?: boolean } = {}): string {
  const { monday, sunday } = weekParts(week);
  const a = new Date(monday);
  const b = new Date(sunday);
  const sameYear = a.getUTCFullYear() === b.getUTCFullYear();
  const sameMonth = sameYear && a.getUTCMonth() === b.getUTCMonth();
  const en = languageOf(lang) === 'en';
  const dayMonth: Intl.DateTimeFormatOptions = { timeZone: 'UTC', day: 'numeric', month: 'long' };
  const full: Intl.DateTimeFormatOptions = { ...dayMonth, year: 'numeric' };
  const from = sameMonth ? String(a.getUTCDate()) : dateFormat(lang, sameYear ? dayMonth : full).format(monday);
  const to = dateFormat(lang, sameYear && !withYear ? dayMonth : full).format(sunday);
  const range = en ? `${from} to ${to}` : `du ${firstOfMonth(from)} au ${firstOfMonth(to)}`;
  return `${formatWeekShort(week, lang)} (${range})`;
}

/** French writes the first day of a month « 1er » (« 1er décembre 2026 »); Intl writes « 1 ». */
function firstOfMonth(text: string): string {
  return text.replace(/(^|\s)1(?= \p{L}|$)/u, '$11er');
}

/** The same text starting with a capital, for a label that begins a line (« Semaine 49 (du …) »). */
export const upperFirst = (text: string): string => text.charAt(0).toLocaleUpperCase('fr-FR') + text.slice(1);
