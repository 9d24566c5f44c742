// `npm run hub -- …`: bundles the hub (build-hub.mjs) and runs it with plain Node and its V8 flags; arguments and the
// stop signals are passed on, and the hub's exit code is this script's.
import { spawn } from 'node:child_process';
import { HUB_NODE_FLAGS, buildHub } from './build-hub.mjs';

const bundle = await buildHub();
const child = spawn(process.execPath, [...HUB_NODE_FLAGS, bundle, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
