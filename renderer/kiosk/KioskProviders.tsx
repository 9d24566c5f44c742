// What every kiosk component reads from above it: the bridge and the stores built on it.
import type { ReactNode } from 'react';
import type { RelaisApi } from '../../shared/contract/index.js';
import { BridgeProvider } from '../bridge/BridgeContext.js';
import { KioskStoresContext, type KioskStores } from './stores/storesContext.js';

export function KioskProviders({ bridge, stores, children }: { bridge: RelaisApi; stores: KioskStores; children: ReactNode }) {
  return (
    <BridgeProvider bridge={bridge}>
      <KioskStoresContext.Provider value={stores}>{children}</KioskStoresContext.Provider>
    </BridgeProvider>
  );
}
