// One configuration's clients for `bench:hub -- --nodes N` (hubNodes.bench.ts), in a process of their own: two
// configurations of 10,100 sockets each would pass the 20,000 files a process may open here. Driven over IPC:
//   { cmd: 'prepare', urls, tokens, ... } → { prepared: true }   idle booths spread over the nodes, pairs in calls
//   { cmd: 'drive', ms, measure }        → { sent, received }   RATE signals/s for `ms`, then their arrival
//   { cmd: 'figures' }                   → { sent, received, p50, p99, errors }
//   { cmd: 'failover', victim, pid }     → { booths, medianMs, maxMs }   kill -9 of a node, its booths' sign-ins elsewhere
// The parent measures the servers' CPU around each `drive`.
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

export interface PrepareCommand {
  cmd: 'prepare';
  urls: string[];
  /** Every booth's token: the first `pairs` call, the rest stay idle. */
  tokens: string[];
  pairs: number;
  orgs: string[];
  password: string;
  rate: number;
  /** Each agent on its booth's node instead of the next one. */
  sameNode: boolean;
}
export type ClientCommand = PrepareCommand | { cmd: 'drive'; ms: number; measure: boolean; arrivals: Arrivals } | { cmd: 'figures' } | { cmd: 'failover'; victim: number; pid: number };
/** How the signals are spread in time (see drive). */
export type Arrivals = 'ticks' | 'poisson';
export interface ClientFigures {
  sent: number;
  received: number;
  p50: number;
  p99: number;
  errors: Array<[string, number]>;
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}
/** Resolves with the first frame of this type (parsed), or rejects after `ms`. */
function frame(ws: WebSocket, type: string, ms = 30_000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.off('message', on);
      reject(new Error(`no ${type}`));
    }, ms);
    const on = (data: WebSocket.RawData): void => {
      const f = JSON.parse(String(data)) as Record<string, unknown>;
      if (f.type !== type) return;
      clearTimeout(timer);
      ws.off('message', on);
      resolve(f);
    };
    ws.on('message', on);
  });
}
async function signIn(url: string, auth: object): Promise<WebSocket> {
  const ws = await open(url);
  const ok = frame(ws, 'auth.ok');
  ws.send(JSON.stringify(auth));
  await ok;
  return ws;
}
/** `count` tasks, `width` at a time. */
export async function inBatches<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}

interface Clients {
  setup: PrepareCommand;
  pairs: Array<{ agentWs: WebSocket; booth: WebSocket }>;
  calls: string[];
  booths: WebSocket[];
  backAt: Map<number, number>;
  alive: Set<number>;
  latencies: number[];
  measuring: boolean;
  received: number;
  sent: number;
  errors: Map<string, number>;
}

/** Signs in the idle booths and the pairs, and puts each pair in a call. */
async function prepare(setup: PrepareCommand): Promise<Clients> {
  const { urls, tokens, pairs: pairCount, orgs, password } = setup;
  const n = urls.length;
  const c: Clients = { setup, pairs: [], calls: [], booths: [], backAt: new Map(), alive: new Set(urls.map((_, i) => i)), latencies: [], measuring: false, received: 0, sent: 0, errors: new Map() };
  // Idle booths over the nodes in turn; each signs in again elsewhere when its node goes (the kiosk knows several hubs).
  const attach = (i: number, node: number, ws: WebSocket): void => {
    c.booths[i] = ws;
    ws.once('close', () => {
      void (async () => {
        for (let k = 1; k <= n; k++) {
          const other = (node + k) % n;
          if (!c.alive.has(other)) continue;
          try {
            const again = await signIn(urls[other]!, { type: 'auth.booth', token: tokens[i] });
            c.backAt.set(i, performance.now());
            attach(i, other, again);
            return;
          } catch {
            // that one refused too: the next
          }
        }
      })();
    });
  };
  await inBatches(tokens.length - pairCount, 100, async (i) => attach(pairCount + i, i % n, await signIn(urls[i % n]!, { type: 'auth.booth', token: tokens[pairCount + i] })));
  // Pairs: the booth on node i, its agent on node i+1 (sameNode: node i), in a call.
  c.pairs = await inBatches(pairCount, 10, async (i) => {
    const agentWs = await signIn(urls[(i + (setup.sameNode ? 0 : 1)) % n]!, { type: 'auth.agent', login: `a${i}`, password });
    agentWs.on('message', (data) => {
      const f = JSON.parse(String(data)) as { type: string; callId?: string };
      if (f.type === 'call.ringing') agentWs.send(JSON.stringify({ type: 'call.accept', callId: f.callId }));
    });
    agentWs.send(JSON.stringify({ type: 'agent.status', status: 'available' }));
    return { agentWs, booth: await signIn(urls[i % n]!, { type: 'auth.booth', token: tokens[i] }) };
  });
  // Presence reaches every node within a tick: each booth asks until its organisation is reachable, then calls.
  c.calls = await inBatches(pairCount, 20, async (i) => {
    const { booth } = c.pairs[i]!;
    const org = orgs[i % orgs.length];
    for (;;) {
      const accepted = frame(booth, 'call.accepted', 15_000).catch(() => null);
      const unavailable = frame(booth, 'call.unavailable', 15_000).catch(() => null);
      booth.send(JSON.stringify({ type: 'call.request', organisation: org }));
      const got = await Promise.race([accepted, unavailable]);
      if (got?.type === 'call.accepted') return String(got.callId);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  });
  for (const { agentWs } of c.pairs)
    agentWs.on('message', (data) => {
      const f = JSON.parse(String(data)) as { type: string; data?: { t: number } };
      if (f.type !== 'signal' || !f.data) return;
      c.received++;
      if (c.measuring) c.latencies.push(performance.now() - f.data.t);
    });
  for (const p of c.pairs)
    for (const ws of [p.booth, p.agentWs])
      ws.on('message', (data) => {
        const f = JSON.parse(String(data)) as { type: string; code?: string };
        if (f.type === 'error') c.errors.set(f.code ?? '?', (c.errors.get(f.code ?? '?') ?? 0) + 1);
      });
  return c;
}

/** Poisson-distributed count of mean `mean` (Knuth; the means here are a few units). */
function poisson(mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = Math.random(); p > limit; p *= Math.random()) k++;
  return k;
}

