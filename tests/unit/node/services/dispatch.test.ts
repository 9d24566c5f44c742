import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { dispatch, type DispatchDeps, type Handlers, type MediatorContext } from '../../../../electron/services/dispatch.js';
import type { Kiosk, VerbWithoutFeature } from '../../../../electron/services/kiosk.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import { ExpectedError } from '../../../../shared/errors.js';
import { VERB_NAMES } from '../../../../shared/contract/index.js';
import { memoryKiosk } from './support.js';

/** Handlers that record what they were given; `auth.state` and `help.acknowledge` answer values inside the contract. */
function recordingHandlers() {
  const handlers = Object.fromEntries(VERB_NAMES.map((verb) => [verb, vi.fn()])) as unknown as Handlers & Record<string, ReturnType<typeof vi.fn>>;
  const helpState = { pending: false, requestId: null, requestedAt: null, screen: null };
  vi.mocked(handlers['help.state']).mockReturnValue(helpState);
  vi.mocked(handlers['help.acknowledge']).mockReturnValue(helpState);
  return handlers;
}

describe('dispatch and the mediator session', () => {
  it('hands a mediator-only handler the mediator that requireMediator names, and other handlers no context', async () => {
    const handlers = recordingHandlers();
    const requireMediator = vi.fn((): MediatorContext => ({ mediator: 7 }));
    const deps: DispatchDeps = { handlers, requireMediator, logger: silentLogger() };

    await dispatch(deps, 'help.acknowledge', {});
    expect(handlers['help.acknowledge']).toHaveBeenCalledWith({}, { mediator: 7 });

    await dispatch(deps, 'help.state', {});
    expect(handlers['help.state']).toHaveBeenCalledWith({}, undefined);
    expect(requireMediator).toHaveBeenCalledTimes(1);
  });

  it('answers NOT_UNLOCKED without running a mediator-only handler when requireMediator refuses', async () => {
    const handlers = recordingHandlers();
    const requireMediator = vi.fn((): MediatorContext => {
      throw new ExpectedError('NOT_UNLOCKED', 'Déverrouillez avec votre code de médiateur.');
    });
    const result = await dispatch({ handlers, requireMediator, logger: silentLogger() }, 'help.acknowledge', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_UNLOCKED' } });
    expect(handlers['help.acknowledge']).not.toHaveBeenCalled();
  });

  it('every verb of the contract belongs to a built-in feature (checked by the compiler)', () => {
    expectTypeOf<VerbWithoutFeature>().toEqualTypeOf<never>();
  });
});

describe('the kiosk’s requireMediator', () => {
  const kiosks: Kiosk[] = [];
  afterEach(() => {
    for (const k of kiosks.splice(0)) k.close();
  });

  it('names the signed-in mediator and counts the verb as activity, postponing the auto-lock', async () => {
    const { kiosk, clock } = memoryKiosk();
    kiosks.push(kiosk);
    expect(() => kiosk.requireMediator()).toThrow(expect.objectContaining({ code: 'NOT_UNLOCKED' }));
    await kiosk.auth.unlock('1234');
    expect(kiosk.requireMediator()).toEqual({ mediator: 1 });

    // Auto-lock is 15 minutes without a mediator verb: a verb at 10 minutes keeps the session open at 20.
    clock.advance(10 * 60_000);
    kiosk.requireMediator();
    clock.advance(10 * 60_000);
    expect(kiosk.auth.state().unlocked).toBe(true);
    clock.advance(15 * 60_000);
    expect(kiosk.auth.state().unlocked).toBe(false);
  });
});
