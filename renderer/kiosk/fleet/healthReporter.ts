// The booth's health report to its hub: main's snapshot (`fleet.health`) merged with what the renderer sees (cameras and
// microphones), bounded (shared/fleetBounds.ts), sent over the booth's kept hub connection when it changed and at least
// every HEALTH_EVERY_MS, and again on each new connection (a hub that restarted knows nothing). Clock and timers are
// injected so the tests drive time. Nothing about visitors is read or sent.
import type { FleetSnapshot } from '../../../shared/contract/index.js';
import { HEALTH_EVERY_MS, HEALTH_MIN_GAP_MS, type BoothHealth } from '../../../shared/fleet.js';
import { boundedHealth } from '../../../shared/fleetBounds.js';
import type { ClientStatus } from '../../../shared/hubClient.js';

/** The part of the booth's hub client the report needs (BoothHubPort provides it). */
export interface HealthSink {
  readonly status: ClientStatus;
  reportHealth(health: BoothHealth): boolean;
  onEvent(name: 'status', handler: (e: { status: ClientStatus; attempt: number }) => void): () => void;
}

export interface HealthReporterDeps {
  /** `fleet.health` of the kiosk contract. */
  snapshot(): Promise<FleetSnapshot>;
  /** The cameras and microphones the browser sees. */
  devices(): Promise<{ cameras: number; microphones: number }>;
  /** The booth's kept hub connection (BoothHubLink.acquire), null while there is none. */
  hub(): Promise<HealthSink | null>;
  /**
   * The booth's clock minus the hub's. The hub's `pong` only echoes the booth's own `t` (it carries no hub time), so no
   * offset can be measured yet: 0 until the protocol gives the hub's time.
   */
  clockOffsetMs(): number;
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /** How often readings are compared with the last report (15 s): a change goes out within this delay. */
  checkEveryMs?: number;
  everyMs?: number;
  /** A reading failed (logged by the caller with this code); the next check tries again. */
  onError?(code: 'FLEET_SNAPSHOT_FAILED' | 'FLEET_DEVICES_FAILED' | 'FLEET_SEND_FAILED', cause: unknown): void;
}

export interface HealthReporter {
  start(): void;
  stop(): void;
  /** Something may have changed (printer state, devices): compare now rather than at the next tick. */
  check(): Promise<void>;
}

/** What counts as a change: not uptime nor clock drift (always moving), and free disk by steps of 100 MB. */
export function changeKey(h: BoothHealth): string {
  return JSON.stringify([h.version, h.shell, h.printer, h.cameras, h.microphones, Math.round(h.freeDiskBytes / 1e8), h.lastCountSyncAt, h.openIncidents]);
}

const CHECK_EVERY_MS = 15_000;
/**
 * Two reports are spaced by at least this: the hub drops one sooner than HEALTH_MIN_GAP_MS after the previous (a change
 * right after a report, a printer stopping just after the sign-in's report, would be lost for a minute). The margin
 * covers a frame that waited on the way.
 */
export const REPORT_GAP_MS = HEALTH_MIN_GAP_MS + 250;

export function createHealthReporter(deps: HealthReporterDeps): HealthReporter {
  const everyMs = deps.everyMs ?? HEALTH_EVERY_MS;
  const checkEveryMs = deps.checkEveryMs ?? CHECK_EVERY_MS;
  let timer: unknown = null;
  let running = false;
  let lastKey: string | null = null;
  let lastSentAt = -Infinity;
  let watched: HealthSink | null = null;
  let unwatch: (() => void) | null = null;
  let inFlight: Promise<void> | null = null;
  let again = false;
  /** A check waiting for the gap since the last report to pass (a change came too soon after it). */
  let deferred: unknown = null;

  const watch = (sink: HealthSink): void => {
    if (sink === watched) return;
    unwatch?.();
    watched = sink;
    // A new sign-in (first, or after a reconnection): the hub gets a full report at once.
    unwatch = sink.onEvent('status', (e) => {
      if (e.status !== 'ready') return;
      lastSentAt = -Infinity;
      void check();
    });
  };

  const readDevices = async (): Promise<{ cameras: number; microphones: number }> => {
    try {
      return await deps.devices();
    } catch (cause) {
      deps.onError?.('FLEET_DEVICES_FAILED', cause);
      return { cameras: 0, microphones: 0 };
    }
  };

  const once = async (): Promise<void> => {
    const sink = await deps.hub();
    if (!running || !sink) return;
    watch(sink);
    if (sink.status !== 'ready') return;
    let snapshot: FleetSnapshot;
    try {
      snapshot = await deps.snapshot();
    } catch (cause) {
      deps.onError?.('FLEET_SNAPSHOT_FAILED', cause);
      return;
    }
    const devices = await readDevices();
    const report = boundedHealth({ ...snapshot, ...devices, clockOffsetMs: deps.clockOffsetMs() });
    const key = changeKey(report);
    const now = deps.now();
    if (key === lastKey && now - lastSentAt < everyMs) return;
    if (now - lastSentAt < REPORT_GAP_MS) {
      if (deferred === null)
        deferred = deps.setTimer(() => {
          deferred = null;
          if (running) void check();
        }, lastSentAt + REPORT_GAP_MS - now);
      return;
    }
    try {
      if (!sink.reportHealth(report)) return;
    } catch (cause) {
      deps.onError?.('FLEET_SEND_FAILED', cause);
      return;
    }
    lastKey = key;
    lastSentAt = now;
  };

  // One check at a time; a request during one runs once more after it (its readings may be newer).
  function check(): Promise<void> {
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = once().finally(() => {
      inFlight = null;
      if (again && running) {
        again = false;
        void check();
      }
    });
    return inFlight;
  }

  const tick = (): void => {
    timer = deps.setTimer(tick, checkEveryMs);
    void check();
  };

  return {
    start() {
      if (running) return;
      running = true;
      tick();
    },
    stop() {
      running = false;
      if (timer !== null) deps.clearTimer(timer);
      timer = null;
      if (deferred !== null) deps.clearTimer(deferred);
      deferred = null;
      unwatch?.();
      unwatch = null;
      watched = null;
    },
    check,
  };
}
