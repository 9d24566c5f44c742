// deploy/compose.yaml run from its own text, without Docker: Docker Hub cannot be reached from the machines the tests
// run on, so its images cannot be pulled, but what the file says of each service can still be run for real. Each
// service is started from the file's `command` and `environment` (its variables interpolated as compose does), with
// Debian's programs in place of the images: PostgreSQL, Redis, three hub nodes from the bundle, HAProxy with
// deploy/haproxy/compose.cfg and its TLS, coturn. What differs is only what Docker's network gives: each service's name
// and fixed port become 127.0.0.1 and a free port, and the certificate mounted in /etc/haproxy/certs is a test one.
// Then each service's health check, as written, passes; a booth and an agent behind HAProxy's TLS talk through two
// nodes over the direct link the file's RELAIS_LINK_* settings describe; and Chromium's WebSocket goes over HTTP/2
// (compose.cfg offers h2: an extended CONNECT that HAProxy turns into the node's upgrade). A setting the hub no longer
// reads, a flag a program refuses, or a HAProxy directive 2.6 rejects fails here.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { HUB_BUNDLE, buildHub } from '../../../../build/scripts/build-hub.mjs';
import { hashPassword } from '../../../../server/auth.js';
import { openPostgresStores, type PostgresStores } from '../../../../server/sharedStore/postgres.js';
import { ALWAYS_OPEN } from '../../../../server/store.js';
import { acceptsConnections, freeLoopbackPort, requireProgram, startChild, stopChild, type StartedChild } from '../../../support/childServer.js';
import { startDeployedHaproxy, testCertificate } from '../../../support/haproxy.js';
import { startPostgres, type RunningPostgres } from '../../../support/postgres.js';
import { CHROMIUM_ARGS, CHROMIUM_ENV } from '../../../e2e/playwright.config.js';
import { connect, type RawClient } from '../hub/helpers.js';

const ROOT = resolve(import.meta.dirname, '../../../..');
const DEPLOY = join(ROOT, 'deploy');

interface Service {
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  working_dir?: string;
  volumes?: string[];
  ulimits?: { nofile?: number };
  networks?: { default?: { ipv4_address?: string } };
}

/** Compose's interpolation of `${VAR}`, `${VAR:-default}` and `${VAR:?error}` (the forms the file uses). */
function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([-?])([^}]*))?\}/g, (_, name: string, op: string | undefined, arg: string | undefined) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (op === '-') return arg ?? '';
    if (op === '?') throw new Error(`${name}: ${arg}`);
    return '';
  });
}

