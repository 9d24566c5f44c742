import { describe, expect, it } from 'vitest';
import { defaultDataDir, kioskDbFile } from '../../../../electron/services/paths.js';

describe('kiosk data directory', () => {
  it('uses RELAIS_DATA_DIR when set, on any platform', () => {
    expect(defaultDataDir({ RELAIS_DATA_DIR: '/srv/relais' }, 'linux', '/home/a')).toBe('/srv/relais');
    expect(defaultDataDir({ RELAIS_DATA_DIR: 'D:\\Relais' }, 'win32', 'C:\\Users\\a')).toBe('D:\\Relais');
  });

  it('follows XDG on Linux, falling back to ~/.local/share', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/data/xdg' }, 'linux', '/home/a')).toBe('/data/xdg/relais');
    expect(defaultDataDir({}, 'linux', '/home/a')).toBe('/home/a/.local/share/relais');
    expect(defaultDataDir({ XDG_DATA_HOME: 'relative/path' }, 'linux', '/home/a')).toBe('/home/a/.local/share/relais');
  });

  it('uses %APPDATA%\\Relais on Windows and Application Support on macOS', () => {
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32', 'C:\\Users\\a')).toBe('C:\\Users\\a\\AppData\\Roaming\\Relais');
    expect(defaultDataDir({}, 'darwin', '/Users/a')).toBe('/Users/a/Library/Application Support/Relais');
  });

  it('names the database file relais.sqlite inside the data directory', () => {
    expect(kioskDbFile('/home/a/.local/share/relais')).toBe('/home/a/.local/share/relais/relais.sqlite');
    expect(kioskDbFile('C:\\Users\\a\\AppData\\Roaming\\Relais')).toBe('C:\\Users\\a\\AppData\\Roaming\\Relais\\relais.sqlite');
  });
});
