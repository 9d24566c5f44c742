// The one SQLite migration runner of the kiosk and the hub: numbered migrations, each in a transaction that also sets
// `user_version`, and a database from a newer version refused before anything is written.
import type Database from 'better-sqlite3';

export type SqliteDb = Database.Database;

export interface Migration {
  version: number;
  /** What the migration is about, as in its file name (`0003-evaluation.ts`: 'evaluation'). */
  name: string;
  up(db: SqliteDb): void;
}

export const latestVersion = (migrations: readonly Migration[]): number => migrations.reduce((max, m) => Math.max(max, m.version), 0);

/**
 * Runs the migrations above the file's `user_version`, each in its own transaction that also sets `user_version`.
 * A file whose `user_version` is above every migration's is refused with `newerVersion(found, latest)`, untouched.
 */
export function migrate(db: SqliteDb, migrations: readonly Migration[], newerVersion: (found: number, latest: number) => Error): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  const latest = latestVersion(migrations);
  if (from > latest) throw newerVersion(from, latest);
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= from) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return { from, to: Math.max(from, latest) };
}
