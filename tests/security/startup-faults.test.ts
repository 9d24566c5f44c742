// Issue 13, item 7: the web shell's start-up (the real `cli.ts`, as a child process) facing a corrupted database, a
// read-only data folder and a full disk. Each gets its own French message saying what the mediator should do, a code in
// a log line, a non-zero exit, no stack trace, and the database file byte for byte as it was.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseError, openDatabase } from '../../electron/services/db/index.js';
import { fillUp, mountable, remountReadOnly, smallTmpfs, type Mounted } from './support/mounts.js';
import { runCliToExit, type Finished } from './support/webshell.js';

/** The exact first line on standard error, per fault (the spec of what the mediator reads). */
export const EXPECTED = {
  DB_CORRUPT:
    'Relais ne peut pas démarrer : le fichier de données de la borne est endommagé. Il n’a pas été modifié. Ne le supprimez pas : faites-en une copie (sur une clé USB, par exemple) et contactez le support.',
  DATA_READ_ONLY:
    'Relais ne peut pas démarrer : le dossier de données de la borne est en lecture seule, rien ne peut y être enregistré. Redémarrez l’ordinateur ; si ce message revient, le disque est peut-être défaillant : contactez le support. Les données de la borne n’ont pas été modifiées.',
  DISK_FULL:
    'Relais ne peut pas démarrer : le disque de la borne est plein. Libérez de la place (corbeille, téléchargements, anciens fichiers), puis redémarrez Relais. Les données de la borne n’ont pas été modifiées.',
} as const;

/** A valid kiosk database with one setting, closed (checkpointed): what a booth has after a day of use. */
function makeDatabase(file: string): Buffer {
  const db = openDatabase(file);
  db.prepare("INSERT INTO settings (key, value) VALUES ('site.name', 'Figeac') ON CONFLICT (key) DO UPDATE SET value = excluded.value").run();
  db.close();
  return readFileSync(file);
}

function expectRefusal(run: Finished, code: keyof typeof EXPECTED): void {
  const stderrLines = run.stderr.split('\n');
  console.info(`start-up fault ${code}: exit ${run.code}; stderr: ${JSON.stringify(run.stderr.slice(0, 600))}`);
  expect(run.signal).toBeNull();
  expect(run.code).not.toBe(0);
  expect(run.code).not.toBeNull();
  expect(stderrLines[0]).toBe(EXPECTED[code]);
  // No stack trace: no frame line, no error class name dumped by Node.
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stderr).not.toMatch(/\bat .+:\d+:\d+\)?$/m);
  expect(run.stderr).not.toContain('Node.js v');
  const logLines = stderrLines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: number; code: string });
  expect(logLines).toContainEqual(expect.objectContaining({ level: 60, code }));
  expect(run.stdout).not.toContain('RELAIS_URL=');
}

const mountsUnavailable = mountable();

// Each case starts the real web shell through tsx: allow for a loaded machine.
describe('web shell start-up faults (issue 13, item 7)', { timeout: 90_000 }, () => {
  it('refuses a corrupted database with its own message, DB_CORRUPT in the log, and leaves the file byte-identical', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'relais-corrupt-'));
    try {
      const file = join(dataDir, 'relais.sqlite');
      const bytes = makeDatabase(file);
      // Scribble over everything after the 100-byte header: the file still says "SQLite format 3" but its pages are garbage.
      for (let i = 100; i < bytes.length; i++) bytes[i] = (i * 131 + 7) % 251;
      writeFileSync(file, bytes);

      const run = await runCliToExit(['--data-dir', dataDir]);
      expectRefusal(run, 'DB_CORRUPT');
      expect(readFileSync(file).equals(bytes)).toBe(true);
      expect(existsSync(`${file}-wal`)).toBe(false);
      const logFile = readFileSync(join(dataDir, 'logs', 'relais.log'), 'utf8');
      expect(logFile).toContain('"code":"DB_CORRUPT"');
      expect(logFile).not.toMatch(/\\n\s+at /);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  describe('on real mounts', () => {
    const mounts: Mounted[] = [];
    const dirs: string[] = [];
    beforeAll(() => {
      if (mountsUnavailable) console.warn(`start-up fault tests on a read-only folder and a full disk SKIPPED: ${mountsUnavailable}`);
    });
    afterAll(() => {
      for (const m of mounts.splice(0).reverse()) m.release();
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    });

    it('refuses a read-only data folder (a read-only bind mount) with its own message, and touches nothing', async (ctx) => {
      if (mountsUnavailable) return ctx.skip(mountsUnavailable);
      const dataDir = mkdtempSync(join(tmpdir(), 'relais-readonly-'));
      dirs.push(dataDir);
      const file = join(dataDir, 'relais.sqlite');
      const bytes = makeDatabase(file);
      mounts.push(remountReadOnly(dataDir));
      expect(() => writeFileSync(join(dataDir, 'probe'), 'x')).toThrow(/EROFS/);

      const run = await runCliToExit(['--data-dir', dataDir]);
      expectRefusal(run, 'DATA_READ_ONLY');
      expect(readFileSync(file).equals(bytes)).toBe(true);
    });

    it('refuses a full disk (a 512 KiB tmpfs filled up) with its own message, and leaves the database byte-identical', async (ctx) => {
      if (mountsUnavailable) return ctx.skip(mountsUnavailable);
      const disk = smallTmpfs(512);
      mounts.push(disk);
      const file = join(disk.dir, 'relais.sqlite');
      const bytes = makeDatabase(file);
      const filler = fillUp(join(disk.dir, 'filler'));
      console.info(`full disk: ${filler} bytes of filler on a 512 KiB tmpfs, database ${bytes.length} bytes`);

      const run = await runCliToExit(['--data-dir', disk.dir]);
      expectRefusal(run, 'DISK_FULL');
      expect(readFileSync(file).equals(bytes)).toBe(true);
    });

    it('has openDatabase itself name a full disk and a read-only folder, not « endommagée » (without the folder probe)', async (ctx) => {
      if (mountsUnavailable) return ctx.skip(mountsUnavailable);
      const codeOf = (file: string): string => {
        try {
          openDatabase(file).close();
          return 'opened';
        } catch (cause) {
          return cause instanceof DatabaseError ? cause.code : String(cause);
        }
      };
      const disk = smallTmpfs(512);
      mounts.push(disk);
      const full = join(disk.dir, 'relais.sqlite');
      const fullBytes = makeDatabase(full);
      fillUp(join(disk.dir, 'filler'));
      const readOnlyDir = mkdtempSync(join(tmpdir(), 'relais-readonly-db-'));
      dirs.push(readOnlyDir);
      const readOnly = join(readOnlyDir, 'relais.sqlite');
      const readOnlyBytes = makeDatabase(readOnly);
      mounts.push(remountReadOnly(readOnlyDir));
      const codes = { full: codeOf(full), readOnly: codeOf(readOnly), newFileInReadOnly: codeOf(join(readOnlyDir, 'other.sqlite')) };
      console.info(`openDatabase on real mounts: ${JSON.stringify(codes)}`);
      expect(codes).toEqual({ full: 'DISK_FULL', readOnly: 'DATA_READ_ONLY', newFileInReadOnly: 'DATA_READ_ONLY' });
      expect(readFileSync(full).equals(fullBytes)).toBe(true);
      expect(readFileSync(readOnly).equals(readOnlyBytes)).toBe(true);
    });
  });
});
