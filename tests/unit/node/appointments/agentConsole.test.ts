// The console's appointments: the planner's form turned into slot series (grids of hours × minutes, hostile input
// refused by field), series read back into words, and the store fed by hub frames (live changes, planner's right by the
// hub's answer, a publication of several series summed, refusals and silence named).
import { describe, expect, it, vi } from 'vitest';
import { createAgentAppointmentsStore, type AppointmentsHubPort } from '../../../../renderer/agent/appointments/agentAppointmentsStore.js';
import { describeSeries, grids, seriesFromForm, type SlotForm } from '../../../../renderer/agent/appointments/slotForm.js';
import type { AgentAppointment } from '../../../../shared/appointments.js';
import { ClientFrame, type HubFrame } from '../../../../shared/protocol.js';
import { generateSlots } from '../../../../server/appointments/generate.js';

const FORM: SlotForm = { kind: 'weekly', date: '', weekdays: ['TH', 'MO'], start: '09:00', end: '12:00', lengthMin: '30', capacity: '2', from: '2026-06-01', to: '2026-06-30', booths: 'all', boothIds: [], agents: '' };
const NOW = Date.UTC(2026, 4, 1);

describe('the planner’s form', () => {
  it('makes one weekly series of BYHOUR × BYMINUTE that the hub’s generator turns into the expected slots', () => {
    const r = seriesFromForm(FORM);
    expect(r).toEqual({ ok: true, specs: [{ start: '2026-06-01T09:00', rule: 'FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=9,10,11;BYMINUTE=0,30;UNTIL=20260630T235959', lengthMin: 30, capacity: 2 }] });
    if (!r.ok) return;
    for (const spec of r.specs) expect(ClientFrame.safeParse({ type: 'slots.publish', series: spec }).success).toBe(true);
    const g = generateSlots(r.specs[0]!, NOW);
    // June 2026: 5 Mondays and 4 Thursdays (none a public holiday), 6 slots a day.
    expect(g.ok && g.occurrences.length).toBe(9 * 6);
  });

  it('splits 45-minute slots into a few grids, and a one-off day into counted slots; one slot needs no rule', () => {
    expect(grids(9 * 60, 12 * 60, 45)).toEqual([
      { hours: [9], minutes: [0, 45] },
      { hours: [10], minutes: [30] },
      { hours: [11], minutes: [15] },
    ]);
    const once = seriesFromForm({ ...FORM, kind: 'once', date: '2026-06-02', lengthMin: '45', booths: 'some', boothIds: [7, 3, 7], agents: 'caf1, caf2' });
    expect(once.ok && once.specs.map((s) => [s.start, s.rule])).toEqual([
      ['2026-06-02T09:00', 'FREQ=DAILY;BYHOUR=9;BYMINUTE=0,45;COUNT=2'],
      ['2026-06-02T10:30', undefined],
      ['2026-06-02T11:15', undefined],
    ]);
    if (!once.ok) return;
    expect(once.specs[0]).toMatchObject({ booths: [3, 7], agents: ['caf1', 'caf2'] });
    const starts = once.specs.flatMap((s) => (generateSlots(s, NOW) as { occurrences: Array<{ startsAt: number }> }).occurrences.map((o) => o.startsAt));
    expect(starts.map((t) => new Date(t).toISOString().slice(11, 16))).toEqual(['07:00', '07:45', '08:30', '09:15']);
    const single = seriesFromForm({ ...FORM, kind: 'once', date: '2026-06-02', start: '14:00', end: '14:30' });
    expect(single.ok && single.specs).toEqual([{ start: '2026-06-02T14:00', lengthMin: 30, capacity: 2 }]);
  });

  it('refuses hostile or impossible values by field, before anything is sent', () => {
    const cases: Array<[Partial<SlotForm>, string, string]> = [
      [{ start: '25:00' }, 'time', 'start'],
      [{ end: '9h' }, 'time', 'end'],
      [{ end: '09:20' }, 'order', 'end'],
      [{ lengthMin: '0' }, 'length', 'lengthMin'],
      [{ lengthMin: '-5' }, 'length', 'lengthMin'],
      [{ lengthMin: '1e3' }, 'length', 'lengthMin'],
      [{ capacity: '101' }, 'capacity', 'capacity'],
      [{ capacity: '' }, 'capacity', 'capacity'],
      [{ weekdays: [] }, 'weekdays', 'weekdays'],
      [{ from: '2026-02-30' }, 'date', 'from'],
      [{ from: "2026-06-01';DROP" }, 'date', 'from'],
      [{ to: '2026-05-01' }, 'range', 'to'],
      [{ kind: 'once', date: '' }, 'date', 'date'],
      [{ booths: 'some', boothIds: [] }, 'booths', 'booths'],
      [{ booths: 'some', boothIds: [1, 1.5] }, 'booths', 'booths'],
      [{ booths: 'some', boothIds: [0] }, 'booths', 'booths'],
      [{ booths: 'some', boothIds: [-3] }, 'booths', 'booths'],
      [{ booths: 'some', boothIds: [Number.NaN] }, 'booths', 'booths'],
      [{ booths: 'some', boothIds: [2 ** 60] }, 'booths', 'booths'],
      [{ booths: 'some', boothIds: Array.from({ length: 501 }, (_, i) => i + 1) }, 'booths', 'booths'],
      [{ agents: 'x'.repeat(65) }, 'agents', 'agents'],
      [{ start: '08:00', end: '20:00', lengthMin: '7' }, 'tooMany', 'lengthMin'],
    ];
    for (const [patch, error, field] of cases) expect([patch, seriesFromForm({ ...FORM, ...patch })]).toEqual([patch, { ok: false, error, field }]);
  });

  it('reads series back: made here, one slot, or any other rule shown as it is', () => {
    expect(describeSeries('2026-06-01T09:00', 'FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=9,10;BYMINUTE=0,30;UNTIL=20260630T235959')).toEqual({
      kind: 'weekly',
      weekdays: ['MO', 'TH'],
      times: ['09:00', '09:30', '10:00', '10:30'],
      from: '2026-06-01',
      to: '2026-06-30',
    });
    expect(describeSeries('2026-06-02T14:00', null)).toEqual({ kind: 'once', day: '2026-06-02', times: ['14:00'] });
    expect(describeSeries('2026-06-02T09:00', 'FREQ=DAILY;BYHOUR=9;BYMINUTE=0,45;COUNT=2')).toEqual({ kind: 'once', day: '2026-06-02', times: ['09:00', '09:45'] });
    expect(describeSeries('2026-03-30T09:00', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO')).toEqual({ kind: 'rule', rule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', from: '2026-03-30' });
    expect(describeSeries('2026-03-30T09:00', 'FREQ=WEEKLY;BYHOUR=99;BYMINUTE=0').kind).toBe('rule');
  });
});

