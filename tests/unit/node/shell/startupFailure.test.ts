// shell/startupFailure.ts against typed fakes of Electron's dialog and app: the French text in a dialog, the code in the
// log (drained before the dialog blocks the main thread), no stack on standard error, a non-zero exit.
import type { App, Dialog } from 'electron';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { DatabaseError } from '../../../../electron/services/db/index.js';
import { StartupFault, STARTUP_FAULT_TEXTS } from '../../../../electron/services/startup.js';
import { KioskConfigError } from '../../../../electron/kioskConfig.js';
import { CONFIGURATION_EXIT_CODE, failConfiguration, failStartup } from '../../../../electron/shell/startupFailure.js';

function fakes() {
  const events: string[] = [];
  const dialogs: Array<{ title: string; content: string }> = [];
  const exits: number[] = [];
  let stderr = '';
  const logLines: Array<{ level: number; code?: string; err?: unknown }> = [];
  const logger = pino({ level: 'trace' }, { write: (line: string) => void (logLines.push(JSON.parse(line)), events.push('log')) });
  const dialog: Pick<Dialog, 'showErrorBox'> = {
    showErrorBox: (title, content) => {
      events.push('dialog');
      dialogs.push({ title, content });
    },
  };
  const app: Pick<App, 'exit'> = { exit: (code) => void (events.push('exit'), exits.push(code ?? 0)) };
  return { events, dialogs, exits, logLines, logger, ports: { dialog, app, stderr: { write: (s: string) => (stderr += s) } }, stderr: () => stderr };
}

const context = { dataDir: '/var/lib/relais', logFile: '/var/lib/relais/logs/relais.log' };

describe('a refused Electron start-up', () => {
  it('shows the French text of a full disk in a dialog, after the log line, then exits 1', async () => {
    const f = fakes();
    const report = await failStartup(f.ports, new StartupFault('DISK_FULL', 'ENOSPC: no space left on device, write'), { ...context, logger: f.logger });
    expect(report.code).toBe('DISK_FULL');
    expect(f.dialogs).toEqual([{ title: 'Relais : disque plein', content: `${STARTUP_FAULT_TEXTS.DISK_FULL.fr}\n\nDossier de données : /var/lib/relais` }]);
    expect(f.exits).toEqual([1]);
    expect(f.events).toEqual(['log', 'dialog', 'exit']);
    expect(f.logLines).toEqual([expect.objectContaining({ level: 60, code: 'DISK_FULL', detail: 'ENOSPC: no space left on device, write' })]);
    expect(f.stderr().split('\n')[0]).toBe(STARTUP_FAULT_TEXTS.DISK_FULL.fr);
    expect(f.stderr()).toContain('"code":"DISK_FULL"');
  });

  it('names a damaged database by its file, and a read-only folder by the folder', async () => {
    const damaged = fakes();
    await failStartup(damaged.ports, new DatabaseError('DB_CORRUPT', 'file is not a database'), { ...context, logger: null });
    expect(damaged.dialogs[0]).toEqual({
      title: 'Relais : fichier de données endommagé',
      content: `${STARTUP_FAULT_TEXTS.DB_CORRUPT.fr}\n\nFichier de données : /var/lib/relais/relais.sqlite`,
    });
    const readOnly = fakes();
    await failStartup(readOnly.ports, new DatabaseError('DATA_READ_ONLY', 'attempt to write a readonly database'), { ...context, logger: null });
    expect(readOnly.dialogs[0]?.title).toBe('Relais : dossier de données en lecture seule');
    expect(readOnly.exits).toEqual([1]);
  });

  it('keeps the stack of an unexpected error for the log file only', async () => {
    const f = fakes();
    await failStartup(f.ports, new TypeError('boom'), { ...context, logger: f.logger });
    expect(f.dialogs[0]?.title).toBe('Relais ne peut pas démarrer');
    expect(f.dialogs[0]?.content).toContain('Journal : /var/lib/relais/logs/relais.log');
    expect(f.logLines[0]).toMatchObject({ code: 'START_FAILED', err: { type: 'TypeError', message: 'boom' } });
    expect(f.stderr()).not.toMatch(/\n\s+at |\\n\s+at /);
  });
});

describe('a refused Electron configuration', () => {
  it('names each refused variable on standard error and in a dialog, then exits 2, before any log file exists', () => {
    const f = fakes();
    failConfiguration(f.ports, new KioskConfigError(['RELAIS_SYNC_EVERY_MS vaut « -5 » : attendu un nombre entier de 100 à 86400000 millisecondes.']));
    expect(CONFIGURATION_EXIT_CODE).toBe(2);
    expect(f.events).toEqual(['dialog', 'exit']);
    expect(f.exits).toEqual([2]);
    expect(f.dialogs).toEqual([{ title: 'Relais : configuration invalide', content: expect.stringContaining('RELAIS_SYNC_EVERY_MS vaut « -5 »') }]);
    expect(f.stderr()).toContain('Configuration de la borne invalide :\n  - RELAIS_SYNC_EVERY_MS');
  });
});
