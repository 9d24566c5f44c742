// How an alert goes out: an e-mail to the coordinator through the department's SMTP server, and a JSON POST to a
// webhook. Each at its start and once at its end. Never blocks the hub, never throws: failures are logged with a code.
// What is said is the booth and its state; nothing about visitors (there is nothing about them in the fleet's state).
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { AlertRule } from './store.js';

export interface AlertNotice {
  state: 'start' | 'end';
  rule: AlertRule;
  boothId: number;
  boothName: string;
  /** When the condition began (offline since, printer down since). */
  since: number;
  /** When the alert started or ended. */
  at: number;
}

export interface NotifierOptions {
  /** `smtp://user:pass@host:port` or `smtps://…`; null: no e-mail. */
  smtpUrl: string | null;
  /** The coordinator's address(es), comma-separated. */
  alertTo: string | null;
  alertFrom?: string;
  /** A URL that receives each alert as JSON (POST); null: none. */
  webhookUrl: string | null;
  webhookTimeoutMs?: number;
  log: Logger;
}

export interface Notifier {
  /** Sends both ways; the promise settles when both tried, and never rejects (the hub does not wait for it). */
  notify(notice: AlertNotice): Promise<void>;
  close(): void;
}

const WHEN = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' });
/** A booth's name in a subject line: no control characters (no header injection), bounded. */
const cleanName = (name: string): string => name.replace(/[\p{Cc}\p{Cf}]/gu, ' ').slice(0, 120);

export function alertMessage(n: AlertNotice): { subject: string; text: string } {
  const booth = `la borne n° ${n.boothId} « ${cleanName(n.boothName)} »`;
  const since = WHEN.format(new Date(n.since));
  const minutes = Math.max(0, Math.round((n.at - n.since) / 60_000));
  const lines: Record<AlertRule, Record<AlertNotice['state'], { subject: string; body: string }>> = {
    offline: {
      start: {
        subject: `Relais : borne « ${cleanName(n.boothName)} » hors ligne`,
        body: `Depuis le ${since} (heure de Paris), ${booth} n'est plus reliée au hub, pendant les heures d'ouverture.\nVérifiez son alimentation et sa connexion au réseau.`,
      },
      end: {
        subject: `Relais : borne « ${cleanName(n.boothName)} » de nouveau en ligne`,
        body: `${capitalise(booth)} est de nouveau reliée au hub, après ${minutes} min hors ligne.`,
      },
    },
    printer_down: {
      start: {
        subject: `Relais : imprimante en panne à la borne « ${cleanName(n.boothName)} »`,
        body: `Depuis le ${since} (heure de Paris), l'imprimante de ${booth} ne peut plus imprimer.\nLe médiateur du site peut voir la cause dans les réglages de la borne.`,
      },
      end: {
        subject: `Relais : imprimante de nouveau disponible à la borne « ${cleanName(n.boothName)} »`,
        body: `L'imprimante de ${booth} imprime de nouveau, après ${minutes} min de panne.`,
      },
    },
  };
  const { subject, body } = lines[n.rule][n.state];
  return { subject, text: `${body}\n\nCe message est envoyé une fois au début de l'alerte et une fois à sa fin.\nL'état des bornes : tableau de bord du coordinateur, « Bornes ».\n` };
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export function createNotifier(o: NotifierOptions): Notifier {
  const log = o.log.child({ scope: 'fleet-alerts' });
  const mail = o.smtpUrl && o.alertTo ? nodemailer.createTransport(o.smtpUrl, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 }) : null;
  const from = o.alertFrom ?? 'Relais <relais@localhost>';
  const timeoutMs = o.webhookTimeoutMs ?? 5_000;

  async function sendMail(n: AlertNotice): Promise<void> {
    if (!mail || !o.alertTo) return;
    const { subject, text } = alertMessage(n);
    try {
      await mail.sendMail({ from, to: o.alertTo, subject, text });
      log.info({ code: 'FLEET_ALERT_MAILED', booth: n.boothId, rule: n.rule, state: n.state }, 'alert e-mailed');
    } catch (e) {
      log.error({ code: 'FLEET_MAIL_FAILED', booth: n.boothId, rule: n.rule, err: (e as Error).message }, 'alert e-mail not sent');
    }
  }

  async function postWebhook(n: AlertNotice): Promise<void> {
    if (!o.webhookUrl) return;
    const { subject } = alertMessage(n);
    const body = JSON.stringify({ type: 'relais.booth_alert', state: n.state, rule: n.rule, booth: { id: n.boothId, name: n.boothName }, since: n.since, at: n.at, summary: subject });
    try {
      const r = await fetch(o.webhookUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
      await r.body?.cancel();
      if (!r.ok) log.error({ code: 'FLEET_WEBHOOK_FAILED', booth: n.boothId, rule: n.rule, status: r.status }, 'alert webhook answered an error');
    } catch (e) {
      log.error({ code: 'FLEET_WEBHOOK_FAILED', booth: n.boothId, rule: n.rule, err: (e as Error).name }, 'alert webhook not reached');
    }
  }

  return {
    notify: async (n) => {
      await Promise.all([sendMail(n), postWebhook(n)]);
    },
    close: () => mail?.close(),
  };
}
