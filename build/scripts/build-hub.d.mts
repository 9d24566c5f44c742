/** dist/hub/cli.mjs: the hub bundled as plain JavaScript. */
export const HUB_BUNDLE: string;
/** Bundles server/cli.ts into HUB_BUNDLE; resolves to its path. */
export function buildHub(): Promise<string>;
/** V8 flags the hub runs with. */
export const HUB_NODE_FLAGS: string[];
