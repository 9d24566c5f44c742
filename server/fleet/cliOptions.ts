// The fleet's alert settings as given on the command line or in the environment, checked: a French message for what
// is wrong (the hub does not start with an alert setting it could not use), else the options for startHub.
import { z } from 'zod';
import type { FleetOptions } from './hubFleet.js';

const Version = z.string().regex(/^\d{1,4}\.\d{1,4}\.\d{1,6}(?:-[0-9A-Za-z.-]{1,32})?$/);
const Address = z.string().trim().min(3).max(320).regex(/^[^\s@,<>]+@[^\s@,<>]+$/);

function urlOf(text: string, protocols: readonly string[]): URL | null {
  try {
    const u = new URL(text);
    return protocols.includes(u.protocol) ? u : null;
  } catch {
    return null;
  }
}

export interface RawFleetOptions {
  smtpUrl?: string | undefined;
  alertTo?: string | undefined;
  alertFrom?: string | undefined;
  webhookUrl?: string | undefined;
  expectedVersion?: string | undefined;
  /** Milliseconds, as typed (RELAIS_OFFLINE_ALERT_MS, --offline-alert-ms); default 15 min. */
  offlineAlertMs?: string | undefined;
  /** Milliseconds, as typed (RELAIS_PRINTER_ALERT_MS, --printer-alert-ms); default 10 min. */
  printerAlertMs?: string | undefined;
}

/** An alert delay: from one second (tests, a demonstration) to a week; whole milliseconds written in digits only. */
export const ALERT_DELAY_MIN_MS = 1_000;
export const ALERT_DELAY_MAX_MS = 7 * 86_400_000;

function delayOf(text: string): number | null {
  if (!/^\d{1,10}$/.test(text)) return null;
  const ms = Number(text);
  return ms >= ALERT_DELAY_MIN_MS && ms <= ALERT_DELAY_MAX_MS ? ms : null;
}

export function fleetOptionsOf(raw: RawFleetOptions): FleetOptions | string {
  const out: FleetOptions = {};
  if (raw.smtpUrl) {
    if (!urlOf(raw.smtpUrl, ['smtp:', 'smtps:'])) return 'Adresse du serveur SMTP invalide : smtp://utilisateur:motdepasse@serveur:587 ou smtps://… attendu.';
    if (!raw.alertTo) return 'Un serveur SMTP est donné sans destinataire : ajoutez --alert-to adresse@exemple.fr.';
    out.smtpUrl = raw.smtpUrl;
  }
  if (raw.alertTo) {
    const list = raw.alertTo.split(',').map((a) => a.trim());
    if (list.length > 20 || !list.every((a) => Address.safeParse(a).success)) return `Destinataire(s) des alertes invalide(s) : ${raw.alertTo.slice(0, 200)}`;
    if (!raw.smtpUrl) return 'Un destinataire des alertes est donné sans serveur SMTP : ajoutez --smtp-url.';
    out.alertTo = list.join(', ');
  }
  if (raw.alertFrom) {
    if (raw.alertFrom.length > 320 || /[\r\n]/.test(raw.alertFrom)) return "Expéditeur des alertes invalide.";
    out.alertFrom = raw.alertFrom;
  }
  if (raw.webhookUrl) {
    if (!urlOf(raw.webhookUrl, ['http:', 'https:'])) return 'Adresse du webhook des alertes invalide : http(s)://… attendu.';
    out.webhookUrl = raw.webhookUrl;
  }
  if (raw.expectedVersion) {
    if (!Version.safeParse(raw.expectedVersion).success) return `Version attendue des bornes invalide : ${raw.expectedVersion.slice(0, 40)} (par exemple 1.4.0).`;
    out.expectedVersion = raw.expectedVersion;
  }
  const delays = [
    ['offlineAlertMs', raw.offlineAlertMs, 'hors ligne'],
    ['printerAlertMs', raw.printerAlertMs, 'imprimante en panne'],
  ] as const;
  for (const [key, text, label] of delays) {
    if (!text) continue;
    const ms = delayOf(text);
    if (ms === null) return `Délai de l'alerte « ${label} » invalide : ${text.slice(0, 40)} (en millisecondes, de ${ALERT_DELAY_MIN_MS} à ${ALERT_DELAY_MAX_MS}).`;
    out[key] = ms;
  }
  return out;
}
