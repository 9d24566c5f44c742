// `appointment.mine` with `since` over a real hub on loopback (issue 19's counts): the booth gets back what became of its
// appointments once over (honoured, « non honoré », cancelled), never another booth's; hostile `since` values are refused
// as bad frames and the socket keeps answering.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppointmentService, createSqliteAppointmentStore } from '../../../../server/appointments/index.js';
import { startHub, type RunningHub } from '../../../../server/hub.js';
import { MINE_SINCE_MAX_MS } from '../../../../shared/appointments.js';
import { booth, type RawClient } from '../hub/helpers.js';
import { MONDAY_8H } from './fixture.js';

let hub: RunningHub;
let now = MONDAY_8H;
const clients: RawClient[] = [];

beforeEach(async () => {
  now = MONDAY_8H;
  hub = await startHub({ dbFile: ':memory:', clock: () => now });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await hub.close();
});

/** Booth 1: Monday honoured, Tuesday missed, Wednesday cancelled, Thursday to come; booth 2: Monday. */
async function seed() {
  const store = createSqliteAppointmentStore(hub.store.db);
  const service = createAppointmentService({ store, clock: () => now, newId: () => `a${Math.random().toString(36).slice(2, 10)}` });
  const planner = hub.store.addAgent({ organisation: 'CAF', login: 'planif', displayName: 'Planif', passwordHash: 'x' }, now);
  const b1 = hub.store.addBooth('Saint-Flour', now);
  const b2 = hub.store.addBooth('Murat', now);
  expect((await service.publish('CAF', planner, { start: '2026-06-01T10:00', rule: 'FREQ=DAILY;COUNT=5', lengthMin: 30, capacity: 2 })).ok).toBe(true);
  const day = (n: number) => MONDAY_8H + 2 * 3_600_000 + n * 86_400_000;
  const book = async (boothId: number, n: number) => {
    const r = await service.book({ organisation: 'CAF', boothId, startsAt: day(n), subject: 'rsa' });
    if (!r.ok) throw new Error(r.code);
    return r.appointment.id;
  };
  const ids = { honoured: await book(b1.id, 0), missed: await book(b1.id, 1), cancelled: await book(b1.id, 2), coming: await book(b1.id, 3), other: await book(b2.id, 0) };
  await service.cancel(ids.cancelled, b1.id);
  now = day(0) + 5 * 60_000;
  store.honour(ids.honoured, now);
  now = day(2) + 9 * 3_600_000; // Wednesday evening: Tuesday's is « non honoré »
  await service.sweep();
  return { b1, ids };
}

describe('appointment.mine with since', () => {
  it('gives the booth its appointments ending from then on, whatever became of them; without since, only those not over', async () => {
    const { b1, ids } = await seed();
    const c = await booth(hub.url, b1.token);
    clients.push(c);
    c.send({ type: 'appointment.mine', since: MONDAY_8H - 86_400_000 });
    const all = await c.next('appointment.mine');
    expect(all.appointments.map((a) => [a.id, a.status])).toEqual([
      [ids.honoured, 'honoured'],
      [ids.missed, 'missed'],
      [ids.cancelled, 'cancelled'],
      [ids.coming, 'booked'],
    ]);
    c.send({ type: 'appointment.mine' });
    expect((await c.next('appointment.mine')).appointments.map((a) => a.id)).toEqual([ids.coming]);
  });

  it('reaches back no further than the kiosk keeps its appointments', async () => {
    const { b1, ids } = await seed();
    now = MONDAY_8H + MINE_SINCE_MAX_MS + 2 * 86_400_000;
    const c = await booth(hub.url, b1.token);
    clients.push(c);
    // 400 days and 2 more later: since 0 reaches back to Wednesday 8:00 only (Monday's and Tuesday's are left out).
    c.send({ type: 'appointment.mine', since: 0 });
    expect((await c.next('appointment.mine')).appointments.map((a) => a.id)).toEqual([ids.cancelled, ids.coming]);
  });

  it.each([
    ['a negative since', -1],
    ['a fractional since', 1.5],
    ['a text since', '2026-06-01'],
    ['a huge since', 1e300],
    ['a null since', null],
    ['an object since', { $gt: 0 }],
  ])('refuses %s as a bad frame and keeps answering', async (_what, since) => {
    const { b1, ids } = await seed();
    const c = await booth(hub.url, b1.token);
    clients.push(c);
    c.send({ type: 'appointment.mine', since });
    expect((await c.next('error')).code).toBe('BAD_FRAME');
    c.send({ type: 'appointment.mine', since: MONDAY_8H, extra: 'x' });
    expect((await c.next('error')).code).toBe('BAD_FRAME');
    c.send({ type: 'appointment.mine' });
    expect((await c.next('appointment.mine')).appointments.map((a) => a.id)).toEqual([ids.coming]);
  });
});
