// `npm run hub -- …`: bundles the hub (build-hub.mjs) and runs it with plain Node and its V8 flags; arguments and the
// stop signals are passed on, and the hub's exit code is this script's. A node of the hub across machines (`--redis`,
// or RELAIS_REDIS_URL) runs with HUB_CLUSTER_NODE_FLAGS, as deploy/ runs it.
import { spawn } from 'node:child_process';
import { buildHub, hubFlagsFor } from './build-hub.mjs';

const args = process.argv.slice(2);
const bundle = await buildHub();
const child = spawn(process.execPath, [...hubFlagsFor(args, process.env), bundle, ...args], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
