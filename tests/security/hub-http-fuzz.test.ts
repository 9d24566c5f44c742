// Attack (issue 13, "no request of any shape may end a process"): a raw-socket fuzzer of the hub's HTTP port. The hub
// runs as its own process, the way `npm run hub` runs it (the esbuild bundle under plain Node with its V8 flags), with
// the agents' console and the coordinator's page to serve. Over loopback the fuzzer sends, from a seeded PRNG, malformed
// request lines, methods and targets (absolute-form, authority-form, CONNECT, odd schemes, overlong, control characters,
// bad percent-encoding), headers (duplicate Host, huge, invalid characters, bad Content-Length, chunked garbage), bodies
// for the login and the booths' aggregates, and WebSocket upgrade attempts, some sent in pieces, some pipelined, some
// cut by a reset. Must hold: the process stays up, no answer is a 5xx, no line of its log is error-level (nor anything
// but a log line: a stack trace), and afterwards it still answers /healthz, a booth still signs in and the coordinator
// still reads the dashboard. Replay a run with RELAIS_FUZZ_SEED=<seed> (and RELAIS_FUZZ_REQUESTS=<n>).
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_NODE_FLAGS, buildHub } from '../../build/scripts/build-hub.mjs';
import { hashPassword } from '../../server/auth.js';
import { createCoordinatorStore } from '../../server/coordinator/index.js';
import { createHubStore, openHubDb } from '../../server/store.js';
import { handshakeProtocols } from '../../shared/protocol.js';
import { isoWeekLabel, shiftWeek, weekKeyOf } from '../../shared/time.js';
import { connect } from '../unit/node/hub/helpers.js';
import { ERROR_LEVEL, type LogLine } from './support/http.js';
import { request } from './support/hubRequest.js';
import { mulberry32 } from './support/loopback.js';

const SEED = Number(process.env.RELAIS_FUZZ_SEED ?? 13);
const CONNECTIONS = Number(process.env.RELAIS_FUZZ_REQUESTS ?? 3_000);
const PARALLEL = 48;
/** The bounds on weekly counts the hub is started with (its CLI flags): nothing beyond them may be stored. */
const MAX_COUNT = 5_000;
const MAX_TOTAL = 20_000;
/** A connection is closed by the fuzzer once the hub has been silent this long after answering… */
const IDLE_MS = 250;
/** …or this long without answering at all (it waits for more, or it is busy: other tests may load the machine). */
const FIRST_ANSWER_MS = 2_000;

type Mode = 'wait' | 'half' | 'reset' | 'trickle';
interface Attack {
  data: Buffer;
  mode: Mode;
  /** Requests in `data` (pipelined ones count each). */
  requests: number;
}
interface Context {
  port: number;
  boothToken: string;
  cookie: string;
}

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
const int = (r: () => number, n: number): number => Math.floor(r() * n);
const chance = (r: () => number, p: number): boolean => r() < p;

