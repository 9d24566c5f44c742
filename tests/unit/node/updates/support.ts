// Helpers of the update tests: a hub with a releases folder and a signed-in coordinator, raw HTTP requests (paths sent
// byte for byte, huge headers), and installer-like files with their sha512.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hashPassword } from '../../../../server/auth.js';
import { createCoordinatorStore } from '../../../../server/coordinator/index.js';
import { startHub, type HubOptions, type RunningHub } from '../../../../server/hub.js';

export interface UpdateHub {
  hub: RunningHub;
  dir: string;
  cookie: string;
  api(p: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export async function startUpdateHub(options: HubOptions = {}): Promise<UpdateHub> {
  const dir = mkdtempSync(path.join(tmpdir(), 'relais-updates-'));
  const hub = await startHub({ host: '127.0.0.1', port: 0, dataDir: dir, revocationPollMs: 3_600_000, ...options });
  createCoordinatorStore(hub.store.db).add('coord.lot', await hashPassword('mot-de-passe-lot'), Date.now());
  const r = await fetch(`${hub.httpUrl}/coordinator/api/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: 'coord.lot', password: 'mot-de-passe-lot' }),
  });
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return {
    hub,
    dir,
    cookie,
    api: (p, init = {}) => fetch(`${hub.httpUrl}${p}`, { ...init, headers: { Cookie: cookie, ...(init.headers as Record<string, string> | undefined) } }),
    async close() {
      await hub.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An installer-like file of `size` random bytes, written under `dir`. */
export function installer(dir: string, name: string, size = 300_000): { file: string; bytes: Buffer; sha512: string } {
  const bytes = randomBytes(size);
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return { file, bytes, sha512: createHash('sha512').update(bytes).digest('base64') };
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One request whose target and headers go out as given (no URL normalisation, as a hostile client would send them). */
export function raw(base: string, target: string, headers: Record<string, string> = {}, method = 'GET', body?: Buffer | string): Promise<RawAnswer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path: target, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