class FakeHub implements AppointmentsHubPort {
  sent: unknown[] = [];
  connected = true;
  private handlers = new Map<string, Array<(f: never) => void>>();
  on(type: string, handler: (f: never) => void) {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), handler]);
    return () => this.handlers.set(type, (this.handlers.get(type) ?? []).filter((h) => h !== handler));
  }
  onEvent(name: string, handler: (e: never) => void) {
    return this.on(`event:${name}`, handler);
  }
  send(frame: unknown): boolean {
    if (!this.connected) return false;
    this.sent.push(frame);
    return true;
  }
  frame(f: HubFrame | Record<string, unknown>): void {
    for (const h of this.handlers.get(String(f.type)) ?? []) (h as (x: unknown) => void)(f);
  }
}

const appt = (id: string, startsAt: number, extra: Partial<AgentAppointment> = {}): AgentAppointment => ({
  id,
  organisation: 'CAF',
  startsAt,
  endsAt: startsAt + 1_800_000,
  subject: 'rsa',
  status: 'booked',
  siteName: 'Saint-Flour',
  agentId: 2,
  subjectLabel: 'RSA',
  note: 'Amina',
  ...extra,
});
const AUTH = { type: 'auth.ok', role: 'agent', id: 2, name: 'Claire', organisation: 'CAF', session: null, demo: false };

