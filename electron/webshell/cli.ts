// `npm run start:web`: the kiosk in the web shell, with its SQLite file in the user's data directory.
// Prints `RELAIS_URL=<launch url>` on stdout (the e2e tests read it) and opens Chromium in app/kiosk mode when it can,
// on a throw-away profile (browser.ts). A launch URL carries a one-time code, never the session's token (server.ts).
// With --stdin-launch-codes, or at a terminal when no browser was opened, each line read on stdin prints a fresh
// `RELAIS_URL=…` (the e2e harness opens the kiosk in new pages this way; nothing of it is reachable over HTTP).
// A kiosk that cannot start (full disk, read-only folder, damaged database…) says why in French and exits non-zero.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { resolveBoothHub, type BoothHub } from '../boothHub.js';
import { resolveFirstStart, type FirstStart } from '../firstStart.js';
import { KioskConfigError, readKioskConfig, type KioskConfig } from '../kioskConfig.js';
import { createKiosk, type Kiosk } from '../services/kiosk.js';
import { createRootLogger, scoped, type Logger } from '../services/logger.js';
import { hubSocketOrigin } from '../shell/csp.js';
import { createHubLink, type HubLink } from '../services/setup/hubLink.js';
import { prepareDataDir, reportStartupFault, STARTUP_FAULT_EXIT_CODE, startupFaultReport } from '../services/startup.js';
import { findChromium, launchChromium, type RunningBrowser } from './browser.js';
import { LAUNCH_CODE_TTL_MS, startWebShell, type WebShell } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
    'clock-start': { type: 'string' },
    open: { type: 'boolean', default: true },
    'no-open': { type: 'boolean', default: false },
    kiosk: { type: 'boolean', default: false },
    // The built renderer's folder (default dist/renderer; the attack suite runs before the build).
    'static-dir': { type: 'string' },
    'stdin-launch-codes': { type: 'boolean', default: false },
  },
});

const repoRoot = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const staticDir = values['static-dir'] ? resolve(values['static-dir']) : join(repoRoot, 'dist/renderer');
// Checked before the logger exists: its asynchronous file stream cannot flush on an immediate exit.
if (!existsSync(join(staticDir, 'index.html'))) {
  process.stderr.write('Le renderer n’est pas construit : lancez « npm run build » (ou « npm run start:web », qui le fait).\n');
  process.exit(1);
}
const config = readConfig();
const { dataDir, logFile } = config;

/** The kiosk's configuration (kioskConfig.ts); a refused value is named on standard error, and the shell exits. */
function readConfig(): KioskConfig {
  try {
    return readKioskConfig({ env: process.env, dataDirArg: values['data-dir'] ?? null, platform: process.platform, homedir: homedir() });
  } catch (cause) {
    if (!(cause instanceof KioskConfigError)) throw cause;
    process.stderr.write(`${cause.message}\n`);
    process.exit(2);
  }
}

let refusing = false;
/** Says why the kiosk cannot start (standard error, and the log file when there is one), then exits non-zero. */
async function refuseToStart(cause: unknown, logger: Logger | null): Promise<never> {
  if (!refusing) {
    refusing = true;
    await reportStartupFault(startupFaultReport(cause, { dataDir, logFile }), { logger, stderr: process.stderr, cause });
  }
  process.exit(STARTUP_FAULT_EXIT_CODE);
}

/** A demo or test clock that starts at a given instant and runs from there. */
function clockFrom(start: string | undefined): () => number {
  if (!start) return Date.now;
  const at = Date.parse(start);
  if (Number.isNaN(at)) {
    process.stderr.write(`--clock-start: date illisible « ${start} » (attendu : ISO 8601, ex. 2026-03-02T10:00:00+01:00)\n`);
    process.exit(2);
  }
  const offset = at - Date.now();
  return () => Date.now() + offset;
}

