// Test helpers over the machine's CUPS: check the scheduler, create and remove throwaway queues, inject printer faults.
// Everything started here (ippeveprinter, and dbus/avahi when they were not running) is stopped here, by PID.
import { execFile as execFileCb, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFile = promisify(execFileCb);

export const CUPS_URL = 'http://localhost:631';
/** The virtual PDF printer made by build/scripts/cups-setup.sh (`RELAIS_PDF_QUEUE` names another, as the script does). */
export const PDF_QUEUE = process.env.RELAIS_PDF_QUEUE ?? 'PDF';
const CUPS_PDF_PPD = 'lsb/usr/cups-pdf/CUPS-PDF_opt.ppd';

async function run(cmd: string, args: string[]): Promise<string> {
  const { stdout, stderr } = await execFile(cmd, args, { timeout: 15_000 });
  return `${stdout}${stderr}`;
}

/** Fails with an actionable message when cupsd or the PDF queue is missing (run build/scripts/cups-setup.sh). */
export async function assertCupsReady(): Promise<void> {
  let status = '';
  try {
    status = await run('lpstat', ['-r']);
  } catch (error) {
    throw new Error(`CUPS client tools missing (${(error as Error).message}). Run: bash build/scripts/cups-setup.sh`);
  }
  // `lpstat -r` exits 0 even when the scheduler is down: read its text.
  if (!status.includes('scheduler is running')) throw new Error('cupsd is not running on localhost:631. Run: bash build/scripts/cups-setup.sh');
  try {
    await run('lpstat', ['-p', PDF_QUEUE]);
  } catch {
    throw new Error(`The CUPS queue "${PDF_QUEUE}" does not exist. Run: bash build/scripts/cups-setup.sh`);
  }
}

let counter = 0;
/** A queue name no other test run uses. */
export const uniqueQueueName = (prefix: string): string => `relais_${prefix}_${process.pid}_${Date.now().toString(36)}_${++counter}`;

export async function createPdfQueue(name: string): Promise<void> {
  await run('lpadmin', ['-p', name, '-E', '-v', 'cups-pdf:/', '-m', CUPS_PDF_PPD, '-o', 'PageSize=A4', '-o', 'pdftops-renderer-default=pdftops']);
}

/** A queue whose device is a closed port on loopback: jobs stay processing with "printer may not exist" messages. */
export async function createUnreachableQueue(name: string): Promise<void> {
  await run('lpadmin', ['-p', name, '-E', '-v', 'socket://127.0.0.1:9', '-m', CUPS_PDF_PPD, '-o', 'PageSize=A4']);
}

export async function setDevice(name: string, uri: string): Promise<void> {
  await run('lpadmin', ['-p', name, '-v', uri]);
}

export async function removeQueue(name: string): Promise<void> {
  await run('cancel', ['-a', '-x', name]).catch(() => '');
  await run('lpadmin', ['-x', name]).catch(() => '');
}

export const pauseQueue = (name: string, reason = 'Test : mise en pause'): Promise<string> => run('cupsdisable', ['-r', reason, name]);
export const resumeQueue = (name: string): Promise<string> => run('cupsenable', [name]);
export const rejectQueue = (name: string, reason = 'Test : refus'): Promise<string> => run('cupsreject', ['-r', reason, name]);
export const acceptQueue = (name: string): Promise<string> => run('cupsaccept', [name]);

/** The file cups-pdf wrote for a job (names end with `-job_<id>.pdf`, see cups-setup.sh), or null. */
export function cupsPdfOutputFile(cupsJobId: number): string | null {
  const dirs = [join(homedir(), 'PDF'), '/root/PDF', '/var/spool/cups-pdf/ANONYMOUS'];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    const name = readdirSync(dir).find((n) => n.endsWith(`job_${cupsJobId}.pdf`));
    if (name) return join(dir, name);
  }
  return null;
}

/** Deletes what cups-pdf wrote for a completed job, so test runs do not fill the output folder. */
export function removeCupsPdfOutput(cupsJobId: number | null): void {
  const file = cupsJobId === null ? null : cupsPdfOutputFile(cupsJobId);
  if (file) rmSync(file, { force: true });
}

