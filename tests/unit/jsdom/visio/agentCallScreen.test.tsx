// The agents' console's call view when its hub socket is interrupted mid-call: said in a polite status over the picture
// until the call is resumed, « Raccrocher » still offered; a call the client could not resume ends as before.
import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AgentApp } from '../../../../renderer/agent/AgentApp.js';
import { createAgentStore } from '../../../../renderer/agent/agentStore.js';
import { initAgentI18n } from '../../../../renderer/agent/i18n.js';
import { FakeHub, FakeSession, fakeStream } from './fakes.js';

initAgentI18n();

const NOTICE = 'Liaison avec le service d’appel interrompue : l’appel continue, reconnexion en cours…';

async function inCall() {
  const hub = new FakeHub();
  const sessions: FakeSession[] = [];
  const store = createAgentStore({
    createHub: () => hub,
    getMedia: async () => fakeStream(),
    createSession: (o) => {
      const s = new FakeSession(o);
      sessions.push(s);
      return s;
    },
    stopStream: () => undefined,
    photoUrl: () => 'blob:photo',
    now: () => 5_000,
    warmCamera: false,
  });
  render(<AgentApp store={store} />);
  act(() => {
    store.getState().login('caf', 'secret');
    hub.ready('agent');
    hub.frame({ type: 'call.ringing', callId: 'c1', organisation: 'CAF', siteName: 'Relais de Murat', queuedAt: 1_000, ringTimeoutMs: 60_000 });
  });
  await act(() => store.getState().accept('c1'));
  act(() => {
    hub.frame({ type: 'call.accepted', callId: 'c1', organisation: 'CAF', peerName: 'Relais de Murat', initiator: false, iceServers: [] });
    sessions[0]!.emit({ type: 'answer', sdp: 'a' });
  });
  return { hub, store };
}

describe('agents’ console: a call whose hub socket is interrupted', () => {
  beforeEach(() => {
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(() => Promise.resolve());
  });
  afterEach(() => vi.restoreAllMocks());

  it('says so in a polite status over the picture, « Raccrocher » still offered, until the call is resumed', async () => {
    const t = await inCall();
    expect(screen.getByTestId('agent-call')).toBeTruthy();
    expect(screen.queryByText(NOTICE)).toBeNull();
    act(() => t.hub.event('callInterrupted', { callId: 'c1' }));
    const status = screen.getByText(NOTICE).closest('[role="status"]') as HTMLElement;
    expect(status.getAttribute('aria-live')).toBe('polite');
    expect(status.closest('.call__stage')).not.toBeNull();
    expect(screen.getByRole('button', { name: 'Raccrocher' })).toBeTruthy();
    act(() => t.hub.event('callResumed', { callId: 'c1' }));
    expect(screen.queryByText(NOTICE)).toBeNull();
    expect(screen.getByTestId('agent-call')).toBeTruthy();
  });

  it('a call the client could not resume ends with « connection lost », the notice gone', async () => {
    const t = await inCall();
    act(() => t.hub.event('callInterrupted', { callId: 'c1' }));
    act(() => t.hub.event('callLost', { callId: 'c1', reason: 'connection_lost' }));
    expect(screen.queryByTestId('agent-call')).toBeNull();
    expect(screen.getByTestId('agent-ended').dataset.code).toBe('connection_lost');
    expect(screen.queryByText(NOTICE)).toBeNull();
  });
});