async function main(): Promise<void> {
  // Before the logger, the hub or SQLite touch the folder: a full disk or a read-only folder is named as such.
  try {
    prepareDataDir(dataDir);
  } catch (cause) {
    return refuseToStart(cause, null);
  }
  const root = createRootLogger({ file: logFile, level: config.logLevel });
  const log = scoped(root, 'webshell');
  let hub: BoothHub | null = null;
  let kiosk: Kiosk | null = null;
  let shell: WebShell;
  try {
    // No safeStorage outside Electron: an enrolled booth's credential is a file only this user reads.
    const firstStart = resolveFirstStart({ config, cipher: null, logger: root });
    hub = await resolveBoothHub({ configured: firstStart.configured, demoHubPort: config.demoHubPort, dataDir, staticDir, logger: root });
    const hubLink = createHubLink(hub.connection);
    kiosk = openKiosk(root, hubLink, firstStart);
    const services = kiosk;
    shell = await startWebShell({
      dispatchDeps: { handlers: services.handlers, requireMediator: () => services.requireMediator(), logger: scoped(root, 'contract') },
      subscribe: (listener) => services.onEvent(listener),
      staticDir,
      logger: log,
      port: Number(values.port),
      connectSources: () => {
        const origin = hubSocketOrigin(hubLink.current()?.url);
        return origin ? [origin] : [];
      },
    });
  } catch (cause) {
    kiosk?.close();
    await hub?.close();
    return refuseToStart(cause, root);
  }
  serve(log, hub, kiosk, shell);
}

function openKiosk(root: Logger, hubLink: HubLink, firstStart: FirstStart): Kiosk {
  return createKiosk({
    dbFile: config.dbFile,
    // Downloaded teleservice PDFs go to the printing feature's service (kiosk.ts wires it).
    teleservice: { mode: 'webshell', ...(config.extraGuidesDir ? { extraGuidesDir: config.extraGuidesDir } : {}) },
    clock: clockFrom(values['clock-start']),
    logger: root,
    assetsDir: join(repoRoot, 'assets'),
    visio: { hub: hubLink.current },
    setup: { assistant: firstStart.assistant, credentials: firstStart.credentials, hubLink },
    // Evaluation: aggregates go to the visio hub; RELAIS_SYNC_EVERY_MS shortens the queue's period (tests).
    evaluation: config.syncEveryMs === null ? {} : { flushEveryMs: config.syncEveryMs },
    // Printing over the local CUPS; RELAIS_PRINTER names the queue used until the mediator chooses one.
    printing: { defaultPrinter: config.defaultPrinter, dataDir },
  });
}

function serve(log: Logger, hub: BoothHub, kiosk: Kiosk, shell: WebShell): void {
  process.stdout.write(`RELAIS_URL=${shell.launchUrl}\n`);
  process.stdout.write(`Relais (web shell) : ${shell.launchUrl}\nDonnées : ${dataDir}\n`);
  if (hub.demo) {
    process.stdout.write(`Hub de démonstration : console des conseillers ${hub.demo.consoleUrl}\n`);
    for (const agent of hub.demo.agents) process.stdout.write(`  conseiller de démonstration ${agent.organisation} : ${agent.login} / ${agent.password}\n`);
  } else if (!hub.connection) {
    process.stdout.write('Aucun hub de visio : la visio-accueil est indisponible (voir le journal).\n');
  }
  log.info({ origin: shell.origin, dataDir }, 'web shell started');

  const chromium = findChromium();
  const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  let browser: RunningBrowser | null = null;
  if (values.open && !values['no-open'] && chromium && hasDisplay) {
    // A code of its own, minted right before the browser starts: the browser's first request spends it.
    browser = launchChromium({ executable: chromium, launchUrl: shell.mintLaunchUrl(), kiosk: values.kiosk, logger: log });
    process.stdout.write(`Chromium ouvert en mode application (${chromium}), profil temporaire ${browser.profileDir}.\n`);
  }
  // A person at a terminal opens the address by hand: a code is good once and for a few seconds, so Entrée gives another.
  const byHand = browser === null && values.open && !values['no-open'];
  const forPerson = byHand && process.stdin.isTTY === true;
  if (byHand) {
    process.stdout.write(
      `${chromium ? 'Pas d’écran graphique (DISPLAY)' : 'Chromium introuvable'} : ouvrez l’adresse ci-dessus dans un navigateur de cette machine. ` +
        `Elle ne sert qu’une fois, dans les ${LAUNCH_CODE_TTL_MS / 1000} s${forPerson ? ' : appuyez sur Entrée pour en obtenir une nouvelle' : ''}.\n`,
    );
  }
  if (values['stdin-launch-codes'] || forPerson) {
    createInterface({ input: process.stdin }).on('line', () => process.stdout.write(`RELAIS_URL=${shell.mintLaunchUrl()}\n`));
  }

  const stop = () => {
    void Promise.resolve(browser?.stop())
      .then(() => shell.close())
      .then(() => hub.close())
      .finally(() => {
        kiosk.close();
        process.exit(0);
      });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((cause: unknown) => refuseToStart(cause, null));
