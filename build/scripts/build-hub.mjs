// Bundles the hub (server/cli.ts and what it imports from server/ and shared/) into one plain-JS file,
// dist/hub/cli.mjs, run by `npm run hub` with plain Node: no TypeScript loader thread in a long-running server
// (tsx costs ~40 MB of memory and a second V8 isolate). Packages from node_modules stay external.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const HUB_BUNDLE = path.join(root, 'dist/hub/cli.mjs');
/**
 * V8 flags the hub runs with (`npm run hub`, `npm run bench:hub`):
 * - no allocation-site pretenuring. Each of 10,000 booths sends one frame (its sign-in) and then keeps what ws and
 *   Node allocated for it, so V8 judged those allocation sites long-lived and placed every later object from them (the
 *   receive path of each relayed signal) straight in the old generation: ~640 KB/s of garbage for full collections,
 *   measured with --trace-gc-nvp and the sampling heap profiler under `npm run bench:hub`. Without it nothing is
 *   promoted under load and the CPU per relayed message fell from ~1.3x to ~1.15x the bare relay's;
 * - a young generation of 8 MB semi-spaces, from the start: short scavenges, so relayed signals wait less. The minimum
 *   matters: left to itself, V8 kept the hub's new space at 1 MB after the sign-ins and scavenged every ~175 ms under
 *   load (the bare relay's grew to 16 MB: one scavenge every ~2 s), ~3 % of the hub's CPU (--trace-gc and perf, under
 *   `npm run bench:hub`);
 * - an old generation collected once it grows 15 % past what is live: memory stays flat instead of climbing before
 *   each full collection.
 */
export const HUB_NODE_FLAGS = ['--no-allocation-site-pretenuring', '--min-semi-space-size=8', '--max-semi-space-size=8', '--heap-growing-percent=15'];

/**
 * The flags of a node of the hub across machines (`--redis`: deploy/systemd, deploy/compose.yaml): the same, with 32 MB
 * semi-spaces. A node allocates more per relayed signal than the one-machine hub (the batch to or from the other node
 * on top of the frame), and with 8 MB it scavenged about twice as often per signal, each scavenge waking V8's helper
 * threads: under `npm run bench:hub -- --nodes 3` the three nodes spent 20-34 ms/s of 146-161 off their main threads,
 * against 2-3 ms/s for the one node. With 32 MB that fell to 12-15 ms/s, the whole to 61-70 µs a signal instead of
 * 74-89 and the p99 to 3.5-4.3 ms instead of 4.0-6.6 (README), each node's RSS ~240 MB with 3,400 booths. The
 * one-machine hub keeps 8 MB: its helper threads cost it 2-3 ms/s, and in one run with 32 MB it spent 64 ms/s
 * instead of 44-50.
 */
export const HUB_CLUSTER_NODE_FLAGS = HUB_NODE_FLAGS.map((flag) => flag.replace(/^(--(?:min|max)-semi-space-size)=8$/, '$1=32'));

/**
 * The V8 flags for the hub run with these arguments: a node of the hub across machines when Redis is given, as
 * server/cli.ts decides it (`--redis`, `--redis=…`, or RELAIS_REDIS_URL set), the one-machine hub's otherwise.
 */
export function hubFlagsFor(args, env) {
  const clusterNode = args.some((a) => a === '--redis' || a.startsWith('--redis=')) || env.RELAIS_REDIS_URL !== undefined;
  return clusterNode ? HUB_CLUSTER_NODE_FLAGS : HUB_NODE_FLAGS;
}

export async function buildHub() {
  await build({
    entryPoints: [path.join(root, 'server/cli.ts')],
    outfile: HUB_BUNDLE,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return HUB_BUNDLE;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildHub();
