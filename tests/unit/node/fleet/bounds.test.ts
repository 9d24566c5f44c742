// Hostile readings brought within the health report's bounds: whatever a booth measures, its report passes BoothHealth.
import { describe, expect, it } from 'vitest';
import { BoothHealth } from '../../../../shared/fleet.js';
import { boundedHealth, boundedInt, type RawHealth } from '../../../../shared/fleetBounds.js';

const sane: RawHealth = {
  version: '0.2.0',
  shell: 'web',
  printer: { state: 'idle', reasons: [] },
  cameras: 1,
  microphones: 1,
  freeDiskBytes: 10_000_000_000,
  lastCountSyncAt: Date.parse('2026-12-01T10:00:00Z'),
  openIncidents: 2,
  uptimeS: 3_600,
  clockOffsetMs: -120,
};

describe('boundedHealth', () => {
  it('keeps a sane report as it is', () => {
    expect(boundedHealth(sane)).toEqual(sane);
  });

  const hostile: Array<[string, Partial<RawHealth>]> = [
    ['NaN disk', { freeDiskBytes: Number.NaN }],
    ['negative uptime', { uptimeS: -5 }],
    ['500 cameras', { cameras: 500 }],
    ['fractional microphones', { microphones: 1.7 }],
    ['infinite incidents', { openIncidents: Infinity }],
    ['a disk larger than a safe integer', { freeDiskBytes: 2 ** 60 }],
    ['a clock a century off', { clockOffsetMs: 100 * 365 * 86_400_000 }],
    ['a count sync not a number', { lastCountSyncAt: '2026-12-01' }],
    ['a count sync before 1970', { lastCountSyncAt: -1 }],
    ['a version with a script', { version: '<script>' }],
    ['a version too long', { version: `1.2.3-${'a'.repeat(100)}` }],
    ['an unknown printer state', { printer: { state: 'on fire', reasons: [] } }],
    ['unknown, repeated and non-string reasons', { printer: { state: 'stopped', reasons: ['paused', 'paused', 'laser-melted', 7, null] } }],
    ['strings where numbers go', { cameras: '2', microphones: undefined, openIncidents: null, uptimeS: {} }],
  ];
  for (const [name, over] of hostile) {
    it(`gives a report the hub accepts with ${name}`, () => {
      expect(BoothHealth.safeParse(boundedHealth({ ...sane, ...over })).success).toBe(true);
    });
  }

  it('clamps counts to their bounds and drops what it does not know', () => {
    const h = boundedHealth({ ...sane, cameras: 500, uptimeS: -5, freeDiskBytes: Number.NaN, printer: { state: 'stopped', reasons: ['paused', 'paused', 'laser-melted'] }, version: 'x' });
    expect(h.cameras).toBe(32);
    expect(h.uptimeS).toBe(0);
    expect(h.freeDiskBytes).toBe(0);
    expect(h.printer).toEqual({ state: 'stopped', reasons: ['paused'] });
    expect(h.version).toBe('0.0.0');
  });

  it('boundedInt truncates, clamps and falls back', () => {
    expect(boundedInt(3.9, 0, 10, -1)).toBe(3);
    expect(boundedInt(-Infinity, 0, 10, -1)).toBe(0);
    expect(boundedInt('3', 0, 10, -1)).toBe(-1);
  });
});
