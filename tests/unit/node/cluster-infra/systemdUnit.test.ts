// deploy/systemd/relais-hub@.service run from its own text, as systemd would start two instances on one machine: its
// ExecStart from its WorkingDirectory, its EnvironmentFile and Environment lines with the specifiers expanded (%i the
// instance's port, %l the host's short name), a hub.yaml as its comments describe; deploy/haproxy/relais.cfg in front
// of them, and the README's drain of a node through HAProxy's runtime API; then SIGTERM, the unit's KillSignal. Only
// what cannot be here is replaced: systemd itself (no systemd runs the tests), /usr/bin/node by this Node, /opt/relais
// by the repository, /etc/relais by a temp folder, and the addresses by loopback.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildHub } from '../../../../build/scripts/build-hub.mjs';
import { nodeIdFor } from '../../../../server/cluster/node.js';
import { acceptsConnections, freeLoopbackPort, startChild, stopChild, type StartedChild } from '../../../support/childServer.js';
import { adminCommand, backendStates, startDeployedHaproxy, testCertificate } from '../../../support/haproxy.js';
import { startPostgres, type RunningPostgres } from '../../../support/postgres.js';
import { startRedis, type RunningRedis } from '../../../support/redis.js';

const ROOT = resolve(import.meta.dirname, '../../../..');
const UNIT = readFileSync(join(ROOT, 'deploy/systemd/relais-hub@.service'), 'utf8');
const setting = (key: string): string[] => [...UNIT.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1] ?? '');
/** A machine named as departments name theirs: its full name is longer than a node's name may be. */
const FQDN = 'srv-relais-visio-hub-01.prefecture-du-departement.example.fr';

/** systemd's specifiers the unit uses: %i the instance, %l the short host name, %H the full one, %% a percent sign. */
function expand(text: string, instance: string, host = FQDN): string {
  return text.replace(/%([ilH%])/g, (_, s: string) => (s === 'i' ? instance : s === 'l' ? host.split('.')[0]! : s === 'H' ? host : '%'));
}

/** Whether a port of 127.0.0.1 can be listened on now. */
function free(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const server = net.createServer();
    server.once('error', () => resolvePromise(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePromise(true)));
  });
}

const work = mkdtempSync(join(tmpdir(), 'relais-unit-'));
let redis: RunningRedis | null = null;
let pgServer: RunningPostgres | null = null;
const instances: Array<{ port: number; proc: StartedChild }> = [];

