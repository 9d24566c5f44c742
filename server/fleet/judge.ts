// Judging a booth: pure functions from its connection state, its last report and the version expected to its problems.
// No clock reading, no database: the same inputs give the same problems (the view, the history and the alerts agree).
import type { BoothHealth, BoothProblem } from '../../shared/fleet.js';
import { BLOCKING } from '../../shared/printerReasons.js';

/** Below this much free disk the booth cannot keep its logs and documents for long. */
export const DISK_LOW_BYTES = 1_000_000_000;
/** Beyond this offset, opening hours, appointments and logs on the booth are visibly wrong. */
export const CLOCK_OFF_MS = 2 * 60_000;

/** The order problems are listed in (the most serious first). */
const ORDER: readonly BoothProblem[] = ['offline', 'printer_down', 'camera_missing', 'version_behind', 'disk_low', 'clock_off'];

type Semver = { core: [number, number, number]; pre: string[] };

function parseSemver(v: string): Semver | null {
  const m = /^(\d{1,4})\.(\d{1,4})\.(\d{1,6})(?:-([0-9A-Za-z.-]{1,32}))?$/.exec(v);
  if (!m) return null;
  return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ? m[4].split('.') : [] };
}

function comparePre(a: string[], b: string[]): number {
  // A release is newer than any of its pre-releases (1.0.0-beta.1 < 1.0.0).
  if (a.length === 0 || b.length === 0) return b.length - a.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) return Number(x) - Number(y) < 0 ? -1 : 1;
    if (xn !== yn) return xn ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** Semver precedence: negative if a < b, 0 if equal, positive if a > b; null when either is not a version. */
export function compareVersions(a: string, b: string): number | null {
  const x = parseSemver(a);
  const y = parseSemver(b);
  if (!x || !y) return null;
  for (let i = 0; i < 3; i++) if (x.core[i] !== y.core[i]) return (x.core[i] ?? 0) - (y.core[i] ?? 0) < 0 ? -1 : 1;
  return comparePre(x.pre, y.pre);
}

/** The newest of these versions (what booths run): the version a booth behind it is judged against. */
export function newestVersion(versions: Iterable<string>): string | null {
  let newest: string | null = null;
  for (const v of versions) {
    const c = newest === null ? (parseSemver(v) ? 1 : null) : compareVersions(v, newest);
    if (c !== null && c > 0) newest = v;
  }
  return newest;
}

export function printerDown(printer: BoothHealth['printer']): boolean {
  // `none`: this site chose no printer; nothing to repair.
  if (printer.state === 'none') return false;
  if (printer.state === 'stopped' || printer.state === 'unreachable') return true;
  return printer.reasons.some((r) => BLOCKING[r]);
}

export interface JudgeInput {
  online: boolean;
  revoked: boolean;
  health: BoothHealth | null;
  /** The version every booth should run (configured, or the newest reported); null: none known. */
  expectedVersion: string | null;
}

/**
 * A booth's problems. A revoked booth has none (it is out of the fleet). An offline booth is only `offline`: its last
 * report says what it was, not what it is. A booth online that has not reported yet has no other problem yet.
 */
export function judgeBooth({ online, revoked, health, expectedVersion }: JudgeInput): BoothProblem[] {
  if (revoked) return [];
  if (!online) return ['offline'];
  if (!health) return [];
  const found = new Set<BoothProblem>();
  if (printerDown(health.printer)) found.add('printer_down');
  if (health.cameras === 0) found.add('camera_missing');
  if (expectedVersion !== null) {
    const c = compareVersions(health.version, expectedVersion);
    if (c !== null && c < 0) found.add('version_behind');
  }
  if (health.freeDiskBytes < DISK_LOW_BYTES) found.add('disk_low');
  if (Math.abs(health.clockOffsetMs) > CLOCK_OFF_MS) found.add('clock_off');
  return ORDER.filter((p) => found.has(p));
}
