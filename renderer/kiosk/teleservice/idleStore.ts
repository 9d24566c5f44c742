// The visitor screens' idle guard state: the site's idle time (teleservice.idle), who suspends it (a call), the last activity.
import { createStore, useStore, type StoreApi } from 'zustand';
import { IDLE_SECONDS_DEFAULT, type RelaisApi } from '../../../shared/contract/index.js';
import { unwrap } from '../../bridge/index.js';
import { useKioskStores } from '../stores/storesContext.js';

export interface IdleState {
  idleSeconds: number;
  /** Screens that suspend idle (a video call in progress): idle never fires while one holds a block. */
  blockers: number;
  lastActivityAt: number;
  /** True while "Êtes-vous toujours là ?" is shown (the Electron website view hides itself under it). */
  warning: boolean;
  loadIdleTime(): Promise<void>;
  saveIdleTime(idleSeconds: number): Promise<void>;
  activity(): void;
  block(): () => void;
  setWarning(warning: boolean): void;
}

export const createIdleStore = (bridge: RelaisApi): StoreApi<IdleState> => createStore<IdleState>()((set, get) => ({
  idleSeconds: IDLE_SECONDS_DEFAULT,
  blockers: 0,
  lastActivityAt: Date.now(),
  warning: false,

  async loadIdleTime() {
    try {
      const { idleSeconds } = await unwrap(bridge.teleservice.idle({}));
      set({ idleSeconds });
    } catch {
      // The default stays; the next settings change tries again.
    }
  },

  async saveIdleTime(idleSeconds) {
    const saved = await unwrap(bridge.teleservice.setIdle({ idleSeconds }));
    set({ idleSeconds: saved.idleSeconds });
  },

  activity() {
    set({ lastActivityAt: Date.now(), ...(get().warning ? { warning: false } : {}) });
  },

  block() {
    set((s) => ({ blockers: s.blockers + 1, lastActivityAt: Date.now(), warning: false }));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      set((s) => ({ blockers: Math.max(0, s.blockers - 1), lastActivityAt: Date.now() }));
    };
  },

  setWarning(warning) {
    if (get().warning !== warning) set({ warning });
  },
}));

/** The app's idle store (from KioskProviders), as a zustand hook. */
export const useIdleStore = <T>(selector: (state: IdleState) => T): T => useStore(useKioskStores().idle, selector);
