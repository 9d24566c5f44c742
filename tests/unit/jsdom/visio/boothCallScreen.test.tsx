// The booth's call screen: answering keeps the visitor's own picture and the remote video as the same elements; a hub
// socket interrupted mid-call is said over the picture, the hang-up button staying where it is.
import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BoothCallScreen } from '../../../../renderer/kiosk/visio/BoothCallScreen.js';
import { createBoothCallStore } from '../../../../renderer/kiosk/visio/callStore.js';
import { FakeHub, FakeSession, fakeStream, perCallLink } from './fakes.js';

describe('booth call screen', () => {
  beforeEach(() => {
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(() => Promise.resolve());
  });
  afterEach(() => vi.restoreAllMocks());

  function callScreen(controlsAfterMs?: number) {
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
    const view = render(
      <BoothCallScreen organisation="CAF" organisationName="CAF" store={store} onDone={() => undefined} {...(controlsAfterMs !== undefined ? { controlsAfterMs } : {})} />,
    );
    return {
      view,
      stream,
      hub,
      /** The hub is signed in and the call waits in the queue. */
      async waiting() {
        await act(async () => {
          for (let i = 0; i < 5; i++) await Promise.resolve();
        });
        act(() => {
          hub.ready();
          hub.frame({ type: 'queue.position', callId: 'c1', organisation: 'CAF', position: 1, estimatedWaitS: 0 });
        });
      },
      answered() {
        act(() => hub.frame({ type: 'call.accepted', callId: 'c1', organisation: 'CAF', peerName: 'Claire Martin', initiator: true, iceServers: [] }));
      },
      async answer() {
        await this.waiting();
        this.answered();
      },
    };
  }

  it('when the agent answers, a hang-up button stays and the rest of the call controls come with the agent’s first picture', async () => {
    // A fallback far away: only the picture can bring the controls within this test.
    const call = callScreen(60_000);
    await call.answer();
    expect(call.view.container.querySelector('main')?.dataset.phase).toBe('connected');
    // Until then the visitor keeps one way out: the red button, now « Raccrocher », and nothing else of the call bar.
    expect(screen.getAllByRole('button', { name: 'Raccrocher' })).toHaveLength(1);
    expect(screen.queryByRole('button', { name: /Annuler/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Montrer un document/ })).toBeNull();
    expect(call.view.container.querySelector('[data-level]')).toBeNull();
    const remote = call.view.container.querySelector('video[data-role="remote"]') as HTMLVideoElement;
    act(() => void fireEvent.loadedData(remote));
    expect(screen.getAllByRole('button', { name: 'Raccrocher' })).toHaveLength(1);
    expect(screen.getByRole('button', { name: /Montrer un document/ })).toBeTruthy();
    expect(call.view.container.querySelector('[data-level]')).not.toBeNull();
  });

  it('without a picture from the agent, the call controls still come after controlsAfterMs', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const call = callScreen(1_000);
      await call.answer();
      act(() => void vi.advanceTimersByTime(999));
      expect(screen.queryByRole('button', { name: /Montrer un document/ })).toBeNull();
      act(() => void vi.advanceTimersByTime(1));
      expect(screen.getByRole('button', { name: /Montrer un document/ })).toBeTruthy();
    } finally {
      vi.useRealTimers();
    }
  });

  it('when the agent answers, the self view and the remote video are the same elements as while waiting (only revealed)', async () => {
    const call = callScreen();
    await call.waiting();
    const view = call.view;
    const self = view.container.querySelector('video[data-role="self"]');
    const remote = view.container.querySelector('video[data-role="remote"]');
    expect(self).not.toBeNull();
    expect((remote as HTMLVideoElement).hidden).toBe(true);
    expect((self as HTMLVideoElement & { srcObject: unknown }).srcObject).toBe(call.stream);
    call.answered();
    expect(view.container.querySelector('main')?.dataset.phase).toBe('connected');
    expect(view.container.querySelector('video[data-role="self"]')).toBe(self);
    expect(view.container.querySelector('video[data-role="remote"]')).toBe(remote);
    expect((remote as HTMLVideoElement).hidden).toBe(false);
  });

  it('a hub socket interrupted mid-call is said in a polite status over the picture, « Raccrocher » still offered, until the call is resumed', async () => {
    const call = callScreen(0);
    await call.answer();
    const notice = 'La visio continue. Reconnexion au service d’appel…';
    expect(screen.queryByText(notice)).toBeNull();
    act(() => call.hub.event('callInterrupted', { callId: 'c1' }));
    const status = screen.getByText(notice).closest('[role="status"]') as HTMLElement;
    expect(status.getAttribute('aria-live')).toBe('polite');
    // Over the picture, not in the controls' column: nothing of the controls moves.
    expect(status.closest('.call__side')).toBeNull();
    expect(call.view.container.querySelector('main')?.dataset.phase).toBe('connected');
    expect(screen.getAllByRole('button', { name: 'Raccrocher' })).toHaveLength(1);
    act(() => call.hub.event('callResumed', { callId: 'c1' }));
    expect(screen.queryByText(notice)).toBeNull();
    expect(call.view.container.querySelector('main')?.dataset.phase).toBe('connected');
  });

  it('a call the client could not resume still ends on « connection lost »', async () => {
    const call = callScreen(0);
    await call.answer();
    act(() => call.hub.event('callInterrupted', { callId: 'c1' }));
    act(() => call.hub.event('callLost', { callId: 'c1', reason: 'connection_lost' }));
    expect(screen.getByTestId('end-reason').dataset.code).toBe('connection_lost');
    expect(screen.queryByText(/la visio continue/)).toBeNull();
  });
});
