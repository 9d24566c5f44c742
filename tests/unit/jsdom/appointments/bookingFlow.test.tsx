// Booking a visio appointment at the booth against a fake hub: subject, day and time in French words (Paris time), the
// optional first name only with consent, the hub's refusals said in French without losing what was typed.
import type { ReactElement } from 'react';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { AppointmentScreen } from '../../../../renderer/kiosk/appointments/AppointmentScreen.js';
import { OrganisationScreen } from '../../../../renderer/kiosk/foundation/OrganisationScreen.js';
import { DEMO_INFO, fakeBridge, organisationAt } from '../fakeBridge.js';
import { renderKiosk, testKiosk, type TestKiosk } from '../renderKiosk.js';
import { FakeHub } from '../visio/fakes.js';

let kiosk: TestKiosk;
const render = (ui: ReactElement) => renderKiosk(ui, kiosk);

// NOW is Wednesday 25 November 2026, 10:00 in Paris.
const THU_1430 = Date.parse('2026-11-26T13:30:00Z');
const THU_1500 = Date.parse('2026-11-26T14:00:00Z');
const FRI_0900 = Date.parse('2026-11-27T08:00:00Z');
const slot = (startsAt: number) => ({ startsAt, endsAt: startsAt + 20 * 60_000, free: 1 });
const subjects = [
  { code: 'rsa', label: 'RSA et prime d’activité', bring: ['Pièce d’identité', 'Numéro allocataire'] },
  { code: 'logement', label: 'Aide au logement', bring: ['Bail'] },
];
const organisations = [organisationAt('CAF', "Caisse d'allocations familiales", { openNow: false, closesAt: null, nextOpening: null })];

function setup(hub: FakeHub | null = new FakeHub()) {
  const fake = fakeBridge({});
  kiosk = testKiosk(fake.api);
  kiosk.stores.app.setState({ ready: true, info: DEMO_INFO, organisations });
  if (hub) hub.status = 'ready';
  kiosk.stores.appointments.getState().attach({ acquire: async () => hub });
  return hub;
}

async function offerSlots(hub: FakeHub, slots = [slot(THU_1430), slot(THU_1500), slot(FRI_0900)], subjectList = subjects) {
  await waitFor(() => expect(hub.sent).toContainEqual({ type: 'appointment.slots', organisation: 'CAF' }));
  hub.frame({ type: 'appointment.slots', organisation: 'CAF', subjects: subjectList, slots });
}

async function chooseThursday1430() {
  fireEvent.click(await screen.findByRole('button', { name: 'RSA et prime d’activité' }));
  // Each step's question takes the focus: a screen reader reads it, the keyboard starts from it.
  expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1, name: 'Quel jour ?' }));
  // The next ones first, in French words.
  const days = within(screen.getByRole('list', { name: 'Jours avec des rendez-vous libres' })).getAllByRole('button').map((b) => b.textContent);
  expect(days).toEqual(['jeudi 26 novembre', 'vendredi 27 novembre']);
  fireEvent.click(screen.getByRole('button', { name: 'jeudi 26 novembre' }));
  expect(screen.getByRole('heading', { level: 1, name: 'À quelle heure, jeudi 26 novembre ?' })).toBeTruthy();
  fireEvent.click(screen.getByRole('button', { name: '14:30' }));
  expect(screen.getByRole('heading', { level: 1, name: 'Vérifiez votre rendez-vous' })).toBeTruthy();
  expect(screen.getByTestId('appointment-when').textContent).toBe('jeudi 26 novembre à 14:30');
}

const booked = (startsAt: number) => ({ id: 'a1', organisation: 'CAF', startsAt, endsAt: startsAt + 20 * 60_000, subject: 'rsa', status: 'booked' as const });

