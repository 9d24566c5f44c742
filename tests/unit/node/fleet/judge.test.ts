// Judging a booth (server/fleet/judge.ts): its problems from its state and last report, and semver precedence.
import { describe, expect, it } from 'vitest';
import { CLOCK_OFF_MS, compareVersions, DISK_LOW_BYTES, judgeBooth, newestVersion } from '../../../../server/fleet/index.js';
import { health } from './sample.js';

const online = (patch: Parameters<typeof health>[0] = {}, expectedVersion: string | null = null) =>
  judgeBooth({ online: true, revoked: false, health: health(patch), expectedVersion });

describe('judging a booth', () => {
  it('finds nothing wrong with a healthy booth, and every problem, in order, with a broken one', () => {
    expect(online()).toEqual([]);
    expect(
      online({ version: '1.3.9', printer: { state: 'stopped', reasons: [] }, cameras: 0, freeDiskBytes: 0, clockOffsetMs: -CLOCK_OFF_MS - 1 }, '1.4.0'),
    ).toEqual(['printer_down', 'camera_missing', 'version_behind', 'disk_low', 'clock_off']);
  });

  it('says only « offline » for an offline booth (its last report is not evidence) and nothing for a revoked one', () => {
    const broken = health({ cameras: 0, printer: { state: 'unreachable', reasons: [] } });
    expect(judgeBooth({ online: false, revoked: false, health: broken, expectedVersion: null })).toEqual(['offline']);
    expect(judgeBooth({ online: false, revoked: false, health: null, expectedVersion: null })).toEqual(['offline']);
    expect(judgeBooth({ online: false, revoked: true, health: broken, expectedVersion: null })).toEqual([]);
    expect(judgeBooth({ online: true, revoked: false, health: null, expectedVersion: '9.9.9' })).toEqual([]);
  });

  it('judges the printer by its state and its blocking reasons only; a site without printer has no printer problem', () => {
    expect(online({ printer: { state: 'unreachable', reasons: [] } })).toEqual(['printer_down']);
    expect(online({ printer: { state: 'idle', reasons: ['media-empty'] } })).toEqual(['printer_down']);
    expect(online({ printer: { state: 'printing', reasons: ['toner-low', 'media-low', 'other'] } })).toEqual([]);
    expect(online({ printer: { state: 'none', reasons: ['no-printer'] } })).toEqual([]);
  });

  it('puts the thresholds where they are said to be (edges included)', () => {
    expect(online({ freeDiskBytes: DISK_LOW_BYTES })).toEqual([]);
    expect(online({ freeDiskBytes: DISK_LOW_BYTES - 1 })).toEqual(['disk_low']);
    expect(online({ clockOffsetMs: CLOCK_OFF_MS })).toEqual([]);
    expect(online({ clockOffsetMs: -CLOCK_OFF_MS })).toEqual([]);
    expect(online({ clockOffsetMs: CLOCK_OFF_MS + 1 })).toEqual(['clock_off']);
    expect(online({ clockOffsetMs: -366 * 86_400_000 })).toEqual(['clock_off']);
    expect(online({ cameras: 0, microphones: 0 })).toEqual(['camera_missing']);
    expect(online({ freeDiskBytes: Number.MAX_SAFE_INTEGER })).toEqual([]);
  });

  it('is behind only when strictly older than the expected version; an equal, newer or unreadable one is not', () => {
    expect(online({ version: '1.4.0' }, '1.4.0')).toEqual([]);
    expect(online({ version: '1.10.0' }, '1.9.9')).toEqual([]);
    expect(online({ version: '1.4.0-beta.2' }, '1.4.0')).toEqual(['version_behind']);
    expect(online({ version: '1.4.0' }, 'not-a-version')).toEqual([]);
  });
});

describe('semver precedence', () => {
  it('orders numerically, releases after their pre-releases, pre-release identifiers as semver says', () => {
    const sorted = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.2.0', '1.10.0', '2.0.0'];
    for (let i = 0; i + 1 < sorted.length; i++) {
      expect(compareVersions(sorted[i] as string, sorted[i + 1] as string)).toBeLessThan(0);
      expect(compareVersions(sorted[i + 1] as string, sorted[i] as string)).toBeGreaterThan(0);
    }
    expect(compareVersions('1.0.0', '1.0.0')).toBe(0);
    expect(newestVersion([...sorted].reverse())).toBe('2.0.0');
  });

  it('refuses what is not a version instead of guessing', () => {
    for (const bad of ['', '1', '1.2', 'v1.2.3', '1.2.3.4', '01.2.3x', '1.2.3-', '1.2.3-é', ' 1.2.3', '99999.0.0', '__proto__']) {
      expect(compareVersions(bad, '1.0.0')).toBeNull();
    }
    expect(newestVersion(['garbage', '0.1.0', 'x.y.z'])).toBe('0.1.0');
    expect(newestVersion([])).toBeNull();
    expect(newestVersion(['garbage'])).toBeNull();
  });
});
