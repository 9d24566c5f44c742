// electron/main.ts composed for real (real services, real SQLite) against a fake 'electron' module: what the
// Electron binary would do at start-up, checked without it (the binary cannot be downloaded here, FIELD-NOTES.md).
import type { BrowserWindowConstructorOptions, IpcMainInvokeEvent } from 'electron';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { channelOf, EVENT_CHANNEL, VERB_NAMES } from '../../../../shared/contract/index.js';
import { FakeEmitter, FakeWebContents, invokeEvent } from './fakes.js';

type InvokeListener = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

const fake = vi.hoisted(() => ({
  windows: [] as Array<{ options: BrowserWindowConstructorOptions; webContents: FakeWebContents; loaded: string[]; focused: boolean } & FakeEmitter>,
  ipcHandlers: new Map<string, InvokeListener>(),
  protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
  privileged: [] as unknown[],
  permission: { request: null as unknown, check: null as unknown },
  app: null as (FakeEmitter & { paths: Record<string, string>; exitCode: number | null; quits: number; switches: Array<[string, string | undefined]> }) | null,
  menu: [] as unknown[],
}));

vi.mock('electron', async () => {
  const { FakeEmitter: Emitter, FakeWebContents: Contents } = await import('./fakes.js');
  class App extends Emitter {
    paths: Record<string, string> = {};
    exitCode: number | null = null;
    quits = 0;
    switches: Array<[string, string | undefined]> = [];
    commandLine = { appendSwitch: (name: string, value?: string) => void this.switches.push([name, value]) };
    requestSingleInstanceLock = () => true;
    whenReady = () => Promise.resolve();
    setPath = (name: string, value: string) => void (this.paths[name] = value);
    getVersion = () => '9.9.9';
    quit = () => void (this.quits += 1);
    exit = (code: number) => void (this.exitCode = code);
  }
  const app = new App();
  fake.app = app;
  class BrowserWindow extends Emitter {
    webContents = new Contents();
    loaded: string[] = [];
    focused = false;
    constructor(readonly options: BrowserWindowConstructorOptions) {
      super();
      fake.windows.push(this as never);
    }
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
    show() {}
    focus() {
      this.focused = true;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    isDestroyed() {
      return false;
    }
  }
  return {
    app,
    BrowserWindow,
    dialog: { showErrorBox: vi.fn() },
    // The teleservice views are created on demand; the composition only needs the class.
    WebContentsView: class {},
    Menu: { setApplicationMenu: (menu: unknown) => void fake.menu.push(menu) },
    ipcMain: {
      handle: (channel: string, listener: InvokeListener) => void fake.ipcHandlers.set(channel, listener),
      removeHandler: (channel: string) => void fake.ipcHandlers.delete(channel),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => void fake.privileged.push(...schemes),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => void fake.protocolHandlers.set(scheme, handler),
    },
    // The credential store's cipher (electron/services/setup/credentialStore.ts): no keychain on this fake system.
    safeStorage: { isEncryptionAvailable: () => false, encryptString: () => Buffer.alloc(0), decryptString: () => '' },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: unknown) => void (fake.permission.request = handler),
        setPermissionCheckHandler: (handler: unknown) => void (fake.permission.check = handler),
      },
    },
  };
});

const dataDir = mkdtempSync(join(tmpdir(), 'relais-main-'));
let started = false;

beforeAll(async () => {
  vi.stubEnv('RELAIS_DATA_DIR', dataDir);
  vi.stubEnv('RELAIS_SQLITE_BINDING', '');
  vi.stubEnv('RELAIS_HUB_URL', 'wss://hub.example.fr');
  vi.stubEnv('RELAIS_HUB_TOKEN', 'booth-token-of-the-site');
  vi.stubEnv('RELAIS_LOG_LEVEL', 'silent');
  await import('../../../../electron/main.js');
  started = true;
  await vi.waitFor(() => {
    if (fake.windows.length !== 1) throw new Error('no kiosk window yet');
  });
});

