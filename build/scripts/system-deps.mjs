// Checks the system programs Relais needs and installs the missing ones with apt when running as root;
// otherwise stops at once with the exact command to run. `start` needs nothing mandatory (Chromium is optional).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PURPOSE = process.argv[2] ?? 'test';

/** program → Debian package that provides it. */
const NEEDS = {
  test: [
    ['/usr/bin/chromium', 'chromium'],
    ['/usr/bin/firefox-esr', 'firefox-esr'],
    ['/usr/sbin/cupsd', 'cups'],
    ['/usr/sbin/lpadmin', 'cups-client'],
    ['/usr/lib/cups/backend/cups-pdf', 'printer-driver-cups-pdf'],
    ['/usr/sbin/ippeveprinter', 'cups-ipp-utils'],
    ['/usr/bin/turnserver', 'coturn'],
    ['/usr/bin/pdftotext', 'poppler-utils'],
    // The forms tests check what CUPS printed with qpdf --check and a Ghostscript render.
    ['/usr/bin/qpdf', 'qpdf'],
    ['/usr/bin/gs', 'ghostscript'],
    ['/usr/bin/dbus-daemon', 'dbus'],
    ['/usr/sbin/avahi-daemon', 'avahi-daemon'],
    ['/usr/bin/Xvfb', 'xvfb'],
    ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 'fonts-dejavu-core'],
  ],
  start: [],
};

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
