// Over a real hub on loopback: an appointment's call that widens past its silent holder shows the other agent its time,
// subject and consented note (never logged); a planner lists the department's booths, a booth or another agent may not.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RingingAppointment } from '../../../../shared/appointments.js';
import { CallRinging } from '../../../../shared/protocol.js';
import { createEnrolmentStore } from '../../../../server/enrolment/index.js';
import { createSqliteAppointmentStore } from '../../../../server/appointments/index.js';
import { ringingDetails } from '../../../../server/appointments/frames.js';
import type { Appointment } from '../../../../server/appointments/store.js';
import { hashPassword } from '../../../../server/auth.js';
import { startHub, type RunningHub } from '../../../../server/hub.js';
import { agent, booth, type RawClient } from '../hub/helpers.js';
import { MONDAY_8H } from './fixture.js';

let hub: RunningHub;
let now = MONDAY_8H;
let logged = '';
let plannerId = 0;
const clients: RawClient[] = [];
const track = (c: RawClient): RawClient => (clients.push(c), c);

beforeEach(async () => {
  now = MONDAY_8H;
  logged = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logged += String(chunk);
      done();
    },
  });
  hub = await startHub({ dbFile: ':memory:', clock: () => now, ringTimeoutMs: 300, logger: pino({ level: 'trace' }, sink) });
  const hash = await hashPassword('mot-de-passe');
  plannerId = hub.store.addAgent({ organisation: 'CAF', login: 'planif', displayName: 'Planificatrice CAF', passwordHash: hash }, now);
  for (const login of ['caf1', 'caf2']) hub.store.addAgent({ organisation: 'CAF', login, displayName: login, passwordHash: hash }, now);
  createSqliteAppointmentStore(hub.store.db).setPlanner(plannerId, true);
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await hub.close();
});

async function available(c: RawClient): Promise<void> {
  c.send({ type: 'agent.status', status: 'available' });
  c.send({ type: 'ping', t: 3 });
  await c.next('pong');
}

describe('an appointment call rung on other agents', () => {
  it('shows the time, subject and consented note to the agent the call widens to, and never logs the note', async () => {
    const planner = track(await agent(hub.url, 'planif', 'mot-de-passe', false));
    const caf1 = track(await agent(hub.url, 'caf1', 'mot-de-passe', false));
    const caf2 = track(await agent(hub.url, 'caf2', 'mot-de-passe', false));
    const b1 = track(await booth(hub.url, hub.store.addBooth('Saint-Flour', now).token));
    planner.send({ type: 'slots.publish', series: { start: '2026-06-01T10:00', lengthMin: 30, capacity: 1, agents: ['caf1'] } });
    await planner.next('slots.published');
    await available(caf1);
    await available(caf2);
    b1.send({ type: 'appointment.slots', organisation: 'CAF', limit: 1 });
    const [slot] = (await b1.next('appointment.slots')).slots;
    b1.send({ type: 'appointment.book', organisation: 'CAF', startsAt: slot?.startsAt, subject: 'rsa', note: 'Amina', noteConsent: true });
    const booked = (await b1.next('appointment.booked')).appointment;
    now = booked.startsAt - 2 * 60_000;
    b1.send({ type: 'call.request', organisation: 'CAF', appointmentId: booked.id });
    const expected = { startsAt: booked.startsAt, subjectLabel: 'RSA et prime d’activité', note: 'Amina' };
    const holderRing = await caf1.next('call.ringing');
    expect(holderRing).toMatchObject({ appointmentId: booked.id, appointment: expected });
    // The holder does not answer within the ring time: the call widens to caf2, who never listed this appointment.
    expect(await caf1.next('call.withdrawn')).toMatchObject({ callId: holderRing.callId, reason: 'timeout' });
    const widened = await caf2.next('call.ringing');
    expect(widened).toMatchObject({ callId: holderRing.callId, appointmentId: booked.id, appointment: expected });
    caf2.send({ type: 'call.accept', callId: widened.callId });
    await b1.next('call.accepted');
    expect(await b1.next('appointment.changed')).toMatchObject({ reason: 'honoured' });
    expect(logged).toContain('APPOINTMENT_HONOURED');
    expect(logged).not.toContain('Amina');
  });

  it('leaves out what the schema refuses: a note without consent, a hostile note; no details for a hostile label', () => {
    const base = { id: 'a1', organisation: 'CAF', startsAt: MONDAY_8H, endsAt: MONDAY_8H + 1_800_000, subject: 'rsa', status: 'booked', siteName: 'Murat', agentId: 1, boothId: 1, slotId: 1 } as const;
    const a = (over: Partial<Appointment>): Appointment => ({ ...base, subjectLabel: 'RSA', note: 'Amina', noteConsent: true, ...over });
    expect(ringingDetails(a({}))).toEqual({ startsAt: MONDAY_8H, subjectLabel: 'RSA', note: 'Amina' });
    expect(ringingDetails(a({ noteConsent: false }))).toEqual({ startsAt: MONDAY_8H, subjectLabel: 'RSA' });
    expect(ringingDetails(a({ note: null }))).toEqual({ startsAt: MONDAY_8H, subjectLabel: 'RSA' });
    for (const note of ['A\u0007', '\u202eanimA', 'x'.repeat(41), ' Amina', 'a\nb']) expect(ringingDetails(a({ note }))).toEqual({ startsAt: MONDAY_8H, subjectLabel: 'RSA' });
    for (const subjectLabel of ['', 'x'.repeat(121), 'RSA\u0000', '\u2066RSA']) expect(ringingDetails(a({ subjectLabel }))).toBeNull();
  });

  it('refuses hostile appointment details in call.ringing, so a console never shows them', () => {
    const ring = { type: 'call.ringing', callId: 'c1', organisation: 'CAF', siteName: 'Murat', queuedAt: 1, ringTimeoutMs: 1000, appointmentId: 'a1' };
    expect(CallRinging.safeParse({ ...ring, appointment: { startsAt: 1, subjectLabel: 'RSA', note: 'Amina' } }).success).toBe(true);
    const hostile: unknown[] = [
      { startsAt: -1, subjectLabel: 'RSA' },
      { startsAt: 1.5, subjectLabel: 'RSA' },
      { startsAt: 1, subjectLabel: '' },
      { startsAt: 1, subjectLabel: 'x'.repeat(121) },
      { startsAt: 1, subjectLabel: '<script>'.repeat(100) },
      { startsAt: 1, subjectLabel: 'RSA', note: 'x'.repeat(41) },
      { startsAt: 1, subjectLabel: 'RSA', note: '😀'.repeat(41) },
      { startsAt: 1, subjectLabel: 'RSA', note: 'A\u0007' },
      { startsAt: 1, subjectLabel: 'RSA', note: '\u202eanimA' },
      { startsAt: 1, subjectLabel: 'RSA', note: '' },
      { startsAt: 1, subjectLabel: 'RSA', note: 7 },
      { startsAt: 1, subjectLabel: 'RSA', note: null },
      { startsAt: 1, subjectLabel: 'RSA', agentName: 'x' },
      { startsAt: '1', subjectLabel: 'RSA' },
      'RSA',
      null,
    ];
    for (const appointment of hostile) expect(CallRinging.safeParse({ ...ring, appointment }).success, JSON.stringify(appointment)).toBe(false);
    expect(RingingAppointment.safeParse({ startsAt: 1, subjectLabel: 'é'.repeat(120), note: '😀'.repeat(40) }).success).toBe(true);
  });
});

