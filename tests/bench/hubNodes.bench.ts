// `npm run bench:hub -- --nodes 3`: the hub on one node (the one-machine hub, SQLite) and on N nodes (Redis, PostgreSQL),
// both up in the same run, each holding its idle booths spread over its nodes and pairs in calls relaying signals across
// nodes (booth on node i, agent on node i+1); the load goes to each in turn by 1 s slices (interleavedLoad), then
// `kill -9` of one of the N nodes and the time until each of its booths is signed in on another. Prints the figures.
// Everything on loopback; servers started and stopped by PID.
// Knobs: BENCH_SOCKETS (default 10000), BENCH_RATE (messages/s, 2000), BENCH_PAIRS (100), BENCH_SECONDS (20 each),
// BENCH_SLICE_SECONDS (1), BENCH_WARMUP_SECONDS (2), BENCH_SAME_NODE=1 (each agent on its booth's node: nothing crosses
// between nodes, what spreading alone costs), BENCH_ARRIVALS=poisson (each millisecond's signals drawn as independent
// booths would send them, instead of bursts every 10 ms), BENCH_NODE_PROFILE=<dir> (a V8 CPU profile of every node),
// BENCH_NODE_FLAGS (more V8 flags for the N nodes, space-separated: to try one against HUB_CLUSTER_NODE_FLAGS).
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HUB_CLUSTER_NODE_FLAGS, HUB_NODE_FLAGS, buildHub } from '../../build/scripts/build-hub.mjs';
import { hashPassword } from '../../server/auth.js';
import { openPostgresStore } from '../../server/sharedStore/postgres.js';
import { sqliteSharedStore } from '../../server/sharedStore/sqlite.js';
import type { SharedHubStore } from '../../server/sharedStore/types.js';
import { ALWAYS_OPEN, createHubStore, openHubDb } from '../../server/store.js';
import { freeLoopbackPort, startChild, stopChild, type StartedChild } from '../support/childServer.js';
import { startPostgres } from '../support/postgres.js';
import { startRedis } from '../support/redis.js';
import { inBatches, type Arrivals, type ClientCommand, type ClientFigures } from './hub/nodesClient.js';
import { mainThreadNs, rssMb, treeCpuNs, wakeUps } from './support/procCpu.js';

const env = process.env;
const SOCKETS = Number(env.BENCH_SOCKETS ?? 10_000);
const RATE = Number(env.BENCH_RATE ?? 2_000);
const PAIRS = Number(env.BENCH_PAIRS ?? 100);
const SECONDS = Number(env.BENCH_SECONDS ?? 20);
/** Every organisation's agents are on one node; its booths on the next one (the worst case), or on the same one. */
const SAME_NODE = env.BENCH_SAME_NODE === '1';
const ARRIVALS: Arrivals = env.BENCH_ARRIVALS === 'poisson' ? 'poisson' : 'ticks';
const ORGS = ['CAF', 'CPAM', 'CARSAT', 'FT', 'ML', 'UDAF'];
const PASSWORD = 'banc-d-essai-du-hub';
/** Each configuration's load comes in slices this long, in turn (hub.bench.ts says why 1 s). */
const SLICE_SECONDS = Number(env.BENCH_SLICE_SECONDS ?? 1);
const WARMUP_SECONDS = Number(env.BENCH_WARMUP_SECONDS ?? 2);

