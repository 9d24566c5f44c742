// The alert settings given to `npm run hub` (server/fleet/cliOptions.ts): what is usable passes, the rest is refused
// with a French message before the hub starts.
import { describe, expect, it } from 'vitest';
import { fleetOptionsOf } from '../../../../server/fleet/cliOptions.js';
import { alertCheckMs } from '../../../../server/fleet/hubFleet.js';

describe('alert settings', () => {
  it('takes SMTP with its recipients, a webhook and an expected version', () => {
    expect(
      fleetOptionsOf({ smtpUrl: 'smtps://relais:secret@smtp.lot.fr:465', alertTo: 'a@lot.fr, b@lot.fr', webhookUrl: 'https://chat.lot.fr/hooks/x', expectedVersion: '1.4.0' }),
    ).toEqual({ smtpUrl: 'smtps://relais:secret@smtp.lot.fr:465', alertTo: 'a@lot.fr, b@lot.fr', webhookUrl: 'https://chat.lot.fr/hooks/x', expectedVersion: '1.4.0' });
    expect(fleetOptionsOf({})).toEqual({});
  });

  it('refuses hostile or half-given settings with a French message', () => {
    const refused: Array<Parameters<typeof fleetOptionsOf>[0]> = [
      { smtpUrl: 'http://smtp.lot.fr', alertTo: 'a@lot.fr' },
      { smtpUrl: 'not a url', alertTo: 'a@lot.fr' },
      { smtpUrl: 'smtp://smtp.lot.fr' },
      { alertTo: 'a@lot.fr' },
      { smtpUrl: 'smtp://smtp.lot.fr', alertTo: 'a@lot.fr\r\nBcc: x@evil.example' },
      { smtpUrl: 'smtp://smtp.lot.fr', alertTo: 'personne' },
      { smtpUrl: 'smtp://smtp.lot.fr', alertTo: Array(30).fill('a@lot.fr').join(',') },
      { smtpUrl: 'smtp://smtp.lot.fr', alertTo: 'a@lot.fr', alertFrom: 'Relais\r\nBcc: x@evil.example' },
      { webhookUrl: 'file:///etc/passwd' },
      { webhookUrl: 'javascript:alert(1)' },
      { expectedVersion: 'latest' },
      { expectedVersion: '1.4' },
    ];
    for (const raw of refused) {
      const r = fleetOptionsOf(raw);
      expect(typeof r, JSON.stringify(raw)).toBe('string');
      expect(r).toMatch(/invalide|sans/);
    }
  });

  it('takes the alert delays in milliseconds, from 1 s to a week, and keeps the defaults when not given', () => {
    expect(fleetOptionsOf({ printerAlertMs: '2000', offlineAlertMs: '900000' })).toEqual({ printerAlertMs: 2_000, offlineAlertMs: 900_000 });
    expect(fleetOptionsOf({ printerAlertMs: '1000', offlineAlertMs: String(7 * 86_400_000) })).toEqual({ printerAlertMs: 1_000, offlineAlertMs: 7 * 86_400_000 });
    // Unset or empty (an environment variable left blank): the default delays.
    expect(fleetOptionsOf({ printerAlertMs: undefined, offlineAlertMs: '' })).toEqual({});
  });

  it('refuses hostile alert delays with a French message', () => {
    const hostile = ['0', '999', '-5000', '1e4', '0x10', '2000.5', ' 2000', '2000 ', '+2000', 'Infinity', 'NaN', 'abc', '١٢٣٤٥', String(7 * 86_400_000 + 1), '99999999999999999999', '2000\n', '2000; rm -rf /'];
    for (const text of hostile) {
      for (const key of ['printerAlertMs', 'offlineAlertMs'] as const) {
        const r = fleetOptionsOf({ [key]: text });
        expect(typeof r, `${key}=${JSON.stringify(text)}`).toBe('string');
        expect(r).toMatch(/^Délai de l'alerte « (hors ligne|imprimante en panne) » invalide/);
      }
    }
    // The message quotes the input bounded.
    expect((fleetOptionsOf({ printerAlertMs: 'x'.repeat(10_000) }) as string).length).toBeLessThan(200);
  });

  it('checks alerts often enough for the delays: every 30 s by default, a quarter of a short delay, never below 250 ms', () => {
    expect(alertCheckMs({ offlineMs: 15 * 60_000, printerMs: 10 * 60_000 })).toBe(30_000);
    expect(alertCheckMs({ offlineMs: 15 * 60_000, printerMs: 2_000 })).toBe(500);
    expect(alertCheckMs({ offlineMs: 1_000, printerMs: 1_000 })).toBe(250);
  });
});
