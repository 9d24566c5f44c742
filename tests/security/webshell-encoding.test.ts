// Issue 13, item 9 (web shell): a request target or a cookie whose percent-encoding is malformed is the client's
// mistake. It gets a 400 (or the 403 of a request without the token), never a 500, never an error-level log line, and
// never takes the process down: the event socket's upgrade read the cookie with decodeURIComponent outside any catch.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TOKEN_COOKIE, type WebShell } from '../../electron/webshell/server.js';
import { ERROR_LEVEL, send, sendRaw, type LogLine } from './support/http.js';
import { startCli, startInProcessShell, type InProcessShell, type RunningCli } from './support/webshell.js';

/** Targets an attacker holding the cookie (or a buggy page) may send; each has a percent-encoding that does not decode. */
const MALFORMED_TARGETS = [
  '/%E0%A4%A',
  '/%',
  '/%zz',
  '/%E0%A4%A?x=1',
  '/assets/%E0%A4%A.js',
  '/a%ff',
  '/%ED%A0%80',
  '/%C0%AF',
  '/index.html%',
  '/api/%E0%A4%A',
];

/** Targets that are not origin-form, or that resolve to another origin than the shell's. */
const FOREIGN_TARGETS = ['//evil.example/%E0%A4%A', '/\\evil.example/x', 'http://evil.example/', '*'];

describe('web shell: malformed percent-encoding (issue 13, item 9)', () => {
  let shell: WebShell;
  let lines: LogLine[];
  let running: InProcessShell;

  beforeEach(async () => {
    running = await startInProcessShell();
    ({ shell, lines } = running);
  });

  afterEach(() => running.close());

  const raw = (target: string, headers: string[]) =>
    sendRaw(shell.port, [`GET ${target} HTTP/1.1`, `Host: 127.0.0.1:${shell.port}`, ...headers, 'Connection: close', '', ''].join('\r\n'));

  it('answers 400 to every malformed target sent with the token, without an error-level log', async () => {
    const cookie = `Cookie: ${TOKEN_COOKIE}=${shell.token}`;
    const statuses: Record<string, number> = {};
    for (const target of MALFORMED_TARGETS) statuses[target] = (await raw(target, [cookie])).status;
    console.info(`web shell, malformed targets with the token: ${JSON.stringify(statuses)}`);
    expect(Object.values(statuses)).toEqual(MALFORMED_TARGETS.map(() => 400));
    expect(lines.filter((l) => l.level >= ERROR_LEVEL)).toEqual([]);
    // The shell still serves after them.
    expect((await send(shell.port, '/', { headers: { cookie: `${TOKEN_COOKIE}=${shell.token}` } })).status).toBe(200);
  });

  it('answers 400 or 403 to every malformed target sent without the token, never 500', async () => {
    for (const target of MALFORMED_TARGETS) expect([400, 403]).toContain((await raw(target, [])).status);
    expect(lines.filter((l) => l.level >= ERROR_LEVEL)).toEqual([]);
  });

  it('answers 400 to targets that are not origin-form or that resolve to another origin', async () => {
    const cookie = `Cookie: ${TOKEN_COOKIE}=${shell.token}`;
    for (const target of FOREIGN_TARGETS) expect({ target, status: (await raw(target, [cookie])).status }).toEqual({ target, status: 400 });
    expect(lines.filter((l) => l.level >= ERROR_LEVEL)).toEqual([]);
  });

  it('treats a cookie whose value does not decode as no token: 403, without an error-level log', async () => {
    for (const value of ['%E0%A4%A', '%', '%zz%']) {
      const reply = await send(shell.port, '/', { headers: { cookie: `${TOKEN_COOKIE}=${value}` } });
      expect(reply.status).toBe(403);
      const call = await send(shell.port, '/api/app.info', { method: 'POST', body: '{}', headers: { cookie: `${TOKEN_COOKIE}=${value}`, origin: shell.origin } });
      expect(call.status).toBe(403);
    }
    expect(lines.filter((l) => l.level >= ERROR_LEVEL)).toEqual([]);
  });
});

describe('web shell process: a malformed cookie on the event socket (issue 13, item 9)', { timeout: 60_000 }, () => {
  let cli: RunningCli;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'relais-sec-upgrade-'));
    cli = await startCli(['--data-dir', dataDir, '--no-open']);
  }, 60_000);
  afterAll(async () => {
    await cli?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses the upgrade with 403 and stays up, where it used to exit on an uncaught URIError', async () => {
    const upgrade = (cookie: string) =>
      sendRaw(
        cli.port,
        [
          'GET /events HTTP/1.1',
          `Host: 127.0.0.1:${cli.port}`,
          `Origin: ${cli.origin}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          'Sec-WebSocket-Version: 13',
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
          `Cookie: ${cookie}`,
          '',
          '',
        ].join('\r\n'),
      );
    expect((await upgrade(`${TOKEN_COOKIE}=%E0%A4%A`)).status).toBe(403);
    expect((await upgrade(`${TOKEN_COOKIE}=%`)).status).toBe(403);
    // Still up, still answering.
    await new Promise((r) => setTimeout(r, 200));
    expect(cli.process.exitCode).toBeNull();
    expect((await send(cli.port, '/')).status).toBe(403);
    expect(cli.stderr()).not.toMatch(/URIError|\n\s+at /);
  });
});
