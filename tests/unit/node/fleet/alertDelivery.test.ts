// Alerts going out from a real hub: by e-mail through a real SMTP server from Debian (aiosmtpd) on loopback and by
// webhook to a real local HTTP server, once at the start and once at the end; time driven by the hub's injected clock.
// A webhook that hangs or fails, and an SMTP server that is down, are logged with a code and block nothing.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifier, type AlertNotice } from '../../../../server/fleet/index.js';
import { startHub, type RunningHub } from '../../../../server/hub.js';
import { booth, TUESDAY_10H, waitFor } from '../hub/helpers.js';
import { health } from './sample.js';
import { smtpServerAvailable, startSmtpServer, type SmtpServer } from './smtpServer.js';

const MIN = 60_000;
let smtp: SmtpServer;
let webhook: Server;
let webhookUrl: string;
const hooks: Array<{ path: string; contentType: string | undefined; body: Record<string, unknown> }> = [];
const logLines: Array<{ code?: string }> = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line) as { code?: string }) });

beforeAll(async () => {
  if (!smtpServerAvailable()) throw new Error('python3-aiosmtpd is missing: apt-get install -y python3-aiosmtpd (build/system-packages.txt lists it)');
  smtp = await startSmtpServer();
  webhook = createServer((req, res) => {
    if (req.url === '/hang') return; // never answers: the hub's timeout must end it
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hooks.push({ path: req.url ?? '', contentType: req.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
      res.writeHead(req.url === '/fail' ? 500 : 204).end();
    });
  });
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
  webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}`;
});
afterAll(async () => {
  webhook.closeAllConnections();
  await new Promise<void>((resolve) => webhook.close(() => resolve()));
  await smtp.stop();
});

describe('alerts from a real hub', () => {
  let hub: RunningHub;
  let now = TUESDAY_10H;
  afterAll(async () => hub.close());

  it('mails and posts « imprimante en panne » after 10 minutes, then its end, once each; and « hors ligne » after 15 open minutes', async () => {
    hub = await startHub({
      host: '127.0.0.1',
      port: 0,
      dbFile: ':memory:',
      clock: () => now,
      logger,
      fleet: { smtpUrl: smtp.url, alertTo: 'coordination@lot.example', alertFrom: 'Relais <relais@lot.example>', webhookUrl: `${webhookUrl}/alerts`, checkMs: 3_600_000 },
    });
    const { id, token } = hub.store.addBooth('Relais de Gramat', now);
    const b = await booth(hub.url, token);
    const paused = health({ printer: { state: 'stopped', reasons: ['paused'] } });
    b.send({ type: 'booth.health', health: paused });
    await waitFor(() => hub.fleet.counters.reports === 1);
    now += 9 * MIN;
    await hub.fleet.checkAlerts();
    now += MIN;
    await hub.fleet.checkAlerts();
    await hub.fleet.checkAlerts();
    await waitFor(() => smtp.count() === 1 && hooks.length === 1, 10_000, 'the alert e-mail and webhook');
    const [mail] = smtp.messages();
    expect(mail).toMatchObject({ to: 'coordination@lot.example', subject: 'Relais : imprimante en panne à la borne « Relais de Gramat »' });
    expect(mail?.body).toContain(`la borne n° ${id} « Relais de Gramat »`);
    expect(mail?.body).toContain('ne peut plus imprimer');
    expect(hooks[0]).toMatchObject({
      path: '/alerts',
      contentType: 'application/json',
      body: { type: 'relais.booth_alert', state: 'start', rule: 'printer_down', booth: { id, name: 'Relais de Gramat' }, since: TUESDAY_10H, at: TUESDAY_10H + 10 * MIN },
    });

    now += MIN;
    b.send({ type: 'booth.health', health: health() });
    await waitFor(() => hub.fleet.counters.reports === 2);
    await hub.fleet.checkAlerts();
    await waitFor(() => smtp.count() === 2 && hooks.length === 2, 10_000, 'the end of the alert');
    expect(smtp.messages()[1]?.subject).toBe('Relais : imprimante de nouveau disponible à la borne « Relais de Gramat »');
    expect(smtp.messages()[1]?.body).toContain('après 11 min de panne');
    expect(hooks[1]?.body).toMatchObject({ state: 'end', rule: 'printer_down' });

    b.close();
    await waitFor(async () => (await hub.fleet.view()).booths[0]?.online === false);
    now += 15 * MIN;
    await hub.fleet.checkAlerts();
    await waitFor(() => logLines.filter((l) => l.code === 'FLEET_ALERT_MAILED').length === 3, 10_000, 'the offline e-mail');
    expect(smtp.messages()[2]?.subject).toBe('Relais : borne « Relais de Gramat » hors ligne');
    expect((await hub.fleet.alerts()).alerts.map((a) => a.rule)).toEqual(['offline']);
    expect(smtp.count()).toBe(3);
    // Nothing about visitors, nothing from the booth but its name and number.
    for (const m of smtp.messages()) expect(m.body).not.toMatch(/visiteu|usager|@/);
  });
});

describe('delivery failures', () => {
  const notice: AlertNotice = { state: 'start', rule: 'offline', boothId: 3, boothName: 'Mairie\r\nBcc: x@evil.example', since: TUESDAY_10H, at: TUESDAY_10H + 15 * MIN };

  it('logs a webhook that hangs (timeout) or answers 500, and an SMTP server that is down, with codes, and resolves', async () => {
    const lines: Array<{ code?: string; status?: number; err?: string }> = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as { code?: string }) });
    const hanging = createNotifier({ smtpUrl: 'smtp://127.0.0.1:1', alertTo: 'c@lot.example', webhookUrl: `${webhookUrl}/hang`, webhookTimeoutMs: 300, log });
    const started = Date.now();
    await hanging.notify(notice);
    expect(Date.now() - started).toBeLessThan(5_000);
    const failing = createNotifier({ smtpUrl: null, alertTo: null, webhookUrl: `${webhookUrl}/fail`, log });
    await failing.notify(notice);
    expect(lines.map((l) => l.code).sort()).toEqual(['FLEET_MAIL_FAILED', 'FLEET_WEBHOOK_FAILED', 'FLEET_WEBHOOK_FAILED']);
    expect(lines.find((l) => l.status === 500)).toBeDefined();
    expect(lines.find((l) => l.err === 'TimeoutError')).toBeDefined();
    hanging.close();
  });

  it('keeps a hostile booth name out of the headers', async () => {
    const n = createNotifier({ smtpUrl: smtp.url, alertTo: 'c@lot.example', webhookUrl: null, log: pino({ level: 'silent' }) });
    const before = smtp.messages().length;
    await n.notify(notice);
    n.close();
    const mail = smtp.messages()[before];
    expect(mail?.to).toBe('c@lot.example');
    expect(mail?.subject).toBe('Relais : borne « Mairie  Bcc: x@evil.example » hors ligne');
  });
});
