// A published slot series → the instants of its slots: one-off or recurring (an RFC 5545 RRULE), read in local time
// (Europe/Paris by default) so that 09:00 stays 09:00 across the daylight-saving changes; holidays and closures removed.
// Hostile rules are bounded: a short text, no sub-hourly frequency, a horizon and a count of slots.
import rrulePkg from 'rrule';
import { isFrenchHoliday } from './holidays.js';
import { PARIS, dayKey, instantOf, isTimeZone, parseWall, wallOf, type WallTime } from './localTime.js';

const { RRule } = rrulePkg;

export const MAX_RULE_CHARS = 256;
/** Slots are made at most this far ahead; a planner publishes again (the same rule) to extend a series. */
export const HORIZON_DAYS = 400;
/** At most this many slots per series (a year of half-hours on weekdays, with room). */
export const MAX_SLOTS_PER_SERIES = 5_000;

export interface SeriesInput {
  /** Local date and time of the first slot: « 2026-03-30T09:00 ». */
  start: string;
  /** An RRULE (« FREQ=WEEKLY;BYDAY=MO,TU »), without DTSTART: absent for a one-off slot. */
  rule?: string | undefined;
  lengthMin: number;
  /** Slots on public holidays are kept only if the planner says so. */
  onHolidays?: boolean | undefined;
  timeZone?: string | undefined;
}

export interface Occurrence {
  startsAt: number;
  endsAt: number;
  /** The local day (« YYYY-MM-DD »): closures are by day. */
  day: string;
  /** A start in the spring-forward gap (02:30 on the last Sunday of March), moved to 03:30: see `instantOf`. */
  shifted: boolean;
}

export type GenerateError = 'BAD_START' | 'BAD_RULE' | 'BAD_TIME_ZONE';
export type Generated =
  | { ok: true; occurrences: Occurrence[]; skipped: { holidays: number; closures: number; past: number }; truncated: boolean }
  | { ok: false; code: GenerateError; message: string };

/** A closure: a day or a range of local days, both included (« YYYY-MM-DD »). */
export interface DayRange {
  from: string;
  to: string;
}

const RULE_TEXT = /^(RRULE:)?[A-Z0-9=;,+-]+$/;
const ALLOWED_PARTS = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYDAY', 'BYMONTH', 'BYMONTHDAY', 'BYHOUR', 'BYMINUTE', 'BYSETPOS', 'WKST', 'BYWEEKNO', 'BYYEARDAY']);

/** The rule's options, or an error: only the parts of an RRULE that make sense for slots, no time zone, no DTSTART. */
function parseRule(rule: string): { ok: true; options: Partial<rrulePkg.Options> } | { ok: false; message: string } {
  if (rule.length > MAX_RULE_CHARS) return { ok: false, message: `Règle trop longue (au plus ${MAX_RULE_CHARS} caractères).` };
  if (!RULE_TEXT.test(rule)) return { ok: false, message: 'Règle illisible : une règle RRULE est attendue (FREQ=WEEKLY;BYDAY=MO…).' };
  const body = rule.replace(/^RRULE:/, '');
  for (const part of body.split(';')) {
    const name = part.split('=')[0] ?? '';
    if (!ALLOWED_PARTS.has(name)) return { ok: false, message: `Partie de règle non admise : ${name.slice(0, 20)}.` };
  }
  let options: Partial<rrulePkg.Options>;
  try {
    options = RRule.parseString(body);
  } catch {
    return { ok: false, message: 'Règle illisible.' };
  }
  if (options.freq === undefined || options.freq === null) return { ok: false, message: 'La règle doit dire sa fréquence (FREQ).' };
  if (options.freq === RRule.MINUTELY || options.freq === RRule.SECONDLY) return { ok: false, message: 'Fréquence trop fine : une heure au moins entre deux créneaux.' };
  if (options.interval !== undefined && (options.interval < 1 || options.interval > 1000)) return { ok: false, message: 'Intervalle hors bornes.' };
  return { ok: true, options };
}

const floating = (w: WallTime): Date => new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute));
const wallOfFloating = (d: Date): WallTime => ({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() });

export function inRanges(day: string, ranges: readonly DayRange[]): boolean {
  for (const r of ranges) if (day >= r.from && day <= r.to) return true;
  return false;
}

/**
 * The slots of a series from `now` on (no slot starts in the past), at most `HORIZON_DAYS` ahead and
 * `MAX_SLOTS_PER_SERIES` in number. The rule runs on « floating » local times (dates whose UTC fields hold the wall-clock
 * time), then each wall-clock time is placed in the zone: the rule never sees an offset, so no change of offset moves it.
 */
export function generateSlots(input: SeriesInput, now: number, closures: readonly DayRange[] = []): Generated {
  const zone = input.timeZone ?? PARIS;
  if (!isTimeZone(zone)) return { ok: false, code: 'BAD_TIME_ZONE', message: 'Fuseau horaire inconnu.' };
  const start = parseWall(input.start);
  if (!start) return { ok: false, code: 'BAD_START', message: 'Début illisible : AAAA-MM-JJTHH:MM attendu.' };
  const horizon = floating(wallOf(now + HORIZON_DAYS * 86_400_000, zone));
  let walls: WallTime[];
  let truncated = false;
  if (input.rule === undefined) {
    walls = [start];
  } else {
    const parsed = parseRule(input.rule);
    if (!parsed.ok) return { ok: false, code: 'BAD_RULE', message: parsed.message };
    const until = parsed.options.until && parsed.options.until < horizon ? parsed.options.until : horizon;
    const rule = new RRule({ ...parsed.options, dtstart: floating(start), tzid: null, until });
    walls = [];
    rule.all((d, i) => {
      if (i >= MAX_SLOTS_PER_SERIES) {
        truncated = true;
        return false;
      }
      walls.push(wallOfFloating(d));
      return true;
    });
  }
  const skipped = { holidays: 0, closures: 0, past: 0 };
  const occurrences: Occurrence[] = [];
  for (const w of walls) {
    const day = dayKey(w.year, w.month, w.day);
    if (!input.onHolidays && isFrenchHoliday(day)) skipped.holidays++;
    else if (inRanges(day, closures)) skipped.closures++;
    else {
      const { instant, shifted } = instantOf(w, zone);
      if (instant < now) skipped.past++;
      else occurrences.push({ startsAt: instant, endsAt: instant + input.lengthMin * 60_000, day, shifted });
    }
  }
  return { ok: true, occurrences, skipped, truncated };
}