const BAD_PERCENT = ['%E0%A4%A', '%', '%%', '%zz', '%E0%A4', '%C0%AF', '%ED%A0%80', '%FF', '%00', '%2e%2e%2f', '%252e%252e%252f', '%u2215', '%c0%ae', '%0d%0a'];
const PATHS = [
  '/', '/healthz', '/hub', '/hub?v=3', '/assets/app.js', '/assets/', '/agent.html', '/favicon.ico', '/coordinator', '/coordinator/', '/coordinator/api/login',
  '/coordinator/api/logout', '/coordinator/api/session', '/coordinator/api/dashboard', '/coordinator/api/dashboard.csv', '/coordinator/api/aggregates',
  '/assets/../../../../etc/passwd', '/api/enrol', '/coordinator/api/enrolments', '/coordinator/api/enrolments/1/renew',
];
const SCHEMES = ['http', 'https', 'HTTP', 'ws', 'wss', 'file', 'javascript', 'data', 'gopher', 'ftp', 'blob', 'about', 'view-source', 'x-custom'];
const HOSTS = ['127.0.0.1', 'evil.example', '[::1]', '[', 'a:99999', '%41', 'user:pw@x', '', 'xn--', '0x7f.1', '1.2.3.4.5', 'a b', 'localhost:0'];
const AUTHORITIES = ['127.0.0.1:443', 'evil.example:80', '[::1]:1', 'hub.invalid:0', ':80', 'a:b:c', 'evil.example'];
const METHODS = ['GET', 'GET', 'GET', 'GET', 'HEAD', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'PATCH', 'CONNECT', 'PRI', 'get', 'PROPFIND', 'M-SEARCH', 'LINK', 'SOURCE', 'QUERY', 'G\x00T', 'GE T', '', 'X'.repeat(200), '\xc4\xd6'];
const VERSIONS = ['HTTP/1.1', 'HTTP/1.1', 'HTTP/1.1', 'HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/0.9', 'HTTP/2.0', 'HTTP/1.2', 'HTTP/9.9', 'HTTPS/1.1', 'http/1.1', '', 'HTTP/1.1 x', 'HTTP/1.1\x00'];
const CONTROL = ['\x00', '\x01', '\x08', '\t', '\x0b', '\x0c', '\r', '\n', '\x1b', '\x7f', '\x80', '\xff', ' ', '"', '<', '\\', '{', '|', '#'];
const ODD_HEADER_LINES = ['Bad Header: x', 'X-\x01: y', ': novalue', 'NoColon', ' folded continuation', 'X-Nul: a\x00b', 'X-Del: \x7f', 'Content-Type: application/json; charset=\xff', 'X-Crlf: a\rb', '\xff\xfe: v', 'Transfer-Encoding : chunked'];
const ORGANISATIONS = ['CAF', 'CPAM', 'FT', 'ANTS', 'DGFIP', 'MSA', 'CARSAT', 'ZZZ', '', 'caf'];
const SERVICES = ['info', 'documents', 'visio', 'teleservice', 'internet', 'x'];
const COUNTS: unknown[] = [0, 1, 3, 40, 9_999, 9_007_199_254_740_991, 2 ** 53 + 2, 1e308, -1, 1.5, 2 ** 31, 2 ** 63, '5', null];
/** The weeks of the dashboard's default view (the 12 up to now), and odd ones. */
const RECENT_WEEKS = Array.from({ length: 12 }, (_, k) => isoWeekLabel(shiftWeek(weekKeyOf(Date.now()), -k)));
const WEEKS = [...RECENT_WEEKS, '2026-W01', '2026-W53', '1970-W01', '9999-W52', '2026-W00', 'x'];

function garbage(r: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCharCode(int(r, 256));
  return s;
}

function target(r: () => number, ctx: Context): string {
  const base = pick(r, PATHS);
  switch (int(r, 13)) {
    case 0:
    case 1:
      return base;
    case 2:
      return base + pick(r, BAD_PERCENT);
    case 3: {
      const at = int(r, base.length + 1);
      return base.slice(0, at) + pick(r, BAD_PERCENT) + base.slice(at);
    }
    case 4: // absolute-form, with odd schemes and hosts
      return `${pick(r, SCHEMES)}://${chance(r, 0.5) ? `127.0.0.1:${ctx.port}` : pick(r, HOSTS)}${base}`;
    case 5: // authority-form and asterisk-form
      return chance(r, 0.8) ? pick(r, AUTHORITIES) : '*';
    case 6: // overlong
      return `/assets/${'a'.repeat(chance(r, 0.3) ? 70_000 : 1 + int(r, 9_000))}`;
    case 7: {
      const at = int(r, base.length + 1);
      return base.slice(0, at) + pick(r, CONTROL) + base.slice(at);
    }
    case 8: // dot segments, backslashes, double encoding
      return base.replace('/', pick(r, ['//', '/./', '/../', '/\\', '\\', '/.%2e/', '/%2e%2e/', '/.//', '/%2f/', '/%5c', '/;/', '/..;/']));
    case 9: // a query with odd parameters
      return `${base}?${pick(r, ['from', 'to', 'v', ''])}=${pick(r, [...BAD_PERCENT, '2026-W48', '2026-W01', '0000-W01', '9999-W52', ''])}&${pick(r, ['to', 'from', '&', '=', '#'])}=${pick(r, BAD_PERCENT)}#${pick(r, BAD_PERCENT)}`;
    case 10:
      return garbage(r, int(r, 60));
    case 11: // scheme-relative
      return `//${pick(r, HOSTS)}${base}`;
    default:
      return '';
  }
}

