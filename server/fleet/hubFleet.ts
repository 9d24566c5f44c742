// The fleet as a hub composes it: its store (SQLite on one machine, PostgreSQL on a node), the hours booths are expected
// up, the alerts' notifier, and the periodic alert check. Kept here so that server/hub.ts and server/cluster/node.ts only
// wire it to sockets, frames and HTTP.
import type { Logger } from 'pino';
import type { OpeningSlot } from '../../shared/domain.js';
import { DEFAULT_ALERT_DELAYS, unionOfHours, type AlertDelays } from './alerts.js';
import { createFleet, type Fleet } from './fleet.js';
import { createNotifier } from './notify.js';
import type { FleetStore } from './store.js';

export interface FleetOptions {
  /** SMTP server of the department (`smtp://user:pass@host:587`); with `alertTo`, alerts go out by e-mail. */
  smtpUrl?: string;
  /** The coordinator's address(es), comma-separated. */
  alertTo?: string;
  alertFrom?: string;
  /** A URL receiving each alert's start and end as JSON (POST). */
  webhookUrl?: string;
  webhookTimeoutMs?: number;
  /** How often alerts are checked (default 30 s, or a quarter of the shorter alert delay when that is less). */
  checkMs?: number;
  /** How long a booth stays offline during opening hours before its alert (default 15 min). */
  offlineAlertMs?: number;
  /** How long a printer stays down before its alert (default 10 min). */
  printerAlertMs?: number;
  /** The version every booth should run; default: the newest any booth reports. */
  expectedVersion?: string;
  /** When booths are expected online (the offline alert); default: the union of the organisations' visio hours. */
  openingHours?: OpeningSlot[];
  /** A report that changes nothing judged is written at most this often per booth (default 60 s). */
  persistEveryMs?: number;
}

/** An alert starts at most a quarter of its delay late: 30 s for the default delays, less for shorter ones (≥ 250 ms). */
export function alertCheckMs(delays: AlertDelays): number {
  return Math.max(250, Math.min(30_000, Math.floor(Math.min(delays.offlineMs, delays.printerMs) / 4)));
}

export interface HubFleet {
  fleet: Fleet;
  /** Stops the periodic check, writes what was kept in memory only (unless `flush` is false), closes the SMTP transport. */
  close(flush?: boolean): Promise<void>;
}

/**
 * Marks offline the booths a hub left online without closing their sockets (see FleetStore.resetOnline), logged. On
 * SQLite the statement has run when this returns; a node awaits it before it listens.
 */
export async function resetLeftOnline(store: FleetStore, at: number, log: Logger, live?: ReadonlySet<string>): Promise<void> {
  try {
    const reset = await store.resetOnline(at, live);
    if (reset > 0) log.info({ code: 'FLEET_RESET_ONLINE', booths: reset }, 'booths left online by a stopped hub marked offline');
  } catch (e) {
    log.error({ code: 'FLEET_RESET_FAILED', err: (e as Error).message }, 'booths left online not reset');
  }
}

/** `organisationHours`: each organisation's visio hours (the default opening hours are their union). */
export function createHubFleet(fleetStore: FleetStore, organisationHours: () => ReadonlyArray<readonly OpeningSlot[]>, clock: () => number, options: FleetOptions, log: Logger): HubFleet {
  const notifier = createNotifier({
    smtpUrl: options.smtpUrl ?? null,
    alertTo: options.alertTo ?? null,
    ...(options.alertFrom ? { alertFrom: options.alertFrom } : {}),
    webhookUrl: options.webhookUrl ?? null,
    ...(options.webhookTimeoutMs ? { webhookTimeoutMs: options.webhookTimeoutMs } : {}),
    log,
  });
  const configuredHours = options.openingHours;
  const alertDelays: AlertDelays = { offlineMs: options.offlineAlertMs ?? DEFAULT_ALERT_DELAYS.offlineMs, printerMs: options.printerAlertMs ?? DEFAULT_ALERT_DELAYS.printerMs };
  const fleet = createFleet({
    store: fleetStore,
    clock,
    openingHours: () => configuredHours ?? unionOfHours(organisationHours()),
    expectedVersion: options.expectedVersion ?? null,
    notify: (n) => void notifier.notify(n),
    ...(options.persistEveryMs !== undefined ? { persistEveryMs: options.persistEveryMs } : {}),
    alertDelays,
    log: log.child({ scope: 'fleet' }),
  });
  // One check at a time: on PostgreSQL a slow one is not overtaken by the next.
  let checking: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (checking) return;
    checking = fleet
      .checkAlerts()
      .catch((e: unknown) => log.error({ code: 'FLEET_CHECK_FAILED', err: (e as Error).message }, 'alert check failed'))
      .finally(() => (checking = null));
  }, options.checkMs ?? alertCheckMs(alertDelays));
  timer.unref();
  return {
    fleet,
    async close(flush = true) {
      clearInterval(timer);
      await checking;
      if (flush) await fleet.flush();
      notifier.close();
    },
  };
}
