// Whether an Electron binary can run here. The npm package installs without it when ELECTRON_SKIP_BINARY_DOWNLOAD=1
// or when the download fails (FIELD-NOTES.md); `npm start` and the Electron end-to-end suite ask this first.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * @param {{ env?: Record<string, string | undefined>, from?: string }} [options]
 * @returns {{ available: true, binary: string } | { available: false, reason: string }}
 */
export function electronRuntime(options = {}) {
  const env = options.env ?? process.env;
  let packageDir;
  try {
    packageDir = dirname(createRequire(join(options.from ?? repoRoot, 'package.json')).resolve('electron/package.json'));
  } catch {
    return { available: false, reason: "le paquet npm « electron » n'est pas installé (npm ci)" };
  }
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const binary = join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    return existsSync(binary)
      ? { available: true, binary }
      : { available: false, reason: `ELECTRON_OVERRIDE_DIST_PATH ne contient pas de binaire Electron (${binary} absent)` };
  }
  if (!relative) {
    const skipped = env.ELECTRON_SKIP_BINARY_DOWNLOAD ? ' (ELECTRON_SKIP_BINARY_DOWNLOAD est défini)' : '';
    return {
      available: false,
      reason: `le binaire Electron n'est pas installé${skipped} : ${join(packageDir, 'path.txt')} est absent, son téléchargement n'a pas eu lieu`,
    };
  }
  const binary = join(packageDir, 'dist', relative);
  if (!existsSync(binary)) return { available: false, reason: `le binaire Electron ${binary} est absent (node_modules/electron/dist incomplet)` };
  return { available: true, binary };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const runtime = electronRuntime();
  console.log(JSON.stringify(runtime));
  process.exitCode = runtime.available ? 0 : 1;
}
