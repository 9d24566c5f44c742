// The printer's state and recent jobs as the screens see them: loaded once, then kept current by the printing events.
import { createStore, useStore, type StoreApi } from 'zustand';
import type { PrinterReasonCode, PrinterStateView, PrintJob, RelaisApi } from '../../../shared/contract/index.js';
import { BLOCKING, REASON_CODES } from '../../../shared/printerReasons.js';
import { unwrap } from '../../bridge/index.js';
import { useKioskStores } from '../stores/storesContext.js';

/** Reasons that stop printing. */
export const BLOCKING_REASONS: ReadonlySet<PrinterReasonCode> = new Set(REASON_CODES.filter((code) => BLOCKING[code]));

/** i18n key of the visitor's one sentence: the first blocking reason, else "ready". */
export const visitorSentenceKey = (reasons: readonly PrinterReasonCode[]): string => {
  const blocking = reasons.find((r) => BLOCKING_REASONS.has(r));
  return blocking ? `printing.reasons.${blocking}.visitor` : 'printing.ready';
};

export interface PrintingState {
  state: PrinterStateView | null;
  /** The first answer about the printer came (or the question failed): the home waits for it before its first frame. */
  known: boolean;
  /** Jobs seen through events or submitted from this screen, by id. */
  jobs: Record<number, PrintJob>;
  started: boolean;
  ensureStarted(): void;
  refresh(): Promise<void>;
  track(job: PrintJob): void;
}

export const createPrintingStore = (bridge: RelaisApi): StoreApi<PrintingState> => createStore<PrintingState>()((set, get) => ({
  state: null,
  known: false,
  jobs: {},
  started: false,
  ensureStarted() {
    if (get().started) return;
    set({ started: true });
    bridge.on('printing.state', (state) => set({ state, known: true }));
    bridge.on('printing.job', (job) => get().track(job));
    void get().refresh();
  },
  async refresh() {
    try {
      const state = await unwrap(bridge.printing.state({}));
      set({ state, known: true });
    } catch {
      // The next event or refresh brings it.
      set({ known: true });
    }
  },
  track(job) {
    const known = get().jobs[job.id];
    if (known && known.updatedAt > job.updatedAt) return;
    set({ jobs: { ...get().jobs, [job.id]: job } });
  },
}));

/** The app's printing store (from KioskProviders), as a zustand hook. */
export const usePrintingStore = <T>(selector: (state: PrintingState) => T): T => useStore(useKioskStores().printing, selector);
