// Booking rules over the SQLite store (server/appointments/service.ts + sqlite*.ts): places, cancellation, honour,
// « non honoré » after the grace time, notes kept only until the appointment is over, closures never silent.
import { describe, expect, it } from 'vitest';
import { SlotSeriesSpec } from '../../../../shared/appointments.js';
import { DEFAULT_GRACE_MS } from '../../../../server/appointments/service.js';
import { appointmentsFixture } from './fixture.js';

const TEN = '2026-06-01T10:00';
const bookOk = async (t: ReturnType<typeof appointmentsFixture>, boothId: number, startsAt: number, extra: { note?: string; noteConsent?: boolean } = {}) => {
  const r = await t.service.book({ organisation: 'CAF', boothId, startsAt, subject: 'rsa', ...extra });
  if (!r.ok) throw new Error(`booking refused: ${r.code}`);
  return r.appointment;
};

describe('booking', () => {
  it('fills a slot up to its capacity, gives each place its named agent in order, then refuses with the next slots', async () => {
    const t = appointmentsFixture();
    const [b1 = 0, b2 = 0, b3 = 0] = t.boothIds;
    expect(await t.service.publish('CAF', t.agentIds[0] ?? 0, { start: TEN, rule: 'FREQ=DAILY;COUNT=2', lengthMin: 30, capacity: 2, agents: ['p.durand', 'c.martin'] })).toMatchObject({ ok: true, slots: 2 });
    const [first, second] = await t.service.freeSlots('CAF', b1, undefined, 5);
    expect(first?.free).toBe(2);
    const a = await bookOk(t, b1, first?.startsAt ?? 0);
    const b = await bookOk(t, b2, first?.startsAt ?? 0);
    expect([a.agentId, b.agentId]).toEqual([t.agentIds[1], t.agentIds[0]]);
    const refused = await t.service.book({ organisation: 'CAF', boothId: b3, startsAt: first?.startsAt ?? 0, subject: 'rsa' });
    expect(refused).toMatchObject({ ok: false, code: 'SLOT_TAKEN' });
    expect(!refused.ok && refused.next?.map((s) => s.startsAt)).toEqual([second?.startsAt]);
    expect((await t.service.freeSlots('CAF', b1, undefined, 5)).map((s) => s.startsAt)).toEqual([second?.startsAt]);
  });

  it('shows a series for some booths only to them', async () => {
    const t = appointmentsFixture();
    const [b1 = 0, b2 = 0] = t.boothIds;
    await t.service.publish('CAF', 1, { start: TEN, lengthMin: 30, capacity: 1, booths: [b2] });
    expect(await t.service.freeSlots('CAF', b1, undefined, 5)).toEqual([]);
    const [slot] = await t.service.freeSlots('CAF', b2, undefined, 5);
    expect(await t.service.book({ organisation: 'CAF', boothId: b1, startsAt: slot?.startsAt ?? 0, subject: 'rsa' })).toMatchObject({ ok: false, code: 'SLOT_TAKEN' });
    expect((await bookOk(t, b2, slot?.startsAt ?? 0)).status).toBe('booked');
  });

  it('refuses an unknown subject, a slot in the past, and another organisation', async () => {
    const t = appointmentsFixture();
    await t.service.publish('CAF', 1, { start: TEN, lengthMin: 30, capacity: 1 });
    const [slot] = await t.service.freeSlots('CAF', t.boothIds[0] ?? 0, undefined, 1);
    const startsAt = slot?.startsAt ?? 0;
    expect(await t.service.book({ organisation: 'CAF', boothId: 1, startsAt, subject: 'inconnu' })).toMatchObject({ ok: false, code: 'UNKNOWN_SUBJECT' });
    expect(await t.service.book({ organisation: 'CPAM', boothId: 1, startsAt, subject: 'droits' })).toMatchObject({ ok: false, code: 'SLOT_TAKEN' });
    t.clock.now = startsAt + 1;
    expect(await t.service.book({ organisation: 'CAF', boothId: 1, startsAt, subject: 'rsa' })).toMatchObject({ ok: false, code: 'SLOT_TAKEN' });
  });
});

