// Loopback HTTP for the attack suite: a plain request with chosen headers, a raw request line over a socket (for
// targets Node's client would normalise), and a logger that keeps every line so a test can assert on levels and codes.
import { request } from 'node:http';
import { connect } from 'node:net';
import pino from 'pino';
import type { Logger } from '../../../electron/services/logger.js';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function send(port: number, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...init.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Sends `raw` as is (request line and headers) and resolves with the status of the answer (0 when the socket closes without one). */
export function sendRaw(port: number, raw: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: match ? Number(match[1]) : 0, text });
    });
    socket.setTimeout(5_000, () => socket.destroy());
    socket.end(raw);
  });
}

export interface LogLine {
  level: number;
  code?: string;
  msg?: string;
  [key: string]: unknown;
}

/** pino's numeric levels: 50 is error, 60 fatal. */
export const ERROR_LEVEL = 50;

/** A pino logger at trace level whose lines are kept, parsed, in `lines` (to assert no attack leaves an error line). */
export function capturingLogger(): { logger: Logger; lines: LogLine[]; errors: () => LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { logger, lines, errors: () => lines.filter((l) => l.level >= ERROR_LEVEL) };
}
