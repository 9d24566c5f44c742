// `npm run start:web`: the kiosk in the web shell, with its SQLite file in the user's data directory.
// Prints `RELAIS_URL=<launch url>` on stdout (the e2e tests read it) and opens Chromium in app/kiosk mode when it can.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { frenchLocaleEnv, withKioskLang } from '../services/chromiumLocale.js';
import { createKiosk } from '../services/kiosk.js';
import { createRootLogger, scoped } from '../services/logger.js';
import { defaultDataDir, kioskDbFile } from '../services/paths.js';
import { resolveBoothHub } from '../services/visio/embeddedHub.js';
import { startWebShell } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
    'clock-start': { type: 'string' },
    open: { type: 'boolean', default: true },
    'no-open': { type: 'boolean', default: false },
    kiosk: { type: 'boolean', default: false },
    /** Another folder of the built renderer (the attack suite serves a stub page before the renderer is built). */
    'static-dir': { type: 'string' },
  },
});

const repoRoot = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const staticDir = values['static-dir'] ? resolve(values['static-dir']) : join(repoRoot, 'dist/renderer');
// Checked before the logger exists: its asynchronous file stream cannot flush on an immediate exit.
if (!existsSync(join(staticDir, 'index.html'))) {
  process.stderr.write('Le renderer n’est pas construit : lancez « npm run build » (ou « npm run start:web », qui le fait).\n');
  process.exit(1);
}
const dataDir = values['data-dir'] ? resolve(values['data-dir']) : defaultDataDir(process.env, process.platform, homedir());
mkdirSync(dataDir, { recursive: true });
const root = createRootLogger({ file: join(dataDir, 'logs', 'relais.log') });
const log = scoped(root, 'webshell');

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

function findChromium(): string | null {
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable']) {
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

async function main(): Promise<void> {
  const hub = await resolveBoothHub({ env: process.env, dataDir, staticDir, logger: root });
  const kiosk = createKiosk({
    dbFile: kioskDbFile(dataDir),
    // Downloaded teleservice PDFs go to the printing feature's service (kiosk.ts wires it).
    teleservice: { mode: 'webshell', extraGuidesDir: process.env.RELAIS_EXTRA_GUIDES_DIR },
    clock: clockFrom(values['clock-start']),
    logger: root,
    assetsDir: join(repoRoot, 'assets'),
    visio: { hub: hub.connection },
    // Evaluation: aggregates go to the visio hub; RELAIS_SYNC_EVERY_MS shortens the queue's period (tests).
    evaluation: process.env.RELAIS_SYNC_EVERY_MS ? { flushEveryMs: Number(process.env.RELAIS_SYNC_EVERY_MS) } : {},
    // Printing over the local CUPS; RELAIS_PRINTER names the queue used until the mediator chooses one.
    printing: { defaultPrinter: process.env.RELAIS_PRINTER ?? null, dataDir },
  });
  const shell = await startWebShell({
    dispatchDeps: { handlers: kiosk.handlers, requireMediator: () => kiosk.requireMediator(), logger: scoped(root, 'contract') },
    subscribe: (listener) => kiosk.onEvent(listener),
    staticDir,
    logger: log,
    port: Number(values.port),
    connectSources: hub.connection ? [new URL(hub.connection.url).origin] : [],
  });
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
  if (values.open && !values['no-open'] && chromium && hasDisplay) {
    const profile = join(dataDir, 'chromium-profile');
    const args = withKioskLang([`--app=${shell.launchUrl}`, `--user-data-dir=${profile}`, '--no-first-run', '--disable-sync', '--disable-background-networking']);
    if (values.kiosk) args.push('--kiosk');
    if (process.getuid?.() === 0) args.push('--no-sandbox');
    spawn(chromium, args, { stdio: 'ignore', detached: true, env: frenchLocaleEnv(process.env) }).unref();
    process.stdout.write(`Chromium ouvert en mode application (${chromium}).\n`);
  } else if (values.open && !values['no-open']) {
    process.stdout.write(
      chromium ? 'Pas d’écran graphique (DISPLAY) : ouvrez l’adresse ci-dessus dans un navigateur de cette machine.\n' : 'Chromium introuvable : ouvrez l’adresse ci-dessus dans un navigateur de cette machine.\n',
    );
  }

  const stop = () => {
    void shell
      .close()
      .then(() => hub.close())
      .finally(() => {
        kiosk.close();
        process.exit(0);
      });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
