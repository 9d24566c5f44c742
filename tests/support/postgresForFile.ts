// One real PostgreSQL for a Vitest file (started before its tests, stopped after them), and what each test opened,
// closed after it, last opened first.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startPostgres, type RunningPostgres } from './postgres.js';

export interface PostgresForFile {
  /** The file's server (after its beforeAll). */
  server(): RunningPostgres;
  /** Runs `close` after the current test. */
  onCleanup(close: () => Promise<void>): void;
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
  return {
    server() {
      if (!server) throw new Error('PostgreSQL is not started yet (use it inside a test)');
      return server;
    },
    onCleanup: (close) => void cleanups.push(close),
  };
}
