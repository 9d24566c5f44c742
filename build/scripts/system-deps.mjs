// Checks the system programs Relais needs and installs the missing ones with apt when running as root;
// otherwise stops at once with the exact command to run. `start` needs nothing mandatory (Chromium is optional).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const PURPOSE = process.argv[2] ?? 'test';

/** The packages of build/system-packages.txt in a group, each with the file that shows it is installed. */
function packagesOf(group) {
  const list = readFileSync(new URL('../system-packages.txt', import.meta.url), 'utf8');
  return list
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim().split(/\s+/))
    .filter(([pkg, file, ...groups]) => pkg && file && groups.includes(group))
    .map(([pkg, file]) => [file, pkg]);
}

/** What each purpose needs: `test` the group of that name; `start` nothing mandatory. */
const NEEDS = { test: packagesOf('test'), start: [] };

const wanted = NEEDS[PURPOSE] ?? NEEDS.test;
const missing = [...new Set(wanted.filter(([path]) => !existsSync(path)).map(([, pkg]) => pkg))];
if (missing.length === 0) process.exit(0);

const command = `apt-get install -y -o DPkg::Lock::Timeout=300 --no-install-recommends ${missing.join(' ')}`;
if (process.getuid?.() !== 0) {
  console.error(`Relais a besoin de paquets système absents : ${missing.join(', ')}.\nInstallez-les avec :\n  sudo apt-get update && sudo ${command}`);
  process.exit(1);
}
if (!existsSync('/usr/bin/apt-get')) {
  console.error(`Paquets système absents (${missing.join(', ')}) et apt-get introuvable : installez-les avec le gestionnaire de paquets de ce système.`);
  process.exit(1);
}
console.log(`Installation des paquets système : ${missing.join(' ')}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-o', 'DPkg::Lock::Timeout=300'], { stdio: 'inherit', env });
const result = spawnSync('sh', ['-c', command], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
