// Chromium for the web shell, on a throw-away profile: a fresh private temporary --user-data-dir per launch, deleted
// when the shell stops the browser or the browser exits. Nothing of a session (history holding the launch URL, the
// session cookie, caches) outlives it, and nothing lands in the data folder or in a persistent profile.
import { frenchLocaleEnv, withKioskLang } from '../services/chromiumLocale.js';
import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../services/logger.js';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export function findChromium(exists: (file: string) => boolean = existsSync): string | null {
  return CANDIDATES.find((candidate) => exists(candidate)) ?? null;
}

export interface ChromiumArgsOptions {
  /** A launch URL with a one-time code (never the cookie's token). */
  launchUrl: string;
  profileDir: string;
  kiosk: boolean;
  /** Chromium refuses to run as root with its sandbox. */
  asRoot: boolean;
}

export function chromiumArgs({ launchUrl, profileDir, kiosk, asRoot }: ChromiumArgsOptions): string[] {
  const args = [
    `--app=${launchUrl}`,
    `--user-data-dir=${profileDir}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-sync',
    '--disable-background-networking',
    '--password-store=basic',
  ];
  if (kiosk) args.push('--kiosk');
  if (asRoot) args.push('--no-sandbox');
  return args;
}

export interface LaunchChromiumOptions {
  executable: string;
  launchUrl: string;
  kiosk: boolean;
  logger: Logger;
  /** Where the profile folder is made (the system's temporary folder). */
  tmpRoot?: string;
  asRoot?: boolean;
  spawn?: (command: string, args: string[], options: SpawnOptions) => ChildProcess;
}

export interface RunningBrowser {
  pid: number | undefined;
  profileDir: string;
  args: string[];
  /** Settles when the browser has exited and its profile is deleted. */
  exited: Promise<void>;
  /** Ends the browser (its whole process group) and deletes its profile. */
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 5_000;

export function launchChromium(options: LaunchChromiumOptions): RunningBrowser {
  const log = options.logger;
  // mkdtemp makes the folder 0700: another local user cannot read the profile while the browser runs.
  const profileDir = mkdtempSync(join(options.tmpRoot ?? tmpdir(), 'relais-chromium-'));
  const args = chromiumArgs({ launchUrl: options.launchUrl, profileDir, kiosk: options.kiosk, asRoot: options.asRoot ?? process.getuid?.() === 0 });
  const removeProfile = (): void => {
    try {
      rmSync(profileDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch (cause) {
      log.warn({ code: 'BROWSER_PROFILE_NOT_REMOVED', profileDir, reason: (cause as Error).message }, 'temporary Chromium profile not removed');
    }
  };

  // Detached: the browser and its helpers form their own process group, which stop() ends as a whole.
  const child = (options.spawn ?? nodeSpawn)(options.executable, withKioskLang(args), { stdio: 'ignore', detached: true, env: frenchLocaleEnv(process.env) });
  child.unref();
  const signalGroup = (signal: NodeJS.Signals): void => {
    if (!child.pid) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };

  let running = true;
  const exited = new Promise<void>((resolveExit) => {
    const done = (): void => {
      if (!running) return;
      running = false;
      // Helpers of the group that outlived the main process would write into the profile while it is deleted.
      signalGroup('SIGKILL');
      removeProfile();
      resolveExit();
    };
    child.once('exit', done);
    child.once('error', (cause) => {
      log.warn({ code: 'BROWSER_NOT_STARTED', executable: options.executable, reason: cause.message }, 'Chromium could not be started');
      done();
    });
  });

  return {
    pid: child.pid,
    profileDir,
    args,
    exited,
    async stop() {
      if (running) {
        signalGroup('SIGTERM');
        const timer = setTimeout(() => signalGroup('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
      removeProfile();
    },
  };
}
