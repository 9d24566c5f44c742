// Appointments over a real hub on loopback: a planner publishes, booths book (one gets the last place, the other the
// next slots), the agent lists the day, a closure tells booth and agent, a cancellation frees, a missed one is told.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteAppointmentStore } from '../../../../server/appointments/index.js';
import { hashPassword } from '../../../../server/auth.js';
import { startHub, type RunningHub } from '../../../../server/hub.js';
import { agent, booth, type RawClient } from '../hub/helpers.js';
import { MONDAY_8H } from './fixture.js';

let hub: RunningHub;
let now = MONDAY_8H;
const clients: RawClient[] = [];
const track = (c: RawClient): RawClient => (clients.push(c), c);

beforeEach(async () => {
  now = MONDAY_8H;
  hub = await startHub({ dbFile: ':memory:', clock: () => now, revocationPollMs: 50 });
  const hash = await hashPassword('mot-de-passe');
  const planner = hub.store.addAgent({ organisation: 'CAF', login: 'planif', displayName: 'Planificatrice CAF', passwordHash: hash }, now);
  hub.store.addAgent({ organisation: 'CAF', login: 'caf1', displayName: 'Agent CAF', passwordHash: hash }, now);
  createSqliteAppointmentStore(hub.store.db).setPlanner(planner, true);
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await hub.close();
});

async function setUp() {
  const planner = track(await agent(hub.url, 'planif', 'mot-de-passe', false));
  const caf1 = track(await agent(hub.url, 'caf1', 'mot-de-passe', false));
  const b1 = track(await booth(hub.url, hub.store.addBooth('Saint-Flour', now).token));
  const b2 = track(await booth(hub.url, hub.store.addBooth('Murat', now).token));
  planner.send({ type: 'slots.publish', series: { start: '2026-06-01T10:00', rule: 'FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=5', lengthMin: 30, capacity: 1, agents: ['caf1'] } });
  const published = await planner.next('slots.published');
  return { planner, caf1, b1, b2, published };
}

