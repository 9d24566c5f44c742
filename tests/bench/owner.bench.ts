// Benchmark: what an organisation's owner (server/cluster/owner.ts) costs at each commit on a real Redis (started and
// stopped here), for an organisation of 2,000 agents (CAF nationally) whose agents change status one at a time: the
// state committed field by field, only what changed (orgState.ts, through the bus's commit script), against the same
// state written whole as one JSON text (what owners did before). Rounds of each alternate; prints, per commit, the
// owner's CPU (snapshot, delta or JSON, the command), Redis's CPU and the bytes Redis received.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { createCallEngine, realScheduler, type OrganisationInfo } from '../../server/calls.js';
import { committedState } from '../../server/cluster/orgState.js';
import { openRedisBus } from '../../server/cluster/redisBus.js';
import { startRedis } from '../support/redis.js';
import { cpuNs } from './support/procCpu.js';

const AGENTS = 2_000;
const ROUNDS = 10;
const COMMITS_PER_ROUND = 200;
const CAF: OrganisationInfo = { code: 'CAF', name: 'CAF', openNow: true, nextOpening: null, closesAt: null };

const redis = await startRedis();
const raw = new Redis(redis.url);
const bus = await openRedisBus({ url: redis.url, nodeId: 'bench-owner', log: pino({ level: 'silent' }) });
try {
  const engine = createCallEngine({
    clock: Date.now,
    scheduler: realScheduler,
    send: () => undefined,
    record: () => undefined,
    organisation: () => CAF,
    organisations: () => [CAF],
    ringTimeoutMs: 60_000,
    iceServers: () => [],
    newCallId: () => randomUUID(),
  });
  for (let i = 0; i < AGENTS; i++) engine.joinAgent(`node-${i % 3}.bench~c${i}`, { agentId: 10_000 + i, organisation: 'CAF', displayName: `Conseillère CAF ${i}` });
  if ((await bus.lease('CAF', 60_000)) === null) throw new Error('lease not taken');
  const state = committedState();
  let rev = 0;
  const bytesIn = async (): Promise<number> => Number(/total_net_input_bytes:(\d+)/.exec(await raw.info('stats'))![1]);
  let agent = 0;
  /** Each status change, then its commit: by fields (only what changed) or whole (one JSON text). */
  const commitOnce = async (byFields: boolean): Promise<void> => {
    const party = `node-${agent % 3}.bench~c${agent % AGENTS}`;
    engine.setAgentStatus(party, agent % 2 === 0 ? 'available' : 'away');
    agent++;
    const snap = engine.snapshot();
    if (byFields) {
      const result = await bus.commit('CAF', { delta: state.delta(snap, rev === 0), whole: rev === 0, base: rev, rev: rev + 1, lastOpId: '0' }, [], 60_000);
      if (result !== 'committed') throw new Error(`commit ${result}`);
      rev++;
    } else await raw.hset('bench:whole:CAF', 'state', JSON.stringify(snap), 'lastOpId', '0');
  };
  const totals = { fields: { cpu: 0, redis: 0, bytes: 0, n: 0 }, whole: { cpu: 0, redis: 0, bytes: 0, n: 0 } };
  for (let i = 0; i < 50; i++) {
    await commitOnce(true);
    await commitOnce(false);
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of round % 2 === 0 ? (['fields', 'whole'] as const) : (['whole', 'fields'] as const)) {
      const b0 = await bytesIn();
      const r0 = cpuNs(redis.pid);
      const c0 = process.cpuUsage();
      for (let i = 0; i < COMMITS_PER_ROUND; i++) await commitOnce(mode === 'fields');
      const c = process.cpuUsage(c0);
      const t = totals[mode];
      t.cpu += c.user + c.system;
      t.redis += (cpuNs(redis.pid) - r0) / 1e3;
      t.bytes += (await bytesIn()) - b0;
      t.n += COMMITS_PER_ROUND;
    }
  }
  const line = (label: string, t: (typeof totals)['fields']): string =>
    `| ${label} | ${(t.cpu / t.n).toFixed(0)} | ${(t.redis / t.n).toFixed(0)} | ${(t.bytes / t.n).toFixed(0)} |`;
  console.log(`bench:owner — an organisation of ${AGENTS} agents on a real Redis, one status change per commit, ${ROUNDS} alternating rounds of ${COMMITS_PER_ROUND} commits each way`);
  console.log("\n| commit | owner's CPU µs (snapshot, state, command) | Redis CPU µs | bytes into Redis |");
  console.log('|---|---|---|---|');
  console.log(line('by fields, only what changed (orgState.ts)', totals.fields));
  console.log(line('whole, one JSON text (before)', totals.whole));
} finally {
  await bus.close();
  raw.disconnect();
  await redis.stop();
}
