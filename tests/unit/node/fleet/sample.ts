// A healthy booth's report, for the fleet's tests to vary.
import type { BoothHealth } from '../../../../shared/fleet.js';

export const HEALTHY: BoothHealth = {
  version: '1.4.0',
  shell: 'electron',
  printer: { state: 'idle', reasons: [] },
  cameras: 1,
  microphones: 1,
  freeDiskBytes: 20_000_000_000,
  lastCountSyncAt: null,
  openIncidents: 0,
  uptimeS: 3_600,
  clockOffsetMs: 0,
};

export const health = (patch: Partial<BoothHealth> = {}): BoothHealth => ({ ...HEALTHY, ...patch });
