/** dist/hub/cli.mjs: the hub bundled as plain JavaScript. */
export const HUB_BUNDLE: string;
/** Bundles server/cli.ts into HUB_BUNDLE; resolves to its path. */
export function buildHub(): Promise<string>;
/** V8 flags the hub runs with. */
export const HUB_NODE_FLAGS: string[];
/** The V8 flags of a node of the hub across machines (`--redis`), beside HUB_NODE_FLAGS. */
export const HUB_CLUSTER_NODE_FLAGS: string[];
/** HUB_CLUSTER_NODE_FLAGS when Redis is given (`--redis`, `--redis=…`, RELAIS_REDIS_URL), else HUB_NODE_FLAGS. */
export function hubFlagsFor(args: readonly string[], env: Record<string, string | undefined>): string[];
