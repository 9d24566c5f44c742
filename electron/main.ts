// The Electron kiosk's composition root: wires the services (createKiosk) to the shell (window, protocol, IPC, lockdown).
// Logic lives in electron/shell/* where it is unit-tested against typed fakes; this file only connects real objects.
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session, WebContentsView } from 'electron';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { resolveBoothHub, type BoothHub } from './boothHub.js';
import { keychainCipher, resolveFirstStart } from './firstStart.js';
import { createHubLink } from './services/setup/hubLink.js';
import { KioskConfigError, readKioskConfig, type KioskConfig } from './kioskConfig.js';
import { KIOSK_LANG_SWITCH } from './services/chromiumLocale.js';
import { createKiosk, type Kiosk } from './services/kiosk.js';
import { createRootLogger, scoped, type Logger } from './services/logger.js';
import { prepareDataDir } from './services/startup.js';
import { parseShellArgs } from './shell/args.js';
import { securityHeaders } from './shell/csp.js';
import { createSenderGuard, forwardEvents, registerContract } from './shell/ipc.js';
import { resolveNativeBinding } from './shell/nativeBinding.js';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler, handleAppProtocol } from './shell/protocol.js';
import { guardAllWebContents, installPermissionHandlers } from './shell/security.js';
import { failConfiguration, failStartup } from './shell/startupFailure.js';
import { createKioskWindow, focusWindow } from './shell/window.js';
import { bindTeleserviceViews, electronTeleservicePorts } from './shell/teleserviceIpc.js';
import { startKioskUpdates } from './shell/updates.js';
import { WindowsPrinterBackend } from './services/printing/windowsBackend.js';
import { windowsPrintDeps } from './shell/windowsPrinting.js';

