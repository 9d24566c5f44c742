// `npm run bench:hub -- --nodes 3`: the hub on one node (the one-machine hub, SQLite) and on N nodes (Redis, PostgreSQL),
// same load, same run: idle booths spread over the nodes, pairs in calls relaying signals across nodes (booth on node
// i, agent on node i+1), then (N nodes) `kill -9` of one node and the time until each of its booths is signed in on
// another. Prints the figures. Everything on loopback; servers started and stopped by PID.
// Knobs: BENCH_SOCKETS (default 10000), BENCH_RATE (messages/s, 2000), BENCH_PAIRS (100), BENCH_SECONDS (20),
// BENCH_SAME_NODE=1 (each agent on its booth's node: nothing crosses between nodes, what spreading alone costs).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { HUB_NODE_FLAGS, buildHub } from '../../build/scripts/build-hub.mjs';
import { hashPassword } from '../../server/auth.js';
import { openPostgresStore } from '../../server/sharedStore/postgres.js';
import { sqliteSharedStore } from '../../server/sharedStore/sqlite.js';
import type { SharedHubStore } from '../../server/sharedStore/types.js';
import { ALWAYS_OPEN, createHubStore, openHubDb } from '../../server/store.js';
import { freeLoopbackPort, startChild, stopChild, type StartedChild } from '../support/childServer.js';
import { startPostgres } from '../support/postgres.js';
import { startRedis } from '../support/redis.js';

const env = process.env;
const SOCKETS = Number(env.BENCH_SOCKETS ?? 10_000);
const RATE = Number(env.BENCH_RATE ?? 2_000);
const PAIRS = Number(env.BENCH_PAIRS ?? 100);
const SECONDS = Number(env.BENCH_SECONDS ?? 20);
/** Every organisation's agents are on one node; its booths on the next one (the worst case), or on the same one. */
const SAME_NODE = env.BENCH_SAME_NODE === '1';
const ORGS = ['CAF', 'CPAM', 'CARSAT', 'FT', 'ML', 'UDAF'];
const PASSWORD = 'banc-d-essai-du-hub';
const IDLE_SECONDS = 5;

interface Phase {
  label: string;
  nodes: Array<{ url: string; proc: StartedChild }>;
  others: number[];
}
interface Figures {
  label: string;
  sockets: number;
  sent: number;
  received: number;
  p50: number;
  p99: number;
  cpuUsPerMessage: number;
  /** Less what the same servers spend idle over as long. */
  netCpuUsPerMessage: number;
  failover?: { booths: number; medianMs: number; maxMs: number };
}

/**
 * Waits until the servers' summed CPU has settled after the sign-ins and call set-ups (their garbage collected, their
 * first checks done): two seconds in a row within 30 % (and 5 ms/s) of the quietest second seen, or 30 s at most.
 * Both phases wait the same way, so that idle and load are measured in the steady state, not in the set-up's tail.
 */
async function settle(pids: number[]): Promise<{ seconds: number; series: number[] }> {
  const series: number[] = [];
  let quiet = 0;
  for (let s = 0; s < 30; s++) {
    const before = pids.reduce((sum, pid) => sum + cpuTicks(pid), 0);
    await new Promise((r) => setTimeout(r, 1_000));
    const ms = (pids.reduce((sum, pid) => sum + cpuTicks(pid), 0) - before) * 10;
    series.push(ms);
    const least = Math.min(...series);
    quiet = ms <= least * 1.3 + 5 ? quiet + 1 : 0;
    if (quiet >= 2 && series.length >= 3) return { seconds: s + 1, series };
  }
  return { seconds: 30, series };
}

const cpuTicks = (pid: number): number => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(f[11]) + Number(f[12]);
};

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
async function inBatches<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
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

