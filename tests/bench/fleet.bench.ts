// `npm run bench:fleet`: 1,000 booths over real sockets to a real hub on loopback (the bundle `npm run hub` runs, its
// database in a file), each reporting its health at the kiosk's rate (one report a minute each: ~17 reports/s in all),
// then the hub restarted and all 1,000 reconnecting and reporting at once. Prints the hub's CPU per report, the % of one
// core it takes at steady state (target ≤ 1 %), and the burst's duration.
// CPU from /proc/<pid>/task/*/schedstat (ns). Hub pinned to core 1 and this generator to core 0 when `taskset` exists.
// Each booth beats as the kiosk does (shared/protocol.ts `beatEveryMs`): the baseline, measured with no report, is the
// cost of holding 1,000 live sockets; a report's cost is what the steady phase costs above it.
// Knobs: BENCH_BOOTHS (1000), BENCH_SECONDS (steady phase, 60), BENCH_IDLE_SECONDS (baseline, 30).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { HUB_BUNDLE, HUB_NODE_FLAGS, buildHub } from '../../build/scripts/build-hub.mjs';
import { createHubStore, openHubDb, WEEKDAY_HOURS } from '../../server/store.js';
import { HEALTH_EVERY_MS, type BoothHealth } from '../../shared/fleet.js';
import { BEAT_TEXT, beatEveryMs, handshakeProtocols } from '../../shared/protocol.js';
import { cpuNs } from './support/procCpu.js';

const env = process.env;
const BOOTHS = Number(env.BENCH_BOOTHS ?? 1_000);
const STEADY_SECONDS = Number(env.BENCH_SECONDS ?? 60);
/** At least one beat period (27 s), so the baseline holds the sockets' liveness as the steady phase does. */
const IDLE_SECONDS = Number(env.BENCH_IDLE_SECONDS ?? 30);
const HEARTBEAT_MS = 30_000;
/** Every booth reports once per HEALTH_EVERY_MS: the fleet's rate, whatever the phase's length. */
const REPORTS_PER_S = (BOOTHS * 1000) / HEALTH_EVERY_MS;
const TASKSET = existsSync('/usr/bin/taskset');

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));


async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as { port: number };
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

function report(i: number, seq: number): BoothHealth {
  // One report in fifty changes the printer's state: the writes-on-change path is exercised, not only the minute's.
  const down = (seq + i) % 50 === 0;
  return {
    version: i % 10 === 0 ? '1.3.0' : '1.4.0',
    shell: 'electron',
    printer: down ? { state: 'stopped', reasons: ['paused'] } : { state: 'idle', reasons: [] },
    cameras: 1,
    microphones: 1,
    freeDiskBytes: 20_000_000_000 - seq,
    lastCountSyncAt: null,
    openIncidents: 0,
    uptimeS: seq * 60,
    clockOffsetMs: (i % 7) * 10,
  };
}

interface Hub {
  child: ChildProcess;
  pid: number;
  exited: Promise<void>;
}

async function startHub(port: number, dir: string): Promise<Hub> {
  const args = [...HUB_NODE_FLAGS, HUB_BUNDLE, '--port', String(port), '--data-dir', dir];
  const child = TASKSET ? spawn('taskset', ['-c', '1', process.execPath, ...args]) : spawn(process.execPath, args);
  child.stderr?.resume();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Hub prêt')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`hub exited (${code})`)));
  });
  if (child.pid === undefined) throw new Error('hub without pid');
  return { child, pid: child.pid, exited };
}

/** A booth's socket, signed in with the handshake. */
async function openBooth(url: string, token: string): Promise<WebSocket> {
  const ws = new WebSocket(url, handshakeProtocols({ booth: token }));
  await new Promise<void>((resolve, reject) => {
    ws.on('message', function first(data) {
      if (String(data).includes('"auth.ok"')) {
        ws.off('message', first);
        resolve();
      }
    });
    ws.once('error', reject);
    ws.once('close', () => reject(new Error('closed before auth.ok')));
  });
  ws.on('error', () => undefined);
  // Beats staggered over the period, as booths started at different times do.
  const start = setTimeout(() => {
    const beat = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send(BEAT_TEXT), beatEveryMs(HEARTBEAT_MS));
    ws.once('close', () => clearInterval(beat));
    ws.send(BEAT_TEXT);
  }, Math.random() * beatEveryMs(HEARTBEAT_MS));
  ws.once('close', () => clearTimeout(start));
  return ws;
}

/** Resolves at the hub's pong: frames are handled in order, so whatever was sent before it was processed. */
function ping(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      if (String(data).includes('"pong"')) {
        ws.off('message', onMessage);
        resolve();
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ type: 'ping', t: 1 }));
  });
}

