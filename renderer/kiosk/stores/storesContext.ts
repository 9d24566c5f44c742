// The kiosk's stores as its components receive them: built once per app (createKioskStores), provided by KioskProviders.
import { createContext, useContext } from 'react';
import { useStore, type StoreApi } from 'zustand';
import type { AppointmentsState } from '../appointments/appointmentsStore.js';
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
  appointments: StoreApi<AppointmentsState>;
}

export const KioskStoresContext = createContext<KioskStores | null>(null);

/** The booth's visio appointments, read from the app's instance. */
export function useAppointmentsStore<T>(selector: (s: AppointmentsState) => T): T {
  return useStore(useKioskStores().appointments, selector);
}

export function useKioskStores(): KioskStores {
  const stores = useContext(KioskStoresContext);
  if (!stores) throw new Error('useKioskStores: no KioskProviders above this component');
  return stores;
}
