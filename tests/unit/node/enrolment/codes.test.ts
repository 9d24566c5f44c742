// Enrolment codes and their store: the alphabet a person can type, the hash kept instead of the code, 24 h validity,
// single use, a new code replacing the old, and a revoked booth's code refused — on SQLite and on a real PostgreSQL,
// where several nodes may receive the same code at once.
import pg from 'pg';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import {
  ENROLMENT_ALPHABET,
  ENROLMENT_TTL_MS,
  formatEnrolmentCode,
  hashEnrolmentCode,
  newEnrolmentCode,
  normaliseEnrolmentCode,
} from '../../../../server/enrolment/codes.js';
import { createEnrolRoute } from '../../../../server/enrolment/routes.js';
import { createEnrolmentStore, type EnrolmentStore } from '../../../../server/enrolment/store.js';
import { postgresEnrolmentStore } from '../../../../server/sharedStore/postgresEnrolment.js';
import { createHubStore, openHubDb, sha256 } from '../../../../server/store.js';
import { postgresForFile } from '../../../support/postgresForFile.js';

const NOW = Date.parse('2026-03-02T09:00:00Z');

const postgres = postgresForFile();

/** An enrolment store, and what its database holds: every enrolment row as JSON, a booth by its token, a revocation. */
interface Opened {
  enrolments: EnrolmentStore;
  dump(): Promise<string>;
  boothByToken(token: string): Promise<{ id: number; name: string; revoked: boolean } | null>;
  revoke(id: number): Promise<void>;
}

async function openSqlite(): Promise<Opened> {
  const hub = createHubStore(openHubDb(':memory:'));
  postgres.onCleanup(async () => {
    hub.db.close();
  });
  return {
    enrolments: createEnrolmentStore(hub),
    dump: async () => JSON.stringify(hub.db.prepare('SELECT * FROM booth_enrolments').all()),
    boothByToken: async (token) => hub.boothByToken(token),
    revoke: async (id) => void hub.revokeBooth(id, NOW),
  };
}

async function openPostgres(): Promise<Opened & { url: string }> {
  const { url, stores: opened, sql } = await postgres.openStores();
  return {
    url,
    enrolments: opened.enrolment,
    dump: async () => JSON.stringify(await sql('SELECT * FROM booth_enrolments')),
    boothByToken: async (token) => {
      const b = await opened.store.boothByTokenHash(sha256(token));
      return b ? { id: b.id, name: b.name, revoked: b.revoked } : null;
    },
    revoke: async (id) => void (await opened.store.revokeBooth(id, NOW)),
  };
}

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

});

