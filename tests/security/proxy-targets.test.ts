// Issue 13, item 1: the teleservice proxy fetches nothing but its guide's origin, whatever the request target.
// A property test: 5,000 request targets from a seeded generator (path forms, dot segments, backslashes, percent- and
// double-encoding, absolute- and authority-form, CONNECT, odd schemes, and plain paths that must still work) are sent
// as raw bytes to a proxy port, with the port's secret cookie, as the visitor's own frame would. Every outgoing TCP
// connection and HTTP request of this process is watched (diagnostics channels): none may go anywhere but the guide's
// origin, the foreign server (a stand-in for a loopback service such as the hub's /healthz) must see nothing, and each
// target is either forwarded to the guide's origin as an origin-form path, or refused with « Cette page n’est pas
// disponible ici » and no upstream request at all.
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeleserviceProxy, type TeleserviceProxy } from '../../electron/services/teleservice/proxy.js';
import { silentLogger } from '../../electron/services/logger.js';
import type { Guide } from '../../shared/guideSteps.js';
import { enterProxy, rawExchange, seeded, startRecorder, type RecordingServer } from './support/loopback.js';

const SEED = 0x5ec13;
const TARGETS = 5_000;
const REFUSED_TEXT = 'Cette page n’est pas disponible ici';

let guide: RecordingServer;
let foreign: RecordingServer;
let proxy: TeleserviceProxy;
let proxyPort: number;
let cookie: string;
let downloadDir: string;

/** Outgoing connections (ip:port) and HTTP requests (Host header) of this process, as they start. */
const connections: string[] = [];
const upstreamRequests: { host: string; path: string }[] = [];
const onSocket = ({ socket }: { socket: Socket }): void => {
  socket.on('connectionAttempt', (ip: string, port: number) => connections.push(`${ip}:${port}`));
};
const onRequest = ({ request }: { request: ClientRequest }): void => {
  upstreamRequests.push({ host: String(request.getHeader('host') ?? request.host), path: request.path });
};

beforeAll(async () => {
  guide = await startRecorder();
  foreign = await startRecorder((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(req.url === '/healthz' ? '{"ok":true,"service":"hub"}' : '{"foreign":true}');
  });
  downloadDir = mkdtempSync(join(tmpdir(), 'relais-sec-targets-'));
  proxy = createTeleserviceProxy({ logger: silentLogger(), downloadDir, onEvent: () => undefined, wipeGraceMs: 50 });
  const g: Guide = {
    id: 'cible',
    organisation: 'CAF',
    title: 'Cible',
    summary: 'Test.',
    startUrl: `${guide.origin}/`,
    allowedOrigins: [guide.origin],
    visitorMayStart: true,
    steps: [{ title: 'a', text: 'a', picture: null, urlPattern: '/' }],
  };
  const opened = await proxy.open('S', g);
  proxyPort = Number(new URL(opened.entryUrl).port);
  cookie = (await enterProxy(opened.entryUrl)).cookies.header();
  diagnostics.subscribe('net.client.socket', onSocket as (m: unknown) => void);
  diagnostics.subscribe('http.client.request.start', onRequest as (m: unknown) => void);
});

afterAll(async () => {
  diagnostics.unsubscribe('net.client.socket', onSocket as (m: unknown) => void);
  diagnostics.unsubscribe('http.client.request.start', onRequest as (m: unknown) => void);
  await proxy.close('S')?.closed;
  await Promise.all([guide.close(), foreign.close()]);
  rmSync(downloadDir, { recursive: true, force: true });
});

