// The kiosk's wiring of the department's configuration: the hub client's `config.apply` frames go to main
// (configReceiver.ts), and the settings screen learns which fields the department manages (« géré par le département »).
import { useEffect, useState } from 'react';
import type { FleetConfigState, RelaisApi } from '../../../shared/contract/index.js';
import type { BoothHubPort } from '../../call/ports.js';
import { useBridge } from '../../bridge/BridgeContext.js';
import { unwrap } from '../../bridge/index.js';
import { receiveFleetConfig } from './configReceiver.js';

export function receiveKioskFleetConfig(bridge: RelaisApi, hub: BoothHubPort): () => void {
  return receiveFleetConfig(hub, { apply: (version, config) => unwrap(bridge.fleetConfig.apply({ version, config })) });
}

/** Whether the department manages the booth's configuration now (null while unknown), kept current on every change. */
export function useFleetConfigState(): FleetConfigState | null {
  const bridge = useBridge();
  const [state, setState] = useState<FleetConfigState | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      void unwrap(bridge.fleetConfig.state({})).then(
        (s) => live && setState(s),
        () => undefined,
      );
    load();
    const off = bridge.on('settings.changed', load);
    return () => {
      live = false;
      off();
    };
  }, [bridge]);
  return state;
}
