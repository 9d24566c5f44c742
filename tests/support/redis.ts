// A real Redis (Debian's redis-server) on 127.0.0.1 for the hub's cluster tests: no persistence, its PID kept,
// stopped by PID, and restarted on the same port (nodes must recover from a Redis restart).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort, requireProgram, startChild, stopChild, type StartedChild } from './childServer.js';

export interface RunningRedis {
  /** redis://127.0.0.1:port */
  url: string;
  port: number;
  /** The current server's PID (a new one after `restart()`). */
  readonly pid: number;
  stop(): Promise<void>;
  /** Stops it and starts a fresh, empty one on the same port. */
  restart(): Promise<void>;
}

export async function startRedis(opts: { port?: number } = {}): Promise<RunningRedis> {
  const program = requireProgram('redis-server', 'redis-server');
  const port = opts.port ?? (await freeLoopbackPort());
  const dir = mkdtempSync(join(tmpdir(), 'relais-redis-'));
  const launch = (): Promise<StartedChild> => {
    mkdirSync(dir, { recursive: true });
    return startChild(
      program,
      // As in production (deploy/compose.yaml): run-time state only (no RDB snapshot, no append-only file), and its
      // background tasks once a second instead of ten times (`hz 1`: keys still expire when read).
      ['--hz', '1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes', '--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--daemonize', 'no'],
      // Redis logs this line once it listens and has loaded (nothing, here) — after it, PING answers.
      { ready: (output) => output.includes('Ready to accept connections') },
    );
  };
  let current: StartedChild | null = await launch().catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      if (!current) throw new Error('Redis is stopped');
      return current.pid;
    },
    async stop() {
      if (current) await stopChild(current.child);
      current = null;
      rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      if (current) await stopChild(current.child);
      current = null;
      current = await launch();
    },
  };
}
