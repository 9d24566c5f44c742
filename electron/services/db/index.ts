// Opens the kiosk's SQLite file: WAL, numbered migrations in one transaction each, refusal of a newer or corrupt file,
// and a refusal that names the real cause when the disk is full or the folder read-only (not "damaged").
import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { latestVersion as latestOf, migrate as runMigrations, type Migration } from '../../../shared/node/migrations.js';
import { MIGRATIONS } from './migrations/index.js';

export type Db = Database.Database;
export type { Migration } from '../../../shared/node/migrations.js';

export type DatabaseErrorCode = 'DB_FROM_NEWER_VERSION' | 'DB_CORRUPT' | 'DB_UNREADABLE' | 'DISK_FULL' | 'DATA_READ_ONLY';

/**
 * What the mediator reads when the kiosk refuses its data at start (the shells show `fr` on screen and on standard
 * error; `message` of the DatabaseError carries the details for the log). Each says what to do.
 */
export const DATABASE_ERROR_TEXTS: Record<DatabaseErrorCode, { fr: string; en: string }> = {
  DB_FROM_NEWER_VERSION: {
    fr: 'Relais ne peut pas démarrer : les données de cette borne viennent d’une version plus récente de Relais. Mettez Relais à jour. Rien n’a été modifié.',
    en: 'Relais cannot start: this booth’s data comes from a newer version of Relais. Update Relais. Nothing was changed.',
  },
  DB_CORRUPT: {
    fr: 'Relais ne peut pas démarrer : le fichier de données de la borne est endommagé. Il n’a pas été modifié. Ne le supprimez pas : faites-en une copie (sur une clé USB, par exemple) et contactez le support.',
    en: 'Relais cannot start: the booth’s data file is damaged. It was not changed. Do not delete it: copy it (to a USB stick, for example) and contact support.',
  },
  DB_UNREADABLE: {
    fr: 'Relais ne peut pas démarrer : impossible d’ouvrir le fichier de données de la borne. Vérifiez le disque et les droits d’accès, puis redémarrez. Rien n’a été modifié.',
    en: 'Relais cannot start: the booth’s data file cannot be opened. Check the disk and access rights, then restart. Nothing was changed.',
  },
  DISK_FULL: {
    fr: 'Relais ne peut pas démarrer : le disque de la borne est plein. Libérez de la place (corbeille, téléchargements, anciens fichiers), puis redémarrez Relais. Les données de la borne n’ont pas été modifiées.',
    en: 'Relais cannot start: the booth’s disk is full. Free some space (trash, downloads, old files), then restart Relais. The booth’s data was not changed.',
  },
  DATA_READ_ONLY: {
    fr: 'Relais ne peut pas démarrer : le dossier de données de la borne est en lecture seule, rien ne peut y être enregistré. Redémarrez l’ordinateur ; si ce message revient, le disque est peut-être défaillant : contactez le support. Les données de la borne n’ont pas été modifiées.',
    en: 'Relais cannot start: the booth’s data folder is read-only, nothing can be saved in it. Restart the computer; if this message comes back, the disk may be failing: contact support. The booth’s data was not changed.',
  },
};

/** Free bytes under which a folder counts as full (SQLite needs room for its WAL and shared-memory files). */
export const DISK_FULL_BELOW_BYTES = 256 * 1024;

/**
 * DISK_FULL or DATA_READ_ONLY when the folder itself explains a failure (errno of a write, free space, write access),
 * else null. Reads only: nothing is written to decide.
 */
export function folderFault(dir: string, cause?: unknown): 'DISK_FULL' | 'DATA_READ_ONLY' | null {
  const errno = String((cause as { code?: unknown } | undefined)?.code ?? '');
  if (errno === 'ENOSPC' || errno === 'EDQUOT' || errno === 'SQLITE_FULL') return 'DISK_FULL';
  if (errno === 'EROFS' || errno.startsWith('SQLITE_READONLY')) return 'DATA_READ_ONLY';
  try {
    accessSync(dir, constants.W_OK);
  } catch (denied) {
    const code = (denied as NodeJS.ErrnoException).code;
    if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return 'DATA_READ_ONLY';
  }
  try {
    const fs = statfsSync(dir);
    if (fs.bavail * fs.bsize < DISK_FULL_BELOW_BYTES) return 'DISK_FULL';
  } catch {
    // No statfs here: nothing more to tell.
  }
  return null;
}

