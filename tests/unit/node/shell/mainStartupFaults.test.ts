// electron/main.ts composed for real (real services, real files) against a fake 'electron' module, on the start-up
// faults of issue 13, item 7: a damaged database, a read-only data folder, a full disk. Each shows its own French text
// in a dialog, logs a code without a stack, exits 1, opens no window and leaves the database file as it was.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { openDatabase } from '../../../../electron/services/db/index.js';
import { STARTUP_FAULT_TEXTS } from '../../../../electron/services/startup.js';
import { fillUp, mountable, remountReadOnly, smallTmpfs, type Mounted } from '../../../security/support/mounts.js';
import { FakeEmitter } from './fakes.js';

const fake = vi.hoisted(() => ({
  app: null as (FakeEmitter & { exitCode: number | null; paths: Record<string, string> }) | null,
  dialogs: [] as Array<{ title: string; content: string }>,
  windows: 0,
}));

vi.mock('electron', async () => {
  const { FakeEmitter: Emitter, FakeWebContents: Contents } = await import('./fakes.js');
  class App extends Emitter {
    paths: Record<string, string> = {};
    exitCode: number | null = null;
    commandLine = { appendSwitch: () => undefined };
    requestSingleInstanceLock = () => true;
    whenReady = () => Promise.resolve();
    setPath = (name: string, value: string) => void (this.paths[name] = value);
    getVersion = () => '9.9.9';
    quit = () => undefined;
    exit = (code: number) => void (this.exitCode = code);
  }
  const app = new App();
  fake.app = app;
  class BrowserWindow extends Emitter {
    webContents = new Contents();
    constructor() {
      super();
      fake.windows += 1;
    }
    loadURL = () => Promise.resolve();
    isDestroyed = () => false;
  }
  return {
    app,
    BrowserWindow,
    dialog: { showErrorBox: (title: string, content: string) => void fake.dialogs.push({ title, content }) },
    Menu: { setApplicationMenu: () => undefined },
    ipcMain: { handle: () => undefined, removeHandler: () => undefined },
    protocol: { registerSchemesAsPrivileged: () => undefined, handle: () => undefined },
    // The credential store's cipher (electron/services/setup/credentialStore.ts): no keychain on this fake system.
    safeStorage: { isEncryptionAvailable: () => false, encryptString: () => Buffer.alloc(0), decryptString: () => '' },
    session: { defaultSession: { setPermissionRequestHandler: () => undefined, setPermissionCheckHandler: () => undefined } },
  };
});

let stderr = '';
let stderrSpy: MockInstance;
beforeEach(() => {
  fake.dialogs.length = 0;
  fake.windows = 0;
  stderr = '';
  stderrSpy?.mockRestore();
  stderrSpy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  vi.resetModules();
});

afterAll(() => {
  stderrSpy?.mockRestore();
  vi.unstubAllEnvs();
});

/** Runs main.ts on `dataDir` until it exits; returns the dialog it showed. */
async function startOn(dataDir: string): Promise<{ title: string; content: string }> {
  vi.stubEnv('RELAIS_DATA_DIR', dataDir);
  vi.stubEnv('RELAIS_SQLITE_BINDING', '');
  vi.stubEnv('RELAIS_HUB_URL', 'wss://hub.example.fr');
  vi.stubEnv('RELAIS_HUB_TOKEN', 'booth-token-of-the-site');
  vi.stubEnv('RELAIS_LOG_LEVEL', 'info');
  await import('../../../../electron/main.js');
  await vi.waitFor(() => {
    if (fake.app?.exitCode === null) throw new Error('main.ts has not exited yet');
  }, { timeout: 10_000 });
  expect(fake.app?.exitCode).toBe(1);
  expect(fake.windows).toBe(0);
  expect(fake.dialogs).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
  return fake.dialogs[0]!;
}

function makeDatabase(file: string): Buffer {
  const db = openDatabase(file);
  db.prepare("INSERT INTO settings (key, value) VALUES ('site.name', 'Figeac') ON CONFLICT (key) DO UPDATE SET value = excluded.value").run();
  db.close();
  return readFileSync(file);
}

const mountsUnavailable = mountable();

describe('electron/main.ts refusing to start (issue 13, item 7)', { timeout: 60_000 }, () => {
  const mounts: Mounted[] = [];
  const dirs: string[] = [];
  afterAll(() => {
    for (const m of mounts.splice(0).reverse()) m.release();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('shows « fichier de données endommagé » for a damaged database, logs DB_CORRUPT, and leaves the file byte-identical', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'relais-main-corrupt-'));
    dirs.push(dataDir);
    const file = join(dataDir, 'relais.sqlite');
    const bytes = makeDatabase(file);
    for (let i = 100; i < bytes.length; i++) bytes[i] = (i * 131 + 7) % 251;
    writeFileSync(file, bytes);

    const shown = await startOn(dataDir);
    expect(shown).toEqual({ title: 'Relais : fichier de données endommagé', content: `${STARTUP_FAULT_TEXTS.DB_CORRUPT.fr}\n\nFichier de données : ${file}` });
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(stderr).toContain('"code":"DB_CORRUPT"');
    await vi.waitFor(() => {
      if (!readFileSync(join(dataDir, 'logs', 'relais.log'), 'utf8').includes('"code":"DB_CORRUPT"')) throw new Error('not logged yet');
    });
  });

  it('shows « dossier de données en lecture seule » for a read-only bind mount', async (ctx) => {
    if (mountsUnavailable) return ctx.skip(mountsUnavailable);
    const dataDir = mkdtempSync(join(tmpdir(), 'relais-main-readonly-'));
    dirs.push(dataDir);
    const bytes = makeDatabase(join(dataDir, 'relais.sqlite'));
    mounts.push(remountReadOnly(dataDir));

    const shown = await startOn(dataDir);
    expect(shown).toEqual({ title: 'Relais : dossier de données en lecture seule', content: `${STARTUP_FAULT_TEXTS.DATA_READ_ONLY.fr}\n\nDossier de données : ${dataDir}` });
    expect(stderr).toContain('"code":"DATA_READ_ONLY"');
    expect(readFileSync(join(dataDir, 'relais.sqlite')).equals(bytes)).toBe(true);
    expect(existsSync(join(dataDir, 'electron'))).toBe(false);
  });

  it('shows « disque plein » for a full tmpfs', async (ctx) => {
    if (mountsUnavailable) return ctx.skip(mountsUnavailable);
    const disk = smallTmpfs(512);
    mounts.push(disk);
    const bytes = makeDatabase(join(disk.dir, 'relais.sqlite'));
    fillUp(join(disk.dir, 'filler'));

    const shown = await startOn(disk.dir);
    expect(shown).toEqual({ title: 'Relais : disque plein', content: `${STARTUP_FAULT_TEXTS.DISK_FULL.fr}\n\nDossier de données : ${disk.dir}` });
    expect(stderr).toContain('"code":"DISK_FULL"');
    expect(readFileSync(join(disk.dir, 'relais.sqlite')).equals(bytes)).toBe(true);
  });
});
