// One real PostgreSQL for a Vitest file (started before its tests, stopped after them), the shared stores opened on a
// database of it, and what each test opened, closed after it, last opened first. Also SQL run on a SQLite file, for
// the contract tests that read both stores' tables directly.
import pg from 'pg';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { openPostgresStores, type PostgresStores } from '../../server/sharedStore/postgres.js';
import type { HubDb } from '../../server/store.js';
import { startPostgres, type RunningPostgres } from './postgres.js';

export type Rows = Array<Record<string, unknown>>;

/** The shared stores on a database, and SQL run on that database directly (a client of its own). */
export interface OpenedStores {
  url: string;
  stores: PostgresStores;
  sql(text: string): Promise<Rows>;
}

/** Runs SQL on a SQLite database: the rows of a query, nothing for a statement. */
export function sqliteSql(db: HubDb): (text: string) => Promise<Rows> {
  return async (text) => {
    const statement = db.prepare(text);
    if (statement.reader) return statement.all() as Rows;
    statement.run();
    return [];
  };
}

export interface PostgresForFile {
  /** The file's server (after its beforeAll). */
  server(): RunningPostgres;
  /** Runs `close` after the current test. */
  onCleanup(close: () => Promise<void>): void;
  /** The stores on `url` (another node of the same hub), or on a new database; closed after the test. */
  openStores(url?: string): Promise<OpenedStores>;
}

export function postgresForFile(): PostgresForFile {
  let server: RunningPostgres | null = null;
  const cleanups: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const running = (): RunningPostgres => {
    if (!server) throw new Error('PostgreSQL is not started yet (use it inside a test)');
    return server;
  };
  return {
    server: running,
    onCleanup: (close) => void cleanups.push(close),
    async openStores(url) {
      const database = url ?? (await running().newDatabase());
      const stores = await openPostgresStores(database, { poolSize: 4 });
      const raw = new pg.Client({ connectionString: database });
      await raw.connect();
      cleanups.push(async () => {
        await raw.end();
        await stores.close();
      });
      return { url: database, stores, sql: async (text) => (await raw.query(text)).rows as Rows };
    },
  };
}
