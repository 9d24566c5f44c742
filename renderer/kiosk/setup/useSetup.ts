// Whether the booth still has its first-start assistant to run (setup.state), read once at start; null while unknown.
import { useCallback, useEffect, useState } from 'react';
import type { SetupState } from '../../../shared/contract/index.js';
import { useBridge } from '../../bridge/BridgeContext.js';
import { unwrap } from '../../bridge/index.js';

export function useSetup(): { state: SetupState | null; onState(next: SetupState): void } {
  const bridge = useBridge();
  const [state, setState] = useState<SetupState | null>(null);
  useEffect(() => {
    Promise.resolve()
      .then(() => unwrap(bridge.setup.state({})))
      .then(setState)
      // A kiosk that cannot say (an older main process): it is set up, as before the assistant existed.
      .catch(() => setState({ step: 'done', mode: null, hubAddress: null, credential: null }));
  }, [bridge]);
  const onState = useCallback(
    (next: SetupState) => {
      // Enrolled: the page reloads so its CSP names the new hub and the hub link connects there. Done: the kiosk starts anew.
      if ((state?.step === 'hub' && next.mode === 'hub') || (next.step === 'done' && state?.step !== 'done')) {
        window.location.reload();
        return;
      }
      setState(next);
    },
    [state],
  );
  return { state, onState };
}
