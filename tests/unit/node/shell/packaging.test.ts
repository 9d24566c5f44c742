import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../../../..');
const require = createRequire(import.meta.url);

describe('electron-builder configuration', () => {
  const file = join(repo, 'build', 'electron-builder.yml');

  it('passes electron-builder’s own schema validation', async () => {
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      getConfig(dir: string, file: string, options: null): Promise<Record<string, unknown>>;
      validateConfiguration(config: Record<string, unknown>, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util/out/DebugLogger.js') as { DebugLogger: new (enabled: boolean) => unknown };
    const config = await getConfig(repo, file, null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('packs the app as fr.relais.kiosk with better-sqlite3 outside the asar, for Linux and Windows', () => {
    const config = parse(readFileSync(file, 'utf8')) as {
      appId: string;
      productName: string;
      files: string[];
      asarUnpack: string[];
      afterPack: string;
      linux: { target: string[] };
      win: { target: string[] };
    };
    expect(config.appId).toBe('fr.relais.kiosk');
    expect(config.productName).toBe('Relais');
    expect(config.files).toEqual(expect.arrayContaining(['package.json', 'dist/renderer/**/*', 'dist-electron/**/*', 'assets/**/*']));
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(existsSync(join(repo, config.afterPack))).toBe(true);
  });
});

describe('afterPack fuses', () => {
  const hook = require(join(repo, 'build', 'scripts', 'afterPack-fuses.cjs')) as {
    FUSES: Record<string, unknown>;
    electronBinary(context: unknown): string;
  };

  it('turns off Node escape hatches and turns on asar-only loading, integrity and cookie encryption', () => {
    expect(hook.FUSES).toEqual({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
  });

  it('finds the packed Electron executable on each platform', () => {
    const context = (electronPlatformName: string) => ({
      appOutDir: '/out/app',
      electronPlatformName,
      packager: { executableName: 'relais', appInfo: { productFilename: 'Relais' } },
    });
    expect(hook.electronBinary(context('linux'))).toBe('/out/app/relais');
    expect(hook.electronBinary(context('win32'))).toBe('/out/app/Relais.exe');
    expect(hook.electronBinary(context('darwin'))).toBe('/out/app/Relais.app');
  });
});

describe('electronRuntime', () => {
  type Runtime = { available: true; binary: string } | { available: false; reason: string };
  const load = async () =>
    (await import(join(repo, 'build', 'scripts', 'electron-runtime.mjs'))) as { electronRuntime(options?: { env?: Record<string, string>; from?: string }): Runtime };

  function fakeProject(pathTxt: string | null, binary: boolean): string {
    const dir = mkdtempSync(join(tmpdir(), 'relais-electron-runtime-'));
    const pkg = join(dir, 'node_modules', 'electron');
    mkdirSync(join(pkg, 'dist'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{}');
    writeFileSync(join(pkg, 'package.json'), '{"name":"electron","version":"39.8.10"}');
    if (pathTxt !== null) writeFileSync(join(pkg, 'path.txt'), pathTxt);
    if (binary && pathTxt) writeFileSync(join(pkg, 'dist', pathTxt), '');
    return dir;
  }

  it('reports the binary when path.txt names one that exists', async () => {
    const dir = fakeProject('electron', true);
    try {
      expect((await load()).electronRuntime({ env: {}, from: dir })).toEqual({ available: true, binary: join(dir, 'node_modules', 'electron', 'dist', 'electron') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says why not, without throwing, when the binary was never downloaded', async () => {
    const dir = fakeProject(null, false);
    try {
      const runtime = (await load()).electronRuntime({ env: { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, from: dir });
      expect(runtime.available).toBe(false);
      expect(runtime.available === false && runtime.reason).toMatch(/ELECTRON_SKIP_BINARY_DOWNLOAD/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says why not when path.txt names a missing binary, or when the package is absent', async () => {
    const dir = fakeProject('electron', false);
    const empty = mkdtempSync(join(tmpdir(), 'relais-no-electron-'));
    writeFileSync(join(empty, 'package.json'), '{}');
    try {
      const { electronRuntime } = await load();
      expect(electronRuntime({ env: {}, from: dir })).toMatchObject({ available: false, reason: expect.stringContaining('absent') });
      expect(electronRuntime({ env: {}, from: empty })).toMatchObject({ available: false, reason: expect.stringContaining('electron') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
