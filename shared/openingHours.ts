// Whether an organisation's visio-accueil is open at an instant, and when it opens next (Europe/Paris wall clock).
import type { OpeningSlot } from './domain.js';
import { parisParts, parisWallTimeToEpoch } from './time.js';

export interface OpeningState {
  openNow: boolean;
  /** When the current slot closes (if open now). */
  closesAt: number | null;
  /** The next opening instant after `now` (if closed now), within the coming 14 days. */
  nextOpening: number | null;
}

const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function openingState(slots: readonly OpeningSlot[], now: number): OpeningState {
  const p = parisParts(now);
  const minuteOfDay = p.hour * 60 + p.minute;
  for (const s of slots) {
    if (s.weekday === p.weekday && toMinutes(s.from) <= minuteOfDay && minuteOfDay < toMinutes(s.to)) {
      const closesAt = parisWallTimeToEpoch(p.year, p.month, p.day, toMinutes(s.to) / 60 | 0, toMinutes(s.to) % 60);
      return { openNow: true, closesAt, nextOpening: null };
    }
  }
  for (let offset = 0; offset < 15; offset++) {
    const civil = new Date(Date.UTC(p.year, p.month - 1, p.day + offset, 12));
    const weekday = ((civil.getUTCDay() + 6) % 7) + 1;
    const candidates = slots
      .filter((s) => s.weekday === weekday && (offset > 0 || toMinutes(s.from) > minuteOfDay))
      .map((s) => toMinutes(s.from))
      .sort((a, b) => a - b);
    const first = candidates[0];
    if (first !== undefined) {
      const at = parisWallTimeToEpoch(civil.getUTCFullYear(), civil.getUTCMonth() + 1, civil.getUTCDate(), (first / 60) | 0, first % 60);
      return { openNow: false, closesAt: null, nextOpening: at };
    }
  }
  return { openNow: false, closesAt: null, nextOpening: null };
}
