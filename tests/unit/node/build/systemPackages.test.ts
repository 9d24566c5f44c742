// The system package list is written once (build/system-packages.txt): each line well formed, and the three programs
// that install or check packages read it instead of naming packages themselves.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const entries = read('build/system-packages.txt')
  .split('\n')
  .map((line) => line.replace(/#.*/, '').trim())
  .filter((line) => line !== '')
  .map((line) => {
    const [name, file, ...groups] = line.split(/\s+/);
    return { name: name ?? '', file: file ?? '', groups };
  });

describe('build/system-packages.txt', () => {
  it('gives each package a Debian name, an absolute file it installs and known groups', () => {
    expect(entries.length).toBeGreaterThan(0);
    for (const { name, file, groups } of entries) {
      expect(name).toMatch(/^[a-z0-9][a-z0-9.+-]+$/);
      expect(file.startsWith('/')).toBe(true);
      expect(groups.length).toBeGreaterThan(0);
      for (const group of groups) expect(['test', 'cups']).toContain(group);
    }
    expect(new Set(entries.map((e) => e.name)).size).toBe(entries.length);
  });

  it('puts the printing stack in the cups group, and every cups package in the test group too', () => {
    const cups = entries.filter((e) => e.groups.includes('cups')).map((e) => e.name);
    // qpdf: the kiosk decrypts forms that have an owner password only.
    expect(cups).toEqual(['cups', 'cups-client', 'printer-driver-cups-pdf', 'cups-ipp-utils', 'qpdf']);
    for (const e of entries.filter((x) => x.groups.includes('cups'))) expect(e.groups).toContain('test');
  });

  it.each(['.ci/run', 'build/scripts/system-deps.mjs', 'build/scripts/cups-setup.sh'])('is read by %s, which names no package itself', (file) => {
    const text = read(file);
    expect(text).toContain('system-packages.txt');
    // `cups` is also a group's name, which cups-setup.sh reads: it is left out of this check.
    for (const { name } of entries.filter((e) => e.name !== 'cups')) expect(text).not.toMatch(new RegExp(`['"\\s(]${name.replace(/[.+]/g, '\\$&')}['"\\s)]`));
  });
});
