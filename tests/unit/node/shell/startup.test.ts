import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseShellArgs } from '../../../../electron/shell/args.js';
import { resolveNativeBinding } from '../../../../electron/shell/nativeBinding.js';
import { isAppOrigin, originOf } from '../../../../electron/shell/origin.js';

describe('shell arguments', () => {
  it('is production unless --dev is given', () => {
    expect(parseShellArgs(['dist-electron/main.js'])).toEqual({ dev: false, dataDir: null });
    expect(parseShellArgs(['.', '--dev'])).toEqual({ dev: true, dataDir: null });
  });

  it('takes a data directory from --data-dir=DIR or --data-dir DIR, like the web shell', () => {
    expect(parseShellArgs(['--data-dir=/tmp/relais-e2e']).dataDir).toBe('/tmp/relais-e2e');
    expect(parseShellArgs(['main.js', '--data-dir', '/tmp/relais-e2e', '--dev'])).toEqual({ dev: true, dataDir: '/tmp/relais-e2e' });
    expect(parseShellArgs(['--data-dir=']).dataDir).toBeNull();
  });
});

describe('better-sqlite3 binding for Electron', () => {
  const root = '/opt/relais';
  const built = join(root, 'build', 'native', 'electron', 'better_sqlite3.node');

  it('uses RELAIS_SQLITE_BINDING first, even when missing, so a wrong path fails loudly', () => {
    expect(resolveNativeBinding({ RELAIS_SQLITE_BINDING: '/x/b.node' }, root, () => true)).toBe('/x/b.node');
    expect(resolveNativeBinding({ RELAIS_SQLITE_BINDING: '/x/b.node' }, root, () => false)).toBe('/x/b.node');
  });

  it('then the Electron build under build/native/electron when present', () => {
    expect(resolveNativeBinding({}, root, (file) => file === built)).toBe(built);
  });

  it('else leaves better-sqlite3 to its default build', () => {
    expect(resolveNativeBinding({}, root, () => false)).toBeUndefined();
  });
});

describe('origin comparison', () => {
  it('compares parsed origins, not string prefixes', () => {
    expect(originOf('app://kiosk/index.html?x#y')).toBe('app://kiosk');
    expect(originOf('APP://KIOSK/')).toBe('app://kiosk');
    expect(isAppOrigin('app://kiosk/index.html')).toBe(true);
    expect(isAppOrigin('app://kiosk.evil/index.html')).toBe(false);
    expect(isAppOrigin('app://kiosk@evil/index.html')).toBe(false);
    expect(isAppOrigin('app:kiosk/index.html')).toBe(false);
    expect(originOf('about:blank')).toBeNull();
    expect(originOf('')).toBeNull();
    expect(originOf(null)).toBeNull();
  });
});