describe('cancellation, honour and no-show', () => {
  it('frees the place when the booth cancels, and only its own booth may cancel', async () => {
    const t = appointmentsFixture();
    const [b1 = 0, b2 = 0] = t.boothIds;
    await t.service.publish('CAF', 1, { start: TEN, lengthMin: 30, capacity: 1 });
    const startsAt = (await t.service.freeSlots('CAF', b1, undefined, 1))[0]?.startsAt ?? 0;
    const a = await bookOk(t, b1, startsAt, { note: 'Amina', noteConsent: true });
    expect(await t.service.freeSlots('CAF', b1, undefined, 1)).toEqual([]);
    expect(await t.service.cancel(a.id, b2)).toMatchObject({ ok: false, code: 'UNKNOWN_APPOINTMENT' });
    expect(await t.service.cancel(a.id, b1)).toMatchObject({ id: a.id, status: 'cancelled', note: null });
    expect(await t.service.cancel(a.id, b1)).toMatchObject({ ok: false, code: 'UNKNOWN_APPOINTMENT' });
    expect(t.store.byId(a.id)?.note).toBeNull();
    expect((await bookOk(t, b2, startsAt)).status).toBe('booked');
  });

  it('honours once, marks « non honoré » only after the grace time, and erases the note once it is over', async () => {
    const t = appointmentsFixture();
    const [b1 = 0, b2 = 0] = t.boothIds;
    await t.service.publish('CAF', 1, { start: TEN, lengthMin: 30, capacity: 2 });
    const startsAt = (await t.service.freeSlots('CAF', b1, undefined, 1))[0]?.startsAt ?? 0;
    const honoured = await bookOk(t, b1, startsAt, { note: 'J. D.', noteConsent: true });
    const missed = await bookOk(t, b2, startsAt, { note: 'Léa', noteConsent: true });
    t.clock.now = startsAt + 5 * 60_000;
    expect(t.store.honour(honoured.id, t.clock.now)).toBe(true);
    expect(t.store.honour(honoured.id, t.clock.now)).toBe(false);
    t.clock.now = startsAt + DEFAULT_GRACE_MS - 1;
    expect((await t.service.sweep()).missed).toEqual([]);
    expect(t.store.byId(missed.id)?.note).toBe('Léa');
    t.clock.now = startsAt + DEFAULT_GRACE_MS;
    expect((await t.service.sweep()).missed.map((a) => [a.id, a.status, a.note])).toEqual([[missed.id, 'missed', null]]);
    expect((await t.service.sweep()).missed).toEqual([]);
    expect(t.store.byId(honoured.id)?.note).toBe('J. D.');
    t.clock.now = startsAt + 30 * 60_000;
    expect((await t.service.sweep()).notesErased).toBe(1);
    expect(t.store.byId(honoured.id)).toMatchObject({ status: 'honoured', note: null });
    expect(t.store.honour(missed.id, t.clock.now)).toBe(false);
  });
});

