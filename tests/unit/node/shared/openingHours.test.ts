import { describe, expect, it } from 'vitest';
import type { OpeningSlot } from '../../../../shared/domain.js';
import { openingState } from '../../../../shared/openingHours.js';
import { parisWallTimeToEpoch as paris } from '../../../../shared/time.js';

// CAF-like hours: Monday and Wednesday 09:00–12:00 and 14:00–17:00.
const caf: OpeningSlot[] = [
  { weekday: 1, from: '09:00', to: '12:00' },
  { weekday: 1, from: '14:00', to: '17:00' },
  { weekday: 3, from: '09:00', to: '12:00' },
  { weekday: 3, from: '14:00', to: '17:00' },
];

describe('visio opening state', () => {
  it('is open during a slot and says when the slot closes', () => {
    expect(openingState(caf, paris(2026, 2, 4, 10, 15))).toEqual({ openNow: true, closesAt: paris(2026, 2, 4, 12, 0), nextOpening: null });
  });

  it('opens at the slot start minute and closes at the slot end minute', () => {
    expect(openingState(caf, paris(2026, 2, 4, 9, 0)).openNow).toBe(true);
    expect(openingState(caf, paris(2026, 2, 4, 12, 0))).toEqual({ openNow: false, closesAt: null, nextOpening: paris(2026, 2, 4, 14, 0) });
  });

  it('gives the next opening later the same day during the lunch break', () => {
    expect(openingState(caf, paris(2026, 2, 4, 12, 30)).nextOpening).toBe(paris(2026, 2, 4, 14, 0));
  });

  it('gives the next opening next week after the last slot of the week', () => {
    // Wednesday 2026-02-04 18:00 → Monday 2026-02-09 09:00.
    expect(openingState(caf, paris(2026, 2, 4, 18, 0)).nextOpening).toBe(paris(2026, 2, 9, 9, 0));
  });

  it('gives the next opening of the same weekday a week later when today\'s slots are over', () => {
    const mondayOnly: OpeningSlot[] = [{ weekday: 1, from: '09:00', to: '10:00' }];
    expect(openingState(mondayOnly, paris(2026, 2, 2, 11, 0)).nextOpening).toBe(paris(2026, 2, 9, 9, 0));
  });

  it('is never open and has no next opening without slots', () => {
    expect(openingState([], paris(2026, 2, 4, 10, 0))).toEqual({ openNow: false, closesAt: null, nextOpening: null });
  });

  it('gives next opening in summer time across the spring change (Sunday 2026-03-29 → Monday 09:00 CEST)', () => {
    const next = openingState(caf, paris(2026, 3, 29, 12, 0)).nextOpening;
    expect(next).toBe(Date.parse('2026-03-30T07:00:00Z'));
  });

  it('gives next opening in winter time across the autumn change (Sunday 2026-10-25 → Monday 09:00 CET)', () => {
    const next = openingState(caf, paris(2026, 10, 25, 12, 0)).nextOpening;
    expect(next).toBe(Date.parse('2026-10-26T08:00:00Z'));
  });

  it('reads the wall clock in Paris on a DST day: a Sunday slot at 10:00 is open at 10:30 CEST', () => {
    const sunday: OpeningSlot[] = [{ weekday: 7, from: '10:00', to: '11:00' }];
    const at = Date.parse('2026-03-29T08:30:00Z'); // 10:30 summer time
    expect(openingState(sunday, at)).toEqual({ openNow: true, closesAt: Date.parse('2026-03-29T09:00:00Z'), nextOpening: null });
  });

  it('finds the next opening across New Year', () => {
    const monday: OpeningSlot[] = [{ weekday: 1, from: '09:00', to: '12:00' }];
    expect(openingState(monday, paris(2026, 12, 31, 15, 0)).nextOpening).toBe(paris(2027, 1, 4, 9, 0));
  });
});