function jsonBody(r: () => number, path: string, malformed: boolean): string {
  if (malformed) {
    const k = int(r, 3);
    if (k === 0) return garbage(r, int(r, 200));
    if (k === 1) return '['.repeat(1 + int(r, 60_000));
    return '{"login":"coord.lot","password":"' + 'x'.repeat(int(r, 300_000)) + '"}';
  }
  if (path.includes('login')) {
    return JSON.stringify(
      pick(r, [
        { login: 'coord.lot', password: `faux-${int(r, 1e6)}` },
        { login: pick(r, ['', ' ', 'x'.repeat(100), '\u0000', 'coord.lot']), password: pick(r, ['', 'x', 'é'.repeat(300)]) },
        { login: 1, password: null },
        { login: 'a', password: 'b', extra: { __proto__: { polluted: true } } },
        [],
        null,
      ]),
    );
  }
  if (path.includes('enrol')) {
    return JSON.stringify(
      pick(r, [
        { code: pick(r, ['ABCD-EFGH', 'abcd efgh', '', '0000-OOOO', 'x'.repeat(64), '\u0000'.repeat(8)]) },
        { code: int(r, 1e8) },
        { name: pick(r, ['Mairie', '', 'é'.repeat(200)]), commune: pick(r, ['Murat', null, 3]) },
        { code: 'ABCD-EFGH', token: 'rb_x' },
        [],
        null,
      ]),
    );
  }
  // Half the payloads have counts of the right shape (some of them absurd: what an attacking booth would send).
  const shaped = chance(r, 0.5);
  const counts = Array.from({ length: int(r, shaped ? 8 : 40) }, () => ({
    organisation: pick(r, shaped ? ['CAF', 'CPAM', 'FT', 'CARSAT'] : ORGANISATIONS),
    service: pick(r, shaped ? SERVICES.slice(0, 5) : SERVICES),
    count: shaped ? (chance(r, 0.85) ? pick(r, [0, 1, 2, 3, 40, 120, 4_999]) : pick(r, [5_001, 9_999, 2 ** 31, 9_007_199_254_740_991])) : pick(r, COUNTS),
  }));
  if (shaped && chance(r, 0.2)) for (let i = counts.length; i < 1_000; i++) counts.push({ organisation: 'CAF', service: 'visio', count: 9_007_199_254_740_991 });
  return JSON.stringify({ siteId: pick(r, ['x', 'site-fuzz-0001', 'booth-0001']), week: pick(r, WEEKS), counts, hash: `fuzz-${int(r, 1e9).toString(16).padStart(8, '0')}` });
}

const ASPECTS = ['none', 'method', 'target', 'version', 'line', 'host', 'headers', 'auth', 'framing', 'body'] as const;
type Aspect = (typeof ASPECTS)[number];

/**
 * One HTTP request (or an attempt at one): request line, headers and body framing. Most requests are well formed but
 * for one aspect (so they reach the routes behind the parser), some are malformed in every aspect at once.
 */
