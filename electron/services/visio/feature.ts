// Visio-accueil on the kiosk side: which hub the booth talks to, recording a finished call, the document camera.
// The call itself (signaling, WebRTC) runs in the renderer against the hub; main only hands out the connection.
import type { HubConnection } from '../../../shared/contract/index.js';
import { DeviceSettings } from '../../../shared/contract/index.js';
import type { visioVerbs } from '../../../shared/contract/visio.js';
import { ExpectedError } from '../../../shared/errors.js';
import type { KioskCore, KioskFeature } from '../core.js';
import type { Handlers } from '../dispatch.js';
import { readSetting, writeSetting } from '../foundation/kv.js';

export type VisioVerb = keyof typeof visioVerbs;

export interface VisioOptions {
  /** The hub this booth uses: configured (production) or the embedded demo hub; null when none could be started. */
  hub: HubConnection | null | (() => HubConnection | null);
}

const DEVICES_KEY = 'devices';

export function createVisioFeature(core: KioskCore, options: VisioOptions): KioskFeature<VisioVerb> {
  const log = core.logger.child({ scope: 'visio' });
  const devices = () => readSetting(core.db, DEVICES_KEY, DeviceSettings, { documentCameraId: null });
  return {
    handlers: {
      'hub.connection': () => {
        const hub = typeof options.hub === 'function' ? options.hub() : options.hub;
        if (!hub) {
          log.warn({ code: 'HUB_UNAVAILABLE' }, 'no hub configured or started');
          throw new ExpectedError('HUB_UNAVAILABLE', 'Aucun hub de visio n’est disponible pour cette borne.');
        }
        return hub;
      },
      'visio.recordVisit': ({ organisation, startedAt, endedAt }) => core.visits.record({ organisation, service: 'visio', startedAt, endedAt }, { mediatorId: null, source: 'visio' }),
      'visio.devices': () => devices(),
      'visio.setDevices': (input) => {
        writeSetting(core.db, DEVICES_KEY, input);
        // A device id is an opaque browser id, not personal data; only whether one is chosen is logged.
        log.info({ code: 'DEVICES_SET', documentCamera: input.documentCameraId === null ? 'none' : 'chosen' }, 'document camera setting saved');
        return devices();
      },
    } satisfies Handlers<VisioVerb>,
  };
}
