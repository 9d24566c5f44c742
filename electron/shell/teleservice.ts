// The Electron side of a guided teleservice session: the organisation's website in a WebContentsView with its own
// in-memory partition, locked to the guide's origins, wiped and destroyed at the end (DOMAIN.md, "Privacy").
//
// The Electron objects are reached through the small structural ports below (what this file uses and nothing else),
// so unit tests drive it with typed fakes; `electronTeleserviceDeps` checks at compile time that the real
// `session`, `WebContentsView` and window content view fit those ports.
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BaseWindow, Rectangle, Session, WebContentsView, WebPreferences } from 'electron';
import type { Guide } from '../../shared/guideSteps.js';
import { isAllowed, originOf } from '../../shared/urlAllowList.js';
import type { Logger } from '../services/logger.js';

export interface PreventableEvent {
  preventDefault(): void;
}

export interface DownloadItemPort {
  getMimeType(): string;
  getFilename(): string;
  setSavePath(path: string): void;
  cancel(): void;
  once(event: 'done', listener: (event: unknown, state: 'completed' | 'cancelled' | 'interrupted') => void): unknown;
}

export interface SessionPort {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  on(event: 'will-download', listener: (event: PreventableEvent, item: DownloadItemPort, webContents: unknown) => void): unknown;
  clearData(): Promise<void>;
  clearStorageData(): Promise<void>;
  clearCache(): Promise<void>;
  clearAuthCache(): Promise<void>;
}

export interface WebContentsPort {
  on(event: 'will-navigate', listener: (details: PreventableEvent & { url: string }) => void): unknown;
  on(event: 'will-redirect', listener: (details: PreventableEvent & { url: string; isMainFrame: boolean }) => void): unknown;
  on(event: 'did-navigate', listener: (event: unknown, url: string) => void): unknown;
  on(event: 'did-navigate-in-page', listener: (event: unknown, url: string, isMainFrame: boolean) => void): unknown;
  on(
    event: 'certificate-error',
    listener: (event: PreventableEvent, url: string, error: string, certificate: unknown, callback: (isTrusted: boolean) => void) => void,
  ): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  loadURL(url: string): Promise<void>;
  close(): void;
  isDestroyed(): boolean;
}

export interface ViewPort {
  readonly webContents: WebContentsPort;
  setBounds(bounds: Rectangle): void;
}

export interface ParentViewPort {
  addChildView(view: ViewPort): void;
  removeChildView(view: ViewPort): void;
}

export type TeleserviceShellEvent =
  /** Main process only (the URL may carry personal data): feed it to TeleserviceSessions.navigated. */
  | { type: 'navigated'; sessionId: string; url: string }
  /** A page outside the guide's origins was refused; only its origin is told ("cette page n'est pas disponible ici"). */
  | { type: 'blocked'; sessionId: string; origin: string | null }
  /** A PDF was downloaded to `path`: offer it to the print service; it is deleted when the session ends. */
  | { type: 'download'; sessionId: string; path: string }
  | { type: 'download-refused'; sessionId: string; reason: 'not-pdf' }
  | { type: 'download-failed'; sessionId: string }
  | { type: 'certificate-error'; sessionId: string; origin: string | null }
  | { type: 'ended'; sessionId: string; reason: 'finished' | 'idle'; wiped: boolean };

export interface TeleserviceShellDeps {
  fromPartition(partition: string): SessionPort;
  createView(options: { webPreferences: WebPreferences }): ViewPort;
  parent: ParentViewPort;
  /** Folder for downloaded PDFs (the app's temporary folder). */
  downloadDir: string;
  emit(event: TeleserviceShellEvent): void;
  logger: Logger;
  newId?: () => string;
  removeFile?: (path: string) => Promise<void>;
}

