// What an idle node costs Redis, and the reads of Redis streams that wait long: on a real Redis (Debian's, `hz 1` as
// deployed). A node checks once a second in one round trip (beat, leases, live nodes, holders, available agents), and
// its reads of its inbox and of the logs it owns wait 30 s for an entry instead of waking it every second.
import { spawn } from 'node:child_process';
import pino from 'pino';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLUSTER_TIMING, nodeIdFor, startHubNode, type RunningHubNode } from '../../../../server/cluster/node.js';
import { openRedisBus } from '../../../../server/cluster/redisBus.js';
import { sqliteSharedStore } from '../../../../server/sharedStore/sqlite.js';
import { sqliteEvaluationStore } from '../../../../server/sharedStore/evaluation.js';
import { ALWAYS_OPEN, createHubStore, openHubDb } from '../../../../server/store.js';
import { startRedis, type RunningRedis } from '../../../support/redis.js';
import { booth, waitFor } from '../hub/helpers.js';

const silent = pino({ level: 'silent' });
let redis: RunningRedis;
let raw: Redis;

beforeAll(async () => {
  redis = await startRedis();
  raw = new Redis(redis.url);
});
afterAll(async () => {
  raw.disconnect();
  await redis.stop();
});

/**
 * Counts the commands clients send Redis from now on: Debian's `redis-cli MONITOR`, one line a command, those a script
 * runs marked `[0 lua]` and not counted.
 */
async function countCommands(): Promise<{ count: () => number; stop: () => Promise<void> }> {
  const monitor = spawn('redis-cli', ['-p', String(redis.port), 'MONITOR'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let count = 0;
  let started = false;
  let rest = '';
  const ready = new Promise<void>((resolve) => {
    monitor.stdout.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (!started) {
          started = line.trim() === 'OK';
          if (started) resolve();
        } else if (/^[0-9.]+ \[\d+ (?!lua\])/.test(line)) count++;
      }
    });
  });
  await ready;
  return {
    count: () => count,
    stop: async () => {
      const exited = new Promise((r) => monitor.once('exit', r));
      monitor.kill('SIGTERM');
      await exited;
    },
  };
}

describe('an idle node on Redis', () => {
  it('sends Redis one command a second with the default timing, and keeps its organisations', async () => {
    const hub = createHubStore(openHubDb(':memory:'));
    const store = sqliteSharedStore(hub);
    await store.seedOrganisations(ALWAYS_OPEN);
    const bus = await openRedisBus({ url: redis.url, nodeId: nodeIdFor('calme'), prefix: 'idle:', log: silent });
    let node: RunningHubNode | null = null;
    try {
      node = await startHubNode({ bus, store, evaluation: sqliteEvaluationStore(hub.db) });
      await waitFor(() => node!.owned().length === 6, 10_000, 'the six organisations owned');
      const commands = await countCommands();
      let sent: number;
      const seconds = 4;
      try {
        // Taking the leases is busy for a few checks (commits, the nodes asked three times to tell their agents again);
        // then it is idle: measured from the first second with at most two commands.
        const settleEnd = Date.now() + 15_000;
        for (let last = commands.count(); ; ) {
          await new Promise((r) => setTimeout(r, 1_000));
          const now = commands.count();
          if (now - last <= 2) break;
          if (Date.now() > settleEnd) throw new Error(`the node never went quiet (${now - last} commands in its last second)`);
          last = now;
        }
        const before = commands.count();
        await new Promise((r) => setTimeout(r, seconds * 1_000));
        sent = commands.count() - before;
      } finally {
        await commands.stop();
      }
      // One check a second (EVALSHA), nothing else: no beat in several commands, no lease renewed one by one, no read
      // of a stream ended by its timeout, no availability published again when it did not change.
      expect(DEFAULT_CLUSTER_TIMING.checkMs).toBe(1_000);
      expect(sent).toBeGreaterThanOrEqual(seconds - 1);
      expect(sent).toBeLessThanOrEqual(seconds + 1);
      expect(node.owned()).toHaveLength(6);
    } finally {
      await node?.close();
      await store.close();
    }
  });
});

