// The booth's side of the configuration pushed from the hub: each `config.apply` frame its hub connection receives is
// handed to main (`fleetConfig.apply`, which checks and applies it whole or refuses it whole) and main's outcome goes
// back to the hub as `config.applied` or `config.refused`. Frames are handled one at a time, in order, so a publish
// arriving during an apply is answered after it and the hub's last word is the one the booth runs.
import type { FleetConfigOutcome } from '../../../shared/contract/index.js';
import type { HubFrameOf } from '../../../shared/protocol.js';
import type { BoothHubPort } from '../../call/ports.js';

export interface ConfigReceiverDeps {
  /** `fleetConfig.apply` of the kiosk contract; a rejection (main unreachable) is answered APPLY_FAILED. */
  apply(version: number, config: Record<string, unknown>): Promise<FleetConfigOutcome>;
  onError?(code: 'FLEET_CONFIG_APPLY_CALL_FAILED', cause: unknown): void;
}

/** Listens to the hub client's `config.apply` frames; returns a function that stops listening. */
export function receiveFleetConfig(hub: Pick<BoothHubPort, 'on' | 'reportConfig'>, deps: ConfigReceiverDeps): () => void {
  let queue: Promise<void> = Promise.resolve();
  const handle = async (frame: HubFrameOf<'config.apply'>): Promise<void> => {
    let outcome: FleetConfigOutcome;
    try {
      outcome = await deps.apply(frame.version, frame.config);
    } catch (cause) {
      deps.onError?.('FLEET_CONFIG_APPLY_CALL_FAILED', cause);
      outcome = { status: 'refused', version: frame.version, code: 'APPLY_FAILED', detail: 'la borne n’a pas pu appliquer la configuration' };
    }
    hub.reportConfig(
      outcome.status === 'applied'
        ? { type: 'config.applied', version: outcome.version }
        : { type: 'config.refused', version: outcome.version, code: outcome.code, detail: outcome.detail },
    );
  };
  return hub.on('config.apply', (frame) => {
    queue = queue.then(() => handle(frame));
  });
}