function httpRequest(r: () => number, ctx: Context): string {
  const focus: Aspect = pick(r, ASPECTS);
  const wild = chance(r, 0.15);
  const bad = (aspect: Aspect): boolean => wild || focus === aspect;

  const base = pick(r, PATHS);
  const posts = base === '/coordinator/api/login' || base === '/coordinator/api/aggregates' || base === '/coordinator/api/logout' || base.includes('enrol');
  const method = bad('method') ? pick(r, METHODS) : posts && chance(r, 0.9) ? 'POST' : pick(r, ['GET', 'GET', 'HEAD']);
  const validQuery = base.startsWith('/coordinator/api/dashboard') && chance(r, 0.5) ? `?from=${pick(r, WEEKS)}&to=${pick(r, WEEKS)}` : '';
  const t = bad('target') ? target(r, ctx) : base + validQuery;
  const version = bad('version') ? pick(r, VERSIONS) : 'HTTP/1.1';
  const eol = bad('line') && chance(r, 0.5) ? pick(r, ['\n', '\r', '\n\r', '\r\r\n']) : '\r\n';
  const requestLine = bad('line') && chance(r, 0.3) ? garbage(r, int(r, 100)) : `${method} ${t}${bad('line') && chance(r, 0.3) ? '' : ` ${version}`}`;
  const lines: string[] = [requestLine];

  const host = `127.0.0.1:${ctx.port}`;
  if (!bad('host')) lines.push(`Host: ${host}`);
  else
    switch (int(r, 3)) {
      case 0:
        break; // no Host
      case 1:
        lines.push(`Host: ${host}`, `Host: ${pick(r, ['evil.example', host, ''])}`); // duplicate Host
        break;
      default:
        lines.push(`Host: ${pick(r, ['evil.example', '', '[::1', 'a b', '\x01', 'x'.repeat(10_000), `${host}, evil.example`, '127.0.0.1:99999'])}`);
    }
  // The fuzzer's session is never sent to /logout (a garbage one is), so it stays signed in throughout.
  const ownSession = base !== '/coordinator/api/logout' && !bad('auth');
  if (base.startsWith('/coordinator') && !base.endsWith('aggregates') && (bad('auth') ? chance(r, 0.5) : chance(r, 0.8))) {
    lines.push(`Cookie: ${!ownSession ? pick(r, [`relais_coordinator=${garbage(r, 20)}`, 'relais_coordinator=', `a=b; ${ctx.cookie}x; ${ctx.cookie}x`, 'x'.repeat(8_000)]) : ctx.cookie}`);
  }
  if (base.endsWith('aggregates') && (bad('auth') ? chance(r, 0.5) : true)) {
    lines.push(`Authorization: ${bad('auth') ? pick(r, ['Bearer ', 'Bearer rb_nope', 'Basic Zm9vOmJhcg==', `Bearer ${'x'.repeat(5_000)}`, `bearer ${ctx.boothToken}`]) : `Bearer ${ctx.boothToken}`}`);
  }
  if (chance(r, 0.15)) lines.push(`Origin: ${pick(r, ['http://evil.example', `http://${host}`, 'null', '', garbage(r, 10)])}`);
  if (chance(r, 0.3)) lines.push(`Content-Type: ${pick(r, ['application/json', 'text/plain', 'multipart/form-data; boundary=x', ''])}`);
  if (bad('headers')) {
    if (chance(r, 0.6)) lines.push(pick(r, ODD_HEADER_LINES));
    if (chance(r, 0.2)) lines.push(`X-Huge: ${'a'.repeat(20_000 + int(r, 60_000))}`);
    if (chance(r, 0.1)) for (let i = 0; i < 2_100; i++) lines.push(`X-${i}: v`);
    if (chance(r, 0.3)) lines.push('Expect: 100-continue');
    if (chance(r, 0.3)) lines.push(`Connection: ${pick(r, ['keep-alive', 'Upgrade', 'close, Upgrade', garbage(r, 8)])}`);
  }
  if (chance(r, 0.6)) lines.push('Connection: close');

  const body = method === 'POST' || method === 'PUT' || chance(r, 0.05) ? jsonBody(r, t, bad('body')) : '';
  const bytes = Buffer.byteLength(body, 'latin1');
  if (!bad('framing')) {
    if (body) lines.push(`Content-Length: ${bytes}`);
    return `${lines.join(eol)}${eol}${eol}${body}`;
  }
  switch (int(r, 4)) {
    case 0:
      break; // no framing: the body, if any, is read as the next request
    case 1:
      lines.push(`Content-Length: ${pick(r, ['-1', 'abc', '1e3', ` ${bytes}`, `${bytes}, ${bytes + 1}`, '99999999999999999999', '0x10', '', String(bytes + 10)])}`);
      break;
    case 2:
      lines.push(`Content-Length: ${bytes}`, `Content-Length: ${bytes + int(r, 3)}`);
      break;
    default: {
      lines.push(`Transfer-Encoding: ${pick(r, ['chunked', 'chunked', 'Chunked', 'chunked, gzip', 'gzip', 'identity', 'gzip, chunked'])}`);
      if (chance(r, 0.3)) lines.push(`Content-Length: ${bytes}`);
      const chunked = chance(r, 0.4)
        ? `${bytes.toString(16)}\r\n${body}\r\n0\r\n\r\n`
        : pick(r, [`zz\r\n${body}\r\n0\r\n\r\n`, 'ffffffffffffffff\r\nabc', `5;ext=\x01\r\nabcde\r\n0\r\n\r\n`, `${bytes.toString(16)}\r\n${body}`, `-1\r\n\r\n`, `0\r\nX-Trailer: \x00\r\n\r\n`, `3\r\nabcdef\r\n0\r\n\r\n`]);
      return `${lines.join(eol)}${eol}${eol}${chunked}`;
    }
  }
  return `${lines.join(eol)}${eol}${eol}${body}`;
}

/** A WebSocket upgrade attempt, on the hub's path or another, with valid or broken handshake headers. */
function upgradeRequest(r: () => number, ctx: Context): string {
  const path = pick(r, ['/hub', '/hub', '/hub', '/hub?x=1', '/', '/coordinator', '/assets/app.js', `/hub${pick(r, BAD_PERCENT)}`, '//hub', '/nowhere']);
  const lines = [`${pick(r, ['GET', 'GET', 'GET', 'POST', 'HEAD'])} ${path} HTTP/1.1`, `Host: 127.0.0.1:${ctx.port}`];
  lines.push(`Upgrade: ${pick(r, ['websocket', 'websocket', 'WebSocket', 'h2c', 'websocket, x', '', garbage(r, 6)])}`);
  lines.push(`Connection: ${pick(r, ['Upgrade', 'Upgrade', 'keep-alive, Upgrade', 'upgrade', 'close'])}`);
  const key = pick(r, ['dGhlIHNhbXBsZSBub25jZQ==', 'dGhlIHNhbXBsZSBub25jZQ==', 'short', '', garbage(r, 24), null]);
  if (key !== null) lines.push(`Sec-WebSocket-Key: ${key}`);
  if (chance(r, 0.1)) lines.push('Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==');
  const version = pick(r, ['13', '13', '13', '8', 'x', '', null]);
  if (version !== null) lines.push(`Sec-WebSocket-Version: ${version}`);
  const protocols = pick(r, [
    handshakeProtocols({ booth: ctx.boothToken }).join(', '),
    'relais',
    `relais, relais.booth.${int(r, 1e9)}`,
    `relais, relais.session.${int(r, 1e9)}`,
    `relais.booth.${'A'.repeat(300)}`,
    'relais,,, ,relais.booth.',
    garbage(r, 30),
    null,
  ]);
  if (protocols !== null) lines.push(`Sec-WebSocket-Protocol: ${protocols}`);
  if (chance(r, 0.2)) lines.push(`Sec-WebSocket-Extensions: ${pick(r, ['permessage-deflate', 'permessage-deflate; client_max_window_bits=99', garbage(r, 10)])}`);
  if (chance(r, 0.15)) lines.push(`Origin: ${pick(r, ['http://evil.example', 'null'])}`);
  // After the handshake: nothing, frames of random bytes, or a masked text frame that is not JSON.
  const after = pick(r, ['', '', garbage(r, int(r, 64)), '\x81\x85\x01\x02\x03\x04' + garbage(r, 5), '\x88\x80\x00\x00\x00\x00', '\xff'.repeat(14)]);
  return `${lines.join('\r\n')}\r\n\r\n${after}`;
}

function attack(r: () => number, ctx: Context): Attack {
  const upgrade = chance(r, 0.15);
  const pipelined = !upgrade && chance(r, 0.1) ? 2 + int(r, 2) : 1;
  const parts = Array.from({ length: pipelined }, () => (upgrade ? upgradeRequest(r, ctx) : httpRequest(r, ctx)));
  const mode = pick<Mode>(r, ['wait', 'wait', 'wait', 'wait', 'wait', 'wait', 'half', 'reset', 'reset', 'trickle']);
  return { data: Buffer.from(parts.join(''), 'latin1'), mode, requests: pipelined };
}

/** Sends one attack on its own connection; resolves with the statuses of every answer the hub wrote. */
function send(a: Attack, port: number, localAddress: string | undefined): Promise<number[]> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1', ...(localAddress ? { localAddress } : {}) });
    const received: Buffer[] = [];
    const done = (): void => {
      clearTimeout(cap);
      const text = Buffer.concat(received).toString('latin1');
      resolve([...text.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1])));
    };
    const cap = setTimeout(() => socket.destroy(), 8_000);
    socket.setTimeout(FIRST_ANSWER_MS, () => socket.destroy());
    socket.on('data', (d: Buffer) => {
      if (received.length === 0) socket.setTimeout(IDLE_MS);
      received.push(d);
    });
    socket.on('error', () => undefined);
    socket.on('close', done);
    socket.on('connect', () => {
      if (a.mode === 'trickle') {
        const pieces: Buffer[] = [];
        for (let at = 0; at < a.data.length; ) {
          const size = Math.max(1, Math.ceil(a.data.length / 8));
          pieces.push(a.data.subarray(at, at + size));
          at += size;
        }
        const next = (): void => {
          const piece = pieces.shift();
          if (piece && !socket.destroyed) socket.write(piece, () => setTimeout(next, 2));
        };
        next();
        return;
      }
      socket.write(a.data);
      if (a.mode === 'half') socket.end();
      if (a.mode === 'reset') socket.resetAndDestroy();
    });
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (probe.address() as net.AddressInfo).port;
      probe.close(() => resolve(p));
    });
  });
}

