// Test support for the kiosk services: a settable clock, temp dirs, and a seeded in-memory kiosk.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parisWallTimeToEpoch } from '../../../../shared/time.js';
import { createKiosk, type Kiosk } from '../../../../electron/services/kiosk.js';
import { silentLogger } from '../../../../electron/services/logger.js';

export interface FakeClock {
  (): number;
  set(t: number): void;
  advance(ms: number): void;
}

export function fakeClock(start: number): FakeClock {
  let now = start;
  const clock = (() => now) as FakeClock;
  clock.set = (t) => {
    now = t;
  };
  clock.advance = (ms) => {
    now += ms;
  };
  return clock;
}

/** Paris wall-clock time as epoch ms: `paris(2026, 3, 29, 0, 30)`. */
export const paris = (y: number, mo: number, d: number, h = 12, mi = 0): number => parisWallTimeToEpoch(y, mo, d, h, mi);

export const ASSETS_DIR = path.resolve(import.meta.dirname, '../../../../assets');

export function tempDir(prefix = 'relais-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A kiosk over `:memory:` seeded with the demo configuration, on a fake clock (Wednesday 2026-02-04, 10:00 Paris). */
export function memoryKiosk(start = paris(2026, 2, 4, 10, 0)): { kiosk: Kiosk; clock: FakeClock } {
  const clock = fakeClock(start);
  const kiosk = createKiosk({ dbFile: ':memory:', clock, logger: silentLogger(), assetsDir: ASSETS_DIR, version: '9.9.9-test' });
  return { kiosk, clock };
}