const COMPOSE_TEXT = readFileSync(join(DEPLOY, 'compose.yaml'), 'utf8');
const PG_PASSWORD = 'Essai-compose-2026';
const TURN_PASSWORD = 'tour-compose';
const compose = parseYaml(interpolate(COMPOSE_TEXT, { RELAIS_PG_PASSWORD: PG_PASSWORD, RELAIS_TURN_PASSWORD: TURN_PASSWORD }), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;
const NODE_NAMES = Object.keys(services).filter((name) => /^node\d+$/.test(name));
const AGENT_PASSWORD = 'mot-de-passe-compose';

const work = mkdtempSync(join(tmpdir(), 'relais-compose-'));
const started: StartedChild[] = [];
let pgServer: RunningPostgres | null = null;
let stores: PostgresStores | null = null;
let haproxy: StartedChild | null = null;
/** Each service's fixed port in the file, and the free loopback port standing for it here. */
const ports = new Map<string, number>();
const clients: RawClient[] = [];
let boothToken = '';
let caPem = '';

/** `name:port` of a compose service, as the file writes it in URLs and options, put on loopback. */
function onLoopback(text: string): string {
  return text.replace(/\b(postgres|redis|node\d+):(\d+)\b/g, (whole, name: string, port: string) => {
    const here = ports.get(`${name}:${port}`);
    return here === undefined ? whole : `127.0.0.1:${here}`;
  });
}
/** The file's value, with one fixed port of a service replaced by the one it has here. */
const withPort = (text: string, service: string, port: number): string => text.split(String(port)).join(String(ports.get(`${service}:${port}`)));

/** A service's health check (`CMD` form) run here: the program and its arguments, rewritten by `rewrite`. */
function healthCheck(service: string, rewrite: (args: string[]) => string[]): { status: number | null; output: string } {
  const test = services[service]?.healthcheck?.test ?? [];
  expect(test[0], service).toBe('CMD');
  const [program, ...args] = rewrite(test.slice(1));
  const run = spawnSync(program!, args, { encoding: 'utf8', timeout: 10_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

beforeAll(async () => {
  await buildHub();
  for (const [service, port] of [['postgres', 5432], ['redis', 6379], ...NODE_NAMES.flatMap((n) => [[n, 8787], [n, 8788]]), ['haproxy', 80], ['haproxy', 443], ['coturn', 3478]] as Array<[string, number]>)
    ports.set(`${service}:${port}`, await freeLoopbackPort());

  // PostgreSQL: the image's role and database (POSTGRES_USER, POSTGRES_DB) on Debian's server.
  pgServer = await startPostgres();
  const env = services.postgres?.environment ?? {};
  const admin = new pg.Client({ connectionString: pgServer.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${env.POSTGRES_DB}`);
  await admin.end();
  ports.set('postgres:5432', pgServer.port);
  const pgUrl = onLoopback(services.node1?.environment?.RELAIS_POSTGRES_URL ?? '');
  stores = await openPostgresStores(pgUrl);
  await stores.store.seedOrganisations(ALWAYS_OPEN);
  await stores.store.addAgent({ organisation: 'CAF', login: 'caf-compose', displayName: 'Agent compose', passwordHash: await hashPassword(AGENT_PASSWORD) }, Date.now());
  boothToken = (await stores.store.addBooth('Site compose', Date.now())).token;

  // Redis: the file's command, on loopback.
  const [redisProgram, ...redisArgs] = services.redis?.command ?? [];
  const redisPort = ports.get('redis:6379')!;
  started.push(
    await startChild(requireProgram(redisProgram!, 'redis-server'), [...redisArgs, '--bind', '127.0.0.1', '--port', String(redisPort), '--dir', work, '--daemonize', 'no'], {
      ready: (out) => out.includes('Ready to accept connections'),
    }),
  );

  // The nodes: the file's command from its working directory (the repository), its environment on loopback.
  for (const name of NODE_NAMES) {
    const service = services[name]!;
    expect(service.working_dir).toBe('/opt/relais');
    expect(service.volumes).toContain('..:/opt/relais:ro');
    const [program, ...args] = service.command ?? [];
    expect(program).toBe('node');
    // The bundle the file runs is the one built here.
    expect(args.map((a) => join(ROOT, a))).toContain(HUB_BUNDLE);
    const host = args.indexOf('--host');
    const port = args.indexOf('--port');
    expect(args[host + 1]).toBe('0.0.0.0');
    args[host + 1] = '127.0.0.1';
    args[port + 1] = String(ports.get(`${name}:${args[port + 1]}`));
    // Values rewritten, names kept as the file has them: the other nodes reach this one's link by its service name, and
    // HAProxy by its fixed address on Docker's network (both loopback here); the link's fixed port is a free one.
    const proxyAddress = services.haproxy?.networks?.default?.ipv4_address;
    const here = (value: string): string => (value === name || value === proxyAddress ? '127.0.0.1' : value === '8788' ? String(ports.get(`${name}:8788`)) : onLoopback(value));
    const environment = Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, k === 'RELAIS_NODE_ID' ? v : here(v)]));
    started.push(
      await startChild(process.execPath, args, {
        cwd: ROOT,
        env: { PATH: process.env.PATH, ...environment },
        ready: (out) => out.includes('prêt'),
        timeoutMs: 30_000,
      }),
    );
  }

  // HAProxy: compose.cfg, its binds and servers on loopback, the certificate mounted at /etc/haproxy/certs a test one.
  const certs = join(work, 'certs');
  mkdirSync(certs);
  const certificate = testCertificate(certs);
  caPem = certificate.ca;
  const mount = (services.haproxy?.volumes ?? []).find((v) => v.endsWith(':/etc/haproxy/certs:ro'));
  expect(mount).toBe('./certs:/etc/haproxy/certs:ro');
  // Docker's DNS server is not here; the servers are given by address, so it is never asked.
  const rewrites: Array<[RegExp, string]> = [[/nameserver dns 127\.0\.0\.11:53/, `nameserver dns 127.0.0.1:${await freeLoopbackPort()}`]];
  for (const name of NODE_NAMES) rewrites.push([new RegExp(`^(\\s*server ${name} )${name}:8787$`, 'm'), `$1127.0.0.1:${ports.get(`${name}:8787`)}`]);
  const proxy = await startDeployedHaproxy(readFileSync(join(DEPLOY, 'haproxy/compose.cfg'), 'utf8'), {
    dir: work,
    http: ports.get('haproxy:80')!,
    https: ports.get('haproxy:443')!,
    pem: certificate.pem,
    rewrites,
  });
  haproxy = proxy.started;
  started.push(haproxy);
  // HAProxy asks for two descriptors per connection of its maxconn: the file gives its container that many.
  expect(services.haproxy?.ulimits?.nofile).toBeGreaterThan(2 * proxy.maxconn);

  // coturn: the file's command, listening on loopback (the file runs it on the host's network).
  const [, ...turnArgs] = services.coturn?.command ?? [];
  const turnPort = ports.get('coturn:3478')!;
  started.push(
    await startChild(
      requireProgram('turnserver', 'coturn'),
      [...turnArgs, '-n', '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--listening-port=${turnPort}`, '--min-port=49152', '--max-port=49652', '--no-tls', '--no-dtls', `--pidfile=${join(work, 'turn.pid')}`, `--userdb=${join(work, 'turn.db')}`, '--log-file=stdout', '--simple-log'],
      { ready: (out) => /IPv4\. UDP listener opened|Total General servers/.test(out) },
    ),
  );
}, 180_000);

afterAll(async () => {
  for (const c of clients) c.ws.terminate();
  for (const c of started.reverse()) await stopChild(c.child);
  await stores?.close();
  await pgServer?.stop();
  rmSync(work, { recursive: true, force: true });
}, 60_000);

describe('deploy/compose.yaml run from its text, without Docker (Debian programs, loopback)', () => {
  it('needs its passwords: compose stops with the file\'s message when one is missing', () => {
    expect(() => interpolate(COMPOSE_TEXT, { RELAIS_TURN_PASSWORD: TURN_PASSWORD })).toThrow('RELAIS_PG_PASSWORD: set RELAIS_PG_PASSWORD');
    expect(() => interpolate(COMPOSE_TEXT, { RELAIS_PG_PASSWORD: PG_PASSWORD })).toThrow('RELAIS_TURN_PASSWORD: set RELAIS_TURN_PASSWORD');
    expect(services.node1?.environment?.RELAIS_PUBLIC_URL).toBe('https://localhost');
    expect(services.node1?.environment?.RELAIS_POSTGRES_URL).toContain(`:${PG_PASSWORD}@postgres:5432/`);
  });

  it("passes every service's health check as the file writes it", () => {
    const pgPort = String(pgServer!.port);
    const pg = healthCheck('postgres', (args) => [...args, '-h', '127.0.0.1', '-p', pgPort]);
    expect(pg.status, pg.output).toBe(0);
    const redis = healthCheck('redis', ([program, ...args]) => [program!, '-p', String(ports.get('redis:6379')), ...args]);
    expect(redis.output.trim()).toBe('PONG');
    for (const name of NODE_NAMES) {
      const node = healthCheck(name, ([program, ...args]) => [program === 'node' ? process.execPath : program!, ...args.map((a) => withPort(a, name, 8787))]);
      expect(node.status, `${name}: ${node.output}`).toBe(0);
    }
    const proxy = healthCheck('haproxy', (args) => args.map((a) => a.replace(/\/443$/, `/${ports.get('haproxy:443')}`)));
    expect(proxy.status, proxy.output).toBe(0);
    const turn = healthCheck('coturn', ([program, ...args]) => [program!, '-p', String(ports.get('coturn:3478')), ...args]);
    expect(turn.status, turn.output).toBe(0);
  });

  it('redirects http to https and answers /healthz through HAProxy with HSTS', async () => {
    const redirect = await new Promise<{ status: number; location: string }>((resolvePromise, reject) => {
      httpRequest({ host: '127.0.0.1', port: ports.get('haproxy:80'), path: '/healthz', headers: { host: 'relais.example' } }, (res) => {
        res.resume();
        resolvePromise({ status: res.statusCode ?? 0, location: String(res.headers.location) });
      })
        .once('error', reject)
        .end();
    });
    expect(redirect).toEqual({ status: 301, location: 'https://relais.example/healthz' });
    const { request } = await import('node:https');
    const health = await new Promise<{ status: number; hsts: string; body: { ok: boolean; node: string } }>((resolvePromise, reject) => {
      request({ host: '127.0.0.1', port: ports.get('haproxy:443'), path: '/healthz', ca: caPem }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, hsts: String(res.headers['strict-transport-security']), body: JSON.parse(body) as { ok: boolean; node: string } }));
      })
        .once('error', reject)
        .end();
    });
    expect(health.status).toBe(200);
    expect(health.hsts).toBe('max-age=31536000');
    expect(health.body.ok).toBe(true);
    expect(NODE_NAMES.some((n) => health.body.node.startsWith(n))).toBe(true);
  });

  it('puts a call through HAProxy\'s TLS from a booth on one node to an agent on another, over the nodes\' direct link', async () => {
    const url = `wss://127.0.0.1:${ports.get('haproxy:443')}/hub`;
    const healthOf = async (name: string): Promise<{ node: string; sockets: number; links: { out: number; in: number; viaLink: number } }> =>
      (await fetch(`http://127.0.0.1:${ports.get(`${name}:8787`)}/healthz`)).json() as never;
    // Each node is named by the file's RELAIS_NODE_ID and has opened its link to the two others.
    for (const name of NODE_NAMES) {
      const end = Date.now() + 15_000;
      let h = await healthOf(name);
      while (h.links.out < NODE_NAMES.length - 1 && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 100));
        h = await healthOf(name);
      }
      expect(h.node.startsWith(name), h.node).toBe(true);
      expect(h.links.out, name).toBe(NODE_NAMES.length - 1);
      // Its link listens on the file's RELAIS_LINK_PORT (unset, it would take any free port).
      expect(await acceptsConnections(ports.get(`${name}:8788`)!), name).toBe(true);
    }
    const agent = await connect(url, undefined, { ca: caPem });
    clients.push(agent);
    agent.send({ type: 'auth.agent', login: 'caf-compose', password: AGENT_PASSWORD });
    await agent.next('auth.ok');
    agent.send({ type: 'agent.status', status: 'available' });
    // leastconn sends the next connection to a node holding none: the booth is on another node than the agent.
    const booth = await connect(url, undefined, { ca: caPem });
    clients.push(booth);
    booth.send({ type: 'auth.booth', token: boothToken });
    await booth.next('auth.ok');
    const holding = await Promise.all(NODE_NAMES.map(healthOf));
    expect(holding.filter((h) => h.sockets === 1)).toHaveLength(2);
    const end = Date.now() + 10_000;
    for (;;) {
      agent.send({ type: 'presence.get' });
      const p = await agent.next('presence');
      if (p.organisations.some((o) => o.code === 'CAF' && o.agentsAvailable > 0)) break;
      if (Date.now() > end) throw new Error('the agent never shown available');
      await new Promise((r) => setTimeout(r, 50));
    }
    booth.send({ type: 'call.request', organisation: 'CAF' });
    const ringing = await agent.next('call.ringing', undefined, 15_000);
    agent.send({ type: 'call.accept', callId: ringing.callId });
    const accepted = await booth.next('call.accepted', undefined, 15_000);
    expect(accepted.callId).toBe(ringing.callId);
    const before = (await Promise.all(NODE_NAMES.map(healthOf))).reduce((sum, h) => sum + h.links.viaLink, 0);
    booth.send({ type: 'signal', callId: accepted.callId, data: { sdp: 'offre compose' } });
    expect((await agent.next('signal', undefined, 10_000)).data).toEqual({ sdp: 'offre compose' });
    agent.send({ type: 'signal', callId: accepted.callId, data: { sdp: 'réponse compose' } });
    expect((await booth.next('signal', undefined, 10_000)).data).toEqual({ sdp: 'réponse compose' });
    const after = (await Promise.all(NODE_NAMES.map(healthOf))).reduce((sum, h) => sum + h.links.viaLink, 0);
    expect(after).toBeGreaterThan(before);
    booth.send({ type: 'call.hangup', callId: accepted.callId });
    await agent.next('call.ended', undefined, 10_000);
  }, 60_000);

  it("lets Chromium, over HTTP/2 to HAProxy (ALPN h2), open the hub's WebSocket and sign a booth in", async () => {
    const origin = `https://127.0.0.1:${ports.get('haproxy:443')}`;
    const browser = await chromium.launch({ executablePath: requireProgram('chromium', 'chromium'), headless: true, args: CHROMIUM_ARGS, env: CHROMIUM_ENV });
    try {
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      const response = await page.goto(`${origin}/healthz`);
      expect(response?.status()).toBe(200);
      // The page came over HTTP/2: a WebSocket to the same origin now goes as an extended CONNECT (RFC 8441) on it,
      // which HAProxy turns into the HTTP/1.1 upgrade the node answers.
      expect(await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).nextHopProtocol)).toBe('h2');
      const answer = await page.evaluate(
        async ([url, token]) =>
          new Promise<string>((resolvePromise) => {
            const ws = new WebSocket(url!);
            ws.onopen = () => ws.send(JSON.stringify({ type: 'auth.booth', token }));
            ws.onmessage = (e) => {
              const frame = JSON.parse(String(e.data)) as { type: string };
              if (frame.type.startsWith('auth.')) {
                resolvePromise(frame.type);
                ws.close();
              }
            };
            ws.onerror = () => resolvePromise('error');
          }),
        [`wss://127.0.0.1:${ports.get('haproxy:443')}/hub`, boothToken],
      );
      expect(answer).toBe('auth.ok');
      // HAProxy's log (compose.cfg: httplog on stdout) has the WebSocket as an HTTP/2 request answered 101 by a node,
      // written once it closed.
      const upgraded = /hub_nodes\/node\d+ \S+ 101 .*"GET https:\/\/127\.0\.0\.1:\d+\/hub HTTP\/2\.0"/;
      const end = Date.now() + 10_000;
      while (!upgraded.test(haproxy!.output()) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      expect(haproxy!.output()).toMatch(upgraded);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