/** Text of a PDF file by poppler's pdftotext. */
export async function pdfText(file: string, layout = false): Promise<string> {
  return run('pdftotext', [...(layout ? ['-layout'] : []), file, '-']);
}

// ---- a printer that runs out of paper: ippeveprinter with a print command reporting media-empty-error

const started: Array<{ name: string; pid: number }> = [];

/** A zombie (exited, not yet reaped) counts as dead. */
const alive = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

const readPid = (file: string): number | null => {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
};

/** ippeveprinter registers itself over DNS-SD and exits without avahi, which needs the system D-Bus. */
async function ensureAvahi(): Promise<void> {
  const dbusPid = readPid('/run/dbus/pid');
  if (dbusPid === null || !alive(dbusPid)) {
    rmSync('/run/dbus/pid', { force: true });
    const out = await run('dbus-daemon', ['--system', '--fork', '--print-pid']);
    const pid = Number(out.trim().split(/\s+/)[0]);
    if (pid > 0) started.push({ name: 'dbus-daemon', pid });
  }
  const avahiRunning = await run('avahi-daemon', ['--check']).then(
    () => true,
    () => false,
  );
  if (!avahiRunning) {
    await run('avahi-daemon', ['-D']);
    const pid = await waitFor(() => readPid('/run/avahi-daemon/pid'), 5_000, 'avahi-daemon to write its pid');
    started.push({ name: 'avahi-daemon', pid });
  }
}

/** Stops the dbus and avahi daemons this module started (never ones that were already running). */
export function stopSystemDaemons(): void {
  for (const p of started.splice(0).reverse()) {
    if (alive(p.pid)) process.kill(p.pid, 'SIGTERM');
  }
}

async function waitFor<T>(probe: () => T | null | Promise<T | null>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const canConnect = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = new Socket();
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.connect(port, '127.0.0.1');
  });

export interface PaperPrinter {
  /** The CUPS queue pointing at the simulated printer. */
  queue: string;
  port: number;
  /** While out of paper, each job reports `media-empty-error` and waits until paper is back. */
  setPaperOut(out: boolean): void;
  stop(): Promise<void>;
}

export async function startPaperPrinter(options: { paperOut: boolean }): Promise<PaperPrinter> {
  await ensureAvahi();
  const dir = mkdtempSync(join(tmpdir(), 'relais-paper-'));
  const flag = join(dir, 'paper-out');
  const script = join(dir, 'print.sh');
  writeFileSync(
    script,
    `#!/bin/sh\n# Simulated printer: reports paper out while ${flag} exists, then prints.\nif [ -e "${flag}" ]; then\n  echo "STATE: +media-empty-error" >&2\n  while [ -e "${flag}" ]; do sleep 0.1; done\n  echo "STATE: -media-empty-error" >&2\nfi\ncat > /dev/null\nexit 0\n`,
    { mode: 0o755 },
  );
  if (options.paperOut) writeFileSync(flag, '');
  const port = await freePort();
  const spool = join(dir, 'spool');
  mkdirSync(spool);
  const child: ChildProcess = spawn('ippeveprinter', ['-p', String(port), '-n', 'localhost', '-c', script, '-d', spool, '-f', 'application/pdf', `RelaisPaper${port}`], {
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const queue = uniqueQueueName('paper');
  try {
    await waitFor(async () => ((await canConnect(port)) ? true : child.exitCode !== null ? Promise.reject(new Error('ippeveprinter exited')) : null), 10_000, 'ippeveprinter to listen');
    await run('lpadmin', ['-p', queue, '-E', '-v', `ipp://localhost:${port}/ipp/print`, '-m', 'everywhere']);
  } catch (error) {
    if (child.pid && child.exitCode === null) process.kill(child.pid, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    queue,
    port,
    setPaperOut(out: boolean) {
      if (out) writeFileSync(flag, '');
      else rmSync(flag, { force: true });
    },
    async stop() {
      await removeQueue(queue);
      if (child.pid && child.exitCode === null) {
        process.kill(child.pid, 'SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Age in ms of a file (to check an output is from this run). */
export const fileAgeMs = (file: string): number => Date.now() - statSync(file).mtimeMs;