describe.each([
  ['SQLite', openSqlite],
  ['PostgreSQL', openPostgres],
])('the enrolment store on %s', (_name, open) => {
  it('keeps only the hash of a code, never the code itself', async () => {
    const { enrolments, ...db } = await open();
    const created = await enrolments.create('Mairie de Gramat', 'Gramat', NOW);
    expect(created.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const plain = normaliseEnrolmentCode(created.code) ?? '';
    const dump = await db.dump();
    expect(dump).not.toContain(plain);
    expect(dump).toContain(hashEnrolmentCode(plain));
    expect(await enrolments.pending()).toEqual([{ boothId: created.boothId, name: 'Mairie de Gramat', commune: 'Gramat', expiresAt: NOW + ENROLMENT_TTL_MS }]);
  });

  it('gives a working booth token once; a second use is ENROL_CODE_USED', async () => {
    const { enrolments, ...db } = await open();
    const created = await enrolments.create('Mairie de Gramat', 'Gramat', NOW);
    const code = normaliseEnrolmentCode(created.code) ?? '';
    const first = await enrolments.redeem(code, NOW + 1_000);
    if (!first.ok) throw new Error(first.error);
    expect(first.token).toMatch(/^rb_/);
    expect(await db.boothByToken(first.token)).toMatchObject({ id: created.boothId, name: 'Mairie de Gramat', revoked: false });
    expect(await enrolments.redeem(code, NOW + 2_000)).toEqual({ ok: false, error: 'ENROL_CODE_USED' });
    expect(await enrolments.pending()).toEqual([]);
  });

  it('is good for 24 hours: refused ENROL_CODE_EXPIRED from the 24th hour on', async () => {
    const { enrolments } = await open();
    const a = normaliseEnrolmentCode((await enrolments.create('A', 'Figeac', NOW)).code) ?? '';
    const b = normaliseEnrolmentCode((await enrolments.create('B', 'Figeac', NOW)).code) ?? '';
    expect(await enrolments.redeem(a, NOW + ENROLMENT_TTL_MS)).toEqual({ ok: false, error: 'ENROL_CODE_EXPIRED' });
    expect((await enrolments.redeem(b, NOW + ENROLMENT_TTL_MS - 1)).ok).toBe(true);
  });

  it('refuses an unknown code, and the code of a booth revoked before it was used', async () => {
    const { enrolments, ...db } = await open();
    expect(await enrolments.redeem('ABCDEFGH', NOW)).toEqual({ ok: false, error: 'ENROL_CODE_UNKNOWN' });
    const created = await enrolments.create('A', 'Figeac', NOW);
    await db.revoke(created.boothId);
    expect(await enrolments.redeem(normaliseEnrolmentCode(created.code) ?? '', NOW)).toEqual({ ok: false, error: 'ENROL_CODE_UNKNOWN' });
  });

  it('a new code replaces the old one for a booth not yet enrolled, and none is given once enrolled', async () => {
    const { enrolments } = await open();
    const created = await enrolments.create('A', 'Figeac', NOW);
    const renewed = await enrolments.renew(created.boothId, NOW + ENROLMENT_TTL_MS + 5);
    if (!renewed) throw new Error('renewed');
    expect(await enrolments.redeem(normaliseEnrolmentCode(created.code) ?? '', NOW + ENROLMENT_TTL_MS + 10)).toEqual({ ok: false, error: 'ENROL_CODE_UNKNOWN' });
    expect((await enrolments.redeem(normaliseEnrolmentCode(renewed.code) ?? '', NOW + ENROLMENT_TTL_MS + 10)).ok).toBe(true);
    expect(await enrolments.renew(created.boothId, NOW)).toBeNull();
    expect(await enrolments.renew(4242, NOW)).toBeNull();
  });
});

describe('the enrolment store on PostgreSQL, shared by nodes', () => {
  it('spends a code once when several nodes receive it at the same moment', async () => {
    const t = await openPostgres();
    const created = await t.enrolments.create('Mairie de Gramat', 'Gramat', NOW);
    const code = normaliseEnrolmentCode(created.code) ?? '';
    // Five nodes, each its own pool, redeeming together.
    const pools = Array.from({ length: 5 }, () => new pg.Pool({ connectionString: t.url, max: 1 }));
    postgres.onCleanup(async () => {
      await Promise.all(pools.map((p) => p.end()));
    });
    const results = await Promise.all(pools.map((p) => postgresEnrolmentStore(p).redeem(code, NOW + 1)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.error))).toEqual(Array(4).fill('ENROL_CODE_USED'));
    const winner = results.find((r) => r.ok);
    expect(winner?.ok && (await t.boothByToken(winner.token))).toMatchObject({ id: created.boothId });
  });

  it('draws another code when the one drawn is held by another booth, and leaves no booth behind a failed draw', async () => {
    const t = await openPostgres();
    const pool = new pg.Pool({ connectionString: t.url, max: 2 });
    postgres.onCleanup(() => pool.end());
    const drawn = ['ABCDEFGH', 'ABCDEFGH', 'ABCDEFGH', 'JKMNPQRS'];
    const store = postgresEnrolmentStore(pool, () => drawn.shift()!);
    const first = await store.create('A', 'Figeac', NOW);
    const second = await store.create('B', 'Figeac', NOW);
    expect([first.code, second.code]).toEqual(['ABCD-EFGH', 'JKMN-PQRS']);
    expect((await store.pending()).map((p) => p.name)).toEqual(['B', 'A']);
    const booths = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM booths')).rows[0]?.n;
    expect(booths).toBe(2);
  });

  it('answers a hostile booth id with nothing', async () => {
    const t = await openPostgres();
    for (const id of [0, -1, 2 ** 60, Number.NaN, 1.5]) expect(await t.enrolments.renew(id, NOW)).toBeNull();
  });
});

describe('guesses per address', () => {
  it('answers 429 ENROL_TOO_MANY_ATTEMPTS past the limit of wrong codes from one address, until the window passes', async () => {
    let now = NOW;
    const route = createEnrolRoute({ enrolments: { redeem: async () => ({ ok: false, error: 'ENROL_CODE_UNKNOWN' }) }, clock: () => now, logger: pino({ level: 'silent' }), limits: { perLogin: 100, perAddress: 3, windowMs: 60_000 } });
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
