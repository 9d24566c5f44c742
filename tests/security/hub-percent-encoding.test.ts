// Attack (issue 13, item 9, the hub's half): request targets whose percent-encoding is malformed, and targets a URL
// parser cannot read, sent without any login to every path of the hub's HTTP server that reads a URL — the static files
// of the agents' console (/, /assets/), the coordinator's page and API, the health probe and the WebSocket path. Each is
// answered 400 (or the path's ordinary answer when nothing needs decoding), never 500, and leaves no error-level line.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth.js';
import { createCoordinatorStore } from '../../server/coordinator/index.js';
import { startHub, type RunningHub } from '../../server/hub.js';
import { capturingLogger } from './support/http.js';
import { request } from './support/hubRequest.js';

const NOW = Date.parse('2026-11-25T10:00:00+01:00');
const BAD = ['%E0%A4%A', '%', '%%', '%zz', '%E0%A4', '%C0%AF', '%ED%A0%80', '%FF', 'a%2', '%u0041'];

let hub: RunningHub;
let staticDir: string;
let cookie = '';
const log = capturingLogger();

/** Writes a raw request line (the target exactly as given) and reads the status of the answer. */
function rawStatus(port: number, target: string, extra = ''): Promise<number> {
  return new Promise((resolve, reject) => {
    // Not half-closed: Node's HTTP server drops a request whose client ends before the answer is ready.
    const socket = net.connect(port, '127.0.0.1', () => socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}Connection: close\r\n\r\n`));
    socket.setTimeout(5_000, () => socket.destroy());
    let data = '';
    socket.on('data', (d: Buffer) => (data += d.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (m) resolve(Number(m[1]));
      else reject(new Error(`no HTTP answer to ${JSON.stringify(target)}: ${JSON.stringify(data.slice(0, 80))}`));
    });
  });
}

beforeAll(async () => {
  staticDir = mkdtempSync(path.join(tmpdir(), 'relais-hub-static-'));
  mkdirSync(path.join(staticDir, 'assets'));
  writeFileSync(path.join(staticDir, 'agent.html'), '<!doctype html><title>Console</title>');
  writeFileSync(path.join(staticDir, 'coordinator.html'), '<!doctype html><title>Tableau de bord</title>');
  writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'export {};');
  hub = await startHub({ host: '127.0.0.1', port: 0, dbFile: ':memory:', staticDir, clock: () => NOW, logger: log.logger });
  createCoordinatorStore(hub.store.db).add('coord.lot', await hashPassword('mot-de-passe-lot'), NOW);
  const signedIn = await request(hub.httpUrl, {
    method: 'POST',
    path: '/coordinator/api/login',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: 'coord.lot', password: 'mot-de-passe-lot' }),
  });
  expect(signedIn.status).toBe(200);
  cookie = String(signedIn.headers['set-cookie']).split(';')[0]!;
});
afterAll(async () => {
  await hub.close();
  rmSync(staticDir, { recursive: true, force: true });
});

describe('malformed percent-encoding and unreadable targets', () => {
  it('answers 400 to a static file whose path is badly percent-encoded: /assets/%E0%A4%A and others', async () => {
    const answers: string[] = [];
    for (const bad of BAD) {
      const status = await rawStatus(hub.port, `/assets/${bad}`);
      answers.push(`/assets/${bad} → ${status}`);
    }
    console.log(answers.join('\n'));
    for (const a of answers) expect(a).toMatch(/→ 400$/);
    // Well-formed encodings still serve the file, and climbing out of the static folder still finds nothing.
    expect(await rawStatus(hub.port, '/assets/%61pp.js')).toBe(200);
    expect(await rawStatus(hub.port, '/assets/..%2f..%2f..%2fetc%2fpasswd')).toBe(404);
  });

  it('never answers 5xx on any path that reads a URL, signed in or not', async () => {
    const targets: string[] = [];
    for (const bad of BAD) {
      targets.push(`/${bad}`, `/assets/x/${bad}.js`, `/coordinator/${bad}`, `/coordinator/api/${bad}`, `/healthz?${bad}`, `/hub?${bad}`, `/${bad}/..`);
      targets.push(`/coordinator/api/dashboard?from=${bad}&to=${bad}`, `/coordinator/api/dashboard.csv?from=2026-W40${bad}`, `/coordinator?${bad}=${bad}`);
    }
    // Targets that a URL parser refuses, or reads as another host: each used to reach `new URL` unguarded.
    targets.push('//', '///', '//[', '//%', '//a b', '/\\', '//:99999/', 'http://', 'http://[', 'http://a:99999/', 'http://a%00b/', '*', 'example.com:443', 'file:///etc/passwd', 'javascript:alert(1)');
    const statuses = new Map<string, number>();
    for (const target of targets) {
      statuses.set(target, await rawStatus(hub.port, target));
      statuses.set(`${target} (signed in)`, await rawStatus(hub.port, target, `Cookie: ${cookie}\r\n`));
      // The hub must still be up after each one.
      expect((await request(hub.httpUrl, { path: '/healthz' })).status).toBe(200);
    }
    const fiveHundreds = [...statuses].filter(([, s]) => s >= 500);
    console.log(`${statuses.size} requests with malformed targets: ${fiveHundreds.length} answered 5xx`);
    expect(fiveHundreds).toEqual([]);
  });

  it('left no error-level log line', () => {
    expect(log.errors()).toEqual([]);
  });
});
