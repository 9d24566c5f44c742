// The booth's kept hub connection: one client across calls, a failed look-up asked again, a refused client replaced.
import { describe, expect, it } from 'vitest';
import { createBoothHubLink } from '../../../../renderer/kiosk/visio/hubLink.js';
import { FakeHub } from './fakes.js';

function setup(connection: () => Promise<{ url: string; token: string }> = async () => ({ url: 'ws://127.0.0.1:1/hub', token: 'tok' })) {
  const hubs: FakeHub[] = [];
  let asked = 0;
  const link = createBoothHubLink({
    hubConnection: () => {
      asked++;
      return connection();
    },
    createHub: () => {
      const h = new FakeHub();
      hubs.push(h);
      return h;
    },
  });
  return { link, hubs, asked: () => asked };
}

describe('booth hub link', () => {
  it('warm connects before any call; every call then gets the same started client', async () => {
    const t = setup();
    t.link.warm();
    const first = await t.link.acquire();
    const second = await t.link.acquire();
    expect(t.hubs).toHaveLength(1);
    expect(first).toBe(t.hubs[0]);
    expect(second).toBe(first);
    expect(t.hubs[0]!.started).toBe(true);
    expect(t.asked()).toBe(1);
  });

  it('a failed hub.connection gives null and is asked again at the next call', async () => {
    let fail = true;
    const t = setup(async () => {
      if (fail) throw new Error('HUB_UNAVAILABLE');
      return { url: 'ws://x', token: 't' };
    });
    expect(await t.link.acquire()).toBeNull();
    fail = false;
    expect(await t.link.acquire()).toBe(t.hubs[0]);
    expect(t.asked()).toBe(2);
  });

  it('close stops the client; a refused client is replaced by a new one with a fresh look-up', async () => {
    const t = setup();
    const a = (await t.link.acquire()) as FakeHub;
    t.link.close();
    expect(a.stopped).toBe(true);
    const b = (await t.link.acquire()) as FakeHub;
    expect(b).not.toBe(a);
    b.event('status', { status: 'refused', attempt: 0 });
    const c = await t.link.acquire();
    expect(c).not.toBe(b);
    expect(t.asked()).toBe(3);
  });

  it('closed while the look-up is answering: no client is created', async () => {
    let answer: (v: { url: string; token: string }) => void = () => undefined;
    const t = setup(() => new Promise((r) => (answer = r)));
    const pending = t.link.acquire();
    t.link.close();
    answer({ url: 'ws://x', token: 't' });
    expect(await pending).toBeNull();
    expect(t.hubs).toHaveLength(0);
  });
});
