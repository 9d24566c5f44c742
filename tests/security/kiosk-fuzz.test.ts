// Issue 13, item 2: no request of any shape ends the kiosk or an open session. The real web shell process
// (electron/webshell/cli.ts) runs with a guided session open on a guide of two origins; a raw-socket fuzzer sends
// seeded request lines and headers (bad methods, targets, versions, Host, cookies, lengths, chunking, upgrades,
// oversized and broken headers, bodies) to every port the process listens on: the web shell's and each proxy port.
// Known killers go first (`GET file:///etc/passwd` to a proxy port; an event-socket upgrade with a malformed cookie).
// Then the process must still run, the web shell still serve its page, the session still answer and its site still
// show through each proxy port; a proxy port never answers 5xx, and the log has a code for what was refused.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOnlineService, type FakeOnlineService } from '../e2e/support/fakeOnlineService.js';
import { startKiosk, type RunningKiosk } from '../e2e/support/kiosk.js';
import { enterProxy, httpGet, LoopbackCookies, rawExchange, seeded } from './support/loopback.js';

const SEED = 0xf022;
const REQUESTS_PER_PORT = 1_000;
const CONCURRENCY = 6;

let siteA: FakeOnlineService;
let siteB: FakeOnlineService;
let kiosk: RunningKiosk;
let dir: string;
let token: LoopbackCookies;
let sessionId: string;
let entryUrl: string;
let proxyPorts: number[] = [];
let shellPort: number;

/** Ports in LISTEN state held by process `pid` (its socket inodes matched against /proc/net/tcp{,6}). */
function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m?.[1]) inodes.add(m[1]);
    } catch {
      // closed meanwhile
    }
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === '0A' && cols[9] && inodes.has(cols[9])) ports.add(parseInt(cols[1]?.split(':')[1] ?? '0', 16));
    }
  }
  return [...ports].sort((a, b) => a - b);
}

beforeAll(async () => {
  siteA = await startFakeOnlineService();
  siteB = await startFakeOnlineService();
  dir = mkdtempSync(join(tmpdir(), 'relais-fuzz-'));
  const staticDir = join(dir, 'static');
  const guides = join(dir, 'guides');
  mkdirSync(staticDir);
  mkdirSync(guides);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><html lang="fr"><title>Relais</title><p>Borne</p></html>');
  writeFileSync(
    join(guides, 'fuzz.yaml'),
    `id: fuzz\norganisation: CAF\ntitle: Fuzz\nsummary: Deux origines.\nstartUrl: ${siteA.origin}/\nallowedOrigins:\n  - ${siteA.origin}\n  - ${siteB.origin}\nvisitorMayStart: true\nsteps:\n  - title: Se connecter\n    text: Test.\n    urlPattern: /\n`,
  );
  // A configured hub address that nothing answers: no embedded demo hub, so the ports fuzzed are all the kiosk has.
  kiosk = await startKiosk({
    env: { RELAIS_EXTRA_GUIDES_DIR: guides, RELAIS_HUB_URL: 'ws://127.0.0.1:9/', RELAIS_HUB_TOKEN: 'fuzz' },
    args: ['--static-dir', staticDir],
  });
  shellPort = Number(new URL(kiosk.origin).port);
  token = new LoopbackCookies();
  const launch = await httpGet(await kiosk.launchUrl());
  token.take(launch.headers['set-cookie']);
  const started = await httpGet(
    `${kiosk.origin}/api/teleservice.start`,
    { cookie: token.header(), origin: kiosk.origin, 'content-type': 'application/json' },
    'POST',
    JSON.stringify({ guideId: 'fuzz' }),
  );
  const value = (JSON.parse(started.body) as { ok: boolean; value: { sessionId: string; entryUrl: string } }).value;
  sessionId = value.sessionId;
  entryUrl = value.entryUrl;
  await enterProxy(value.entryUrl, token);
  // Every port the process listens on besides the web shell's: the session's proxy ports (one per origin of the guide).
  proxyPorts = listeningPorts(kiosk.process.pid ?? 0).filter((p) => p !== shellPort);
}, 60_000);

