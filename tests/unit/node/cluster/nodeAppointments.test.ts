// Visio appointments on a hub across machines: slots published through one node, booked from booths on two others at
// once, the holding agent told on a third; the call at the time rung on the holder's node and honoured once; « non
// honoré » swept by every node and told to both sides; cancelling and closing told across nodes; each agent's calendar
// and the coordinator's month counts served by any node. Run on the in-process bus over SQLite, and on a real Redis
// over a real PostgreSQL (the deployment's pair).
import pino from 'pino';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../../server/auth.js';
import { createSqliteAppointmentStore } from '../../../../server/appointments/sqliteStore.js';
import type { AppointmentStore } from '../../../../server/appointments/store.js';
import { readNotice } from '../../../../server/cluster/bus.js';
import { startHubNode, type RunningHubNode } from '../../../../server/cluster/node.js';
import { sqliteEvaluationStore, type EvaluationStore } from '../../../../server/sharedStore/evaluation.js';
import { sqliteSharedStore } from '../../../../server/sharedStore/sqlite.js';
import type { SharedHubStore } from '../../../../server/sharedStore/types.js';
import { ALWAYS_OPEN, createHubStore, openHubDb } from '../../../../server/store.js';
import { postgresForFile } from '../../../support/postgresForFile.js';
import { agent, booth, waitFor, type RawClient } from '../hub/helpers.js';
import { MONDAY_8H } from '../appointments/fixture.js';
import { clusterBuses } from './buses.js';

const TIMING = { checkMs: 100, leaseMs: 700, deadAfterMs: 700, graceMs: 400, blockMs: 200, resumeGraceMs: 1_500 };
const PASSWORD = 'mot-de-passe-de-test';
const postgres = postgresForFile();

type Kind = 'memory bus over SQLite' | 'Redis over PostgreSQL';

