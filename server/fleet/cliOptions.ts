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
  return out;
}
