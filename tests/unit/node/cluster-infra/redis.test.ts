// tests/support/redis.ts: the real Redis the cluster tests run against starts, carries streams, restarts on its port
// and stops by PID.
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptsConnections, requireProgram } from '../../../support/childServer.js';
import { startRedis, type RunningRedis } from '../../../support/redis.js';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('startRedis', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const started = async (opts?: { port?: number }): Promise<RunningRedis> => {
    const redis = await startRedis(opts);
    cleanups.push(() => redis.stop());
    return redis;
  };
  const client = (url: string): Redis => {
    const c = new Redis(url, { maxRetriesPerRequest: null });
    cleanups.push(async () => c.disconnect());
    return c;
  };

  it('starts a server on a loopback port that answers PING, with its PID', async () => {
    const redis = await started();
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(isAlive(redis.pid)).toBe(true);
    expect(await client(redis.url).ping()).toBe('PONG');
    expect(await client(redis.url).config('GET', 'save')).toEqual(['save', '']);
  });

  it('carries a stream entry from XADD to a blocked XREAD', async () => {
    const redis = await started();
    const reader = client(redis.url);
    const writer = client(redis.url);
    const read = reader.xread('BLOCK', 5_000, 'STREAMS', 'relais:test', '$');
    // The blocked read is registered once the server lists the reader as blocked.
    await expect.poll(async () => /blocked_clients:1/.test(await writer.info('clients')), { timeout: 5_000, interval: 10 }).toBe(true);
    const id = await writer.xadd('relais:test', '*', 'frame', '{"type":"call.offer"}');
    const entries = await read;
    expect(entries).toEqual([['relais:test', [[id, ['frame', '{"type":"call.offer"}']]]]]);
  });

  it('restarts on the same port, empty, and a client reconnects by itself', async () => {
    const redis = await started();
    const c = client(redis.url);
    await c.set('relais:node', 'a');
    const { port, pid } = redis;
    const back = once(c, 'ready');
    await redis.restart();
    await back;
    expect(redis.port).toBe(port);
    expect(redis.pid).not.toBe(pid);
    expect(isAlive(pid)).toBe(false);
    expect(await c.ping()).toBe('PONG');
    expect(await c.get('relais:node')).toBeNull();
  });

  it('takes the port it is given', async () => {
    const first = await started();
    const port = first.port;
    await first.stop();
    const second = await started({ port });
    expect(second.port).toBe(port);
    expect(await client(second.url).ping()).toBe('PONG');
  });

  it('stops by PID and leaves the port free', async () => {
    const redis = await started();
    const { pid, port } = redis;
    await redis.stop();
    expect(isAlive(pid)).toBe(false);
    expect(await acceptsConnections(port)).toBe(false);
  });

  it('names the apt command when redis-server is missing', () => {
    expect(() => requireProgram('redis-server', 'redis-server', '/nonexistent')).toThrow(
      /apt-get install -y -o DPkg::Lock::Timeout=300 --no-install-recommends redis-server/,
    );
  });
});
