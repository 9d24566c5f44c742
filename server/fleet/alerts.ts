// The alert rules, as pure functions: « hors ligne plus de 15 min pendant les heures d'ouverture » and « imprimante en
// panne plus de 10 min ». Which alerts should be active now; starting and ending them is the fleet's (via the store).
import type { OpeningSlot } from '../../shared/domain.js';
import { parisParts, parisWallTimeToEpoch } from '../../shared/time.js';
import type { AlertRule, FleetRecord } from './store.js';

export const OFFLINE_ALERT_MS = 15 * 60_000;
export const PRINTER_ALERT_MS = 10 * 60_000;

/** How long a condition lasts before its alert starts (the department may choose others: server/fleet/cliOptions.ts). */
export interface AlertDelays {
  offlineMs: number;
  printerMs: number;
}
export const DEFAULT_ALERT_DELAYS: AlertDelays = { offlineMs: OFFLINE_ALERT_MS, printerMs: PRINTER_ALERT_MS };
/** Beyond this many days, an offline span that covers any opening slot is surely long enough: stop counting. */
const MAX_DAYS_COUNTED = 15;

const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * How much of [from, to) falls within the opening hours (Europe/Paris wall clock), counted until `enough` is reached
 * (the caller needs only to know whether it is). Days are walked from `from`'s civil day, at most MAX_DAYS_COUNTED.
 */
export function openMsBetween(slots: readonly OpeningSlot[], from: number, to: number, enough = Number.POSITIVE_INFINITY): number {
  if (!(to > from) || slots.length === 0) return 0;
  const start = parisParts(from);
  let total = 0;
  for (let offset = 0; offset < MAX_DAYS_COUNTED; offset++) {
    const civil = new Date(Date.UTC(start.year, start.month - 1, start.day + offset, 12));
    const y = civil.getUTCFullYear();
    const m = civil.getUTCMonth() + 1;
    const d = civil.getUTCDate();
    if (parisWallTimeToEpoch(y, m, d, 0, 0) >= to) break;
    const weekday = ((civil.getUTCDay() + 6) % 7) + 1;
    for (const s of slots) {
      if (s.weekday !== weekday) continue;
      const a = toMinutes(s.from);
      const b = toMinutes(s.to);
      const open = parisWallTimeToEpoch(y, m, d, (a / 60) | 0, a % 60);
      const close = parisWallTimeToEpoch(y, m, d, (b / 60) | 0, b % 60);
      total += Math.max(0, Math.min(close, to) - Math.max(open, from));
      if (total >= enough) return total;
    }
  }
  return total;
}

export interface DueAlert {
  boothId: number;
  rule: AlertRule;
  /** When the condition began (the booth's offline since, or the printer's down since). */
  since: number;
}

/** The alerts that should be active now for this booth. A revoked booth raises none; a never-connected one neither. */
export function dueAlerts(record: FleetRecord, now: number, openingHours: readonly OpeningSlot[], delays: AlertDelays = DEFAULT_ALERT_DELAYS): DueAlert[] {
  if (record.revoked) return [];
  const due: DueAlert[] = [];
  const { offlineMs, printerMs } = delays;
  if (!record.online && record.since !== null && now - record.since >= offlineMs) {
    if (openMsBetween(openingHours, record.since, now, offlineMs) >= offlineMs) due.push({ boothId: record.boothId, rule: 'offline', since: record.since });
  }
  // Kept while the booth is offline: its printer was down when last heard of (the offline alert says the rest).
  const printerSince = record.problems.printer_down;
  if (printerSince !== undefined && now - printerSince >= printerMs) due.push({ boothId: record.boothId, rule: 'printer_down', since: printerSince });
  return due;
}

/**
 * The union of the organisations' weekly hours, overlapping slots merged (so no minute counts twice): the booth is
 * expected up whenever any organisation answers.
 */
export function unionOfHours(hours: ReadonlyArray<readonly OpeningSlot[]>): OpeningSlot[] {
  const out: OpeningSlot[] = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    const slots = hours.flatMap((list) => list.filter((s) => s.weekday === weekday)).sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
    const merged: OpeningSlot[] = [];
    for (const s of slots) {
      const last = merged[merged.length - 1];
      if (last && s.from <= last.to) {
        if (s.to > last.to) last.to = s.to;
      } else merged.push({ weekday: s.weekday, from: s.from, to: s.to });
    }
    out.push(...merged);
  }
  return out;
}