async function seed(store: SharedHubStore): Promise<{ boothTokens: string[] }> {
  await store.seedOrganisations(ALWAYS_OPEN);
  const hash = await hashPassword(PASSWORD);
  for (let i = 0; i < PAIRS; i++) await store.addAgent({ organisation: ORGS[i % ORGS.length]!, login: `a${i}`, displayName: `Agent ${i}`, passwordHash: hash }, Date.now());
  const boothTokens = await inBatches(SOCKETS, 20, async (i) => (await store.addBooth(`Site ${i}`, Date.now())).token);
  return { boothTokens };
}

async function measure(phase: Phase, boothTokens: string[], failover: boolean): Promise<Figures> {
  const n = phase.nodes.length;
  const urls = phase.nodes.map((x) => x.url);
  // Idle booths over the nodes in turn; each signs in again elsewhere when its node goes (the kiosk knows several hubs).
  const lostAt = new Map<number, number>();
  const backAt = new Map<number, number>();
  const alive = new Set(urls.map((_, i) => i));
  let closing = false;
  const booths: WebSocket[] = [];
  const attach = (i: number, node: number, ws: WebSocket): void => {
    booths[i] = ws;
    ws.once('close', () => {
      if (closing) return;
      lostAt.set(i, performance.now());
      void (async () => {
        for (let k = 1; k <= n && !closing; k++) {
          const other = (node + k) % n;
          if (!alive.has(other)) continue;
          try {
            const again = await signIn(urls[other]!, { type: 'auth.booth', token: boothTokens[i] });
            backAt.set(i, performance.now());
            attach(i, other, again);
            return;
          } catch {
            // that one refused too: the next
          }
        }
      })();
    });
  };
  await inBatches(SOCKETS - PAIRS, 100, async (i) => attach(PAIRS + i, i % n, await signIn(urls[i % n]!, { type: 'auth.booth', token: boothTokens[PAIRS + i] })));
  // Pairs: the booth on node i, its agent on node i+1 (BENCH_SAME_NODE: node i), in a call.
  const pairs = await inBatches(PAIRS, 10, async (i) => {
    const agentWs = await signIn(urls[(i + (SAME_NODE ? 0 : 1)) % n]!, { type: 'auth.agent', login: `a${i}`, password: PASSWORD });
    agentWs.on('message', (data) => {
      const f = JSON.parse(String(data)) as { type: string; callId?: string };
      if (f.type === 'call.ringing') agentWs.send(JSON.stringify({ type: 'call.accept', callId: f.callId }));
    });
    agentWs.send(JSON.stringify({ type: 'agent.status', status: 'available' }));
    return { agentWs, booth: await signIn(urls[i % n]!, { type: 'auth.booth', token: boothTokens[i] }) };
  });
  // Presence reaches every node within a tick: each booth asks until its organisation is reachable, then calls.
  const calls = await inBatches(PAIRS, 20, async (i) => {
    const { booth } = pairs[i]!;
    const org = ORGS[i % ORGS.length];
    for (;;) {
      const accepted = frame(booth, 'call.accepted', 15_000).catch(() => null);
      const unavailable = frame(booth, 'call.unavailable', 15_000).catch(() => null);
      booth.send(JSON.stringify({ type: 'call.request', organisation: org }));
      const got = await Promise.race([accepted, unavailable]);
      if (got?.type === 'call.accepted') return String(got.callId);
      await new Promise((r) => setTimeout(r, 300));
    }
  });
  const latencies: number[] = [];
  let received = 0;
  for (const { agentWs } of pairs)
    agentWs.on('message', (data) => {
      const f = JSON.parse(String(data)) as { type: string; data?: { t: number } };
      if (f.type !== 'signal' || !f.data) return;
      received++;
      latencies.push(performance.now() - f.data.t);
    });
  const errors = new Map<string, number>();
  for (const p of pairs)
    for (const ws of [p.booth, p.agentWs])
      ws.on('message', (data) => {
        const f = JSON.parse(String(data)) as { type: string; code?: string };
        if (f.type === 'error') errors.set(f.code ?? '?', (errors.get(f.code ?? '?') ?? 0) + 1);
      });
  const pids = [...phase.nodes.map((x) => x.proc.pid), ...phase.others];
  const settled = await settle(pids);
  console.log(`  ${phase.label}: CPU settled after ${settled.seconds} s (ms/s each second: ${settled.series.join(', ')})`);
  // Idle first: what the servers spend holding the sockets with no signal to relay (beats, leases, timers).
  const idleBefore = pids.map(cpuTicks);
  await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
  const idleMs = pids.map((pid, i) => (cpuTicks(pid) - idleBefore[i]!) * 10);
  const before = pids.map(cpuTicks);
  let sent = 0;
  const intervalMs = 10;
  const perTick = (RATE * intervalMs) / 1000;
  let carry = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      carry += perTick;
      while (carry >= 1) {
        carry--;
        const k = sent % PAIRS;
        pairs[k]!.booth.send(JSON.stringify({ type: 'signal', callId: calls[k], data: { t: performance.now(), seq: sent } }));
        sent++;
      }
      if (performance.now() - start >= SECONDS * 1000) {
        clearInterval(timer);
        resolve();
      }
    }, intervalMs);
  });
  const drainEnd = performance.now() + 5_000;
  while (received < sent && performance.now() < drainEnd) await new Promise((r) => setTimeout(r, 50));
  const after = pids.map(cpuTicks);
  if (errors.size > 0) console.log(`  ${phase.label}: errors answered during the load: ${[...errors].map(([c, k]) => `${c} ×${k}`).join(', ')}`);
  const cpuMs = after.reduce((s, t, i) => s + (t - before[i]!) * 10, 0);
  const loadedSeconds = (performance.now() - start) / 1000;
  const perProcess = pids.map((_, i) => `${((after[i]! - before[i]!) * 10) / loadedSeconds | 0}`).join(' + ');
  const idlePerS = idleMs.reduce((a, b) => a + b, 0) / IDLE_SECONDS;
  console.log(`  ${phase.label}: CPU ms/s under load ${perProcess} (nodes${phase.others.length ? ', Redis, PostgreSQL' : ''}); idle ${idleMs.map((m) => (m / IDLE_SECONDS) | 0).join(' + ')} ms/s`);
  latencies.sort((a, b) => a - b);
  const at = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  const figures: Figures = {
    label: phase.label,
    sockets: SOCKETS + PAIRS,
    sent,
    received,
    p50: at(0.5),
    p99: at(0.99),
    cpuUsPerMessage: (cpuMs * 1000) / Math.max(1, received),
    netCpuUsPerMessage: ((cpuMs - idlePerS * loadedSeconds) * 1000) / Math.max(1, received),
  };
  if (failover) {
    const victim = 0;
    const held = booths.map((_, i) => i).filter((i) => i >= PAIRS && (i - PAIRS) % n === victim);
    alive.delete(victim);
    const killedAt = performance.now();
    process.kill(phase.nodes[victim]!.proc.pid, 'SIGKILL');
    const end = killedAt + 60_000;
    while (held.some((i) => !backAt.has(i)) && performance.now() < end) await new Promise((r) => setTimeout(r, 50));
    const times = held.filter((i) => backAt.has(i)).map((i) => backAt.get(i)! - killedAt).sort((a, b) => a - b);
    figures.failover = { booths: times.length, medianMs: times[Math.floor(times.length / 2)] ?? NaN, maxMs: times[times.length - 1] ?? NaN };
    if (times.length < held.length) console.log(`  failover: ${held.length - times.length} of ${held.length} booths not signed in again within 60 s`);
  }
  closing = true;
  for (const ws of booths) ws?.terminate();
  for (const p of pairs) {
    p.booth.terminate();
    p.agentWs.terminate();
  }
  return figures;
}

