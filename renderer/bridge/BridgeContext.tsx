// The bridge as the kiosk's components receive it: one instance per app, provided from the entry (main.tsx) or a test.
import { createContext, useContext, type ReactNode } from 'react';
import type { RelaisApi } from '../../shared/contract/index.js';

const BridgeContext = createContext<RelaisApi | null>(null);

export function BridgeProvider({ bridge, children }: { bridge: RelaisApi; children: ReactNode }) {
  return <BridgeContext.Provider value={bridge}>{children}</BridgeContext.Provider>;
}

export function useBridge(): RelaisApi {
  const bridge = useContext(BridgeContext);
  if (!bridge) throw new Error('useBridge: no BridgeProvider above this component');
  return bridge;
}
