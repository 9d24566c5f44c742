// A real HAProxy (Debian's haproxy 2.6) on 127.0.0.1 in front of hub nodes, for the cluster tests: health checks on
// the hub's /healthz take a dead node out of the pool within about a second; WebSockets are tunnelled. Its PID kept,
// stopped by PID. deploy/haproxy/relais.cfg is the production twin (TLS, port 80 redirect).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acceptsConnections, freeLoopbackPort, requireProgram, startChild, stopChild, type StartedChild } from './childServer.js';

export interface HaproxyBackend {
  host: string;
  port: number;
}

export interface HaproxyOptions {
  /** The frontend's port; a free one by default. */
  port?: number;
  /** leastconn (default) suits long-lived WebSockets: a new booth goes to the node holding the fewest. */
  balance?: 'leastconn' | 'roundrobin';
  /** The path each node answers 200 on while it can serve (the hub's is /healthz). */
  healthPath?: string;
}

/** One backend server as HAProxy sees it: `status` is UP, DOWN, `UP 1/2` (failing), `DOWN 1/2` (recovering), MAINT… */
export interface BackendState {
  name: string;
  address: string;
  status: string;
}

export interface RunningHaproxy {
  /** ws://127.0.0.1:port — the hub's socket is at `${url}/ws`. */
  url: string;
  httpUrl: string;
  port: number;
  pid: number;
  /** The backends' health as HAProxy holds it now (its runtime API, `show stat`), in the order given. */
  backends(): Promise<BackendState[]>;
  stop(): Promise<void>;
}

/** The backend's servers are named node0, node1… in the order of `backends`. */
function haproxyConfig(
  backends: HaproxyBackend[],
  { port, adminSocket, balance = 'leastconn', healthPath = '/healthz' }: HaproxyOptions & { port: number; adminSocket: string },
): string {
  if (!/^\/[A-Za-z0-9/_.-]*$/.test(healthPath)) throw new Error(`unusable health path: ${healthPath}`);
  const servers = backends.map(({ host, port: p }, i) => {
    if (!/^[A-Za-z0-9.:-]+$/.test(host) || !Number.isInteger(p) || p <= 0 || p > 65535) throw new Error(`unusable backend: ${host}:${p}`);
    return `  server node${i} ${host.includes(':') ? `[${host}]` : host}:${p} check inter 500 fall 2 rise 2`;
  });
  return [
    'global',
    '  maxconn 4096',
    `  stats socket ${adminSocket} mode 600 level admin`,
    '',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 30s',
    '  timeout server 30s',
    // A request line and headers must arrive within this: a slow or half-sent request cannot hold a connection.
    '  timeout http-request 5s',
    // Once upgraded, a WebSocket lives under this timeout alone; the hub's heartbeat keeps it busy far more often.
    '  timeout tunnel 1h',
    '  option forwardfor',
    // A node that refuses the connection (just killed, not yet seen DOWN) costs a retry on another node, not an error.
    '  retries 3',
    '  option redispatch 1',
    '',
    'frontend relais',
    `  bind 127.0.0.1:${port}`,
    '  default_backend hubs',
    '',
    'backend hubs',
    `  balance ${balance}`,
    `  option httpchk GET ${healthPath}`,
    '  http-check expect status 200',
    ...servers,
    '',
  ].join('\n');
}

/** Sends one command to HAProxy's runtime API and returns its whole answer. */
export function adminCommand(socketPath: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.once('error', reject);
    socket.once('close', () => resolve(answer));
    socket.once('connect', () => socket.write(`${command}\n`));
  });
}

