// Real read-only and full file systems for the start-up fault tests: a read-only bind mount of a folder onto itself,
// and a small tmpfs filled to the last byte. Both need root (CAP_SYS_ADMIN); without it `mountable()` says why, and
// the tests print that reason and skip. Every mount is undone by `release()` (afterAll).
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = (command: string, args: string[]): void => {
  execFileSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
};

/** null when mounts can be made here, else why not. */
export function mountable(): string | null {
  if (process.platform !== 'linux') return `mounts are Linux-only (platform ${process.platform})`;
  if (process.getuid?.() !== 0) return `not root (uid ${process.getuid?.()}): mount needs CAP_SYS_ADMIN`;
  const probe = mkdtempSync(join(tmpdir(), 'relais-mount-probe-'));
  try {
    run('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]);
    run('umount', [probe]);
    return null;
  } catch (cause) {
    return `mount refused here: ${String((cause as { stderr?: Buffer }).stderr ?? cause).trim()}`;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

export interface Mounted {
  dir: string;
  release(): void;
}

/** Makes `dir` (already filled) read-only by bind-mounting it onto itself, then remounting that bind read-only. */
export function remountReadOnly(dir: string): Mounted {
  run('mount', ['--bind', dir, dir]);
  try {
    run('mount', ['-o', 'remount,bind,ro', dir]);
  } catch (cause) {
    run('umount', [dir]);
    throw cause;
  }
  return { dir, release: () => run('umount', [dir]) };
}

/** A fresh tmpfs of `sizeKiB` on a new temporary folder. */
export function smallTmpfs(sizeKiB: number): Mounted {
  const dir = mkdtempSync(join(tmpdir(), 'relais-full-'));
  run('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k,mode=0700`, 'tmpfs', dir]);
  return {
    dir,
    release: () => {
      run('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes `file` until the file system answers ENOSPC; returns the bytes written. */
export function fillUp(file: string): number {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(4096, 0x5a);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ENOSPC') throw cause;
  } finally {
    closeSync(fd);
  }
  return written;
}
