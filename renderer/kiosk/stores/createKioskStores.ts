// One set of the kiosk's stores, all speaking to the same bridge.
import type { RelaisApi } from '../../../shared/contract/index.js';
import { unwrap } from '../../bridge/index.js';
import { createAppointmentsStore } from '../appointments/appointmentsStore.js';
import { createEvaluationStore } from '../evaluation/evaluationStore.js';
import { createPrintingStore } from '../printing/printingStore.js';
import { createIdleStore } from '../teleservice/idleStore.js';
import { createTeleserviceStore } from '../teleservice/teleserviceStore.js';
import { createAppStore } from './appStore.js';
import type { KioskStores } from './storesContext.js';
import { createVisitsStore } from './visitsStore.js';

export function createKioskStores(bridge: RelaisApi): KioskStores {
  return {
    app: createAppStore(bridge),
    visits: createVisitsStore(bridge),
    printing: createPrintingStore(bridge),
    idle: createIdleStore(bridge),
    teleservice: createTeleserviceStore(bridge),
    evaluation: createEvaluationStore(bridge),
    // Books through the hub (App attaches the kiosk's hub connection once created), remembers through the bridge.
    appointments: createAppointmentsStore({
      memory: { record: (a) => unwrap(bridge.appointments.record(a)), list: () => unwrap(bridge.appointments.list({})) },
    }),
  };
}
