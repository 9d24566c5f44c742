// Resilience over real sockets: hub restart while a booth waits, agents vanishing mid-call, client reconnection.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../../server/auth.js';
import { startHub, type RunningHub } from '../../../../server/hub.js';
import { createHubStore, openHubDb } from '../../../../server/store.js';
import { HubClient, type ClientEvents, type WebSocketConstructor } from '../../../../shared/hubClient.js';
import { TUESDAY_10H, agent, booth, connect, waitFor, type RawClient } from './helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function hubWithAccounts(dataDir: string, port = 0, heartbeatMs = 30_000): Promise<RunningHub> {
  const hub = await startHub({ dataDir, port, clock: () => TUESDAY_10H, heartbeatMs });
  if (!hub.store.agentByLogin('caf1')) {
    hub.store.addAgent({ organisation: 'CAF', login: 'caf1', displayName: 'Agent CAF', passwordHash: await hashPassword('mdp') }, TUESDAY_10H);
  }
  return hub;
}

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'relais-hub-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The resume window of the manual clients: a delay no reconnection takes, so its timer is told from theirs. */
const RESUME_WINDOW_MS = 600_000;

/**
 * A client whose reconnection timer the test fires by hand, so the order of events is fixed; `resumeWindows`: the resume
 * windows armed and not yet cleared (a call interrupted and not yet resumed, ended or lost).
 */
function manualClient(url: string, credentials: ConstructorParameters<typeof HubClient>[0]['credentials']) {
  const timers: Array<() => void> = [];
  const resumeWindows = new Set<number>();
  let handles = 0;
  const client = new HubClient({
    url,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    credentials,
    resumeWindowMs: RESUME_WINDOW_MS,
    setTimer: (fn, ms) => {
      handles++;
      if (ms === RESUME_WINDOW_MS) resumeWindows.add(handles);
      else timers.push(fn);
      return handles;
    },
    clearTimer: (handle) => void resumeWindows.delete(handle as number),
  });
  const events: Array<{ name: keyof ClientEvents; event: unknown }> = [];
  for (const name of ['requeued', 'callInterrupted', 'callLost', 'status'] as const) client.onEvent(name, (event) => events.push({ name, event }));
  cleanups.push(() => client.stop());
  return { client, timers, resumeWindows, events };
}

/** The hub as its own process (`npm run hub`), so the test can kill it without warning. */
async function hubProcess(dir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', '--port', String(port), '--data-dir', dir], {
    env: { ...process.env, RELAIS_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  cleanups.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Hub prêt')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`hub exited ${code}: ${out}`)));
  });
  return child;
}

