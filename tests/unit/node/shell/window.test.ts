import type { BrowserWindowConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { createKioskWindow, focusWindow, kioskWindowOptions, reloadOnRendererGone, type KioskWindow } from '../../../../electron/shell/window.js';
import { asWebContents, FakeEmitter, FakeWebContents, memoryLogger } from './fakes.js';

class FakeWindow extends FakeEmitter {
  readonly webContents = new FakeWebContents();
  loaded: string[] = [];
  shown = false;
  focused = false;
  minimized = false;
  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
  }
  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    return Promise.resolve();
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {
    this.focused = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
}

const asKioskWindow = (fake: FakeWindow): FakeWindow & KioskWindow => fake as unknown as FakeWindow & KioskWindow;

describe('kiosk window options', () => {
  for (const dev of [false, true]) {
    it(`isolates the page whatever the mode (dev: ${dev}): context isolation, sandbox, no Node, web security`, () => {
      const prefs = kioskWindowOptions({ dev, preloadPath: '/app/dist-electron/preload.cjs' }).webPreferences!;
      expect(prefs).toMatchObject({
        preload: '/app/dist-electron/preload.cjs',
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        disableBlinkFeatures: 'Auxclick',
      });
    });
  }

  it('is a full-screen kiosk window without devtools in production', () => {
    const options = kioskWindowOptions({ dev: false, preloadPath: '/p.cjs' });
    expect(options).toMatchObject({ kiosk: true, fullscreen: true });
    expect(options.webPreferences?.devTools).toBe(false);
  });

  it('is a normal window with devtools with --dev', () => {
    const options = kioskWindowOptions({ dev: true, preloadPath: '/p.cjs' });
    expect(options).toMatchObject({ kiosk: false, fullscreen: false });
    expect(options.webPreferences?.devTools).toBe(true);
  });
});

describe('createKioskWindow', () => {
  function create(dev: boolean) {
    const { logger, lines } = memoryLogger();
    let made: FakeWindow | null = null;
    const window = createKioskWindow({
      dev,
      preloadPath: '/p.cjs',
      clock: () => 0,
      logger,
      createWindow: (options) => asKioskWindow((made = new FakeWindow(options))),
    });
    return { window, made: made!, lines };
  }

  it('loads the kiosk page from app://kiosk and shows the window once it is ready', () => {
    const { made } = create(false);
    expect(made.loaded).toEqual(['app://kiosk/index.html']);
    expect(made.shown).toBe(false);
    made.emit('ready-to-show');
    expect(made.shown).toBe(true);
  });

  it('locks the keyboard in production and not with --dev', () => {
    expect(create(false).made.webContents.count('before-input-event')).toBe(1);
    expect(create(true).made.webContents.count('before-input-event')).toBe(0);
  });

  it('reloads the page when its renderer process dies', () => {
    const { made } = create(false);
    made.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 133 });
    expect(made.webContents.reloads).toBe(1);
  });
});

describe('reloadOnRendererGone', () => {
  it('stops reloading after too many crashes in the window, and resumes once they are old', () => {
    const contents = new FakeWebContents();
    const { logger, lines } = memoryLogger();
    let now = 1_000_000;
    reloadOnRendererGone(asWebContents(contents), { clock: () => now, logger, policy: { maxReloads: 3, windowMs: 60_000 } });
    const crash = () => contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
    for (let i = 0; i < 5; i += 1) {
      crash();
      now += 1_000;
    }
    expect(contents.reloads).toBe(3);
    expect(lines.filter((l) => l.code === 'RENDERER_CRASH_LOOP')).toHaveLength(2);
    now += 60_000;
    crash();
    expect(contents.reloads).toBe(4);
  });

  it('does not reload destroyed web contents', () => {
    const contents = new FakeWebContents();
    contents.destroyed = true;
    reloadOnRendererGone(asWebContents(contents), { clock: () => 0, logger: memoryLogger().logger });
    contents.emit('render-process-gone', {}, { reason: 'oom', exitCode: 0 });
    expect(contents.reloads).toBe(0);
  });
});

describe('focusWindow', () => {
  it('restores and focuses the first instance’s window when a second instance starts', () => {
    const window = new FakeWindow({});
    window.minimized = true;
    focusWindow(asKioskWindow(window));
    expect(window.minimized).toBe(false);
    expect(window.focused).toBe(true);
  });

  it('does nothing when there is no window yet', () => {
    expect(() => focusWindow(null)).not.toThrow();
  });
});
