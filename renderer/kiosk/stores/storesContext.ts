// The kiosk's stores as its components receive them: built once per app (createKioskStores), provided by KioskProviders.
import { createContext, useContext } from 'react';
import type { StoreApi } from 'zustand';
import type { EvaluationStore } from '../evaluation/evaluationStore.js';
import type { PrintingState } from '../printing/printingStore.js';
import type { IdleState } from '../teleservice/idleStore.js';
import type { TeleserviceState } from '../teleservice/teleserviceStore.js';
import type { AppState } from './appStore.js';
import type { VisitsState } from './visitsStore.js';

export interface KioskStores {
  app: StoreApi<AppState>;
  visits: StoreApi<VisitsState>;
  printing: StoreApi<PrintingState>;
  idle: StoreApi<IdleState>;
  teleservice: StoreApi<TeleserviceState>;
  evaluation: StoreApi<EvaluationStore>;
}

export const KioskStoresContext = createContext<KioskStores | null>(null);

export function useKioskStores(): KioskStores {
  const stores = useContext(KioskStoresContext);
  if (!stores) throw new Error('useKioskStores: no KioskProviders above this component');
  return stores;
}
