// The hub's HTTP side (agent console, CSP, health probe) and its demo mode.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHub, type RunningHub } from '../../../../server/hub.js';
import { agent, booth, connect } from './helpers.js';

describe('hub over HTTP', () => {
  let hub: RunningHub;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'relais-static-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'agent.html'), '<!doctype html><title>Console</title>');
    writeFileSync(path.join(dir, 'assets', 'app.js'), 'export {};');
    writeFileSync(path.join(path.dirname(dir), 'relais-secret.txt'), 'secret');
    hub = await startHub({ dbFile: ':memory:', staticDir: dir });
  });
  afterAll(async () => {
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the agent console at / with a strict CSP', async () => {
    const res = await fetch(`${hub.httpUrl}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await res.text()).toContain('Console');
    expect((await fetch(`${hub.httpUrl}/assets/app.js`)).headers.get('content-type')).toMatch(/javascript/);
  });

  it('lets the console fetch the blob: URLs of the photos it received, and loosens nothing else', async () => {
    const header = (await fetch(`${hub.httpUrl}/`)).headers.get('content-security-policy') ?? '';
    const directives = Object.fromEntries(
      header
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((words) => words[0])
        .map(([name, ...sources]) => [name, sources.sort()]),
    );
    expect(directives).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'blob:', 'data:'],
      'media-src': ["'self'", 'blob:'],
      'connect-src': ["'self'", 'blob:', 'ws:', 'wss:'],
      'frame-ancestors': ["'none'"],
      'base-uri': ["'none'"],
      'object-src': ["'none'"],
      'form-action': ["'none'"],
    });
  });

  it('serves nothing outside its directory', async () => {
    expect((await fetch(`${hub.httpUrl}/assets/..%2f..%2frelais-secret.txt`)).status).toBe(404);
    expect((await fetch(`${hub.httpUrl}/relais-secret.txt`)).status).toBe(404);
    expect((await fetch(`${hub.httpUrl}/`, { method: 'POST' })).status).toBe(405);
  });

  it('reports its health without personal data', async () => {
    const body = (await (await fetch(`${hub.httpUrl}/healthz`)).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ ok: true, demo: false, sockets: 0 });
  });

  it('refuses WebSocket upgrades outside /hub', async () => {
    const ws = new WebSocket(hub.url.replace('/hub', '/other'));
    const outcome = await new Promise<string>((resolve) => {
      ws.on('open', () => resolve('open'));
      ws.on('error', () => resolve('refused'));
    });
    expect(outcome).toBe('refused');
  });
});

describe('hub in demo mode', () => {
  it('creates one demo agent per organisation and a demo booth, says demo everywhere, and places a call at any hour', async () => {
    // A Sunday at 03:00 in Paris: outside any real opening hours.
    const hub = await startHub({ dbFile: ':memory:', demo: true, clock: () => Date.UTC(2026, 5, 7, 1, 0) });
    try {
      expect(hub.demo).not.toBeNull();
      const demo = hub.demo!;
      expect(demo.agents.map((a) => a.login)).toEqual(['demo-caf', 'demo-cpam', 'demo-carsat', 'demo-ft', 'demo-ml', 'demo-udaf']);
      expect(demo.consoleUrl).toBe(`${hub.httpUrl}/`);
      const hello = await connect(hub.url);
      expect((await hello.next('hello')).demo).toBe(true);
      hello.close();
      const caf = demo.agents[0]!;
      const a = await agent(hub.url, caf.login, caf.password);
      expect(a.frames.find((f) => f.type === 'auth.ok')).toMatchObject({ demo: true, organisation: 'CAF' });
      const b = await booth(hub.url, demo.boothToken);
      expect(b.frames.find((f) => f.type === 'auth.ok')).toMatchObject({ demo: true, name: 'Borne de démonstration' });
      b.send({ type: 'call.request', organisation: 'CAF' });
      const ring = await a.next('call.ringing');
      a.send({ type: 'call.accept', callId: ring.callId });
      expect((await b.next('call.accepted')).peerName).toContain('démo');
      a.close();
      b.close();
    } finally {
      await hub.close();
    }
  });
});