export async function runNodesBench(nodeCount: number): Promise<void> {
  if (!Number.isInteger(nodeCount) || nodeCount < 2 || nodeCount > 8) throw new Error('--nodes: between 2 and 8');
  const bundle = await buildHub();
  const cores = execFileSync('nproc', ['--all']).toString().trim();
  console.log(`bench:hub --nodes ${nodeCount} — ${SOCKETS} booths + ${PAIRS} pairs in calls, ${RATE} signals/s for ${SECONDS} s; one machine of ${cores} cores runs every node, Redis, PostgreSQL and the load${SAME_NODE ? "; each agent on its booth's node (BENCH_SAME_NODE)" : ""}`);
  const results: Figures[] = [];

  // One node: the one-machine hub as `npm run hub` runs it, with its SQLite.
  {
    const dir = mkdtempSync(path.join(tmpdir(), 'relais-bench-one-'));
    const db = createHubStore(openHubDb(path.join(dir, 'hub.sqlite')));
    const store = sqliteSharedStore(db);
    const { boothTokens } = await seed(store);
    db.db.close();
    const port = await freeLoopbackPort();
    const proc = await startChild(process.execPath, [...HUB_NODE_FLAGS, bundle, '--port', String(port), '--data-dir', dir], { ready: (o) => o.includes('Hub prêt'), timeoutMs: 60_000 });
    try {
      results.push(await measure({ label: 'one node (SQLite)', nodes: [{ url: `ws://127.0.0.1:${port}/hub`, proc }], others: [] }, boothTokens, false));
    } finally {
      await stopChild(proc.child);
      rmSync(dir, { recursive: true, force: true });
    }
  }

  // N nodes over Redis and PostgreSQL.
  {
    const [pgServer, redis] = await Promise.all([startPostgres(), startRedis()]);
    const store = await openPostgresStore(pgServer.url);
    const { boothTokens } = await seed(store);
    await store.close();
    const nodes: Phase['nodes'] = [];
    try {
      for (let i = 0; i < nodeCount; i++) {
        const port = await freeLoopbackPort();
        const proc = await startChild(process.execPath, [...HUB_NODE_FLAGS, ...(env.BENCH_NODE_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${env.BENCH_NODE_PROFILE}`] : []), bundle, '--redis', redis.url, '--postgres', pgServer.url, '--node-id', `bench${i}`, '--port', String(port)], {
          ready: (o) => o.includes('prêt'),
          timeoutMs: 60_000,
        });
        nodes.push({ url: `ws://127.0.0.1:${port}/hub`, proc });
      }
      results.push(await measure({ label: `${nodeCount} nodes (Redis, PostgreSQL)`, nodes, others: [redis.pid, pgServer.pid] }, boothTokens, true));
    } finally {
      for (const x of nodes) await stopChild(x.proc.child);
      await redis.stop();
      await pgServer.stop();
    }
  }

  const [one, many] = results as [Figures, Figures];
  console.log('\n| | sockets | relayed / sent | lost | p50 ms | p99 ms | CPU µs per message (nodes + Redis + PostgreSQL) | the same less idle |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of results)
    console.log(`| ${r.label} | ${r.sockets} | ${r.received} / ${r.sent} | ${r.sent - r.received} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.cpuUsPerMessage.toFixed(0)} | ${r.netCpuUsPerMessage.toFixed(0)} |`);
  console.log(
    `\n${nodeCount} nodes ÷ one node: p99 ${(many.p99 / one.p99).toFixed(2)}× (target ≤ 2×), CPU per message ${(many.cpuUsPerMessage / one.cpuUsPerMessage).toFixed(2)}× (less idle ${(many.netCpuUsPerMessage / one.netCpuUsPerMessage).toFixed(2)}×; target ≤ 2×), lost ${many.sent - many.received} (target 0)`,
  );
  if (many.failover) console.log(`failover: kill -9 of one node → its ${many.failover.booths} booths signed in on the others, median ${many.failover.medianMs.toFixed(0)} ms, last ${many.failover.maxMs.toFixed(0)} ms (target: median ≤ 5 s)`);
}
