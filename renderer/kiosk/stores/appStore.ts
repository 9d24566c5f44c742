// The kiosk's shell state: site info, organisations, mediator session, help request, current screen, text size.
import { createStore, useStore, type StoreApi } from 'zustand';
import type { AppInfo, AuthState, HelpState, OrganisationWithState, RelaisApi } from '../../../shared/contract/index.js';
import { BridgeError, unwrap } from '../../bridge/index.js';
import { useKioskStores } from './storesContext.js';

export type MediatorTab = 'quick' | 'today' | 'appointments' | 'grid' | 'settings' | 'teleservice' | 'audit' | 'incidents' | 'report' | 'evaluationSettings' | 'devices';
export type Screen = { name: 'home' } | { name: 'organisation'; code: string } | { name: 'visio'; code: string; /** From the home's « Rejoindre »: the appointment this call is for. */ appointmentId?: string } | { name: 'unlock' } | { name: 'mediator'; tab: MediatorTab } | { name: 'teleservice' } | { name: 'survey'; organisation: string; service: 'visio' | 'internet' } | { name: 'forms'; organisation: string } | { name: 'documents'; organisation: string } | { name: 'appointment'; organisation: string; from: 'organisation' | 'mediator' };
export type TextScale = 1 | 1.25 | 1.5;

export interface UiError {
  code: string;
  details?: Record<string, string | number>;
}

export const toUiError = (cause: unknown): UiError =>
  cause instanceof BridgeError ? { code: cause.code, ...(cause.details ? { details: cause.details } : {}) } : { code: 'INTERNAL' };

export interface AppState {
  ready: boolean;
  loadError: UiError | null;
  info: AppInfo | null;
  organisations: OrganisationWithState[];
  auth: AuthState;
  help: HelpState;
  screen: Screen;
  textScale: TextScale;
  load(): Promise<void>;
  refreshOrganisations(): Promise<void>;
  go(screen: Screen): void;
  requestHelp(screen: string): Promise<void>;
  acknowledgeHelp(): Promise<void>;
  unlock(pin: string): Promise<UiError | null>;
  lock(): Promise<void>;
  setTextScale(scale: TextScale): void;
}

const LOCKED: AuthState = { unlocked: false, mediator: null, failures: 0, lockedUntil: null };
const NO_HELP: HelpState = { pending: false, requestId: null, requestedAt: null, screen: null };

export const createAppStore = (bridge: RelaisApi): StoreApi<AppState> => createStore<AppState>()((set, get) => ({
  ready: false,
  loadError: null,
  info: null,
  organisations: [],
  auth: LOCKED,
  help: NO_HELP,
  screen: { name: 'home' },
  textScale: 1,

  async load() {
    try {
      const [info, organisations, auth, help] = await Promise.all([
        unwrap(bridge.app.info({})),
        unwrap(bridge.organisations.list({})),
        unwrap(bridge.auth.state({})),
        unwrap(bridge.help.state({})),
      ]);
      set({ info, organisations, auth, help, ready: true, loadError: null });
    } catch (cause) {
      set({ loadError: toUiError(cause) });
      return;
    }
    bridge.on('help.changed', (help) => set({ help }));
    bridge.on('auth.changed', (auth) => {
      set({ auth });
      if (!auth.unlocked && get().screen.name === 'mediator') set({ screen: { name: 'home' } });
    });
    bridge.on('settings.changed', () => void get().refreshOrganisations());
  },

  async refreshOrganisations() {
    try {
      const [info, organisations] = await Promise.all([unwrap(bridge.app.info({})), unwrap(bridge.organisations.list({}))]);
      set({ info, organisations });
    } catch {
      // The previous state stays on screen; the next refresh tries again.
    }
  },

  go(screen) {
    set({ screen });
  },

  async requestHelp(screen) {
    const help = await unwrap(bridge.help.request({ screen }));
    set({ help });
  },

  async acknowledgeHelp() {
    const help = await unwrap(bridge.help.acknowledge({}));
    set({ help });
  },

  async unlock(pin) {
    try {
      const auth = await unwrap(bridge.auth.unlock({ pin }));
      set({ auth, screen: { name: 'mediator', tab: 'quick' } });
      return null;
    } catch (cause) {
      const auth = await unwrap(bridge.auth.state({})).catch(() => get().auth);
      set({ auth });
      return toUiError(cause);
    }
  },

  async lock() {
    const auth = await unwrap(bridge.auth.lock({})).catch(() => LOCKED);
    set({ auth, screen: { name: 'home' } });
  },

  setTextScale(textScale) {
    document.documentElement.style.setProperty('--text-scale', String(textScale));
    set({ textScale });
  },
}));

/** The app's app store (from KioskProviders), as a zustand hook. */
export const useAppStore = <T>(selector: (state: AppState) => T): T => useStore(useKioskStores().app, selector);
