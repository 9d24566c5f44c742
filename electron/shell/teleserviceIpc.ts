// Binds the Electron teleservice views (shell/teleservice.ts) to the kiosk's teleservice feature: the feature's
// sessions open, place and close WebContentsViews; the views' events (pages, refusals, downloads, touches) go back
// to the feature, which tells the renderer. main.ts calls `bindTeleserviceViews(...)` once the window exists.
import { mkdirSync } from 'node:fs';
import type { BaseWindow, Rectangle, Session, WebContentsView, WebPreferences } from 'electron';
import type { ViewBounds } from '../../shared/contract/index.js';
import type { TeleserviceFeature, TeleserviceHost } from '../services/teleservice/feature.js';
import type { SessionEndReason } from '../services/teleservice/session.js';
import type { Logger } from '../services/logger.js';
import { createTeleserviceShell, type TeleserviceShell, type TeleserviceShellDeps, type ViewPort } from './teleservice.js';
import type { WebContentsGuard } from './security.js';

/** What the binding needs from Electron, beyond the shell's own ports. */
export interface TeleserviceViewPorts extends Pick<TeleserviceShellDeps, 'fromPartition' | 'createView' | 'parent'> {
  /** The app-wide navigation guard must let the view's own allow-list decide (security.ts `delegateNavigation`). */
  delegateNavigation(view: ViewPort): void;
  /** Calls `onInput` on every touch, click or key in the view (the renderer cannot see them: idle guard). */
  watchInput(view: ViewPort, onInput: () => void): void;
}

export interface TeleserviceBindingDeps {
  feature: Pick<TeleserviceFeature, 'attachHost' | 'hostEvent'>;
  ports: TeleserviceViewPorts;
  /** Folder for downloaded PDFs (deleted with their session). */
  downloadDir: string;
  logger: Logger;
  clock?: () => number;
  /** At most one activity report per session in this period (1 s). */
  activityEveryMs?: number;
  newId?: () => string;
}

export interface TeleserviceBinding {
  shell: TeleserviceShell;
  /** Ends the open views (wiped) and detaches from the feature. */
  detach(): Promise<void>;
}

const HIDDEN: Rectangle = { x: 0, y: 0, width: 0, height: 0 };

export function bindTeleserviceViews(deps: TeleserviceBindingDeps): TeleserviceBinding {
  mkdirSync(deps.downloadDir, { recursive: true, mode: 0o700 });
  const clock = deps.clock ?? Date.now;
  const every = deps.activityEveryMs ?? 1_000;
  const pendingWipes = new Map<string, (wiped: boolean) => void>();
  const lastActivity = new Map<string, number>();
  let opening: string | null = null;

  const reportInput = (sessionId: string): void => {
    const now = clock();
    if (now - (lastActivity.get(sessionId) ?? -Infinity) < every) return;
    lastActivity.set(sessionId, now);
    deps.feature.hostEvent({ type: 'activity', sessionId });
  };

  const shell = createTeleserviceShell({
    fromPartition: (partition) => deps.ports.fromPartition(partition),
    createView: (options) => {
      const view = deps.ports.createView(options);
      deps.ports.delegateNavigation(view);
      const sessionId = opening;
      if (sessionId !== null) deps.ports.watchInput(view, () => reportInput(sessionId));
      return view;
    },
    parent: deps.ports.parent,
    downloadDir: deps.downloadDir,
    logger: deps.logger,
    ...(deps.newId ? { newId: deps.newId } : {}),
    emit: (event) => {
      if (event.type === 'ended') {
        lastActivity.delete(event.sessionId);
        pendingWipes.get(event.sessionId)?.(event.wiped);
        pendingWipes.delete(event.sessionId);
        return;
      }
      deps.feature.hostEvent(event);
    },
  });

  const host: TeleserviceHost = {
    open: (sessionId, guide) => {
      opening = sessionId;
      try {
        // The renderer sends the site's place with `teleservice.setBounds` once its screen is laid out.
        shell.start(sessionId, guide, HIDDEN);
      } finally {
        opening = null;
      }
      return Promise.resolve({ entryUrl: null });
    },
    setBounds: (sessionId, bounds: ViewBounds) => shell.setBounds(sessionId, bounds),
    close: (sessionId, reason: SessionEndReason) => ({
      wipeUrl: null,
      wiped: new Promise<boolean>((resolve) => {
        pendingWipes.set(sessionId, resolve);
        void shell.end(sessionId, reason).then(() => {
          // A session the shell never opened left nothing to wipe.
          pendingWipes.get(sessionId)?.(true);
          pendingWipes.delete(sessionId);
        });
      }),
    }),
  };
  const detachHost = deps.feature.attachHost(host);

  return {
    shell,
    async detach() {
      detachHost();
      await shell.endAll('finished');
    },
  };
}

/**
 * The ports over the real Electron objects (main.ts calls this): a type error here means Electron's API no longer
 * fits what the teleservice views rely on.
 */
export function electronTeleservicePorts(electron: {
  session: { fromPartition(partition: string): Session };
  WebContentsView: new (options: { webPreferences: WebPreferences }) => WebContentsView;
  window: Pick<BaseWindow, 'contentView'>;
  guard: WebContentsGuard;
}): TeleserviceViewPorts {
  const views = new Map<ViewPort, WebContentsView>();
  return {
    fromPartition: (partition) => electron.session.fromPartition(partition),
    createView: (options) => {
      const view = new electron.WebContentsView(options);
      views.set(view, view);
      return view;
    },
    parent: {
      addChildView: (view) => {
        const real = views.get(view);
        if (real) electron.window.contentView.addChildView(real);
      },
      removeChildView: (view) => {
        const real = views.get(view);
        if (real) electron.window.contentView.removeChildView(real);
        views.delete(view);
      },
    },
    delegateNavigation: (view) => {
      const real = views.get(view);
      if (real) electron.guard.delegateNavigation(real.webContents);
    },
    watchInput: (view, onInput) => {
      views.get(view)?.webContents.on('input-event', () => onInput());
    },
  };
}
