// A kiosk that cannot start says why, in French, with what the mediator should do: a full disk, a read-only data
// folder, a damaged or newer database, or an unexpected error. Both composition roots (the web shell's cli.ts and
// Electron's main.ts) use this: the same text on standard error (and, in Electron, in a dialog), a log line with a
// code and without a stack trace, and a non-zero exit. Nothing is written to the database to find out.
import { closeSync, fsyncSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { DATABASE_ERROR_TEXTS, DatabaseError, folderFault, type DatabaseErrorCode } from './db/index.js';
import { drainLogger, type Logger } from './logger.js';
import { kioskDbFile } from './paths.js';

export type StartupFaultCode = DatabaseErrorCode | 'START_FAILED';

/** The process's exit status when the kiosk refuses to start. */
export const STARTUP_FAULT_EXIT_CODE = 1;

export const STARTUP_FAULT_TEXTS: Record<StartupFaultCode, { title: string; fr: string }> = {
  DISK_FULL: { title: 'Relais : disque plein', fr: DATABASE_ERROR_TEXTS.DISK_FULL.fr },
  DATA_READ_ONLY: { title: 'Relais : dossier de données en lecture seule', fr: DATABASE_ERROR_TEXTS.DATA_READ_ONLY.fr },
  DB_CORRUPT: { title: 'Relais : fichier de données endommagé', fr: DATABASE_ERROR_TEXTS.DB_CORRUPT.fr },
  DB_FROM_NEWER_VERSION: { title: 'Relais : données d’une version plus récente', fr: DATABASE_ERROR_TEXTS.DB_FROM_NEWER_VERSION.fr },
  DB_UNREADABLE: { title: 'Relais : fichier de données illisible', fr: DATABASE_ERROR_TEXTS.DB_UNREADABLE.fr },
  START_FAILED: {
    title: 'Relais ne peut pas démarrer',
    fr: 'Relais ne peut pas démarrer à cause d’une erreur inattendue. Redémarrez l’ordinateur ; si ce message revient, contactez le support en lui transmettant le journal de la borne.',
  },
};

/** A start-up refusal whose cause is known (the data folder); `message` is the technical detail for the log. */
export class StartupFault extends Error {
  constructor(
    readonly code: StartupFaultCode,
    message: string,
  ) {
    super(message);
    this.name = 'StartupFault';
  }
}

/** Bytes written (and synced, then deleted) to prove the data folder takes writes before anything else touches it. */
const PROBE_BYTES = 64 * 1024;

function faultOfFolderError(cause: unknown, dir: string): StartupFaultCode {
  const errno = (cause as NodeJS.ErrnoException).code;
  if (errno === 'EACCES' || errno === 'EPERM') return 'DATA_READ_ONLY';
  return folderFault(dir, cause) ?? 'DB_UNREADABLE';
}

/**
 * Creates the data folder if needed and proves it writable with a small file written, synced and deleted, so a full
 * disk or a read-only folder is named as such before the logger, the hub or SQLite fail on it in their own words.
 * The database file is not touched. Throws a StartupFault.
 */
export function prepareDataDir(dir: string): void {
  const probe = join(dir, `.relais-write-check-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(probe, 'w', 0o600);
    try {
      const bytes = Buffer.alloc(PROBE_BYTES);
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
      rmSync(probe, { force: true });
    }
  } catch (cause) {
    throw new StartupFault(faultOfFolderError(cause, dir), `dossier de données ${dir} : ${(cause as Error).message}`);
  }
}

export interface StartupFaultReport {
  code: StartupFaultCode;
  /** A short title (Electron's dialog). */
  title: string;
  /** What the mediator reads: the cause and what to do. */
  text: string;
  /** Where: the file or folder concerned, or the log to send. */
  where: string;
  /** The technical detail for the log (a message, never a stack). */
  detail: string;
}

/** Names the cause of a start-up failure and the text for the mediator. */
export function startupFaultReport(cause: unknown, paths: { dataDir: string; logFile: string }): StartupFaultReport {
  const code: StartupFaultCode = cause instanceof DatabaseError || cause instanceof StartupFault ? cause.code : 'START_FAILED';
  const { title, fr } = STARTUP_FAULT_TEXTS[code];
  const where =
    code === 'DISK_FULL' || code === 'DATA_READ_ONLY'
      ? `Dossier de données : ${paths.dataDir}`
      : code === 'START_FAILED'
        ? `Journal : ${paths.logFile}`
        : `Fichier de données : ${kioskDbFile(paths.dataDir)}`;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return { code, title, text: fr, where, detail };
}

export interface ReportStartupFaultOptions {
  /** The kiosk's file logger, when it was created before the failure (it is flushed before returning). */
  logger: Logger | null;
  stderr: { write(chunk: string): unknown };
  /** The original error: its stack goes to the log file for an unexpected failure only. */
  cause?: unknown;
}

/**
 * Writes the report to standard error (the text, where, then a JSON log line with the code: the log file may sit on
 * the very disk that is full or read-only) and to the file logger when there is one. No stack trace on standard error.
 */
export async function reportStartupFault(report: StartupFaultReport, { logger, stderr, cause }: ReportStartupFaultOptions): Promise<void> {
  stderr.write(`${report.text}\n${report.where}\n`);
  const line = { code: report.code, detail: report.detail };
  pino({ base: { app: 'relais', scope: 'startup' } }, { write: (chunk: string) => void stderr.write(chunk) }).fatal(line, 'the kiosk cannot start');
  if (!logger) return;
  const withStack = report.code === 'START_FAILED' && cause instanceof Error ? { err: cause } : {};
  logger.child({ scope: 'startup' }).fatal({ ...line, ...withStack }, 'the kiosk cannot start');
  await drainLogger(logger);
}
