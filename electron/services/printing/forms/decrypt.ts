// A form encrypted with an owner password only opens without a password in every reader: its encryption restricts
// editors, not readers. pdf-lib cannot decrypt, so qpdf removes that encryption, in memory, when the forms folder is
// read, if the form lets itself be filled and printed. A form that needs a password to open stays refused.
import { execFile } from 'node:child_process';
import { isAbsolute } from 'node:path';

export type DecryptResult =
  | { ok: true; bytes: Uint8Array }
  /** `needs-password`: a user password; `forbids-filling`: the author forbade filling or printing it; `unavailable`: no qpdf. */
  | { ok: false; why: 'needs-password' | 'forbids-filling' | 'unavailable' | 'failed' };

/** Reads an encrypted PDF's bytes without its encryption, or says why not. */
export type Decrypt = (path: string) => Promise<DecryptResult>;

/** qpdf's exit code for a file it opened with warnings; its output is usable. */
const QPDF_WARNINGS = 3;
/** A form larger than this is not a form a booth prints. */
const MAX_BYTES = 64 * 1024 * 1024;

interface Run {
  code: number | string | null;
  stdout: Buffer;
  stderr: string;
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: 'buffer', maxBuffer: MAX_BYTES, timeout: timeoutMs, windowsHide: true }, (error, stdout, stderr) => {
      const code = error ? ((error as NodeJS.ErrnoException & { code?: number | string }).code ?? 1) : 0;
      resolve({ code, stdout, stderr: stderr.toString('utf8') });
    });
  });
}

const usable = (r: Run): boolean => r.code === 0 || r.code === QPDF_WARNINGS;

interface Capabilities {
  modifyforms?: boolean;
  printhigh?: boolean;
  printlow?: boolean;
}

/** Whether the PDF opens without a password and lets itself be filled and printed, from `qpdf --json --json-key=encrypt`. */
function allowsFilling(json: string): 'yes' | 'needs-password' | 'no' | 'unknown' {
  let encrypt: { userpasswordmatched?: boolean; capabilities?: Capabilities } | undefined;
  try {
    encrypt = (JSON.parse(json) as { encrypt?: typeof encrypt }).encrypt;
  } catch {
    return 'unknown';
  }
  if (!encrypt) return 'unknown';
  if (encrypt.userpasswordmatched !== true) return 'needs-password';
  const c = encrypt.capabilities ?? {};
  return c.modifyforms === true && (c.printhigh === true || c.printlow === true) ? 'yes' : 'no';
}

export function qpdfDecrypt(options: { qpdf?: string; timeoutMs?: number } = {}): Decrypt {
  const qpdf = options.qpdf ?? 'qpdf';
  const timeoutMs = options.timeoutMs ?? 15_000;
  return async (path) => {
    // An absolute path cannot be read by qpdf as one of its options.
    if (!isAbsolute(path)) return { ok: false, why: 'failed' };
    const info = await run(qpdf, ['--json=2', '--json-key=encrypt', path], timeoutMs);
    if (info.code === 'ENOENT') return { ok: false, why: 'unavailable' };
    if (/invalid password/i.test(info.stderr)) return { ok: false, why: 'needs-password' };
    if (!usable(info)) return { ok: false, why: 'failed' };
    const allowed = allowsFilling(info.stdout.toString('utf8'));
    if (allowed === 'needs-password') return { ok: false, why: 'needs-password' };
    if (allowed === 'no') return { ok: false, why: 'forbids-filling' };
    if (allowed === 'unknown') return { ok: false, why: 'failed' };
    const out = await run(qpdf, ['--decrypt', path, '-'], timeoutMs);
    if (!usable(out) || !out.stdout.subarray(0, 1024).toString('latin1').includes('%PDF-')) return { ok: false, why: 'failed' };
    return { ok: true, bytes: new Uint8Array(out.stdout.buffer, out.stdout.byteOffset, out.stdout.byteLength) };
  };
}
