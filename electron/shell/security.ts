// Lockdown of every web contents: no navigation, no new windows, no webview, media permission for app://kiosk only,
// and (in production) no keyboard escape from the kiosk.
import type { App, Input, Session, WebContents } from 'electron';
import type { Logger } from '../services/logger.js';
import { APP_ORIGIN, originOf } from './origin.js';

export type GuardedWebContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/** Decides whether navigation guarding is handed over to the owner of some web contents. */
export type NavigationDelegates = { has(contents: object): boolean };

/**
 * Denies navigation, redirects, window.open and <webview> on one web contents, and logs each attempt by origin only.
 * Web contents in `delegates` (a teleservice view, which allows its guide's origins itself) keep their owner's
 * navigation rules; window.open and <webview> stay denied until the owner installs its own window-open handler.
 */
export function guardWebContents(contents: GuardedWebContents, logger: Logger, delegates: NavigationDelegates = new WeakSet()): void {
  contents.on('will-navigate', (event) => {
    if (delegates.has(contents)) return;
    event.preventDefault();
    logger.warn({ code: 'NAVIGATION_DENIED', origin: originOf(event.url) }, 'navigation denied');
  });
  contents.on('will-redirect', (event) => {
    if (delegates.has(contents)) return;
    event.preventDefault();
    logger.warn({ code: 'REDIRECT_DENIED', origin: originOf(event.url) }, 'redirect denied');
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    logger.warn({ code: 'WEBVIEW_DENIED' }, 'webview denied');
  });
  contents.setWindowOpenHandler((details) => {
    logger.warn({ code: 'WINDOW_OPEN_DENIED', origin: originOf(details.url) }, 'window.open denied');
    return { action: 'deny' };
  });
}

export interface WebContentsGuard {
  /** Hands navigation decisions for these web contents to their owner, which must enforce its own allow-list. */
  delegateNavigation(contents: object): void;
}

/** Guards every web contents the app ever creates (windows, views, devtools). */
export function guardAllWebContents(app: Pick<App, 'on'>, logger: Logger): WebContentsGuard {
  const delegates = new WeakSet<object>();
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, logger, delegates));
  return { delegateNavigation: (contents) => void delegates.add(contents) };
}

type RequestHandler = Parameters<Session['setPermissionRequestHandler']>[0] & {};
type CheckHandler = Parameters<Session['setPermissionCheckHandler']>[0] & {};
type RequestedPermission = Parameters<RequestHandler>[1];
type CheckedPermission = Parameters<CheckHandler>[1];

export interface PermissionPolicy {
  /** Origin allowed to use the camera and microphone. */
  origin?: string;
  logger: Logger;
}

/** Camera and microphone ('media') for our own origin; every other permission, and every other origin, refused. */
export function createPermissionHandlers(policy: PermissionPolicy): { request: RequestHandler; check: CheckHandler } {
  const origin = policy.origin ?? APP_ORIGIN;
  const allowed = (permission: RequestedPermission | CheckedPermission, requestOrigin: string | null): boolean =>
    permission === 'media' && requestOrigin === origin;
  return {
    request: (contents, permission, callback, details) => {
      // The requesting frame's URL when given, else the page's; both must be ours.
      const requestOrigin = originOf(details.requestingUrl ?? contents.getURL());
      const granted = allowed(permission, requestOrigin) && originOf(contents.getURL()) === origin;
      if (!granted) policy.logger.warn({ code: 'PERMISSION_DENIED', permission, origin: requestOrigin }, 'permission request denied');
      callback(granted);
    },
    check: (_contents, permission, requestingOrigin) => allowed(permission, originOf(requestingOrigin)),
  };
}

export function installPermissionHandlers(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>, policy: PermissionPolicy): void {
  const handlers = createPermissionHandlers(policy);
  session.setPermissionRequestHandler(handlers.request);
  session.setPermissionCheckHandler(handlers.check);
}

/** Key combinations that would let a visitor leave, reload or inspect the kiosk. Alt+Tab is the OS's, not ours. */
export function isEscapeShortcut(input: Pick<Input, 'type' | 'key' | 'control' | 'meta' | 'alt' | 'shift'>): boolean {
  if (input.type !== 'keyDown' && input.type !== 'rawKeyDown') return false;
  const key = input.key.toLowerCase();
  const ctrl = input.control || input.meta;
  if (key === 'f4' && input.alt) return true;
  if (key === 'f5' || key === 'f11' || key === 'f12') return true;
  if (ctrl && ['w', 'q', 'r', 'n', 't', 'p', 'o', 's', 'l', 'u'].includes(key)) return true;
  if (ctrl && input.shift && ['i', 'j', 'c', 'r', 'delete'].includes(key)) return true;
  if (ctrl && ['+', '=', '-', '0'].includes(key)) return true;
  if (input.alt && (key === 'arrowleft' || key === 'arrowright' || key === 'home')) return true;
  return false;
}

/** In production, swallows escape shortcuts before the page and the menu see them; in --dev, lets everything through. */
export function lockKeyboard(contents: Pick<WebContents, 'on'>, options: { dev: boolean; logger: Logger }): void {
  if (options.dev) return;
  contents.on('before-input-event', (event, input) => {
    if (!isEscapeShortcut(input)) return;
    event.preventDefault();
    options.logger.info({ code: 'SHORTCUT_BLOCKED', key: input.key }, 'kiosk shortcut blocked');
  });
}
