// The fleet: booths' health reports, their judging, the « Bornes » view and history, alerts by e-mail and webhook.
export { dueAlerts, openMsBetween, unionOfHours, DEFAULT_ALERT_DELAYS, OFFLINE_ALERT_MS, PRINTER_ALERT_MS, type AlertDelays } from './alerts.js';
export { createFleet, type Fleet, type FleetCounters, type FleetDeps } from './fleet.js';
export { compareVersions, judgeBooth, newestVersion, printerDown, CLOCK_OFF_MS, DISK_LOW_BYTES } from './judge.js';
export { alertMessage, createNotifier, type AlertNotice, type Notifier, type NotifierOptions } from './notify.js';
export { answerFleet, isFleetPath, type FleetApiDeps } from './routes.js';
export { createSqliteFleetStore, HISTORY_LIMIT, type ActiveAlert, type AlertRule, type FleetRecord, type FleetState, type FleetStore } from './store.js';
