// Smoke test of the real Electron kiosk: home, mediator unlock with the demo PIN, one recorded service, and the
// bridge's isolation (no Node in the page). Needs an Electron binary and a better-sqlite3 build for Electron's ABI;
// without them it reports itself skipped with the reason (FIELD-NOTES.md: the binary cannot be downloaded here).
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import Database from 'better-sqlite3';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { electronRuntime } from '../../build/scripts/electron-runtime.mjs';
import type { RelaisApi } from '../../shared/contract/index.js';
import { ELECTRON_BINDING_RELATIVE } from '../../electron/shell/nativeBinding.js';

const REPO = resolve(import.meta.dirname, '../..');

/** The better-sqlite3 build main.ts will load (see electron/shell/nativeBinding.ts), or null when there is none. */
function electronSqliteBinding(): string | null {
  if (process.env.RELAIS_SQLITE_BINDING) return process.env.RELAIS_SQLITE_BINDING;
  const built = join(REPO, ELECTRON_BINDING_RELATIVE);
  return existsSync(built) ? built : null;
}

function skipReason(): string | null {
  const runtime = electronRuntime();
  if (!runtime.available) return runtime.reason;
  if (!electronSqliteBinding()) {
    return `no better-sqlite3 build for Electron's ABI: set RELAIS_SQLITE_BINDING or put one at ${ELECTRON_BINDING_RELATIVE}`;
  }
  return null;
}

function buildIfMissing(file: string, script: string): void {
  if (existsSync(join(REPO, file))) return;
  const built = spawnSync('npm', ['run', '--silent', script], { cwd: REPO, stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`npm run ${script} failed`);
}

/** Starts Xvfb when there is no display, and returns the display and a stop function (by PID). */
async function ensureDisplay(): Promise<{ display: string; stop(): void }> {
  if (process.env.DISPLAY) return { display: process.env.DISPLAY, stop: () => {} };
  const display = ':97';
  const xvfb: ChildProcess = spawn('Xvfb', [display, '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
  const socket = `/tmp/.X11-unix/X${display.slice(1)}`;
  await expect.poll(() => existsSync(socket), { timeout: 10_000, message: 'Xvfb did not start' }).toBe(true);
  return { display, stop: () => void (xvfb.exitCode === null && xvfb.kill('SIGTERM')) };
}

test('the Electron kiosk shows its home, unlocks with the demo PIN and records a service in its SQLite file', async () => {
  const reason = skipReason();
  if (reason) {
    console.log(`Electron end-to-end skipped: ${reason}`);
    test.skip(true, reason);
    return;
  }
  const runtime = electronRuntime();
  if (!runtime.available) return;
  buildIfMissing('dist/renderer/index.html', 'build');
  buildIfMissing('dist-electron/main.js', 'build:electron');

  const dataDir = mkdtempSync(join(tmpdir(), 'relais-electron-'));
  const screen = await ensureDisplay();
  let app: ElectronApplication | null = null;
  try {
    app = await electron.launch({
      executablePath: runtime.binary,
      // Chromium refuses its sandbox to root; the suite runs as root on the build machines only.
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), join(REPO, 'dist-electron', 'main.js'), `--data-dir=${dataDir}`],
      cwd: REPO,
      env: { ...process.env, DISPLAY: screen.display, RELAIS_SQLITE_BINDING: electronSqliteBinding() ?? '', RELAIS_LOG_LEVEL: 'warn', RELAIS_DEMO: '1' } as Record<string, string>,
    });
    const page = await app.firstWindow();

    expect(new URL(page.url()).host).toBe('kiosk');
    await expect(page.getByRole('heading', { name: /Bienvenue/ })).toBeVisible();

    const isolation = await page.evaluate(() => {
      const scope = globalThis as unknown as Record<string, unknown>;
      return { require: typeof scope.require, process: typeof scope.process, relais: Object.keys((window as unknown as { relais: object }).relais).sort() };
    });
    expect(isolation.require).toBe('undefined');
    expect(isolation.process).toBe('undefined');
    expect(isolation.relais).toEqual(expect.arrayContaining(['auth', 'on', 'visits']));

    await page.getByRole('button', { name: 'Mode médiateur' }).click();
    await page.getByLabel('Code PIN', { exact: true }).fill('1234');
    await page.getByRole('button', { name: 'Valider' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Espace médiateur' })).toBeVisible();

    await page.getByRole('button', { name: "Caisse d'allocations familiales", exact: true }).click();
    await page.getByRole('button', { name: 'Information / orientation', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Enregistré' })).toBeVisible();

    const today = await page.evaluate(() => (window as unknown as { relais: RelaisApi }).relais.visits.listDay({}));
    expect(today.ok && today.value.map((v) => [v.organisation, v.service])).toEqual([['CAF', 'info']]);

    await app.close();
    app = null;
    const db = new Database(join(dataDir, 'relais.sqlite'), { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) AS n FROM visits').get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  } finally {
    await app?.close();
    screen.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