describe('a read of an organisation\'s log', () => {
  it('started again while the last one still waits, gets what the log holds at once: the reading given up waits on nothing', async () => {
    const bus = await openRedisBus({ url: redis.url, nodeId: nodeIdFor('lecteur'), prefix: 'reads:', log: silent });
    try {
      await bus.submit('CAF', { t: 'cancel', party: 'n~c1' });
      const [first] = await bus.readOps('CAF', '0', 1);
      // A reading given up (its lease lost) still waits on Redis for what comes after the first operation...
      const abandoned = bus.readOps('CAF', first!.id, 30_000).then(
        () => 'resolved',
        () => 'rejected',
      );
      await new Promise((r) => setTimeout(r, 100));
      // ... when the lease is taken again and a new reading starts from the last commit, before that operation: it
      // gets it at once, not once the first reading's wait is over (nothing more is submitted).
      const started = performance.now();
      const next = bus.readOps('CAF', '0', 30_000);
      const late = new Promise<'late'>((r) => setTimeout(() => r('late'), 5_000).unref());
      const entries = await Promise.race([next, late]);
      expect(entries).not.toBe('late');
      expect((entries as Awaited<typeof next>).map((e) => e.op)).toEqual([{ t: 'cancel', party: 'n~c1' }]);
      expect(performance.now() - started).toBeLessThan(5_000);
      // The first reading's connection was dropped with it: it ends, with nothing.
      expect(await abandoned).toBe('rejected');
    } finally {
      await bus.close();
    }
  });

  it('waits for an entry as long as asked, and one that comes meanwhile is read at once', async () => {
    const bus = await openRedisBus({ url: redis.url, nodeId: nodeIdFor('attente'), prefix: 'wait:', log: silent });
    try {
      let done = false;
      const read = bus.readOps('CPAM', '0', 30_000).then((entries) => {
        done = true;
        return entries;
      });
      // Redis with `hz 1` ends a blocked read on time only to the second: a wait of 30 s is not over after 2.
      await new Promise((r) => setTimeout(r, 2_000));
      expect(done).toBe(false);
      await bus.submit('CPAM', { t: 'leave', party: 'n~c2' });
      expect((await read).map((e) => e.op.t)).toEqual(['leave']);
    } finally {
      await bus.close();
    }
  });
});

describe('the available agents', () => {
  it('published while a node did not hear it are read at its next check; unreadable values in Redis are ignored', async () => {
    const hub = createHubStore(openHubDb(':memory:'));
    const store = sqliteSharedStore(hub);
    await store.seedOrganisations(ALWAYS_OPEN);
    const bus = await openRedisBus({ url: redis.url, nodeId: nodeIdFor('rattrape'), prefix: 'avail:', log: silent });
    let node: RunningHubNode | null = null;
    try {
      node = await startHubNode({ bus, store, evaluation: sqliteEvaluationStore(hub.db), timing: { checkMs: 100, leaseMs: 700, deadAfterMs: 700, graceMs: 400, blockMs: 200, resumeGraceMs: 1_500 } });
      const kiosk = await booth(node.url, (await store.addBooth('Mairie', Date.now())).token);
      const shown = async (): Promise<Map<string, number>> => {
        kiosk.send({ type: 'presence.get' });
        const p = await kiosk.next('presence');
        return new Map(p.organisations.map((o) => [o.code, o.agentsAvailable]));
      };
      try {
        // Written as an owner elsewhere would, without the publication (lost: this node's subscription was reconnecting).
        await raw.hset('avail:available', 'UDAF', '4', 'CAF', 'beaucoup', 'CPAM', '-2', 'MSA', '1e400', '__proto__', '3');
        const end = Date.now() + 5_000;
        let seen = await shown();
        while (seen.get('UDAF') !== 4 && Date.now() < end) {
          await new Promise((r) => setTimeout(r, 50));
          seen = await shown();
        }
        expect(seen.get('UDAF')).toBe(4);
        expect(seen.get('CAF')).toBe(0);
        expect(seen.get('CPAM')).toBe(0);
      } finally {
        kiosk.close();
      }
    } finally {
      await node?.close();
      await store.close();
    }
  });
});
