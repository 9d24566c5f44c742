// The alert rules (server/fleet/alerts.ts): time offline counted within opening hours (Paris wall clock), printer
// down for 10 minutes, and the organisations' hours merged without counting a minute twice.
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_DELAYS, dueAlerts, OFFLINE_ALERT_MS, openMsBetween, PRINTER_ALERT_MS, unionOfHours, type FleetRecord } from '../../../../server/fleet/index.js';
import { WEEKDAY_HOURS } from '../../../../server/store.js';
import type { OpeningSlot } from '../../../../shared/domain.js';
import { parisWallTimeToEpoch } from '../../../../shared/time.js';
import { health } from './sample.js';

const MIN = 60_000;
/** Tuesday 2 June 2026, Paris wall clock. */
const tue = (h: number, m = 0): number => parisWallTimeToEpoch(2026, 6, 2, h, m);
const record = (patch: Partial<FleetRecord>): FleetRecord => ({ boothId: 1, name: 'Mairie', revoked: false, online: true, since: tue(8), health: health(), reportedAt: tue(8), problems: {}, ...patch });

describe('time within opening hours', () => {
  it('counts only the open part of a span, across the lunch break and across days', () => {
    expect(openMsBetween(WEEKDAY_HOURS, tue(8), tue(9, 10))).toBe(10 * MIN);
    expect(openMsBetween(WEEKDAY_HOURS, tue(12, 20), tue(13, 40))).toBe(20 * MIN);
    // Tuesday 17:00 → Wednesday 09:05: nothing in the evening and the night.
    expect(openMsBetween(WEEKDAY_HOURS, tue(17), tue(17) + (16 * 60 + 5) * MIN)).toBe(5 * MIN);
    // Saturday and Sunday: closed.
    expect(openMsBetween(WEEKDAY_HOURS, parisWallTimeToEpoch(2026, 6, 6, 8, 0), parisWallTimeToEpoch(2026, 6, 7, 20, 0))).toBe(0);
  });

  it('gives 0 for empty hours, an empty or reversed span, and stops early once it has enough', () => {
    expect(openMsBetween([], tue(8), tue(18))).toBe(0);
    expect(openMsBetween(WEEKDAY_HOURS, tue(10), tue(10))).toBe(0);
    expect(openMsBetween(WEEKDAY_HOURS, tue(11), tue(10))).toBe(0);
    expect(openMsBetween(WEEKDAY_HOURS, tue(9), tue(17), OFFLINE_ALERT_MS)).toBeGreaterThanOrEqual(OFFLINE_ALERT_MS);
    expect(openMsBetween(WEEKDAY_HOURS, 0, tue(12), OFFLINE_ALERT_MS)).toBeGreaterThanOrEqual(OFFLINE_ALERT_MS);
  });

  it('follows the Paris wall clock across the autumn change', () => {
    // Sunday 25 October 2026 has 25 hours; open 00:00–23:59 that day counts 24 h 59 min.
    const sunday: OpeningSlot[] = [{ weekday: 7, from: '00:00', to: '23:59' }];
    const day = parisWallTimeToEpoch(2026, 10, 25, 0, 0);
    expect(openMsBetween(sunday, day, day + 25 * 60 * MIN)).toBe((24 * 60 + 59) * MIN);
  });

  it('merges the organisations’ overlapping hours so that no minute counts twice', () => {
    const a: OpeningSlot[] = [{ weekday: 2, from: '09:00', to: '12:30' }];
    const b: OpeningSlot[] = [{ weekday: 2, from: '09:00', to: '12:00' }, { weekday: 2, from: '12:30', to: '14:00' }, { weekday: 3, from: '10:00', to: '11:00' }];
    expect(unionOfHours([a, b])).toEqual([{ weekday: 2, from: '09:00', to: '14:00' }, { weekday: 3, from: '10:00', to: '11:00' }]);
    expect(openMsBetween(unionOfHours([a, b, a]), tue(8), tue(15))).toBe(5 * 60 * MIN);
    expect(unionOfHours([])).toEqual([]);
  });
});

describe('which alerts are due', () => {
  it('raises « hors ligne » after 15 open minutes offline, not before, not at night, never for a booth never seen or revoked', () => {
    expect(dueAlerts(record({ online: false, since: tue(9) }), tue(9, 14), WEEKDAY_HOURS)).toEqual([]);
    expect(dueAlerts(record({ online: false, since: tue(9) }), tue(9, 15), WEEKDAY_HOURS)).toEqual([{ boothId: 1, rule: 'offline', since: tue(9) }]);
    // Offline since 8:00: the hour before opening does not count.
    expect(dueAlerts(record({ online: false, since: tue(8) }), tue(9, 10), WEEKDAY_HOURS)).toEqual([]);
    expect(dueAlerts(record({ online: false, since: tue(18) }), tue(23), WEEKDAY_HOURS)).toEqual([]);
    expect(dueAlerts(record({ online: false, since: null }), tue(12), WEEKDAY_HOURS)).toEqual([]);
    expect(dueAlerts(record({ online: false, since: tue(9), revoked: true }), tue(12), WEEKDAY_HOURS)).toEqual([]);
    expect(dueAlerts(record({ online: true, since: tue(9) }), tue(12), WEEKDAY_HOURS)).toEqual([]);
  });

  it('raises « imprimante en panne » after 10 minutes down, at any hour, and keeps it while the booth is offline', () => {
    const down = { printer_down: tue(20) };
    expect(dueAlerts(record({ problems: down }), tue(20) + PRINTER_ALERT_MS - 1, WEEKDAY_HOURS)).toEqual([]);
    expect(dueAlerts(record({ problems: down }), tue(20) + PRINTER_ALERT_MS, WEEKDAY_HOURS)).toEqual([{ boothId: 1, rule: 'printer_down', since: tue(20) }]);
    expect(dueAlerts(record({ problems: down, online: false, since: tue(21) }), tue(22), WEEKDAY_HOURS).map((a) => a.rule)).toEqual(['printer_down']);
    expect(dueAlerts(record({ problems: { camera_missing: 0 } }), tue(22), WEEKDAY_HOURS)).toEqual([]);
  });

  it('follows the delays the department chose (a printer after 2 s, offline after 3 open seconds), the defaults otherwise', () => {
    const delays = { offlineMs: 3_000, printerMs: 2_000 };
    const down = { printer_down: tue(20) };
    expect(dueAlerts(record({ problems: down }), tue(20) + 1_999, WEEKDAY_HOURS, delays)).toEqual([]);
    expect(dueAlerts(record({ problems: down }), tue(20) + 2_000, WEEKDAY_HOURS, delays)).toEqual([{ boothId: 1, rule: 'printer_down', since: tue(20) }]);
    expect(dueAlerts(record({ online: false, since: tue(9) }), tue(9) + 2_999, WEEKDAY_HOURS, delays)).toEqual([]);
    expect(dueAlerts(record({ online: false, since: tue(9) }), tue(9) + 3_000, WEEKDAY_HOURS, delays)).toEqual([{ boothId: 1, rule: 'offline', since: tue(9) }]);
    // Still only during opening hours.
    expect(dueAlerts(record({ online: false, since: tue(20) }), tue(23), WEEKDAY_HOURS, delays)).toEqual([]);
    expect(dueAlerts(record({ problems: down }), tue(20) + 2_000, WEEKDAY_HOURS, DEFAULT_ALERT_DELAYS)).toEqual([]);
  });
});
