// The updates feature of the kiosk: `updates.idle`, the renderer's word on whether a visitor is using the booth, and
// the verdict an install waits for: idle only when the renderer says so and no mediator's session is open.
import type { updatesVerbs } from '../../../shared/contract/updates.js';
import type { KioskCore, KioskFeature } from '../core.js';
import type { Handlers } from '../dispatch.js';
import type { IdleVerdict } from './updater.js';

export type UpdatesVerb = keyof typeof updatesVerbs;

export interface UpdatesFeature extends KioskFeature<UpdatesVerb> {
  /** Until the renderer has said the booth is idle, it is not (a renderer that never reports never gets interrupted). */
  idle(): IdleVerdict;
}

export function createUpdatesFeature(core: Pick<KioskCore, 'auth' | 'logger'>): UpdatesFeature {
  let rendererIdle = false;
  const handlers = {
    'updates.idle': ({ idle }) => {
      rendererIdle = idle;
      return { done: true as const };
    },
  } satisfies Handlers<UpdatesVerb>;
  return {
    handlers,
    idle() {
      if (core.auth.state().unlocked) return { idle: false, reason: 'mediator' };
      return rendererIdle ? { idle: true } : { idle: false, reason: 'visitor' };
    },
  };
}