/** 127.0.0.2 when this system routes it over loopback (Linux does): the fuzzer's failed sign-ins then do not count against the booth's address. */
async function fuzzerAddress(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.2' });
    s.once('connect', () => {
      s.destroy();
      resolve('127.0.0.2');
    });
    s.once('error', () => resolve(undefined));
  });
}

let dir: string;
let child: ChildProcess;
let ctx: Context;
let verifierCookie = '';
let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
const logLines: LogLine[] = [];
const notLogLines: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'relais-hub-fuzz-'));
  const staticDir = path.join(dir, 'static');
  mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  writeFileSync(path.join(staticDir, 'agent.html'), '<!doctype html><title>Console</title>');
  writeFileSync(path.join(staticDir, 'coordinator.html'), '<!doctype html><title>Tableau de bord</title>');
  writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'export {};');
  const dataDir = path.join(dir, 'data');
  mkdirSync(dataDir);
  const store = createHubStore(openHubDb(path.join(dataDir, 'hub.sqlite')));
  const boothToken = store.addBooth('Relais de Gramat', Date.now()).token;
  const coordinators = createCoordinatorStore(store.db);
  coordinators.add('coord.lot', await hashPassword('mot-de-passe-lot'), Date.now());
  coordinators.add('coord.verif', await hashPassword('mot-de-passe-verif'), Date.now());
  store.db.close();

  const port = await freePort();
  const bundle = await buildHub();
  const args = ['--port', String(port), '--data-dir', dataDir, '--static-dir', staticDir, '--max-weekly-count', String(MAX_COUNT), '--max-weekly-total', String(MAX_TOTAL)];
  child = spawn(process.execPath, [...HUB_NODE_FLAGS, bundle, ...args], {
    env: { ...process.env, RELAIS_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.once('exit', (code, signal) => (exited = { code, signal }));
  let partial = '';
  child.stderr!.on('data', (d: Buffer) => {
    const text = partial + d.toString('utf8');
    const lines = text.split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        logLines.push(JSON.parse(line) as LogLine);
      } catch {
        notLogLines.push(line);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Hub prêt')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`hub exited ${code}: ${out} ${notLogLines.join('\n')}`)));
  });

  const signIn = async (login: string, password: string): Promise<string> => {
    const answer = await request(`http://127.0.0.1:${port}`, {
      method: 'POST',
      path: '/coordinator/api/login',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ login, password }),
    });
    expect(answer.status).toBe(200);
    return String(answer.headers['set-cookie']).split(';')[0]!;
  };
  // The fuzzer uses (and logs out) the first session; the second one, which it never sees, reads the dashboard after.
  ctx = { port, boothToken, cookie: await signIn('coord.lot', 'mot-de-passe-lot') };
  verifierCookie = await signIn('coord.verif', 'mot-de-passe-verif');
}, 60_000);

