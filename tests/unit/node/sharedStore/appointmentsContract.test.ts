// The appointments' store contract: the hub's appointment rules (server/appointments/service.ts) run over both
// implementations of the store — SQLite in memory (the hub's file) and a real PostgreSQL (one server for the file, a
// fresh database per test) — and one scripted day run on both, whose every answer must be the same. Then what only a hub
// across machines has: several nodes (several pools) on one database racing for the last place of a slot, for the named
// agents, sweeping, honouring, cancelling and closing at once; and values PostgreSQL cannot hold or find.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createAppointmentService, DEFAULT_GRACE_MS, type AppointmentService } from '../../../../server/appointments/service.js';
import { MAX_BOOKED_PER_BOOTH } from '../../../../server/appointments/sqliteBookings.js';
import { createSqliteAppointmentStore } from '../../../../server/appointments/sqliteStore.js';
import type { Appointment, AppointmentStore } from '../../../../server/appointments/store.js';
import { DEFAULT_SUBJECTS } from '../../../../server/appointments/subjects.js';
import { createEnrolmentStore } from '../../../../server/enrolment/store.js';
import { postgresAppointmentStore } from '../../../../server/sharedStore/postgresAppointments.js';
import { createHubStore, openHubDb, WEEKDAY_HOURS } from '../../../../server/store.js';
import { postgresForFile, sqliteSql, type Rows } from '../../../support/postgresForFile.js';

const postgres = postgresForFile();

/** Monday 1 June 2026, 08:00 in Paris. */
const MONDAY_8H = Date.UTC(2026, 5, 1, 6);
const TEN = '2026-06-01T10:00';
const AGENTS = ['c.martin', 'p.durand', 'l.petit'];

/** A store under test on a database holding the CAF agents of AGENTS and `booths` booths, the service over it at a clock the test moves. */
interface Opened {
  store: AppointmentStore;
  service: AppointmentService;
  clock: { now: number };
  boothIds: number[];
  agentIds: number[];
  addAgent(organisation: string, login: string): Promise<number>;
  revokeAgent(id: number): Promise<void>;
  /** A booth created by the coordinator with its commune (enrolment). */
  enrolBooth(name: string, commune: string): Promise<number>;
  sql(text: string): Promise<Rows>;
}

/** Ids the same on both stores (rdv-1, rdv-2…): the scripted day compares whole answers. */
const counter = (): (() => string) => {
  let n = 0;
  return () => `rdv-${++n}`;
};

async function openSqlite(booths = 3, newId: () => string = randomUUID): Promise<Opened> {
  const hub = createHubStore(openHubDb(':memory:'));
  postgres.onCleanup(async () => void hub.db.close());
  hub.seedOrganisations(WEEKDAY_HOURS);
  const boothIds = Array.from({ length: booths }, (_, i) => hub.addBooth(`Mairie ${i + 1}`, MONDAY_8H).id);
  const addAgent = async (organisation: string, login: string): Promise<number> => hub.addAgent({ organisation, login, displayName: login, passwordHash: 'x' }, MONDAY_8H);
  const agentIds = [];
  for (const login of AGENTS) agentIds.push(await addAgent('CAF', login));
  const store = createSqliteAppointmentStore(hub.db);
  const clock = { now: MONDAY_8H };
  const enrolment = createEnrolmentStore(hub);
  return {
    store,
    service: createAppointmentService({ store, clock: () => clock.now, newId }),
    clock,
    boothIds,
    agentIds,
    addAgent,
    revokeAgent: async (id) => void hub.revokeAgent(id, MONDAY_8H),
    enrolBooth: async (name, commune) => (await enrolment.create(name, commune, MONDAY_8H)).boothId,
    sql: sqliteSql(hub.db),
  };
}

async function openPostgres(booths = 3, newId: () => string = randomUUID): Promise<Opened & { url: string }> {
  const { url, stores, sql } = await postgres.openStores();
  await stores.store.seedOrganisations(WEEKDAY_HOURS);
  const boothIds = [];
  for (let i = 0; i < booths; i++) boothIds.push((await stores.store.addBooth(`Mairie ${i + 1}`, MONDAY_8H)).id);
  const addAgent = (organisation: string, login: string): Promise<number> => stores.store.addAgent({ organisation, login, displayName: login, passwordHash: 'x' }, MONDAY_8H);
  const agentIds = [];
  for (const login of AGENTS) agentIds.push(await addAgent('CAF', login));
  const store = stores.appointments;
  const clock = { now: MONDAY_8H };
  return {
    url,
    store,
    service: createAppointmentService({ store, clock: () => clock.now, newId }),
    clock,
    boothIds,
    agentIds,
    addAgent,
    revokeAgent: async (id) => void (await stores.store.revokeAgent(id, MONDAY_8H)),
    enrolBooth: async (name, commune) => (await stores.enrolment.create(name, commune, MONDAY_8H)).boothId,
    sql,
  };
}

/** Another node of the hub on the database `url`: its own pool, its store and service, at the clock given. */
async function node(url: string, clock: { now: number }): Promise<{ store: AppointmentStore; service: AppointmentService }> {
  const { stores } = await postgres.openStores(url);
  return { store: stores.appointments, service: createAppointmentService({ store: stores.appointments, clock: () => clock.now, newId: randomUUID }) };
}

type BookAnswer = Awaited<ReturnType<AppointmentService['book']>>;
const booked = (r: BookAnswer): Appointment => {
  if (!r.ok) throw new Error(`booking refused: ${r.code}`);
  return r.appointment;
};
const bookAt = async (t: Pick<Opened, 'service'>, boothId: number, startsAt: number, extra: { note?: string; noteConsent?: boolean } = {}): Promise<Appointment> =>
  booked(await t.service.book({ organisation: 'CAF', boothId, startsAt, subject: 'rsa', ...extra }));
const published = async (t: Pick<Opened, 'service'>, spec: Parameters<AppointmentService['publish']>[2], agentId = 1): Promise<number> => {
  const r = await t.service.publish('CAF', agentId, spec);
  if (!r.ok) throw new Error(`not published: ${r.code}`);
  return r.seriesId;
};
/** Whatever the store throws, synchronously (SQLite) or as a rejected promise (PostgreSQL). */
const outcome = (call: () => unknown): Promise<unknown> => Promise.resolve().then(call);

const backends: Array<{ name: string; open(booths?: number, newId?: () => string): Promise<Opened> }> = [
  { name: 'SQLite', open: openSqlite },
  { name: 'PostgreSQL', open: openPostgres },
];

