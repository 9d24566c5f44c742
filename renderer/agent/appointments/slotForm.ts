// The planner's form → the hub's slot series (slots.publish), and a published series → words for the list. A range of
// times (09:00 to 12:00 in 30-minute slots) becomes BYHOUR × BYMINUTE rules; when the starts do not make one grid
// (45-minute slots), the hours are grouped by their minutes, one series each (a few at most). Pure, tested alone.
import { MAX_SERIES_AGENTS, MAX_SERIES_BOOTHS, type SlotSeriesSpec } from '../../../shared/appointments.js';

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface SlotForm {
  kind: 'once' | 'weekly';
  /** One-off: the day (« YYYY-MM-DD »). */
  date: string;
  weekdays: Weekday[];
  /** « HH:MM », Paris time. */
  start: string;
  end: string;
  lengthMin: string;
  capacity: string;
  /** Weekly: first and last day (« YYYY-MM-DD »), the last optional. */
  from: string;
  to: string;
  booths: 'all' | 'some';
  /** With `some`: the booths ticked in the hub's list (slots.booths). */
  boothIds: number[];
  agents: string;
}

export type SlotFormField = 'date' | 'weekdays' | 'start' | 'end' | 'lengthMin' | 'capacity' | 'from' | 'to' | 'booths' | 'agents';
export type SlotFormError = 'date' | 'weekdays' | 'time' | 'order' | 'length' | 'capacity' | 'range' | 'booths' | 'agents' | 'tooMany';
export type SlotFormResult = { ok: true; specs: SlotSeriesSpec[] } | { ok: false; error: SlotFormError; field: SlotFormField };

/** More series than this for one form: the slots' length does not fit the range (7-minute slots…). */
export const MAX_SERIES_PER_FORM = 6;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