describe('appointments over the hub', () => {
  it('lets a planner publish, and refuses publishing to a booth and to an agent without the right', async () => {
    const { caf1, b1, published } = await setUp();
    expect(published).toMatchObject({ slots: 5, truncated: false, shifted: [] });
    caf1.send({ type: 'slots.publish', series: { start: '2026-06-01T10:00', lengthMin: 30, capacity: 1 } });
    expect((await caf1.next('error')).code).toBe('FORBIDDEN');
    caf1.send({ type: 'slots.list' });
    expect((await caf1.next('error')).code).toBe('FORBIDDEN');
    b1.send({ type: 'slots.publish', series: { start: '2026-06-01T10:00', lengthMin: 30, capacity: 1 } });
    expect((await b1.next('error')).code).toBe('FORBIDDEN');
    b1.send({ type: 'appointments.list', range: 'day' });
    expect((await b1.next('error')).code).toBe('FORBIDDEN');
  });

  it('books the last place for one booth, offers the other the next slots, and shows the agent the day with the note', async () => {
    const { caf1, b1, b2 } = await setUp();
    b1.send({ type: 'appointment.slots', organisation: 'CAF', limit: 3 });
    const offer = await b1.next('appointment.slots');
    expect(offer.subjects.map((s) => s.code)).toContain('rsa');
    expect(offer.slots).toHaveLength(3);
    const [first, second] = offer.slots;
    b1.send({ type: 'appointment.book', organisation: 'CAF', startsAt: first?.startsAt, subject: 'rsa', note: 'Amina', noteConsent: true });
    b2.send({ type: 'appointment.book', organisation: 'CAF', startsAt: first?.startsAt, subject: 'logement' });
    const booked = await b1.next('appointment.booked');
    expect(booked.appointment).toMatchObject({ organisation: 'CAF', startsAt: first?.startsAt, subject: 'rsa', status: 'booked' });
    expect(booked.bring.length).toBeGreaterThan(0);
    const refused = await b2.next('appointment.refused');
    expect(refused.code).toBe('SLOT_TAKEN');
    expect(refused.next[0]?.startsAt).toBe(second?.startsAt);
    const told = await caf1.next('appointments.changed');
    expect(told).toMatchObject({ reason: 'booked', appointment: { siteName: 'Saint-Flour', note: 'Amina', subjectLabel: 'RSA et prime d’activité' } });
    caf1.send({ type: 'appointments.list', range: 'day' });
    const day = await caf1.next('appointments.list');
    expect(day.appointments.map((a) => [a.id, a.note])).toEqual([[booked.appointment.id, 'Amina']]);
    caf1.send({ type: 'appointments.list', range: 'week' });
    expect((await caf1.next('appointments.list')).to - day.from).toBe(7 * 86_400_000);
  });

  it('tells the booth and the agent when the organisation closes a booked day, and when the booth cancels', async () => {
    const { planner, caf1, b1 } = await setUp();
    b1.send({ type: 'appointment.slots', organisation: 'CAF', limit: 2 });
    const [monday, tuesday] = (await b1.next('appointment.slots')).slots;
    b1.send({ type: 'appointment.book', organisation: 'CAF', startsAt: monday?.startsAt, subject: 'rsa' });
    const first = (await b1.next('appointment.booked')).appointment;
    b1.send({ type: 'appointment.book', organisation: 'CAF', startsAt: tuesday?.startsAt, subject: 'rsa' });
    const second = (await b1.next('appointment.booked')).appointment;
    planner.send({ type: 'slots.close', close: { kind: 'days', from: '2026-06-01', to: '2026-06-01', reason: 'Grève' } });
    const closed = await planner.next('slots.closed');
    expect(closed.affected.map((a) => a.id)).toEqual([first.id]);
    expect(await b1.next('appointment.changed')).toMatchObject({ reason: 'cancelled_by_organisation', appointment: { id: first.id, status: 'closed' } });
    expect(await caf1.next('appointments.changed', (f) => f.reason === 'cancelled_by_organisation')).toMatchObject({ appointment: { id: first.id } });
    b1.send({ type: 'appointment.mine' });
    expect((await b1.next('appointment.mine')).appointments.map((a) => [a.id, a.status])).toEqual([[second.id, 'booked']]);
    b1.send({ type: 'appointment.cancel', appointmentId: second.id });
    expect(await b1.next('appointment.changed')).toMatchObject({ reason: 'cancelled_by_booth', appointment: { id: second.id, status: 'cancelled' } });
    b1.send({ type: 'appointment.cancel', appointmentId: second.id });
    expect((await b1.next('appointment.refused')).code).toBe('UNKNOWN_APPOINTMENT');
    planner.send({ type: 'slots.list' });
    const list = await planner.next('slots.list');
    expect(list.closures).toEqual([{ from: '2026-06-01', to: '2026-06-01', reason: 'Grève' }]);
    expect(list.series[0]).toMatchObject({ agents: ['caf1'], upcoming: 4, booked: 0 });
  });

  it('marks « non honoré » after the grace time and tells both sides', async () => {
    const { caf1, b1 } = await setUp();
    b1.send({ type: 'appointment.slots', organisation: 'CAF', limit: 1 });
    const [slot] = (await b1.next('appointment.slots')).slots;
    b1.send({ type: 'appointment.book', organisation: 'CAF', startsAt: slot?.startsAt, subject: 'rsa' });
    await b1.next('appointment.booked');
    now = (slot?.startsAt ?? 0) + 16 * 60_000;
    expect(await b1.next('appointment.changed')).toMatchObject({ reason: 'missed', appointment: { status: 'missed' } });
    expect(await caf1.next('appointments.changed', (f) => f.reason === 'missed')).toMatchObject({ appointment: { status: 'missed' } });
  });

  it('answers hostile appointment frames with a refusal or an error, and keeps serving', async () => {
    const { planner, b1 } = await setUp();
    const bad: Array<[RawClient, unknown]> = [
      [b1, { type: 'appointment.book', organisation: 'CAF', startsAt: -1, subject: 'rsa' }],
      [b1, { type: 'appointment.book', organisation: 'CAF', startsAt: 1, subject: 'rsa', note: 'x'.repeat(10 * 1024), noteConsent: true }],
      [b1, { type: 'appointment.slots', organisation: 'CAF', limit: 1e9 }],
      [b1, { type: 'appointment.cancel', appointmentId: '' }],
      [planner, { type: 'slots.publish', series: { start: '2026-06-01T10:00', lengthMin: 30, capacity: -1 } }],
      [planner, { type: 'slots.publish', series: { start: '2026-06-01T10:00', rule: 'FREQ=DAILY;'.repeat(500), lengthMin: 30, capacity: 1 } }],
      [planner, { type: 'slots.close', close: { kind: 'series', seriesId: 'x' } }],
    ];
    for (const [c, frame] of bad) c.send(frame);
    const errors = [...(await Promise.all(Array.from({ length: 4 }, () => b1.next('error')))), ...(await Promise.all(Array.from({ length: 3 }, () => planner.next('error'))))];
    expect(errors.every((e) => e.code === 'BAD_FRAME')).toBe(true);
    const refusals: Array<[unknown, string]> = [
      [{ type: 'slots.publish', series: { start: '2026-06-01T10:00', rule: 'FREQ=SECONDLY', lengthMin: 30, capacity: 1 } }, 'BAD_RULE'],
      [{ type: 'slots.publish', series: { start: '2026-06-01T10:00', lengthMin: 30, capacity: 1, timeZone: 'Mars/Olympus' } }, 'BAD_TIME_ZONE'],
      [{ type: 'slots.publish', series: { start: '2026-05-01T10:00', lengthMin: 30, capacity: 1 } }, 'NO_SLOT'],
      [{ type: 'slots.close', close: { kind: 'series', seriesId: 999 } }, 'UNKNOWN_SERIES'],
    ];
    for (const [frame, code] of refusals) {
      planner.send(frame);
      expect((await planner.next('appointment.refused')).code).toBe(code);
    }
    b1.send({ type: 'appointment.book', organisation: 'CAF', startsAt: MONDAY_8H + 3_600_000, subject: 'rsa', note: 'A\u0007', noteConsent: true });
    expect((await b1.next('appointment.refused')).code).toBe('BAD_NOTE');
    b1.send({ type: 'ping', t: 1 });
    expect((await b1.next('pong')).t).toBe(1);
  });

  it('rings the holding agent for the booth’s call at the time, and marks the appointment honoured once answered', async () => {
    const { caf1, b1 } = await setUp();
    hub.store.addAgent({ organisation: 'CAF', login: 'caf2', displayName: 'Autre agent', passwordHash: await hashPassword('mot-de-passe') }, now);
    const caf2 = track(await agent(hub.url, 'caf2', 'mot-de-passe', false));
    for (const a of [caf1, caf2]) {
      a.send({ type: 'agent.status', status: 'available' });
      a.send({ type: 'ping', t: 7 });
      await a.next('pong');
    }
    b1.send({ type: 'appointment.slots', organisation: 'CAF', limit: 1 });
    const [slot] = (await b1.next('appointment.slots')).slots;
    b1.send({ type: 'appointment.book', organisation: 'CAF', startsAt: slot?.startsAt, subject: 'rsa' });
    const appointment = (await b1.next('appointment.booked')).appointment;
    now = appointment.startsAt - 20 * 60_000;
    b1.send({ type: 'call.request', organisation: 'CAF', appointmentId: appointment.id });
    expect((await b1.next('error')).code).toBe('UNKNOWN_APPOINTMENT');
    now = appointment.startsAt - 5 * 60_000;
    b1.send({ type: 'call.request', organisation: 'CAF', appointmentId: appointment.id });
    const ring = await caf1.next('call.ringing');
    expect(ring.appointmentId).toBe(appointment.id);
    caf1.send({ type: 'call.accept', callId: ring.callId });
    await b1.next('call.accepted');
    expect(await b1.next('appointment.changed')).toMatchObject({ reason: 'honoured', appointment: { id: appointment.id, status: 'honoured' } });
    expect(caf2.frames.some((f) => f.type === 'call.ringing')).toBe(false);
    expect(createSqliteAppointmentStore(hub.store.db).byId(appointment.id)?.status).toBe('honoured');
    caf1.send({ type: 'call.hangup', callId: ring.callId });
    await b1.next('call.ended');
    b1.send({ type: 'call.request', organisation: 'CAF', appointmentId: appointment.id });
    expect((await b1.next('error')).code).toBe('UNKNOWN_APPOINTMENT');
  });

  it('gives an agent a new calendar address of its own over the socket, the previous one cut, and revokes it', async () => {
    const { caf1, b1, planner } = await setUp();
    caf1.send({ type: 'appointments.ical', action: 'new' });
    const first = (await caf1.next('appointments.ical')).path;
    expect(first).toMatch(/^\/agents\/ical\/[A-Za-z0-9_-]{43}\.ics$/);
    const feed = await fetch(`${hub.httpUrl}${first}`);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain('BEGIN:VCALENDAR');
    caf1.send({ type: 'appointments.ical', action: 'new' });
    const second = (await caf1.next('appointments.ical')).path;
    expect(second).not.toBe(first);
    expect((await fetch(`${hub.httpUrl}${first}`)).status).toBe(404);
    expect((await fetch(`${hub.httpUrl}${second}`)).status).toBe(200);
    // Another agent's address is its own: the planner's renewal leaves caf1's alone.
    planner.send({ type: 'appointments.ical', action: 'new' });
    await planner.next('appointments.ical');
    expect((await fetch(`${hub.httpUrl}${second}`)).status).toBe(200);
    caf1.send({ type: 'appointments.ical', action: 'revoke' });
    expect((await caf1.next('appointments.ical')).path).toBeNull();
    expect((await fetch(`${hub.httpUrl}${second}`)).status).toBe(404);
    // A booth has no calendar; hostile actions are bad frames; the socket keeps serving.
    b1.send({ type: 'appointments.ical', action: 'new' });
    expect((await b1.next('error')).code).toBe('FORBIDDEN');
    for (const action of ['delete', '', null, 7, { $ne: 1 }, 'new'.repeat(1000)]) {
      caf1.send({ type: 'appointments.ical', action });
      expect((await caf1.next('error')).code).toBe('BAD_FRAME');
    }
    caf1.send({ type: 'appointments.ical', action: 'new', agentId: 1 });
    expect((await caf1.next('error')).code).toBe('BAD_FRAME');
    caf1.send({ type: 'ping', t: 3 });
    expect((await caf1.next('pong')).t).toBe(3);
  });
});