describe('the booths a planner may choose', () => {
  it('lists the department’s booths not revoked (id, site, commune) to a planner only', async () => {
    const planner = track(await agent(hub.url, 'planif', 'mot-de-passe', false));
    const caf1 = track(await agent(hub.url, 'caf1', 'mot-de-passe', false));
    const stFlour = hub.store.addBooth('Saint-Flour', now);
    const murat = hub.store.addBooth('Murat', now);
    const gone = hub.store.addBooth('Ancienne borne', now);
    const enrolled = await createEnrolmentStore(hub.store).create('Relais de Riom', 'Riom-ès-Montagnes', now);
    hub.store.revokeBooth(gone.id, now);
    const b1 = track(await booth(hub.url, stFlour.token));
    planner.send({ type: 'slots.booths' });
    expect((await planner.next('slots.booths')).booths).toEqual([
      { id: stFlour.id, siteName: 'Saint-Flour', commune: null },
      { id: murat.id, siteName: 'Murat', commune: null },
      { id: enrolled.boothId, siteName: 'Relais de Riom', commune: 'Riom-ès-Montagnes' },
    ]);
    caf1.send({ type: 'slots.booths' });
    expect((await caf1.next('error')).code).toBe('FORBIDDEN');
    b1.send({ type: 'slots.booths' });
    expect((await b1.next('error')).code).toBe('FORBIDDEN');
    // The right is asked of the store at each frame: taken back, the planner is refused too.
    createSqliteAppointmentStore(hub.store.db).setPlanner(plannerId, false);
    planner.send({ type: 'slots.booths' });
    expect((await planner.next('error')).code).toBe('FORBIDDEN');
    for (const frame of [{ type: 'slots.booths', organisation: 'MSA' }, { type: 'slots.booths', all: true }, { type: 'slots.booths', booths: [1] }]) {
      caf1.send(frame);
      expect((await caf1.next('error')).code).toBe('BAD_FRAME');
    }
    caf1.send({ type: 'ping', t: 9 });
    expect((await caf1.next('pong')).t).toBe(9);
  });
});
