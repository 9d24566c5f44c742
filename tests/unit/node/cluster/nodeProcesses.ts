// A small cluster for the tests that stop or freeze what runs under the nodes: a real PostgreSQL and Redis, the
// organisations, CAF agents and booths in the store, and node processes (the real `npm run hub` bundle), each on a free
// loopback port; raw sockets signed in to them; and `stop()`, which ends all of it by PID.
import path from 'node:path';
import { HUB_CLUSTER_NODE_FLAGS, buildHub } from '../../../../build/scripts/build-hub.mjs';
import { hashPassword } from '../../../../server/auth.js';
import { openPostgresStores, type PostgresStores } from '../../../../server/sharedStore/postgres.js';
import { ALWAYS_OPEN } from '../../../../server/store.js';
import { freeLoopbackPort, startChild, stopChild, type StartedChild } from '../../../support/childServer.js';
import { startPostgres, type RunningPostgres } from '../../../support/postgres.js';
import { startRedis, type RunningRedis } from '../../../support/redis.js';
import { connect, waitFor, type RawClient } from '../hub/helpers.js';

export const PASSWORD = 'mot-de-passe-de-test';

/** Asks a booth's node for the presence until it shows this many CAF agents available (published by CAF's owner). */
export async function untilCafAvailable(booth: RawClient, agents: number, what: string): Promise<void> {
  await waitFor(async () => {
    booth.send({ type: 'presence.get' });
    return (await booth.next('presence')).organisations.some((o) => o.code === 'CAF' && o.agentsAvailable === agents);
  }, 15_000, what);
}

export interface NodeProcess {
  url: string;
  httpUrl: string;
  proc: StartedChild;
}

export interface NodeCluster {
  pg: RunningPostgres;
  redis: RunningRedis;
  stores: PostgresStores;
  nodes: NodeProcess[];
  /** Booth tokens of `Site 0`, `Site 1`, …; the agents are `caf0`, `caf1`, … with PASSWORD. */
  tokens: string[];
  /** A raw socket signed in to `url` with this auth frame, terminated by `stop()`. */
  signedIn(url: string, auth: Record<string, unknown>): Promise<RawClient>;
  /** The organisations a node owns now (its `/healthz`). */
  owns(n: NodeProcess): Promise<string[]>;
  /** How many of a node's log lines so far carry `code`. */
  logged(n: NodeProcess, code: string): number;
  stop(): Promise<void>;
}

export async function startNodeCluster({ nodes: count, agents, booths, coordinator = false, nodeArgs = [] }: { nodes: number; agents: number; booths: number; coordinator?: boolean; nodeArgs?: string[] }): Promise<NodeCluster> {
  const bundle = await buildHub();
  const [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  const nodes: NodeProcess[] = [];
  let stores: PostgresStores | null = null;
  const tokens: string[] = [];
  try {
    stores = await openPostgresStores(pg.url);
    await stores.store.seedOrganisations(ALWAYS_OPEN);
    const hash = await hashPassword(PASSWORD);
    for (let i = 0; i < agents; i++) await stores.store.addAgent({ organisation: 'CAF', login: `caf${i}`, displayName: `Agent ${i}`, passwordHash: hash }, Date.now());
    for (let i = 0; i < booths; i++) tokens.push((await stores.store.addBooth(`Site ${i}`, Date.now())).token);
    if (coordinator) await stores.evaluation.addCoordinator('coord.lot', hash, Date.now());
    for (let i = 0; i < count; i++) {
      const port = await freeLoopbackPort();
      const proc = await startChild(
        process.execPath,
        [...HUB_CLUSTER_NODE_FLAGS, bundle, '--redis', redis.url, '--postgres', pg.url, '--node-id', `n${i}`, '--port', String(port), '--host', '127.0.0.1', ...nodeArgs],
        { ready: (out) => out.includes('prêt'), timeoutMs: 20_000, cwd: path.resolve('.') },
      );
      nodes.push({ url: `ws://127.0.0.1:${port}/hub`, httpUrl: `http://127.0.0.1:${port}`, proc });
    }
  } catch (error) {
    for (const n of nodes) await stopChild(n.proc.child);
    await stores?.close();
    await Promise.all([redis.stop(), pg.stop()]);
    throw error;
  }
  const opened = stores;
  const clients: RawClient[] = [];
  return {
    pg,
    redis,
    stores: opened,
    nodes,
    tokens,
    async signedIn(url, auth) {
      const c = await connect(url);
      clients.push(c);
      c.send(auth);
      await c.next('auth.ok');
      return c;
    },
    owns: async (n) => ((await (await fetch(`${n.httpUrl}/healthz`)).json()) as { owns: string[] }).owns,
    logged: (n, code) => n.proc.output().split('\n').filter((l) => l.includes(`"code":"${code}"`)).length,
    async stop() {
      for (const c of clients) c.ws.terminate();
      for (const n of nodes) await stopChild(n.proc.child);
      await opened.close();
      await redis.stop();
      await pg.stop();
    },
  };
}