interface Phase {
  label: string;
  nodes: Array<{ url: string; proc: StartedChild }>;
  /** Redis and PostgreSQL, each counted with the processes it started (PostgreSQL's backends). */
  others: Array<{ label: string; pid: number }>;
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
 * Both configurations are waited for together, so that idle and load are measured in the steady state, not in the
 * set-up's tail.
 */
async function settle(pids: number[]): Promise<{ seconds: number; series: number[] }> {
  const series: number[] = [];
  let quiet = 0;
  for (let s = 0; s < 30; s++) {
    const before = cpuNsOf(pids);
    await new Promise((r) => setTimeout(r, 1_000));
    const ms = Math.round((cpuNsOf(pids) - before) / 1e6);
    series.push(ms);
    const least = Math.min(...series);
    quiet = ms <= least * 1.3 + 5 ? quiet + 1 : 0;
    if (quiet >= 2 && series.length >= 3) return { seconds: s + 1, series };
  }
  return { seconds: 30, series };
}

async function seed(store: SharedHubStore): Promise<{ boothTokens: string[] }> {
  await store.seedOrganisations(ALWAYS_OPEN);
  const hash = await hashPassword(PASSWORD);
  for (let i = 0; i < PAIRS; i++) await store.addAgent({ organisation: ORGS[i % ORGS.length]!, login: `a${i}`, displayName: `Agent ${i}`, passwordHash: hash }, Date.now());
  const boothTokens = await inBatches(SOCKETS, 20, async (i) => (await store.addBooth(`Site ${i}`, Date.now())).token);
  return { boothTokens };
}

/** A configuration up, its clients (hub/nodesClient.ts) in a process of their own, and what its slices measured. */
interface Running {
  phase: Phase;
  pids: number[];
  clients: ChildProcess;
  received: number;
  /**
   * Each measured slice: its CPU (ns, all the configuration's processes; `mainNs` the main threads of the hub's
   * processes alone), its messages, its length, its wake-ups.
   */
  slices: Array<{ cpuNs: number; mainNs: number; messages: number; ms: number; wakeUps: number; othersNs: number[] }>;
  /** CPU spent while the other configuration had the load (holding the sockets: beats, leases, timers). */
  idleNs: number;
  idleMs: number;
}

const cpuNsOf = (pids: number[]): number => pids.reduce((sum, pid) => sum + treeCpuNs(pid), 0);
const wakeUpsOf = (pids: number[]): number => pids.reduce((sum, pid) => sum + wakeUps(pid), 0);
/** The hub's processes are the phase's nodes; its `others` (Redis, PostgreSQL) are left out. */
const mainNsOf = (r: Running): number => r.phase.nodes.reduce((sum, x) => sum + mainThreadNs(x.proc.pid), 0);

/** Sends a command to a configuration's clients and resolves with their answer. */
function ask<T>(r: Running, command: ClientCommand): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`${r.phase.label}: the clients' process exited (${code})`));
    r.clients.once('exit', onExit);
    r.clients.once('message', (m) => {
      r.clients.off('exit', onExit);
      resolve(m as T);
    });
    r.clients.send(command);
  });
}

/**
 * Starts a configuration's clients: idle booths spread over its nodes, pairs in calls. Prints how long the sign-ins
 * took and the servers' CPU from the first until it settled (what the fleet writes of each booth's connection included).
 */
