// The agent's iCalendar feed (server/appointments/ical.ts) over a real hub: parsed with Mozilla's ical.js, its times
// placed right on both sides of the October change; unknown, revoked and hostile paths answered 404, never a crash.
import ICAL from 'ical.js';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newIcalSecret } from '../../../../server/appointments/ical.js';
import { createAppointmentService, createSqliteAppointmentStore } from '../../../../server/appointments/index.js';
import { startHub, type RunningHub } from '../../../../server/hub.js';

const TUESDAY_20_OCT = Date.UTC(2026, 9, 20, 8);
let hub: RunningHub;
let secret: string;
let agentId: number;

beforeAll(async () => {
  hub = await startHub({ dbFile: ':memory:', clock: () => TUESDAY_20_OCT });
  agentId = hub.store.addAgent({ organisation: 'CAF', login: 'caf1', displayName: 'Agent CAF', passwordHash: 'x' }, TUESDAY_20_OCT);
  const boothId = hub.store.addBooth('Saint-Flour', TUESDAY_20_OCT).id;
  const store = createSqliteAppointmentStore(hub.store.db);
  const service = createAppointmentService({ store, clock: () => TUESDAY_20_OCT, newId: randomUUID });
  expect(await service.publish('CAF', agentId, { start: '2026-10-23T09:00', rule: 'FREQ=WEEKLY;BYDAY=MO,FR;COUNT=2', lengthMin: 30, capacity: 1, agents: ['caf1'] })).toMatchObject({ ok: true, slots: 2 });
  for (const [slot, note] of (await service.freeSlots('CAF', boothId, undefined, 2)).map((s, i) => [s, i === 0 ? 'Amina' : undefined] as const)) {
    expect(await service.book({ organisation: 'CAF', boothId, startsAt: slot.startsAt, subject: 'rsa', ...(note ? { note, noteConsent: true } : {}) })).toMatchObject({ ok: true });
  }
  const made = newIcalSecret();
  secret = made.secret;
  store.setIcalHash(agentId, made.hash);
});
afterAll(() => hub.close());

const get = (path: string, init?: RequestInit): Promise<Response> => fetch(`${hub.httpUrl}${path}`, init);

describe('the iCalendar feed of an agent', () => {
  it('parses, declares Europe/Paris, and places 09:00 on both sides of the October change', async () => {
    expect(secret.length).toBeGreaterThanOrEqual(43);
    const res = await get(`/agents/ical/${secret}.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    const calendar = new ICAL.Component(ICAL.parse(await res.text()));
    for (const tz of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
    const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events.map((e) => e.startDate.zone?.tzid)).toEqual(['Europe/Paris', 'Europe/Paris']);
    expect(events.map((e) => new Date(e.startDate.toJSDate().getTime()).toISOString())).toEqual(['2026-10-23T07:00:00.000Z', '2026-10-26T08:00:00.000Z']);
    expect(events.map((e) => e.endDate.toJSDate().getTime() - e.startDate.toJSDate().getTime())).toEqual([30 * 60_000, 30 * 60_000]);
    expect(events[0]?.description).toContain('Amina');
    expect(events[1]?.description).not.toContain('Note');
    expect(events[0]?.summary).toContain('RSA');
  });

  it('answers 404 to an unknown secret and to hostile paths, 405 to other methods, and keeps serving', async () => {
    const paths = [
      `/agents/ical/${'A'.repeat(43)}.ics`,
      '/agents/ical/',
      '/agents/ical/x.ics',
      '/agents/ical/../../hub.sqlite',
      '/agents/ical/%2e%2e%2fhub.sqlite.ics',
      `/agents/ical/${secret}.ics%00`,
      `/agents/ical/${secret}`,
      `/agents/ical/${'a'.repeat(8_000)}.ics`,
      `/agents/ical/${secret}.ics/..`,
    ];
    for (const p of paths) expect([400, 404], p).toContain((await get(p)).status);
    expect((await get(`/agents/ical/${secret}.ics`, { method: 'POST', body: 'x' })).status).toBe(405);
    expect((await get('/healthz')).status).toBe(200);
  });

  it('answers 404 once the secret is revoked, and a new secret replaces the old', async () => {
    const store = createSqliteAppointmentStore(hub.store.db);
    const next = newIcalSecret();
    store.setIcalHash(agentId, next.hash);
    expect((await get(`/agents/ical/${secret}.ics`)).status).toBe(404);
    expect((await get(`/agents/ical/${next.secret}.ics`)).status).toBe(200);
    store.setIcalHash(agentId, null);
    expect((await get(`/agents/ical/${next.secret}.ics`)).status).toBe(404);
    secret = next.secret;
  });
});
