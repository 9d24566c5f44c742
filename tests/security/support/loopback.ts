// Tools of the attack suite, loopback only: servers that record what reaches them, raw HTTP exchanges that send bytes
// exactly as written (no client library fixing them), a seeded random generator, and a browser-like walk through the
// proxy's entry links that keeps the cookies the proxy sets for 127.0.0.1.
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  host: string | undefined;
  cookie: string | undefined;
  origin: string | undefined;
  referer: string | undefined;
  secFetchSite: string | undefined;
}

export interface RecordingServer {
  origin: string;
  port: number;
  requests: SeenRequest[];
  /** TCP connections accepted, whether or not they carried a readable request (a TLS hello counts). */
  connections: number;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 that records every connection and request, and answers with `handler` (or 200 "ok"). */
export async function startRecorder(handler?: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<RecordingServer> {
  const requests: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      host: req.headers.host,
      cookie: req.headers.cookie,
      origin: req.headers.origin,
      referer: req.headers.referer,
      secFetchSite: req.headers['sec-fetch-site'] as string | undefined,
    });
    req.resume();
    if (handler) return handler(req, res);
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end('ok');
  });
  const recorder = { requests, connections: 0 } as RecordingServer;
  server.on('connection', () => (recorder.connections += 1));
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  recorder.port = port;
  recorder.origin = `http://127.0.0.1:${port}`;
  recorder.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return recorder;
}

export interface RawReply {
  /** The status code of the first response line, or null when the server closed without answering. */
  status: number | null;
  head: string;
  body: string;
  /** The whole answer as received (latin1). */
  raw: string;
}

/** Sends `bytes` on a fresh TCP connection to 127.0.0.1:`port` and reads until the server closes (or `timeoutMs`). */
export function rawExchange(port: number, bytes: string | Buffer, timeoutMs = 5_000): Promise<RawReply> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const raw = Buffer.concat(chunks).toString('latin1');
      const split = raw.indexOf('\r\n\r\n');
      const head = split === -1 ? raw : raw.slice(0, split);
      const body = split === -1 ? '' : Buffer.from(raw.slice(split + 4), 'latin1').toString('utf8');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(raw);
      resolve({ status: match ? Number(match[1]) : null, head, body, raw });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', finish);
    socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  });
}

/** mulberry32: a small deterministic PRNG, so a failing run can be replayed from its seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded generator with the picks an attack needs: the same seed gives the same attack, run after run. */
export function seeded(seed: number): { next(): number; pick<T>(items: readonly T[]): T; int(max: number): number; chance(p: number): boolean } {
  const next = mulberry32(seed);
  return {
    next,
    int: (max) => Math.floor(next() * max),
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
    chance: (p) => next() < p,
  };
}

/** Cookies of 127.0.0.1 as a browser keeps them: per host, not per port (the proxy's secrets share one jar). */
export class LoopbackCookies {
  readonly values = new Map<string, string>();
  take(setCookie: string | string[] | undefined): void {
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0/i.test(line) || value === '') this.values.delete(name);
      else this.values.set(name, value);
    }
  }
  header(): string {
    return [...this.values].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export interface HttpReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function httpGet(url: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Loads the frame's entry link as the browser does: each `/__relais/debut` page sets its port's cookie and sends the
 * frame on (Refresh header) to the next port's entry, then to the start page. Returns the cookies and the start URL.
 */
export async function enterProxy(entryUrl: string, cookies = new LoopbackCookies()): Promise<{ cookies: LoopbackCookies; startUrl: string }> {
  let url = entryUrl;
  for (let hop = 0; hop < 10; hop += 1) {
    const reply = await httpGet(url, cookies.values.size > 0 ? { cookie: cookies.header() } : {});
    cookies.take(reply.headers['set-cookie']);
    const refresh = /^0;url=(.*)$/.exec(String(reply.headers.refresh ?? ''))?.[1];
    if (!refresh) return { cookies, startUrl: url };
    url = new URL(refresh, url).href;
    if (!new URL(url).pathname.startsWith('/__relais/debut')) return { cookies, startUrl: url };
  }
  throw new Error('entry chain too long');
}
