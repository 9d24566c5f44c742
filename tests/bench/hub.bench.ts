// `npm run bench:hub`: the Relais hub against the PeerJS server and a bare ws relay, same load, same run; prints figures.
// Servers run pinned to core 1, this generator and the idle-socket holder to core 0 (FIELD-NOTES.md, "WebRTC").
// The hub runs as `npm run hub` runs it (the esbuild bundle, its V8 flags); the bare relay is bundled the same way.
// Our hub is measured twice: beside the bare relay, then beside PeerJS. In each pair both servers are up together and
// take the load in turn, slice by slice, so that a ratio of their figures is not the ratio of two moments of this
// shared VM. Each server's clients behave as its real clients do: ours sign in with the handshake and answer the hub's
// pings, PeerJS's send HEARTBEAT every 5 s.
// Knobs: BENCH_SECONDS (load per server), BENCH_SOCKETS, BENCH_RATE, BENCH_SERVERS=relais,bare/relais,peerjs (groups
// split by `/`: our hub is compared with each other server in a group of its own, under the same conditions), BENCH_SLICE_SECONDS, BENCH_HUB_NODE_FLAGS (replaces the hub's flags), BENCH_HUB_ARGS (e.g. `--config x.yaml`),
// BENCH_SERVER_LOG=<file> (keeps what the servers print, e.g. with --trace-gc-nvp).
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import WebSocket from 'ws';
import { HUB_BUNDLE, HUB_NODE_FLAGS as HUB_RUN_FLAGS, buildHub } from '../../build/scripts/build-hub.mjs';
import { ORGANISATION_CODES } from '../../shared/domain.js';
import { handshakeProtocols } from '../../shared/protocol.js';
import { WEEKDAY_HOURS, ALWAYS_OPEN, createHubStore, openHubDb } from '../../server/store.js';
import { cpuNs, rssMb } from './support/procCpu.js';

const env = process.env;
const SECONDS = Number(env.BENCH_SECONDS ?? 90);
const SOCKETS = Number(env.BENCH_SOCKETS ?? 10_000);
const RATE = Number(env.BENCH_RATE ?? 2_000);
const PAIRS = Number(env.BENCH_PAIRS ?? 50);
const SETUP_SECONDS = Number(env.BENCH_SETUP_SECONDS ?? 15);
const WARMUP_SECONDS = Number(env.BENCH_WARMUP_SECONDS ?? 10);
/** Groups separated by `/`: the servers of a group are loaded in turn, slice by slice (see interleavedLoad). */
const GROUPS = (env.BENCH_SERVERS ?? 'relais,bare/relais,peerjs').split('/').map((g) => g.split(',').filter(Boolean) as Kind[]);
/**
 * 1 s: this VM has slow spells of a few seconds (not reported as steal time). With 5 s slices a spell fell on one
 * server's slice and the rounds' ratios ranged 0.74-2.17x (quartiles 0.92-1.33x); with 1 s slices a spell covers
 * adjacent slices of both servers, and the quartiles narrowed to 0.95-1.05x.
 */
const SLICE_SECONDS = Number(env.BENCH_SLICE_SECONDS ?? 1);
const SLICE_GAP_MS = 250;
/** Sockets a holder opens per turn in the interleaved sign-ins, and the wait after each batch counted with it. */
const CONNECT_BATCH = Number(env.BENCH_CONNECT_BATCH ?? 1_000);
const CONNECT_SETTLE_MS = 300;
/** The PeerJS client's default `pingInterval` (peerjs lib/socket.ts): each of its sockets sends HEARTBEAT this often. */
const PEERJS_HEARTBEAT_MS = Number(env.BENCH_PEERJS_HEARTBEAT_MS ?? 5_000);
const HUB_NODE_FLAGS = env.BENCH_HUB_NODE_FLAGS === undefined ? HUB_RUN_FLAGS : env.BENCH_HUB_NODE_FLAGS.split(' ').filter(Boolean);
/** Extra arguments for the hub (e.g. `--config file.yaml`). */
const HUB_ARGS = (env.BENCH_HUB_ARGS ?? '').split(' ').filter(Boolean);
/** Booths and agents per organisation in the set-up measure: enough that few sockets reach the hub's rate limit. */
const SETUP_AGENTS_PER_ORG = 10;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLK_TCK = 100;
const BARE_BUNDLE = path.join(ROOT, 'dist/bench/bare-relay.mjs');

