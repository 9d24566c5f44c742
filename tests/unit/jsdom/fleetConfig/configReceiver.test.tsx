// The booth's side of `config.apply`: main's outcome goes back to the hub in order, a failing call is answered
// APPLY_FAILED, and the mediator's settings show the department's fields read-only, « Géré par le département ».
import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import type { FleetConfigOutcome, FleetConfigState } from '../../../../shared/contract/index.js';
import type { HubFrameOf } from '../../../../shared/protocol.js';
import { receiveFleetConfig } from '../../../../renderer/kiosk/fleet/configReceiver.js';
import { SettingsScreen } from '../../../../renderer/kiosk/foundation/SettingsScreen.js';
import { DEMO_INFO, fakeBridge, organisationAt } from '../fakeBridge.js';
import { renderKiosk, testKiosk } from '../renderKiosk.js';
import { FakeHub } from '../visio/fakes.js';

const frame = (version: number): HubFrameOf<'config.apply'> => ({ type: 'config.apply', version, config: { idleSeconds: version } });

describe('receiveFleetConfig', () => {
  it('answers each frame with main’s outcome, in the order the frames came, even when main answers out of order', async () => {
    const hub = new FakeHub();
    const pending: Array<(o: FleetConfigOutcome) => void> = [];
    receiveFleetConfig(hub, { apply: () => new Promise<FleetConfigOutcome>((resolve) => pending.push(resolve)) });
    hub.frame(frame(1));
    hub.frame(frame(2));
    await waitFor(() => expect(pending).toHaveLength(1));
    pending[0]?.({ status: 'refused', version: 1, code: 'UNKNOWN_GUIDE', detail: 'guide x absent de la borne' });
    await waitFor(() => expect(pending).toHaveLength(2));
    pending[1]?.({ status: 'applied', version: 2 });
    await waitFor(() => expect(hub.sent.filter((f) => f.type.startsWith('config.'))).toHaveLength(2));
    expect(hub.sent.filter((f) => f.type.startsWith('config.'))).toEqual([
      { type: 'config.refused', version: 1, code: 'UNKNOWN_GUIDE', detail: 'guide x absent de la borne' },
      { type: 'config.applied', version: 2 },
    ]);
  });

  it('answers APPLY_FAILED when main cannot be reached, and stops listening when asked', async () => {
    const hub = new FakeHub();
    const errors: string[] = [];
    const stop = receiveFleetConfig(hub, { apply: () => Promise.reject(new Error('bridge closed')), onError: (code) => errors.push(code) });
    hub.frame(frame(3));
    await waitFor(() => expect(hub.sent.some((f) => f.type === 'config.refused')).toBe(true));
    expect(hub.sent.find((f) => f.type === 'config.refused')).toMatchObject({ version: 3, code: 'APPLY_FAILED' });
    expect(errors).toEqual(['FLEET_CONFIG_APPLY_CALL_FAILED']);
    stop();
    hub.frame(frame(4));
    await Promise.resolve();
    expect(hub.sent.filter((f) => f.type.startsWith('config.'))).toHaveLength(1);
  });
});

describe('the mediator’s settings under a department configuration', () => {
  const organisations = [organisationAt('CAF', "Caisse d'allocations familiales", { openNow: false, closesAt: null, nextOpening: null }, 5)];
  const managed: FleetConfigState = { managed: true, version: 7, appliedAt: Date.parse('2026-11-25T09:00:00Z'), refusal: null };

  it('shows organisations and visio hours read-only, marked « Géré par le département », and keeps the site’s own forms', async () => {
    const fake = fakeBridge({
      'app.info': () => ({ ok: true, value: DEMO_INFO }),
      'organisations.list': () => ({ ok: true, value: organisations }),
      'mediators.list': () => ({ ok: true, value: [] }),
      'fleetConfig.state': () => ({ ok: true, value: managed }),
    });
    const kiosk = testKiosk(fake.api);
    kiosk.stores.app.setState({ ready: true, info: DEMO_INFO, organisations });
    renderKiosk(<SettingsScreen />, kiosk);
    await waitFor(() => expect(screen.getByText('Géré par le département')).toBeTruthy());
    expect(screen.getByRole('note').textContent).toContain('Version 7 du département, appliquée le 25 novembre 2026 à 10:00');
    expect(screen.queryByRole('button', { name: /Enregistrer Caisse/ })).toBeNull();
    expect(screen.getByTestId('managed-organisations').textContent).toContain('Caisse d\'allocations familiales');
    // The site's name and its mediators stay the mediator's.
    expect(screen.getByLabelText('Nom du site')).toBeTruthy();
  });

  it('keeps the editable forms while the department manages nothing', async () => {
    const fake = fakeBridge({
      'organisations.list': () => ({ ok: true, value: organisations }),
      'mediators.list': () => ({ ok: true, value: [] }),
      'fleetConfig.state': () => ({ ok: true, value: { managed: false, version: null, appliedAt: null, refusal: null } }),
    });
    const kiosk = testKiosk(fake.api);
    kiosk.stores.app.setState({ ready: true, info: DEMO_INFO, organisations });
    renderKiosk(<SettingsScreen />, kiosk);
    await waitFor(() => expect(fake.calls.some((c) => c.verb === 'fleetConfig.state')).toBe(true));
    expect(screen.queryByText('Géré par le département')).toBeNull();
    expect(screen.getAllByRole('button', { name: /Enregistrer/ }).length).toBeGreaterThan(0);
  });
});
