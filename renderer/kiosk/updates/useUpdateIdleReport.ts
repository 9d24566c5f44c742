// Tells main whether the booth is idle for an update's install: the home screen with nothing holding the idle guard
// (a call in progress holds it). Any other screen (a visitor's step, a form, a guided session, the mediator's space) is busy.
import { useEffect } from 'react';
import { useBridge } from '../../bridge/BridgeContext.js';
import { useAppStore } from '../stores/appStore.js';
import { useIdleStore } from '../teleservice/idleStore.js';

export function useUpdateIdleReport(): void {
  const bridge = useBridge();
  const home = useAppStore((s) => s.screen.name === 'home');
  const blocked = useIdleStore((s) => s.blockers > 0);
  const idle = home && !blocked;
  useEffect(() => {
    // An answer or a failure changes nothing here: until main hears « idle », it does not install.
    void bridge.updates.idle({ idle }).catch(() => undefined);
  }, [bridge, idle]);
}
