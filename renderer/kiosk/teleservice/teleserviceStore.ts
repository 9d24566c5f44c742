// The guided online service on screen: the guides, the open session and its step, notices, downloads, and the wipe.
import { createStore, useStore, type StoreApi } from 'zustand';
import type { Guide } from '../../../shared/guideSteps.js';
import type { SessionEndReason, TeleserviceNotice, TeleserviceUpdate, ViewBounds, RelaisApi } from '../../../shared/contract/index.js';
import { unwrap } from '../../bridge/index.js';
import { toUiError, type UiError } from '../stores/appStore.js';
import { useKioskStores } from '../stores/storesContext.js';

export type LaunchedBy = 'mediator' | 'visitor';

export interface OpenSession {
  sessionId: string;
  guide: Guide;
  stepIndex: number;
  /** Web shell: the frame's address; Electron: null (the shell draws the site in its own view). */
  entryUrl: string | null;
  launchedBy: LaunchedBy;
}

export type PrintStatus = { downloadId: string; state: 'offered' | 'printing' | 'sent' } | { downloadId: string; state: 'failed'; error: UiError };

export interface ClosedSession {
  sessionId: string;
  reason: SessionEndReason;
  launchedBy: LaunchedBy;
  /** null until the shell confirms (or not) that everything was erased. */
  wiped: boolean | null;
}

export interface TeleserviceState {
  guides: Guide[];
  guidesLoaded: boolean;
  /** Why the guides could not be listed (shown to the mediator only; visitors simply see no procedure). */
  guidesError: UiError | null;
  session: OpenSession | null;
  starting: boolean;
  closing: boolean;
  closed: ClosedSession | null;
  blockedOrigin: string | null;
  notice: TeleserviceNotice | null;
  print: PrintStatus | null;
  error: UiError | null;
  /** Wipe pages the web shell's hidden frames must load, by session (kept until the wipe is confirmed). */
  wipes: { sessionId: string; url: string }[];
  loadGuides(): Promise<void>;
  start(guideId: string, launchedBy: LaunchedBy): Promise<boolean>;
  goToStep(stepIndex: number): Promise<void>;
  setBounds(bounds: ViewBounds): void;
  end(reason: SessionEndReason): Promise<void>;
  printDownload(): Promise<void>;
  dismissPrint(): void;
  dismissNotice(): void;
  /** Leaves the "session closed" screen. */
  forgetClosed(): void;
  /** Applies one `teleservice.update` event. */
  apply(update: TeleserviceUpdate): void;
}

export const createTeleserviceStore = (bridge: RelaisApi): StoreApi<TeleserviceState> => createStore<TeleserviceState>()((set, get) => ({
  guides: [],
  guidesLoaded: false,
  guidesError: null,
  session: null,
  starting: false,
  closing: false,
  closed: null,
  blockedOrigin: null,
  notice: null,
  print: null,
  error: null,
  wipes: [],

  async loadGuides() {
    try {
      const guides = await unwrap(bridge.guides.list({}));
      set({ guides, guidesLoaded: true, guidesError: null });
    } catch (cause) {
      set({ guidesError: toUiError(cause), guidesLoaded: true });
    }
  },

  async start(guideId, launchedBy) {
    set({ starting: true, error: null, closed: null, blockedOrigin: null, notice: null, print: null });
    try {
      const started = await unwrap(bridge.teleservice.start({ guideId }));
      set({
        session: { sessionId: started.sessionId, guide: started.guide, stepIndex: started.stepIndex, entryUrl: started.entryUrl, launchedBy },
        starting: false,
      });
      return true;
    } catch (cause) {
      set({ starting: false, error: toUiError(cause) });
      return false;
    }
  },

  async goToStep(stepIndex) {
    const session = get().session;
    if (!session) return;
    try {
      const moved = await unwrap(bridge.teleservice.goToStep({ sessionId: session.sessionId, stepIndex }));
      const current = get().session;
      if (current?.sessionId === session.sessionId) set({ session: { ...current, stepIndex: moved.stepIndex } });
    } catch (cause) {
      set({ error: toUiError(cause) });
    }
  },

  setBounds(bounds) {
    const session = get().session;
    if (session) void bridge.teleservice.setBounds({ sessionId: session.sessionId, bounds });
  },

  async end(reason) {
    const session = get().session;
    if (!session || get().closing) return;
    set({ closing: true });
    const closed: ClosedSession = { sessionId: session.sessionId, reason, launchedBy: session.launchedBy, wiped: null };
    try {
      const { wipeUrl } = await unwrap(bridge.teleservice.end({ sessionId: session.sessionId, reason }));
      set((s) => ({
        session: null,
        closing: false,
        // An `ended` event may already have arrived while the call was answered.
        closed: s.closed?.sessionId === session.sessionId ? s.closed : closed,
        wipes: wipeUrl && s.closed?.sessionId !== session.sessionId ? [...s.wipes, { sessionId: session.sessionId, url: wipeUrl }] : s.wipes,
        blockedOrigin: null,
        notice: null,
        print: null,
      }));
    } catch (cause) {
      // NOT_FOUND: main already ended it (restart, another screen); nothing is left open on this side either.
      set({ session: null, closing: false, closed: { ...closed, wiped: false }, error: toUiError(cause), print: null });
    }
  },

  async printDownload() {
    const session = get().session;
    const offer = get().print;
    if (!session || !offer || offer.state === 'printing') return;
    set({ print: { downloadId: offer.downloadId, state: 'printing' } });
    try {
      await unwrap(bridge.teleservice.printDownload({ sessionId: session.sessionId, downloadId: offer.downloadId }));
      set({ print: { downloadId: offer.downloadId, state: 'sent' } });
    } catch (cause) {
      set({ print: { downloadId: offer.downloadId, state: 'failed', error: toUiError(cause) } });
    }
  },

  dismissPrint() {
    set({ print: null });
  },

  dismissNotice() {
    set({ notice: null, blockedOrigin: null });
  },

  forgetClosed() {
    set({ closed: null, error: null });
  },

  apply(update) {
    const { session } = get();
    if (update.type === 'ended') {
      set((s) => ({
        wipes: s.wipes.filter((w) => w.sessionId !== update.sessionId),
        closed:
          s.closed?.sessionId === update.sessionId
            ? { ...s.closed, wiped: update.wiped }
            : session?.sessionId === update.sessionId
              ? { sessionId: update.sessionId, reason: update.reason, launchedBy: session.launchedBy, wiped: update.wiped }
              : s.closed,
      }));
      return;
    }
    if (!session || session.sessionId !== update.sessionId) return;
    switch (update.type) {
      case 'step':
        set({ session: { ...session, stepIndex: update.stepIndex }, blockedOrigin: null });
        return;
      case 'blocked':
        set({ blockedOrigin: update.origin ?? '' });
        return;
      case 'download':
        set({ print: { downloadId: update.downloadId, state: 'offered' } });
        return;
      case 'notice':
        set({ notice: update.code });
        return;
      case 'activity':
        return;
    }
  },
}));

/** The app's teleservice store (from KioskProviders), as a zustand hook. */
export const useTeleserviceStore = <T>(selector: (state: TeleserviceState) => T): T => useStore(useKioskStores().teleservice, selector);