const FOLDER_FAULT_DETAIL = {
  DISK_FULL: 'le disque est plein',
  DATA_READ_ONLY: 'le dossier est en lecture seule',
} as const;

export class DatabaseError extends Error {
  constructor(
    readonly code: DatabaseErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DatabaseError';
  }
}

export const latestVersion = (migrations: readonly Migration[] = MIGRATIONS): number => latestOf(migrations);

const newerVersionError = (found: number, latest: number): DatabaseError =>
  new DatabaseError(
    'DB_FROM_NEWER_VERSION',
    `Cette base de données vient d'une version plus récente de Relais (schéma ${found}, cette version connaît ${latest}). Mettez Relais à jour ; le fichier n'a pas été modifié.`,
  );

/** Runs the migrations above the file's `user_version` (shared/node/migrations.ts); a newer file is refused. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  return runMigrations(db, migrations, newerVersionError);
}

export interface OpenOptions {
  /** Path of the native binding, when the runtime (Electron vs Node) needs another build than the default. */
  nativeBinding?: string;
  migrations?: readonly Migration[];
  readonly?: boolean;
}

/**
 * Opens (creating if absent) and migrates a database. `:memory:` is accepted for tests.
 * An existing file is checked before anything is written to it: a corrupt file or one from a newer
 * version is refused with a DatabaseError and left byte-for-byte as it was.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const inMemory = file === ':memory:' || file === '';
  const isNew = inMemory || !existsSync(file);
  let db: Db;
  try {
    db = new Database(file, {
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      ...(options.readonly ? { readonly: true, fileMustExist: true } : {}),
    });
  } catch (cause) {
    const fault = inMemory ? null : folderFault(dirname(file), cause);
    if (fault) throw new DatabaseError(fault, `La base de données ${file} ne peut pas être ouverte : ${FOLDER_FAULT_DETAIL[fault]} (${(cause as Error).message}).`);
    throw new DatabaseError('DB_UNREADABLE', `Impossible d'ouvrir la base de données ${file} : ${(cause as Error).message}`);
  }
  try {
    if (!isNew) {
      // Reading the header and every page fails on garbage ("file is not a database") before any write.
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw Object.assign(new Error(String(check)), { code: 'SQLITE_CORRUPT' });
      const found = db.pragma('user_version', { simple: true }) as number;
      const latest = latestVersion(options.migrations);
      if (found > latest) throw newerVersionError(found, latest);
    }
    if (!inMemory && !options.readonly) db.pragma('journal_mode = WAL');
    // FULL: a visit acknowledged to the mediator survives a power cut (WAL fsync on every commit).
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) migrate(db, options.migrations);
    return db;
  } catch (cause) {
    db.close();
    if (cause instanceof DatabaseError) throw cause;
    // A full disk or a read-only folder makes SQLite fail too (SQLITE_FULL, SQLITE_READONLY, SQLITE_IOERR, CANTOPEN):
    // that is not damage, and telling the mediator to send the file to support would be wrong.
    const sqliteCode = String((cause as { code?: unknown }).code ?? '');
    const damaged = sqliteCode.startsWith('SQLITE_CORRUPT') || sqliteCode === 'SQLITE_NOTADB';
    const fault = inMemory || damaged ? null : folderFault(dirname(file), cause);
    if (fault) {
      throw new DatabaseError(fault, `La base de données ${file} ne peut pas être ouverte : ${FOLDER_FAULT_DETAIL[fault]} (${(cause as Error).message}). Elle n'a pas été modifiée.`);
    }
    throw new DatabaseError(
      'DB_CORRUPT',
      `La base de données ${file} est illisible ou endommagée (${(cause as Error).message}). Elle n'a pas été modifiée : faites-en une copie et contactez le support.`,
    );
  }
}