type Kind = 'relais' | 'peerjs' | 'bare';


interface Figures {
  kind: Kind;
  socketsHeld: number;
  connectMs: number;
  cpuPerConnectionUs: number;
  cpuPerMessageUs: number;
  messages: number;
  lost: number;
  p50: number;
  p99: number;
  max: number;
  rssStartMb: number;
  rssMaxMb: number;
  rssEndMb: number;
  rssSlopeMbPerMin: number;
  setupsPerMinute: number | null;
  idleCpuMsPerS: number | null;
}

async function main(): Promise<void> {
  // Every server runs as plain JavaScript, as in production (`npm run hub` runs the same bundle): no TypeScript loader.
  await buildHub();
  await build({ entryPoints: [path.join(ROOT, 'tests/bench/hub/bare-relay.ts')], outfile: BARE_BUNDLE, bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' });
  const cores = execFileSync('nproc', ['--all']).toString().trim();
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`bench:hub — ${SOCKETS} idle sockets, ${RATE} messages/s over ${PAIRS} pairs for ${SECONDS} s (+${WARMUP_SECONDS} s warm-up); servers on core 1, generator and holder on core 0; ${cores} cores; load average before: ${load}`);
  if (Number(load.split(' ')[0]) > 1.5) console.log('  note: the machine is shared and busy; figures are noisier than on an idle machine.');
  const results: Figures[][] = [];
  for (const group of GROUPS) {
    console.log(`\n— ${group.join(' and ')}${group.length > 1 ? `, loaded in turn by slices of ${SLICE_SECONDS} s` : ''} —`);
    results.push(await benchGroup(group));
  }
  for (const rows of results) printTable(rows);
  console.log('CPU from /proc/<pid>/stat (10 ms ticks) over each server\'s own load slices; idle CPU: while the other server of its group had the load (holding the sockets: heartbeats, timers). Memory: VmRSS each second over the whole phase. Latency measured in the generator (send → receive).');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}



function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${seen.slice(-500)}`)), timeoutMs);
    const onData = (d: Buffer): void => {
      seen += d.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        // BENCH_SERVER_LOG=<file> keeps what the server prints (e.g. with --trace-gc in BENCH_HUB_NODE_FLAGS).
        if (env.BENCH_SERVER_LOG) child.stdout?.pipe(createWriteStream(env.BENCH_SERVER_LOG, { flags: 'a' }));
        else child.stdout?.resume();
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${seen.slice(-500)}`)));
  });
}

