// Starts the real web shell (`electron/webshell/cli.ts`) on 127.0.0.1 with a fresh data directory, and stops it by PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const REPO = resolve(import.meta.dirname, '../../..');

export interface RunningKiosk {
  launchUrl: string;
  origin: string;
  dataDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startKiosk(options: { clockStart?: string; dataDir?: string; env?: Record<string, string>; args?: string[] } = {}): Promise<RunningKiosk> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'relais-e2e-'));
  const args = ['--import', 'tsx', join(REPO, 'electron/webshell/cli.ts'), '--port', '0', '--data-dir', dataDir, '--no-open'];
  if (options.clockStart) args.push('--clock-start', options.clockStart);
  args.push(...(options.args ?? []));
  const child = spawn(process.execPath, args, { cwd: REPO, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const launchUrl = await new Promise<string>((resolveUrl, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('RELAIS_URL=')) resolveUrl(line.slice('RELAIS_URL='.length));
    });
    child.once('exit', (code) => reject(new Error(`web shell exited (${code}) before starting: ${stderr}`)));
  });
  const origin = new URL(launchUrl).origin;
  return {
    launchUrl,
    origin,
    dataDir,
    process: child,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