/** The generator: one request line (method and target) per call. Hosts are IP literals or localhost only. */
function targetGenerator(seed: number): () => { method: string; target: string; form: string } {
  const rnd = seeded(seed);
  const fp = foreign.port;
  const gp = guide.port;
  const hosts = [
    `127.0.0.1:${fp}`,
    `localhost:${fp}`,
    `127.1:${fp}`,
    `0x7f.0.0.1:${fp}`,
    `0x7f000001:${fp}`,
    `2130706433:${fp}`,
    `0177.0.0.1:${fp}`,
    `127.0.0.1.:${fp}`,
    `[::1]:${fp}`,
    `[::ffff:127.0.0.1]:${fp}`,
    `%31%32%37.0.0.1:${fp}`,
    `127%2e0%2e0%2e1:${fp}`,
    `127%E3%80%820%E3%80%820%E3%80%821:${fp}`,
    `user:pass@127.0.0.1:${fp}`,
    `127.0.0.1:${gp}@127.0.0.1:${fp}`,
    `127.0.0.1:${fp}\\@127.0.0.1:${gp}`,
    `127.0.0.1:${fp}#@127.0.0.1:${gp}`,
    `127.0.0.1:${fp}?@127.0.0.1:${gp}`,
    `localhost:${gp}`,
    `127.0.0.1:${proxyPort}`,
    `127.0.0.1:1`,
  ];
  const paths = ['/', '/healthz', '/espace', '/x?y=1', '/api/v1/me', '', '/..', '/%2e%2e/', '?q=1', '/a/b/c.html', '#f'];
  const schemes = ['http', 'https', 'HTTP', 'hTtP', 'ws', 'wss', 'ftp', 'file', 'gopher'];
  const oddSchemes = [
    (h: string) => `javascript:fetch('//${h}')`,
    (h: string) => `data:text/html,<script src=//${h}></script>`,
    () => 'about:blank',
    (h: string) => `blob:http://${h}/0b1c`,
    (h: string) => `view-source:http://${h}/`,
    (h: string) => `file://${h}/etc/passwd`,
    () => 'file:///etc/passwd',
    (h: string) => `mailto:a@${h}`,
    (h: string) => `filesystem:http://${h}/temporary/x`,
    () => 'chrome://settings',
  ];
  type Form = [string, (h: string, p: string, s: string) => string];
  const forms: Form[] = [
    ['scheme-relative', (h, p) => `//${h}${p}`],
    ['scheme-relative', (h, p) => `///${h}${p}`],
    ['scheme-relative', (h, p) => `////${h}${p}`],
    ['backslash', (h, p) => `/\\${h}${p}`],
    ['backslash', (h, p) => `\\\\${h}${p}`],
    ['backslash', (h, p) => `\\/${h}${p}`],
    ['backslash', (h, p) => `/\\/${h}${p}`],
    ['backslash', (h, p) => `/a\\..\\\\${h}${p}`],
    ['absolute-form', (h, p, s) => `${s}://${h}${p}`],
    ['absolute-form', (h, p, s) => `${s}:/${h}${p}`],
    ['absolute-form', (h, p, s) => `${s}:${h}${p}`],
    ['absolute-form', (h, p, s) => `${s}:\\\\${h}${p}`],
    ['absolute-form', (h, p, s) => `${s}:///${h}${p}`],
    ['dot-segments', (h, p) => `/.//${h}${p}`],
    ['dot-segments', (h, p) => `/././/${h}${p}`],
    ['dot-segments', (h, p) => `/a/..//${h}${p}`],
    ['dot-segments', (h, p) => `/a/../..//${h}${p}`],
    ['dot-segments', (h, p) => `/%2e//${h}${p}`],
    ['dot-segments', (h, p) => `/%2e%2e//${h}${p}`],
    ['dot-segments', (h, p) => `/a/%2e%2e//${h}${p}`],
    ['dot-segments', (h, p) => `/.%2E//${h}${p}`],
    ['dot-segments', (h, p) => `/%2E/%2e%2E/.//${h}${p}`],
    ['percent-encoding', (h, p) => `/%2F%2F${h}${p}`],
    ['percent-encoding', (h, p) => `/%2f/${h}${p}`],
    ['percent-encoding', (h, p) => `%2F%2F${h}${p}`],
    ['percent-encoding', (h, p) => `/%5C${h}${p}`],
    ['percent-encoding', (h, p) => `/%5c%5c${h}${p}`],
    ['double-encoding', (h, p) => `/%252F%252F${h}${p}`],
    ['double-encoding', (h, p) => `/%255C%255C${h}${p}`],
    ['double-encoding', (h) => `/%25%32%46%25%32%46${h}`],
    ['authority-form', (h) => h],
    ['authority-form', (h, p) => `${h}${p}`],
    ['asterisk-form', () => '*'],
    ['odd-scheme', (h) => rnd.pick(oddSchemes)(h)],
    ['plain-path', (h, p) => `${p.startsWith('/') ? p : `/${p}`}`],
    ['plain-path', () => rnd.pick(['/', '/espace', '/a/./b', '/a/b/../c', '/%7Euser/x', '/p;x=1', '/a//b'])],
    ['plain-path', (h) => rnd.pick([`/search?q=//${h}`, `/r?next=http://${h}/`, `/@${h}`, `/:${h}`, `/a;b=//${h}`, `/r?u=\\\\${h}`])],
  ];
  const methods = ['GET', 'GET', 'GET', 'GET', 'GET', 'GET', 'HEAD', 'POST', 'OPTIONS', 'PUT', 'DELETE', 'PATCH', 'TRACE', 'CONNECT'];
  return () => {
    const [form, make] = rnd.pick(forms);
    const target = make(rnd.pick(hosts), rnd.pick(paths), rnd.pick(schemes));
    const method = form === 'authority-form' && rnd.chance(0.6) ? 'CONNECT' : rnd.pick(methods);
    return { method, target, form };
  };
}

