// The bus of each node for a cluster test file run on both buses: the in-process one (a fresh world per cluster) and a
// real Redis (started once for the file, a fresh key prefix per cluster), so that the clusters of a file never meet.
import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';
import type { ClusterBus } from '../../../../server/cluster/bus.js';
import { createMemoryWorld, memoryBus, type MemoryWorld } from '../../../../server/cluster/memoryBus.js';
import { nodeIdFor } from '../../../../server/cluster/node.js';
import { openRedisBus } from '../../../../server/cluster/redisBus.js';
import { startRedis, type RunningRedis } from '../../../support/redis.js';

export type BusKind = 'memory' | 'redis';

export interface ClusterBuses {
  /** A new cluster: a new in-process world, a new Redis key prefix. */
  fresh(): void;
  /** The bus of a node named `name` (a suffix drawn, as each start of a node draws one) in the current cluster. */
  busFor(name: string): Promise<ClusterBus>;
  /** The file's Redis (kind 'redis' only), and the current cluster's key prefix in it. */
  redis(): RunningRedis;
  prefix(): string;
  /** The current cluster's in-process world (kind 'memory' only). */
  world(): MemoryWorld;
}

export function clusterBuses(kind: BusKind): ClusterBuses {
  let redis: RunningRedis | null = null;
  let world: MemoryWorld = createMemoryWorld();
  let prefix = '';
  let run = 0;
  beforeAll(async () => {
    if (kind === 'redis') redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  const running = (): RunningRedis => {
    if (!redis) throw new Error('Redis is not started (kind memory, or outside a test)');
    return redis;
  };
  return {
    fresh() {
      world = createMemoryWorld();
      prefix = `t${++run}-${Date.now()}:`;
    },
    async busFor(name) {
      const nodeId = nodeIdFor(name);
      if (kind === 'memory') return memoryBus(world, nodeId);
      return openRedisBus({ url: running().url, nodeId, prefix, log: pino({ level: 'silent' }) });
    },
    redis: running,
    prefix: () => prefix,
    world: () => {
      if (kind !== 'memory') throw new Error('no in-process world on Redis');
      return world;
    },
  };
}
