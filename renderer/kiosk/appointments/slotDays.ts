// Free slots grouped by their day in Paris (the booth's day, whatever the browser's time zone), the next ones first.
import { parisParts } from '../../../shared/time.js';
import type { FreeSlot } from './appointmentsStore.js';

export interface SlotDay {
  /** « 2026-12-08 », the Paris day. */
  key: string;
  /** The first slot's start, for the day's label (formatWeekdayDate). */
  firstAt: number;
  slots: FreeSlot[];
}

export const parisDayKey = (epochMs: number): string => {
  const p = parisParts(epochMs);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
};

/** Slots already started are left out (the hub answers from now, the screen may stay open a while). */
export function slotDays(slots: readonly FreeSlot[], now: number): SlotDay[] {
  const days = new Map<string, SlotDay>();
  for (const slot of [...slots].filter((s) => s.startsAt > now).sort((a, b) => a.startsAt - b.startsAt)) {
    const key = parisDayKey(slot.startsAt);
    const day = days.get(key);
    if (day) day.slots.push(slot);
    else days.set(key, { key, firstAt: slot.startsAt, slots: [slot] });
  }
  return [...days.values()];
}

/** The note as the hub accepts it (server/appointments/store.ts checkNote): trimmed, at most `maxChars`, no control or
 * direction characters; checked here first so the visitor is told before anything is sent. */
export function checkNote(note: string, consent: boolean, maxChars: number): 'NOTE_TOO_LONG' | 'BAD_NOTE' | 'NOTE_WITHOUT_CONSENT' | null {
  const text = note.trim();
  if (text === '') return null;
  if ([...text].length > maxChars) return 'NOTE_TOO_LONG';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(text)) return 'BAD_NOTE';
  if (!consent) return 'NOTE_WITHOUT_CONSENT';
  return null;
}
