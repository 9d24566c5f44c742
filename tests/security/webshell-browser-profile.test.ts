// Issue 13, item 8: the Chromium the web shell opens runs on a throw-away profile (a fresh private temporary
// --user-data-dir, removed when the shell stops the browser or the browser exits). With a stand-in browser (a shell
// script: a real process whose /proc/<pid>/cmdline is read); webshell-chromium-real.test.ts does it with Chromium.
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/services/logger.js';
import { launchChromium } from '../../electron/webshell/browser.js';
import { cmdlineOf, isAlive, waitFor } from './support/processes.js';


describe('web shell browser: a throw-away profile (issue 13, item 8)', () => {
  const work = mkdtempSync(join(tmpdir(), 'relais-browser-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** A stand-in browser: writes a "History" into its profile (as Chromium would) and waits. */
  const standIn = join(work, 'fake-chromium.sh');
  writeFileSync(
    standIn,
    ['#!/bin/sh', 'for a in "$@"; do case "$a" in --user-data-dir=*) d="${a#--user-data-dir=}";; esac; done', 'echo "$@" > "$d/History"', 'sleep 600 &', 'wait', ''].join('\n'),
  );
  chmodSync(standIn, 0o755);

  it('starts the browser on a fresh private temporary profile and removes it when the shell stops it', async () => {
    const launchUrl = 'http://127.0.0.1:1/?code=one-time-code';
    const browser = launchChromium({ executable: standIn, launchUrl, kiosk: true, logger: silentLogger() });
    try {
      expect(resolve(browser.profileDir).startsWith(resolve(tmpdir()) + '/')).toBe(true);
      expect(statSync(browser.profileDir).mode & 0o077).toBe(0);
      const argv = await waitFor('the stand-in browser', () => (browser.pid && existsSync(join(browser.profileDir, 'History')) ? cmdlineOf(browser.pid) : null));
      expect(argv).toContain(`--user-data-dir=${browser.profileDir}`);
      expect(argv).toContain(`--app=${launchUrl}`);
      expect(argv).toContain('--kiosk');
      const other = launchChromium({ executable: standIn, launchUrl, kiosk: false, logger: silentLogger() });
      expect(other.profileDir).not.toBe(browser.profileDir);
      await other.stop();
    } finally {
      await browser.stop();
    }
    expect(existsSync(browser.profileDir)).toBe(false);
    expect(isAlive(browser.pid!)).toBe(false);
  });

  it('removes the profile when the browser exits by itself', async () => {
    const quick = join(work, 'quick-chromium.sh');
    writeFileSync(quick, ['#!/bin/sh', 'for a in "$@"; do case "$a" in --user-data-dir=*) d="${a#--user-data-dir=}";; esac; done', 'echo x > "$d/History"', 'exit 0', ''].join('\n'));
    chmodSync(quick, 0o755);
    const browser = launchChromium({ executable: quick, launchUrl: 'http://127.0.0.1:1/?code=c', kiosk: false, logger: silentLogger() });
    await browser.exited;
    expect(existsSync(browser.profileDir)).toBe(false);
    await browser.stop();
  });
});