describe('hub resilience', () => {
  it('puts a waiting booth back in the queue after the hub process is killed (kill -9) and restarted', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const store = createHubStore(openHubDb(path.join(dir, 'hub.sqlite')));
    store.seedOrganisations([1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, from: '00:00', to: '23:59' })));
    const token = store.addBooth('Ydes', Date.now()).token;
    const agentId = store.addAgent({ organisation: 'CAF', login: 'caf1', displayName: 'Agent', passwordHash: 'unused' }, Date.now());
    const session = store.newSession(agentId, Date.now(), 3_600_000);
    store.db.close();
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as net.AddressInfo).port;
        probe.close(() => resolve(p));
      });
    });
    const url = `ws://127.0.0.1:${port}/hub`;
    const agentSocket = async (): Promise<RawClient> => {
      const c = await connect(url);
      c.send({ type: 'auth.session', session });
      await c.next('auth.ok');
      c.send({ type: 'agent.status', status: 'available' });
      cleanups.push(() => c.ws.terminate());
      return c;
    };

    let child = await hubProcess(dir, port);
    const { client, timers, events } = manualClient(url, { role: 'booth', token });
    let a = await agentSocket();
    client.start();
    await waitFor(() => client.status === 'ready', 10_000, 'booth ready');
    client.requestCall('CAF');
    await a.next('call.ringing', undefined, 10_000);
    child.kill('SIGKILL');
    await waitFor(() => timers.length > 0, 10_000, 'booth noticed the loss');

    child = await hubProcess(dir, port);
    a = await agentSocket();
    const position = client.next('queue.position', 10_000);
    timers.shift()!();
    expect((await position).organisation).toBe('CAF');
    expect(events.some((e) => e.name === 'requeued')).toBe(true);
    expect((await a.next('call.ringing', undefined, 10_000)).siteName).toBe('Ydes');
  });

  it('puts a waiting booth back in the queue after a hub restart', async () => {
    const dir = tempDir();
    let hub = await hubWithAccounts(dir);
    const port = hub.port;
    const { client, timers, events } = manualClient(hub.url, { role: 'booth', token: hub.store.addBooth('Allanche', TUESDAY_10H).token });
    let a: RawClient = await agent(hub.url, 'caf1', 'mdp');
    client.start();
    await waitFor(() => client.status === 'ready', 5_000, 'booth ready');
    client.requestCall('CAF');
    await a.next('call.ringing');
    const ended = client.next('call.ended');
    await hub.close();
    expect((await ended).reason).toBe('hub_restart');
    await waitFor(() => client.status === 'waiting_retry' && timers.length > 0, 5_000, 'retry scheduled');

    hub = await hubWithAccounts(dir, port);
    cleanups.push(() => hub.close());
    a = await agent(hub.url, 'caf1', 'mdp');
    cleanups.push(() => a.close());
    const position = client.next('queue.position');
    timers.shift()!();
    expect((await position).organisation).toBe('CAF');
    expect(events.some((e) => e.name === 'requeued')).toBe(true);
    const ring = await a.next('call.ringing');
    expect(ring.siteName).toBe('Allanche');
  });

  it('tells a booth clearly when, after a restart, no agent is there any more', async () => {
    const dir = tempDir();
    let hub = await hubWithAccounts(dir);
    const port = hub.port;
    const { client, timers } = manualClient(hub.url, { role: 'booth', token: hub.store.addBooth('Riom', TUESDAY_10H).token });
    const a = await agent(hub.url, 'caf1', 'mdp');
    client.start();
    await waitFor(() => client.status === 'ready');
    client.requestCall('CAF');
    await a.next('call.ringing');
    await hub.close();
    await waitFor(() => timers.length > 0);
    hub = await hubWithAccounts(dir, port);
    cleanups.push(() => hub.close());
    const unavailable = client.next('call.unavailable');
    timers.shift()!();
    expect(await unavailable).toMatchObject({ organisation: 'CAF', reason: 'no_agent' });
  });

  it('frees the booth with peer_lost when the agent socket drops mid-call', async () => {
    const hub = await hubWithAccounts(tempDir());
    cleanups.push(() => hub.close());
    const a = await agent(hub.url, 'caf1', 'mdp');
    const b = await booth(hub.url, hub.store.addBooth('Condat', TUESDAY_10H).token);
    cleanups.push(() => b.close());
    b.send({ type: 'call.request', organisation: 'CAF' });
    const ring = await a.next('call.ringing');
    a.send({ type: 'call.accept', callId: ring.callId });
    await b.next('call.accepted');
    a.ws.terminate();
    expect(await b.next('call.ended')).toEqual({ type: 'call.ended', callId: ring.callId, reason: 'peer_lost' });
    await waitFor(() => hub.store.calls().length === 1);
    expect(hub.store.calls()[0]).toMatchObject({ outcome: 'answered', reason: 'peer_lost', organisation: 'CAF' });
  });

  it('ends the call with peer_lost when the agent stops answering heartbeats (network lost)', async () => {
    const hub = await hubWithAccounts(tempDir(), 0, 100);
    cleanups.push(() => hub.close());
    const a = await agent(hub.url, 'caf1', 'mdp');
    const b = await booth(hub.url, hub.store.addBooth('Pleaux', TUESDAY_10H).token);
    cleanups.push(() => {
      b.close();
      a.ws.terminate();
    });
    b.send({ type: 'call.request', organisation: 'CAF' });
    const ring = await a.next('call.ringing');
    a.send({ type: 'call.accept', callId: ring.callId });
    await b.next('call.accepted');
    // The agent's machine goes silent: its socket stops reading, so no pong comes back.
    (a.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    expect((await b.next('call.ended', undefined, 3_000)).reason).toBe('peer_lost');
    expect(hub.stats().heartbeatDropped).toBeGreaterThanOrEqual(1);
  });

  it('reconnects an agent with its session and restores availability; the call the hub ended meanwhile is not resumed', async () => {
    const hub = await hubWithAccounts(tempDir());
    cleanups.push(() => hub.close());
    const { client, timers, resumeWindows, events } = manualClient(hub.url, { role: 'agent', login: 'caf1', password: 'mdp' });
    client.start();
    await waitFor(() => client.status === 'ready');
    client.setAvailability('available');
    const b = await booth(hub.url, hub.store.addBooth('Mauriac', TUESDAY_10H).token);
    cleanups.push(() => b.close());
    b.send({ type: 'call.request', organisation: 'CAF' });
    const ring = await client.next('call.ringing');
    client.accept(ring.callId);
    await client.next('call.accepted');
    const interrupted = new Promise<void>((resolve) => client.onEvent('callInterrupted', () => resolve()));
    (client as unknown as { ws: { close(): void } }).ws.close();
    await interrupted;
    // The one-machine hub ends a call when one side's socket drops: the booth is told at once.
    expect((await b.next('call.ended')).reason).toBe('peer_lost');
    await waitFor(() => timers.length > 0);
    const ok = client.next('auth.ok');
    const ended = client.next('call.ended', 5_000, (f) => f.callId === ring.callId);
    timers.shift()!();
    expect((await ok).session).toBe(client.session);
    // Asked to resume it, the hub answers that it is over: the console ends it from that frame, with no callLost besides.
    expect((await ended).reason).toBe('peer_lost');
    expect(client.callId).toBeNull();
    expect(resumeWindows.size).toBe(0);
    b.send({ type: 'call.request', organisation: 'CAF' });
    expect((await client.next('call.ringing')).siteName).toBe('Mauriac');
    expect(events.filter((e) => e.name === 'callInterrupted')).toHaveLength(1);
    expect(events.filter((e) => e.name === 'callLost')).toHaveLength(0);
  });
});