beforeAll(async () => {
  await buildHub();
  [pgServer, redis] = await Promise.all([startPostgres(), startRedis()]);
  // /etc/relais/hub.env as the unit's comment lists it, and /etc/relais/hub.yaml with this machine's address.
  writeFileSync(join(work, 'hub.env'), [`RELAIS_REDIS_URL=${redis.url}`, `RELAIS_POSTGRES_URL=${pgServer.url}`, 'RELAIS_TRUSTED_PROXIES=127.0.0.1', 'RELAIS_LOG_LEVEL=info', ''].join('\n'));
  writeFileSync(join(work, 'hub.yaml'), 'host: 127.0.0.1\n');
  // Two instances whose ports and link ports (1 before the instance: 8787 → 18787) are free here.
  const ports: number[] = [];
  for (let port = 2000 + Math.floor(Math.random() * 3000); ports.length < 2 && port <= 5535; port++) if ((await free(port)) && (await free(Number(`1${port}`)))) ports.push(port);
  expect(ports).toHaveLength(2);
  const fromFile = Object.fromEntries(
    readFileSync(join(work, 'hub.env'), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  expect(setting('EnvironmentFile')).toEqual(['/etc/relais/hub.env']);
  expect(setting('WorkingDirectory')).toEqual(['/opt/relais']);
  for (const port of ports) {
    const instance = String(port);
    const environment = Object.fromEntries(setting('Environment').map((line) => expand(line, instance).split(/=(.*)/s).slice(0, 2) as [string, string]));
    const [program, ...args] = expand(setting('ExecStart')[0] ?? '', instance).split(/\s+/);
    expect(program).toBe('/usr/bin/node');
    const here = args.map((a) => (a === '/etc/relais/hub.yaml' ? join(work, 'hub.yaml') : a));
    instances.push({
      port,
      proc: await startChild(process.execPath, here, { cwd: ROOT, env: { PATH: process.env.PATH, ...fromFile, ...environment }, ready: (out) => out.includes('prêt'), timeoutMs: 30_000 }),
    });
  }
}, 120_000);

afterAll(async () => {
  for (const i of instances) await stopChild(i.proc.child);
  await redis?.stop();
  await pgServer?.stop();
  rmSync(work, { recursive: true, force: true });
}, 60_000);

describe('deploy/systemd/relais-hub@.service run from its text (two instances, loopback)', () => {
  it("names each node after the host's short name and its port, which a long host name keeps valid", () => {
    const value = setting('Environment').find((line) => line.startsWith('RELAIS_NODE_ID='))!.slice('RELAIS_NODE_ID='.length);
    expect(nodeIdFor(expand(value, '8787'))).toMatch(/^srv-relais-visio-hub-01-8787\.[0-9a-f]{6}$/);
    // The full name would pass the 48 characters a node's name may have: the node would refuse to start.
    expect(() => nodeIdFor(expand('%H-%i', '8787'))).toThrow(/Nom de nœud invalide/);
  });

  it('starts both instances as nodes of one hub, each linked to the other on port 1 followed by its own', async () => {
    for (const { port } of instances) {
      const end = Date.now() + 15_000;
      let health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { node: string; links: { out: number; in: number } };
      while ((health.links.out < 1 || health.links.in < 1) && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 100));
        health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as typeof health;
      }
      expect(health.node).toMatch(new RegExp(`^srv-relais-visio-hub-01-${port}\\.[0-9a-f]{6}$`));
      expect(health.links).toMatchObject({ out: 1, in: 1 });
      expect(await acceptsConnections(Number(`1${port}`))).toBe(true);
    }
  });

  it("behind deploy/haproxy/relais.cfg: HAProxy drops root for its own user, and a node drained as the README says gets no new booth and keeps its own", async () => {
    // relais.cfg from its text: binds and the nodes' private addresses on loopback, the certificate and the runtime
    // API's socket in the temp folder; node3 has no node here (down, as a machine switched off).
    const certs = join(work, 'certs');
    mkdirSync(certs);
    const certificate = testCertificate(certs);
    const [http, https, gone] = [await freeLoopbackPort(), await freeLoopbackPort(), await freeLoopbackPort()];
    const admin = join(work, 'admin.sock');
    const root = process.getuid?.() === 0;
    // Only root can change user or chroot: as another user, HAProxy runs as that user.
    if (!root) console.log('relais.cfg: not run as root, so its user, group and chroot lines are left out here (they are checked when the tests run as root)');
    const { started: proxy } = await startDeployedHaproxy(readFileSync(join(ROOT, 'deploy/haproxy/relais.cfg'), 'utf8'), {
      dir: work,
      http,
      https,
      pem: certificate.pem,
      rewrites: [
        [/stats socket \/run\/haproxy\/admin\.sock/, `stats socket ${admin}`],
        // No syslog here: the log goes to HAProxy's output rather than to this machine's /dev/log.
        [/^(\s*)log \/dev\/log local0$/m, '$1log stdout format raw local0'],
        [/^(\s*server node1) 10\.0\.0\.11:8787$/m, `$1 127.0.0.1:${instances[0]!.port}`],
        [/^(\s*server node2) 10\.0\.0\.12:8787$/m, `$1 127.0.0.1:${instances[1]!.port}`],
        [/^(\s*server node3) 10\.0\.0\.13:8787$/m, `$1 127.0.0.1:${gone}`],
      ],
      adapt: (cfg) => (root ? cfg : cfg.replace(/^\s*(user|group|chroot) .*$/gm, '')),
    });
    try {
      if (root) {
        const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${proxy.pid}/status`, 'utf8'))?.[1]);
        expect(uid).toBe(Number(execFileSync('id', ['-u', 'haproxy']).toString().trim()));
        expect(readlinkSync(`/proc/${proxy.pid}/root`)).toBe('/var/lib/haproxy');
      }
      const status = async (): Promise<Record<string, string>> => Object.fromEntries((await backendStates(admin, 'hub_nodes')).map((b) => [b.name, b.status]));
      const end = Date.now() + 10_000;
      const settled = (s: Record<string, string>): boolean => s.node1 === 'UP' && s.node2 === 'UP' && s.node3 === 'DOWN';
      while (!settled(await status()) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
      expect(await status()).toMatchObject({ node1: 'UP', node2: 'UP', node3: 'DOWN' });
      const socketsOf = async (port: number): Promise<number> => ((await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { sockets: number }).sockets;
      const booth = async (): Promise<WebSocket> => {
        const ws = new WebSocket(`wss://127.0.0.1:${https}/hub`, { ca: certificate.ca });
        await new Promise((resolvePromise, reject) => ws.once('open', resolvePromise).once('error', reject));
        return ws;
      };
      // leastconn: two booths, one on each node.
      const first = [await booth(), await booth()];
      expect([await socketsOf(instances[0]!.port), await socketsOf(instances[1]!.port)]).toEqual([1, 1]);
      // The README's drain: node2 takes no new connection, and keeps those it has.
      expect((await adminCommand(admin, 'set server hub_nodes/node2 state drain')).trim()).toBe('');
      expect((await status()).node2).toBe('DRAIN');
      const next = [await booth(), await booth(), await booth()];
      expect([await socketsOf(instances[0]!.port), await socketsOf(instances[1]!.port)]).toEqual([4, 1]);
      for (const ws of [...first, ...next]) expect(ws.readyState).toBe(WebSocket.OPEN);
      for (const ws of [...first, ...next]) ws.terminate();
    } finally {
      await stopChild(proxy.child);
    }
  }, 60_000);

  it(`stops on its KillSignal within TimeoutStopSec, with status 0 (not counted a failure by Restart=always)`, async () => {
    expect(setting('KillSignal')).toEqual(['SIGTERM']);
    const limitMs = Number(setting('TimeoutStopSec')[0]) * 1000;
    const { proc } = instances.pop()!;
    const started = Date.now();
    const exited = new Promise<number | null>((resolvePromise) => proc.child.once('exit', (code) => resolvePromise(code)));
    proc.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(limitMs);
  }, 30_000);
});
