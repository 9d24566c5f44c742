// What the tests' real servers (Redis, HAProxy) share: a free loopback port, a program found or refused with the apt
// command, a child started and awaited until it says it is ready, and stopped by its PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/**
 * A port nothing listens on right now; the caller binds it soon after. It is drawn below the kernel's range of
 * ephemeral ports (`ip_local_port_range`, 32768 and up by default): a port drawn from that range (`listen(0)`) may be
 * taken meanwhile as the source port of any outgoing connection of the tests running beside, and a server then fails
 * with EADDRINUSE (seen in the compose test, which draws its ports seconds before its servers bind them). Drawn at
 * random, so that two files running at once seldom draw the same; the kernel's choice if no port below is free.
 */
export async function freeLoopbackPort(): Promise<number> {
  const below = ephemeralLow();
  for (let i = 0; below > LOWEST_DRAWN + 1_000 && i < 20; i++) {
    const port = LOWEST_DRAWN + Math.floor(Math.random() * (below - LOWEST_DRAWN));
    if ((await listenOn(port)) === port) return port;
  }
  const port = await listenOn(0);
  if (port === null) throw new Error('aucun port libre sur 127.0.0.1');
  return port;
}

/** Ports drawn by freeLoopbackPort start here: above the well-known and the usual services' ports (5432, 6379, 8080). */
const LOWEST_DRAWN = 20_000;

function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 0 ? low : 0;
  } catch {
    return 0;
  }
}

/** Binds `port` on 127.0.0.1 (0: the kernel's choice) and frees it: the port, or null if it was taken. */
async function listenOn(port: number): Promise<number | null> {
  const server = createServer();
  const bound = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (!bound) return null;
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : null;
}

/** The program's path on PATH, or an Error giving the Debian package and the exact command (build/system-packages.txt). */
export function requireProgram(program: string, debianPackage: string, searchPath = process.env.PATH ?? ''): string {
  for (const dir of searchPath.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(
    `${program} not found: install the Debian package ${debianPackage} (as root) with\n` +
      `  apt-get install -y -o DPkg::Lock::Timeout=300 --no-install-recommends ${debianPackage}\n` +
      `(npm test installs it: build/system-packages.txt, group test).`,
  );
}

/** Kills the children still running when the test process ends, so a failed test leaves no server behind. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
});

export interface StartedChild {
  child: ChildProcess;
  pid: number;
  /** Everything it wrote so far (stdout and stderr), for error messages. */
  output(): string;
}

/**
 * Spawns `program` and resolves once `ready` is true: tested on each output chunk (its log) and, when `probe` is
 * given, by calling it until it resolves true. Rejects with the child's last output if it exits or `timeoutMs` passes.
 */
export async function startChild(
  program: string,
  args: string[],
  {
    ready,
    probe,
    timeoutMs = 10_000,
    cwd,
    uid,
    gid,
    env,
  }: { ready?: (output: string) => boolean; probe?: () => Promise<boolean>; timeoutMs?: number; cwd?: string; uid?: number; gid?: number; env?: NodeJS.ProcessEnv },
): Promise<StartedChild> {
  // uid/gid: a server that refuses root (PostgreSQL) runs as its own user.
  const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(cwd ? { cwd } : {}), ...(uid !== undefined ? { uid } : {}), ...(gid !== undefined ? { gid } : {}), ...(env ? { env } : {}) });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const name = program.split('/').pop();
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      if (error) {
        if (child.exitCode === null && child.pid !== undefined) child.kill('SIGKILL');
        reject(error);
      } else resolve();
    };
    const timer = setTimeout(() => settle(new Error(`${name} not ready after ${timeoutMs} ms: ${output.slice(-800)}`)), timeoutMs);
    const onData = (): void => {
      if (ready?.(output)) settle();
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
      settle(new Error(`${name} exited while starting (${code ?? signal}): ${output.slice(-800)}`));
    const onError = (error: Error): void => settle(error);
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
    if (probe) {
      void (async () => {
        // The child's own start-up is the wait: each failed probe is a refused connection, a few milliseconds.
        while (!settled) {
          if (await probe().catch(() => false)) return settle();
          await new Promise((r) => setTimeout(r, 25));
        }
      })();
    }
  });
  if (child.pid === undefined) throw new Error(`${name} has no PID`);
  return { child, pid: child.pid, output: () => output };
}

/** SIGTERM to its PID, then waits for it to exit (SIGKILL after `graceMs`). */
export async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

/** True when something accepts a TCP connection on 127.0.0.1:port. */
export function acceptsConnections(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