afterAll(async () => {
  await kiosk?.stop();
  await Promise.all([siteA?.close(), siteB?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

function requestGenerator(seed: number, port: number, validCookie: () => string): () => string {
  const rnd = seeded(seed ^ port);
  const methods = ['GET', 'GET', 'GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT', 'PRI', 'M-SEARCH', 'PROPFIND', 'get', 'G ET', 'GET\0', '\xc4GET', '', 'X'.repeat(300)];
  const targets = [
    '/', '/espace', '/espace/attestation.pdf', '/__relais/debut', '/__relais/debut?code=x&vers=//127.0.0.1:1/', '/__relais/fin', '/__relais/bloque?origine=javascript:alert(1)',
    '/api/app.info', '/api/teleservice.start', '/api/teleservice.end', '/events', 'file:///etc/passwd', 'http://127.0.0.1:1/', 'https://127.0.0.1:1/', '//127.0.0.1:1/',
    '/\\127.0.0.1:1/', '/.//127.0.0.1:1/', '*', '127.0.0.1:22', 'ws://127.0.0.1:1/', '/%E0%A4%A', '/%', '/%00', '/%zz', '/\x00', '/\x7f', '/\xc3\xa9', `/${'a'.repeat(20_000)}`,
    `/?${'q=1&'.repeat(3_000)}`, '/..%2f..%2f..%2fetc/passwd', '/../../etc/passwd', 'javascript:alert(1)', '/\t', '/ x', '', '/a#b', '/?%', '/index.html?token=%E0',
  ];
  const versions = ['HTTP/1.1', 'HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/0.9', '', 'HTTP/1.1x', 'http/1.1', 'HTTP/9.9', 'HTTP/1.1 extra'];
  const host = `127.0.0.1:${port}`;
  const headerPool: (() => string)[] = [
    () => `Host: ${host}`,
    () => `Host: ${host}`,
    () => 'Host: attacker.example',
    () => `Host: ${host}\r\nHost: attacker.example`,
    () => 'Host: ',
    () => `Host: ${host}\x00`,
    () => `Cookie: ${validCookie()}`,
    () => `Cookie: ${validCookie()}`,
    () => 'Cookie: relais_token=%E0%A4%A',
    () => `Cookie: relais_proxy_${port}=%; relais_token=%`,
    () => `Cookie: ${'c=1; '.repeat(2_000)}`,
    () => 'Cookie: =; ;;=;relais_token',
    () => `Origin: http://${host}`,
    () => 'Origin: null',
    () => 'Origin: http://attacker.example',
    () => 'Origin: \xff\xfe',
    () => 'Referer: ::::',
    () => 'Referer: http://[::1',
    () => `Referer: http://${host}/${'r'.repeat(5_000)}`,
    () => `Sec-Fetch-Site: ${rnd.pick(['same-origin', 'same-site', 'cross-site', 'none', '\x01', ''])}`,
    () => `Sec-Fetch-Mode: ${rnd.pick(['navigate', 'cors', 'no-cors', 'websocket', 'x'])}`,
    () => `Content-Length: ${rnd.pick(['-1', '99999999999999999999', '1, 2', 'abc', '0', '5'])}`,
    () => 'Content-Length: 3\r\nContent-Length: 5',
    () => 'Transfer-Encoding: chunked',
    () => `Transfer-Encoding: ${rnd.pick(['chunked, identity', 'gzip', 'identity', 'chunked\r\nContent-Length: 4'])}`,
    () => 'Expect: 100-continue',
    () => 'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13',
    () => 'Upgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA',
    () => `X-Long: ${'a'.repeat(70_000)}`,
    () => 'X-Fold: a\r\n b',
    () => 'NoColon',
    () => 'Bad Name: x',
    () => 'X-Null: a\x00b',
    () => 'X-Latin: \xe9\xff\x80',
    () => `Accept-Encoding: ${rnd.pick(['gzip', 'br', 'identity;q=0', '*', '\x7f'])}`,
    () => 'Range: bytes=0-0,1-1,2-2,3-3,4-4,5-5,-1',
    () => 'Authorization: Basic !!!',
    () => 'Proxy-Authorization: Basic Zm9vOmJhcg==',
    () => 'Connection: keep-alive, Upgrade, Cookie',
    () => 'Sec-WebSocket-Version: 8\r\nSec-WebSocket-Key: x',
  ];
  const bodies = ['', '', '', 'x=1', '5\r\nhello\r\n0\r\n\r\n', 'zz\r\nbad chunk\r\n', '\x00\x01\x02\xff', '{"guideId":"fuzz"}', 'a'.repeat(10_000)];
  return () => {
    // Half well-formed requests of the session's own browser with one or two hostile parts (they reach the deep
    // code: the proxy's checks, the forwarding, the site), half anything at all (they reach the HTTP parser).
    const plausible = rnd.chance(0.5);
    const line = plausible
      ? `${rnd.pick(['GET', 'POST', 'HEAD', 'GET'])} ${rnd.pick(targets)} HTTP/1.1`
      : `${rnd.pick(methods)} ${rnd.pick(targets)} ${rnd.pick(versions)}`.replace(/ $/, '');
    const base = plausible ? [`Host: ${host}`, `Cookie: ${validCookie()}`] : [];
    const headers = [...base, ...Array.from({ length: plausible ? 1 + rnd.int(2) : rnd.int(9) }, () => rnd.pick(headerPool)())];
    // Mostly one request per connection; sometimes a keep-alive one with a second request pipelined behind it.
    const keepAlive = rnd.chance(0.04);
    const second = keepAlive ? `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n` : '';
    return `${line}\r\n${headers.join('\r\n')}${headers.length ? '\r\n' : ''}${keepAlive ? '' : 'Connection: close\r\n'}\r\n${rnd.pick(bodies)}${second}`;
  };
}

interface PortTally {
  port: number;
  kind: string;
  sent: number;
  byClass: Record<string, number>;
  /** The first requests answered 5xx, to print (escaped, cut). */
  internalErrors: string[];
}

async function fuzzPort(port: number, kind: string, killers: string[], count: number): Promise<PortTally> {
  const next = requestGenerator(SEED, port, () => token.header());
  const queue = [...killers, ...Array.from({ length: count }, next)];
  const tally: PortTally = { port, kind, sent: 0, byClass: {}, internalErrors: [] };
  const worker = async (): Promise<void> => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      const reply = await rawExchange(port, item, 1_500);
      tally.sent += 1;
      const cls = reply.status === null ? 'no answer' : reply.status === 500 ? '500' : `${Math.floor(reply.status / 100)}xx`;
      tally.byClass[cls] = (tally.byClass[cls] ?? 0) + 1;
      if (cls === '500' && tally.internalErrors.length < 5) tally.internalErrors.push(`${JSON.stringify(item.slice(0, 300))} → ${reply.head.split('\r\n')[0]}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return tally;
}

describe('the kiosk process against malformed requests (issue 13, item 2)', () => {
  it(`survives ${REQUESTS_PER_PORT} seeded raw requests on every port it listens on, and still serves the open session`, async () => {
    const pid = kiosk.process.pid ?? 0;
    const listening = listeningPorts(pid);
    console.log(`[kiosk fuzz] kiosk pid ${pid} listens on ${listening.join(', ')} (web shell ${shellPort}, proxy ${proxyPorts.join(', ')})`);
    expect(listening).toContain(shellPort);
    expect(proxyPorts).toHaveLength(2);
    expect(proxyPorts).toContain(Number(new URL(entryUrl).port));

    const tallies: PortTally[] = [];
    const shellHost = `127.0.0.1:${shellPort}`;
    tallies.push(
      await fuzzPort(
        shellPort,
        'web shell',
        [`GET /events HTTP/1.1\r\nHost: ${shellHost}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nCookie: relais_token=%E0%A4%A\r\n\r\n`],
        REQUESTS_PER_PORT,
      ),
    );
    for (const port of proxyPorts) {
      tallies.push(await fuzzPort(port, 'proxy', [`GET file:///etc/passwd HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`, `GET file:///etc/passwd HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${token.header()}\r\n\r\n`], REQUESTS_PER_PORT));
    }
    const alive = kiosk.process.exitCode === null && kiosk.process.signalCode === null;
    for (const t of tallies) {
      console.log(`[kiosk fuzz] ${t.kind} port ${t.port}: ${t.sent} requests sent; answers ${JSON.stringify(t.byClass)}`);
      for (const e of t.internalErrors) console.log(`[kiosk fuzz]   500: ${e}`);
    }
    console.log(`[kiosk fuzz] seed 0x${SEED.toString(16)}: kiosk process ${alive ? 'still running' : `ended (exit code ${kiosk.process.exitCode}, signal ${kiosk.process.signalCode})`}`);
    expect(alive).toBe(true);

    // Still serving: the web shell's page, the open session, and the site through each proxy port.
    expect((await httpGet(`${kiosk.origin}/`, { cookie: token.header() })).status).toBe(200);
    const step = await httpGet(
      `${kiosk.origin}/api/teleservice.goToStep`,
      { cookie: token.header(), origin: kiosk.origin, 'content-type': 'application/json' },
      'POST',
      JSON.stringify({ sessionId, stepIndex: 0 }),
    );
    expect(JSON.parse(step.body)).toEqual({ ok: true, value: { stepIndex: 0 } });
    for (const port of proxyPorts) {
      const page = await httpGet(`http://127.0.0.1:${port}/`, { cookie: token.header(), 'sec-fetch-site': 'same-origin' });
      expect(page.status, `proxy port ${port}`).toBe(200);
      expect(page.body).toContain('Connexion');
    }
    // A proxy port answers what it refuses with 4xx, never with an internal error (a 502 is the site's own answer to
    // what was forwarded, e.g. a body cut short).
    for (const t of tallies.filter((x) => x.kind === 'proxy')) expect(t.byClass['500'] ?? 0, `500 on proxy port ${t.port}`).toBe(0);

    // And says so in the log, with a code.
    const log = readFileSync(join(kiosk.dataDir, 'logs', 'relais.log'), 'utf8');
    const codes = new Map<string, number>();
    for (const line of log.split('\n').filter(Boolean)) {
      const entry = JSON.parse(line) as { code?: string; level: number };
      if (entry.code) codes.set(entry.code, (codes.get(entry.code) ?? 0) + 1);
    }
    console.log(`[kiosk fuzz] log codes: ${[...codes].map(([c, n]) => `${c} ×${n}`).join(', ')}`);
    expect(codes.get('TELESERVICE_PROXY_INTERNAL') ?? 0).toBe(0);
    for (const code of ['TELESERVICE_PROXY_BAD_REQUEST', 'TELESERVICE_PROXY_BAD_TARGET', 'TELESERVICE_PROXY_BAD_HOST', 'WEBSHELL_BAD_REQUEST']) {
      expect(codes.get(code) ?? 0, code).toBeGreaterThan(0);
    }
  }, 300_000);
});
