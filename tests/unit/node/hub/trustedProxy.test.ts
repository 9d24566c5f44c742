// Agents' wrong passwords behind a load balancer the operator trusts (--trusted-proxy): counted per client from the
// handshake's X-Forwarded-For, so one office guessing does not lock out the next; without it, a forged header changes
// nothing.
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../../server/auth.js';
import { startHub, type RunningHub } from '../../../../server/hub.js';

const hubs: RunningHub[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  for (const h of hubs.splice(0)) await h.close();
});

/** One wrong password on a new socket whose handshake says X-Forwarded-For: the hub's answer's error code. */
async function wrongPassword(hub: RunningHub, forwardedFor: string): Promise<string> {
  const ws = new WebSocket(hub.url, { headers: { 'X-Forwarded-For': forwardedFor } });
  sockets.push(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const answer = new Promise<string>((resolve) =>
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; code?: string };
      if (frame.type === 'error') resolve(frame.code ?? '');
    }),
  );
  ws.send(JSON.stringify({ type: 'auth.agent', login: 'caf1', password: 'pas-le-bon' }));
  return answer;
}

async function hubWith(trustedProxies: string[]): Promise<RunningHub> {
  const hub = await startHub({ host: '127.0.0.1', port: 0, dbFile: ':memory:', trustedProxies, attemptLimits: { perLogin: 100, perAddress: 2, windowMs: 60_000 } });
  hubs.push(hub);
  hub.store.addAgent({ organisation: 'CAF', login: 'caf1', displayName: 'Agent', passwordHash: await hashPassword('le-bon-mot-de-passe') }, Date.now());
  return hub;
}

describe('wrong passwords through a trusted load balancer', () => {
  it('are limited per client named by X-Forwarded-For', async () => {
    const hub = await hubWith(['127.0.0.1']);
    expect(await wrongPassword(hub, '203.0.113.7')).toBe('AUTH_FAILED');
    expect(await wrongPassword(hub, '203.0.113.7')).toBe('AUTH_FAILED');
    expect(await wrongPassword(hub, '203.0.113.7')).toBe('AUTH_RATE_LIMITED');
    expect(await wrongPassword(hub, '203.0.113.8')).toBe('AUTH_FAILED');
  });

  it('are limited per peer when no proxy is trusted, whatever the header says', async () => {
    const hub = await hubWith([]);
    expect(await wrongPassword(hub, '203.0.113.1')).toBe('AUTH_FAILED');
    expect(await wrongPassword(hub, '203.0.113.2')).toBe('AUTH_FAILED');
    expect(await wrongPassword(hub, '203.0.113.3')).toBe('AUTH_RATE_LIMITED');
  });
});