describe('notices read from the bus', () => {
  it('takes a booth notice and an agents notice, and refuses anything else without throwing', () => {
    const frame = { type: 'appointments.changed', reason: 'booked' };
    expect(readNotice(JSON.stringify({ to: 'booth', boothId: 3, frame, node: 'n1.ab' }))).toEqual({ to: 'booth', boothId: 3, frame, node: 'n1.ab' });
    expect(readNotice(JSON.stringify({ to: 'agents', organisation: 'CAF', agentId: null, frame, node: 'n1.ab' }))).toMatchObject({ agentId: null });
    const hostile = [
      '',
      'null',
      '{',
      '[]',
      '"text"',
      JSON.stringify({ to: 'booth', boothId: 3, frame }),
      JSON.stringify({ to: 'booth', boothId: -1, frame, node: 'n' }),
      JSON.stringify({ to: 'booth', boothId: 2 ** 60, frame, node: 'n' }),
      JSON.stringify({ to: 'booth', boothId: '3', frame, node: 'n' }),
      JSON.stringify({ to: 'agents', organisation: 7, agentId: null, frame, node: 'n' }),
      JSON.stringify({ to: 'agents', organisation: 'CAF', agentId: 1.5, frame, node: 'n' }),
      JSON.stringify({ to: 'everyone', frame, node: 'n' }),
      JSON.stringify({ to: 'booth', boothId: 3, frame: null, node: 'n' }),
      JSON.stringify({ to: 'booth', boothId: 3, frame: { type: 5 }, node: 'n' }),
    ];
    for (const text of hostile) expect(readNotice(text)).toBeNull();
    // A `__proto__` key stays a key of the parsed object: read, and nothing else polluted.
    expect(readNotice('{"to":"booth","boothId":3,"frame":{"type":"x"},"node":"n","__proto__":{"polluted":true}}')).toMatchObject({ boothId: 3 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe.each<Kind>(['memory bus over SQLite', 'Redis over PostgreSQL'])('appointments on the %s', (kind) => {
  const buses = clusterBuses(kind === 'memory bus over SQLite' ? 'memory' : 'redis');
  let store: SharedHubStore;
  let appointments: AppointmentStore;
  let evaluation: EvaluationStore;
  let nodes: RunningHubNode[] = [];
  let clients: RawClient[] = [];
  /** The nodes' clock: real time moved to Monday 1 June 2026, 08:00 in Paris, and forward when a test says. */
  let offset = 0;
  const clock = (): number => Date.now() + offset;
  const jumpTo = (at: number): void => {
    offset = at - Date.now();
  };

  afterEach(async () => {
    for (const c of clients) c.close();
    await Promise.all(nodes.map((n) => n.close()));
    nodes = [];
    clients = [];
    if (kind === 'memory bus over SQLite') await store.close();
  });

  /** Three nodes over fresh stores; a CAF planner and agents caf1, caf2; the time Monday 08:00. */
  async function cluster(): Promise<RunningHubNode[]> {
    jumpTo(MONDAY_8H);
    buses.fresh();
    if (kind === 'memory bus over SQLite') {
      const hub = createHubStore(openHubDb(':memory:'));
      store = sqliteSharedStore(hub);
      appointments = createSqliteAppointmentStore(hub.db);
      evaluation = sqliteEvaluationStore(hub.db);
    } else {
      const opened = await postgres.openStores();
      store = opened.stores.store;
      appointments = opened.stores.appointments;
      evaluation = opened.stores.evaluation;
    }
    await store.seedOrganisations(ALWAYS_OPEN);
    const hash = await hashPassword(PASSWORD);
    const planner = await store.addAgent({ organisation: 'CAF', login: 'planif', displayName: 'Planificatrice CAF', passwordHash: hash }, clock());
    await appointments.setPlanner(planner, true);
    for (const login of ['caf1', 'caf2']) await store.addAgent({ organisation: 'CAF', login, displayName: `Agent ${login}`, passwordHash: hash }, clock());
    await evaluation.addCoordinator('coord.cantal', hash, clock());
    for (let i = 0; i < 3; i++) {
      nodes.push(
        await startHubNode({
          bus: await buses.busFor(`n${i}`),
          store,
          evaluation,
          appointments: { store: appointments },
          clock,
          timing: TIMING,
          revocationPollMs: 200,
          ringTimeoutMs: 20_000,
          ...(process.env.RELAIS_TEST_LOG ? { logger: pino({ level: 'debug' }) } : {}),
        }),
      );
    }
    return nodes;
  }
  const track = <T extends RawClient>(c: T): T => {
    clients.push(c);
    return c;
  };
  const newBooth = async (node: RunningHubNode, name: string): Promise<RawClient> => track(await booth(node.url, (await store.addBooth(name, clock())).token));
  const newAgent = (node: RunningHubNode, login: string): Promise<RawClient> => agent(node.url, login, PASSWORD, false).then(track);
  /** A frame sent and answered: what was sent before it has been handled by the node. */
  async function settled(c: RawClient): Promise<void> {
    const t = Math.random();
    c.send({ type: 'ping', t });
    await c.next('pong', (f) => f.t === t);
  }
  /** The planner (on `node`) publishes CAF slots for caf1: Monday and Tuesday 10:00, one place each. */
  async function publish(node: RunningHubNode): Promise<void> {
    const planner = await newAgent(node, 'planif');
    planner.send({ type: 'slots.publish', series: { start: '2026-06-01T10:00', rule: 'FREQ=DAILY;COUNT=2', lengthMin: 30, capacity: 1, agents: ['caf1'] } });
    expect(await planner.next('slots.published')).toMatchObject({ slots: 2 });
  }
  async function bookFirst(kiosk: RawClient): Promise<{ id: string; startsAt: number }> {
    kiosk.send({ type: 'appointment.slots', organisation: 'CAF', limit: 1 });
    const [slot] = (await kiosk.next('appointment.slots')).slots;
    kiosk.send({ type: 'appointment.book', organisation: 'CAF', startsAt: slot?.startsAt, subject: 'rsa', note: 'Amina', noteConsent: true });
    return (await kiosk.next('appointment.booked')).appointment;
  }

  it('offers appointments at hello, publishes through one node, gives the last place to one of two booths on two others, tells the holder on a third', async () => {
    const [a, b, c] = await cluster();
    const caf1 = await newAgent(c!, 'caf1');
    const vic = await newBooth(a!, 'Mairie de Vic');
    const murat = await newBooth(b!, 'Mairie de Murat');
    // A node with the appointments' store does not say « no appointments »: the kiosk shows « Prendre rendez-vous ».
    expect(vic.frames[0]).toMatchObject({ type: 'hello' });
    expect(vic.frames[0]).not.toHaveProperty('appointments');
    await publish(a!);
    murat.send({ type: 'appointment.slots', organisation: 'CAF', limit: 5 });
    const offer = await murat.next('appointment.slots');
    expect(offer.subjects.map((s) => s.code)).toContain('rsa');
    const [monday, tuesday] = offer.slots;
    expect(offer.slots).toHaveLength(2);
    const kiosks = [vic, murat];
    for (const k of kiosks) k.send({ type: 'appointment.book', organisation: 'CAF', startsAt: monday?.startsAt, subject: 'rsa' });
    const answered = (k: RawClient) => k.frames.find((f) => f.type === 'appointment.booked' || f.type === 'appointment.refused');
    await waitFor(() => kiosks.every(answered), 5_000, 'both booths answered');
    // One of the two got the place; the other was told it was taken and offered Tuesday.
    const winner = kiosks.findIndex((k) => answered(k)?.type === 'appointment.booked');
    expect(kiosks.filter((k) => answered(k)?.type === 'appointment.booked')).toHaveLength(1);
    const refused = answered(kiosks[1 - winner]!) as { code: string; next: Array<{ startsAt: number }> } | undefined;
    expect(refused).toMatchObject({ code: 'SLOT_TAKEN' });
    expect(refused?.next[0]?.startsAt).toBe(tuesday?.startsAt);
    const told = await caf1.next('appointments.changed');
    expect(told).toMatchObject({ reason: 'booked', appointment: { siteName: winner === 0 ? 'Mairie de Vic' : 'Mairie de Murat', startsAt: monday?.startsAt } });
    // The agent's day, asked of its own node, holds it.
    caf1.send({ type: 'appointments.list', range: 'day', from: monday?.startsAt });
    expect((await caf1.next('appointments.list')).appointments.map((x) => x.startsAt)).toEqual([monday?.startsAt]);
  });

  it('rings the holder on another node at the time, and tells both sides once that it was honoured', async () => {
    const [a, b, c] = await cluster();
    await publish(b!);
    const caf1 = await newAgent(c!, 'caf1');
    const caf2 = await newAgent(b!, 'caf2');
    const vic = await newBooth(a!, 'Mairie de Vic');
    const other = await newBooth(b!, 'Mairie de Murat');
    const booked = await bookFirst(vic);
    await caf1.next('appointments.changed', (f) => f.reason === 'booked');
    for (const x of [caf1, caf2]) x.send({ type: 'agent.status', status: 'available' });
    await Promise.all([caf1, caf2].map(settled));
    jumpTo(booked.startsAt - 2 * 60_000);
    // Another booth cannot call with this appointment.
    other.send({ type: 'call.request', organisation: 'CAF', appointmentId: booked.id });
    expect((await other.next('error')).code).toBe('UNKNOWN_APPOINTMENT');
    vic.send({ type: 'call.request', organisation: 'CAF', appointmentId: booked.id });
    const ringing = await caf1.next('call.ringing');
    expect(ringing).toMatchObject({ appointmentId: booked.id, appointment: { startsAt: booked.startsAt, note: 'Amina' } });
    caf1.send({ type: 'call.accept', callId: ringing.callId });
    await vic.next('call.accepted');
    expect(await vic.next('appointment.changed')).toMatchObject({ reason: 'honoured', appointment: { id: booked.id, status: 'honoured' } });
    expect(await caf1.next('appointments.changed', (f) => f.reason === 'honoured')).toMatchObject({ appointment: { id: booked.id } });
    expect((await appointments.byId(booked.id))?.status).toBe('honoured');
    caf1.send({ type: 'call.hangup', callId: ringing.callId });
    await vic.next('call.ended');
    await Promise.all([vic, caf1].map(settled));
    expect(vic.frames.filter((f) => f.type === 'appointment.changed' && f.reason === 'honoured')).toHaveLength(1);
    // caf2 was never rung: the holder answered.
    expect(caf2.frames.some((f) => f.type === 'call.ringing')).toBe(false);
  });

  it('marks « non honoré » once past the grace time, told to the booth and the holder on their nodes', async () => {
    const [a, b, c] = await cluster();
    await publish(c!);
    const caf1 = await newAgent(b!, 'caf1');
    const vic = await newBooth(a!, 'Mairie de Vic');
    const booked = await bookFirst(vic);
    jumpTo(booked.startsAt + 16 * 60_000);
    expect(await vic.next('appointment.changed')).toMatchObject({ reason: 'missed', appointment: { id: booked.id, status: 'missed' } });
    expect(await caf1.next('appointments.changed', (f) => f.reason === 'missed')).toMatchObject({ appointment: { id: booked.id, note: null } });
    // Each node sweeps every 200 ms; the store gives each missed appointment to one of them (its contract test races two
    // sweeps). A booking and a cancellation later, no second notice of it has come.
    jumpTo(MONDAY_8H);
    const later = await newBooth(b!, 'Mairie de Murat');
    const second = await bookFirst(later);
    later.send({ type: 'appointment.cancel', appointmentId: second.id });
    await caf1.next('appointments.changed', (f) => f.reason === 'cancelled_by_booth');
    expect(vic.frames.filter((f) => f.type === 'appointment.changed' && f.reason === 'missed')).toHaveLength(1);
    expect(caf1.frames.filter((f) => f.type === 'appointments.changed' && f.reason === 'missed')).toHaveLength(1);
  });

  it('tells across nodes a booth cancelling and the organisation closing a day; refuses another booth’s cancel', async () => {
    const [a, b, c] = await cluster();
    await publish(a!);
    const planner = clients[0]!;
    const caf1 = await newAgent(c!, 'caf1');
    const vic = await newBooth(b!, 'Mairie de Vic');
    const murat = await newBooth(c!, 'Mairie de Murat');
    const monday = await bookFirst(vic);
    const tuesday = await bookFirst(vic);
    murat.send({ type: 'appointment.cancel', appointmentId: tuesday.id });
    expect(await murat.next('appointment.refused')).toMatchObject({ code: 'UNKNOWN_APPOINTMENT' });
    vic.send({ type: 'appointment.cancel', appointmentId: tuesday.id });
    expect(await vic.next('appointment.changed')).toMatchObject({ reason: 'cancelled_by_booth', appointment: { id: tuesday.id, status: 'cancelled' } });
    expect(await caf1.next('appointments.changed', (f) => f.reason === 'cancelled_by_booth')).toMatchObject({ appointment: { id: tuesday.id } });
    planner.send({ type: 'slots.close', close: { kind: 'days', from: '2026-06-01', to: '2026-06-01', reason: 'Grève' } });
    expect((await planner.next('slots.closed')).affected.map((x) => x.id)).toEqual([monday.id]);
    expect(await vic.next('appointment.changed', (f) => f.reason === 'cancelled_by_organisation')).toMatchObject({ appointment: { id: monday.id, status: 'closed' } });
    expect(await caf1.next('appointments.changed', (f) => f.reason === 'cancelled_by_organisation')).toMatchObject({ appointment: { id: monday.id } });
    // The planner's list of booths, from any node.
    planner.send({ type: 'slots.booths' });
    expect((await planner.next('slots.booths')).booths.map((x) => x.siteName)).toEqual(['Mairie de Vic', 'Mairie de Murat']);
    if (kind === 'Redis over PostgreSQL') {
      // What is not a notice on the bus's channel is dropped: the nodes keep telling.
      const raw = new Redis(buses.redis().url);
      for (const text of ['', '{', 'null', JSON.stringify({ to: 'booth', boothId: 'x', frame: {}, node: 'z' }), 'x'.repeat(100_000)]) await raw.publish(`${buses.prefix()}notices`, text);
      raw.disconnect();
      const third = await bookFirst(murat);
      expect(await caf1.next('appointments.changed', (f) => f.reason === 'booked' && f.appointment.id === third.id)).toBeTruthy();
    }
  });

  it('answers hostile values that reach the store with a refusal or an error, and keeps serving', async () => {
    const [a, b] = await cluster();
    await publish(a!);
    const planner = clients[0]!;
    const vic = await newBooth(b!, 'Mairie de Vic');
    const nul = '\u0000'.repeat(64);
    for (const appointmentId of [nul, 'x'.repeat(64), "' OR 1=1 --"]) {
      vic.send({ type: 'appointment.cancel', appointmentId });
      expect((await vic.next('appointment.refused')).code).toBe('UNKNOWN_APPOINTMENT');
      vic.send({ type: 'call.request', organisation: 'CAF', appointmentId });
      expect((await vic.next('error')).code).toBe('UNKNOWN_APPOINTMENT');
    }
    for (const startsAt of [Number.MAX_SAFE_INTEGER, MONDAY_8H + 1]) {
      vic.send({ type: 'appointment.book', organisation: 'CAF', startsAt, subject: 'rsa' });
      expect((await vic.next('appointment.refused')).code).toBe('SLOT_TAKEN');
    }
    vic.send({ type: 'appointment.book', organisation: 'CAF', startsAt: MONDAY_8H + 2 * 3_600_000, subject: 'inconnu' });
    expect((await vic.next('appointment.refused')).code).toBe('UNKNOWN_SUBJECT');
    vic.send({ type: 'appointment.slots', organisation: 'CAF', from: Number.MAX_SAFE_INTEGER, limit: 5 });
    expect((await vic.next('appointment.slots')).slots).toEqual([]);
    for (const seriesId of [Number.MAX_SAFE_INTEGER, 2 ** 31]) {
      planner.send({ type: 'slots.close', close: { kind: 'series', seriesId } });
      expect((await planner.next('appointment.refused')).code).toBe('UNKNOWN_SERIES');
    }
    planner.send({ type: 'slots.publish', series: { start: '2026-06-03T10:00', lengthMin: 30, capacity: 1, agents: ['personne', nul.slice(0, 40)] } });
    expect((await planner.next('appointment.refused')).code).toBe('UNKNOWN_AGENT');
    // Still serving: the slots published are there.
    vic.send({ type: 'appointment.slots', organisation: 'CAF', limit: 5 });
    expect((await vic.next('appointment.slots')).slots).toHaveLength(2);
  });

  it('serves an agent’s calendar and the coordinator’s month counts from any node', async () => {
    const [a, b, c] = await cluster();
    await publish(a!);
    const caf1 = await newAgent(b!, 'caf1');
    const vic = await newBooth(c!, 'Mairie de Vic');
    await bookFirst(vic);
    caf1.send({ type: 'appointments.ical', action: 'new' });
    const { path } = await caf1.next('appointments.ical');
    expect(path).toMatch(/^\/agents\/ical\/[A-Za-z0-9_-]{32,}\.ics$/);
    for (const node of [a!, c!]) {
      const res = await fetch(`${node.httpUrl}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/calendar');
      const body = await res.text();
      expect(body).toContain('Visio CAF');
      expect(body).toContain('Mairie de Vic');
    }
    expect((await fetch(`${c!.httpUrl}/agents/ical/${'A'.repeat(43)}.ics`)).status).toBe(404);
    const login = await fetch(`${c!.httpUrl}/coordinator/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: 'coord.cantal', password: PASSWORD }) });
    expect((await login.json()) as { views: string[] }).toMatchObject({ views: expect.arrayContaining(['counts', 'appointments']) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const counts = (await (await fetch(`${a!.httpUrl}/coordinator/api/appointments?month=2026-06`, { headers: { cookie } })).json()) as { rows: Array<{ organisation: string; counts: { booked: number } }> };
    expect(counts.rows.find((r) => r.organisation === 'CAF')?.counts.booked).toBe(1);
    expect((await fetch(`${a!.httpUrl}/coordinator/api/appointments?month=2026-13`, { headers: { cookie } })).status).toBe(400);
  });
});
