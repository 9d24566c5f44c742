// Enrolment codes and their store: the alphabet a person can type, the hash kept instead of the code, 24 h validity,
// single use, a new code replacing the old, and a revoked booth's code refused.
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import {
  ENROLMENT_ALPHABET,
  ENROLMENT_TTL_MS,
  formatEnrolmentCode,
  hashEnrolmentCode,
  newEnrolmentCode,
  normaliseEnrolmentCode,
} from '../../../../server/enrolment/codes.js';
import { createEnrolmentStore } from '../../../../server/enrolment/store.js';
import { createHubStore, openHubDb } from '../../../../server/store.js';
import { createEnrolRoute } from '../../../../server/enrolment/routes.js';

const NOW = Date.parse('2026-03-02T09:00:00Z');
const fresh = () => {
  const hub = createHubStore(openHubDb(':memory:'));
  return { hub, enrolments: createEnrolmentStore(hub) };
};

describe('enrolment codes', () => {
  it('draws 8 symbols from an alphabet without 0/O, 1/I/L or U/V, shown in two groups of four', () => {
    for (const c of ['0', 'O', '1', 'I', 'L', 'U', 'V']) expect(ENROLMENT_ALPHABET).not.toContain(c);
    const codes = new Set(Array.from({ length: 200 }, () => newEnrolmentCode()));
    expect(codes.size).toBe(200);
    for (const code of codes) expect(code).toMatch(/^[2-9A-HJKMNP-TW-Z]{8}$/);
    expect(formatEnrolmentCode('ABCDEFGH')).toBe('ABCD-EFGH');
  });

  it('reads what a person typed whatever the case, spaces and dashes; refuses what cannot be a code', () => {
    expect(normaliseEnrolmentCode(' abcd-efgh ')).toBe('ABCDEFGH');
    expect(normaliseEnrolmentCode('AB CD EF GH')).toBe('ABCDEFGH');
    for (const bad of ['', 'ABCDEFG', 'ABCDEFGHJ', 'ABCD-EFG0', 'ABCDEFGI', 'ÀBCDEFGH', 'A'.repeat(100), 'ABCD\u0000EFGH']) expect(normaliseEnrolmentCode(bad)).toBeNull();
  });

  it('keeps only the hash of a code, never the code itself', () => {
    const { hub, enrolments } = fresh();
    const created = enrolments.create('Mairie de Gramat', 'Gramat', NOW);
    expect(created.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const plain = normaliseEnrolmentCode(created.code) ?? '';
    const dump = JSON.stringify(hub.db.prepare('SELECT * FROM booth_enrolments').all());
    expect(dump).not.toContain(plain);
    expect(dump).toContain(hashEnrolmentCode(plain));
    expect(enrolments.pending()).toEqual([{ boothId: created.boothId, name: 'Mairie de Gramat', commune: 'Gramat', expiresAt: NOW + ENROLMENT_TTL_MS }]);
  });
});

describe('redeeming a code', () => {
  it('gives a working booth token once; a second use is ENROL_CODE_USED', () => {
    const { hub, enrolments } = fresh();
    const created = enrolments.create('Mairie de Gramat', 'Gramat', NOW);
    const code = normaliseEnrolmentCode(created.code) ?? '';
    const first = enrolments.redeem(code, NOW + 1_000);
    if (!first.ok) throw new Error(first.error);
    expect(first.token).toMatch(/^rb_/);
    expect(hub.boothByToken(first.token)).toMatchObject({ id: created.boothId, name: 'Mairie de Gramat', revoked: false });
    expect(enrolments.redeem(code, NOW + 2_000)).toEqual({ ok: false, error: 'ENROL_CODE_USED' });
    expect(enrolments.pending()).toEqual([]);
  });

  it('is good for 24 hours: refused ENROL_CODE_EXPIRED from the 24th hour on', () => {
    const { enrolments } = fresh();
    const a = normaliseEnrolmentCode(enrolments.create('A', 'Figeac', NOW).code) ?? '';
    const b = normaliseEnrolmentCode(enrolments.create('B', 'Figeac', NOW).code) ?? '';
    expect(enrolments.redeem(a, NOW + ENROLMENT_TTL_MS)).toEqual({ ok: false, error: 'ENROL_CODE_EXPIRED' });
    expect(enrolments.redeem(b, NOW + ENROLMENT_TTL_MS - 1).ok).toBe(true);
  });

  it('refuses an unknown code, and the code of a booth revoked before it was used', () => {
    const { hub, enrolments } = fresh();
    expect(enrolments.redeem('ABCDEFGH', NOW)).toEqual({ ok: false, error: 'ENROL_CODE_UNKNOWN' });
    const created = enrolments.create('A', 'Figeac', NOW);
    hub.revokeBooth(created.boothId, NOW);
    expect(enrolments.redeem(normaliseEnrolmentCode(created.code) ?? '', NOW)).toEqual({ ok: false, error: 'ENROL_CODE_UNKNOWN' });
  });

  it('a new code replaces the old one for a booth not yet enrolled, and none is given once enrolled', () => {
    const { enrolments } = fresh();
    const created = enrolments.create('A', 'Figeac', NOW);
    const renewed = enrolments.renew(created.boothId, NOW + ENROLMENT_TTL_MS + 5);
    if (!renewed) throw new Error('renewed');
    expect(enrolments.redeem(normaliseEnrolmentCode(created.code) ?? '', NOW + ENROLMENT_TTL_MS + 10)).toEqual({ ok: false, error: 'ENROL_CODE_UNKNOWN' });
    expect(enrolments.redeem(normaliseEnrolmentCode(renewed.code) ?? '', NOW + ENROLMENT_TTL_MS + 10).ok).toBe(true);
    expect(enrolments.renew(created.boothId, NOW)).toBeNull();
    expect(enrolments.renew(4242, NOW)).toBeNull();
  });
});

describe('guesses per address', () => {
  it('answers 429 ENROL_TOO_MANY_ATTEMPTS past the limit of wrong codes from one address, until the window passes', async () => {
    let now = NOW;
    const route = createEnrolRoute({ enrolments: { redeem: () => ({ ok: false, error: 'ENROL_CODE_UNKNOWN' }) }, clock: () => now, logger: pino({ level: 'silent' }), limits: { perLogin: 100, perAddress: 3, windowMs: 60_000 } });
    const call = async (address: string): Promise<number> => {
      let status = 0;
      const body = Buffer.from(JSON.stringify({ code: 'ABCD-EFGH' }));
      const req = Object.assign((async function* () {
        yield body;
      })(), { method: 'POST', headers: {}, socket: { remoteAddress: address } });
      const res = { writeHead: (s: number) => ((status = s), res), end: () => res };
      await route(req as never, res as never, new URL('http://hub/api/enrol'));
      return status;
    };
    expect([await call('10.0.0.1'), await call('10.0.0.1'), await call('10.0.0.1')]).toEqual([404, 404, 404]);
    expect(await call('10.0.0.1')).toBe(429);
    expect(await call('10.0.0.2')).toBe(404);
    now += 60_001;
    expect(await call('10.0.0.1')).toBe(404);
  });
});
