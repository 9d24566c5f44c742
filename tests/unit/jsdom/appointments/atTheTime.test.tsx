// At the time of an appointment: the home's reminder from 10 minutes before until the grace time after (the kiosk's clock
// moved by the test), « Rejoindre » starting the visio call; the mediator's cancel freeing the slot; the slip printed.
import type { ReactElement } from 'react';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KioskAppointment, PrintJob } from '../../../../shared/contract/index.js';
import { AppointmentScreen } from '../../../../renderer/kiosk/appointments/AppointmentScreen.js';
import { AppointmentsTab } from '../../../../renderer/kiosk/appointments/AppointmentsTab.js';
import { HomeScreen } from '../../../../renderer/kiosk/foundation/HomeScreen.js';
import { MediatorScreen } from '../../../../renderer/kiosk/foundation/MediatorScreen.js';
import { DEMO_INFO, NOW, fakeBridge, organisationAt, type FakeAnswers } from '../fakeBridge.js';
import { renderKiosk, testKiosk, type TestKiosk } from '../renderKiosk.js';
import { FakeHub } from '../visio/fakes.js';

let kiosk: TestKiosk;
const render = (ui: ReactElement) => renderKiosk(ui, kiosk);
afterEach(() => vi.useRealTimers());

const MIN = 60_000;
// 10:30 in Paris, half an hour after NOW.
const AT = NOW + 30 * MIN;
const organisations = [organisationAt('CAF', 'CAF', { openNow: true, closesAt: NOW + 2 * 3_600_000, nextOpening: null })];
const appointment = (id: string, startsAt: number, status: KioskAppointment['status'] = 'booked'): KioskAppointment => ({ id, organisation: 'CAF', startsAt, endsAt: startsAt + 20 * MIN, subjectLabel: 'RSA', status });

function setup(extra: FakeAnswers = {}) {
  const fake = fakeBridge({
    'app.info': () => ({ ok: true, value: DEMO_INFO }),
    'organisations.list': () => ({ ok: true, value: organisations }),
    ...extra,
  });
  kiosk = testKiosk(fake.api);
  kiosk.stores.app.setState({ ready: true, info: DEMO_INFO, organisations });
  return fake;
}

describe('the home at the time of an appointment', () => {
  it('shows « Rendez-vous CAF à 10:30 » from 10 minutes before until the grace time after, and « Rejoindre » calls CAF', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(NOW);
    setup();
    kiosk.stores.appointments.setState({ appointments: [appointment('a1', AT), appointment('gone', AT, 'cancelled')] });
    render(<HomeScreen />);
    const reminder = () => screen.queryByRole('heading', { name: 'Rendez-vous CAF à 10:30' });
    expect(reminder()).toBeNull();
    act(() => vi.advanceTimersByTime(19 * MIN));
    expect(reminder()).toBeNull();
    act(() => vi.advanceTimersByTime(1 * MIN + 30_000));
    expect(reminder()).not.toBeNull();
    // Only one: the cancelled one is not offered.
    expect(screen.getAllByRole('button', { name: 'Rejoindre' })).toHaveLength(1);
    // Late within the grace time (14 minutes after): still there.
    act(() => vi.advanceTimersByTime(24 * MIN));
    expect(reminder()).not.toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Rejoindre' }));
    expect(kiosk.stores.app.getState().screen).toEqual({ name: 'visio', code: 'CAF', appointmentId: 'a1' });
    // Past the grace time: gone.
    act(() => vi.advanceTimersByTime(2 * MIN));
    expect(reminder()).toBeNull();
  });
});