afterAll(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the hub under a raw-socket HTTP fuzzer', () => {
  it(`stays up, answers no 5xx and logs no error through ${CONNECTIONS} malformed connections (seed ${SEED})`, { timeout: 240_000 }, async () => {
    const r = mulberry32(SEED);
    const attacks = Array.from({ length: CONNECTIONS }, () => attack(r, ctx));
    const localAddress = await fuzzerAddress(ctx.port);
    const byStatus = new Map<number, number>();
    const fiveHundreds: string[] = [];
    let requests = 0;
    let answered = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < attacks.length && exited === null) {
        const i = next++;
        const a = attacks[i]!;
        const statuses = await send(a, ctx.port, localAddress);
        requests += a.requests;
        if (statuses.length > 0) answered++;
        for (const s of statuses) {
          byStatus.set(s, (byStatus.get(s) ?? 0) + 1);
          if (s >= 500) fiveHundreds.push(`#${i} (${a.mode}) → ${s}: ${JSON.stringify(a.data.toString('latin1').slice(0, 160))}`);
        }
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const statuses = Object.fromEntries([...byStatus].sort(([a], [b]) => a - b));
    console.log(
      `HTTP fuzzer (seed ${SEED}): ${requests} requests sent over ${CONNECTIONS} connections in ${seconds} s` +
        `${localAddress ? ` from ${localAddress}` : ''}; ${answered} connections answered; answers by status ${JSON.stringify(statuses)}; ` +
        `hub ${exited ? `EXITED ${JSON.stringify(exited)}` : 'still running'}; ${logLines.filter((l) => l.level >= ERROR_LEVEL).length} error-level log lines`,
    );
    if (fiveHundreds.length > 0) console.log(fiveHundreds.slice(0, 20).join('\n'));

    expect(exited, `the hub process ended: ${notLogLines.join('\n')}`).toBeNull();
    expect(fiveHundreds).toEqual([]);
    expect(notLogLines).toEqual([]);
    expect(logLines.filter((l) => l.level >= ERROR_LEVEL)).toEqual([]);

    // Still serving: the health probe, a booth's sign-in (from the booth's own address) and the coordinator's dashboard.
    expect((await request(`http://127.0.0.1:${ctx.port}`, { path: '/healthz' })).status).toBe(200);
    const booth = await connect(`ws://127.0.0.1:${ctx.port}/hub`, handshakeProtocols({ booth: ctx.boothToken }));
    try {
      expect((await booth.next('auth.ok')).name).toBe('Relais de Gramat');
    } finally {
      booth.close();
    }
    const dashboard = await request(`http://127.0.0.1:${ctx.port}`, { path: '/coordinator/api/dashboard', headers: { Cookie: verifierCookie } });
    expect(dashboard.status).toBe(200);
    const csv = await request(`http://127.0.0.1:${ctx.port}`, { path: '/coordinator/api/dashboard.csv', headers: { Cookie: verifierCookie } });
    expect(csv.status).toBe(200);
    expect(exited).toBeNull();

    // What the fuzzer's aggregates left in the hub's database is within the bounds given on its command line.
    const db = new Database(path.join(dir, 'data', 'hub.sqlite'), { readonly: true });
    try {
      const stored = db.prepare('SELECT COUNT(*) AS weeks, MAX(total) AS maxTotal, (SELECT MAX(count) FROM aggregate_counts) AS maxCount FROM aggregate_weeks').get() as {
        weeks: number;
        maxTotal: number | null;
        maxCount: number | null;
      };
      console.log(`weeks stored by the fuzzer's aggregates: ${stored.weeks}; largest week total ${stored.maxTotal}, largest count ${stored.maxCount}`);
      expect(stored.maxTotal ?? 0).toBeLessThanOrEqual(MAX_TOTAL);
      expect(stored.maxCount ?? 0).toBeLessThanOrEqual(MAX_COUNT);
    } finally {
      db.close();
    }
  });
});
