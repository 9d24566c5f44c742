// A real PostgreSQL (Debian's postgresql 15) for the shared store's and the cluster's tests: a fresh cluster in a temp
// directory, on a free 127.0.0.1 port, run as the `postgres` user when the tests run as root (PostgreSQL refuses root),
// stopped by its PID.
import { spawnSync } from 'node:child_process';
import { accessSync, chownSync, constants, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { freeLoopbackPort, startChild, type StartedChild } from './childServer.js';

export interface RunningPostgres {
  /** postgres://relais@127.0.0.1:port/relais_1, an empty database */
  url: string;
  port: number;
  pid: number;
  /** A new, empty database on the same server: its URL. */
  newDatabase(): Promise<string>;
  /** Stops the server (fast shutdown: sessions ended), keeping its data: PostgreSQL down, as for a restart. */
  down(): Promise<void>;
  /** Starts it again on the same port and data, once it answers a query (`pid` is then the new one's). */
  up(): Promise<void>;
  stop(): Promise<void>;
}

const INSTALL = 'sudo apt-get install -y postgresql';

/** initdb and postgres: on PATH first, then in Debian's versioned directories (15 first). */
function findBinaries(): { initdb: string; postgres: string } {
  const debian = '/usr/lib/postgresql';
  let versions: string[] = [];
  try {
    versions = readdirSync(debian).sort((a, b) => (a === '15' ? -1 : b === '15' ? 1 : Number(b) - Number(a)));
  } catch {
    // no Debian package
  }
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...versions.map((v) => join(debian, v, 'bin'))];
  const find = (program: string): string | undefined =>
    dirs
      .map((d) => join(d, program))
      .find((candidate) => {
        try {
          accessSync(candidate, constants.X_OK);
          return true;
        } catch {
          return false;
        }
      });
  const initdb = find('initdb');
  const postgres = find('postgres');
  if (!initdb || !postgres) {
    throw new Error(`PostgreSQL introuvable (initdb, postgres) : installez-le avec\n  ${INSTALL}\n(cherché dans PATH et ${debian}/*/bin).`);
  }
  return { initdb, postgres };
}

/** As root, the `postgres` system user's ids (from the Debian package); otherwise the current user runs the server. */
function serverUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error(`PostgreSQL refuse de tourner en root et l'utilisateur système postgres n'existe pas : installez le paquet avec\n  ${INSTALL}`);
  }
  return { uid: Number(uid), gid: Number(gid) };
}

export async function startPostgres(): Promise<RunningPostgres> {
  const bin = findBinaries();
  const user = serverUser();
  const root = mkdtempSync(join(tmpdir(), 'relais-pg-'));
  const dataDir = join(root, 'data');
  const socketDir = join(root, 'sock');
  mkdirSync(dataDir, { mode: 0o700 });
  mkdirSync(socketDir);
  if (user) for (const d of [root, dataDir, socketDir]) chownSync(d, user.uid, user.gid);
  const asServer = user ? { uid: user.uid, gid: user.gid } : {};
  try {
    const init = spawnSync(bin.initdb, ['-D', dataDir, '-A', 'trust', '-U', 'relais', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'], {
      ...asServer,
      encoding: 'utf8',
    });
    if (init.status !== 0) throw new Error(`initdb a échoué (${init.status ?? init.signal}) : ${init.error?.message ?? ''}${init.stderr}`);
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }

  const port = await freeLoopbackPort();
  const admin = `postgres://relais@127.0.0.1:${port}/postgres`;
  // Throwaway data: no fsync, small buffers (several servers may run at once on a 2-core machine); 200 connections
  // for the pools of three hub nodes and a test's own.
  const launch = (): Promise<StartedChild> =>
    startChild(
      bin.postgres,
      ['-D', dataDir, '-k', socketDir, '-h', '127.0.0.1', '-p', String(port), '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'shared_buffers=16MB', '-c', 'max_connections=200'],
      // Ready when a query is answered: polled, each failed try a refused connection of a few milliseconds.
      { probe: () => answers(admin), timeoutMs: 30_000, ...asServer },
    );
  let server: StartedChild;
  try {
    server = await launch();
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  let exited = exitOf(server);
  // SIGINT is PostgreSQL's fast shutdown: it ends the sessions and exits without waiting for clients (SIGTERM waits).
  const shutDown = async (): Promise<void> => {
    const { child } = server;
    if (child.exitCode === null && child.signalCode === null) process.kill(server.pid, 'SIGINT');
    await exited;
  };
  let databases = 0;
  const newDatabase = async (): Promise<string> => {
    const name = `relais_${++databases}`;
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
    return `postgres://relais@127.0.0.1:${port}/${name}`;
  };
  const running: RunningPostgres = {
    url: await newDatabase(),
    port,
    pid: server.pid,
    newDatabase,
    down: shutDown,
    async up() {
      server = await launch();
      exited = exitOf(server);
      running.pid = server.pid;
    },
    async stop() {
      await shutDown();
      rmSync(root, { recursive: true, force: true });
    },
  };
  return running;
}

function exitOf({ child }: StartedChild): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}
