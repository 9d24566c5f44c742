// The planner's choice of booths: the hub's list as checkboxes in a group « Bornes concernées », a failed list said with
// a way to ask again, none ticked refused with the focus on the first box, and only listed booths sent.
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { PlannerPanel } from '../../../../renderer/agent/appointments/PlannerPanel.js';
import { createAgentAppointmentsStore, type AppointmentsHubPort } from '../../../../renderer/agent/appointments/agentAppointmentsStore.js';
import { initAgentI18n } from '../../../../renderer/agent/i18n.js';

initAgentI18n();

class FakeHub implements AppointmentsHubPort {
  sent: Array<Record<string, unknown>> = [];
  connected = true;
  private handlers = new Map<string, Array<(f: never) => void>>();
  on(type: string, handler: (f: never) => void) {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), handler]);
    return () => undefined;
  }
  onEvent(name: string, handler: (e: never) => void) {
    return this.on(`event:${name}`, handler);
  }
  send(frame: unknown): boolean {
    if (!this.connected) return false;
    this.sent.push(frame as Record<string, unknown>);
    return true;
  }
  frame(f: Record<string, unknown>): void {
    act(() => {
      for (const h of this.handlers.get(String(f.type)) ?? []) (h as (x: unknown) => void)(f);
    });
  }
}

function setup() {
  const store = createAgentAppointmentsStore();
  const hub = new FakeHub();
  store.getState().attach(hub);
  hub.frame({ type: 'auth.ok', role: 'agent', id: 2, name: 'Claire', organisation: 'CAF', session: null, demo: false });
  render(<PlannerPanel store={store} />);
  fireEvent.click(screen.getByLabelText('Certaines bornes'));
  return { store, hub };
}

/** A one-off form that would publish, but for the booths. */
function fillOnce() {
  fireEvent.click(screen.getByLabelText('Un créneau unique'));
  fireEvent.change(screen.getByLabelText('Date'), { target: { value: '2026-06-02' } });
}

describe('the planner’s choice of booths', () => {
  it('says a list that could not be asked, asks again on demand, then shows each booth as a named checkbox', () => {
    const { hub } = setup();
    hub.connected = false;
    hub.frame({ type: 'slots.list', series: [], closures: [] });
    const group = within(screen.getByRole('group', { name: 'Bornes concernées' }));
    expect(group.getByText('La liste des bornes n’a pas pu être chargée.')).toBeTruthy();
    hub.connected = true;
    fireEvent.click(group.getByRole('button', { name: 'Recharger la liste des bornes' }));
    expect(hub.sent.at(-1)).toEqual({ type: 'slots.booths' });
    expect(group.getByText('Chargement de la liste des bornes…')).toBeTruthy();
    hub.frame({ type: 'slots.booths', booths: [{ id: 3, siteName: 'Mairie de Murat', commune: null }, { id: 7, siteName: 'France Services', commune: 'Allanche' }] });
    expect(group.getAllByRole('checkbox').map((c) => c.getAttribute('aria-label') ?? c.closest('label')?.textContent)).toEqual([
      'Mairie de Murat (borne n° 3)',
      'France Services, Allanche (borne n° 7)',
    ]);
  });

  it('refuses none ticked with the focus on the first box, and sends only booths still listed', () => {
    const { hub } = setup();
    hub.frame({ type: 'slots.list', series: [], closures: [] });
    hub.frame({ type: 'slots.booths', booths: [{ id: 3, siteName: 'Mairie de Murat', commune: null }, { id: 7, siteName: 'France Services', commune: null }] });
    fillOnce();
    hub.sent = [];
    fireEvent.click(screen.getByRole('button', { name: 'Publier' }));
    expect(screen.getByRole('alert').textContent).toBe('Cochez de 1 à 500 bornes, ou choisissez « Toutes les bornes ».');
    const first = screen.getByRole('checkbox', { name: 'Mairie de Murat (borne n° 3)' });
    expect(document.activeElement).toBe(first);
    expect(hub.sent).toEqual([]);
    fireEvent.click(first);
    fireEvent.click(screen.getByRole('checkbox', { name: 'France Services (borne n° 7)' }));
    // Booth 7 is revoked meanwhile: the list asked again no longer holds it, so it is not sent.
    hub.frame({ type: 'slots.booths', booths: [{ id: 3, siteName: 'Mairie de Murat', commune: null }] });
    fireEvent.click(screen.getByRole('button', { name: 'Publier' }));
    expect(hub.sent).toEqual([{ type: 'slots.publish', series: expect.objectContaining({ booths: [3] }) }]);
  });
});