describe.each(backends)('appointments on $name', ({ open }) => {
  it("seeds every organisation's subjects, in order, with what to bring", async () => {
    const t = await open();
    for (const [organisation, subjects] of Object.entries(DEFAULT_SUBJECTS)) expect(await t.store.subjects(organisation)).toEqual(subjects);
    expect(await t.store.subjects('NOPE')).toEqual([]);
  });

  it('fills a slot up to its capacity, gives each place its named agent in order, then refuses with the next slots', async () => {
    const t = await open();
    const [b1 = 0, b2 = 0, b3 = 0] = t.boothIds;
    const [martin, durand] = t.agentIds;
    expect(await t.service.publish('CAF', martin!, { start: TEN, rule: 'FREQ=DAILY;COUNT=2', lengthMin: 30, capacity: 2, agents: ['p.durand', 'c.martin'] })).toMatchObject({
      ok: true,
      seriesId: 1,
      slots: 2,
    });
    const [first, second] = await t.service.freeSlots('CAF', b1, undefined, 5);
    expect(first).toEqual({ startsAt: Date.UTC(2026, 5, 1, 8), endsAt: Date.UTC(2026, 5, 1, 8, 30), free: 2 });
    expect(second?.startsAt).toBe(Date.UTC(2026, 5, 2, 8));
    const r = await t.service.book({ organisation: 'CAF', boothId: b1, startsAt: first!.startsAt, subject: 'rsa', note: 'Amina', noteConsent: true });
    expect(r).toMatchObject({ ok: true, bring: DEFAULT_SUBJECTS.CAF![0]!.bring });
    const a = booked(r);
    expect(a).toEqual({
      id: a.id,
      slotId: 1,
      organisation: 'CAF',
      boothId: b1,
      agentId: durand,
      startsAt: first!.startsAt,
      endsAt: first!.endsAt,
      subject: 'rsa',
      subjectLabel: 'RSA et prime d’activité',
      note: 'Amina',
      noteConsent: true,
      status: 'booked',
      siteName: 'Mairie 1',
    });
    const b = await bookAt(t, b2, first!.startsAt);
    expect([b.agentId, b.note, b.noteConsent]).toEqual([martin, null, false]);
    const refused = await t.service.book({ organisation: 'CAF', boothId: b3, startsAt: first!.startsAt, subject: 'rsa' });
    expect(refused).toMatchObject({ ok: false, code: 'SLOT_TAKEN' });
    expect(!refused.ok && refused.next?.map((s) => s.startsAt)).toEqual([second?.startsAt]);
    expect((await t.service.freeSlots('CAF', b1, undefined, 5)).map((s) => s.startsAt)).toEqual([second?.startsAt]);

    expect(await t.store.byId(a.id)).toEqual(a);
    expect(await t.store.forBooth(b1, MONDAY_8H)).toEqual([a]);
    expect(await t.store.forBooth(b1, first!.endsAt + 1)).toEqual([]);
    expect(await t.store.forAgent(durand!, 'CAF', MONDAY_8H, first!.endsAt)).toEqual([a]);
    expect(await t.store.forAgent(martin!, 'CAF', MONDAY_8H, first!.endsAt)).toEqual([b]);
    expect(await t.store.forAgent(martin!, 'CAF', MONDAY_8H, first!.startsAt)).toEqual([]);
    expect(await t.store.forAgent(martin!, 'CPAM', MONDAY_8H, first!.endsAt)).toEqual([]);
  });

  it('lists appointments starting together in the order they were booked, unassigned ones for every agent', async () => {
    const t = await open();
    await published(t, { start: TEN, lengthMin: 30, capacity: 3 });
    const [slot] = await t.service.freeSlots('CAF', t.boothIds[0]!, undefined, 1);
    const ids = [];
    for (const b of [t.boothIds[2]!, t.boothIds[0]!, t.boothIds[1]!]) ids.push((await bookAt(t, b, slot!.startsAt)).id);
    expect((await t.store.forAgent(t.agentIds[2]!, 'CAF', MONDAY_8H, MONDAY_8H + 86_400_000)).map((a) => [a.id, a.agentId])).toEqual(ids.map((id) => [id, null]));
  });

  it('shows a series for some booths only to them', async () => {
    const t = await open();
    const [b1 = 0, b2 = 0] = t.boothIds;
    await published(t, { start: TEN, lengthMin: 30, capacity: 1, booths: [b2] });
    expect(await t.service.freeSlots('CAF', b1, undefined, 5)).toEqual([]);
    const [slot] = await t.service.freeSlots('CAF', b2, undefined, 5);
    expect(await t.service.book({ organisation: 'CAF', boothId: b1, startsAt: slot!.startsAt, subject: 'rsa' })).toMatchObject({ ok: false, code: 'SLOT_TAKEN' });
    expect((await bookAt(t, b2, slot!.startsAt)).status).toBe('booked');
  });

  it('refuses an unknown subject, a slot in the past, another organisation, and a booth holding too many appointments', async () => {
    const t = await open();
    await published(t, { start: TEN, lengthMin: 30, capacity: 40 });
    const [slot] = await t.service.freeSlots('CAF', t.boothIds[0]!, undefined, 1);
    const startsAt = slot!.startsAt;
    const b1 = t.boothIds[0]!;
    expect(await t.service.book({ organisation: 'CAF', boothId: b1, startsAt, subject: 'inconnu' })).toMatchObject({ ok: false, code: 'UNKNOWN_SUBJECT' });
    expect(await t.service.book({ organisation: 'CPAM', boothId: b1, startsAt, subject: 'droits' })).toMatchObject({ ok: false, code: 'SLOT_TAKEN' });
    for (let i = 0; i < MAX_BOOKED_PER_BOOTH; i++) await bookAt(t, b1, startsAt);
    expect(await t.service.book({ organisation: 'CAF', boothId: b1, startsAt, subject: 'rsa' })).toMatchObject({ ok: false, code: 'TOO_MANY_APPOINTMENTS' });
    expect((await bookAt(t, t.boothIds[1]!, startsAt)).status).toBe('booked');
    t.clock.now = startsAt;
    expect(await t.service.book({ organisation: 'CAF', boothId: t.boothIds[2]!, startsAt, subject: 'rsa' })).toMatchObject({ ok: false, code: 'SLOT_TAKEN' });
  });

  it('frees the place when the booth cancels, erases the note, and only its own booth may cancel, once', async () => {
    const t = await open();
    const [b1 = 0, b2 = 0] = t.boothIds;
    await published(t, { start: TEN, lengthMin: 30, capacity: 1 });
    const startsAt = (await t.service.freeSlots('CAF', b1, undefined, 1))[0]!.startsAt;
    const a = await bookAt(t, b1, startsAt, { note: 'Amina', noteConsent: true });
    expect(await t.service.freeSlots('CAF', b1, undefined, 1)).toEqual([]);
    expect(await t.service.cancel(a.id, b2)).toMatchObject({ ok: false, code: 'UNKNOWN_APPOINTMENT' });
    expect(await t.service.cancel(a.id, b1)).toEqual({ ...a, status: 'cancelled', note: null });
    expect(await t.service.cancel(a.id, b1)).toMatchObject({ ok: false, code: 'UNKNOWN_APPOINTMENT' });
    expect(await t.store.byId(a.id)).toMatchObject({ status: 'cancelled', note: null });
    expect(await t.sql(`SELECT note, booked FROM appointments a JOIN slots s ON s.id = a.slot_id WHERE a.id = '${a.id}'`)).toEqual([{ note: null, booked: 0 }]);
    expect((await bookAt(t, b2, startsAt)).status).toBe('booked');
  });

  it('honours once, marks « non honoré » only after the grace time, and erases the note once it is over', async () => {
    const t = await open();
    const [b1 = 0, b2 = 0] = t.boothIds;
    await published(t, { start: TEN, lengthMin: 30, capacity: 2 });
    const startsAt = (await t.service.freeSlots('CAF', b1, undefined, 1))[0]!.startsAt;
    const honoured = await bookAt(t, b1, startsAt, { note: 'J. D.', noteConsent: true });
    const missed = await bookAt(t, b2, startsAt, { note: 'Léa', noteConsent: true });
    t.clock.now = startsAt + 5 * 60_000;
    expect(await t.store.honour(honoured.id, t.clock.now)).toBe(true);
    expect(await t.store.honour(honoured.id, t.clock.now)).toBe(false);
    t.clock.now = startsAt + DEFAULT_GRACE_MS - 1;
    expect(await t.service.sweep()).toEqual({ missed: [], notesErased: 0 });
    expect((await t.store.byId(missed.id))?.note).toBe('Léa');
    t.clock.now = startsAt + DEFAULT_GRACE_MS;
    expect(await t.service.sweep()).toEqual({ missed: [{ ...missed, status: 'missed', note: null }], notesErased: 0 });
    expect((await t.service.sweep()).missed).toEqual([]);
    expect((await t.store.byId(honoured.id))?.note).toBe('J. D.');
    t.clock.now = startsAt + 30 * 60_000;
    expect(await t.service.sweep()).toEqual({ missed: [], notesErased: 1 });
    expect(await t.store.byId(honoured.id)).toMatchObject({ status: 'honoured', note: null });
    expect(await t.store.honour(missed.id, t.clock.now)).toBe(false);
  });

  it('reports the appointments of a closed day and of a removed series once, closed, notes erased; frees nothing twice', async () => {
    const t = await open();
    const [b1 = 0] = t.boothIds;
    const seriesId = await published(t, { start: TEN, rule: 'FREQ=DAILY;COUNT=5', lengthMin: 30, capacity: 1, agents: ['c.martin'] });
    const slots = await t.service.freeSlots('CAF', b1, undefined, 5);
    const onTuesday = await bookAt(t, b1, slots[1]!.startsAt, { note: 'Amina', noteConsent: true });
    const onFriday = await bookAt(t, b1, slots[4]!.startsAt);
    const day = await t.service.closeDays('CAF', '2026-06-02', '2026-06-02', 'Fermeture exceptionnelle');
    expect(day).toEqual({ ok: true, slots: 1, affected: [{ ...onTuesday, status: 'closed', note: null }] });
    expect(await t.service.closeDays('CAF', '2026-06-02', '2026-06-02', null)).toEqual({ ok: true, slots: 0, affected: [] });
    expect(await t.store.byId(onTuesday.id)).toMatchObject({ status: 'closed', note: null });
    expect(await t.store.closures('CAF', '2026-06-01')).toEqual([
      { from: '2026-06-02', to: '2026-06-02', reason: 'Fermeture exceptionnelle' },
      { from: '2026-06-02', to: '2026-06-02', reason: null },
    ]);
    expect(await t.store.closures('CAF', '2026-06-03')).toEqual([]);
    expect(await t.store.closures('CPAM', '2026-06-01')).toEqual([]);
    const removed = await t.service.closeSeries('CAF', seriesId);
    // Monday, Wednesday, Thursday and Friday: Tuesday was closed already.
    expect(removed).toEqual({ ok: true, slots: 4, affected: [{ ...onFriday, status: 'closed' }] });
    expect(await t.service.freeSlots('CAF', b1, undefined, 5)).toEqual([]);
    expect(await t.service.closeSeries('CAF', seriesId)).toMatchObject({ ok: false, code: 'UNKNOWN_SERIES' });
    expect(await t.service.closeSeries('CPAM', 999)).toMatchObject({ ok: false, code: 'UNKNOWN_SERIES' });
    // A series published after a closure does not make slots on its days.
    expect(await t.service.publish('CAF', 1, { start: TEN, rule: 'FREQ=DAILY;COUNT=3', lengthMin: 30, capacity: 1 })).toMatchObject({ ok: true, slots: 2, skipped: { closures: 1 } });
  });

  it('closes a series from now on only, and not a series of another organisation', async () => {
    const t = await open();
    const seriesId = await published(t, { start: TEN, rule: 'FREQ=DAILY;COUNT=3', lengthMin: 30, capacity: 1 });
    expect(await t.store.closeSeries('CPAM', seriesId, t.clock.now)).toBeNull();
    const [, second] = await t.service.freeSlots('CAF', t.boothIds[0]!, undefined, 5);
    expect(await t.store.closeSeries('CAF', seriesId, second!.startsAt)).toEqual({ slots: 2, affected: [] });
    expect((await t.store.freeSlots('CAF', t.boothIds[0]!, 0, 5)).map((s) => s.startsAt)).toEqual([Date.UTC(2026, 5, 1, 8)]);
  });

  it('lists the series: their booths, their agents by login in order, the slots to come and the places booked', async () => {
    const t = await open();
    const [b1 = 0, b2 = 0, b3 = 0] = t.boothIds;
    const first = await published(t, { start: TEN, rule: 'FREQ=DAILY;COUNT=3', lengthMin: 30, capacity: 2, agents: ['l.petit', 'c.martin'] });
    const second = await published(t, { start: '2026-06-01T14:00', lengthMin: 45, capacity: 1, booths: [b3, b1] });
    const removed = await published(t, { start: '2026-06-01T16:00', lengthMin: 30, capacity: 1 });
    await t.service.closeSeries('CAF', removed);
    await bookAt(t, b2, Date.UTC(2026, 5, 1, 8));
    await bookAt(t, b1, Date.UTC(2026, 5, 1, 12));
    expect(await t.store.listSeries('CAF', t.clock.now)).toEqual([
      { id: first, start: TEN, rule: 'FREQ=DAILY;COUNT=3', lengthMin: 30, capacity: 2, booths: null, agents: ['l.petit', 'c.martin'], upcoming: 3, booked: 1 },
      { id: second, start: '2026-06-01T14:00', rule: null, lengthMin: 45, capacity: 1, booths: [b1, b3], agents: [], upcoming: 1, booked: 1 },
    ]);
    expect(await t.store.listSeries('CAF', Date.UTC(2026, 5, 2, 9))).toMatchObject([{ id: first, upcoming: 1, booked: 0 }, { id: second, upcoming: 0, booked: 0 }]);
    expect(await t.store.listSeries('CPAM', t.clock.now)).toEqual([]);
  });

  it("keeps each agent's planner right and iCalendar secret, finds agents by login in their organisation, not once revoked", async () => {
    const t = await open();
    const [martin = 0, durand = 0, petit = 0] = t.agentIds;
    const other = await t.addAgent('CPAM', 'm.cpam');
    expect(await t.store.isPlanner(martin)).toBe(false);
    expect(await t.store.setPlanner(martin, true)).toBe(true);
    expect(await t.store.isPlanner(martin)).toBe(true);
    expect(await t.store.isPlanner(durand)).toBe(false);
    expect(await t.store.setPlanner(9999, true)).toBe(false);
    expect(await t.store.setIcalHash(durand, 'a'.repeat(64))).toBe(true);
    expect(await t.store.agentIdByIcalHash('a'.repeat(64))).toBe(durand);
    expect(await t.store.setIcalHash(durand, 'b'.repeat(64))).toBe(true);
    expect(await t.store.agentIdByIcalHash('a'.repeat(64))).toBeNull();
    expect(await t.store.setIcalHash(durand, null)).toBe(true);
    expect(await t.store.agentIdByIcalHash('b'.repeat(64))).toBeNull();
    expect(await t.store.setIcalHash(9999, 'c'.repeat(64))).toBe(false);
    await t.store.setIcalHash(martin, 'd'.repeat(64));
    expect(await t.store.agentIdsByLogin('CAF', ['l.petit', 'c.martin', 'l.petit'])).toEqual([petit, martin]);
    expect(await t.store.agentIdsByLogin('CAF', [])).toEqual([]);
    expect(await t.store.agentIdsByLogin('CAF', ['c.martin', 'inconnu'])).toBeNull();
    expect(await t.store.agentIdsByLogin('CAF', ['m.cpam'])).toBeNull();
    expect(await t.store.agentIdsByLogin('CPAM', ['m.cpam'])).toEqual([other]);
    await t.revokeAgent(martin);
    expect(await t.store.isPlanner(martin)).toBe(false);
    expect(await t.store.agentIdByIcalHash('d'.repeat(64))).toBeNull();
    expect(await t.store.agentIdsByLogin('CAF', ['c.martin'])).toBeNull();
  });

  it("offers the department's booths not revoked to planners, with the commune typed at enrolment", async () => {
    const t = await open(2);
    const enrolled = await t.enrolBooth(`Maison France services ${'x'.repeat(150)}`, 'Figeac');
    expect(await t.store.boothChoices()).toEqual([
      { id: t.boothIds[0], siteName: 'Mairie 1', commune: null },
      { id: t.boothIds[1], siteName: 'Mairie 2', commune: null },
      { id: enrolled, siteName: `Maison France services ${'x'.repeat(150)}`.slice(0, 120), commune: 'Figeac' },
    ]);
  });

  it('gives every appointment starting in [start, end), whatever became of it', async () => {
    const t = await open();
    await published(t, { start: TEN, rule: 'FREQ=DAILY;COUNT=2', lengthMin: 30, capacity: 3 });
    const [monday, tuesday] = await t.service.freeSlots('CAF', t.boothIds[0]!, undefined, 2);
    const kept = await bookAt(t, t.boothIds[0]!, monday!.startsAt);
    const cancelled = await bookAt(t, t.boothIds[1]!, monday!.startsAt);
    const later = await bookAt(t, t.boothIds[0]!, tuesday!.startsAt);
    t.clock.now = MONDAY_8H + 60_000;
    await t.service.cancel(cancelled.id, t.boothIds[1]!);
    const records = await t.store.records(monday!.startsAt, tuesday!.startsAt);
    expect([...records].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [
        { id: kept.id, organisation: 'CAF', startsAt: monday!.startsAt, status: 'booked', updatedAt: MONDAY_8H },
        { id: cancelled.id, organisation: 'CAF', startsAt: monday!.startsAt, status: 'cancelled', updatedAt: MONDAY_8H + 60_000 },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect((await t.store.records(-Infinity, Infinity)).map((r) => r.id).sort()).toEqual([kept.id, cancelled.id, later.id].sort());
    expect(await t.store.records(NaN, Infinity)).toEqual([]);
  });

  it('refuses what its tables refuse: a capacity below one', async () => {
    const t = await open();
    const series = { organisation: 'CAF', start: TEN, rule: null, timeZone: 'Europe/Paris', lengthMin: 30, capacity: -1, booths: null, agentIds: [], onHolidays: false, createdBy: null };
    await expect(outcome(() => t.store.publish(series, [{ startsAt: Date.UTC(2026, 5, 1, 8), endsAt: Date.UTC(2026, 5, 1, 8, 30), day: '2026-06-01', shifted: false }], t.clock.now))).rejects.toThrow(
      /CHECK|check constraint/,
    );
    expect(await t.store.listSeries('CAF', t.clock.now)).toEqual([]);
  });

  it('finds nothing for ids no row can have, strings of any length or with NUL, and instants out of range', async () => {
    const t = await open();
    await published(t, { start: TEN, lengthMin: 30, capacity: 2 });
    const [slot] = await t.service.freeSlots('CAF', t.boothIds[0]!, undefined, 1);
    const a = await bookAt(t, t.boothIds[0]!, slot!.startsAt);
    const now = t.clock.now;
    for (const id of ['x'.repeat(10_000), `${a.id}\0`, '\0', "' OR 1=1 --"]) {
      expect(await t.store.byId(id)).toBeNull();
      expect(await t.store.honour(id, now)).toBe(false);
      expect(await t.store.cancel(id, t.boothIds[0]!, now)).toBeNull();
    }
    for (const bad of [1.5, NaN, Infinity, -Infinity, 2 ** 53, 2 ** 64, -0.5]) {
      expect(await t.store.cancel(a.id, bad, now)).toBeNull();
      expect(await t.store.closeSeries('CAF', bad, now)).toBeNull();
      expect(await t.store.forBooth(bad, 0)).toEqual([]);
      expect(await t.store.isPlanner(bad)).toBe(false);
      expect(await t.store.setPlanner(bad, true)).toBe(false);
      expect(await t.store.setIcalHash(bad, 'e'.repeat(64))).toBe(false);
    }
    for (const org of ['CAF\0', 'x'.repeat(10_000)]) {
      expect(await t.store.subjects(org)).toEqual([]);
      expect(await t.store.closures(org, '2026-01-01')).toEqual([]);
      expect(await t.store.listSeries(org, now)).toEqual([]);
      expect(await t.store.freeSlots(org, t.boothIds[0]!, now, 5)).toEqual([]);
      expect(await t.store.book({ organisation: org, boothId: t.boothIds[0]!, startsAt: slot!.startsAt, subject: 'rsa', note: null, newId: randomUUID }, now)).toEqual({
        ok: false,
        code: 'UNKNOWN_SUBJECT',
      });
    }
    expect(await t.store.book({ organisation: 'CAF', boothId: t.boothIds[0]!, startsAt: slot!.startsAt, subject: 'rsa\0', note: null, newId: randomUUID }, now)).toEqual({
      ok: false,
      code: 'UNKNOWN_SUBJECT',
    });
    expect(await t.store.agentIdByIcalHash('\0')).toBeNull();
    expect(await t.store.agentIdByIcalHash('f'.repeat(10_000))).toBeNull();
    expect(await t.store.agentIdsByLogin('CAF', ['c.martin\0'])).toBeNull();
    expect(await t.store.agentIdsByLogin('CAF', ['x'.repeat(10_000)])).toBeNull();
    // Instants beyond BIGINT (1e300, Infinity) or none (NaN), as the booth may send in an integer frame field.
    for (const startsAt of [1e300, Infinity, slot!.startsAt + 0.5]) {
      expect(await t.store.book({ organisation: 'CAF', boothId: t.boothIds[1]!, startsAt, subject: 'rsa', note: null, newId: randomUUID }, now)).toEqual({ ok: false, code: 'SLOT_TAKEN' });
    }
    expect(await t.store.freeSlots('CAF', t.boothIds[0]!, 1e300, 5)).toEqual([]);
    expect(await t.store.freeSlots('CAF', t.boothIds[0]!, NaN, 5)).toEqual([]);
    expect(await t.store.freeSlots('CAF', t.boothIds[0]!, -1e300, 5)).toHaveLength(1);
    expect(await t.store.forAgent(t.agentIds[0]!, 'CAF', 1e300, Infinity)).toEqual([]);
    expect(await t.store.forAgent(t.agentIds[0]!, 'CAF', -Infinity, 1e300)).toEqual([a]);
    expect(await t.store.forAgent(t.agentIds[0]!, 'CAF', NaN, Infinity)).toEqual([]);
    expect(await t.store.forBooth(t.boothIds[0]!, -1e300)).toEqual([a]);
    expect(await t.store.sweep(now, Infinity)).toEqual({ missed: [], notesErased: 0 });
    expect(await t.store.byId(a.id)).toEqual(a);
  });
});

/**
 * A day of a planner and three booths, every answer kept: the stores must give the same answers to the same calls (ids
 * come from one counter on each side, series and slots are numbered from 1 on both).
 */
async function scriptedDay(t: Opened): Promise<unknown[]> {
  const said: unknown[] = [];
  const say = async (v: unknown): Promise<void> => void said.push(await v);
  const [b1 = 0, b2 = 0, b3 = 0] = t.boothIds;
  await t.store.setPlanner(t.agentIds[0]!, true);
  await say(t.service.publish('CAF', t.agentIds[0]!, { start: TEN, rule: 'FREQ=DAILY;COUNT=3', lengthMin: 30, capacity: 2, agents: ['p.durand', 'c.martin'] }));
  await say(t.service.publish('CAF', t.agentIds[0]!, { start: TEN, rule: 'FREQ=DAILY;COUNT=2', lengthMin: 20, capacity: 1, booths: [b2] }));
  await say(t.service.publish('CPAM', t.agentIds[0]!, { start: '2026-06-01T09:00', lengthMin: 30, capacity: 1 }));
  for (const b of t.boothIds) await say(t.service.freeSlots('CAF', b, undefined, 10));
  const monday = Date.UTC(2026, 5, 1, 8);
  const tuesday = Date.UTC(2026, 5, 2, 8);
  for (const [booth, startsAt, note] of [
    [b1, monday, 'Amina'],
    [b2, monday, undefined],
    [b3, monday, 'Zoë'],
    [b2, monday, 'Léa'],
    [b2, monday, undefined],
    [b3, tuesday, undefined],
    [b1, tuesday, 'J. D.'],
  ] as const) {
    await say(t.service.book({ organisation: 'CAF', boothId: booth, startsAt, subject: 'logement', note, noteConsent: note !== undefined }));
  }
  await say(t.service.book({ organisation: 'CPAM', boothId: b1, startsAt: Date.UTC(2026, 5, 1, 7), subject: 'css' }));
  for (const agent of t.agentIds) await say(t.store.forAgent(agent, 'CAF', MONDAY_8H, MONDAY_8H + 7 * 86_400_000));
  for (const b of t.boothIds) await say(t.store.forBooth(b, MONDAY_8H));
  await say(t.service.cancel('rdv-2', b2));
  await say(t.service.cancel('rdv-2', b2));
  await say(t.store.listSeries('CAF', t.clock.now));
  t.clock.now = monday + 5 * 60_000;
  await say(t.store.honour('rdv-1', t.clock.now));
  t.clock.now = monday + DEFAULT_GRACE_MS;
  await say(t.service.sweep());
  t.clock.now = monday + 60 * 60_000;
  await say(t.service.sweep());
  await say(t.service.closeDays('CAF', '2026-06-02', '2026-06-03', 'Grève'));
  await say(t.service.closeSeries('CAF', 1));
  await say(t.store.listSeries('CAF', t.clock.now));
  await say(t.store.closures('CAF', '2026-06-01'));
  await say(t.service.freeSlots('CAF', b2, undefined, 10));
  await say(t.store.records(MONDAY_8H, MONDAY_8H + 7 * 86_400_000));
  for (let i = 1; i <= 8; i++) await say(t.store.byId(`rdv-${i}`));
  return said;
}

describe('the same answers on both stores', () => {
  it('gives the same answer to every call of a scripted day', async () => {
    const sqlite = await scriptedDay(await openSqlite(3, counter()));
    const pg = await scriptedDay(await openPostgres(3, counter()));
    expect(sqlite).toHaveLength(40);
    expect(pg).toEqual(sqlite);
  });
});

describe('several hub nodes on one PostgreSQL', () => {
  const NODES = 4;
  /** The database with `booths` booths, its store's service, and NODES other nodes on it at the same clock. */
  async function cluster(booths: number): Promise<{ t: Opened; nodes: Array<{ store: AppointmentStore; service: AppointmentService }> }> {
    const t = await openPostgres(booths);
    const nodes = await Promise.all(Array.from({ length: NODES }, () => node(t.url, t.clock)));
    return { t, nodes };
  }

  it('gives the last place of a slot to exactly one of 20 bookings from 4 nodes, and offers the others the next slot', async () => {
    const { t, nodes } = await cluster(20);
    await published(t, { start: TEN, rule: 'FREQ=DAILY;COUNT=2', lengthMin: 30, capacity: 1 });
    const [first, second] = await t.service.freeSlots('CAF', t.boothIds[0]!, undefined, 2);
    const answers = await Promise.all(t.boothIds.map((b, i) => nodes[i % NODES]!.service.book({ organisation: 'CAF', boothId: b, startsAt: first!.startsAt, subject: 'rsa' })));
    expect(answers.filter((r) => r.ok)).toHaveLength(1);
    const losers = answers.filter((r) => !r.ok);
    expect(losers).toHaveLength(19);
    for (const l of losers) expect(l).toMatchObject({ ok: false, code: 'SLOT_TAKEN', next: [{ startsAt: second!.startsAt, free: 1 }] });
    expect(await t.sql(`SELECT booked, capacity FROM slots WHERE starts_at = ${first!.startsAt}`)).toEqual([{ booked: 1, capacity: 1 }]);
    expect(await t.sql('SELECT count(*)::int AS n FROM appointments')).toEqual([{ n: 1 }]);
  });

  it('gives the places of a slot named for 2 agents to 3 of 12 bookings at once, each agent holding one place at most', async () => {
    const { t, nodes } = await cluster(12);
    await published(t, { start: TEN, lengthMin: 30, capacity: 3, agents: ['c.martin', 'p.durand'] });
    const [slot] = await t.service.freeSlots('CAF', t.boothIds[0]!, undefined, 1);
    const answers = await Promise.all(t.boothIds.map((b, i) => nodes[i % NODES]!.service.book({ organisation: 'CAF', boothId: b, startsAt: slot!.startsAt, subject: 'rsa' })));
    const won = answers.filter((r) => r.ok).map(booked);
    expect(won).toHaveLength(3);
    expect(won.map((a) => a.agentId).sort()).toEqual([t.agentIds[0], t.agentIds[1], null].sort());
    expect(answers.filter((r) => !r.ok).every((r) => !r.ok && r.code === 'SLOT_TAKEN')).toBe(true);
    expect(await t.sql('SELECT booked FROM slots')).toEqual([{ booked: 3 }]);
  });

  it('spreads 10 bookings at once over the slots of one start (one series per agent): one place each, the rest refused', async () => {
    const { t, nodes } = await cluster(10);
    for (const agent of AGENTS) await published(t, { start: TEN, lengthMin: 30, capacity: 1, agents: [agent] });
    const [slot] = await t.service.freeSlots('CAF', t.boothIds[0]!, undefined, 1);
    expect(slot!.free).toBe(3);
    const answers = await Promise.all(t.boothIds.map((b, i) => nodes[i % NODES]!.service.book({ organisation: 'CAF', boothId: b, startsAt: slot!.startsAt, subject: 'rsa' })));
    const won = answers.filter((r) => r.ok).map(booked);
    expect(won.map((a) => a.slotId).sort()).toEqual([1, 2, 3]);
    expect(won.map((a) => a.agentId).sort()).toEqual([...t.agentIds].sort());
    expect(await t.sql('SELECT booked FROM slots ORDER BY id')).toEqual([{ booked: 1 }, { booked: 1 }, { booked: 1 }]);
  });

  it('gives the next agent, without an error, when the first was given a place of the slot by a booking committed meanwhile', async () => {
    const t = await openPostgres();
    await published(t, { start: TEN, lengthMin: 30, capacity: 3, agents: ['c.martin', 'p.durand'] });
    const [slot] = await t.service.freeSlots('CAF', t.boothIds[0]!, undefined, 1);
    const [martin, durand] = t.agentIds;
    // Another writer holds c.martin's place of the slot, not committed yet: this booking does not see it, chooses
    // c.martin, and its insert waits on the unique index until that writer commits.
    await t.sql('BEGIN');
    await t.sql(
      `INSERT INTO appointments (id, slot_id, organisation, booth_id, agent_id, starts_at, ends_at, subject, status, created_at, updated_at)
       VALUES ('ailleurs', 1, 'CAF', ${t.boothIds[1]!}, ${martin!}, ${slot!.startsAt}, ${slot!.endsAt}, 'rsa', 'booked', 0, 0)`,
    );
    const booking = t.service.book({ organisation: 'CAF', boothId: t.boothIds[0]!, startsAt: slot!.startsAt, subject: 'rsa' });
    const deadline = Date.now() + 10_000;
    while ((await t.sql('SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted'))[0]!.n === 0) {
      if (Date.now() > deadline) throw new Error('the booking never waited for the other writer');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await t.sql('COMMIT');
    expect(booked(await booking).agentId).toBe(durand);
    expect(await t.sql("SELECT agent_id FROM appointments WHERE status = 'booked' ORDER BY agent_id")).toEqual([{ agent_id: String(martin) }, { agent_id: String(durand) }]);
  });

  it('counts the appointments of a booth booking from several nodes at once against its limit', async () => {
    const { t, nodes } = await cluster(1);
    await published(t, { start: TEN, lengthMin: 30, capacity: 60 });
    const [slot] = await t.service.freeSlots('CAF', t.boothIds[0]!, undefined, 1);
    const answers = await Promise.all(
      Array.from({ length: MAX_BOOKED_PER_BOOTH + 10 }, (_, i) => nodes[i % NODES]!.service.book({ organisation: 'CAF', boothId: t.boothIds[0]!, startsAt: slot!.startsAt, subject: 'rsa' })),
    );
    expect(answers.filter((r) => r.ok)).toHaveLength(MAX_BOOKED_PER_BOOTH);
    expect(answers.filter((r) => !r.ok).every((r) => !r.ok && r.code === 'TOO_MANY_APPOINTMENTS')).toBe(true);
  });

  it('sweeps on 4 nodes at once: every due appointment marked « non honoré » by exactly one, every note over erased once', async () => {
    const { t, nodes } = await cluster(3);
    await published(t, { start: TEN, rule: 'FREQ=DAILY;COUNT=4', lengthMin: 10, capacity: 8 });
    const starts = (await t.service.freeSlots('CAF', t.boothIds[0]!, undefined, 4)).map((s) => s.startsAt);
    const due: string[] = [];
    const honoured: string[] = [];
    for (const [day, startsAt] of starts.entries()) {
      for (let i = 0; i < 8; i++) {
        const a = await bookAt(t, t.boothIds[(day * 8 + i) % 3]!, startsAt, { note: `N${i}`, noteConsent: true });
        (i < 2 ? honoured : due).push(a.id);
      }
    }
    t.clock.now = starts[3]! + 60_000;
    for (const id of honoured) expect(await t.store.honour(id, t.clock.now)).toBe(true);
    t.clock.now = starts[3]! + DEFAULT_GRACE_MS;
    const sweeps = await Promise.all(nodes.map((n) => n.service.sweep()));
    const missed = sweeps.flatMap((s) => s.missed.map((a) => a.id));
    expect(missed.sort()).toEqual([...due].sort());
    expect(new Set(missed).size).toBe(missed.length);
    expect(sweeps.every((s) => s.missed.every((a) => a.status === 'missed' && a.note === null))).toBe(true);
    expect(sweeps.reduce((n, s) => n + s.notesErased, 0)).toBe(honoured.length);
    expect(await t.sql("SELECT status, count(*)::int AS n, count(note)::int AS notes FROM appointments GROUP BY status ORDER BY status")).toEqual([
      { status: 'honoured', n: honoured.length, notes: 0 },
      { status: 'missed', n: due.length, notes: 0 },
    ]);
  });

  it('honours an appointment asked by 4 nodes at once once; cancels it once; closes a series and days once', async () => {
    const { t, nodes } = await cluster(3);
    const seriesId = await published(t, { start: TEN, rule: 'FREQ=DAILY;COUNT=3', lengthMin: 30, capacity: 6 });
    const days = await published(t, { start: '2026-06-02T14:00', rule: 'FREQ=DAILY;COUNT=2', lengthMin: 30, capacity: 6 });
    const [monday, tuesday, wednesday] = [Date.UTC(2026, 5, 1, 8), Date.UTC(2026, 5, 2, 8), Date.UTC(2026, 5, 3, 8)] as const;
    const onMonday = [];
    for (let i = 0; i < 6; i++) onMonday.push(await bookAt(t, t.boothIds[i % 3]!, monday));
    const onTuesday = [];
    for (let i = 0; i < 6; i++) onTuesday.push(await bookAt(t, t.boothIds[i % 3]!, i < 3 ? tuesday : Date.UTC(2026, 5, 2, 12)));
    const onWednesday = await bookAt(t, t.boothIds[0]!, wednesday);

    t.clock.now = monday + 60_000;
    for (const a of onMonday.slice(0, 3)) expect((await Promise.all(nodes.map((n) => n.store.honour(a.id, t.clock.now)))).filter(Boolean)).toHaveLength(1);
    for (const a of onMonday.slice(3)) {
      const cancelled = await Promise.all(nodes.map((n) => n.service.cancel(a.id, a.boothId)));
      expect(cancelled.filter((c) => 'id' in c)).toEqual([{ ...a, status: 'cancelled' }]);
    }
    expect(await t.sql(`SELECT booked FROM slots WHERE starts_at = ${monday}`)).toEqual([{ booked: 3 }]);

    const closedDays = await Promise.all(nodes.map((n) => n.service.closeDays('CAF', '2026-06-02', '2026-06-02', null)));
    const affectedByDays = closedDays.flatMap((c) => (c.ok ? c.affected.map((a) => a.id) : []));
    expect(affectedByDays.sort()).toEqual(onTuesday.map((a) => a.id).sort());
    expect(closedDays.reduce((n, c) => n + (c.ok ? c.slots : 0), 0)).toBe(2);
    const removed = await Promise.all(nodes.map((n) => n.service.closeSeries('CAF', seriesId)));
    // From now on: Monday's has begun, Tuesday's is closed already.
    expect(removed.filter((r) => r.ok)).toEqual([{ ok: true, slots: 1, affected: [{ ...onWednesday, status: 'closed' }] }]);
    expect(await t.store.listSeries('CAF', t.clock.now)).toMatchObject([{ id: days, upcoming: 1 }]);
  });

  it('never leaves a booking in a slot closed while it was being taken: each one won is reported closed', async () => {
    const { t, nodes } = await cluster(12);
    await published(t, { start: TEN, rule: 'FREQ=DAILY;COUNT=2', lengthMin: 30, capacity: 12 });
    const [, tuesday] = await t.service.freeSlots('CAF', t.boothIds[0]!, undefined, 2);
    const bookings = t.boothIds.map((b, i) => nodes[i % NODES]!.service.book({ organisation: 'CAF', boothId: b, startsAt: tuesday!.startsAt, subject: 'rsa' }));
    const closing = nodes[1]!.service.closeDays('CAF', '2026-06-02', '2026-06-02', 'Grève');
    const [closed, ...answers] = await Promise.all([closing, ...bookings]);
    const won = answers.filter((r) => r.ok).map((r) => booked(r).id);
    expect(closed.ok && closed.affected.map((a) => a.id).sort()).toEqual(won.sort());
    expect(await t.sql("SELECT count(*)::int AS n FROM appointments WHERE status = 'booked'")).toEqual([{ n: 0 }]);
  });
  it('sweeps without waiting for a note whose row another transaction holds (a closing may be waiting for the rows it marks)', async () => {
    const t = await openPostgres();
    await published(t, { start: TEN, lengthMin: 10, capacity: 2 });
    const startsAt = Date.UTC(2026, 5, 1, 8);
    const honoured = await bookAt(t, t.boothIds[0]!, startsAt, { note: 'Amina', noteConsent: true });
    const due = await bookAt(t, t.boothIds[1]!, startsAt);
    expect(await t.store.honour(honoured.id, startsAt)).toBe(true);
    t.clock.now = startsAt + DEFAULT_GRACE_MS;
    await t.sql('BEGIN');
    await t.sql(`SELECT 1 FROM appointments WHERE id = '${honoured.id}' FOR UPDATE`);
    let timer: NodeJS.Timeout | undefined;
    const swept = await Promise.race([t.service.sweep(), new Promise((resolve) => (timer = setTimeout(() => resolve('waited'), 5_000)))]);
    clearTimeout(timer);
    // The row the sweep marked is free again: the other transaction takes it without waiting.
    await t.sql(`SELECT 1 FROM appointments WHERE id = '${due.id}' FOR UPDATE NOWAIT`);
    await t.sql('COMMIT');
    expect(swept).toEqual({ missed: [{ ...due, status: 'missed' }], notesErased: 0 });
    expect(await t.service.sweep()).toEqual({ missed: [], notesErased: 1 });
  });

  it('mixes sweeps, closings, bookings, cancellations and honours on 4 nodes at once: no error, each appointment reported once', { timeout: 30_000 }, async () => {
    const { t, nodes } = await cluster(12);
    for (const capacity of [6, 4]) await published(t, { start: TEN, rule: 'FREQ=DAILY;COUNT=3', lengthMin: 10, capacity });
    const [monday, tuesday, wednesday] = [Date.UTC(2026, 5, 1, 8), Date.UTC(2026, 5, 2, 8), Date.UTC(2026, 5, 3, 8)] as const;
    const onMonday: Appointment[] = [];
    const onTuesday: Appointment[] = [];
    for (let i = 0; i < 10; i++) {
      onMonday.push(await bookAt(t, t.boothIds[i]!, monday, { note: `M${i}`, noteConsent: true }));
      onTuesday.push(await bookAt(t, t.boothIds[i]!, tuesday, { note: `T${i}`, noteConsent: true }));
    }
    t.clock.now = monday + DEFAULT_GRACE_MS + 10 * 60_000;
    const on = (i: number): (typeof nodes)[number] => nodes[i % NODES]!;
    const [sweeps, closings, books, cancels, honours] = await Promise.all([
      Promise.all(nodes.flatMap((n) => [n.service.sweep(), n.service.sweep()])),
      Promise.all([on(0).service.closeDays('CAF', '2026-06-01', '2026-06-01', null), on(1).service.closeDays('CAF', '2026-06-02', '2026-06-02', null), on(2).service.closeDays('CAF', '2026-06-01', '2026-06-02', null)]),
      Promise.all(t.boothIds.map((b, i) => on(i).service.book({ organisation: 'CAF', boothId: b, startsAt: i % 2 ? tuesday : wednesday, subject: 'rsa' }))),
      Promise.all(onTuesday.slice(0, 5).flatMap((a, i) => [on(i).service.cancel(a.id, a.boothId), on(i + 1).service.cancel(a.id, a.boothId)])),
      Promise.all(onMonday.slice(0, 3).flatMap((a, i) => [on(i).store.honour(a.id, t.clock.now), on(i + 2).store.honour(a.id, t.clock.now)])),
    ]);
    const missed = sweeps.flatMap((s) => s.missed.map((a) => a.id));
    const closed = closings.flatMap((c) => (c.ok ? c.affected.map((a) => a.id) : []));
    const cancelled = cancels.flatMap((c) => ('id' in c ? [c.id] : []));
    const reported = [...missed, ...closed, ...cancelled];
    expect(new Set(reported).size).toBe(reported.length);
    expect(honours.filter(Boolean).length).toBeLessThanOrEqual(3);
    const rows = (await t.sql('SELECT id, status, note FROM appointments')) as Array<{ id: string; status: string; note: string | null }>;
    const statusOf = new Map(rows.map((r) => [r.id, r.status]));
    for (const id of missed) expect(statusOf.get(id)).toBe('missed');
    for (const id of closed) expect(statusOf.get(id)).toBe('closed');
    for (const id of cancelled) expect(statusOf.get(id)).toBe('cancelled');
    // Every appointment of the closed days is over one way or another, and said so by exactly one answer.
    for (const a of [...onMonday, ...onTuesday]) expect(statusOf.get(a.id) === 'honoured' || reported.includes(a.id), a.id).toBe(true);
    for (const a of books.filter((b) => b.ok).map(booked)) {
      if (a.startsAt === wednesday) expect(statusOf.get(a.id)).toBe('booked');
      else expect(closed).toContain(a.id);
    }
    expect(rows.filter((r) => r.status !== 'booked' && r.status !== 'honoured' && r.note !== null)).toEqual([]);
    // Each slot counts the places taken and not given back.
    expect(
      await t.sql(`SELECT s.id FROM slots s WHERE s.booked <> (SELECT count(*) FROM appointments a WHERE a.slot_id = s.id AND a.status <> 'cancelled')`),
    ).toEqual([]);
    expect(await t.sql("SELECT count(*)::int AS n FROM appointments a JOIN slots s ON s.id = a.slot_id WHERE a.status = 'booked' AND s.closed_at IS NOT NULL")).toEqual([{ n: 0 }]);
  });
});

describe('PostgreSQL only: ids and text it cannot hold', () => {
  it('answers ids no row can have and strings with NUL without sending them to the server', async () => {
    const refusing = new Proxy({} as pg.Pool, {
      get: () => () => {
        throw new Error('sent to the server');
      },
    });
    const store = postgresAppointmentStore(refusing);
    for (const bad of [1.5, NaN, Infinity, 2 ** 53, 2 ** 64]) {
      expect(await store.cancel('rdv-1', bad, 0)).toBeNull();
      expect(await store.closeSeries('CAF', bad, 0)).toBeNull();
      expect(await store.forBooth(bad, 0)).toEqual([]);
      expect(await store.forAgent(bad, 'CAF', 0, 1)).toEqual([]);
      expect(await store.freeSlots('CAF', bad, 0, 5)).toEqual([]);
      expect(await store.isPlanner(bad)).toBe(false);
      expect(await store.setPlanner(bad, true)).toBe(false);
      expect(await store.setIcalHash(bad, 'h')).toBe(false);
    }
    expect(await store.byId('rdv\0')).toBeNull();
    expect(await store.honour('rdv\0', 0)).toBe(false);
    expect(await store.cancel('rdv\0', 1, 0)).toBeNull();
    expect(await store.subjects('CAF\0')).toEqual([]);
    expect(await store.closures('CAF\0', '2026-01-01')).toEqual([]);
    expect(await store.closures('CAF', '2026\0')).toEqual([]);
    expect(await store.listSeries('CAF\0', 0)).toEqual([]);
    expect(await store.freeSlots('CAF\0', 1, 0, 5)).toEqual([]);
    expect(await store.forAgent(1, 'CAF\0', 0, 1)).toEqual([]);
    expect(await store.agentIdByIcalHash('\0')).toBeNull();
    expect(await store.agentIdsByLogin('CAF', ['c.martin\0'])).toBeNull();
    expect(await store.agentIdsByLogin('CAF\0', ['c.martin'])).toBeNull();
    expect(await store.agentIdsByLogin('CAF\0', [])).toEqual([]);
    expect(await store.book({ organisation: 'CAF', boothId: 1, startsAt: 1, subject: 'rsa\0', note: null, newId: randomUUID }, 0)).toEqual({ ok: false, code: 'UNKNOWN_SUBJECT' });
    await expect(store.setIcalHash(1, 'a\0b')).rejects.toThrow('NUL');
  });

  it('refuses a booth no row can have a place, and finds neither its free slots nor an agent of such an id (SQLite would fail or show every booth’s)', async () => {
    const t = await openPostgres();
    await published(t, { start: TEN, lengthMin: 30, capacity: 2 });
    const [slot] = await t.service.freeSlots('CAF', t.boothIds[0]!, undefined, 1);
    await bookAt(t, t.boothIds[0]!, slot!.startsAt);
    expect(await t.store.book({ organisation: 'CAF', boothId: 1.5, startsAt: slot!.startsAt, subject: 'rsa', note: null, newId: randomUUID }, t.clock.now)).toEqual({ ok: false, code: 'SLOT_TAKEN' });
    expect(await t.store.freeSlots('CAF', NaN, 0, 5)).toEqual([]);
    expect(await t.store.forAgent(1.5, 'CAF', 0, Infinity)).toEqual([]);
    // Booths no row can have are left out of a series: it is for the others only.
    const seriesId = await published(t, { start: '2026-06-01T11:00', lengthMin: 30, capacity: 1, booths: [t.boothIds[1]!, 2 ** 64] });
    expect((await t.store.listSeries('CAF', t.clock.now)).find((s) => s.id === seriesId)?.booths).toEqual([t.boothIds[1]]);
  });

  it('stores text with NUL without it (a reason, a rule), and a closed range as recorded', async () => {
    const t = await openPostgres();
    expect(await t.store.closeDays('CAF', { from: '2026-06-02', to: '2026-06-02' }, 'Grè\0ve', t.clock.now)).toEqual({ slots: 0, affected: [] });
    expect(await t.store.closures('CAF', '2026-06-01')).toEqual([{ from: '2026-06-02', to: '2026-06-02', reason: 'Grève' }]);
    const series = { organisation: 'CAF', start: TEN, rule: 'FREQ=DAILY;\0COUNT=1', timeZone: 'Europe/Paris', lengthMin: 30, capacity: 1, booths: null, agentIds: [], onHolidays: false, createdBy: 1 };
    const { seriesId } = await t.store.publish(series, [{ startsAt: Date.UTC(2026, 5, 1, 8), endsAt: Date.UTC(2026, 5, 1, 8, 30), day: '2026-06-01', shifted: false }], t.clock.now);
    expect((await t.store.listSeries('CAF', t.clock.now)).find((s) => s.id === seriesId)?.rule).toBe('FREQ=DAILY;COUNT=1');
  });

  it('keeps the constraints of its tables: a slot never over capacity, an agent never holding two places of a slot', async () => {
    const t = await openPostgres();
    await published(t, { start: TEN, lengthMin: 30, capacity: 2, agents: ['c.martin'] });
    const [slot] = await t.service.freeSlots('CAF', t.boothIds[0]!, undefined, 1);
    const a = await bookAt(t, t.boothIds[0]!, slot!.startsAt);
    expect(a.agentId).toBe(t.agentIds[0]);
    await expect(t.sql('UPDATE slots SET booked = capacity + 1')).rejects.toThrow(/check constraint/);
    await expect(
      t.sql(
        `INSERT INTO appointments (id, slot_id, organisation, booth_id, agent_id, starts_at, ends_at, subject, status, created_at, updated_at)
         SELECT 'copy', slot_id, organisation, booth_id, agent_id, starts_at, ends_at, subject, 'booked', 0, 0 FROM appointments WHERE id = '${a.id}'`,
      ),
    ).rejects.toThrow(/appointments_holder/);
    await expect(t.sql(`UPDATE appointments SET note = 'x' WHERE id = '${a.id}'`)).rejects.toThrow(/check constraint/);
    expect(await t.sql("SELECT version, name FROM schema_migrations WHERE name = 'appointments'")).toEqual([{ version: 7, name: 'appointments' }]);
  });
});
