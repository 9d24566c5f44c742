// Debian's Firefox ESR for the e2e, driven by Playwright's experimental WebDriver BiDi channel (`moz-firefox`), with fake
// media, ICE on loopback and no network of its own. Also, run as a program, the small BiDi shim that makes this work:
// Playwright 1.65 sends `emulation.setMediaFeaturesOverride` when it creates a context, a command Firefox 153 ESR does not
// know (« unknown command »), so Playwright launches this shim instead of Firefox; the shim starts Firefox, puts a WebSocket
// relay on 127.0.0.1 in front of its BiDi endpoint, answers that one command itself, names the downloads Firefox leaves
// unnamed (see withDownloadId) and relays everything else untouched.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Browser } from '@playwright/test';
import WebSocket, { WebSocketServer, type RawData } from 'ws';

/** Debian's `firefox-esr`; RELAIS_FIREFOX names another Firefox (153 ESR or later) to drive instead. */
export const FIREFOX_ESR = process.env.RELAIS_FIREFOX ?? '/usr/bin/firefox-esr';

/** BiDi commands Firefox ESR lacks and that Playwright sends for options we do not use: answered with an empty success. */
const ANSWERED_BY_SHIM = new Set(['emulation.setMediaFeaturesOverride']);

/**
 * Fake camera and microphone without a prompt; host candidates on 127.0.0.1 offered and unmasked (no mDNS name); fewer
 * background calls home (Remote Settings still tries and logs a harmless failure offline). The tests still drop every non-127.0.0.1 candidate (`loopbackIceScript`), as in Chromium.
 * The trap: a page that is not capturing a real device gets only the default route's address as candidate (one IPv4,
 * one IPv6), whatever `ice.loopback` says; `permission.fake` makes the fake camera count as capturing.
 */
export const FIREFOX_PREFS: Record<string, string | number | boolean> = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.navigator.permission.fake': true,
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  'media.peerconnection.ice.loopback': true,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'extensions.update.enabled': false,
  'app.update.enabled': false,
};

export function firefoxInstalled(): boolean {
  return existsSync(FIREFOX_ESR);
}

export interface RunningFirefox {
  browser: Browser;
  close(): Promise<void>;
}

/** Launches Firefox ESR headless through the shim, with a fresh profile (Playwright makes one per launch). */
export async function launchFirefox(prefs: Record<string, string | number | boolean> = {}): Promise<RunningFirefox> {
  // Imported here: the shim runs this file too and needs none of Playwright.
  const { firefox } = await import('@playwright/test');
  const dir = mkdtempSync(join(tmpdir(), 'relais-firefox-'));
  const shim = join(dir, 'firefox-bidi-shim');
  const tsx = import.meta.resolve('tsx');
  writeFileSync(shim, `#!/bin/sh\nexec '${process.execPath}' --import '${tsx}' '${fileURLToPath(import.meta.url)}' --real '${FIREFOX_ESR}' "$@"\n`);
  chmodSync(shim, 0o755);
  const browser = await firefox.launch({
    channel: 'moz-firefox',
    executablePath: shim,
    headless: true,
    firefoxUserPrefs: { ...FIREFOX_PREFS, ...prefs },
    // Firefox run as root refuses a $HOME owned by another user (« Running Firefox as root in a regular user's session is
    // not supported », e.g. HOME inherited through sudo): a fresh HOME of our own avoids it and leaves ~/.mozilla alone.
    env: { ...process.env, HOME: dir } as Record<string, string>,
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The shim: Firefox with `args`, its BiDi endpoint announced on stderr replaced by the relay's. */
function runShim(real: string, args: string[]): void {
  const child = spawn(real, args, { stdio: ['ignore', 'inherit', 'pipe'] });
  createInterface({ input: child.stderr! }).on('line', (line) => {
    const match = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(line);
    if (!match) return void process.stderr.write(`${line}\n`);
    void startRelay(match[1]!).then((port) => process.stderr.write(`WebDriver BiDi listening on ws://127.0.0.1:${port}\n`));
  });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  // A test runner killed outright (SIGKILL) cannot close its browser: Firefox must not outlive it.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) child.kill('SIGKILL');
  }, 1000).unref();
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

/**
 * Firefox ESR announces a download from a `blob:` link with neither `download` nor `navigation` id, and Playwright ignores a
 * download without one (no `download` event): the shim gives it an id, the same for its begin and end (matched by URL).
 */
function withDownloadId(text: string, downloads: Map<string, string>): string {
  if (!text.includes('"browsingContext.download')) return text;
  const message = JSON.parse(text) as { method?: string; params?: { url?: string; download?: string | null; navigation?: string | null } };
  const params = message.params;
  if (!params?.url || params.download || params.navigation) return text;
  if (message.method === 'browsingContext.downloadWillBegin') downloads.set(params.url, randomUUID());
  else if (message.method !== 'browsingContext.downloadEnd') return text;
  params.download = downloads.get(params.url) ?? null;
  if (message.method === 'browsingContext.downloadEnd') downloads.delete(params.url);
  return JSON.stringify(message);
}

async function startRelay(upstream: string): Promise<number> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 256 * 1024 * 1024 });
  server.on('connection', (client: WebSocket, request: IncomingMessage) => {
    const target = new WebSocket(`${upstream.replace(/\/$/, '')}${request.url ?? ''}`, { maxPayload: 256 * 1024 * 1024 });
    const pending: string[] = [];
    target.on('open', () => pending.splice(0).forEach((m) => target.send(m)));
    const downloads = new Map<string, string>();
    target.on('message', (data: RawData) => client.send(withDownloadId(data.toString(), downloads)));
    target.on('close', () => client.close());
    target.on('error', () => client.close());
    client.on('close', () => target.close());
    client.on('message', (data: RawData) => {
      const text = data.toString();
      const message = JSON.parse(text) as { id?: number; method?: string };
      if (message.method && ANSWERED_BY_SHIM.has(message.method)) return void client.send(JSON.stringify({ type: 'success', id: message.id, result: {} }));
      if (target.readyState === WebSocket.OPEN) target.send(text);
      else pending.push(text);
    });
  });
  await new Promise<void>((r) => server.once('listening', r));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--real') runShim(process.argv[3]!, process.argv.slice(4));
