// Test helpers: a raw socket to the hub that records the frames it receives and waits for them.
import WebSocket from 'ws';
import { HubFrame, type HubFrameOf, type HubFrameType } from '../../../../shared/protocol.js';

export interface RawClient {
  ws: WebSocket;
  frames: HubFrame[];
  send(frame: unknown): void;
  sendText(text: string | Buffer): void;
  next<T extends HubFrameType>(type: T, match?: (f: HubFrameOf<T>) => boolean, timeoutMs?: number): Promise<HubFrameOf<T>>;
  /** The next unconsumed frame of any of these types. */
  nextOf<T extends HubFrameType>(types: readonly T[], timeoutMs?: number, match?: (f: HubFrame) => boolean): Promise<HubFrameOf<T>>;
  closed: Promise<{ code: number }>;
  close(): void;
}

/** `protocols`: what the client offers in `Sec-WebSocket-Protocol` (see `handshakeProtocols`). */
export async function connect(url: string, protocols?: string[], options?: WebSocket.ClientOptions): Promise<RawClient> {
  const ws = new WebSocket(url, protocols, options);
  const frames: HubFrame[] = [];
  const waiters = new Set<() => void>();
  const consumed = new Set<HubFrame>();
  ws.on('message', (data) => {
    const parsed = HubFrame.safeParse(JSON.parse(String(data)));
    if (!parsed.success) throw new Error(`hub sent a frame outside the protocol: ${String(data)}`);
    frames.push(parsed.data);
    for (const w of [...waiters]) w();
  });
  const closed = new Promise<{ code: number }>((resolve) => ws.on('close', (code) => resolve({ code })));
  ws.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const client: RawClient = {
    ws,
    frames,
    closed,
    send: (frame) => ws.send(JSON.stringify(frame)),
    sendText: (text) => ws.send(text),
    close: () => ws.close(),
    next(type, match, timeoutMs = 5_000) {
      return client.nextOf([type], timeoutMs, match as ((f: HubFrame) => boolean) | undefined) as never;
    },
    nextOf(types, timeoutMs = 5_000, match) {
      const type = types.join('|');
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const f = frames.find((x) => (types as readonly string[]).includes(x.type) && !consumed.has(x) && (!match || match(x)));
          if (!f) return false;
          consumed.add(f);
          waiters.delete(probe);
          clearTimeout(timer);
          resolve(f as never);
          return true;
        };
        const probe = (): void => void check();
        const timer = setTimeout(() => {
          waiters.delete(probe);
          reject(new Error(`no ${type} frame within ${timeoutMs} ms; got ${frames.map((f) => f.type).join(',')}`));
        }, timeoutMs);
        if (!check()) waiters.add(probe);
      });
    },
  };
  return client;
}

export async function booth(url: string, token: string): Promise<RawClient> {
  const c = await connect(url);
  c.send({ type: 'auth.booth', token });
  await c.next('auth.ok');
  return c;
}

export async function agent(url: string, login: string, password: string, available = true): Promise<RawClient> {
  const c = await connect(url);
  c.send({ type: 'auth.agent', login, password });
  await c.next('auth.ok');
  if (available) {
    c.send({ type: 'agent.status', status: 'available' });
    c.send({ type: 'presence.get' });
    await c.next('presence', (p) => p.organisations.some((o) => o.agentsAvailable > 0));
  }
  return c;
}

/** Tuesday 10:00 in Paris: every organisation open with the default weekday hours. */
export const TUESDAY_10H = Date.UTC(2026, 5, 2, 8, 0);

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timeout waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