describe('the console’s appointments store', () => {
  it('lists the day at sign-in, learns the planner’s right from the hub, and keeps the list live', () => {
    const store = createAgentAppointmentsStore();
    const hub = new FakeHub();
    store.getState().attach(hub);
    hub.frame(AUTH);
    expect(hub.sent).toEqual([{ type: 'appointments.list', range: 'day' }, { type: 'slots.list' }]);
    hub.frame({ type: 'appointments.list', from: 1_000, to: 90_000_000, appointments: [appt('b', 50_000), appt('a', 20_000)] });
    hub.frame({ type: 'error', code: 'FORBIDDEN', message: 'Interdit.' });
    expect(store.getState().planner).toBe('no');
    hub.frame({ type: 'appointments.changed', appointment: appt('a', 20_000, { status: 'missed', note: null }), reason: 'missed' });
    hub.frame({ type: 'appointments.changed', appointment: appt('c', 10_000), reason: 'booked' });
    // Outside the period: remembered (a ringing call finds it) but not listed.
    hub.frame({ type: 'appointments.changed', appointment: appt('far', 100_000_000), reason: 'booked' });
    const s = store.getState();
    expect(s.appointments.map((a) => [a.id, a.status])).toEqual([
      ['c', 'booked'],
      ['a', 'missed'],
      ['b', 'booked'],
    ]);
    expect(s.known.far?.subjectLabel).toBe('RSA');
    expect(s.lastChange?.reason).toBe('booked');
    store.getState().setRange('week');
    expect(hub.sent.at(-1)).toEqual({ type: 'appointments.list', range: 'week' });
    store.getState().reset();
    expect(store.getState()).toMatchObject({ appointments: [], known: {}, planner: 'unknown' });
  });

  it('publishes a form’s series one after another and sums them; a refusal stops the rest and is named', () => {
    const store = createAgentAppointmentsStore();
    const hub = new FakeHub();
    store.getState().attach(hub);
    hub.frame(AUTH);
    hub.frame({ type: 'slots.list', series: [], closures: [] });
    expect(store.getState().planner).toBe('yes');
    const spec = { start: '2026-06-01T09:00', lengthMin: 30, capacity: 1 };
    hub.sent = [];
    expect(store.getState().publish([spec, { ...spec, start: '2026-06-01T10:00' }, { ...spec, start: '2026-06-01T11:00' }])).toBe(true);
    expect(hub.sent).toHaveLength(1);
    hub.frame({ type: 'slots.published', seriesId: 1, slots: 4, skipped: { holidays: 1, closures: 0, past: 0 }, shifted: [], truncated: false });
    expect(hub.sent).toHaveLength(2);
    hub.frame({ type: 'slots.published', seriesId: 2, slots: 3, skipped: { holidays: 1, closures: 0, past: 2 }, shifted: [5], truncated: false });
    hub.frame({ type: 'slots.published', seriesId: 3, slots: 1, skipped: { holidays: 0, closures: 0, past: 0 }, shifted: [], truncated: false });
    expect(store.getState()).toMatchObject({ busy: null, refusal: null, published: { slots: 8, skipped: { holidays: 2, closures: 0, past: 2 }, shifted: true, truncated: false } });
    expect(hub.sent.at(-1)).toEqual({ type: 'slots.list' });
    store.getState().publish([spec, spec]);
    hub.frame({ type: 'appointment.refused', code: 'UNKNOWN_AGENT', message: 'x', next: [] });
    expect(store.getState()).toMatchObject({ busy: null, refusal: 'UNKNOWN_AGENT' });
    // Refusals to nobody's request (a booth's, another tab's) change nothing.
    hub.frame({ type: 'appointment.refused', code: 'BAD_RULE', message: 'x', next: [] });
    expect(store.getState().refusal).toBe('UNKNOWN_AGENT');
  });

  it('says when the hub is not connected or does not answer, and closes a series with its told appointments', () => {
    vi.useFakeTimers();
    try {
      const store = createAgentAppointmentsStore({ answerTimeoutMs: 1_000 });
      const hub = new FakeHub();
      store.getState().attach(hub);
      hub.frame(AUTH);
      store.getState().publish([{ start: '2026-06-01T09:00', lengthMin: 30, capacity: 1 }]);
      vi.advanceTimersByTime(1_000);
      expect(store.getState()).toMatchObject({ busy: null, refusal: 'NO_ANSWER' });
      expect(store.getState().closeSeries(4)).toBe(true);
      expect(hub.sent.at(-1)).toEqual({ type: 'slots.close', close: { kind: 'series', seriesId: 4 } });
      hub.frame({ type: 'slots.closed', slots: 12, affected: [appt('a', 1)] });
      expect(store.getState()).toMatchObject({ busy: null, closed: { slots: 12, affected: 1 } });
      store.getState().renewIcal();
      hub.frame({ type: 'appointments.ical', path: '/agents/ical/abc.ics' });
      expect(store.getState()).toMatchObject({ icalPath: '/agents/ical/abc.ics', ical: 'idle' });
      store.getState().revokeIcal();
      hub.frame({ type: 'appointments.ical', path: null });
      expect(store.getState()).toMatchObject({ icalPath: null, ical: 'revoked' });
      hub.connected = false;
      expect(store.getState().renewIcal()).toBe(false);
      expect(store.getState().ical).toBe('failed');
      expect(store.getState().publish([{ start: '2026-06-01T09:00', lengthMin: 30, capacity: 1 }])).toBe(true);
      expect(store.getState()).toMatchObject({ busy: null, refusal: 'NO_ANSWER' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('asks a planner’s console for the department’s booths once the right is known, asks again after a failure, drops them when refused', () => {
    const store = createAgentAppointmentsStore();
    const hub = new FakeHub();
    store.getState().attach(hub);
    hub.frame(AUTH);
    expect(hub.sent).not.toContainEqual({ type: 'slots.booths' });
    hub.frame({ type: 'slots.list', series: [], closures: [] });
    expect(hub.sent.at(-1)).toEqual({ type: 'slots.booths' });
    expect(store.getState().boothsState).toBe('asking');
    // The socket closes before the answer: the list is said to have failed, and asked again with the next series.
    hub.frame({ type: 'event:status', status: 'reconnecting', attempt: 1 });
    expect(store.getState().boothsState).toBe('failed');
    hub.frame({ type: 'slots.list', series: [], closures: [] });
    const booths = [
      { id: 1, siteName: 'Saint-Flour', commune: null },
      { id: 4, siteName: 'Maison France Services', commune: 'Murat' },
    ];
    hub.frame({ type: 'slots.booths', booths });
    expect(store.getState()).toMatchObject({ booths, boothsState: 'ready' });
    // A later series list does not ask again; the right taken back empties the list.
    hub.sent = [];
    hub.frame({ type: 'slots.list', series: [], closures: [] });
    expect(hub.sent).toEqual([]);
    hub.connected = false;
    expect(store.getState().askBooths()).toBe(false);
    expect(store.getState().boothsState).toBe('failed');
    hub.connected = true;
    expect(store.getState().askBooths()).toBe(true);
    hub.frame({ type: 'error', code: 'FORBIDDEN', message: 'Interdit.' });
    expect(store.getState()).toMatchObject({ planner: 'no', booths: [], boothsState: 'idle' });
    expect(store.getState().askBooths()).toBe(false);
  });
});
