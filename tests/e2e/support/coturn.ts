// Debian's coturn on 127.0.0.1 for relay-only calls (FIELD-NOTES.md flags), started and stopped by PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IceServer } from '../../../shared/protocol.js';

export interface RunningTurn {
  port: number;
  iceServers: IceServer[];
  process: ChildProcess;
  stop(): Promise<void>;
}

async function freePort(ip: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, ip, r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((r) => server.close(r));
  return port;
}

/** `ip`: 127.0.0.1, or a bench's own link address (tests/bench/rural/link.ts). */
export async function startCoturn(ip = '127.0.0.1'): Promise<RunningTurn> {
  const dir = mkdtempSync(join(tmpdir(), 'relais-turn-'));
  const port = await freePort(ip);
  const user = 'relais';
  const password = 'tour-de-relais';
  const child = spawn(
    'turnserver',
    [
      '-n',
      `--listening-ip=${ip}`,
      `--relay-ip=${ip}`,
      `--listening-port=${port}`,
      '--min-port=49152',
      '--max-port=49652',
      '--lt-cred-mech',
      `--user=${user}:${password}`,
      '--realm=relais',
      '--no-tls',
      '--no-dtls',
      '--no-cli',
      '--allow-loopback-peers',
      `--pidfile=${join(dir, 'turn.pid')}`,
      `--userdb=${join(dir, 'turn.db')}`,
      '--log-file=stdout',
      '--simple-log',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`coturn did not start: ${output.slice(-500)}`)), 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Total General servers|relay 127\.0\.0\.1|IPv4\. UDP listener opened/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`coturn exited (${code}): ${output.slice(-500)}`));
    });
  });
  return {
    port,
    iceServers: [{ urls: `turn:${ip}:${port}?transport=udp`, username: user, credential: password }],
    process: child,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