/**
 * Sends `rate` signals/s through the pairs for `ms`, then waits (2 s at most) for them to arrive. `arrivals`:
 * 'ticks' sends them in bursts every 10 ms; 'poisson' draws each millisecond's count as independent booths would send.
 */
async function drive(c: Clients, ms: number, measure: boolean, arrivals: Arrivals): Promise<{ sent: number; received: number }> {
  const everyMs = arrivals === 'ticks' ? 10 : 1;
  const count = c.pairs.length;
  let carry = 0;
  const start = performance.now();
  let last = start;
  c.measuring = measure;
  const send = (): void => {
    const k = c.sent % count;
    c.pairs[k]!.booth.send(JSON.stringify({ type: 'signal', callId: c.calls[k], data: { t: performance.now(), seq: c.sent } }));
    c.sent++;
  };
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      if (arrivals === 'ticks') {
        carry += (c.setup.rate * everyMs) / 1000;
        for (; carry >= 1; carry--) send();
      } else {
        for (let n = poisson((c.setup.rate * (now - last)) / 1000); n > 0; n--) send();
      }
      last = now;
      if (now - start >= ms) {
        clearInterval(timer);
        resolve();
      }
    }, everyMs);
  });
  const drainEnd = performance.now() + 2_000;
  while (c.received < c.sent && performance.now() < drainEnd) await new Promise((resolve) => setTimeout(resolve, 20));
  c.measuring = false;
  return { sent: c.sent, received: c.received };
}

function figures(c: Clients): ClientFigures {
  const sorted = [...c.latencies].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
  return { sent: c.sent, received: c.received, p50: at(0.5), p99: at(0.99), errors: [...c.errors] };
}

/** `kill -9` of node `victim` (process `pid`), and how long until each of its idle booths is signed in on another. */
async function failover(c: Clients, victim: number, pid: number): Promise<{ booths: number; medianMs: number; maxMs: number; missing: number }> {
  const n = c.setup.urls.length;
  const pairCount = c.setup.pairs;
  const held = c.booths.map((_, i) => i).filter((i) => i >= pairCount && (i - pairCount) % n === victim);
  c.alive.delete(victim);
  const killedAt = performance.now();
  process.kill(pid, 'SIGKILL');
  const end = killedAt + 60_000;
  while (held.some((i) => !c.backAt.has(i)) && performance.now() < end) await new Promise((resolve) => setTimeout(resolve, 50));
  const times = held.filter((i) => c.backAt.has(i)).map((i) => c.backAt.get(i)! - killedAt).sort((a, b) => a - b);
  return { booths: times.length, medianMs: times[Math.floor(times.length / 2)] ?? NaN, maxMs: times[times.length - 1] ?? NaN, missing: held.length - times.length };
}

// Only when forked as the clients' process (the bench imports inBatches from here too).
if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) {
  let clients: Clients | null = null;
  const answer = (m: unknown): void => void process.send!(m);
  process.on('message', (m: ClientCommand) => {
    void (async () => {
      if (m.cmd === 'prepare') {
        clients = await prepare(m);
        answer({ prepared: true });
      } else if (!clients) throw new Error(`${m.cmd} before prepare`);
      else if (m.cmd === 'drive') answer(await drive(clients, m.ms, m.measure, m.arrivals));
      else if (m.cmd === 'figures') answer(figures(clients));
      else answer(await failover(clients, m.victim, m.pid));
    })().catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
  });
}