function main(): void {
  // This file is dist-electron/main.js; the app root (repo or app.asar) is its parent.
  const appRoot = join(import.meta.dirname, '..');
  const args = parseShellArgs(process.argv.slice(1));
  // Before ready: Chromium reads its UI locale once (French whatever the machine's locale, chromiumLocale.ts).
  app.commandLine.appendSwitch(KIOSK_LANG_SWITCH.name, KIOSK_LANG_SWITCH.value);

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  let config: KioskConfig;
  try {
    config = readKioskConfig({ env: process.env, dataDirArg: args.dataDir, platform: process.platform, homedir: homedir() });
  } catch (cause) {
    if (!(cause instanceof KioskConfigError)) throw cause;
    failConfiguration({ dialog, app, stderr: process.stderr }, cause);
    return;
  }
  const { dataDir, logFile } = config;
  // A start-up that cannot go on says why (disk full, read-only folder, damaged data…) in a dialog, then exits.
  let refusing = false;
  const refuse = (cause: unknown, logger: Logger | null): void => {
    if (refusing) return;
    refusing = true;
    void failStartup({ dialog, app, stderr: process.stderr }, cause, { dataDir, logFile, logger });
  };
  // Before Chromium's profile, the logger or SQLite touch the folder: a full disk or a read-only folder is named as such.
  try {
    prepareDataDir(dataDir);
  } catch (cause) {
    refuse(cause, null);
    return;
  }
  // Chromium's own profile (cache, local storage) stays beside our database, not in ~/.config/Relais.
  app.setPath('userData', join(dataDir, 'electron'));
  const rootLogger = createRootLogger({ file: logFile, level: config.logLevel });
  const logger = scoped(rootLogger, 'shell');

  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  // The teleservice views enforce their guide's origins themselves (shell/teleservice.ts): they are delegated by the guard.
  const guard = guardAllWebContents(app, logger);

  let window: BrowserWindow | null = null;
  let kiosk: Kiosk | null = null;
  const cleanups: Array<() => void> = [];

  app.on('second-instance', () => focusWindow(window));
  app.on('window-all-closed', () => app.quit());
  let boothHub: BoothHub | null = null;
  app.on('will-quit', () => {
    cleanups.splice(0).forEach((cleanup) => cleanup());
    void boothHub?.close();
    kiosk?.close();
    kiosk = null;
  });

  app
    .whenReady()
    .then(async () => {
      // The enrolled booth's credential is encrypted with the system's keychain (safeStorage) where it has one.
      const firstStart = resolveFirstStart({ config, cipher: keychainCipher(safeStorage, process.platform), logger: rootLogger });
      boothHub = await resolveBoothHub({ configured: firstStart.configured, demoHubPort: config.demoHubPort, dataDir, staticDir: join(appRoot, 'dist', 'renderer'), logger: rootLogger });
      const hubLink = createHubLink(boothHub.connection);
      try {
        // See shell/nativeBinding.ts: RELAIS_SQLITE_BINDING, else build/native/electron/better_sqlite3.node, else the default.
        const nativeBinding = resolveNativeBinding(process.env, appRoot, existsSync);
        kiosk = createKiosk({
          dbFile: config.dbFile,
          logger: rootLogger,
          assetsDir: join(appRoot, 'assets'),
          version: app.getVersion(),
          visio: { hub: hubLink.current },
          setup: { assistant: firstStart.assistant, credentials: firstStart.credentials, hubLink },
          teleservice: { mode: 'electron', ...(config.extraGuidesDir ? { extraGuidesDir: config.extraGuidesDir } : {}) },
          // RELAIS_SYNC_EVERY_MS shortens the weekly aggregates' queue period (tests).
          evaluation: config.syncEveryMs === null ? {} : { flushEveryMs: config.syncEveryMs },
          // Printing over the local CUPS on Linux booths; RELAIS_PRINTER names the queue used until the mediator chooses one.
          printing: {
            defaultPrinter: config.defaultPrinter,
            dataDir,
            // Windows has no CUPS: jobs go to the Windows spooler through Chromium's printing (shell/windowsPrinting.ts).
            // The hidden window's options are HIDDEN in shell/windowsPrinting.ts (sandbox, isolation, no auxclick), asserted by its test.
            ...(process.platform === 'win32'
              ? { backend: new WindowsPrinterBackend(windowsPrintDeps({ createWindow: (options) => new BrowserWindow(options) /* eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK */ })) }
              : {}),
          },
          ...(nativeBinding ? { nativeBinding } : {}),
        });
      } catch (err) {
        refuse(err, rootLogger);
        return;
      }
      const services = kiosk;

      if (!args.dev) Menu.setApplicationMenu(null);
      const headers = () => securityHeaders({ hubUrl: hubLink.current()?.url ?? null });
      handleAppProtocol(protocol, createAppProtocolHandler({ rootDir: join(appRoot, 'dist', 'renderer'), headers, logger }));
      installPermissionHandlers(session.defaultSession, { logger });

      cleanups.push(
        registerContract(ipcMain, {
          dispatchDeps: { handlers: services.handlers, requireMediator: () => services.requireMediator(), logger: scoped(rootLogger, 'ipc') },
          isTrustedSender: createSenderGuard({ isKioskWebContents: (contents) => window !== null && !window.isDestroyed() && window.webContents === contents }),
        }),
        forwardEvents({
          subscribe: (listener) => services.onEvent(listener),
          targets: () => (window && !window.isDestroyed() ? [window.webContents] : []),
          logger,
        }),
      );

      window = createKioskWindow({
        dev: args.dev,
        preloadPath: join(import.meta.dirname, 'preload.cjs'),
        // Electronegativity cannot see through the variable: the options come from kioskWindowOptions (shell/window.ts),
        // which sets contextIsolation, sandbox and disableBlinkFeatures 'Auxclick', asserted by tests/unit/node/shell/window.test.ts.
        createWindow: (options) => new BrowserWindow(options) /* eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK */,
        clock: Date.now,
        logger,
      });
      window.on('closed', () => {
        window = null;
      });
      const views = bindTeleserviceViews({
        feature: services.teleservice,
        ports: electronTeleservicePorts({ session, WebContentsView, window, guard }),
        downloadDir: join(dataDir, 'tmp', 'teleservice'),
        logger,
      });
      cleanups.push(() => void views.detach());
      // Releases from the hub, installed only when the booth is idle (shell/updates.ts).
      cleanups.push(startKioskUpdates({ connection: boothHub.connection, kiosk: services, version: app.getVersion(), packaged: app.isPackaged, dataDir, logger: rootLogger }));
      logger.info({ code: 'KIOSK_STARTED', dev: args.dev }, 'kiosk window created');
    })
    // Anything else that fails while the shell starts: START_FAILED, with its stack in the log file only.
    .catch((err: unknown) => refuse(err, rootLogger));
}

main();
