// Where the kiosk keeps its data on each platform (overridable with RELAIS_DATA_DIR).
import path from 'node:path';

export function defaultDataDir(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform, homedir: string): string {
  const override = env.RELAIS_DATA_DIR?.trim();
  if (override) return override;
  if (platform === 'win32') {
    const appData = env.APPDATA?.trim() || path.win32.join(homedir, 'AppData', 'Roaming');
    return path.win32.join(appData, 'Relais');
  }
  if (platform === 'darwin') return path.posix.join(homedir, 'Library', 'Application Support', 'Relais');
  const xdg = env.XDG_DATA_HOME?.trim();
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const base = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(homedir, '.local', 'share');
  return path.posix.join(base, 'relais');
}

export function kioskDbFile(dataDir: string): string {
  const join = /^[A-Za-z]:[\\/]|\\/.test(dataDir) ? path.win32.join : path.join;
  return join(dataDir, 'relais.sqlite');
}
