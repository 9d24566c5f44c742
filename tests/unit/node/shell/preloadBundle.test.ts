// The preload as Electron loads it: one CommonJS file, run where `require` knows only 'electron' (a sandboxed preload).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preloadBuild } from '../../../../build/vite.electron.config.js';
import { channelOf, VERB_NAMES } from '../../../../shared/contract/index.js';

const outDir = mkdtempSync(join(tmpdir(), 'relais-preload-'));
let source = '';

beforeAll(async () => {
  await build(preloadBuild(outDir));
  source = readFileSync(join(outDir, 'preload.cjs'), 'utf8');
}, 60_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function runSandboxed() {
  const exposed: Array<[string, Record<string, unknown>]> = [];
  const invoked: unknown[][] = [];
  const required: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => void exposed.push([key, api]) },
    ipcRenderer: { invoke: (...args: unknown[]) => Promise.resolve(void invoked.push(args)), on() {}, removeListener() {} },
  };
  const sandboxRequire = (name: string) => {
    required.push(name);
    if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
    return electron;
  };
  const context = createContext({ require: sandboxRequire, module: { exports: {} }, exports: {} });
  runInContext(source, context);
  return { exposed, invoked, required };
}

describe('preload bundle', () => {
  it('is one CommonJS file that requires only electron', () => {
    expect(runSandboxed().required).toEqual(['electron']);
    expect(source).not.toMatch(/\bimport\s*\(|^import\s/m);
  });

  it('exposes window.relais with every verb, each invoking its own channel', async () => {
    const { exposed, invoked } = runSandboxed();
    expect(exposed.map(([key]) => key)).toEqual(['relais']);
    const api = exposed[0]![1] as Record<string, Record<string, (input: unknown) => Promise<unknown>>>;
    await api.visits!.record!({ organisation: 'CAF', service: 'info' });
    expect(invoked).toEqual([[channelOf('visits.record'), { organisation: 'CAF', service: 'info' }]]);
    const members = Object.entries(api).flatMap(([group, value]) => (typeof value === 'object' ? Object.keys(value).map((m) => `${group}.${m}`) : []));
    expect(members).toHaveLength(VERB_NAMES.length);
  });
});