async function prepare(phase: Phase, tokens: string[]): Promise<Running> {
  const clients = fork(fileURLToPath(new URL('./hub/nodesClient.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const r: Running = { phase, pids: [...phase.nodes.map((x) => x.proc.pid), ...phase.others.map((x) => x.pid)], clients, received: 0, slices: [], idleNs: 0, idleMs: 0 };
  const ns0 = cpuNsOf(r.pids);
  const start = performance.now();
  await ask(r, { cmd: 'prepare', urls: phase.nodes.map((x) => x.url), tokens, pairs: PAIRS, orgs: ORGS, password: PASSWORD, rate: RATE, sameNode: SAME_NODE });
  const signedIn = (performance.now() - start) / 1000;
  const settled = await settle(r.pids);
  const cpuS = (cpuNsOf(r.pids) - ns0) / 1e9;
  console.log(
    `  ${phase.label}: ${tokens.length} booths signed in and ${PAIRS} calls set up in ${signedIn.toFixed(1)} s; the servers' CPU from the first sign-in until settled (+${settled.seconds} s): ${cpuS.toFixed(1)} s, ${((cpuS * 1e6) / tokens.length).toFixed(0)} µs a booth`,
  );
  return r;
}

/** One slice of load for `r`; a measured one is recorded with the servers' CPU over it (until its signals arrived). */
async function drive(r: Running, ms: number, measure: boolean): Promise<void> {
  const ns0 = cpuNsOf(r.pids);
  const main0 = mainNsOf(r);
  const woken0 = wakeUpsOf(r.pids);
  const others0 = r.phase.others.map((x) => treeCpuNs(x.pid));
  const start = performance.now();
  const { received } = await ask<{ sent: number; received: number }>(r, { cmd: 'drive', ms, measure, arrivals: ARRIVALS });
  if (measure) r.slices.push({ cpuNs: cpuNsOf(r.pids) - ns0, mainNs: mainNsOf(r) - main0, messages: received - r.received, ms: performance.now() - start, wakeUps: wakeUpsOf(r.pids) - woken0, othersNs: r.phase.others.map((x, i) => treeCpuNs(x.pid) - others0[i]!) });
  r.received = received;
}

/**
 * The load, interleaved: both configurations are up and holding their sockets, and each takes the load in turn by
 * slices of SLICE_SECONDS until each has had SECONDS. Run one after the other, the one node alone varied from 34 to 62
 * µs a signal between runs of this VM, so that the ratio of two sequential phases said more of the VM than of the
 * nodes; slices back to back put a slow spell on both alike, and the rounds' ratios show how much noise is left.
 */
async function interleavedLoad(group: Running[]): Promise<void> {
  for (const r of group) await drive(r, WARMUP_SECONDS * 1000, false);
  const rounds = Math.max(1, Math.round(SECONDS / SLICE_SECONDS));
  for (let i = 0; i < rounds; i++) {
    // Who goes first alternates, so neither always follows the other.
    for (const r of i % 2 === 0 ? group : [...group].reverse()) {
      const others = group.filter((o) => o !== r).map((o) => ({ o, ns: cpuNsOf(o.pids) }));
      const started = performance.now();
      await drive(r, SLICE_SECONDS * 1000, true);
      for (const { o, ns } of others) {
        o.idleNs += cpuNsOf(o.pids) - ns;
        o.idleMs += performance.now() - started;
      }
    }
  }
}

async function figuresOf(r: Running): Promise<Figures> {
  const c = await ask<ClientFigures>(r, { cmd: 'figures' });
  const busyNs = r.slices.reduce((sum, x) => sum + x.cpuNs, 0);
  const messages = r.slices.reduce((sum, x) => sum + x.messages, 0);
  const ms = r.slices.reduce((sum, x) => sum + x.ms, 0);
  const woken = r.slices.reduce((sum, x) => sum + x.wakeUps, 0);
  const mainNs = r.slices.reduce((sum, x) => sum + x.mainNs, 0);
  const idleNsPerMs = r.idleNs / Math.max(1, r.idleMs);
  if (c.errors.length > 0) console.log(`  ${r.phase.label}: errors answered during the load: ${c.errors.map(([code, k]) => `${code} ×${k}`).join(', ')}`);
  const othersMsPerS = r.phase.others.map((x, i) => `${x.label} ${(r.slices.reduce((sum, sl) => sum + sl.othersNs[i]!, 0) / ms / 1e3).toFixed(0)}`);
  console.log(`  ${r.phase.label}: CPU under load ${(busyNs / ms / 1e3).toFixed(0)} ms/s (the hub's main threads ${(mainNs / ms / 1e3).toFixed(0)}${othersMsPerS.map((x) => `, ${x}`).join('')}), idle (while the other had the load) ${(idleNsPerMs / 1e3).toFixed(0)} ms/s, ${((woken * 1000) / ms).toFixed(0)} wake-ups/s under load, summed over ${r.pids.length} process(es)`);
  return {
    label: r.phase.label,
    sockets: SOCKETS + PAIRS,
    sent: c.sent,
    received: c.received,
    p50: c.p50,
    p99: c.p99,
    cpuUsPerMessage: busyNs / 1e3 / Math.max(1, messages),
    netCpuUsPerMessage: (busyNs - idleNsPerMs * ms) / 1e3 / Math.max(1, messages),
  };
}

export async function runNodesBench(nodeCount: number): Promise<void> {
  if (!Number.isInteger(nodeCount) || nodeCount < 2 || nodeCount > 8) throw new Error('--nodes: between 2 and 8');
  const bundle = await buildHub();
  const cores = execFileSync('nproc', ['--all']).toString().trim();
  console.log(
    `bench:hub --nodes ${nodeCount} — ${SOCKETS} booths + ${PAIRS} pairs in calls on each configuration, both up together, ${RATE} signals/s (${ARRIVALS === 'poisson' ? 'drawn each millisecond as independent booths send them' : 'in bursts every 10 ms'}) to each in turn by slices of ${SLICE_SECONDS} s for ${SECONDS} s each (+${WARMUP_SECONDS} s warm-up); one machine of ${cores} cores runs every node, Redis, PostgreSQL and the load${SAME_NODE ? "; each agent on its booth's node (BENCH_SAME_NODE)" : ''}`,
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'relais-bench-one-'));
  const children: StartedChild[] = [];
  const group: Running[] = [];
  let redis: Awaited<ReturnType<typeof startRedis>> | null = null;
  let pgServer: Awaited<ReturnType<typeof startPostgres>> | null = null;
  try {
    // One node: the one-machine hub as `npm run hub` runs it, with its SQLite.
    const db = createHubStore(openHubDb(path.join(dir, 'hub.sqlite')));
    const oneTokens = (await seed(sqliteSharedStore(db))).boothTokens;
    db.db.close();
    const port = await freeLoopbackPort();
    const one = await startChild(process.execPath, [...HUB_NODE_FLAGS, ...(env.BENCH_NODE_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${env.BENCH_NODE_PROFILE}/one`] : []), bundle, '--port', String(port), '--data-dir', dir], { ready: (o) => o.includes('Hub prêt'), timeoutMs: 60_000 });
    children.push(one);
    group.push(await prepare({ label: 'one node (SQLite)', nodes: [{ url: `ws://127.0.0.1:${port}/hub`, proc: one }], others: [] }, oneTokens));

    // N nodes over Redis and PostgreSQL.
    [pgServer, redis] = await Promise.all([startPostgres(), startRedis()]);
    const store = await openPostgresStore(pgServer.url);
    const manyTokens = (await seed(store)).boothTokens;
    await store.close();
    const nodes: Phase['nodes'] = [];
    for (let i = 0; i < nodeCount; i++) {
      const nodePort = await freeLoopbackPort();
      const proc = await startChild(process.execPath, [...HUB_CLUSTER_NODE_FLAGS, ...(env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), ...(env.BENCH_NODE_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${env.BENCH_NODE_PROFILE}`] : []), bundle, '--redis', redis.url, '--postgres', pgServer.url, '--node-id', `bench${i}`, '--port', String(nodePort)], {
        ready: (o) => o.includes('prêt'),
        timeoutMs: 60_000,
      });
      children.push(proc);
      nodes.push({ url: `ws://127.0.0.1:${nodePort}/hub`, proc });
    }
    group.push(await prepare({ label: `${nodeCount} nodes (Redis, PostgreSQL)`, nodes, others: [{ label: 'Redis', pid: redis.pid }, { label: 'PostgreSQL', pid: pgServer.pid }] }, manyTokens));

    const settled = await settle(group.flatMap((r) => r.pids));
    console.log(`  CPU of all the servers settled after ${settled.seconds} s (ms/s each second: ${settled.series.join(', ')})`);
    await interleavedLoad(group);
    for (const r of group) console.log(`  ${r.phase.label}: RSS after the load ${r.phase.nodes.map((x) => rssMb(x.proc.pid).toFixed(0)).join(' + ')} MB`);
    // How many signals each write on a direct link carried: every batch is one write and one read, on top of the frames.
    const links = await Promise.all(group[1]!.phase.nodes.map(async (x) => (await (await fetch(`${x.url.replace(/^ws/, 'http').replace(/\/hub$/, '')}/healthz`)).json()) as { links: { viaLink: number; viaBus: number } }));
    const batches = links.reduce((sum, h) => sum + h.links.viaLink + h.links.viaBus, 0);
    console.log(`  ${group[1]!.phase.label}: ${batches} batches between nodes (${links.reduce((sum, h) => sum + h.links.viaBus, 0)} through Redis) for ${group[1]!.received} signals, ${(group[1]!.received / Math.max(1, batches)).toFixed(1)} a batch`);
    const [oneRun, manyRun] = group as [Running, Running];
    const results: Figures[] = [];
    for (const r of group) results.push(await figuresOf(r));
    const [oneF, manyF] = results as [Figures, Figures];
    const fo = await ask<NonNullable<Figures['failover']> & { missing: number }>(manyRun, { cmd: 'failover', victim: 0, pid: manyRun.phase.nodes[0]!.proc.pid });
    if (fo.missing > 0) console.log(`  failover: ${fo.missing} of ${fo.missing + fo.booths} booths not signed in again within 60 s`);
    manyF.failover = fo;

    console.log('\n| | sockets | relayed / sent | lost | p50 ms | p99 ms | CPU µs per message (nodes + Redis + PostgreSQL) | the same less idle |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const f of results)
      console.log(`| ${f.label} | ${f.sockets} | ${f.received} / ${f.sent} | ${f.sent - f.received} | ${f.p50.toFixed(2)} | ${f.p99.toFixed(2)} | ${f.cpuUsPerMessage.toFixed(0)} | ${f.netCpuUsPerMessage.toFixed(0)} |`);
    const perMessage = (x: { cpuNs: number; messages: number }): number => x.cpuNs / Math.max(1, x.messages);
    const ratios = manyRun.slices.map((x, i) => perMessage(x) / perMessage(oneRun.slices[i]!)).sort((a, b) => a - b);
    const q = (p: number): number => ratios[Math.min(ratios.length - 1, Math.floor(p * ratios.length))]!;
    console.log(
      `\n${nodeCount} nodes ÷ one node: p99 ${(manyF.p99 / oneF.p99).toFixed(2)}× (target ≤ 2×), CPU per message ${(manyF.cpuUsPerMessage / oneF.cpuUsPerMessage).toFixed(2)}× (less idle ${(manyF.netCpuUsPerMessage / oneF.netCpuUsPerMessage).toFixed(2)}×; target ≤ 2×), lost ${manyF.sent - manyF.received} (target 0)`,
    );
    console.log(`  round by round (${ratios.length} rounds of one ${SLICE_SECONDS} s slice each): median ${q(0.5).toFixed(2)}×, quartiles ${q(0.25).toFixed(2)}–${q(0.75).toFixed(2)}×, range ${ratios[0]!.toFixed(2)}–${ratios[ratios.length - 1]!.toFixed(2)}×`);
    console.log(`failover: kill -9 of one node → its ${fo.booths} booths signed in on the others, median ${fo.medianMs.toFixed(0)} ms, last ${fo.maxMs.toFixed(0)} ms (target: median ≤ 5 s)`);
  } finally {
    for (const r of group) r.clients.kill('SIGKILL');
    for (const c of children) await stopChild(c.child);
    await redis?.stop();
    await pgServer?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