describe('teleservice proxy: request targets (issue 13, item 1)', () => {
  it(`forwards only origin-form targets of the guide's origin, and opens no connection anywhere else (${TARGETS} seeded targets)`, async () => {
    const next = targetGenerator(SEED);
    const guideHost = `127.0.0.1:${guide.port}`;
    const allowedConnections = new Set([`127.0.0.1:${guide.port}`, `127.0.0.1:${proxyPort}`]);
    let refused = 0;
    let forwarded = 0;
    const violations: string[] = [];
    const byForm = new Map<string, { refused: number; forwarded: number }>();
    for (let i = 0; i < TARGETS; i += 1) {
      const { method, target, form } = next();
      const before = { requests: upstreamRequests.length, guide: guide.requests.length };
      const body = method === 'POST' || method === 'PUT' || method === 'PATCH' ? 'Content-Length: 0\r\n' : '';
      const reply = await rawExchange(proxyPort, `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${proxyPort}\r\nCookie: ${cookie}\r\n${body}Connection: close\r\n\r\n`, 1_500);
      const started = upstreamRequests.slice(before.requests);
      const reached = guide.requests.slice(before.guide);
      const tally = byForm.get(form) ?? { refused: 0, forwarded: 0 };
      byForm.set(form, tally);
      const line = `${method} ${target}`;
      for (const r of started) if (r.host !== guideHost) violations.push(`${line} → upstream request to ${r.host}${r.path}`);
      if (started.length === 0 && (reply.status === 400 || reply.status === 405) && (method === 'HEAD' || reply.body.includes(REFUSED_TEXT))) {
        refused += 1;
        tally.refused += 1;
      } else if (started.length === 1 && reached.length === 1 && reached[0]?.host === guideHost && /^\/(?![/\\])/.test(reached[0].url)) {
        forwarded += 1;
        tally.forwarded += 1;
      } else {
        violations.push(`${line} → status ${reply.status}, ${started.length} upstream request(s), guide saw ${reached.map((r) => `${r.host}${r.url}`).join(', ') || 'nothing'}`);
      }
    }
    const otherConnections = connections.filter((c) => !allowedConnections.has(c));
    console.log(
      `[proxy targets] seed 0x${SEED.toString(16)}: ${TARGETS} targets generated, ${refused} refused (« ${REFUSED_TEXT} », no upstream request), ` +
        `${forwarded} forwarded to the guide's origin; ${otherConnections.length} connection(s) opened to another origin, ` +
        `${foreign.connections} reached the foreign server; ${violations.length} violation(s)`,
    );
    console.log(`[proxy targets] by form: ${[...byForm].map(([f, t]) => `${f} ${t.refused} refused/${t.forwarded} forwarded`).join('; ')}`);
    if (violations.length > 0) console.log(`[proxy targets] first violations:\n  ${violations.slice(0, 15).join('\n  ')}`);
    expect(otherConnections).toEqual([]);
    expect(foreign.connections).toBe(0);
    expect(foreign.requests).toEqual([]);
    expect(violations).toEqual([]);
    expect(refused + forwarded).toBe(TARGETS);
    expect(forwarded).toBeGreaterThan(0);
  }, 300_000);
});
