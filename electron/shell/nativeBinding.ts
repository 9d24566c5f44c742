// Which better-sqlite3 native build the Electron main process loads.
// One .node file serves one ABI: the one in node_modules is built for Node (tests, web shell); Electron needs a build
// for its own ABI. main.ts passes the first that exists of:
//   1. the env RELAIS_SQLITE_BINDING (a better_sqlite3.node built for this Electron; used even if missing, so a wrong
//      path fails loudly at open instead of silently loading the Node build);
//   2. build/native/electron/better_sqlite3.node under the app root (written by a rebuild for Electron);
// and otherwise nothing, so better-sqlite3 loads its default build (right in a package rebuilt by electron-builder).
// Making the Electron build without touching node_modules (needs Electron's headers, so not on the build machines):
//   cp -r node_modules/better-sqlite3 /tmp/bs3 && cd /tmp/bs3 && npx node-gyp rebuild --runtime=electron \
//     --target=<electron version> --dist-url=https://electronjs.org/headers && cp build/Release/better_sqlite3.node \
//     <repo>/build/native/electron/
// so `npm test` (Node's build) and `npm start` (Electron's) both keep working, in either order.
import { join, resolve } from 'node:path';

export const ELECTRON_BINDING_RELATIVE = join('build', 'native', 'electron', 'better_sqlite3.node');

export function resolveNativeBinding(env: Record<string, string | undefined>, appRoot: string, exists: (file: string) => boolean): string | undefined {
  const fromEnv = env.RELAIS_SQLITE_BINDING;
  if (fromEnv) return resolve(appRoot, fromEnv);
  const built = join(appRoot, ELECTRON_BINDING_RELATIVE);
  return exists(built) ? built : undefined;
}
