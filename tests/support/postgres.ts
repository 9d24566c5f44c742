// A real PostgreSQL (Debian's postgresql 15) on 127.0.0.1 for the shared store's and the cluster's tests: a fresh
// cluster in a temporary directory (initdb), no fsync, its PID kept and stopped by PID. PostgreSQL refuses to run as
// root: as root, it runs as the `postgres` user that Debian's package creates.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { freeLoopbackPort, requireProgram, startChild, stopChild } from './childServer.js';

export interface RunningPostgres {
  /** postgres://relais@127.0.0.1:port/relais */
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

const PG_DIRS = ['/usr/lib/postgresql/15/bin', '/usr/local/bin'];

function asPostgres(): { uid: number; gid: number } | null {
  if (userInfo().uid !== 0) return null;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    return { uid, gid };
  } catch {
    throw new Error('PostgreSQL refuses root and the user postgres is missing: apt-get install -y postgresql');
  }
}

export async function startPostgres(): Promise<RunningPostgres> {
  const searchPath = [...PG_DIRS, ...(process.env.PATH ?? '').split(delimiter)].join(delimiter);
  const initdb = requireProgram('initdb', 'postgresql', searchPath);
  const postgres = requireProgram('postgres', 'postgresql', searchPath);
  const user = asPostgres();
  const dir = mkdtempSync(join(tmpdir(), 'relais-pg-'));
  chmodSync(dir, 0o700);
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const runAs = user ? { uid: user.uid, gid: user.gid } : {};
  execFileSync(initdb, ['-D', data, '-A', 'trust', '-U', 'relais', '--no-sync', '-E', 'UTF8', '--locale', 'C.UTF-8'], { ...runAs, stdio: 'pipe' });
  const port = await freeLoopbackPort();
  const started = await startChild(
    postgres,
    ['-D', data, '-k', dir, '-h', '127.0.0.1', '-p', String(port), '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'shared_buffers=16MB', '-c', 'max_connections=200'],
    {
      probe: async () => {
        const client = new pg.Client({ host: '127.0.0.1', port, user: 'relais', database: 'postgres' });
        try {
          await client.connect();
          await client.query('SELECT 1');
          return true;
        } finally {
          await client.end().catch(() => undefined);
        }
      },
      timeoutMs: 30_000,
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    },
  );
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'relais', database: 'postgres' });
  await admin.connect();
  await admin.query('CREATE DATABASE relais');
  await admin.end();
  return {
    url: `postgres://relais@127.0.0.1:${port}/relais`,
    port,
    pid: started.pid,
    async stop() {
      await stopChild(started.child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
