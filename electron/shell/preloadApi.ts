// Builds `window.relais` from the contract: one named function per verb and `on` for the contract's events.
// Runs in the sandboxed preload: it may import only 'electron' (as types here) and code bundled with it.
import type { ContextBridge, IpcRenderer, IpcRendererEvent } from 'electron';
import { channelOf, EVENT_CHANNEL, isEventName, VERB_NAMES, apiPathOf, type RelaisApi } from '../../shared/contract/index.js';

export type IpcRendererSurface = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;
export type ContextBridgeSurface = Pick<ContextBridge, 'exposeInMainWorld'>;

export const API_KEY = 'relais';

export function buildRelaisApi(ipcRenderer: IpcRendererSurface): RelaisApi {
  const groups: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {};
  for (const verbName of VERB_NAMES) {
    const [group, member] = apiPathOf(verbName);
    const channel = channelOf(verbName);
    groups[group] ??= {};
    // Only the input crosses; the IPC channel is fixed here, never chosen by the page.
    groups[group][member] = (input: unknown) => ipcRenderer.invoke(channel, input);
  }

  const on = (eventName: unknown, listener: unknown): (() => void) => {
    if (!isEventName(eventName)) throw new TypeError(`Unknown event: ${String(eventName).slice(0, 60)}`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    const relay = (_event: IpcRendererEvent, message: unknown): void => {
      if (typeof message !== 'object' || message === null) return;
      const { name, payload } = message as { name?: unknown; payload?: unknown };
      if (name === eventName) (listener as (payload: unknown) => void)(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, relay);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, relay);
    };
  };

  const api: Record<string, unknown> = { on };
  for (const [group, members] of Object.entries(groups)) api[group] = Object.freeze(members);
  return Object.freeze(api) as unknown as RelaisApi;
}

export function exposeRelaisApi(contextBridge: ContextBridgeSurface, ipcRenderer: IpcRendererSurface): void {
  contextBridge.exposeInMainWorld(API_KEY, buildRelaisApi(ipcRenderer));
}
