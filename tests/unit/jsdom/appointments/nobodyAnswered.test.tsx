// After a call nobody could answer (no agent free, service closed), the call's end offers « Prendre rendez-vous » and
// waits for the visitor instead of going home after a few seconds; after a real call, nothing changes.
import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BoothCallScreen } from '../../../../renderer/kiosk/visio/BoothCallScreen.js';
import { createBoothCallStore } from '../../../../renderer/kiosk/visio/callStore.js';
import { FakeHub, FakeSession, fakeStream, perCallLink } from '../visio/fakes.js';

describe('the call’s end offers an appointment when nobody could answer', () => {
  beforeEach(() => {
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(() => Promise.resolve());
  });
  afterEach(() => vi.restoreAllMocks());

  async function waitingCall(onDone: () => void) {
    const hub = new FakeHub();
    const stream = fakeStream();
    const store = createBoothCallStore({
      hubLink: perCallLink(hub, async () => ({ url: 'ws://x', token: 't' })),
      preflight: async () => ({ ok: true, stream }),
      createSession: (o) => new FakeSession(o),
      recordVisit: async () => undefined,
      reportFault: async () => undefined,
      requestHelp: async () => undefined,
      takePhoto: async () => new Uint8Array(1),
      stopStream: () => undefined,
      now: () => 1,
    });
    render(<BoothCallScreen organisation="CAF" organisationName="CAF" store={store} onDone={onDone} endedReturnMs={20} bookAppointment={<button type="button">Prendre rendez-vous</button>} />);
    await act(async () => {
      for (let i = 0; i < 5; i++) await Promise.resolve();
    });
    act(() => {
      hub.ready();
      hub.frame({ type: 'queue.position', callId: 'c1', organisation: 'CAF', position: 1, estimatedWaitS: 0 });
    });
    return hub;
  }
  const pause = (ms: number) => act(() => new Promise<void>((r) => setTimeout(r, ms)));

  it('no agent free: « Prendre rendez-vous » offered, and the screen stays', async () => {
    const onDone = vi.fn();
    const hub = await waitingCall(onDone);
    act(() => hub.frame({ type: 'call.unavailable', callId: 'c1', organisation: 'CAF', reason: 'no_agent', nextOpening: null }));
    expect(screen.getByRole('button', { name: 'Prendre rendez-vous' })).toBeTruthy();
    expect(screen.queryByText(/Retour à l’accueil dans quelques secondes/)).toBeNull();
    // Four times the usual return delay: still here (the idle guard takes the visitor home later).
    await pause(80);
    expect(onDone).not.toHaveBeenCalled();
  });

  it('an answered call that ends: no appointment offered, home as before', async () => {
    const onDone = vi.fn();
    const hub = await waitingCall(onDone);
    act(() => hub.frame({ type: 'call.accepted', callId: 'c1', organisation: 'CAF', peerName: 'Claire', initiator: true, iceServers: [] }));
    act(() => hub.frame({ type: 'call.ended', callId: 'c1', reason: 'hangup_agent' }));
    expect(screen.queryByRole('button', { name: 'Prendre rendez-vous' })).toBeNull();
    await pause(80);
    expect(onDone).toHaveBeenCalled();
  });
});
