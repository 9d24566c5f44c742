// The fleet's vocabulary, shared by the kiosk (which reports), the hub (which keeps and judges) and the coordinator's
// « Bornes » view (which shows): a booth's health report, and the row the dashboard lists per booth.
// Nothing about visitors: a report says what the machine is and can do, never who used it.
import { z } from 'zod';
import { EpochMs } from './domain.js';
import { REASON_CODES } from './printerReasons.js';

/** Reports arrive on change and at least this often; the hub judges « hors ligne » from the socket, not from this. */
export const HEALTH_EVERY_MS = 60_000;
/** The hub drops a booth's report sent sooner than this after its previous one: a booth spaces its reports more. */
export const HEALTH_MIN_GAP_MS = 1_000;

export const KioskShell = z.enum(['electron', 'web']);
export type KioskShell = z.infer<typeof KioskShell>;

/** `none`: no printer chosen on this booth (a site may have none); else the queue's state as CUPS gives it. */
export const PrinterHealthState = z.enum(['none', 'idle', 'printing', 'stopped', 'unreachable']);
export type PrinterHealthState = z.infer<typeof PrinterHealthState>;

/** Bounds keep one report small (a frame is at most 64 KiB) and refuse nonsense rather than store it. */
export const BoothHealth = z.strictObject({
  /** The kiosk's package version, as semver (`0.1.0`, `1.2.0-beta.1`). */
  version: z.string().regex(/^\d{1,4}\.\d{1,4}\.\d{1,6}(?:-[0-9A-Za-z.-]{1,32})?$/, 'semver'),
  shell: KioskShell,
  printer: z.strictObject({
    state: PrinterHealthState,
    reasons: z.array(z.enum(REASON_CODES)).max(REASON_CODES.length),
  }),
  cameras: z.number().int().min(0).max(32),
  microphones: z.number().int().min(0).max(32),
  freeDiskBytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  /** When the weekly counts last reached the hub; null before the first. */
  lastCountSyncAt: EpochMs.nullable(),
  openIncidents: z.number().int().min(0).max(100_000),
  uptimeS: z.number().int().min(0).max(10 * 366 * 86_400),
  /** The booth's clock minus the hub's, in ms, from its ping/pong round trips (0 when not yet measured). */
  clockOffsetMs: z.number().int().min(-366 * 86_400_000).max(366 * 86_400_000),
});
export type BoothHealth = z.infer<typeof BoothHealth>;

/** What the « Bornes » view shows for a booth: online, or offline since; its problems; its last report. */
export const BoothProblem = z.enum(['offline', 'printer_down', 'camera_missing', 'version_behind', 'disk_low', 'clock_off']);
export type BoothProblem = z.infer<typeof BoothProblem>;

export const BoothRow = z.strictObject({
  id: z.number().int().positive(),
  name: z.string().min(1).max(120),
  online: z.boolean(),
  /** Since when online or offline (the socket's last open or close); null if it never connected. */
  since: EpochMs.nullable(),
  problems: z.array(BoothProblem),
  health: BoothHealth.nullable(),
  reportedAt: EpochMs.nullable(),
  revoked: z.boolean(),
});
export type BoothRow = z.infer<typeof BoothRow>;

/** GET /coordinator/api/booths: every booth, and the version the department expects (the newest reported). */
export const BoothsResponse = z.strictObject({ at: EpochMs, expectedVersion: z.string().nullable(), booths: z.array(BoothRow) });
export type BoothsResponse = z.infer<typeof BoothsResponse>;

/** GET /coordinator/api/booths/:id/history: the bounded history of one booth's state changes, newest first. */
export const BoothEvent = z.strictObject({
  at: EpochMs,
  kind: z.enum(['online', 'offline', 'problem_start', 'problem_end', 'version']),
  problem: BoothProblem.nullable(),
  version: z.string().nullable(),
});
export type BoothEvent = z.infer<typeof BoothEvent>;

/** An alert in progress (« hors ligne plus de 15 min pendant les heures d'ouverture », « imprimante en panne plus de 10 min »). */
export const FleetAlert = z.strictObject({
  boothId: z.number().int().positive(),
  name: z.string().min(1).max(120),
  rule: z.enum(['offline', 'printer_down']),
  /** When the condition began (offline since, printer down since). */
  since: EpochMs,
});
export type FleetAlert = z.infer<typeof FleetAlert>;

/** GET /coordinator/api/alerts: the alerts in progress, oldest first (shown at the top of the dashboard). */
export const AlertsResponse = z.strictObject({ at: EpochMs, alerts: z.array(FleetAlert) });
export type AlertsResponse = z.infer<typeof AlertsResponse>;
