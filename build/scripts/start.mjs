// `npm start`: the kiosk in Electron when its runtime is here; otherwise one line saying why, then the web shell
// (which opens Chromium in app mode when there is a display, or prints the URL).
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronRuntime } from './electron-runtime.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const passThrough = process.argv.slice(2);
const runtime = electronRuntime();

// French whatever the machine's locale: Electron and the web shell's Chromium take their UI language from these
// (and add --lang=fr-FR themselves, electron/services/chromiumLocale.ts).
const env = { ...process.env, LANGUAGE: 'fr_FR:fr', LANG: 'fr_FR.UTF-8' };

function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}

if (runtime.available) {
  const built = spawnSync('npm', ['run', '--silent', 'build:electron'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
  run(runtime.binary, [join(root, 'dist-electron/main.js'), ...passThrough]);
} else {
  console.log(`Electron indisponible (${runtime.reason}) : Relais démarre dans son shell web.`);
  run(process.execPath, ['--import', 'tsx', join(root, 'electron/webshell/cli.ts'), ...passThrough]);
}
