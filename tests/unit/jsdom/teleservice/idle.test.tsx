// The visitor screens' idle guard on fake timers: the countdown, a touch that cancels it, going home, a call that suspends it.
import type { ReactElement } from 'react';
import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleGuard } from '../../../../renderer/kiosk/teleservice/IdleGuard.js';
import { useIdleBlock } from '../../../../renderer/kiosk/teleservice/useIdleBlock.js';
import { fakeBridge } from '../fakeBridge.js';
import { renderKiosk, testKiosk, type TestKiosk } from '../renderKiosk.js';

/** This test's bridge and stores, built by setup(); each test renders inside them. */
let kiosk: TestKiosk;
const render = (ui: ReactElement) => renderKiosk(ui, kiosk);

const advance = (ms: number) => act(async () => void (await vi.advanceTimersByTimeAsync(ms)));

/** `idle.seconds` is what `teleservice.idle` answers; a test changes it as the mediator would. */
function setup(idleSeconds = 30) {
  const idle = { seconds: idleSeconds };
  const fake = Object.assign(fakeBridge({ 'teleservice.idle': () => ({ ok: true, value: { idleSeconds: idle.seconds } }) }), { idle });
  kiosk = testKiosk(fake.api);
  kiosk.stores.idle.setState({ idleSeconds: 120, blockers: 0, lastActivityAt: Date.now(), warning: false });
  return fake;
}

function CallScreen({ inCall }: { inCall: boolean }) {
  useIdleBlock(inCall);
  return null;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('idle guard', () => {
  it('asks "Êtes-vous toujours là ?" after the site’s idle time, counts down 20 s, then goes home', async () => {
    setup(30);
    const onIdle = vi.fn();
    render(<IdleGuard active onIdle={onIdle} />);
    await advance(29_000);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await advance(1_000);
    const dialog = screen.getByRole('alertdialog', { name: 'Êtes-vous toujours là ?' });
    expect(dialog.textContent).toContain('Sinon, l’écran revient à l’accueil dans 20 secondes.');
    expect(kiosk.stores.idle.getState().warning).toBe(true);
    await advance(19_000);
    expect(screen.getByText('Sinon, l’écran revient à l’accueil dans 1 seconde.')).toBeTruthy();
    expect(onIdle).not.toHaveBeenCalled();
    await advance(1_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('cancels the countdown on any touch and starts a fresh idle period', async () => {
    setup(30);
    const onIdle = vi.fn();
    render(<IdleGuard active onIdle={onIdle} />);
    await advance(35_000);
    expect(screen.getByRole('alertdialog')).toBeTruthy();
    fireEvent.pointerDown(document.body);
    await advance(1_000);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(kiosk.stores.idle.getState().warning).toBe(false);
    await advance(25_000);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(onIdle).not.toHaveBeenCalled();
  });

  it('counts the website’s own events as activity (touches inside the site never reach the kiosk page)', async () => {
    const fake = setup(30);
    render(<IdleGuard active onIdle={vi.fn()} />);
    await advance(25_000);
    act(() => fake.emit('teleservice.update', { type: 'activity', sessionId: 's1' }));
    await advance(25_000);
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('never fires while a call holds a block, and starts again once the call is over', async () => {
    setup(30);
    const onIdle = vi.fn();
    const { rerender } = render(
      <>
        <IdleGuard active onIdle={onIdle} />
        <CallScreen inCall />
      </>,
    );
    await advance(10 * 60_000);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(onIdle).not.toHaveBeenCalled();
    rerender(
      <>
        <IdleGuard active onIdle={onIdle} />
        <CallScreen inCall={false} />
      </>,
    );
    await advance(31_000);
    expect(screen.getByRole('alertdialog')).toBeTruthy();
  });

  it('does not guard screens that are not visitor screens (home, mediator area)', async () => {
    setup(30);
    const onIdle = vi.fn();
    render(<IdleGuard active={false} onIdle={onIdle} />);
    await advance(5 * 60_000);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(onIdle).not.toHaveBeenCalled();
  });

  it('follows the idle time the mediator sets', async () => {
    const fake = setup(120);
    render(<IdleGuard active onIdle={vi.fn()} />);
    await advance(0);
    expect(kiosk.stores.idle.getState().idleSeconds).toBe(120);
    fake.idle.seconds = 5;
    act(() => fake.emit('settings.changed', { at: Date.now() }));
    await advance(0);
    expect(kiosk.stores.idle.getState().idleSeconds).toBe(5);
    await advance(6_000);
    expect(screen.getByRole('alertdialog')).toBeTruthy();
  });
});
