// A real SMTP server for tests: Debian's aiosmtpd (python3-aiosmtpd) on a loopback port, writing what it receives to a
// Maildir; the messages are read back decoded by Python's own e-mail parser. Started and stopped by PID.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Debian's interpreter: the one that has python3-aiosmtpd (another python3 may come first on the PATH). */
const PYTHON = '/usr/bin/python3';

export interface ReceivedMail {
  from: string;
  to: string;
  subject: string;
  body: string;
}

export interface SmtpServer {
  url: string;
  /** How many messages were received (cheap: for waiting). */
  count(): number;
  /** The messages received so far, oldest first. */
  messages(): ReceivedMail[];
  stop(): Promise<void>;
}

export const smtpServerAvailable = (): boolean => existsSync(PYTHON) && existsSync('/usr/lib/python3/dist-packages/aiosmtpd/__init__.py');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function untilListening(port: number, child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`aiosmtpd exited (${child.exitCode})`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port }, () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error('aiosmtpd did not listen');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const READ_MAILDIR = `
import email, email.policy, json, os, sys
out = []
d = os.path.join(sys.argv[1], 'new')
for name in sorted(os.listdir(d), key=lambda n: os.path.getmtime(os.path.join(d, n))):
    with open(os.path.join(d, name), 'rb') as f:
        m = email.message_from_binary_file(f, policy=email.policy.default)
    out.append({'from': str(m['From']), 'to': str(m['To']), 'subject': str(m['Subject']), 'body': m.get_content()})
print(json.dumps(out))
`;

export async function startSmtpServer(): Promise<SmtpServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'relais-smtp-'));
  const mailbox = path.join(dir, 'maildir');
  const port = await freePort();
  const child = spawn(PYTHON, ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', mailbox], { stdio: 'ignore' });
  await untilListening(port, child);
  return {
    url: `smtp://127.0.0.1:${port}`,
    count: () => (existsSync(path.join(mailbox, 'new')) ? readdirSync(path.join(mailbox, 'new')).length : 0),
    messages() {
      if (!existsSync(path.join(mailbox, 'new')) || readdirSync(path.join(mailbox, 'new')).length === 0) return [];
      return JSON.parse(execFileSync(PYTHON, ['-c', READ_MAILDIR, mailbox], { encoding: 'utf8' })) as ReceivedMail[];
    },
    async stop() {
      if (child.exitCode === null && child.pid !== undefined) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        process.kill(child.pid, 'SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
