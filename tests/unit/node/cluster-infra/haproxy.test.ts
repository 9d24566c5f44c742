// tests/support/haproxy.ts: a real HAProxy in front of two small HTTP + WebSocket nodes spreads connections over both,
// takes a closed node out of the pool, tunnels WebSockets, and survives hostile requests.
import http from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { startHaproxy, type RunningHaproxy } from '../../../support/haproxy.js';

interface Node {
  name: string;
  port: number;
  /** The X-Forwarded-For of each WebSocket it accepted. */
  forwardedFor: Array<string | undefined>;
  close(): Promise<void>;
}

/** A stand-in for a hub node: 200 on /healthz, a WebSocket at /ws that greets with its name and echoes. */
async function startNode(name: string): Promise<Node> {
  const server = http.createServer((req, res) => {
    res.writeHead(req.url === '/healthz' ? 200 : 404, { 'Content-Type': 'text/plain' }).end(name);
  });
  const wss = new WebSocketServer({ server, path: '/ws' });
  const forwardedFor: Array<string | undefined> = [];
  wss.on('connection', (socket, req) => {
    forwardedFor.push(req.headers['x-forwarded-for'] as string | undefined);
    socket.send(`hello ${name}`);
    socket.on('message', (data) => socket.send(`${name}:${data.toString()}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    name,
    port,
    forwardedFor,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

interface Opened {
  socket: WebSocket;
  /** The node that greeted it. */
  node: string;
}

async function openSocket(url: string, headers: Record<string, string> = {}): Promise<Opened> {
  const socket = new WebSocket(`${url}/ws`, { headers });
  const greeting = await new Promise<string>((resolve, reject) => {
    socket.once('message', (data) => resolve(data.toString()));
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  return { socket, node: greeting.replace(/^hello /, '') };
}

async function echo(socket: WebSocket, text: string): Promise<string> {
  const answer = new Promise<string>((resolve) => socket.once('message', (data) => resolve(data.toString())));
  socket.send(text);
  return answer;
}

/** Writes raw bytes to the proxy and returns the status line it answers with, or '' if it just closes. */
function rawRequest(port: number, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let answer = '';
    const done = (line: string): void => {
      socket.destroy();
      resolve(line);
    };
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      answer += chunk;
      const end = answer.indexOf('\r\n');
      if (end >= 0) done(answer.slice(0, end));
    });
    socket.once('close', () => done(answer));
    socket.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? done(answer) : reject(error)));
    socket.once('connect', () => socket.write(bytes));
  });
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('startHaproxy', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function proxiedPair(): Promise<{ proxy: RunningHaproxy; a: Node; b: Node }> {
    const a = await startNode('a');
    cleanups.push(() => a.close());
    const b = await startNode('b');
    cleanups.push(() => b.close());
    const proxy = await startHaproxy([
      { host: '127.0.0.1', port: a.port },
      { host: '127.0.0.1', port: b.port },
    ]);
    cleanups.push(() => proxy.stop());
    await expect.poll(async () => (await proxy.backends()).map((s) => s.status), { timeout: 5_000, interval: 50 }).toEqual(['UP', 'UP']);
    return { proxy, a, b };
  }

  const track = (opened: Opened): Opened => {
    cleanups.push(async () => opened.socket.terminate());
    return opened;
  };

  it('sends WebSocket connections through to both nodes, with the client address in X-Forwarded-For', async () => {
    const { proxy, a, b } = await proxiedPair();
    expect(proxy.url).toBe(`ws://127.0.0.1:${proxy.port}`);
    expect(isAlive(proxy.pid)).toBe(true);
    const sockets: Opened[] = [];
    for (let i = 0; i < 4; i += 1) sockets.push(track(await openSocket(proxy.url)));
    expect(new Set(sockets.map((s) => s.node))).toEqual(new Set(['a', 'b']));
    for (const { socket, node } of sockets) expect(await echo(socket, 'ping')).toBe(`${node}:ping`);
    expect([...a.forwardedFor, ...b.forwardedFor]).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1', '127.0.0.1']);
    const health = await fetch(`${proxy.httpUrl}/healthz`);
    expect(health.status).toBe(200);
  });

  it("appends the peer's address after a client's own X-Forwarded-For (the hub reads it right to left)", async () => {
    const { proxy, a, b } = await proxiedPair();
    track(await openSocket(proxy.url, { 'X-Forwarded-For': '203.0.113.9' }));
    expect([...a.forwardedFor, ...b.forwardedFor]).toEqual(['203.0.113.9, 127.0.0.1']);
  });

  it('sends every new connection to the live node once one closes, and marks the closed one DOWN within seconds', async () => {
    const { proxy, a } = await proxiedPair();
    const kept = track(await openSocket(proxy.url));
    const closedAt = Date.now();
    await a.close();
    // Before the health checks notice, a refused connection is retried on the other node (option redispatch).
    for (let i = 0; i < 4; i += 1) expect(track(await openSocket(proxy.url)).node).toBe('b');
    await expect.poll(async () => (await proxy.backends())[0]?.status, { timeout: 5_000, interval: 50 }).toBe('DOWN');
    // inter 500 fall 2: two failed checks, about a second.
    expect(Date.now() - closedAt).toBeLessThan(4_000);
    expect((await proxy.backends())[1]?.status).toBe('UP');
    for (let i = 0; i < 4; i += 1) expect(track(await openSocket(proxy.url)).node).toBe('b');
    if (kept.node === 'b') expect(await echo(kept.socket, 'still')).toBe('b:still');
  });

  it('answers hostile requests with an error and keeps serving', async () => {
    const { proxy } = await proxiedPair();
    const hostile: Array<string | Buffer> = [
      'GARBAGE\r\n\r\n',
      Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x0d, 0x0a, 0x0d, 0x0a]),
      `GET /${'a'.repeat(70_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(40_000)}\r\n\r\n`,
      'GET / HTTP/1.1\r\nHost: x\r\nX-Nul: a\x00b\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n',
      'GET / HTTP/9.9\r\nHost: x\r\n\r\n',
      'GET /\r\n\r\n',
      'POST /ws HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello',
      'GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
    ];
    for (const bytes of hostile) {
      const status = await rawRequest(proxy.port, bytes);
      // HAProxy's own 400, or the node's 4xx for what HAProxy lets through (an unknown version, a NUL in a value).
      expect(status, JSON.stringify(bytes.toString().slice(0, 60))).toMatch(/^HTTP\/1\.[01] 4\d\d /);
    }
    expect(isAlive(proxy.pid)).toBe(true);
    expect((await proxy.backends()).map((s) => s.status)).toEqual(['UP', 'UP']);
    const { socket, node } = track(await openSocket(proxy.url));
    expect(await echo(socket, 'after')).toBe(`${node}:after`);
  });

  it('stops by PID and frees its port', async () => {
    const { proxy } = await proxiedPair();
    await proxy.stop();
    expect(isAlive(proxy.pid)).toBe(false);
    await expect(fetch(`${proxy.httpUrl}/healthz`)).rejects.toThrow();
  });
});
