// `npm run hub -- --redis <url> --postgres <url> [--node-id <name>]`: one node of a hub across machines, with its
// shared store (PostgreSQL) and bus (Redis) opened from their addresses. Several run behind a load balancer (deploy/).
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { IceServer } from '../../shared/protocol.js';
import type { FleetOptions } from '../fleet/hubFleet.js';
import { openPostgresStores } from '../sharedStore/postgres.js';
import { nodeIdFor, startHubNode, type ClusterTiming, type RunningHubNode } from './node.js';
import { openRedisBus } from './redisBus.js';

export interface ClusterServeOptions {
  redisUrl: string;
  postgresUrl: string;
  /** The node's name (RELAIS_NODE_ID); the host's name by default. */
  nodeName?: string;
  redisPrefix?: string;
  host: string;
  port: number;
  iceServers: IceServer[];
  ringTimeoutMs: number;
  heartbeatMs: number;
  staticDir?: string;
  trustedProxies: readonly string[];
  timing?: Partial<ClusterTiming>;
  /** The direct link between nodes (node.ts): its port, and the host other nodes reach this one at. */
  link?: { port?: number; advertise?: string };
  /** The fleet's alert settings (e-mail, webhook, delays), as the one-machine hub's. */
  fleet?: FleetOptions;
  /** The hub's public origin (the load balancer's), given with each enrolment code. */
  publicUrl?: string;
  logger: Logger;
}

/** Only redis:// and rediss:// (TLS) addresses; postgres:// and postgresql:// for the store. */
export function clusterUrlError(redisUrl: string, postgresUrl: string): string | null {
  const checks = [
    { label: 'Redis', text: redisUrl, schemes: ['redis:', 'rediss:'], expected: 'redis://hôte:port ou rediss://…' },
    { label: 'PostgreSQL', text: postgresUrl, schemes: ['postgres:', 'postgresql:'], expected: 'postgres://utilisateur@hôte:port/base' },
  ];
  for (const { label, text, schemes, expected } of checks) {
    let u: URL;
    try {
      u = new URL(text);
    } catch {
      return `Adresse ${label} invalide : attendu ${expected}`;
    }
    if (!schemes.includes(u.protocol)) return `Adresse ${label} invalide : attendu ${expected}`;
    // A password written as is with a `/`, `?` or `#` in it ends the host there: `postgres://relais:a/b@db/relais`
    // names the host `a`, and the node would fail later on a name that is not the server's. An `@` left after the host
    // tells it.
    if (`${u.pathname}${u.search}${u.hash}`.includes('@'))
      return `Adresse ${label} invalide : un « @ » suit le nom d'hôte. Un mot de passe qui contient / ? # @ ou : s'écrit encodé dans l'adresse (%2F %3F %23 %40 %3A).`;
  }
  return null;
}

export async function serveClusterNode(o: ClusterServeOptions): Promise<RunningHubNode> {
  const invalid = clusterUrlError(o.redisUrl, o.postgresUrl);
  if (invalid) throw new Error(invalid);
  const nodeId = nodeIdFor(o.nodeName ?? hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 48));
  const { store, evaluation, fleet, enrolment, fleetConfig, updates, releaseFiles, appointments, close } = await openPostgresStores(o.postgresUrl, { log: o.logger });
  try {
    const bus = await openRedisBus({ url: o.redisUrl, nodeId, ...(o.redisPrefix ? { prefix: o.redisPrefix } : {}), log: o.logger });
    const node = await startHubNode({
      bus,
      store,
      evaluation,
      fleet: { store: fleet(nodeId), options: o.fleet ?? {} },
      enrolment,
      fleetConfig,
      updates: { store: updates, files: releaseFiles },
      appointments: { store: appointments },
      ...(o.publicUrl ? { publicUrl: o.publicUrl } : {}),
      host: o.host,
      port: o.port,
      logger: o.logger,
      iceServers: o.iceServers,
      ringTimeoutMs: o.ringTimeoutMs,
      heartbeatMs: o.heartbeatMs,
      trustedProxies: o.trustedProxies,
      ...(o.staticDir ? { staticDir: o.staticDir } : {}),
      ...(o.timing ? { timing: o.timing } : {}),
      ...(o.link ? { link: o.link } : {}),
    });
    return {
      ...node,
      async close() {
        await node.close();
        await close();
      },
    };
  } catch (e) {
    await close();
    throw e;
  }
}
