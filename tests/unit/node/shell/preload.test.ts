import { describe, expect, it, vi } from 'vitest';
import { apiPathOf, channelOf, EVENT_CHANNEL, VERB_NAMES, type AuthState } from '../../../../shared/contract/index.js';
import { buildRelaisApi, exposeRelaisApi, type ContextBridgeSurface, type IpcRendererSurface } from '../../../../electron/shell/preloadApi.js';
import { FakeEmitter } from './fakes.js';

class FakeIpcRenderer extends FakeEmitter {
  readonly invoke = vi.fn((channel: string, ...args: unknown[]) => Promise.resolve({ ok: true, value: { channel, args } }));
  removeListener(event: string, listener: (...args: unknown[]) => unknown): this {
    this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== listener));
    return this;
  }
}

const asIpcRenderer = (fake: FakeIpcRenderer): IpcRendererSurface => fake as unknown as IpcRendererSurface;
const locked: AuthState = { unlocked: false, mediator: null, failures: 0, lockedUntil: null };

describe('preload api', () => {
  it('exposes only `relais`, built from the contract, through the context bridge', () => {
    const exposed: Array<[string, unknown]> = [];
    const bridge: ContextBridgeSurface = { exposeInMainWorld: (key, api) => void exposed.push([key, api]) };
    exposeRelaisApi(bridge, asIpcRenderer(new FakeIpcRenderer()));
    expect(exposed.map(([key]) => key)).toEqual(['relais']);
  });

  it('has one function per verb at its group and member, plus `on`, and nothing else', () => {
    const api = buildRelaisApi(asIpcRenderer(new FakeIpcRenderer())) as unknown as Record<string, Record<string, unknown>>;
    const expected = new Map<string, string[]>();
    for (const verb of VERB_NAMES) {
      const [group, member] = apiPathOf(verb);
      expected.set(group, [...(expected.get(group) ?? []), member]);
    }
    expect(Object.keys(api).sort()).toEqual(['on', ...expected.keys()].sort());
    for (const [group, members] of expected) {
      expect(Object.keys(api[group]!).sort()).toEqual([...members].sort());
      for (const member of members) expect(typeof api[group]![member]).toBe('function');
    }
    expect(api).not.toHaveProperty('ipcRenderer');
    expect(api).not.toHaveProperty('invoke');
  });

  it('invokes the verb’s own channel with the input only', async () => {
    const ipc = new FakeIpcRenderer();
    const api = buildRelaisApi(asIpcRenderer(ipc));
    await api.visits.listDay({ day: '2026-11-28' });
    await api.auth.unlock({ pin: '1234' });
    expect(ipc.invoke.mock.calls).toEqual([
      [channelOf('visits.listDay'), { day: '2026-11-28' }],
      [channelOf('auth.unlock'), { pin: '1234' }],
    ]);
  });

  it('is frozen, so the page cannot swap a verb for another channel', () => {
    const api = buildRelaisApi(asIpcRenderer(new FakeIpcRenderer()));
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.isFrozen(api.visits)).toBe(true);
  });

  it('refuses to subscribe to an event outside the contract', () => {
    const ipc = new FakeIpcRenderer();
    const api = buildRelaisApi(asIpcRenderer(ipc));
    const on = api.on as (event: string, listener: (payload: unknown) => void) => () => void;
    expect(() => on('shell.exec', () => {})).toThrow(/Unknown event/);
    expect(() => on(EVENT_CHANNEL, () => {})).toThrow(/Unknown event/);
    expect(ipc.count(EVENT_CHANNEL)).toBe(0);
  });

  it('gives the listener the payload of its own event only, never the IpcRendererEvent', () => {
    const ipc = new FakeIpcRenderer();
    const api = buildRelaisApi(asIpcRenderer(ipc));
    const listener = vi.fn();
    api.on('auth.changed', listener);
    const ipcEvent = { sender: ipc, senderId: 0, ports: [] };
    ipc.emit(EVENT_CHANNEL, ipcEvent, { name: 'help.changed', payload: { pending: true } });
    ipc.emit(EVENT_CHANNEL, ipcEvent, { name: 'auth.changed', payload: locked });
    ipc.emit(EVENT_CHANNEL, ipcEvent, null);
    expect(listener.mock.calls).toEqual([[locked]]);
  });

  it('stops calling the listener once unsubscribed', () => {
    const ipc = new FakeIpcRenderer();
    const api = buildRelaisApi(asIpcRenderer(ipc));
    const listener = vi.fn();
    const off = api.on('settings.changed', listener);
    off();
    ipc.emit(EVENT_CHANNEL, {}, { name: 'settings.changed', payload: { at: 1 } });
    expect(listener).not.toHaveBeenCalled();
    expect(ipc.count(EVENT_CHANNEL)).toBe(0);
  });
});
