// Runs the real web shell for the attack suite: `electron/webshell/cli.ts` as a child process stopped by PID, or its
// server in this process over an in-memory kiosk.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createKiosk } from '../../../electron/services/kiosk.js';
import { silentLogger } from '../../../electron/services/logger.js';
import { startWebShell, type WebShell } from '../../../electron/webshell/server.js';
import { capturingLogger, type LogLine } from './http.js';

export const REPO = resolve(import.meta.dirname, '../../..');
export const CLI = join(REPO, 'electron/webshell/cli.ts');

let standIn: string | null = null;

/** The built renderer when there is one; else a one-page stand-in (vitest runs before `vite build` in `npm test`). */
export function staticDirArgs(): string[] {
  if (existsSync(join(REPO, 'dist/renderer/index.html'))) return [];
  if (!standIn) {
    const dir = mkdtempSync(join(tmpdir(), 'relais-static-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Relais</title>');
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    standIn = dir;
  }
  return ['--static-dir', standIn];
}

/** No embedded demo hub: a configured (unreachable) one, so a start-up does not open a second server. */
export const NO_HUB_ENV = { RELAIS_HUB_URL: 'wss://hub.invalid', RELAIS_HUB_TOKEN: 'booth-token' };

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the web shell until it exits by itself (a start-up that must fail); kills it after `timeoutMs`. */
export function runCliToExit(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<Finished> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0', '--no-open', ...staticDirArgs(), ...args], {
      cwd: REPO,
      env: { ...process.env, ...NO_HUB_ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolveRun({ code, signal, stdout, stderr });
    });
  });
}

export interface RunningCli {
  process: ChildProcess;
  port: number;
  origin: string;
  /** The launch URL printed at start. */
  firstLaunchUrl: string;
  stdout(): string;
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts the web shell and resolves once it printed its launch URL. */
export async function startCli(args: string[], env: Record<string, string> = {}): Promise<RunningCli> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0', ...staticDirArgs(), ...args], {
    cwd: REPO,
    env: { ...process.env, ...NO_HUB_ENV, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const firstLaunchUrl = await new Promise<string>((resolveUrl, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('RELAIS_URL=')) resolveUrl(line.slice('RELAIS_URL='.length));
    });
    child.once('exit', (code) => reject(new Error(`web shell exited (${code}) before starting: ${stderr}`)));
  });
  const origin = new URL(firstLaunchUrl).origin;
  return {
    process: child,
    port: Number(new URL(firstLaunchUrl).port),
    origin,
    firstLaunchUrl,
    stdout: () => stdout,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** The web shell in this process, over an in-memory kiosk, with its log lines captured (and an injectable clock). */
export interface InProcessShell {
  shell: WebShell;
  lines: LogLine[];
  close(): Promise<void>;
}

export async function startInProcessShell(options: { clock?: () => number } = {}): Promise<InProcessShell> {
  const staticDir = mkdtempSync(join(tmpdir(), 'relais-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Relais</title>');
  const kiosk = createKiosk({ dbFile: ':memory:', logger: silentLogger() });
  const captured = capturingLogger();
  const shell = await startWebShell({
    dispatchDeps: { handlers: kiosk.handlers, requireMediator: () => kiosk.requireMediator(), logger: silentLogger() },
    subscribe: (listener) => kiosk.onEvent(listener),
    staticDir,
    logger: captured.logger,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return {
    shell,
    lines: captured.lines,
    async close() {
      await shell.close();
      kiosk.close();
      rmSync(staticDir, { recursive: true, force: true });
    },
  };
}