describe('booking a visio appointment at the booth', () => {
  it('subject, day, time, confirm: the hub books it and the visitor reads when and what to bring', async () => {
    const hub = setup()!;
    render(<AppointmentScreen organisation="CAF" back={() => undefined} />);
    expect(screen.getByRole('status').textContent).toBe('Nous cherchons les rendez-vous libres…');
    await offerSlots(hub);
    expect(await screen.findByRole('heading', { level: 1, name: 'Pour quoi voulez-vous un rendez-vous ?' })).toBeTruthy();
    await chooseThursday1430();
    fireEvent.click(screen.getByRole('button', { name: 'Confirmer le rendez-vous' }));
    await waitFor(() => expect(hub.sent.at(-1)).toEqual({ type: 'appointment.book', organisation: 'CAF', startsAt: THU_1430, subject: 'rsa' }));
    hub.frame({ type: 'appointment.booked', appointment: booked(THU_1430), bring: subjects[0]!.bring });
    expect(await screen.findByRole('heading', { level: 1, name: 'Votre rendez-vous est pris' })).toBeTruthy();
    expect(screen.getByTestId('appointment-booked').textContent).toBe("Caisse d'allocations familiales, jeudi 26 novembre à 14:30");
    expect(screen.getByText('Pièce d’identité')).toBeTruthy();
    expect(screen.getByText('Numéro allocataire')).toBeTruthy();
  });

  it('a single subject is taken as chosen; « Retour » from the first step leaves the booking', async () => {
    const hub = setup()!;
    const back = vi.fn();
    render(<AppointmentScreen organisation="CAF" back={back} />);
    await offerSlots(hub, [slot(FRI_0900)], [subjects[1]!]);
    expect(await screen.findByRole('heading', { level: 1, name: 'Quel jour ?' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Retour' }));
    expect(back).toHaveBeenCalledOnce();
  });

  it('a first name without the consent box is refused on screen, kept, and sent once the box is ticked', async () => {
    const hub = setup()!;
    render(<AppointmentScreen organisation="CAF" back={() => undefined} />);
    await offerSlots(hub);
    await chooseThursday1430();
    fireEvent.change(screen.getByLabelText('Votre prénom ou vos initiales'), { target: { value: ' Léa ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Confirmer le rendez-vous' }));
    expect(screen.getByRole('alert').textContent).toContain('cochez la case d’accord');
    expect(hub.sent.some((f) => f.type === 'appointment.book')).toBe(false);
    expect((screen.getByLabelText('Votre prénom ou vos initiales') as HTMLInputElement).value).toBe(' Léa ');
    fireEvent.click(screen.getByRole('checkbox', { name: /effacés après le rendez-vous/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirmer le rendez-vous' }));
    await waitFor(() => expect(hub.sent.at(-1)).toEqual({ type: 'appointment.book', organisation: 'CAF', startsAt: THU_1430, subject: 'rsa', note: 'Léa', noteConsent: true }));
  });

  it.each([
    ['a control character', 'Léa\u0007', 'caractères non acceptés'],
    ['a direction override', '\u202eaéL', 'caractères non acceptés'],
    ['41 characters', 'x'.repeat(41), 'trop longs'],
  ])('a hostile note (%s) is refused in French before anything is sent', async (_what, note, message) => {
    const hub = setup()!;
    render(<AppointmentScreen organisation="CAF" back={() => undefined} />);
    await offerSlots(hub);
    await chooseThursday1430();
    fireEvent.change(screen.getByLabelText('Votre prénom ou vos initiales'), { target: { value: note } });
    fireEvent.click(screen.getByRole('checkbox', { name: /effacés après le rendez-vous/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirmer le rendez-vous' }));
    expect(screen.getByRole('alert').textContent).toContain(message);
    expect(hub.sent.some((f) => f.type === 'appointment.book')).toBe(false);
  });

  it('SLOT_TAKEN: « Ce créneau vient d’être pris », the next free slots offered, the note kept', async () => {
    const hub = setup()!;
    render(<AppointmentScreen organisation="CAF" back={() => undefined} />);
    await offerSlots(hub);
    await chooseThursday1430();
    fireEvent.change(screen.getByLabelText('Votre prénom ou vos initiales'), { target: { value: 'L. M.' } });
    fireEvent.click(screen.getByRole('checkbox', { name: /effacés après le rendez-vous/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirmer le rendez-vous' }));
    await waitFor(() => expect(hub.sent.at(-1)?.type).toBe('appointment.book'));
    hub.frame({ type: 'appointment.refused', code: 'SLOT_TAKEN', message: 'Ce créneau vient d’être pris.', next: [slot(THU_1500), slot(FRI_0900)] });
    expect((await screen.findByRole('alert')).textContent).toBe('Ce créneau vient d’être pris. Choisissez une autre heure.');
    fireEvent.click(screen.getByRole('button', { name: 'vendredi 27 novembre à 09:00' }));
    expect(screen.getByTestId('appointment-when').textContent).toBe('vendredi 27 novembre à 09:00');
    expect((screen.getByLabelText('Votre prénom ou vos initiales') as HTMLInputElement).value).toBe('L. M.');
    fireEvent.click(screen.getByRole('button', { name: 'Confirmer le rendez-vous' }));
    await waitFor(() => expect(hub.sent.at(-1)).toMatchObject({ type: 'appointment.book', startsAt: FRI_0900, note: 'L. M.', noteConsent: true }));
  });

  it('the hub unreachable: said in French, with « Réessayer » that asks again', async () => {
    setup(null);
    render(<AppointmentScreen organisation="CAF" back={() => undefined} />);
    expect((await screen.findByRole('alert')).textContent).toBe('La borne n’arrive pas à joindre le service de rendez-vous. Réessayez dans un moment.');
    const hub = new FakeHub();
    hub.status = 'ready';
    kiosk.stores.appointments.getState().attach({ acquire: async () => hub });
    fireEvent.click(screen.getByRole('button', { name: 'Réessayer' }));
    await offerSlots(hub);
    expect(await screen.findByRole('button', { name: 'Aide au logement' })).toBeTruthy();
  });

  it('no free slot: said, no empty choice', async () => {
    const hub = setup()!;
    render(<AppointmentScreen organisation="CAF" back={() => undefined} />);
    await offerSlots(hub, []);
    expect(await screen.findByText(/pas de rendez-vous libre/)).toBeTruthy();
    expect(screen.queryByRole('list')).toBeNull();
  });

  it('a closed organisation’s screen offers « Prendre rendez-vous »', async () => {
    setup();
    render(<OrganisationScreen code="CAF" />);
    fireEvent.click(await screen.findByRole('button', { name: 'Prendre rendez-vous' }));
    expect(kiosk.stores.app.getState().screen).toEqual({ name: 'appointment', organisation: 'CAF', from: 'organisation' });
  });

  it('a kiosk without a hub offers no « Prendre rendez-vous » (a button that could only fail)', async () => {
    setup(null);
    render(<OrganisationScreen code="CAF" />);
    await act(async () => {
      await Promise.resolve();
      await Promise.resolve();
    });
    expect(screen.getByTestId('visio-closed')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Prendre rendez-vous' })).toBeNull();
    expect(kiosk.stores.appointments.getState().available).toBe(false);
  });
});