/** The servers of `backend` as HAProxy holds them now, from the runtime API at `socketPath` (`show stat`). */
export async function backendStates(socketPath: string, backend: string): Promise<BackendState[]> {
  const csv = (await adminCommand(socketPath, 'show stat')).trim().split('\n');
  const columns = (csv[0] ?? '').replace(/^# /, '').split(',');
  const at = (name: string): number => columns.indexOf(name);
  return csv
    .slice(1)
    .map((line) => line.split(','))
    .filter((row) => row[at('pxname')] === backend && row[at('svname')] !== 'BACKEND')
    .map((row) => ({ name: row[at('svname')] ?? '', address: row[at('addr')] ?? '', status: row[at('status')] ?? '' }));
}

/**
 * A self-signed certificate for 127.0.0.1 written in `dir`: `pem` the key and certificate in one file, as HAProxy's
 * `crt` takes it (deploy/haproxy/*.cfg's /etc/haproxy/certs/relais.pem), `ca` the certificate for clients to trust.
 */
export function testCertificate(dir: string): { pem: string; ca: string } {
  const openssl = requireProgram('openssl', 'openssl');
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync(openssl, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  const ca = readFileSync(cert, 'utf8');
  const pem = join(dir, 'relais.pem');
  writeFileSync(pem, ca + readFileSync(key, 'utf8'));
  return { pem, ca };
}

/**
 * One of deploy/haproxy/*.cfg as written, run here: its `bind :80` and `bind :443 ssl crt …` on 127.0.0.1 ports with
 * the test certificate `pem`, each of `rewrites` applied (each must match once, or the file changed under the test),
 * and its `maxconn` lowered to what this machine's hard limit on open files allows (two descriptors a connection)
 * where that is lower. Written in `dir` and started there (`-db`: in the foreground, no master process).
 */
export async function startDeployedHaproxy(
  text: string,
  { dir, http, https, pem, rewrites = [], adapt = (cfg) => cfg }: { dir: string; http: number; https: number; pem: string; rewrites?: Array<[RegExp, string]>; adapt?: (cfg: string) => string },
): Promise<{ started: StartedChild; maxconn: number }> {
  let cfg = text;
  const rewrite = (from: RegExp, to: string): void => {
    if (!from.test(cfg)) throw new Error(`the configuration no longer has ${String(from)}`);
    cfg = cfg.replace(from, to);
  };
  rewrite(/^(\s*)bind :80$/m, `$1bind 127.0.0.1:${http}`);
  rewrite(/^(\s*)bind :443 (ssl crt )\S+/m, `$1bind 127.0.0.1:${https} $2${pem}`);
  for (const [from, to] of rewrites) rewrite(from, to);
  const maxconn = Number(/^\s*maxconn (\d+)$/m.exec(cfg)?.[1]);
  const hardLimit = Number(execFileSync('sh', ['-c', 'ulimit -Hn']).toString().trim());
  if (hardLimit < 2 * maxconn + 100) rewrite(/^(\s*)maxconn \d+$/m, `$1maxconn ${Math.floor((hardLimit - 100) / 2)}`);
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, adapt(cfg));
  const started = await startChild(requireProgram('haproxy', 'haproxy'), ['-f', file, '-db'], { probe: () => acceptsConnections(https), cwd: dir });
  return { started, maxconn };
}

export async function startHaproxy(backends: HaproxyBackend[], opts: HaproxyOptions = {}): Promise<RunningHaproxy> {
  if (backends.length === 0) throw new Error('startHaproxy needs at least one backend');
  const program = requireProgram('haproxy', 'haproxy');
  const port = opts.port ?? (await freeLoopbackPort());
  const dir = mkdtempSync(join(tmpdir(), 'relais-haproxy-'));
  const adminSocket = join(dir, 'admin.sock');
  const configFile = join(dir, 'haproxy.cfg');
  writeFileSync(configFile, haproxyConfig(backends, { ...opts, port, adminSocket }));
  // -db: foreground, no daemon, no master process: the PID we hold is the proxy itself.
  const started = await startChild(program, ['-f', configFile, '-db'], { probe: () => acceptsConnections(port), cwd: dir }).catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  return {
    url: `ws://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}`,
    port,
    pid: started.pid,
    async backends() {
      return backendStates(adminSocket, 'hubs');
    },
    async stop() {
      await stopChild(started.child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
