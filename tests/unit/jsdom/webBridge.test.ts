// The web bridge offers the same named verbs as Electron's preload, and posts each call to its own verb URL.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VERB_NAMES, apiPathOf } from '../../../shared/contract/index.js';
import { createWebBridge } from '../../../renderer/bridge/webBridge.js';

afterEach(() => vi.unstubAllGlobals());

describe('web bridge', () => {
  it('has one function per verb of the contract, grouped like window.relais', () => {
    const api = createWebBridge('http://127.0.0.1:9') as unknown as Record<string, Record<string, unknown>>;
    for (const verb of VERB_NAMES) {
      const [group, member] = apiPathOf(verb);
      expect(typeof api[group]?.[member], verb).toBe('function');
    }
  });

  it('posts the input as JSON to /api/<verb> and returns the wire result', async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ ok: true, value: { done: true } }), { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    const api = createWebBridge('http://127.0.0.1:9');
    await expect(api.visits.delete({ id: 3 })).resolves.toEqual({ ok: true, value: { done: true } });
    expect(fetchMock).toHaveBeenCalledWith('http://127.0.0.1:9/api/visits.delete', expect.objectContaining({ method: 'POST', body: '{"id":3}' }));
  });

  it('turns a network failure into a result the screens can show, not an exception', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    const api = createWebBridge('http://127.0.0.1:9');
    const result = await api.app.info({});
    expect(result.ok).toBe(false);
  });

  it('refuses to subscribe to an event the contract does not name', () => {
    const api = createWebBridge('http://127.0.0.1:9');
    expect(() => api.on('fs.changed' as never, () => undefined)).toThrow(/unknown event/);
  });
});