function reportAndPing(ws: WebSocket, health: BoothHealth): Promise<void> {
  ws.send(JSON.stringify({ type: 'booth.health', health }));
  return ping(ws);
}

async function main(): Promise<void> {
  await buildHub();
  const dir = mkdtempSync(path.join(tmpdir(), 'relais-bench-fleet-'));
  const store = createHubStore(openHubDb(path.join(dir, 'hub.sqlite')));
  store.seedOrganisations(WEEKDAY_HOURS);
  const tokens = store.db.transaction(() => Array.from({ length: BOOTHS }, (_, i) => store.addBooth(`Borne ${i + 1}`, Date.now()).token))();
  store.db.close();
  const port = await freePort();
  const url = `ws://127.0.0.1:${port}/hub`;
  console.log(`bench:fleet — ${BOOTHS} booths, ${REPORTS_PER_S.toFixed(1)} reports/s, ${STEADY_SECONDS} s steady; Node ${process.version}, ${execFileSync('nproc').toString().trim()} cores, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);

  let hub = await startHub(port, dir);
  const sockets: WebSocket[] = [];
  for (let i = 0; i < BOOTHS; i += 100) sockets.push(...(await Promise.all(tokens.slice(i, i + 100).map((t) => openBooth(url, t)))));
  // First reports, so that the steady phase measures the fleet as it runs, not each booth's first write.
  await Promise.all(sockets.map((ws, i) => reportAndPing(ws, report(i, 0))));
  await sleep(2_000);

  const idle0 = cpuNs(hub.pid);
  await sleep(IDLE_SECONDS * 1000);
  const idleNsPerS = (cpuNs(hub.pid) - idle0) / IDLE_SECONDS;

  const gapMs = 1000 / REPORTS_PER_S;
  let sent = 0;
  const cpu0 = cpuNs(hub.pid);
  const t0 = performance.now();
  while (performance.now() - t0 < STEADY_SECONDS * 1000) {
    const i = sent % BOOTHS;
    sockets[i]?.send(JSON.stringify({ type: 'booth.health', health: report(i, 1 + Math.floor(sent / BOOTHS)) }));
    sent++;
    const next = t0 + sent * gapMs;
    await sleep(Math.max(0, next - performance.now()));
  }
  // The last reporters' pings answered: the reports sent are processed before the CPU is read (pinging all 1,000
  // sockets would cost the hub more than the phase's reports and be counted with them).
  await Promise.all(Array.from({ length: Math.min(20, sent) }, (_, k) => sockets[(sent - 1 - k) % BOOTHS]).map((ws) => (ws ? ping(ws) : undefined)));
  const wallS = (performance.now() - t0) / 1000;
  const steadyNs = cpuNs(hub.pid) - cpu0;
  const fleetNs = Math.max(0, steadyNs - idleNsPerS * wallS);

  // The burst: the hub restarts, every booth reconnects at once and reports.
  const closed = sockets.map((ws) => new Promise<void>((resolve) => ws.once('close', () => resolve())));
  hub.child.kill('SIGTERM');
  await hub.exited;
  await Promise.all(closed);
  hub = await startHub(port, dir);
  const burstCpu0 = cpuNs(hub.pid);
  const b0 = performance.now();
  await Promise.all(tokens.map(async (t, i) => reportAndPing(await openBooth(url, t), report(i, 999)).then(() => undefined)));
  const burstMs = performance.now() - b0;
  const burstCpuMs = (cpuNs(hub.pid) - burstCpu0) / 1e6;

  console.log(`steady: ${sent} reports in ${wallS.toFixed(1)} s (${(sent / wallS).toFixed(1)}/s)`);
  const fleetPct = (fleetNs / 1e9 / wallS) * 100;
  console.log(`  hub CPU per report: ${(fleetNs / sent / 1e3).toFixed(0)} µs (above the baseline)`);
  console.log(`  the reports' share at steady state: ${fleetPct.toFixed(2)} % of one core — target ≤ 1 %: ${fleetPct <= 1 ? 'met' : 'NOT met'}`);
  // The floor of any frame on this machine: a beat is compared byte for byte and dropped, nothing else.
  console.log(`  for scale, the baseline per beat received: ${(idleNsPerS / (BOOTHS / (beatEveryMs(HEARTBEAT_MS) / 1000)) / 1e3).toFixed(0)} µs`);
  console.log(`  whole hub at steady state: ${((steadyNs / 1e9 / wallS) * 100).toFixed(2)} % of one core (baseline, ${BOOTHS} beating sockets and no report: ${(idleNsPerS / 1e7).toFixed(2)} %)`);
  console.log(`burst after a hub restart: ${BOOTHS} booths reconnected and reported in ${burstMs.toFixed(0)} ms (hub CPU ${burstCpuMs.toFixed(0)} ms)`);

  hub.child.kill('SIGTERM');
  await hub.exited;
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

await main();