export interface TeleserviceShell {
  /** Opens the guide's start page in a fresh view; `sessionId` comes from TeleserviceSessions.start. */
  start(sessionId: string, guide: Guide, bounds: Rectangle): { partition: string };
  setBounds(sessionId: string, bounds: Rectangle): void;
  /** Closes the view and wipes the partition; resolves once wiped. Ending an unknown session does nothing. */
  end(sessionId: string, reason: 'finished' | 'idle'): Promise<void>;
  /** The booth went idle (or is quitting): ends every open session. */
  endAll(reason: 'finished' | 'idle'): Promise<void>;
  openSessionIds(): string[];
}

export const TELESERVICE_PARTITION_PREFIX = 'relais-teleservice-';

interface OpenView {
  view: ViewPort;
  session: SessionPort;
  downloads: Set<string>;
  pending: Set<DownloadItemPort>;
}

const isPdf = (item: DownloadItemPort): boolean =>
  item.getMimeType().toLowerCase().split(';')[0]?.trim() === 'application/pdf' || item.getFilename().toLowerCase().endsWith('.pdf');

export function createTeleserviceShell(deps: TeleserviceShellDeps): TeleserviceShell {
  const newId = deps.newId ?? randomUUID;
  const removeFile = deps.removeFile ?? ((path: string) => rm(path, { force: true }));
  const open = new Map<string, OpenView>();

  const wireSession = (sessionId: string, ses: SessionPort, state: Pick<OpenView, 'downloads' | 'pending'>): void => {
    ses.setPermissionRequestHandler((_wc, permission, callback) => {
      deps.logger.info({ code: 'TELESERVICE_PERMISSION_DENIED', permission }, 'permission refused');
      callback(false);
    });
    ses.setPermissionCheckHandler(() => false);
    ses.on('will-download', (_event, item) => {
      if (!isPdf(item)) {
        item.cancel();
        deps.emit({ type: 'download-refused', sessionId, reason: 'not-pdf' });
        return;
      }
      const path = join(deps.downloadDir, `${TELESERVICE_PARTITION_PREFIX}${newId()}.pdf`);
      item.setSavePath(path);
      state.downloads.add(path);
      state.pending.add(item);
      item.once('done', (_e, outcome) => {
        state.pending.delete(item);
        if (outcome === 'completed' && open.has(sessionId)) {
          deps.emit({ type: 'download', sessionId, path });
        } else {
          void removeFile(path);
          state.downloads.delete(path);
          if (open.has(sessionId)) deps.emit({ type: 'download-failed', sessionId });
        }
      });
    });
  };

  const wireContents = (sessionId: string, guide: Guide, contents: WebContentsPort): void => {
    const refuse = (url: string): void => {
      const origin = originOf(url);
      deps.logger.info({ code: 'TELESERVICE_BLOCKED', guide: guide.id, origin }, 'page outside the guide refused');
      deps.emit({ type: 'blocked', sessionId, origin });
    };
    contents.on('will-navigate', (details) => {
      if (!isAllowed(details.url, guide.allowedOrigins)) {
        details.preventDefault();
        refuse(details.url);
      }
    });
    contents.on('will-redirect', (details) => {
      if (details.isMainFrame && !isAllowed(details.url, guide.allowedOrigins)) {
        details.preventDefault();
        refuse(details.url);
      }
    });
    // A kiosk has no second window: an allowed target opens in the same view, anything else is refused.
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowed(url, guide.allowedOrigins)) void contents.loadURL(url);
      else refuse(url);
      return { action: 'deny' };
    });
    contents.on('did-navigate', (_event, url) => deps.emit({ type: 'navigated', sessionId, url }));
    contents.on('did-navigate-in-page', (_event, url, isMainFrame) => {
      if (isMainFrame) deps.emit({ type: 'navigated', sessionId, url });
    });
    // Never trusted: not calling preventDefault keeps Chromium's refusal; the callback says so explicitly.
    // Electronegativity flags every certificate-error listener; this one only ever refuses (callback(false)).
    contents.on('certificate-error', (_event, url, error, _certificate, callback) => { /* eng-disable CERTIFICATE_ERROR_EVENT_JS_CHECK */
      deps.logger.warn({ code: 'TELESERVICE_CERTIFICATE_ERROR', origin: originOf(url), error }, 'certificate refused');
      callback(false);
      deps.emit({ type: 'certificate-error', sessionId, origin: originOf(url) });
    });
  };

  const wipe = async (sessionId: string, state: OpenView): Promise<boolean> => {
    let wiped = true;
    for (const item of state.pending) item.cancel();
    const steps: [string, () => Promise<void>][] = [
      ['clearData', () => state.session.clearData()],
      ['clearStorageData', () => state.session.clearStorageData()],
      ['clearCache', () => state.session.clearCache()],
      ['clearAuthCache', () => state.session.clearAuthCache()],
      ...[...state.downloads].map((path): [string, () => Promise<void>] => ['removeDownload', () => removeFile(path)]),
    ];
    for (const [name, step] of steps) {
      try {
        await step();
      } catch (cause) {
        wiped = false;
        deps.logger.error({ code: 'TELESERVICE_WIPE_FAILED', step: name, err: cause }, 'session wipe incomplete');
      }
    }
    state.downloads.clear();
    return wiped;
  };

  const end = async (sessionId: string, reason: 'finished' | 'idle'): Promise<void> => {
    const state = open.get(sessionId);
    if (!state) return;
    open.delete(sessionId);
    deps.parent.removeChildView(state.view);
    if (!state.view.webContents.isDestroyed()) state.view.webContents.close();
    const wiped = await wipe(sessionId, state);
    deps.logger.info({ code: 'TELESERVICE_WIPED', reason, wiped }, 'session wiped');
    deps.emit({ type: 'ended', sessionId, reason, wiped });
  };

  return {
    start(sessionId, guide, bounds) {
      if (open.has(sessionId)) throw new Error(`teleservice session ${sessionId} already open`);
      // No `persist:` prefix: the partition lives in memory only and disappears with the app at the latest.
      const partition = `${TELESERVICE_PARTITION_PREFIX}${newId()}`;
      const session = deps.fromPartition(partition);
      const state: OpenView = { view: undefined as unknown as ViewPort, session, downloads: new Set(), pending: new Set() };
      wireSession(sessionId, session, state);
      const view = deps.createView({
        webPreferences: {
          partition,
          sandbox: true,
          contextIsolation: true,
          nodeIntegration: false,
          nodeIntegrationInSubFrames: false,
          nodeIntegrationInWorker: false,
          webviewTag: false,
          preload: undefined,
          javascript: true,
          webSecurity: true,
          allowRunningInsecureContent: false,
          safeDialogs: true,
          spellcheck: false,
        },
      });
      state.view = view;
      wireContents(sessionId, guide, view.webContents);
      open.set(sessionId, state);
      view.setBounds(bounds);
      deps.parent.addChildView(view);
      view.webContents.loadURL(guide.startUrl).catch((cause: unknown) => {
        deps.logger.warn({ code: 'TELESERVICE_LOAD_FAILED', guide: guide.id, err: cause }, 'start page not loaded');
      });
      return { partition };
    },
    setBounds(sessionId, bounds) {
      open.get(sessionId)?.view.setBounds(bounds);
    },
    end,
    async endAll(reason) {
      await Promise.all([...open.keys()].map((id) => end(id, reason)));
    },
    openSessionIds() {
      return [...open.keys()];
    },
  };
}

/**
 * Builds the ports from the real Electron objects (the composition root calls this): a type error here means
 * Electron's API no longer fits what this file relies on.
 */
export function electronTeleserviceDeps(electron: {
  session: { fromPartition(partition: string): Session };
  WebContentsView: new (options: { webPreferences: WebPreferences }) => WebContentsView;
  window: Pick<BaseWindow, 'contentView'>;
}): Pick<TeleserviceShellDeps, 'fromPartition' | 'createView' | 'parent'> {
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
  };
}
