// The kiosk window: its hardened options, its lockdown, and recovery when its renderer process dies.
import type { BrowserWindow, BrowserWindowConstructorOptions, RenderProcessGoneDetails, WebContents } from 'electron';
import type { Logger } from '../services/logger.js';
import { KIOSK_ENTRY_URL } from './origin.js';
import { lockKeyboard } from './security.js';

export interface KioskWindowConfig {
  dev: boolean;
  /** Absolute path of dist-electron/preload.cjs. */
  preloadPath: string;
}

export function kioskWindowOptions(config: KioskWindowConfig): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    show: false,
    kiosk: !config.dev,
    fullscreen: !config.dev,
    autoHideMenuBar: true,
    backgroundColor: '#ffffff',
    title: 'Relais',
    webPreferences: {
      preload: config.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: config.dev,
      // Middle-click would open links in new windows; window.open is denied anyway (security.ts).
      disableBlinkFeatures: 'Auxclick',
    },
  };
}

export interface CrashPolicy {
  /** Reloads allowed within `windowMs` before the kiosk stops reloading (a crash loop). */
  maxReloads: number;
  windowMs: number;
}

export const DEFAULT_CRASH_POLICY: CrashPolicy = { maxReloads: 3, windowMs: 60_000 };

export type RecoverableWebContents = Pick<WebContents, 'on' | 'reload' | 'isDestroyed'>;

/** Reloads the page when its renderer process is gone, unless it died too often lately. */
export function reloadOnRendererGone(
  contents: RecoverableWebContents,
  options: { clock: () => number; logger: Logger; policy?: CrashPolicy },
): void {
  const policy = options.policy ?? DEFAULT_CRASH_POLICY;
  let recent: number[] = [];
  contents.on('render-process-gone', (_event, details: RenderProcessGoneDetails) => {
    const now = options.clock();
    recent = recent.filter((at) => now - at < policy.windowMs);
    if (recent.length >= policy.maxReloads) {
      options.logger.error({ code: 'RENDERER_CRASH_LOOP', reason: details.reason, exitCode: details.exitCode, reloads: recent.length }, 'renderer keeps dying; not reloading');
      return;
    }
    recent.push(now);
    options.logger.error({ code: 'RENDERER_GONE', reason: details.reason, exitCode: details.exitCode }, 'renderer process gone; reloading');
    if (!contents.isDestroyed()) contents.reload();
  });
}

export type KioskWindow = Pick<BrowserWindow, 'loadURL' | 'once' | 'show' | 'focus' | 'isMinimized' | 'restore' | 'on'> & {
  webContents: RecoverableWebContents & Pick<WebContents, 'on'>;
};

export interface CreateKioskWindowDeps<W extends KioskWindow> extends KioskWindowConfig {
  /** `(options) => new BrowserWindow(options)` in main.ts; a fake in tests. */
  createWindow(options: BrowserWindowConstructorOptions): W;
  clock: () => number;
  logger: Logger;
  url?: string;
}

/** Creates the window, locks it down, loads the kiosk page and shows it once painted. */
export function createKioskWindow<W extends KioskWindow>(deps: CreateKioskWindowDeps<W>): W {
  const window = deps.createWindow(kioskWindowOptions(deps));
  lockKeyboard(window.webContents, { dev: deps.dev, logger: deps.logger });
  reloadOnRendererGone(window.webContents, { clock: deps.clock, logger: deps.logger });
  window.webContents.on('unresponsive', () => deps.logger.warn({ code: 'RENDERER_UNRESPONSIVE' }, 'kiosk page unresponsive'));
  window.once('ready-to-show', () => window.show());
  window.loadURL(deps.url ?? KIOSK_ENTRY_URL).catch((err: unknown) => deps.logger.error({ code: 'KIOSK_LOAD_FAILED', err }, 'kiosk page failed to load'));
  return window;
}

/** Focuses the existing window when a second instance of the kiosk is started. */
export function focusWindow(window: Pick<BrowserWindow, 'isMinimized' | 'restore' | 'focus'> | null): void {
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.focus();
}
