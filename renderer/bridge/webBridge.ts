// The web shell's bridge: the same `RelaisApi` as Electron's preload, over HTTP calls and one event WebSocket.
import { apiPathOf, isEventName, VERB_NAMES, type EventName, type RelaisApi, type VerbName, type WireResult } from '../../shared/contract/index.js';

type Listener = (payload: unknown) => void;

export function createWebBridge(origin: string = window.location.origin): RelaisApi {
  const listeners = new Map<EventName, Set<Listener>>();
  let socket: WebSocket | null = null;
  let retryMs = 500;

  const connect = (): void => {
    const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/events`);
    socket = ws;
    ws.onmessage = (message) => {
      let frame: { name?: unknown; payload?: unknown };
      try {
        frame = JSON.parse(String(message.data)) as typeof frame;
      } catch {
        return;
      }
      if (!isEventName(frame.name)) return;
      for (const listener of listeners.get(frame.name) ?? []) listener(frame.payload);
    };
    ws.onopen = () => {
      retryMs = 500;
    };
    ws.onclose = () => {
      socket = null;
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 10_000);
    };
  };

  const call = async (verb: VerbName, input: unknown): Promise<WireResult<unknown>> => {
    try {
      const response = await fetch(`${origin}/api/${verb}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
      if (!response.ok) return { ok: false, error: { code: 'INTERNAL', message: `HTTP ${response.status}` } };
      return (await response.json()) as WireResult<unknown>;
    } catch (cause) {
      return { ok: false, error: { code: 'INTERNAL', message: (cause as Error).message, details: { network: 1 } } };
    }
  };

  const api: Record<string, unknown> = {
    on(event: EventName, listener: Listener): () => void {
      if (!isEventName(event)) throw new Error(`unknown event ${String(event)}`);
      if (!socket) connect();
      const set = listeners.get(event) ?? new Set<Listener>();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  };
  for (const verb of VERB_NAMES) {
    const [group, member] = apiPathOf(verb);
    const target = (api[group] ??= {}) as Record<string, unknown>;
    target[member] = (input: unknown) => call(verb, input);
  }
  return api as RelaisApi;
}
