// The console's ringing screen for an appointment call: the time, subject and note the ring carried (an agent the call
// widened to never listed the appointment), else what the console knows, else « Rendez-vous » alone.
import { act, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AgentApp } from '../../../../renderer/agent/AgentApp.js';
import { createAgentStore } from '../../../../renderer/agent/agentStore.js';
import { createAgentAppointmentsStore } from '../../../../renderer/agent/appointments/agentAppointmentsStore.js';
import { initAgentI18n } from '../../../../renderer/agent/i18n.js';
import { FakeHub, FakeSession, fakeStream } from '../visio/fakes.js';

initAgentI18n();

/** Monday 1 June 2026, 14:30 in Paris. */
const AT_1430 = Date.UTC(2026, 5, 1, 12, 30);

function setup() {
  const hub = new FakeHub();
  const media = fakeStream();
  const store = createAgentStore({
    createHub: () => hub,
    getMedia: async () => media,
    createSession: (o) => new FakeSession(o),
    stopStream: () => undefined,
    photoUrl: () => 'blob:photo',
    now: () => 5_000,
    warmCamera: false,
  });
  const appointments = createAgentAppointmentsStore();
  render(<AgentApp store={store} appointments={appointments} />);
  act(() => {
    store.getState().login('caf2', 'secret');
    hub.ready('agent');
  });
  return { hub, store, appointments };
}

const ringing = { type: 'call.ringing', organisation: 'CAF', siteName: 'Relais de Murat', queuedAt: 1_000, ringTimeoutMs: 60_000 } as const;

describe('the ringing screen of an appointment call', () => {
  it('shows the time, subject and note the ring carried to an agent who never listed the appointment', () => {
    const t = setup();
    act(() => t.hub.frame({ ...ringing, callId: 'c1', appointmentId: 'appt-1', appointment: { startsAt: AT_1430, subjectLabel: 'RSA et prime d’activité', note: 'Amina' } }));
    const card = within(screen.getByTestId('ringing-appointment'));
    expect(card.getByText('Rendez-vous de 14:30')).toBeTruthy();
    expect(card.getByText('Sujet : RSA et prime d’activité')).toBeTruthy();
    expect(card.getByText('Note : Amina')).toBeTruthy();
  });

  it('shows no note when the ring carries none, and « Rendez-vous » alone for an appointment nobody described', () => {
    const t = setup();
    act(() => t.hub.frame({ ...ringing, callId: 'c1', appointmentId: 'appt-1', appointment: { startsAt: AT_1430, subjectLabel: 'Logement' } }));
    expect(screen.getByTestId('ringing-appointment').textContent).toBe('Rendez-vous de 14:30Sujet : Logement');
    act(() => t.hub.frame({ type: 'call.withdrawn', callId: 'c1', reason: 'taken' }));
    act(() => t.hub.frame({ ...ringing, callId: 'c2', appointmentId: 'appt-2' }));
    expect(screen.getByTestId('ringing-appointment').textContent).toBe('Rendez-vous');
  });
});
