// Brings what a booth measures within the bounds of its health report (shared/fleet.ts), so a report always passes the
// hub's schema: a count out of range is clamped, a value that is not a number falls back to a safe one, a reason the
// schema does not know is dropped. Used by the kiosk's main process (its snapshot) and by the renderer (the report).
import { REASON_CODES, type ReasonCode } from './printerReasons.js';
import { PrinterHealthState, type BoothHealth, type KioskShell } from './fleet.js';

const MAX_DEVICES = 32;
const MAX_INCIDENTS = 100_000;
const MAX_UPTIME_S = 10 * 366 * 86_400;
const MAX_OFFSET_MS = 366 * 86_400_000;
const SEMVER = /^\d{1,4}\.\d{1,4}\.\d{1,6}(?:-[0-9A-Za-z.-]{1,32})?$/;
/** A version the schema refuses is reported as this one (the hub then sees the booth as behind, which it is to check). */
export const UNKNOWN_VERSION = '0.0.0';

/** An integer within [min, max]; `fallback` for NaN, ±Infinity or anything not a number. */
export function boundedInt(value: unknown, min: number, max: number, fallback: number): number {
  if (typeof value !== 'number' || Number.isNaN(value)) return fallback;
  if (value === Infinity) return max;
  if (value === -Infinity) return min;
  return Math.min(max, Math.max(min, Math.trunc(value)));
}

/** What the two sides measure, in loose types: anything may be missing or hostile. */
export interface RawHealth {
  version: unknown;
  shell: KioskShell;
  printer: { state: unknown; reasons: readonly unknown[] };
  cameras: unknown;
  microphones: unknown;
  freeDiskBytes: unknown;
  lastCountSyncAt: unknown;
  openIncidents: unknown;
  uptimeS: unknown;
  clockOffsetMs: unknown;
}

const knownReason = (r: unknown): r is ReasonCode => typeof r === 'string' && (REASON_CODES as readonly string[]).includes(r);

export function boundedPrinter(printer: RawHealth['printer']): BoothHealth['printer'] {
  const state = PrinterHealthState.safeParse(printer.state);
  const reasons = [...new Set(printer.reasons.filter(knownReason))];
  return { state: state.success ? state.data : 'unreachable', reasons };
}

export function boundedVersion(version: unknown): string {
  return typeof version === 'string' && SEMVER.test(version) ? version : UNKNOWN_VERSION;
}

/** An instant in the past, or null (a count sync « in the future » or not a date is not one the hub can use). */
function boundedInstant(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > Number.MAX_SAFE_INTEGER) return null;
  return Math.trunc(value);
}

export function boundedHealth(raw: RawHealth): BoothHealth {
  return {
    version: boundedVersion(raw.version),
    shell: raw.shell,
    printer: boundedPrinter(raw.printer),
    cameras: boundedInt(raw.cameras, 0, MAX_DEVICES, 0),
    microphones: boundedInt(raw.microphones, 0, MAX_DEVICES, 0),
    freeDiskBytes: boundedInt(raw.freeDiskBytes, 0, Number.MAX_SAFE_INTEGER, 0),
    lastCountSyncAt: boundedInstant(raw.lastCountSyncAt),
    openIncidents: boundedInt(raw.openIncidents, 0, MAX_INCIDENTS, 0),
    uptimeS: boundedInt(raw.uptimeS, 0, MAX_UPTIME_S, 0),
    clockOffsetMs: boundedInt(raw.clockOffsetMs, -MAX_OFFSET_MS, MAX_OFFSET_MS, 0),
  };
}
