// Builds the Electron main process (dist-electron/main.js, ESM) and the sandboxed preload (dist-electron/preload.cjs,
// one self-contained CommonJS file), with `npm run build:electron`.
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { build, defineConfig, type InlineConfig, type Plugin } from 'vite';

const root = resolve(import.meta.dirname, '..');
const outDir = resolve(root, 'dist-electron');
const { dependencies = {} } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
// Main keeps native and runtime packages (better-sqlite3, pino, …) in node_modules, where electron-builder packs them.
const mainExternal = (id: string): boolean =>
  id === 'electron' || builtins.has(id) || Object.keys(dependencies).some((dep) => id === dep || id.startsWith(`${dep}/`));

/** The preload needs its own build: a sandboxed preload is one CommonJS file that may require only 'electron'. */
export const preloadBuild = (into: string = outDir): InlineConfig => ({
  configFile: false,
  root,
  logLevel: 'warn',
  build: {
    ssr: resolve(root, 'electron/preload.ts'),
    outDir: into,
    emptyOutDir: false,
    target: 'node22',
    minify: false,
    sourcemap: false,
    rollupOptions: {
      external: ['electron'],
      output: { format: 'cjs', entryFileNames: 'preload.cjs' },
    },
  },
  ssr: { noExternal: true, target: 'node' },
});

const buildPreloadAfterMain = (): Plugin => ({
  name: 'relais-build-preload',
  apply: 'build',
  async closeBundle() {
    await build(preloadBuild());
  },
});

export default defineConfig({
  root,
  plugins: [buildPreloadAfterMain()],
  build: {
    ssr: resolve(root, 'electron/main.ts'),
    outDir,
    emptyOutDir: true,
    target: 'node22',
    minify: false,
    sourcemap: true,
    rollupOptions: {
      external: mainExternal,
      output: { format: 'es', entryFileNames: 'main.js' },
    },
  },
  ssr: { target: 'node' },
});
