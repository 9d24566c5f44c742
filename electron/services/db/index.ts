// Opens the kiosk's SQLite file: WAL, numbered migrations in one transaction each, refusal of a newer or corrupt file.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { MIGRATIONS } from './migrations/index.js';

export type Db = Database.Database;

export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
}

export type DatabaseErrorCode = 'DB_FROM_NEWER_VERSION' | 'DB_CORRUPT' | 'DB_UNREADABLE';

/** Screen texts for a database the kiosk refuses at start (the shell shows them; `message` carries the details for the log). */
export const DATABASE_ERROR_TEXTS: Record<DatabaseErrorCode, { fr: string; en: string }> = {
  DB_FROM_NEWER_VERSION: {
    fr: 'Les données de cette borne viennent d’une version plus récente de Relais. Mettez Relais à jour. Rien n’a été modifié.',
    en: 'This booth’s data comes from a newer version of Relais. Update Relais. Nothing was changed.',
  },
  DB_CORRUPT: {
    fr: 'Le fichier de données de la borne est endommagé. Il n’a pas été modifié. Faites-en une copie et contactez le support.',
    en: 'The booth’s data file is damaged. It was not changed. Make a copy of it and contact support.',
  },
  DB_UNREADABLE: {
    fr: 'Impossible d’ouvrir le fichier de données de la borne. Vérifiez le disque et les droits d’accès, puis redémarrez.',
    en: 'The booth’s data file cannot be opened. Check the disk and access rights, then restart.',
  },
};

export class DatabaseError extends Error {
  constructor(
    readonly code: DatabaseErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DatabaseError';
  }
}

export const latestVersion = (migrations: readonly Migration[] = MIGRATIONS): number =>
  migrations.reduce((max, m) => Math.max(max, m.version), 0);

const newerVersionError = (found: number, latest: number): DatabaseError =>
  new DatabaseError(
    'DB_FROM_NEWER_VERSION',
    `Cette base de données vient d'une version plus récente de Relais (schéma ${found}, cette version connaît ${latest}). Mettez Relais à jour ; le fichier n'a pas été modifié.`,
  );

/** Runs the migrations above the file's `user_version`, each in its own transaction that also sets `user_version`. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  const latest = latestVersion(migrations);
  if (from > latest) throw newerVersionError(from, latest);
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= from) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return { from, to: Math.max(from, latest) };
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
    throw new DatabaseError('DB_UNREADABLE', `Impossible d'ouvrir la base de données ${file} : ${(cause as Error).message}`);
  }
  try {
    if (!isNew) {
      // Reading the header and every page fails on garbage ("file is not a database") before any write.
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(String(check));
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
    throw new DatabaseError(
      'DB_CORRUPT',
      `La base de données ${file} est illisible ou endommagée (${(cause as Error).message}). Elle n'a pas été modifiée : faites-en une copie et contactez le support.`,
    );
  }
}
