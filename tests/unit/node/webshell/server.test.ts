// The web shell refuses requests without the launch token or from another origin, and serves the contract otherwise.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createKiosk, type Kiosk } from '../../../../electron/services/kiosk.js';
import { silentLogger } from '../../../../electron/services/logger.js';
import { startWebShell, TOKEN_COOKIE, type WebShell } from '../../../../electron/webshell/server.js';
import { send } from '../../../security/support/http.js';


let kiosk: Kiosk;
let shell: WebShell;
let cookie: string;

beforeEach(async () => {
  const staticDir = mkdtempSync(join(tmpdir(), 'relais-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Relais</title>');
  kiosk = createKiosk({ dbFile: ':memory:', logger: silentLogger() });
  shell = await startWebShell({
    dispatchDeps: { handlers: kiosk.handlers, requireMediator: () => kiosk.requireMediator(), logger: silentLogger() },
    subscribe: (listener) => kiosk.onEvent(listener),
    staticDir,
    logger: silentLogger(),
  });
  cookie = `${TOKEN_COOKIE}=${shell.token}`;
});

afterEach(async () => {
  await shell.close();
  kiosk.close();
});

describe('web shell', () => {
  it('listens on 127.0.0.1 only, with a random token per launch', async () => {
    expect(shell.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(shell.token.length).toBeGreaterThanOrEqual(40);
    const other = await startWebShell({
      dispatchDeps: { handlers: kiosk.handlers, requireMediator: () => kiosk.requireMediator(), logger: silentLogger() },
      subscribe: () => () => undefined,
      staticDir: tmpdir(),
      logger: silentLogger(),
    });
    expect(other.token).not.toBe(shell.token);
    await other.close();
  });

  it('refuses a page request without the token cookie', async () => {
    const reply = await send(shell.port, '/');
    expect(reply.status).toBe(403);
    expect(reply.body).toContain('NO_TOKEN');
  });

  it('refuses a launch URL with a wrong code, and turns the right one into an HttpOnly SameSite cookie', async () => {
    expect((await send(shell.port, '/?code=nope')).status).toBe(403);
    const launch = new URL(shell.launchUrl);
    const reply = await send(shell.port, `${launch.pathname}${launch.search}`);
    expect(reply.status).toBe(303);
    expect(String(reply.headers['set-cookie'])).toMatch(new RegExp(`^${TOKEN_COOKIE}=${shell.token}; HttpOnly; SameSite=Strict; Path=/`));
    const page = await send(shell.port, '/', { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('refuses a request whose Host is not the loopback address it listens on (DNS rebinding)', async () => {
    const reply = await send(shell.port, '/', { headers: { cookie, host: `relais.example:${shell.port}` } });
    expect(reply.status).toBe(421);
  });

  it('refuses a contract call without the token, without an Origin, or from another origin', async () => {
    const body = '{}';
    expect((await send(shell.port, '/api/app.info', { method: 'POST', body, headers: { origin: shell.origin } })).status).toBe(403);
    expect((await send(shell.port, '/api/app.info', { method: 'POST', body, headers: { cookie } })).status).toBe(403);
    const foreign = await send(shell.port, '/api/app.info', { method: 'POST', body, headers: { cookie, origin: 'http://127.0.0.1:1' } });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toContain('BAD_ORIGIN');
  });

  it('answers a contract call with the token and our origin, and bad input with a typed error', async () => {
    const headers = { cookie, origin: shell.origin, 'content-type': 'application/json' };
    const info = JSON.parse((await send(shell.port, '/api/app.info', { method: 'POST', body: '{}', headers })).body);
    expect(info).toMatchObject({ ok: true, value: { siteName: 'Site de démonstration', demo: true } });
    const bad = JSON.parse((await send(shell.port, '/api/visits.listDay', { method: 'POST', body: '{"day":42}', headers })).body);
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const notJson = JSON.parse((await send(shell.port, '/api/app.info', { method: 'POST', body: '{nope', headers })).body);
    expect(notJson).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const unknown = JSON.parse((await send(shell.port, '/api/fs.readFile', { method: 'POST', body: '{}', headers })).body);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_VERB' } });
    const locked = JSON.parse((await send(shell.port, '/api/visits.listDay', { method: 'POST', body: '{}', headers })).body);
    expect(locked).toMatchObject({ ok: false, error: { code: 'NOT_UNLOCKED' } });
  });

  it('refuses a path that climbs out of the renderer folder', async () => {
    const reply = await send(shell.port, '/..%2f..%2f..%2fetc%2fpasswd', { headers: { cookie } });
    expect(reply.status).toBe(403);
  });

  it('refuses an event socket without the token or from another origin, and pushes events to an authorised one', async () => {
    const url = `ws://127.0.0.1:${shell.port}/events`;
    const refused = (headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => resolve(101));
      });
    expect(await refused({ origin: shell.origin })).toBe(403);
    expect(await refused({ cookie, origin: 'http://evil.test' })).toBe(403);

    const ws = new WebSocket(url, { headers: { cookie, origin: shell.origin } });
    await new Promise((resolve) => ws.once('open', resolve));
    const frame = new Promise<{ name: string; payload: { pending: boolean } }>((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));
    kiosk.help.request('home');
    await expect(frame).resolves.toMatchObject({ name: 'help.changed', payload: { pending: true } });
    ws.close();
  });
});
