// Issue 13, item 8, for real: the web shell opens Debian's Chromium on an Xvfb display. Every /proc/<pid>/cmdline on
// the machine is searched for the long-lived token (none may hold it), the code Chromium was given is spent once
// Chromium used it, and its profile is a fresh temporary folder deleted when the shell stops. Skipped, saying why,
// where Chromium or Xvfb is missing.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_COOKIE } from '../../electron/webshell/server.js';
import { send } from './support/http.js';
import { allCmdlines, waitFor } from './support/processes.js';
import { startCli, type RunningCli } from './support/webshell.js';


describe('web shell opening Debian’s Chromium for real (issue 13, item 8)', { timeout: 90_000 }, () => {
  const chromium = '/usr/bin/chromium';
  const missing = !existsSync(chromium) ? `${chromium} is not installed` : !existsSync('/usr/bin/Xvfb') ? 'Xvfb is not installed' : process.platform !== 'linux' ? 'not Linux' : null;
  let xvfb: ChildProcess | null = null;
  let display = '';
  let cli: RunningCli | null = null;
  let dataDir = '';

  beforeAll(async () => {
    if (missing) {
      console.warn(`real Chromium run SKIPPED: ${missing}`);
      return;
    }
    // -displayfd: Xvfb picks a free display itself and writes its number on fd 3.
    xvfb = spawn('/usr/bin/Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
    display = await new Promise<string>((resolveDisplay, reject) => {
      let out = '';
      xvfb!.stdio[3]!.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) resolveDisplay(`:${out.trim()}`);
      });
      xvfb!.once('exit', (code) => reject(new Error(`Xvfb exited (${code})`)));
    });
    dataDir = mkdtempSync(join(tmpdir(), 'relais-real-chromium-'));
  });

  let origin = '';
  afterAll(async () => {
    await cli?.stop();
    // Whatever this test's web shell started and left behind (a browser that outlived it), ended by PID.
    if (origin) for (const [pid, line] of allCmdlines()) if (line.includes(`--app=${origin}/`)) process.kill(pid, 'SIGKILL');
    if (xvfb?.pid && xvfb.exitCode === null) {
      const exited = new Promise((r) => xvfb!.once('exit', r));
      xvfb.kill('SIGTERM');
      await exited;
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('never puts the token in a command line, hands Chromium a code that is spent, and deletes its profile on stop', async (ctx) => {
    if (missing) return ctx.skip(missing);
    cli = await startCli(['--data-dir', dataDir], {
      DISPLAY: display,
      DBUS_SYSTEM_BUS_ADDRESS: 'unix:path=/nonexistent',
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent',
    });
    const running = cli;
    origin = running.origin;
    // The launch URL printed on stdout is another code than Chromium's: exchanging it tells the test the token.
    const exchanged = await send(running.port, `${new URL(running.firstLaunchUrl).pathname}${new URL(running.firstLaunchUrl).search}`);
    const token = new RegExp(`^${TOKEN_COOKIE}=([^;]+)`).exec(String(exchanged.headers['set-cookie']))?.[1];
    expect(token, 'the launch URL gives the cookie').toBeTruthy();

    const [pid, argv] = await waitFor('Chromium started by the web shell', () => {
      for (const [p, line] of allCmdlines()) if (line.includes(`--app=${running.origin}/`) && !line.includes('--type=')) return [p, line] as const;
      return null;
    }, 40_000);
    const profile = /--user-data-dir=(\S+)/.exec(argv)?.[1] ?? '';
    console.info(`real Chromium: pid ${pid}, profile ${profile}`);
    expect(resolve(profile).startsWith(resolve(tmpdir()) + '/')).toBe(true);
    expect(resolve(profile).startsWith(resolve(dataDir))).toBe(false);

    const holders = [...allCmdlines()].filter(([, line]) => line.includes(token!)).map(([p, line]) => `${p}: ${line.slice(0, 120)}`);
    expect(holders, 'processes whose command line holds the token').toEqual([]);

    // Once Chromium has exchanged its code (the shell logs it), a local process that read it from /proc gets a refusal.
    const logFile = join(dataDir, 'logs', 'relais.log');
    await waitFor('Chromium’s code exchange', () => existsSync(logFile) && readFileSync(logFile, 'utf8').split('\n').filter((l) => l.includes('"code":"WEBSHELL_LAUNCHED"')).length >= 2, 40_000);
    const stolen = /--app=(\S+)/.exec(argv)![1]!;
    const replay = await send(running.port, `${new URL(stolen).pathname}${new URL(stolen).search}`);
    expect(replay.status).toBe(403);
    expect(replay.headers['set-cookie']).toBeUndefined();

    await running.stop();
    cli = null;
    await waitFor('the profile to be deleted', () => !existsSync(profile), 10_000);
    await waitFor('Chromium to end', () => ![...allCmdlines().values()].some((line) => line.includes(profile)), 10_000);
  });
});
