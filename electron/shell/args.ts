// Command-line switches of the Electron kiosk.

export interface ShellArgs {
  /** Normal window, devtools and shortcuts allowed. */
  dev: boolean;
  /** Overrides the data directory (tests use a temporary one): `--data-dir=DIR` or `--data-dir DIR`, as the web shell. */
  dataDir: string | null;
}

export function parseShellArgs(argv: readonly string[]): ShellArgs {
  let dev = false;
  let dataDir: string | null = null;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--dev') dev = true;
    else if (arg.startsWith('--data-dir=')) dataDir = arg.slice('--data-dir='.length) || null;
    else if (arg === '--data-dir' && i + 1 < argv.length) dataDir = argv[++i] || null;
  }
  return { dev, dataDir };
}
