// A department's fleet for the « Bornes » benchmark: n booths in a fixed mix of states (mostly well, some offline, some
// with printer, camera, version, disk or clock problems, a few revoked), the same on every run.
import type { BoothHealth, BoothProblem, BoothRow, BoothsResponse } from '../../../shared/fleet.js';

export const BENCH_AT = Date.parse('2026-12-03T14:00:00Z');

const health = (i: number, version: string): BoothHealth => ({
  version,
  shell: i % 3 === 0 ? 'electron' : 'web',
  printer: i % 17 === 0 ? { state: 'stopped', reasons: ['media-jam', 'paused'] } : { state: 'idle', reasons: [] },
  cameras: i % 23 === 0 ? 0 : 1,
  microphones: 1,
  freeDiskBytes: i % 41 === 0 ? 400_000_000 : 30_000_000_000 + i * 1_000_000,
  lastCountSyncAt: BENCH_AT - (i % 7) * 86_400_000,
  openIncidents: i % 5,
  uptimeS: 3_600 + i * 60,
  clockOffsetMs: i % 53 === 0 ? 600_000 : (i % 9) * 10,
});

export function benchFleet(n: number): BoothsResponse {
  const booths: BoothRow[] = [];
  for (let i = 1; i <= n; i++) {
    const online = i % 11 !== 0;
    const version = i % 13 === 0 ? '0.1.0' : '0.2.0';
    const problems: BoothProblem[] = [];
    if (!online) problems.push('offline');
    if (i % 17 === 0) problems.push('printer_down');
    if (i % 23 === 0) problems.push('camera_missing');
    if (version !== '0.2.0') problems.push('version_behind');
    if (i % 41 === 0) problems.push('disk_low');
    if (i % 53 === 0) problems.push('clock_off');
    booths.push({
      id: i,
      name: `Relais ${String(i).padStart(4, '0')} — commune ${(i * 7919) % 1000}`,
      online,
      // Offline since today for some, since earlier days for others.
      since: BENCH_AT - (online ? 3_600_000 : (i % 4) * 86_400_000 + 600_000),
      problems,
      health: i % 97 === 0 ? null : health(i, version),
      reportedAt: i % 97 === 0 ? null : BENCH_AT - (i % 60) * 1_000,
      revoked: i % 211 === 0,
    });
  }
  return { at: BENCH_AT, expectedVersion: '0.2.0', booths };
}
