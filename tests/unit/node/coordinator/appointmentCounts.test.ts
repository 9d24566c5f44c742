// GET /coordinator/api/appointments(.csv)?month=YYYY-MM over real loopback HTTP: the department's appointments of a Paris
// month per organisation (booked, honoured, « non honoré », cancelled), behind the coordinator's cookie, hostile months refused.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppointmentService, createSqliteAppointmentStore } from '../../../../server/appointments/index.js';
import { hashPassword } from '../../../../server/auth.js';
import { createCoordinatorStore } from '../../../../server/coordinator/index.js';
import { startHub, type RunningHub } from '../../../../server/hub.js';
import { AppointmentMonthCounts } from '../../../../shared/appointmentCounts.js';

/** Wednesday 25 November 2026, 10:00 in Paris. */
const START = Date.parse('2026-11-25T10:00:00+01:00');
const clock = { now: START };
let hub: RunningHub;
let cookie = '';

const get = (query: string, path = 'appointments', headers: Record<string, string> = { Cookie: cookie }) => fetch(`${hub.httpUrl}/coordinator/api/${path}${query}`, { headers });

beforeAll(async () => {
  hub = await startHub({ host: '127.0.0.1', port: 0, dbFile: ':memory:', clock: () => clock.now });
  const boothA = hub.store.addBooth('Relais de Gramat', START).id;
  const boothB = hub.store.addBooth('Relais de Figeac', START).id;
  createCoordinatorStore(hub.store.db).add('coord.lot', await hashPassword('mot-de-passe-lot'), START);
  const store = createSqliteAppointmentStore(hub.store.db);
  const service = createAppointmentService({ store, clock: () => clock.now, newId: randomUUID });
  const planner = (organisation: string) => hub.store.addAgent({ organisation, login: `planif.${organisation.toLowerCase()}`, displayName: 'Planif', passwordHash: 'x' }, START);
  // Daily 09:00 and 23:30 slots from Thursday 26 to Wednesday 2 December: 23:30 on 30 November is still November in Paris.
  for (const organisation of ['CAF', 'CPAM']) {
    const r = await service.publish(organisation, planner(organisation), { start: '2026-11-26T09:00', rule: 'FREQ=DAILY;COUNT=28;BYHOUR=9,23;BYMINUTE=0,30', lengthMin: 20, capacity: 3, onHolidays: true });
    expect(r.ok).toBe(true);
  }
  const at = (iso: string) => Date.parse(iso);
  const book = async (organisation: string, boothId: number, startsAt: number, subject: string) => {
    const r = await service.book({ organisation, boothId, startsAt, subject });
    if (!r.ok) throw new Error(`booking refused: ${r.code}`);
    return r.appointment;
  };
  const honoured = await book('CAF', boothA, at('2026-11-26T09:00:00+01:00'), 'rsa');
  await book('CAF', boothB, at('2026-11-26T09:00:00+01:00'), 'logement'); // never joined: « non honoré »
  const cancelled = await book('CAF', boothA, at('2026-11-27T09:00:00+01:00'), 'famille');
  await book('CAF', boothA, at('2026-11-30T23:30:00+01:00'), 'rsa'); // the last half hour of November, still to come
  await book('CAF', boothB, at('2026-12-01T09:00:00+01:00'), 'rsa'); // December
  const cpam = await book('CPAM', boothB, at('2026-11-26T09:30:00+01:00'), 'droits');
  expect(await service.cancel(cancelled.id, boothA)).toMatchObject({ status: 'cancelled' });
  clock.now = at('2026-11-26T09:05:00+01:00');
  expect(store.honour(honoured.id, clock.now)).toBe(true);
  clock.now = at('2026-11-26T09:35:00+01:00');
  expect(store.honour(cpam.id, clock.now)).toBe(true);
  // A cancellation after the honour changes nothing: the call took place.
  expect('ok' in await service.cancel(cpam.id, boothB)).toBe(true);
  clock.now = at('2026-11-26T12:00:00+01:00');
  await service.sweep();
  const r = await fetch(`${hub.httpUrl}/coordinator/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: 'coord.lot', password: 'mot-de-passe-lot' }) });
  expect(r.status).toBe(200);
  cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
});
afterAll(async () => {
  await hub.close();
});

describe('the department’s appointments per organisation', () => {
  it('cannot be read without signing in', async () => {
    expect((await get('?month=2026-11', 'appointments', {})).status).toBe(401);
    expect((await get('?month=2026-11', 'appointments.csv', {})).status).toBe(401);
  });

  it('counts a Paris month: booked whatever became of it, honoured, « non honoré », cancelled; December apart', async () => {
    const r = await get('?month=2026-11');
    expect(r.status).toBe(200);
    const body = AppointmentMonthCounts.parse(await r.json());
    expect(body.rows).toEqual([
      { organisation: 'CAF', counts: { booked: 4, honoured: 1, missed: 1, cancelled: 1 } },
      { organisation: 'CPAM', counts: { booked: 1, honoured: 1, missed: 0, cancelled: 0 } },
    ]);
    expect(body.totals).toEqual({ booked: 5, honoured: 2, missed: 1, cancelled: 1 });
    const december = AppointmentMonthCounts.parse(await (await get('?month=2026-12')).json());
    expect(december.rows).toEqual([{ organisation: 'CAF', counts: { booked: 1, honoured: 0, missed: 0, cancelled: 0 } }]);
  });

  it('answers the current Paris month when none is asked', async () => {
    const body = AppointmentMonthCounts.parse(await (await get('')).json());
    expect(body.month).toBe('2026-11');
  });

  it('exports the month as CSV: BOM, French headers, one line per organisation and the total', async () => {
    const r = await get('?month=2026-11', 'appointments.csv');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(r.headers.get('content-disposition')).toBe('attachment; filename="rendez-vous_2026-11.csv"');
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await r.arrayBuffer());
    expect(text).toBe('\uFEFFOrganisme;Pris;Honorés;Non honorés;Annulés\r\nCAF;4;1;1;1\r\nCPAM;1;1;0;0\r\nTotal;5;2;1;1\r\n');
  });

  it.each([
    ['not a month', '?month=novembre'],
    ['month 13', '?month=2026-13'],
    ['month 00', '?month=2026-00'],
    ['a day', '?month=2026-11-01'],
    ['a year far off', '?month=9999-12'],
    ['a negative year', '?month=-2026-11'],
    ['SQL', `?month=${encodeURIComponent("2026-11' OR 1=1 --")}`],
    ['script', `?month=${encodeURIComponent('<script>alert(1)</script>')}`],
    ['two months', '?month=2026-11&month=2026-12'],
    ['an empty month', '?month='],
    ['a long value', `?month=${'9'.repeat(7_000)}`],
    ['bad percent-encoding', '?month=%E0%A4%A'],
    ['a NUL byte', '?month=2026-11%00'],
  ])('refuses %s with 400 and a French message', async (_name, query) => {
    const r = await get(query);
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ error: 'INVALID_MONTH', message: expect.stringMatching(/^Mois invalide/) });
    expect((await get(query, 'appointments.csv')).status).toBe(400);
  });

  it('refuses a request target too large for the HTTP parser (431) without stopping', async () => {
    expect((await get(`?month=${'9'.repeat(100_000)}`)).status).toBe(431);
  });

  it('still answers after the hostile requests, and refuses other methods', async () => {
    expect((await get('?month=2026-11')).status).toBe(200);
    expect((await fetch(`${hub.httpUrl}/coordinator/api/appointments?month=2026-11`, { method: 'POST', headers: { Cookie: cookie } })).status).toBe(405);
  });
});
