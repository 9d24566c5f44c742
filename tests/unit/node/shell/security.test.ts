import type { App, Input, Session } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { createPermissionHandlers, guardAllWebContents, installPermissionHandlers, isEscapeShortcut, lockKeyboard } from '../../../../electron/shell/security.js';
import { asWebContents, FakeEmitter, FakeWebContents, fakeEvent, memoryLogger } from './fakes.js';

describe('web contents guards', () => {
  function guarded() {
    const app = new FakeEmitter();
    const { logger, lines } = memoryLogger();
    const guard = guardAllWebContents(app as unknown as Pick<App, 'on'>, logger);
    const contents = new FakeWebContents();
    app.emit('web-contents-created', fakeEvent(), contents);
    return { contents, lines, guard, app };
  }

  it('denies every navigation of every web contents the app creates', () => {
    const { contents, lines } = guarded();
    for (const url of ['https://evil.example/', 'app://kiosk/agent.html', 'file:///etc/passwd']) {
      const event = fakeEvent({ url });
      contents.emit('will-navigate', event);
      expect(event.defaultPrevented).toBe(true);
    }
    expect(lines.filter((l) => l.code === 'NAVIGATION_DENIED').map((l) => l.origin)).toEqual(['https://evil.example', 'app://kiosk', null]);
  });

  it('denies redirects and <webview> attachment', () => {
    const { contents } = guarded();
    const redirect = fakeEvent({ url: 'https://evil.example/' });
    const webview = fakeEvent();
    contents.emit('will-redirect', redirect);
    contents.emit('will-attach-webview', webview, {}, {});
    expect(redirect.defaultPrevented).toBe(true);
    expect(webview.defaultPrevented).toBe(true);
  });

  it('leaves navigation to the owner of delegated web contents only, and still denies their webviews', () => {
    const { contents, guard, app } = guarded();
    const other = new FakeWebContents();
    app.emit('web-contents-created', fakeEvent(), other);
    guard.delegateNavigation(contents);
    const navigation = fakeEvent({ url: 'https://www.caf.fr/allocataires' });
    const webview = fakeEvent();
    const elsewhere = fakeEvent({ url: 'https://www.caf.fr/allocataires' });
    contents.emit('will-navigate', navigation);
    contents.emit('will-attach-webview', webview, {}, {});
    other.emit('will-navigate', elsewhere);
    expect(navigation.defaultPrevented).toBe(false);
    expect(webview.defaultPrevented).toBe(true);
    expect(elsewhere.defaultPrevented).toBe(true);
  });

  it('denies window.open whatever the URL', () => {
    const { contents } = guarded();
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'app://kiosk/index.html' })).toEqual({ action: 'deny' });
  });
});

describe('permission handlers', () => {
  type RequestArgs = Parameters<ReturnType<typeof createPermissionHandlers>['request']>;
  function request(permission: RequestArgs[1], pageUrl: string, requestingUrl = pageUrl): boolean {
    const { request: handler } = createPermissionHandlers({ logger: memoryLogger().logger });
    const contents = new FakeWebContents();
    contents.url = pageUrl;
    const callback = vi.fn();
    handler(asWebContents(contents), permission, callback, { requestingUrl, isMainFrame: true } as RequestArgs[3]);
    expect(callback).toHaveBeenCalledTimes(1);
    return callback.mock.calls[0]![0] as boolean;
  }

  it('grants camera and microphone to the kiosk page', () => {
    expect(request('media', 'app://kiosk/index.html')).toBe(true);
  });

  it('refuses media to any other origin, including a look-alike, and to a foreign frame in our page', () => {
    expect(request('media', 'https://evil.example/')).toBe(false);
    expect(request('media', 'app://kiosk.evil/index.html')).toBe(false);
    expect(request('media', 'app://evil/index.html')).toBe(false);
    expect(request('media', 'app://kiosk/index.html', 'https://evil.example/frame')).toBe(false);
  });

  it('refuses every other permission, even to the kiosk page', () => {
    for (const permission of ['geolocation', 'notifications', 'display-capture', 'openExternal', 'clipboard-read', 'fullscreen', 'midiSysex'] as const) {
      expect(request(permission, 'app://kiosk/index.html')).toBe(false);
    }
  });

  it('answers permission checks the same way', () => {
    const { check } = createPermissionHandlers({ logger: memoryLogger().logger });
    const details = { isMainFrame: true, requestingUrl: 'app://kiosk/' } as Parameters<typeof check>[3];
    expect(check(null, 'media', 'app://kiosk', details)).toBe(true);
    expect(check(null, 'media', 'https://evil.example', details)).toBe(false);
    expect(check(null, 'geolocation', 'app://kiosk', details)).toBe(false);
  });

  it('installs both handlers on the session', () => {
    const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() };
    installPermissionHandlers(session as unknown as Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>, { logger: memoryLogger().logger });
    expect(session.setPermissionRequestHandler).toHaveBeenCalledWith(expect.any(Function));
    expect(session.setPermissionCheckHandler).toHaveBeenCalledWith(expect.any(Function));
  });
});

describe('kiosk keyboard lockdown', () => {
  const key = (k: string, mods: Partial<Pick<Input, 'control' | 'meta' | 'alt' | 'shift'>> = {}, type = 'keyDown') => ({
    type,
    key: k,
    control: false,
    meta: false,
    alt: false,
    shift: false,
    ...mods,
  });

  const escapes = [
    ['Alt+F4', key('F4', { alt: true })],
    ['Ctrl+W', key('w', { control: true })],
    ['Ctrl+Q', key('q', { control: true })],
    ['Ctrl+R', key('r', { control: true })],
    ['F5', key('F5')],
    ['Ctrl+Shift+I', key('I', { control: true, shift: true })],
    ['Ctrl+Shift+R', key('R', { control: true, shift: true })],
    ['F11', key('F11')],
    ['F12', key('F12')],
    ['Cmd+Q', key('q', { meta: true })],
  ] as const;

  for (const [name, input] of escapes) {
    it(`treats ${name} as an escape shortcut`, () => expect(isEscapeShortcut(input)).toBe(true));
  }

  it('lets ordinary typing through: letters, Enter, Backspace, Shift+letters, Ctrl+C/V, key releases', () => {
    for (const input of [key('a'), key('Enter'), key('Backspace'), key('A', { shift: true }), key('c', { control: true }), key('v', { control: true }), key('F5', {}, 'keyUp')]) {
      expect(isEscapeShortcut(input)).toBe(false);
    }
  });

  it('blocks escape shortcuts in production and only those', () => {
    const contents = new FakeWebContents();
    lockKeyboard(asWebContents(contents), { dev: false, logger: memoryLogger().logger });
    const blocked = fakeEvent();
    const typed = fakeEvent();
    contents.emit('before-input-event', blocked, key('F4', { alt: true }));
    contents.emit('before-input-event', typed, key('a'));
    expect(blocked.defaultPrevented).toBe(true);
    expect(typed.defaultPrevented).toBe(false);
  });

  it('leaves every shortcut to the developer with --dev', () => {
    const contents = new FakeWebContents();
    lockKeyboard(asWebContents(contents), { dev: true, logger: memoryLogger().logger });
    const event = fakeEvent();
    contents.emit('before-input-event', event, key('I', { control: true, shift: true }));
    expect(event.defaultPrevented).toBe(false);
    expect(contents.count('before-input-event')).toBe(0);
  });
});