afterAll(async () => {
  fake.app?.emit('will-quit');
  vi.unstubAllEnvs();
  // The log file is opened asynchronously; removing its folder first would make that open fail.
  if (started) {
    await vi.waitFor(() => {
      if (!existsSync(join(dataDir, 'logs', 'relais.log'))) throw new Error('log file not opened yet');
    }, { timeout: 10_000 });
  }
  rmSync(dataDir, { recursive: true, force: true });
});

const kioskWindow = () => fake.windows[0]!;
const trusted = () => invokeEvent(kioskWindow().webContents, { url: 'app://kiosk/index.html', parent: null });
const call = (verb: (typeof VERB_NAMES)[number], event: IpcMainInvokeEvent, input: unknown = {}) => Promise.resolve(fake.ipcHandlers.get(channelOf(verb))!(event, input));

describe('electron/main.ts composed against a fake electron module', () => {
  it('composes to the end: no start-up refusal, no exit', async () => {
    // A refusal is reported asynchronously (the log is drained first): give it the time to show.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { dialog } = await import('electron');
    expect(dialog.showErrorBox).not.toHaveBeenCalled();
    expect(fake.app?.exitCode).toBeNull();
  });

  it('keeps Chromium’s profile in the data directory given by paths.ts', () => {
    expect(fake.app?.paths.userData).toBe(join(dataDir, 'electron'));
  });

  it('starts Chromium in French whatever the machine’s locale (--lang=fr-FR, before ready)', () => {
    expect(fake.app?.switches).toContainEqual(['lang', 'fr-FR']);
  });

  it('opens one production kiosk window on app://kiosk with the sandboxed preload', () => {
    const window = kioskWindow();
    expect(window.options).toMatchObject({ kiosk: true, fullscreen: true, webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false } });
    expect(window.options.webPreferences?.preload).toMatch(/preload\.cjs$/);
    expect(window.loaded).toEqual(['app://kiosk/index.html']);
    expect(fake.menu).toEqual([null]);
  });

  it('registers the app scheme as privileged and serves it with the CSP naming the configured hub', async () => {
    expect(fake.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    const response = await fake.protocolHandlers.get('app')!(new Request('app://kiosk/..%2f..%2fpackage.json'));
    expect(response.status).toBe(403);
    expect(response.headers.get('content-security-policy')).toContain("connect-src 'self' wss://hub.example.fr");
  });

  it('installs the permission handlers and guards every new web contents', () => {
    expect(typeof fake.permission.request).toBe('function');
    expect(typeof fake.permission.check).toBe('function');
    const contents = new FakeWebContents();
    fake.app!.emit('web-contents-created', {}, contents);
    expect(contents.count('will-navigate')).toBe(1);
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example' })).toEqual({ action: 'deny' });
  });

  it('handles every verb of the contract and answers the kiosk window from the real services', async () => {
    expect([...fake.ipcHandlers.keys()].sort()).toEqual(VERB_NAMES.map(channelOf).sort());
    const info = await call('app.info', trusted());
    expect(info).toMatchObject({ ok: true, value: { version: '9.9.9' } });
  });

  it('refuses the same call from web contents that are not the kiosk window', async () => {
    const stranger = invokeEvent(new FakeWebContents(), { url: 'app://kiosk/index.html', parent: null });
    expect(await call('app.info', stranger)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });

  it('forwards the services’ events to the kiosk window', async () => {
    const window = kioskWindow();
    await call('auth.lock', trusted());
    await call('help.request', trusted(), { screen: 'home' });
    const names = window.webContents.sent.filter((m) => m.channel === EVENT_CHANNEL).map((m) => (m.args[0] as { name: string }).name);
    expect(names).toContain('help.changed');
  });

  it('focuses the existing window when a second instance starts', () => {
    fake.app!.emit('second-instance', {}, [], '/');
    expect(kioskWindow().focused).toBe(true);
  });
});
