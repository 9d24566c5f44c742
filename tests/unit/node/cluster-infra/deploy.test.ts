// deploy/: the files an operator copies stay runnable — the unit passes systemd's checks, both HAProxy configurations
// pass HAProxy's, and the hub nodes run with the V8 flags `npm run hub` uses.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { HUB_CLUSTER_NODE_FLAGS, HUB_NODE_FLAGS, hubFlagsFor } from '../../../../build/scripts/build-hub.mjs';
import { requireProgram } from '../../../support/childServer.js';

const DEPLOY = join(import.meta.dirname, '../../../../deploy');
const UNIT = join(DEPLOY, 'systemd/relais-hub@.service');
const work = mkdtempSync(join(tmpdir(), 'relais-deploy-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  networks?: { default?: { ipv4_address?: string } };
}

const compose = parseYaml(readFileSync(join(DEPLOY, 'compose.yaml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
const hubNodes = Object.entries(compose.services).filter(([name]) => /^node\d+$/.test(name));

describe('deploy/systemd/relais-hub@.service', () => {
  const unit = readFileSync(UNIT, 'utf8');
  const setting = (key: string): string[] => [...unit.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1] ?? '');

  it('runs one node per port, named after the host and port, restarted always, as its own user, confined', () => {
    expect(setting('ExecStart')[0]).toContain('--port %i');
    expect(setting('Environment')).toContain('RELAIS_NODE_ID=%l-%i');
    // Its direct link on a port derived from the instance's (8787 → 18787: still a port).
    expect(setting('Environment')).toContain('RELAIS_LINK_PORT=1%i');
    expect(setting('EnvironmentFile')).toEqual(['/etc/relais/hub.env']);
    expect(setting('Restart')).toEqual(['always']);
    expect(setting('User')).toEqual(['relais']);
    for (const [key, value] of [['NoNewPrivileges', 'true'], ['ProtectSystem', 'strict'], ['PrivateTmp', 'true'], ['ProtectHome', 'true']]) expect(setting(key!)).toEqual([value]);
    // V8 writes the code it runs: with MemoryDenyWriteExecute Node would not start.
    expect(setting('MemoryDenyWriteExecute')).toEqual([]);
  });

  it("starts the bundle with a cluster node's V8 flags", () => {
    const [node, ...args] = (setting('ExecStart')[0] ?? '').split(/\s+/);
    expect(node).toBe('/usr/bin/node');
    expect(args.slice(0, HUB_CLUSTER_NODE_FLAGS.length)).toEqual(HUB_CLUSTER_NODE_FLAGS);
    expect(args[HUB_CLUSTER_NODE_FLAGS.length]).toBe('dist/hub/cli.mjs');
    // The same flags as `npm run hub` but for the young generation (why beside HUB_CLUSTER_NODE_FLAGS).
    expect(HUB_CLUSTER_NODE_FLAGS.filter((f) => !f.includes('semi-space'))).toEqual(HUB_NODE_FLAGS.filter((f) => !f.includes('semi-space')));
    expect(HUB_CLUSTER_NODE_FLAGS).toContain('--max-semi-space-size=32');
  });

  it('is what `npm run hub` runs a node with, whichever way Redis is given, and the one-machine hub keeps its own', () => {
    expect(hubFlagsFor(['--redis', 'redis://127.0.0.1:6379', '--port', '8787'], {})).toEqual(HUB_CLUSTER_NODE_FLAGS);
    expect(hubFlagsFor(['--redis=redis://127.0.0.1:6379'], {})).toEqual(HUB_CLUSTER_NODE_FLAGS);
    expect(hubFlagsFor(['--port', '8787'], { RELAIS_REDIS_URL: 'redis://127.0.0.1:6379' })).toEqual(HUB_CLUSTER_NODE_FLAGS);
    // Look-alikes are not Redis: an option named like it, a value that says it.
    expect(hubFlagsFor(['--port', '8787', '--redis-like', '--data-dir', '--redis'.toUpperCase()], {})).toEqual(HUB_NODE_FLAGS);
    expect(hubFlagsFor(['--config', 'redis.yaml'], { REDIS_URL: 'redis://127.0.0.1:6379' })).toEqual(HUB_NODE_FLAGS);
  });

  it('passes systemd-analyze verify without a warning', () => {
    const analyze = requireProgram('systemd-analyze', 'systemd');
    copyFileSync(UNIT, join(work, 'relais-hub@.service'));
    const run = spawnSync(analyze, ['verify', '--man=no', './relais-hub@8787.service'], { cwd: work, encoding: 'utf8' });
    // Unknown keys and unreadable values are only warnings (exit 0): any output is a mistake in the unit.
    expect(`${run.stdout}${run.stderr}`.trim()).toBe('');
    expect(run.status).toBe(0);
  });
});

describe('deploy/haproxy', () => {
  const certificate = join(work, 'relais.pem');
  const withTestPaths = (file: string): string => {
    const text = readFileSync(join(DEPLOY, 'haproxy', file), 'utf8')
      .replaceAll('/etc/haproxy/certs/relais.pem', certificate)
      .replaceAll('/run/haproxy/admin.sock', join(work, 'admin.sock'));
    const copy = join(work, file);
    writeFileSync(copy, text);
    return copy;
  };

  it.each(['relais.cfg', 'compose.cfg'])('%s passes haproxy -c with a certificate in place', (file) => {
    const openssl = requireProgram('openssl', 'openssl');
    const haproxy = requireProgram('haproxy', 'haproxy');
    const key = join(work, 'key.pem');
    const cert = join(work, 'cert.pem');
    execFileSync(openssl, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=relais.test', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    writeFileSync(certificate, readFileSync(cert, 'utf8') + readFileSync(key, 'utf8'));
    const run = spawnSync(haproxy, ['-c', '-f', withTestPaths(file)], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    // Outside Docker the nodes' names do not resolve: compose.cfg starts them disabled (init-addr none), as meant.
    const warnings = run.stderr.split('\n').filter((line) => /WARNING|ALERT/.test(line) && !/could not resolve address 'node\d'/.test(line));
    expect(warnings).toEqual([]);
  });

  it('ends TLS, redirects port 80, keeps WebSockets an hour, checks /healthz and passes the client address', () => {
    for (const file of ['relais.cfg', 'compose.cfg']) {
      const text = readFileSync(join(DEPLOY, 'haproxy', file), 'utf8');
      expect(text).toContain('bind :443 ssl crt /etc/haproxy/certs/relais.pem alpn h2,http/1.1');
      expect(text).toMatch(/http-request redirect scheme https .*unless \{ ssl_fc \}/);
      expect(text).toMatch(/^\s*timeout tunnel 1h$/m);
      expect(text).toMatch(/^\s*option httpchk GET \/healthz$/m);
      expect(text).toMatch(/^\s*option forwardfor$/m);
      expect(text).toContain('--trusted-proxy');
    }
  });
});

describe('deploy/compose.yaml', () => {
  it('runs PostgreSQL 15, Redis 7, three hub nodes, HAProxy and coturn, each with a health check', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['coturn', 'haproxy', 'node1', 'node2', 'node3', 'postgres', 'redis']);
    for (const [name, service] of Object.entries(compose.services)) expect(service.healthcheck?.test, name).toBeDefined();
  });

  it("gives each node Redis, PostgreSQL, its own name, a cluster node's V8 flags, and trusts HAProxy by its address", () => {
    const proxyAddress = compose.services.haproxy?.networks?.default?.ipv4_address;
    expect(proxyAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(new Set(hubNodes.map(([, s]) => s.environment?.RELAIS_NODE_ID)).size).toBe(3);
    for (const [name, service] of hubNodes) {
      expect(service.environment?.RELAIS_REDIS_URL, name).toMatch(/^redis:\/\//);
      expect(service.environment?.RELAIS_POSTGRES_URL, name).toMatch(/^postgres:\/\//);
      expect(service.environment?.RELAIS_TRUSTED_PROXIES, name).toBe(proxyAddress);
      expect(service.command?.slice(1, 1 + HUB_CLUSTER_NODE_FLAGS.length), name).toEqual(HUB_CLUSTER_NODE_FLAGS);
      // The other nodes reach its direct link by its service name (it listens on every address of the container).
      expect(service.environment?.RELAIS_LINK_ADDRESS, name).toBe(name);
      expect(service.environment?.RELAIS_LINK_PORT, name).toMatch(/^[0-9]{1,5}$/);
    }
  });
});
