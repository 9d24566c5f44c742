// A hub for the visio e2e and bench: its own data directory (a booth and a CAF agent, always open), restartable on the same
// port, serving the agents' console built from renderer/agent.html; plus the booth's call screen built and served alone.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { build } from 'vite';
import react from '@vitejs/plugin-react';
import { hashPassword } from '../../../server/auth.js';
import { startHub, type RunningHub } from '../../../server/hub.js';
import { ALWAYS_OPEN, createHubStore, openHubDb, WEEKDAY_HOURS } from '../../../server/store.js';
import type { IceServer } from '../../../shared/protocol.js';
import { REPO } from './kiosk.js';

export const AGENT = { login: 'caf-e2e', password: 'mot-de-passe-e2e', organisation: 'CAF' };
export const SITE_NAME = 'Relais de Saint-Essai';

export interface TestHub {
  hub: RunningHub;
  port: number;
  boothToken: string;
  dataDir: string;
  /** Closes the hub (every participant hears `hub_restart`) and starts it again on the same port and data. */
  restart(): Promise<void>;
  /** Closes the hub for good (the data directory stays until stop). */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestHub(options: {
  staticDir: string;
  iceServers?: IceServer[];
  ringTimeoutMs?: number;
  /** 127.0.0.1 unless a bench's own link address. */ host?: string;
  /** The hub's clock (a test moves it to an appointment's time); Date.now by default. */
  clock?: () => number;
  /** How often the hub's periodic checks run (revocations, the appointments' « non honoré »), ms. */
  revocationPollMs?: number;
}): Promise<TestHub> {
  const dataDir = mkdtempSync(join(tmpdir(), 'relais-visio-hub-'));
  const db = openHubDb(join(dataDir, 'hub.sqlite'));
  const store = createHubStore(db);
  store.seedOrganisations(WEEKDAY_HOURS);
  for (const o of store.organisations()) store.setOpeningHours(o.code, ALWAYS_OPEN);
  const booth = store.addBooth(SITE_NAME, Date.now(), false);
  store.addAgent({ organisation: AGENT.organisation, login: AGENT.login, displayName: 'Claire Martin (CAF)', passwordHash: await hashPassword(AGENT.password), demo: false }, Date.now());
  db.close();

  const start = (port: number) =>
    startHub({ host: options.host ?? '127.0.0.1', port, dataDir, staticDir: options.staticDir, iceServers: options.iceServers ?? [], ringTimeoutMs: options.ringTimeoutMs ?? 60_000,
      heartbeatMs: 5_000,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.revocationPollMs ? { revocationPollMs: options.revocationPollMs } : {}),
    });
  let hub = await start(0);
  let running = true;
  const port = hub.port;
  const handle: TestHub = {
    get hub() {
      return hub;
    },
    port,
    boothToken: booth.token,
    dataDir,
    async restart() {
      if (running) await hub.close();
      running = false;
      hub = await start(port);
      running = true;
    },
    async kill() {
      if (running) await hub.close();
      running = false;
    },
    async stop() {
      if (running) await hub.close();
      running = false;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return handle;
}

/** Builds the agents' console (project config) and the booth's call screen (tests/e2e/support/visio-booth.html). */
export async function buildVisioPages(): Promise<{ consoleDir: string; boothDir: string }> {
  const out = mkdtempSync(join(tmpdir(), 'relais-visio-build-'));
  const consoleDir = join(out, 'console');
  const boothDir = join(out, 'booth');
  await build({ configFile: join(REPO, 'vite.config.ts'), logLevel: 'warn', build: { outDir: consoleDir, emptyOutDir: true } });
  await build({
    configFile: false,
    root: join(REPO, 'tests/e2e/support'),
    base: './',
    logLevel: 'warn',
    plugins: [react()],
    resolve: { alias: { 'simple-peer': 'simple-peer/simplepeer.min.js' } },
    build: { outDir: boothDir, emptyOutDir: true, rollupOptions: { input: { booth: join(REPO, 'tests/e2e/support/visio-booth.html') } } },
  });
  return { consoleDir, boothDir };
}

const MIME: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css' };

/**
 * Serves a directory on 127.0.0.1 (the booth page needs a secure context for getUserMedia: http://127.0.0.1 is one), or
 * on a bench's own link address (its browsers then treat that origin as secure by flag).
 */
export async function serveDir(dir: string, host = '127.0.0.1'): Promise<{ origin: string; close(): Promise<void> }> {
  const root = resolve(dir);
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = resolve(root, `.${decodeURIComponent(path)}`);
    if (!file.startsWith(root + sep)) return void res.writeHead(404).end();
    let body: Buffer;
    try {
      body = readFileSync(file);
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { origin: `http://${host}:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}