describe('the mediator’s appointments', () => {
  it('keeps the day’s appointments the hub closed (« Non honoré », honoured) after their grace time, and drops yesterday’s', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(NOW);
    setup();
    kiosk.stores.appointments.setState({
      appointments: [
        appointment('missed-today', NOW - 2 * 3_600_000, 'missed'),
        appointment('honoured-today', NOW - 3_600_000, 'honoured'),
        appointment('booked-past', NOW - 3_600_000),
        appointment('missed-yesterday', NOW - 26 * 3_600_000, 'missed'),
      ],
    });
    render(<AppointmentsTab />);
    expect(document.querySelector('[data-appointment="missed-today"]')?.textContent).toContain('Non honoré');
    expect(document.querySelector('[data-appointment="honoured-today"]')?.textContent).toContain('Honoré');
    expect(document.querySelector('[data-appointment="booked-past"]')).toBeNull();
    expect(document.querySelector('[data-appointment="missed-yesterday"]')).toBeNull();
    expect(screen.queryByRole('button', { name: /^Annuler/ })).toBeNull();
  });

  it('a hub that takes no appointments (a hub across machines): no « Rendez-vous » tab, and none of its buttons elsewhere', async () => {
    setup();
    const hub = new FakeHub();
    hub.status = 'ready';
    kiosk.stores.appointments.getState().attach({ acquire: async () => hub });
    kiosk.stores.app.setState({ auth: { ...kiosk.stores.app.getState().auth, mediator: { id: 1, name: 'Camille', active: true } } });
    render(<MediatorScreen tab="quick" />);
    const nav = screen.getByRole('navigation');
    await waitFor(() => expect(within(nav).queryByRole('button', { name: 'Rendez-vous' })).not.toBeNull());
    act(() => hub.frame({ type: 'hello', protocol: 3, demo: false, heartbeatMs: 30_000, maxFrameBytes: 65_536, appointments: false }));
    expect(within(nav).queryByRole('button', { name: 'Rendez-vous' })).toBeNull();
    expect(screen.queryByTestId('book-appointment')).toBeNull();
    // Asked for the tab all the same (an old link): nothing of it is shown.
    render(<MediatorScreen tab="appointments" />);
    expect(screen.queryByRole('heading', { name: 'Rendez-vous de la borne' })).toBeNull();
  });

  it('cancels one: the hub is asked, the slot is freed and the list says so', async () => {
    setup();
    const hub = new FakeHub();
    hub.status = 'ready';
    kiosk.stores.appointments.getState().attach({ acquire: async () => hub });
    kiosk.stores.appointments.setState({ appointments: [appointment('a1', AT), appointment('old', NOW - 3_600_000)] });
    render(<AppointmentsTab />);
    expect(screen.queryByText('RSA', { selector: 'td' })).not.toBeNull();
    expect(document.querySelector('[data-appointment="old"]')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Annuler : CAF, 10:30' }));
    await waitFor(() => expect(hub.sent.at(-1)).toEqual({ type: 'appointment.cancel', appointmentId: 'a1' }));
    act(() => hub.frame({ type: 'appointment.changed', appointment: { id: 'a1', organisation: 'CAF', startsAt: AT, endsAt: AT + 20 * MIN, subject: 'rsa', status: 'cancelled' }, reason: 'cancelled_by_booth' }));
    expect(await screen.findByText('Rendez-vous annulé : le créneau est libéré.')).toBeTruthy();
    expect(screen.getByText('Annulé')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Annuler/ })).toBeNull();
    // A booking for a visitor from here comes back here.
    fireEvent.click(within(screen.getByRole('list', { name: 'Prendre rendez-vous pour un visiteur avec :' })).getByRole('button', { name: 'CAF' }));
    expect(kiosk.stores.app.getState().screen).toEqual({ name: 'appointment', organisation: 'CAF', from: 'mediator' });
  });
});

describe('the slip', () => {
  it('is printed after the booking, and its job followed on screen', async () => {
    const job: PrintJob = { id: 7, cupsJobId: 70, printer: 'PDF', title: 'Rendez-vous CAF', kind: 'other', organisation: 'CAF', pages: 1, copies: 1, duplex: false, state: 'processing', reasons: [], message: '', createdAt: NOW, updatedAt: NOW, endedAt: null, attempts: 1 };
    const fake = setup({ 'appointments.printSlip': () => ({ ok: true, value: job }), 'appointments.record': () => ({ ok: true, value: { done: true } }) });
    const hub = new FakeHub();
    hub.status = 'ready';
    kiosk.stores.appointments.getState().attach({ acquire: async () => hub });
    render(<AppointmentScreen organisation="CAF" back={() => undefined} />);
    await waitFor(() => expect(hub.sent.filter((f) => f.type === 'appointment.slots')).toHaveLength(1));
    act(() => hub.frame({ type: 'appointment.slots', organisation: 'CAF', subjects: [{ code: 'rsa', label: 'RSA', bring: ['Pièce d’identité'] }], slots: [{ startsAt: AT + 86_400_000, endsAt: AT + 86_400_000 + 20 * MIN, free: 1 }] }));
    fireEvent.click(await screen.findByRole('button', { name: 'jeudi 26 novembre' }));
    fireEvent.click(screen.getByRole('button', { name: '10:30' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirmer le rendez-vous' }));
    await waitFor(() => expect(hub.sent.at(-1)?.type).toBe('appointment.book'));
    act(() => hub.frame({ type: 'appointment.booked', appointment: { id: 'a1', organisation: 'CAF', startsAt: AT + 86_400_000, endsAt: AT + 86_400_000 + 20 * MIN, subject: 'rsa', status: 'booked' }, bring: ['Pièce d’identité'] }));
    fireEvent.click(await screen.findByRole('button', { name: 'Imprimer le rendez-vous' }));
    expect((await screen.findByTestId('job-progress')).dataset.state).toBe('processing');
    expect(fake.calls.find((c) => c.verb === 'appointments.printSlip')?.input).toEqual({ organisation: 'CAF', startsAt: AT + 86_400_000, subjectLabel: 'RSA', bring: ['Pièce d’identité'] });
    expect(fake.calls.find((c) => c.verb === 'appointments.record')?.input).toMatchObject({ id: 'a1', subjectLabel: 'RSA', status: 'booked' });
  });

  it('a printer fault is said on screen', async () => {
    setup({ 'appointments.printSlip': () => ({ ok: false, error: { code: 'NO_PRINTER', message: 'no printer' } }) });
    const hub = new FakeHub();
    hub.status = 'ready';
    kiosk.stores.appointments.getState().attach({ acquire: async () => hub });
    render(<AppointmentScreen organisation="CAF" back={() => undefined} />);
    // Opening the screen starts a new booking: the last one is forgotten, so the test sets it after the mount.
    act(() => kiosk.stores.appointments.setState({ booked: { appointment: { id: 'a1', organisation: 'CAF', startsAt: AT, endsAt: AT + 20 * MIN, subject: 'rsa', status: 'booked' }, bring: [] } }));
    fireEvent.click(await screen.findByRole('button', { name: 'Imprimer le rendez-vous' }));
    expect((await screen.findByRole('alert')).textContent).toBe('L’impression n’est pas possible pour le moment.');
  });
});
