// Issue 13, item 8: the web shell's long-lived secret (the HttpOnly cookie) never travels in a URL. The launch URL
// carries a one-time code, exchanged once for the cookie and refused on a second use or after LAUNCH_CODE_TTL_MS
// (an injected clock, no sleep). Another local user who reads Chromium's command line gets a spent code.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LAUNCH_CODE_TTL_MS, TOKEN_COOKIE, type WebShell } from '../../electron/webshell/server.js';
import { ERROR_LEVEL, send, type LogLine } from './support/http.js';
import { startInProcessShell, type InProcessShell } from './support/webshell.js';

const pathOf = (url: string): string => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

describe('web shell launch code (issue 13, item 8)', () => {
  let shell: WebShell;
  let lines: LogLine[];
  let running: InProcessShell;
  let now: number;

  beforeEach(async () => {
    now = Date.parse('2026-11-25T09:00:00Z');
    running = await startInProcessShell({ clock: () => now });
    ({ shell, lines } = running);
  });

  afterEach(() => running.close());

  it('puts a code in the launch URL, never the cookie’s token', () => {
    expect(shell.token.length).toBeGreaterThanOrEqual(40);
    expect(shell.launchUrl).not.toContain(shell.token);
    expect(new URL(shell.launchUrl).searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  });

  it('exchanges the code once for the HttpOnly cookie, and refuses its second use', async () => {
    const first = await send(shell.port, pathOf(shell.launchUrl));
    expect(first.status).toBe(303);
    expect(String(first.headers['set-cookie'])).toMatch(new RegExp(`^${TOKEN_COOKIE}=${shell.token}; HttpOnly; SameSite=Strict; Path=/`));
    const second = await send(shell.port, pathOf(shell.launchUrl));
    expect(second.status).toBe(403);
    expect(second.headers['set-cookie']).toBeUndefined();
    expect(second.body).toContain('déjà servi ou a expiré');
    expect(lines.filter((l) => l.code === 'WEBSHELL_LAUNCH_CODE_REFUSED').map((l) => l.reason)).toEqual(['used']);
    expect(lines.filter((l) => l.level >= ERROR_LEVEL)).toEqual([]);
  });

  it('refuses a code older than its lifetime, and accepts one just inside it', async () => {
    expect(LAUNCH_CODE_TTL_MS).toBeGreaterThanOrEqual(5_000);
    expect(LAUNCH_CODE_TTL_MS).toBeLessThanOrEqual(30_000);
    const stale = shell.launchUrl;
    now += LAUNCH_CODE_TTL_MS + 1;
    const refused = await send(shell.port, pathOf(stale));
    expect(refused.status).toBe(403);
    expect(refused.headers['set-cookie']).toBeUndefined();

    const fresh = shell.mintLaunchUrl();
    now += LAUNCH_CODE_TTL_MS;
    expect((await send(shell.port, pathOf(fresh))).status).toBe(303);
    expect(lines.filter((l) => l.code === 'WEBSHELL_LAUNCH_CODE_REFUSED').map((l) => l.reason)).toEqual(['expired']);
  });

  it('mints a distinct code each time (in-process only), each good once', async () => {
    const urls = Array.from({ length: 5 }, () => shell.mintLaunchUrl());
    expect(new Set(urls).size).toBe(5);
    for (const url of urls) {
      expect(url.startsWith(`${shell.origin}/?code=`)).toBe(true);
      expect((await send(shell.port, pathOf(url))).status).toBe(303);
      expect((await send(shell.port, pathOf(url))).status).toBe(403);
    }
  });

  it('refuses an unknown code and the old ?token= launch form', async () => {
    expect((await send(shell.port, '/?code=nope')).status).toBe(403);
    const legacy = await send(shell.port, `/?token=${shell.token}`);
    expect(legacy.status).toBe(403);
    expect(legacy.headers['set-cookie']).toBeUndefined();
  });
});
