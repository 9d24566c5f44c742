// The booth's appointments store over a fake hub: what it sends, how it reads the hub's answers (slots, booked, refused,
// changed), and what the visitor is told when the hub cannot be reached or does not answer.
import { describe, expect, it } from 'vitest';
import type { KioskAppointment } from '../../../../shared/contract/index.js';
import { createAppointmentsStore } from '../../../../renderer/kiosk/appointments/appointmentsStore.js';
import { FakeHub } from '../visio/fakes.js';

const AT = Date.UTC(2026, 11, 8, 13, 30); // mardi 8 décembre 2026, 14:30 à Paris
const slot = (startsAt: number, free = 1) => ({ startsAt, endsAt: startsAt + 20 * 60_000, free });
const appointment = (id: string, status: 'booked' | 'cancelled' = 'booked') => ({ id, organisation: 'CAF', startsAt: AT, endsAt: AT + 20 * 60_000, subject: 'rsa', status });

function setup(answerTimeoutMs = 1_000) {
  const hub = new FakeHub();
  hub.status = 'ready';
  const store = createAppointmentsStore({ link: { acquire: async () => hub }, answerTimeoutMs, now: () => AT });
  return { hub, store };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('appointments store', () => {
  it('asks the slots of an organisation and keeps its subjects and free slots', async () => {
    const { hub, store } = setup();
    const loading = store.getState().loadSlots('CAF');
    await tick();
    // At its first use of the connection the store also asks what became of this booth's appointments since last month.
    expect(hub.sent).toEqual([
      { type: 'appointment.mine', since: Date.parse('2026-10-31T23:00:00Z') },
      { type: 'appointment.slots', organisation: 'CAF' },
    ]);
    // An answer for another organisation is not this one's.
    hub.frame({ type: 'appointment.slots', organisation: 'CPAM', subjects: [], slots: [slot(AT)] });
    hub.frame({ type: 'appointment.slots', organisation: 'CAF', subjects: [{ code: 'rsa', label: 'RSA', bring: ['Pièce d’identité'] }], slots: [slot(AT, 2)] });
    await loading;
    expect(store.getState().offer).toEqual({ organisation: 'CAF', subjects: [{ code: 'rsa', label: 'RSA', bring: ['Pièce d’identité'] }], slots: [slot(AT, 2)] });
    expect(store.getState().loading).toBe(false);
  });

  it('books a slot, keeps what to bring and remembers the appointment', async () => {
    const { hub, store } = setup();
    const booking = store.getState().book({ organisation: 'CAF', startsAt: AT, subject: 'rsa', note: 'M. D.', noteConsent: true });
    await tick();
    expect(hub.sent.at(-1)).toEqual({ type: 'appointment.book', organisation: 'CAF', startsAt: AT, subject: 'rsa', note: 'M. D.', noteConsent: true });
    hub.frame({ type: 'appointment.booked', appointment: appointment('a1'), bring: ['Pièce d’identité', 'Numéro allocataire'] });
    await expect(booking).resolves.toBe(true);
    expect(store.getState().booked?.bring).toEqual(['Pièce d’identité', 'Numéro allocataire']);
    expect(store.getState().appointments.map((a) => a.id)).toEqual(['a1']);
  });

  it('a slot taken meanwhile: refused with SLOT_TAKEN and the next free slots', async () => {
    const { hub, store } = setup();
    const booking = store.getState().book({ organisation: 'CAF', startsAt: AT, subject: 'rsa' });
    await tick();
    hub.frame({ type: 'appointment.refused', code: 'SLOT_TAKEN', message: 'Ce créneau vient d’être pris.', next: [slot(AT + 3_600_000)] });
    await expect(booking).resolves.toBe(false);
    expect(store.getState().error).toEqual({ code: 'SLOT_TAKEN', next: [slot(AT + 3_600_000)] });
    expect(store.getState().booked).toBeNull();
  });

  it('no hub: HUB_UNREACHABLE, nothing waits', async () => {
    const store = createAppointmentsStore({ link: { acquire: async () => null } });
    await expect(store.getState().book({ organisation: 'CAF', startsAt: AT, subject: 'rsa' })).resolves.toBe(false);
    expect(store.getState().error?.code).toBe('HUB_UNREACHABLE');
    const failing = createAppointmentsStore({ link: { acquire: () => Promise.reject(new Error('no connection')) } });
    await failing.getState().loadSlots('CAF');
    expect(failing.getState().error?.code).toBe('HUB_UNREACHABLE');
    const detached = createAppointmentsStore();
    await detached.getState().loadSlots('CAF');
    expect(detached.getState().error?.code).toBe('HUB_UNREACHABLE');
  });

  it('a socket not open: the frame is not sent, the visitor is told at once', async () => {
    const { hub, store } = setup();
    hub.connected = false;
    hub.status = 'waiting_retry';
    await store.getState().loadSlots('CAF');
    expect(store.getState().error?.code).toBe('HUB_UNREACHABLE');
  });

  it('a hub that does not answer: NO_ANSWER after the timeout, and a later answer changes nothing', async () => {
    const { hub, store } = setup(20);
    await expect(store.getState().book({ organisation: 'CAF', startsAt: AT, subject: 'rsa' })).resolves.toBe(false);
    expect(store.getState().error?.code).toBe('NO_ANSWER');
    expect(store.getState().sending).toBe(false);
    hub.frame({ type: 'appointment.booked', appointment: appointment('late'), bring: [] });
    expect(store.getState().booked).toBeNull();
  });

  it('cancels: the hub frees the slot and the list shows it cancelled; an unknown one is refused', async () => {
    const { hub, store } = setup();
    hub.frame({ type: 'appointment.booked', appointment: appointment('a1'), bring: [] });
    const cancelling = store.getState().cancel('a1');
    await tick();
    expect(hub.sent.at(-1)).toEqual({ type: 'appointment.cancel', appointmentId: 'a1' });
    hub.frame({ type: 'appointment.changed', appointment: appointment('a1', 'cancelled'), reason: 'cancelled_by_booth' });
    await expect(cancelling).resolves.toBe(true);
    expect(store.getState().appointments).toEqual([{ id: 'a1', organisation: 'CAF', startsAt: AT, endsAt: AT + 20 * 60_000, subjectLabel: 'rsa', status: 'cancelled' }]);
    const unknown = store.getState().cancel('zz');
    await tick();
    hub.frame({ type: 'appointment.refused', code: 'UNKNOWN_APPOINTMENT', message: 'Rendez-vous inconnu.', next: [] });
    await expect(unknown).resolves.toBe(false);
    expect(store.getState().error?.code).toBe('UNKNOWN_APPOINTMENT');
  });

  it('the organisation cancels or marks missed: the list follows the hub', async () => {
    const { hub, store } = setup();
    const booking = store.getState().book({ organisation: 'CAF', startsAt: AT, subject: 'rsa' });
    await tick();
    hub.frame({ type: 'appointment.booked', appointment: appointment('a1'), bring: [] });
    await booking;
    hub.frame({ type: 'appointment.changed', appointment: { ...appointment('a1'), status: 'missed' }, reason: 'missed' });
    expect(store.getState().appointments[0]?.status).toBe('missed');
  });

  it('remembers through the kiosk what the hub says, with the subject’s label and never the note', async () => {
    const hub = new FakeHub();
    hub.status = 'ready';
    const recorded: KioskAppointment[] = [];
    const store = createAppointmentsStore({ link: { acquire: async () => hub }, memory: { record: async (a) => recorded.push(a), list: async () => [] } });
    const loading = store.getState().loadSlots('CAF');
    await tick();
    hub.frame({ type: 'appointment.slots', organisation: 'CAF', subjects: [{ code: 'rsa', label: 'RSA et prime d’activité', bring: [] }], slots: [slot(AT)] });
    await loading;
    const booking = store.getState().book({ organisation: 'CAF', startsAt: AT, subject: 'rsa', note: 'Léa', noteConsent: true });
    await tick();
    hub.frame({ type: 'appointment.booked', appointment: appointment('a1'), bring: [] });
    await booking;
    hub.frame({ type: 'appointment.changed', appointment: appointment('a1', 'cancelled'), reason: 'cancelled_by_organisation' });
    expect(recorded).toEqual([
      { id: 'a1', organisation: 'CAF', startsAt: AT, endsAt: AT + 20 * 60_000, subjectLabel: 'RSA et prime d’activité', status: 'booked' },
      { id: 'a1', organisation: 'CAF', startsAt: AT, endsAt: AT + 20 * 60_000, subjectLabel: 'RSA et prime d’activité', status: 'cancelled' },
    ]);
    expect(JSON.stringify(recorded)).not.toContain('Léa');
  });

  it('after a restart, the remembered appointments come back; what the hub said since wins; a failing memory loses nothing', async () => {
    const hub = new FakeHub();
    hub.status = 'ready';
    const remembered: KioskAppointment[] = [
      { id: 'a1', organisation: 'CAF', startsAt: AT, endsAt: AT + 1, subjectLabel: 'RSA', status: 'booked' },
      { id: 'a0', organisation: 'CPAM', startsAt: AT - 60_000, endsAt: AT, subjectLabel: 'Carte Vitale', status: 'booked' },
    ];
    let release: (list: KioskAppointment[]) => void = () => undefined;
    const store = createAppointmentsStore({ link: { acquire: async () => hub }, memory: { record: () => Promise.reject(new Error('disk full')), list: () => new Promise((r) => (release = r)) } });
    const loading = store.getState().loadRemembered();
    // The hub's word arrives first: a1 was cancelled meanwhile.
    const asking = store.getState().loadSlots('CAF');
    await tick();
    hub.frame({ type: 'appointment.slots', organisation: 'CAF', subjects: [], slots: [] });
    await asking;
    hub.frame({ type: 'appointment.changed', appointment: appointment('a1', 'cancelled'), reason: 'cancelled_by_organisation' });
    release(remembered);
    await loading;
    expect(store.getState().appointments.map((a) => [a.id, a.status])).toEqual([['a0', 'booked'], ['a1', 'cancelled']]);
    const failing = createAppointmentsStore({ memory: { record: async () => undefined, list: () => Promise.reject(new Error('no bridge')) } });
    await failing.getState().loadRemembered();
    expect(failing.getState().appointments).toEqual([]);
  });

  it('once attached, listens at once: a change pushed by the hub before any booking here updates the list', async () => {
    const hub = new FakeHub();
    const store = createAppointmentsStore({ memory: { record: async () => undefined, list: async () => [] } });
    store.getState().attach({ acquire: async () => hub });
    await tick();
    hub.frame({ type: 'appointment.changed', appointment: appointment('a9', 'cancelled'), reason: 'cancelled_by_organisation' });
    expect(store.getState().appointments.map((a) => [a.id, a.status])).toEqual([['a9', 'cancelled']]);
  });

  it('a hub that takes no appointments (a hub across machines): nothing offered, nothing asked; a hub that does: offered again', async () => {
    const hub = new FakeHub();
    const store = createAppointmentsStore({ memory: { record: async () => undefined, list: async () => [] } });
    store.getState().attach({ acquire: async () => hub });
    await tick();
    expect(store.getState()).toMatchObject({ available: true, offered: true });
    hub.frame({ type: 'hello', protocol: 3, demo: false, heartbeatMs: 30_000, maxFrameBytes: 65_536, appointments: false });
    expect(store.getState()).toMatchObject({ available: false, offered: false });
    // The client remembers what the hub said: the sign-in that follows asks nothing of appointments.
    (hub as FakeHub & { appointmentsOffered?: boolean }).appointmentsOffered = false;
    hub.sent.length = 0;
    hub.ready();
    expect(hub.sent.filter((f) => f.type.startsWith('appointment.'))).toEqual([]);
    // Reconnected to a hub that takes them (no field: every hub before this one).
    (hub as FakeHub & { appointmentsOffered?: boolean }).appointmentsOffered = true;
    hub.frame({ type: 'hello', protocol: 3, demo: false, heartbeatMs: 30_000, maxFrameBytes: 65_536 });
    expect(store.getState()).toMatchObject({ available: true, offered: true });
    hub.ready();
    expect(hub.sent.filter((f) => f.type === 'appointment.mine')).toHaveLength(1);
  });

  it('a request the client refuses to send (it checks each frame) ends in a refusal, never a stuck « sending »', async () => {
    const { hub, store } = setup();
    hub.bookAppointment = () => {
      throw new Error('frame does not match the protocol');
    };
    await expect(store.getState().book({ organisation: 'CAF', startsAt: AT, subject: 'rsa' })).resolves.toBe(false);
    expect(store.getState().error?.code).toBe('INVALID_REQUEST');
    expect(store.getState().sending).toBe(false);
  });
});
