// The alert settings given to `npm run hub` (server/fleet/cliOptions.ts): what is usable passes, the rest is refused
// with a French message before the hub starts.
import { describe, expect, it } from 'vitest';
import { fleetOptionsOf } from '../../../../server/fleet/cliOptions.js';

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
});