async function waitForPort(port: number, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`nothing listens on ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Prepared {
  child: ChildProcess;
  base: string;
  tokensFile?: string;
  pairTokens: string[];
  pairSessions: string[];
  setupTokens: string[];
  setupSessions: Array<{ org: string; session: string }>;
  dir: string;
}

async function startServer(kind: Kind): Promise<Prepared> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), `bench-hub-${kind}-`));
  const prepared: Omit<Prepared, 'child' | 'base'> = { pairTokens: [], pairSessions: [], setupTokens: [], setupSessions: [], dir };
  let child: ChildProcess;
  let base: string;
  if (kind === 'relais') {
    // Accounts are written straight into the hub's database before it starts: booths by token, agents by session.
    const store = createHubStore(openHubDb(path.join(dir, 'hub.sqlite')));
    store.seedOrganisations(WEEKDAY_HOURS);
    for (const o of store.organisations()) store.setOpeningHours(o.code, ALWAYS_OPEN);
    const now = Date.now();
    const tokens: string[] = [];
    store.db.transaction(() => {
      for (let i = 0; i < SOCKETS; i++) tokens.push(store.addBooth(`Idle ${i}`, now).token);
      for (let i = 0; i < PAIRS; i++) {
        prepared.pairTokens.push(store.addBooth(`Pair ${i}`, now).token);
        const id = store.addAgent({ organisation: 'CAF', login: `pair-${i}`, displayName: `Pair ${i}`, passwordHash: 'unused' }, now);
        prepared.pairSessions.push(store.newSession(id, now, 3_600_000));
      }
      for (const org of ORGANISATION_CODES) {
        for (let j = 0; j < SETUP_AGENTS_PER_ORG; j++) {
          prepared.setupTokens.push(store.addBooth(`Setup ${org} ${j}`, now).token);
          const id = store.addAgent({ organisation: org, login: `setup-${org}-${j}`, displayName: 'Setup', passwordHash: 'unused' }, now);
          prepared.setupSessions.push({ org, session: store.newSession(id, now, 3_600_000) });
        }
      }
    })();
    store.db.close();
    const tokensFile = path.join(dir, 'tokens.txt');
    writeFileSync(tokensFile, tokens.join('\n'));
    prepared.tokensFile = tokensFile;
    child = spawn(
      'taskset',
      ['-c', '1', process.execPath, ...HUB_NODE_FLAGS, HUB_BUNDLE, '--port', String(port), '--data-dir', dir, ...HUB_ARGS],
      { cwd: ROOT, env: { ...env, RELAIS_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await waitForOutput(child, /Hub prêt/);
    base = `ws://127.0.0.1:${port}/hub`;
  } else if (kind === 'peerjs') {
    child = spawn(
      'taskset',
      ['-c', '1', process.execPath, 'node_modules/peer/dist/bin/peerjs.js', '--port', String(port), '--host', '127.0.0.1', '--path', '/x', '--concurrent_limit', '20000'],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    await waitForPort(port);
    base = `ws://127.0.0.1:${port}/x/peerjs`;
  } else {
    const bareFlags = (env.BENCH_BARE_NODE_FLAGS ?? '').split(' ').filter(Boolean);
    child = spawn('taskset', ['-c', '1', process.execPath, ...bareFlags, BARE_BUNDLE, String(port)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await waitForOutput(child, /listening/);
    base = `ws://127.0.0.1:${port}/`;
  }
  return { ...prepared, child, base };
}

/** A socket of the load generator, speaking each server's dialect. */
class GenSocket {
  ws!: WebSocket;
  peer = '';
  callId = '';
  onFrame: (f: { type?: string; [k: string]: unknown }) => void = () => undefined;
  onLatency: (ms: number) => void = () => undefined;
  constructor(
    readonly kind: Kind,
    readonly id: string,
  ) {}

  /** `credential`: ours signs in with the handshake, as shared/hubClient.ts does (then `auth.ok` is awaited). */
  open(base: string, credential: { booth: string } | { session: string } | null = null): Promise<void> {
    const url = this.kind === 'relais' ? base : this.kind === 'peerjs' ? `${base}?key=peerjs&id=${this.id}&token=t` : `${base}?id=${this.id}`;
    this.ws = this.kind === 'relais' ? new WebSocket(url, handshakeProtocols(credential), { perMessageDeflate: false }) : new WebSocket(url, { perMessageDeflate: false });
    this.ws.on('message', (data) => {
      const f = JSON.parse(String(data)) as { type?: string; data?: { t?: number }; payload?: { t?: number } };
      const t = this.kind === 'relais' ? (f.type === 'signal' ? f.data?.t : undefined) : this.kind === 'peerjs' ? (f.type === 'CANDIDATE' ? f.payload?.t : undefined) : f.payload?.t;
      if (typeof t === 'number') this.onLatency(performance.now() - t);
      else this.onFrame(f);
    });
    this.ws.on('error', () => undefined);
    // PeerJS only relays to a peer once it has said OPEN to it.
    const ready = this.kind === 'peerjs' ? this.next('OPEN') : credential ? this.next('auth.ok') : Promise.resolve({});
    return new Promise<void>((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    }).then(async () => {
      await ready;
    });
  }

  next(type: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.id}: no ${type}`)), timeoutMs);
      const previous = this.onFrame;
      this.onFrame = (f) => {
        if (f.type === type) {
          clearTimeout(timer);
          this.onFrame = previous;
          resolve(f);
        } else previous(f);
      };
    });
  }

  send(obj: unknown): void {
    this.ws.send(JSON.stringify(obj));
  }

  sendLoad(seq: number): void {
    const payload = {
      candidate: 'candidate:842163049 1 udp 1677729535 127.0.0.1 54321 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag EsAw network-cost 999',
      sdpMid: '0',
      sdpMLineIndex: 0,
      seq,
      t: performance.now(),
    };
    if (this.kind === 'relais') this.ws.send(JSON.stringify({ type: 'signal', callId: this.callId, data: payload }));
    else if (this.kind === 'peerjs') this.ws.send(JSON.stringify({ type: 'CANDIDATE', dst: this.peer, payload }));
    else this.ws.send(JSON.stringify({ dst: this.peer, payload }));
  }
}

async function makePairs(kind: Kind, s: Prepared): Promise<GenSocket[]> {
  const sockets: GenSocket[] = [];
  for (let i = 0; i < PAIRS; i++) {
    const a = new GenSocket(kind, `gen-a-${i}`);
    const b = new GenSocket(kind, `gen-b-${i}`);
    await a.open(s.base, kind === 'relais' ? { session: s.pairSessions[i]! } : null);
    await b.open(s.base, kind === 'relais' ? { booth: s.pairTokens[i]! } : null);
    if (kind === 'relais') {
      a.send({ type: 'agent.status', status: 'available' });
      b.send({ type: 'call.request', organisation: 'CAF' });
      const ring = await a.next('call.ringing');
      a.send({ type: 'call.accept', callId: ring.callId });
      await b.next('call.accepted');
      a.callId = b.callId = String(ring.callId);
    }
    a.peer = b.id;
    b.peer = a.id;
    sockets.push(a, b);
  }
  return sockets;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function slopePerMinute(samples: Array<{ t: number; mb: number }>): number {
  const half = samples.slice(Math.floor(samples.length / 2));
  if (half.length < 2) return NaN;
  const mt = half.reduce((s, x) => s + x.t, 0) / half.length;
  const mm = half.reduce((s, x) => s + x.mb, 0) / half.length;
  const num = half.reduce((s, x) => s + (x.t - mt) * (x.mb - mm), 0);
  const den = half.reduce((s, x) => s + (x.t - mt) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 60_000;
}

/** A server under test, once its idle sockets are held and its pairs are in calls. */
interface Running {
  kind: Kind;
  s: Prepared;
  pid: number;
  holder: ChildProcess;
  held: number;
  connectMs: number;
  /** CPU over its sign-in batches (schedstat, ns). */
  cpuConnectNs: number;
  pairs: GenSocket[];
  latencies: Float64Array;
  count: number;
  received: number;
  sentMeasured: number;
  measuring: boolean;
  cpuTicks: number;
  measuredMs: number;
  /** CPU while another server of the group had the load: what holding the sockets costs (heartbeats, timers). */
  idleTicks: number;
  idleMs: number;
  /** Each measured slice's CPU (ns, schedstat) and messages, in order: for the per-round ratio. */
  slices: Array<{ cpuNs: number; messages: number }>;
  rss: Array<{ t: number; mb: number }>;
  heartbeat?: ReturnType<typeof setInterval>;
}

/** Starts a server and its idle-socket holder; the sockets are opened by `connectInterleaved`. */
async function bringUp(kind: Kind): Promise<Running> {
  const s = await startServer(kind);
  const pid = s.child.pid!;
  await new Promise((r) => setTimeout(r, 500));
  const holder = fork(path.join(ROOT, 'tests/bench/hub/holder.ts'), [kind, s.base, s.tokensFile ?? '', String(PEERJS_HEARTBEAT_MS)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    kind,
    s,
    pid,
    holder,
    held: 0,
    connectMs: 0,
    cpuConnectNs: 0,
    pairs: [],
    latencies: new Float64Array(Math.ceil(RATE * (SECONDS + 5) * 1.2)),
    count: 0,
    received: 0,
    sentMeasured: 0,
    measuring: false,
    cpuTicks: 0,
    measuredMs: 0,
    idleTicks: 0,
    idleMs: 0,
    slices: [],
    rss: [],
  };
}

/** Asks a holder to open `count` more sockets; resolves with what it holds once they are signed in (or failed). */
function holderOpen(r: Running, count: number): Promise<{ held: number; failed: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`holder exited ${code}`));
    r.holder.once('exit', onExit);
    r.holder.once('message', (m) => {
      r.holder.off('exit', onExit);
      resolve(m as { held: number; failed: number; ms: number });
    });
    r.holder.send({ cmd: 'open', count });
  });
}

/**
 * The sign-ins, interleaved as the load is: each server's holder opens a batch of CONNECT_BATCH sockets in turn, and
 * each server's CPU is counted over its own batches (and CONNECT_SETTLE_MS after each, for what the batch left to do:
 * collections). A slow spell of the VM then falls on every server alike.
 */
async function connectInterleaved(group: Running[]): Promise<void> {
  const rounds = Math.ceil(SOCKETS / CONNECT_BATCH);
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 === 0 ? group : [...group].reverse();
    for (const r of order) {
      const ns0 = cpuNs(r.pid);
      const batch = await holderOpen(r, Math.min(CONNECT_BATCH, SOCKETS - i * CONNECT_BATCH));
      await new Promise((resolve) => setTimeout(resolve, CONNECT_SETTLE_MS));
      r.cpuConnectNs += cpuNs(r.pid) - ns0;
      r.held = batch.held;
      r.connectMs += batch.ms;
    }
  }
  for (const r of group) {
    console.log(`  ${r.kind}: ${r.held} idle sockets held (${SOCKETS - r.held} failed) in ${(r.connectMs / 1000).toFixed(1)} s of sign-ins; server RSS ${rssMb(r.pid).toFixed(0)} MB`);
    r.holder.send({ cmd: 'idle' });
    const pairs = await makePairs(r.kind, r.s);
    r.pairs = pairs;
    // A PeerJS client says HEARTBEAT every 5 s (its default `pingInterval`); without it the server drops the socket
    // after its alive_timeout and the messages to it are lost. The pairs do what the client does, as the holder does.
    if (r.kind === 'peerjs') r.heartbeat = setInterval(() => pairs.forEach((p) => p.send({ type: 'HEARTBEAT' })), PEERJS_HEARTBEAT_MS);
    for (const p of pairs) {
      p.onLatency = (ms) => {
        if (!r.measuring) return;
        r.received++;
        if (r.count < r.latencies.length) r.latencies[r.count++] = ms;
      };
    }
  }
}

async function tearDown(r: Running): Promise<void> {
  if (r.heartbeat) clearInterval(r.heartbeat);
  for (const p of r.pairs) p.ws.close();
  r.holder.kill('SIGTERM');
  r.s.child.kill('SIGTERM');
  await new Promise((resolve) => {
    const t = setTimeout(() => {
      r.s.child.kill('SIGKILL');
      resolve(undefined);
    }, 5_000);
    r.s.child.once('exit', () => {
      clearTimeout(t);
      resolve(undefined);
    });
  });
  rmSync(r.s.dir, { recursive: true, force: true });
}

/** Sends RATE messages/s through one server's pairs for `ms`, in 5 ms ticks. */
async function drive(r: Running, ms: number, measure: boolean): Promise<void> {
  let sent = 0;
  let seq = 0;
  const start = performance.now();
  const cpu0 = cpuTicks(r.pid);
  const ns0 = cpuNs(r.pid);
  const received0 = r.received;
  r.measuring = measure;
  const tick = setInterval(() => {
    const due = Math.floor(((performance.now() - start) / 1000) * RATE) - sent;
    for (let i = 0; i < due; i++) {
      r.pairs[seq % r.pairs.length]!.sendLoad(seq);
      seq++;
      sent++;
    }
  }, 5);
  await new Promise((resolve) => setTimeout(resolve, ms));
  clearInterval(tick);
  const cpu1 = cpuTicks(r.pid);
  const ns1 = cpuNs(r.pid);
  const elapsed = performance.now() - start;
  // Let the last messages of the slice arrive before the next server's slice begins.
  await new Promise((resolve) => setTimeout(resolve, SLICE_GAP_MS));
  if (measure) {
    r.cpuTicks += cpu1 - cpu0;
    r.measuredMs += elapsed;
    r.sentMeasured += sent;
    r.slices.push({ cpuNs: ns1 - ns0, messages: r.received - received0 });
  }
  r.measuring = false;
}

/**
 * The load, interleaved: the servers of one group are all up and holding their sockets, and the generator gives each
 * in turn a slice of SLICE_SECONDS, until each has had SECONDS. A slow spell of this shared VM then falls on every
 * server alike, instead of on whichever ran at that time (measured: the bare relay alone varied from 26 to 74 µs per
 * message between sequential runs). Memory is sampled every second over the whole phase.
 */
async function interleavedLoad(group: Running[]): Promise<void> {
  for (const r of group) await drive(r, WARMUP_SECONDS * 1000, false);
  const t0 = performance.now();
  const sample = (): void => {
    for (const r of group) r.rss.push({ t: performance.now() - t0, mb: rssMb(r.pid) });
  };
  sample();
  const sampler = setInterval(sample, 1000);
  const slices = Math.max(1, Math.round(SECONDS / SLICE_SECONDS));
  for (let i = 0; i < slices; i++) {
    // Who goes first alternates, so no server always follows the same one.
    const order = i % 2 === 0 ? group : [...group].reverse();
    for (const r of order) {
      const others = group.filter((o) => o !== r).map((o) => ({ o, ticks: cpuTicks(o.pid) }));
      const started = performance.now();
      await drive(r, (SECONDS * 1000) / slices, true);
      for (const { o, ticks } of others) {
        o.idleTicks += cpuTicks(o.pid) - ticks;
        o.idleMs += performance.now() - started;
      }
    }
  }
  clearInterval(sampler);
  sample();
}

function figuresOf(r: Running, setupsPerMinute: number | null): Figures {
  const sorted = r.latencies.slice(0, r.count).sort();
  const mbs = r.rss.map((x) => x.mb);
  return {
    kind: r.kind,
    socketsHeld: r.held,
    connectMs: r.connectMs,
    cpuPerConnectionUs: r.cpuConnectNs / 1000 / Math.max(1, r.held),
    cpuPerMessageUs: ((r.cpuTicks / CLK_TCK) * 1e6) / Math.max(1, r.received),
    messages: r.received,
    lost: Math.max(0, r.sentMeasured - r.received),
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? NaN,
    rssStartMb: mbs[0]!,
    rssMaxMb: Math.max(...mbs),
    rssEndMb: mbs[mbs.length - 1]!,
    rssSlopeMbPerMin: slopePerMinute(r.rss),
    setupsPerMinute,
    idleCpuMsPerS: r.idleMs > 0 ? ((r.idleTicks / CLK_TCK) * 1000) / (r.idleMs / 1000) : null,
  };
}

/** Booths call, agents accept at once, booths hang up and call again: completed set-ups per minute. */
async function callSetups(s: Prepared): Promise<number> {
  let setups = 0;
  /** Frames the hub refused (its per-socket rate limit): each stops one booth's loop, so the figure is a floor. */
  let refused = 0;
  const agents: GenSocket[] = [];
  for (const [i, { session }] of s.setupSessions.entries()) {
    const a = new GenSocket('relais', `setup-agent-${i}`);
    await a.open(s.base, { session });
    a.onFrame = (f) => {
      if (f.type === 'call.ringing') a.send({ type: 'call.accept', callId: f.callId });
      else if (f.type === 'error' && f.code === 'RATE_LIMITED') refused++;
    };
    a.send({ type: 'agent.status', status: 'available' });
    agents.push(a);
  }
  let running = true;
  const booths: GenSocket[] = [];
  for (const [i, token] of s.setupTokens.entries()) {
    const b = new GenSocket('relais', `setup-booth-${i}`);
    await b.open(s.base, { booth: token });
    booths.push(b);
  }
  await new Promise((r) => setTimeout(r, 300));
  const started = performance.now();
  booths.forEach((b, i) => {
    const org = s.setupSessions[i]!.org;
    b.onFrame = (f) => {
      if (!running) return;
      if (f.type === 'call.accepted') {
        setups++;
        b.send({ type: 'call.hangup', callId: f.callId });
      } else if (f.type === 'call.ended' || f.type === 'call.unavailable') b.send({ type: 'call.request', organisation: org });
      else if (f.type === 'error' && f.code === 'RATE_LIMITED') refused++;
    };
    b.send({ type: 'call.request', organisation: org });
  });
  await new Promise((r) => setTimeout(r, SETUP_SECONDS * 1000));
  running = false;
  const minutes = (performance.now() - started) / 60_000;
  for (const x of [...agents, ...booths]) x.ws.close();
  if (refused > 0) console.log(`  call set-ups: ${refused} frames refused by the hub's rate limit (a floor, then)`);
  return setups / minutes;
}

/** Runs one group: brings its servers up, loads them interleaved, measures set-ups on the hub, and stops them. */
async function benchGroup(kinds: Kind[]): Promise<Figures[]> {
  const group: Running[] = [];
  try {
    for (const kind of kinds) group.push(await bringUp(kind));
    await connectInterleaved(group);
    await interleavedLoad(group);
    printRoundRatios(group);
    const out: Figures[] = [];
    for (const r of group) {
      console.log(`  ${r.kind}: ${r.received} messages relayed in ${(r.measuredMs / 1000).toFixed(0)} s of load; CPU ${((r.cpuTicks / CLK_TCK) * 1e6 / Math.max(1, r.received)).toFixed(1)} µs/message`);
      let setups: number | null = null;
      if (r.kind === 'relais') {
        for (const p of r.pairs) p.ws.close();
        r.pairs = [];
        setups = await callSetups(r.s);
        console.log(`  call set-ups: ${setups.toFixed(0)} per minute (${r.s.setupTokens.length} booths, ${r.s.setupSessions.length} agents, while ${r.held} sockets are held)`);
      }
      out.push(figuresOf(r, setups));
    }
    return out;
  } finally {
    for (const r of group) await tearDown(r);
  }
}

/**
 * The CPU per message of our hub over each other server's, round by round (one slice each, back to back): the median
 * and quartiles say how much of the overall ratio is the VM's noise (a slow spell, a kernel thread on the servers' core).
 */
function printRoundRatios(group: Running[]): void {
  const relais = group.find((r) => r.kind === 'relais');
  const perMessage = (x: { cpuNs: number; messages: number }): number => x.cpuNs / Math.max(1, x.messages);
  for (const other of group) {
    if (!relais || other === relais) continue;
    const ratios = relais.slices.map((x, i) => perMessage(x) / perMessage(other.slices[i]!)).sort((a, b) => a - b);
    if (ratios.length === 0) continue;
    const at = (p: number): number => ratios[Math.min(ratios.length - 1, Math.floor(p * ratios.length))]!;
    console.log(
      `  CPU per message, relais ÷ ${other.kind}, round by round (${ratios.length} rounds of one ${SLICE_SECONDS} s slice each): median ${at(0.5).toFixed(2)}×, quartiles ${at(0.25).toFixed(2)}–${at(0.75).toFixed(2)}×, range ${ratios[0]!.toFixed(2)}–${ratios[ratios.length - 1]!.toFixed(2)}×`,
    );
  }
}

/** One group's figures, and ours over each other server's, measured under the same conditions. */
function printTable(rows: Figures[]): void {
  const bare = rows.find((r) => r.kind === 'bare');
  console.log(`\n${rows.map((r) => r.kind).join(' and ')}:`);
  console.log('server  | sockets | CPU/conn µs | CPU/msg µs (× bare) | p50 ms | p99 ms | max ms | msgs relayed | lost | RSS start→end (max) MB | RSS slope MB/min | set-ups/min | idle CPU ms/s');
  for (const r of rows) {
    const ratio = bare && r.kind !== 'bare' ? ` (${(r.cpuPerMessageUs / bare.cpuPerMessageUs).toFixed(2)}×)` : '';
    console.log(
      [
        r.kind.padEnd(7),
        String(r.socketsHeld).padStart(7),
        r.cpuPerConnectionUs.toFixed(0).padStart(11),
        `${r.cpuPerMessageUs.toFixed(1)}${ratio}`.padStart(19),
        r.p50.toFixed(2).padStart(6),
        r.p99.toFixed(2).padStart(6),
        r.max.toFixed(1).padStart(6),
        String(r.messages).padStart(12),
        String(r.lost).padStart(4),
        `${r.rssStartMb.toFixed(0)}→${r.rssEndMb.toFixed(0)} (${r.rssMaxMb.toFixed(0)})`.padStart(22),
        r.rssSlopeMbPerMin.toFixed(2).padStart(16),
        (r.setupsPerMinute === null ? 'n/a' : r.setupsPerMinute.toFixed(0)).padStart(11),
        (r.idleCpuMsPerS === null ? 'n/a' : r.idleCpuMsPerS.toFixed(1)).padStart(12),
      ].join(' | '),
    );
  }
  const ours = rows.find((r) => r.kind === 'relais');
  for (const other of rows) {
    if (!ours || other === ours) continue;
    const x = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
    console.log(
      `  relais ÷ ${other.kind}: CPU/conn ${x(ours.cpuPerConnectionUs, other.cpuPerConnectionUs)}, CPU/msg ${x(ours.cpuPerMessageUs, other.cpuPerMessageUs)}, p99 ${x(ours.p99, other.p99)}, max RSS ${x(ours.rssMaxMb, other.rssMaxMb)}, lost ${ours.lost} vs ${other.lost}`,
    );
  }
}

// `-- --nodes N`: the hub on one node and on N nodes over Redis and PostgreSQL (hubNodes.bench.ts).
const nodesAt = process.argv.indexOf('--nodes');
if (nodesAt >= 0) {
  const { runNodesBench } = await import('./hubNodes.bench.js');
  await runNodesBench(Number(process.argv[nodesAt + 1]));
  process.exit(0);
} else if (!env.BENCH_PINNED) {
  // Re-run this file pinned to core 0 (with every thread it will create).
  const child = spawn('taskset', ['-c', '0', process.execPath, ...process.execArgv, fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: { ...env, BENCH_PINNED: '1' },
  });
  child.on('exit', (code) => process.exit(code ?? 1));
} else {
  await main();
}
