// Starts the real web shell (`electron/webshell/cli.ts`) on 127.0.0.1 with a fresh data directory, and stops it by PID.
// A launch URL carries a one-time code (good once, for a few seconds): `launchUrl()` asks the web shell for a fresh one
// over its standard input (--stdin-launch-codes), so every page a test opens, reload or restart included, gets its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const REPO = resolve(import.meta.dirname, '../../..');

export interface RunningKiosk {
  /** A fresh launch URL, minted by the web shell for one page: its code is spent by the first request. */
  launchUrl(): Promise<string>;
  origin: string;
  dataDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * `firstStart`: the kiosk shows its first-start assistant, as a new booth does; otherwise it starts in the plain
 * demonstration (RELAIS_DEMO=1) that the tests of every other feature expect.
 */
export async function startKiosk(options: { clockStart?: string; dataDir?: string; env?: Record<string, string>; args?: string[]; firstStart?: boolean } = {}): Promise<RunningKiosk> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'relais-e2e-'));
  const args = ['--import', 'tsx', join(REPO, 'electron/webshell/cli.ts'), '--port', '0', '--data-dir', dataDir, '--no-open', '--stdin-launch-codes'];
  if (options.clockStart) args.push('--clock-start', options.clockStart);
  args.push(...(options.args ?? []));
  const child = spawn(process.execPath, args, { cwd: REPO, env: { ...process.env, RELAIS_DEMO: options.firstStart ? '0' : '1', ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // A write after the shell exited (a test that killed it) must not end the test run.
  child.stdin!.on('error', () => undefined);
  // Every RELAIS_URL line answers the oldest request for one; the first is printed at start.
  const waiting: Array<{ resolve(url: string): void; reject(cause: Error): void }> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('RELAIS_URL=')) waiting.shift()?.resolve(line.slice('RELAIS_URL='.length));
  });
  child.once('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`web shell exited (${code}): ${stderr}`));
  });
  const nextUrl = () => new Promise<string>((resolveUrl, reject) => waiting.push({ resolve: resolveUrl, reject }));
  const first = await nextUrl();
  const origin = new URL(first).origin;
  return {
    launchUrl() {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.reject(new Error(`web shell has exited: ${stderr}`));
      const url = nextUrl();
      child.stdin!.write('\n');
      return url;
    },
    origin,
    dataDir,
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