describe('closing slots that are booked is never silent', () => {
  it('reports the appointments of a closed day and of a removed series, and frees nothing twice', async () => {
    const t = appointmentsFixture();
    const [b1 = 0] = t.boothIds;
    const series = await t.service.publish('CAF', 1, { start: TEN, rule: 'FREQ=DAILY;COUNT=5', lengthMin: 30, capacity: 1, agents: ['c.martin'] });
    if (!series.ok) throw new Error('not published');
    const slots = await t.service.freeSlots('CAF', b1, undefined, 5);
    const onTuesday = await bookOk(t, b1, slots[1]?.startsAt ?? 0, { note: 'Amina', noteConsent: true });
    const onFriday = await bookOk(t, b1, slots[4]?.startsAt ?? 0);
    const day = await t.service.closeDays('CAF', '2026-06-02', '2026-06-02', 'Fermeture exceptionnelle');
    expect(day).toMatchObject({ ok: true, slots: 1 });
    expect(day.ok && day.affected.map((a) => [a.id, a.status, a.note, a.boothId, a.agentId])).toEqual([[onTuesday.id, 'closed', null, b1, t.agentIds[0]]]);
    const removed = await t.service.closeSeries('CAF', series.seriesId);
    expect(removed.ok && removed.affected.map((a) => a.id)).toEqual([onFriday.id]);
    expect(await t.service.freeSlots('CAF', b1, undefined, 5)).toEqual([]);
    expect(await t.service.closeSeries('CAF', series.seriesId)).toMatchObject({ ok: false, code: 'UNKNOWN_SERIES' });
    expect(await t.service.closeSeries('CPAM', 999)).toMatchObject({ ok: false, code: 'UNKNOWN_SERIES' });
    // A series published after a closure does not make slots on its days.
    const later = await t.service.publish('CAF', 1, { start: TEN, rule: 'FREQ=DAILY;COUNT=3', lengthMin: 30, capacity: 1 });
    expect(later).toMatchObject({ ok: true, slots: 2, skipped: { closures: 1 } });
  });

  it('refuses unreadable or reversed day ranges', async () => {
    const t = appointmentsFixture();
    for (const [from, to] of [
      ['2026-06-03', '2026-06-02'],
      ['2026-02-30', '2026-03-01'],
      ['2026-01-01', '2028-01-01'],
      ["2026-06-01' OR 1=1", '2026-06-02'],
    ] as const)
      expect(await t.service.closeDays('CAF', from, to, null)).toMatchObject({ ok: false, code: 'BAD_DAYS' });
  });
});

describe('hostile inputs', () => {
  it('refuses notes with control characters, direction overrides, over 40 characters or without consent', async () => {
    const t = appointmentsFixture();
    await t.service.publish('CAF', 1, { start: TEN, lengthMin: 30, capacity: 1 });
    const startsAt = (await t.service.freeSlots('CAF', 1, undefined, 1))[0]?.startsAt ?? 0;
    const attempt = async (note: string, noteConsent = true) => t.service.book({ organisation: 'CAF', boothId: t.boothIds[0] ?? 0, startsAt, subject: 'rsa', note, noteConsent });
    expect(await attempt('Amina\u0000')).toMatchObject({ code: 'BAD_NOTE' });
    expect(await attempt('Amina\nDROP TABLE')).toMatchObject({ code: 'BAD_NOTE' });
    expect(await attempt('\u202eanimA')).toMatchObject({ code: 'BAD_NOTE' });
    expect(await attempt('x'.repeat(10 * 1024))).toMatchObject({ code: 'BAD_NOTE' });
    expect(await attempt('Amina', false)).toMatchObject({ code: 'NOTE_WITHOUT_CONSENT' });
    expect(await t.service.freeSlots('CAF', 1, undefined, 1)).toHaveLength(1);
    expect(await attempt('Zoë')).toMatchObject({ ok: true });
  });

  it('refuses negative or absurd capacities and lengths before the store, and the store refuses them too', async () => {
    for (const bad of [{ capacity: -1 }, { capacity: 0 }, { capacity: 1e9 }, { lengthMin: -30 }, { lengthMin: 1.5 }, { booths: [] }, { agents: Array(200).fill('x') }])
      expect(SlotSeriesSpec.safeParse({ start: TEN, lengthMin: 30, capacity: 1, ...bad }).success).toBe(false);
    const t = appointmentsFixture();
    expect(() => t.store.publish({ organisation: 'CAF', start: TEN, rule: null, timeZone: 'Europe/Paris', lengthMin: 30, capacity: -1, booths: null, agentIds: [], onHolidays: false, createdBy: null }, [], t.clock.now)).toThrow(/CHECK/);
  });

  it('refuses a series naming an agent of another organisation', async () => {
    const t = appointmentsFixture();
    expect(await t.service.publish('CPAM', 1, { start: TEN, lengthMin: 30, capacity: 1, agents: ['c.martin'] })).toMatchObject({ ok: false, code: 'UNKNOWN_AGENT' });
  });
});