function validDay(day: string): boolean {
  const m = DAY.exec(day);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 2000 && y <= 2200 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

const minutesOf = (time: string): number | null => {
  const m = TIME.exec(time);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
};
const pad = (n: number): string => String(n).padStart(2, '0');
const hhmm = (minutes: number): string => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
const wholeNumber = (text: string): number | null => (/^\d{1,6}$/.test(text.trim()) ? Number(text.trim()) : null);

/** The starts of the day's slots grouped into BYHOUR × BYMINUTE grids: hours with the same minutes go together. */
export function grids(startMin: number, endMin: number, lengthMin: number): Array<{ hours: number[]; minutes: number[] }> {
  const byHour = new Map<number, number[]>();
  for (let t = startMin; t + lengthMin <= endMin; t += lengthMin) {
    const hour = Math.floor(t / 60);
    byHour.set(hour, [...(byHour.get(hour) ?? []), t % 60]);
  }
  const groups = new Map<string, { hours: number[]; minutes: number[] }>();
  for (const [hour, minutes] of byHour) {
    const key = minutes.join(',');
    const g = groups.get(key);
    if (g) g.hours.push(hour);
    else groups.set(key, { hours: [hour], minutes });
  }
  return [...groups.values()];
}

function list(text: string): string[] {
  return text
    .split(/[,;\s]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function seriesFromForm(form: SlotForm): SlotFormResult {
  const start = minutesOf(form.start);
  if (start === null) return { ok: false, error: 'time', field: 'start' };
  const end = minutesOf(form.end);
  if (end === null) return { ok: false, error: 'time', field: 'end' };
  const lengthMin = wholeNumber(form.lengthMin);
  if (lengthMin === null || lengthMin < 5 || lengthMin > 480) return { ok: false, error: 'length', field: 'lengthMin' };
  if (end < start + lengthMin) return { ok: false, error: 'order', field: 'end' };
  const capacity = wholeNumber(form.capacity);
  if (capacity === null || capacity < 1 || capacity > 100) return { ok: false, error: 'capacity', field: 'capacity' };
  let booths: number[] | undefined;
  if (form.booths === 'some') {
    const ids = [...new Set(form.boothIds)];
    if (ids.length === 0 || ids.length > MAX_SERIES_BOOTHS || ids.some((id) => !Number.isSafeInteger(id) || id < 1)) return { ok: false, error: 'booths', field: 'booths' };
    booths = ids.sort((a, b) => a - b);
  }
  const agentLogins = list(form.agents);
  if (agentLogins.length > MAX_SERIES_AGENTS || agentLogins.some((a) => a.length > 64)) return { ok: false, error: 'agents', field: 'agents' };

  let firstDay: string;
  let ruleHead: string;
  let ruleTail = '';
  if (form.kind === 'once') {
    if (!validDay(form.date)) return { ok: false, error: 'date', field: 'date' };
    firstDay = form.date;
    ruleHead = 'FREQ=DAILY';
  } else {
    if (form.weekdays.length === 0) return { ok: false, error: 'weekdays', field: 'weekdays' };
    if (!validDay(form.from)) return { ok: false, error: 'date', field: 'from' };
    if (form.to !== '' && !validDay(form.to)) return { ok: false, error: 'date', field: 'to' };
    if (form.to !== '' && form.to < form.from) return { ok: false, error: 'range', field: 'to' };
    firstDay = form.from;
    const days = WEEKDAYS.filter((d) => form.weekdays.includes(d));
    ruleHead = `FREQ=WEEKLY;BYDAY=${days.join(',')}`;
    if (form.to !== '') ruleTail = `;UNTIL=${form.to.replaceAll('-', '')}T235959`;
  }
  const groups = grids(start, end, lengthMin);
  if (groups.length > MAX_SERIES_PER_FORM) return { ok: false, error: 'tooMany', field: 'lengthMin' };
  const specs = groups.map((g): SlotSeriesSpec => {
    const first = (g.hours[0] ?? 0) * 60 + (g.minutes[0] ?? 0);
    const count = g.hours.length * g.minutes.length;
    const grid = `;BYHOUR=${g.hours.join(',')};BYMINUTE=${g.minutes.join(',')}`;
    // A single slot on a single day needs no rule; one day's slots are counted, weekly ones run to the last day.
    const rule = form.kind === 'once' ? (count === 1 ? undefined : `${ruleHead}${grid};COUNT=${count}`) : `${ruleHead}${grid}${ruleTail}`;
    return {
      start: `${firstDay}T${hhmm(first)}`,
      ...(rule === undefined ? {} : { rule }),
      lengthMin,
      capacity,
      ...(booths ? { booths } : {}),
      ...(agentLogins.length > 0 ? { agents: agentLogins } : {}),
    };
  });
  return { ok: true, specs };
}

/** What a published series says, for the list: its kind, days, times, and first and last days. */
export type SeriesWords =
  | { kind: 'once'; day: string; times: string[] }
  | { kind: 'weekly'; weekdays: Weekday[]; times: string[]; from: string; to: string | null }
  | { kind: 'rule'; rule: string; from: string };

/** Reads back a series' start and rule (made by this form or by the hub's CLI); anything else is shown as its rule. */
export function describeSeries(start: string, rule: string | null): SeriesWords {
  const [day = start, time = ''] = start.split('T');
  if (rule === null) return { kind: 'once', day, times: [time] };
  const parts = new Map(rule.replace(/^RRULE:/, '').split(';').map((p) => p.split('=') as [string, string]));
  const nums = (key: string): number[] | null => {
    const v = parts.get(key);
    if (v === undefined) return null;
    const out = v.split(',').map(Number);
    return out.every((n) => Number.isInteger(n) && n >= 0 && n < 60) ? out : null;
  };
  const hours = nums('BYHOUR');
  const minutes = nums('BYMINUTE');
  const known = new Set(['FREQ', 'BYDAY', 'BYHOUR', 'BYMINUTE', 'UNTIL', 'COUNT']);
  if (!hours || !minutes || [...parts.keys()].some((k) => !known.has(k))) return { kind: 'rule', rule, from: day };
  const times = hours.flatMap((h) => minutes.map((m) => h * 60 + m)).sort((a, b) => a - b).map(hhmm);
  const freq = parts.get('FREQ');
  if (freq === 'DAILY' && parts.has('COUNT') && !parts.has('BYDAY')) return { kind: 'once', day, times: times.slice(0, Number(parts.get('COUNT'))) };
  const byDay = (parts.get('BYDAY') ?? '').split(',');
  if (freq === 'WEEKLY' && byDay.every((d): d is Weekday => (WEEKDAYS as readonly string[]).includes(d)) && !parts.has('COUNT')) {
    const until = /^(\d{4})(\d{2})(\d{2})/.exec(parts.get('UNTIL') ?? '');
    return { kind: 'weekly', weekdays: byDay, times, from: day, to: until ? `${until[1]}-${until[2]}-${until[3]}` : null };
  }
  return { kind: 'rule', rule, from: day };
}
