// The visitor screens' idle guard state: the site's idle time (settings.idle), who suspends it (a call), the last activity.
import { create } from 'zustand';
import { IDLE_SECONDS_DEFAULT } from '../../../shared/contract/index.js';
import { getBridge, unwrap } from '../../bridge/index.js';

interface IdleState {
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

export const useIdleStore = create<IdleState>()((set, get) => ({
  idleSeconds: IDLE_SECONDS_DEFAULT,
  blockers: 0,
  lastActivityAt: Date.now(),
  warning: false,

  async loadIdleTime() {
    try {
      const { idleSeconds } = await unwrap(getBridge().settings.idle({}));
      set({ idleSeconds });
    } catch {
      // The default stays; the next settings change tries again.
    }
  },

  async saveIdleTime(idleSeconds) {
    const saved = await unwrap(getBridge().settings.setIdle({ idleSeconds }));
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
