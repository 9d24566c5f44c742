// Support for the hub's attack tests: a logger that keeps every line (to assert that no attack leaves an error-level
// line), plain HTTP requests on a fresh connection each (so parallel requests are really parallel), and a seeded PRNG.
import http from 'node:http';
import pino, { type Logger } from 'pino';

export interface LogLine {
  level: number;
  code?: string;
  msg?: string;
  [key: string]: unknown;
}

/** pino's level for `error`: a line at or above it is an error-level line. */
export const ERROR_LEVEL = 50;

/** A pino logger (level debug) whose lines are parsed into `lines`. */
export function capturingLogger(): { logger: Logger; lines: LogLine[]; errors: () => LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
  return { logger, lines, errors: () => lines.filter((l) => l.level >= ERROR_LEVEL) };
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request on its own connection (no keep-alive pool): `path` goes on the request line as it is. */
export function request(baseUrl: string, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  const base = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: base.hostname, port: base.port, method: options.method ?? 'GET', path: options.path, headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A small deterministic PRNG (mulberry32), so a failing run can be replayed from its seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
