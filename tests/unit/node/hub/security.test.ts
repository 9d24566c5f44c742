// Security of the hub over real sockets on 127.0.0.1: roles, organisations, pairs, revocation, password attempts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../../server/auth.js';
import { startHub, type RunningHub } from '../../../../server/hub.js';
import { createHubStore, openHubDb } from '../../../../server/store.js';
import { handshakeProtocols } from '../../../../shared/protocol.js';
import { TUESDAY_10H, agent, booth, connect, waitFor, type RawClient } from './helpers.js';

let hub: RunningHub;
let now = TUESDAY_10H;
const open: RawClient[] = [];
let boothToken = '';
let boothToken2 = '';
const track = <T extends RawClient>(c: T): T => {
  open.push(c);
  return c;
};

beforeEach(async () => {
  now = TUESDAY_10H;
  hub = await startHub({ dbFile: ':memory:', clock: () => now, revocationPollMs: 50, attemptLimits: { perLogin: 3, perAddress: 10, windowMs: 60_000 } });
  const hash = await hashPassword('bon-mot-de-passe');
  hub.store.addAgent({ organisation: 'CAF', login: 'caf1', displayName: 'Agent CAF 1', passwordHash: hash }, now);
  hub.store.addAgent({ organisation: 'CAF', login: 'caf2', displayName: 'Agent CAF 2', passwordHash: hash }, now);
  hub.store.addAgent({ organisation: 'CPAM', login: 'cpam1', displayName: 'Agent CPAM', passwordHash: hash }, now);
  boothToken = hub.store.addBooth('Saint-Flour', now).token;
  boothToken2 = hub.store.addBooth('Murat', now).token;
});

afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await hub.close();
});

async function pairedCall(): Promise<{ b: RawClient; a: RawClient; callId: string }> {
  const a = track(await agent(hub.url, 'caf1', 'bon-mot-de-passe'));
  const b = track(await booth(hub.url, boothToken));
  b.send({ type: 'call.request', organisation: 'CAF' });
  const ring = await a.next('call.ringing');
  a.send({ type: 'call.accept', callId: ring.callId });
  await b.next('call.accepted');
  await a.next('call.accepted');
  return { a, b, callId: ring.callId };
}

describe('hub security', () => {
  it('refuses every action before authentication', async () => {
    const c = track(await connect(hub.url));
    expect((await c.next('hello')).demo).toBe(false);
    c.send({ type: 'call.request', organisation: 'CAF' });
    expect((await c.next('error')).code).toBe('NOT_AUTHENTICATED');
    c.send({ type: 'signal', callId: 'x', data: {} });
    expect((await c.next('error')).code).toBe('NOT_AUTHENTICATED');
  });

  it('does not let a booth act as an agent', async () => {
    const b = track(await booth(hub.url, boothToken));
    for (const f of [{ type: 'agent.status', status: 'available' }, { type: 'call.accept', callId: 'x' }, { type: 'call.decline', callId: 'x' }]) {
      b.send(f);
      expect((await b.next('error')).code).toBe('FORBIDDEN');
    }
    b.send({ type: 'auth.agent', login: 'caf1', password: 'bon-mot-de-passe' });
    expect((await b.next('error')).code).toBe('ALREADY_AUTHENTICATED');
  });

  it('does not let an agent place a call as a booth', async () => {
    const a = track(await agent(hub.url, 'caf1', 'bon-mot-de-passe'));
    a.send({ type: 'call.request', organisation: 'CAF' });
    expect((await a.next('error')).code).toBe('FORBIDDEN');
  });

  it('does not show or give a call to an agent of another organisation', async () => {
    const cpam = track(await agent(hub.url, 'cpam1', 'bon-mot-de-passe'));
    const caf2 = track(await agent(hub.url, 'caf2', 'bon-mot-de-passe'));
    const b2 = track(await booth(hub.url, boothToken2));
    b2.send({ type: 'call.request', organisation: 'CAF' });
    const ring = await caf2.next('call.ringing');
    cpam.send({ type: 'call.accept', callId: ring.callId });
    expect((await cpam.next('error')).code).toBe('UNKNOWN_CALL');
    expect(cpam.frames.some((f) => f.type === 'call.ringing' || f.type === 'queue.summary')).toBe(false);
  });

  it('relays signals within the pair only, and refuses injection from outsiders', async () => {
    const { a, b, callId } = await pairedCall();
    b.send({ type: 'signal', callId, data: { type: 'offer', sdp: 'v=0' } });
    expect((await a.next('signal')).data).toEqual({ type: 'offer', sdp: 'v=0' });
    a.send({ type: 'signal', callId, data: { type: 'answer', sdp: 'v=0' } });
    expect((await b.next('signal')).data).toEqual({ type: 'answer', sdp: 'v=0' });

    const intruder = track(await agent(hub.url, 'caf2', 'bon-mot-de-passe'));
    const otherBooth = track(await booth(hub.url, boothToken2));
    for (const c of [intruder, otherBooth]) {
      c.send({ type: 'signal', callId, data: { candidate: 'evil' } });
      expect((await c.next('error')).code).toBe('NOT_IN_CALL');
      c.send({ type: 'call.hangup', callId });
      expect(['NOT_IN_CALL', 'UNKNOWN_CALL']).toContain((await c.next('error')).code);
    }
    // A marker sent after the injections arrives first: nothing was relayed from the intruders.
    b.send({ type: 'signal', callId, data: { marker: 1 } });
    await a.next('signal', (s) => s.data.marker === 1);
    expect(a.frames.filter((f) => f.type === 'signal')).toHaveLength(2);
    expect(hub.stats().relayed).toBe(3);
  });

  it('signs a booth or a session in from the handshake, answers with its subprotocol only, and refuses what it refuses in frames', async () => {
    const b = track(await connect(hub.url, handshakeProtocols({ booth: boothToken })));
    expect(b.ws.protocol).toBe('relais');
    expect((await b.next('auth.ok')).role).toBe('booth');
    // The hello, then the sign-in's answers, without a frame from the booth.
    await b.next('presence');
    expect(b.frames.slice(0, 4).map((f) => f.type)).toEqual(['hello', 'ice.servers', 'auth.ok', 'presence']);
    b.send({ type: 'auth.booth', token: boothToken });
    expect((await b.next('error')).code).toBe('ALREADY_AUTHENTICATED');
    b.send({ type: 'call.request', organisation: 'CAF' });
    expect(['queue.position', 'call.unavailable']).toContain((await b.nextOf(['queue.position', 'call.unavailable'])).type);

    const wrong = track(await connect(hub.url, handshakeProtocols({ booth: 'rb_pas-un-jeton' })));
    expect((await wrong.next('error')).code).toBe('AUTH_FAILED');
    wrong.send({ type: 'call.request', organisation: 'CAF' });
    expect((await wrong.next('error')).code).toBe('NOT_AUTHENTICATED');

    const a = track(await agent(hub.url, 'caf1', 'bon-mot-de-passe'));
    const session = (a.frames.find((f) => f.type === 'auth.ok') as { session: string }).session;
    a.close();
    const again = track(await connect(hub.url, handshakeProtocols({ session })));
    expect(await again.next('auth.ok')).toMatchObject({ role: 'agent', organisation: 'CAF' });

    hub.revokeBooth(hub.store.listBooths().find((x) => x.name === 'Murat')!.id);
    const revoked = track(await connect(hub.url, handshakeProtocols({ booth: boothToken2 })));
    expect((await revoked.next('error')).code).toBe('REVOKED');
    expect((await revoked.closed).code).toBe(4003);
  });

  it('refuses a revoked booth token and closes the live socket of a revoked booth', async () => {
    const b = track(await booth(hub.url, boothToken));
    const id = hub.store.listBooths().find((x) => x.name === 'Saint-Flour')!.id;
    hub.revokeBooth(id);
    expect((await b.next('error')).code).toBe('REVOKED');
    expect((await b.closed).code).toBe(4003);
    const again = track(await connect(hub.url));
    again.send({ type: 'auth.booth', token: boothToken });
    expect((await again.next('error')).code).toBe('REVOKED');
  });

  it('signs in a booth known at start, and refuses it once revoked by another process (the CLI) from the next check', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'relais-hub-'));
    const file = path.join(dir, 'hub.sqlite');
    // The hub reads the booths of its database once at start (a sign-in then costs no database read).
    const seed = createHubStore(openHubDb(file));
    const { id, token } = seed.addBooth('Riom-ès-Montagnes', now);
    seed.db.close();
    const fileHub = await startHub({ dbFile: file, clock: () => now, revocationPollMs: 50 });
    try {
      const b = track(await connect(fileHub.url, handshakeProtocols({ booth: token })));
      expect(await b.next('auth.ok')).toMatchObject({ role: 'booth', name: 'Riom-ès-Montagnes' });
      // As `npm run hub -- booth revoke` does: its own connection to the file.
      const cli = createHubStore(openHubDb(file));
      cli.revokeBooth(id, now);
      cli.db.close();
      expect((await b.next('error', undefined, 3_000)).code).toBe('REVOKED');
      expect((await b.closed).code).toBe(4003);
      const again = track(await connect(fileHub.url, handshakeProtocols({ booth: token })));
      expect((await again.next('error')).code).toBe('REVOKED');
      expect(again.frames.map((f) => f.type)).toEqual(['hello', 'error']);
      // A booth added from the CLI while the hub runs signs in.
      const added = createHubStore(openHubDb(file));
      const later = added.addBooth('Allanche', now);
      added.db.close();
      const c = track(await connect(fileHub.url, handshakeProtocols({ booth: later.token })));
      expect(await c.next('auth.ok')).toMatchObject({ role: 'booth', name: 'Allanche' });
    } finally {
      for (const c of open.splice(0)) c.close();
      await fileHub.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('closes the socket of an agent revoked by another process (the CLI) and refuses their session', async () => {
    const a = track(await connect(hub.url));
    a.send({ type: 'auth.agent', login: 'caf1', password: 'bon-mot-de-passe' });
    const ok = await a.next('auth.ok');
    expect(ok.session).toMatch(/^rs_/);
    const id = hub.store.agentByLogin('caf1')!.id;
    // As `npm run hub -- agent revoke` does: straight into the database.
    hub.store.revokeAgent(id, now);
    expect((await a.next('error', undefined, 3_000)).code).toBe('REVOKED');
    const s = track(await connect(hub.url));
    s.send({ type: 'auth.session', session: ok.session });
    expect((await s.next('error')).code).toBe('AUTH_FAILED');
  });

  it('refuses a revoked session token', async () => {
    const a = track(await connect(hub.url));
    a.send({ type: 'auth.agent', login: 'caf2', password: 'bon-mot-de-passe' });
    const { session } = await a.next('auth.ok');
    hub.revokeSession(session!);
    expect((await a.next('error')).code).toBe('REVOKED');
    const s = track(await connect(hub.url));
    s.send({ type: 'auth.session', session });
    expect((await s.next('error')).code).toBe('AUTH_FAILED');
  });

  it('rate-limits wrong passwords per login, even the right one afterwards, until the window passes', async () => {
    const c = track(await connect(hub.url));
    for (let i = 0; i < 3; i++) {
      c.send({ type: 'auth.agent', login: 'caf1', password: `faux-${i}` });
      expect((await c.next('error')).code).toBe('AUTH_FAILED');
    }
    c.send({ type: 'auth.agent', login: 'caf1', password: 'bon-mot-de-passe' });
    const limited = await c.next('error');
    expect(limited.code).toBe('AUTH_RATE_LIMITED');
    expect(limited.retryAfterMs).toBeGreaterThan(0);
    now += 60_001;
    c.send({ type: 'auth.agent', login: 'caf1', password: 'bon-mot-de-passe' });
    expect((await c.next('auth.ok')).name).toBe('Agent CAF 1');
  });

  it('rate-limits wrong passwords per address across logins', async () => {
    const c = track(await connect(hub.url));
    for (let i = 0; i < 10; i++) {
      c.send({ type: 'auth.agent', login: `inconnu-${i}`, password: 'x' });
      expect((await c.next('error')).code).toBe('AUTH_FAILED');
    }
    c.send({ type: 'auth.agent', login: 'cpam1', password: 'bon-mot-de-passe' });
    expect((await c.next('error')).code).toBe('AUTH_RATE_LIMITED');
  });

  it('caps parallel password checks from one address, so scrypt cannot be flooded', async () => {
    const sockets = await Promise.all(Array.from({ length: 8 }, async () => track(await connect(hub.url))));
    for (const c of sockets) c.send({ type: 'auth.agent', login: 'caf2', password: 'bon-mot-de-passe' });
    const answers = await Promise.all(sockets.map((c) => c.nextOf(['auth.ok', 'error'])));
    const limited = answers.filter((a) => a.type === 'error' && a.code === 'AUTH_RATE_LIMITED').length;
    expect(limited).toBeGreaterThanOrEqual(4);
    expect(answers.filter((a) => a.type === 'auth.ok').length).toBeGreaterThanOrEqual(1);
  });

  it('limits the frames per socket and answers the excess with a RATE_LIMITED error', async () => {
    const b = track(await booth(hub.url, boothToken));
    for (let i = 0; i < 400; i++) b.send({ type: 'ping', t: i });
    await b.next('error', (e) => e.code === 'RATE_LIMITED');
    await waitFor(() => (hub.stats().byError.RATE_LIMITED ?? 0) > 0);
    expect(b.frames.filter((f) => f.type === 'pong').length).toBeLessThan(400);
  });

  it('refuses a frame above the size limit with an error frame and stays usable', async () => {
    const b = track(await booth(hub.url, boothToken));
    b.send({ type: 'signal', callId: 'x', data: { sdp: 'x'.repeat(70_000) } });
    expect((await b.next('error')).code).toBe('TOO_LARGE');
    b.send({ type: 'ping', t: 7 });
    expect((await b.next('pong')).t).toBe(7);
  });

  it('replaces the older socket when the same booth connects twice', async () => {
    const first = track(await booth(hub.url, boothToken));
    track(await booth(hub.url, boothToken));
    expect((await first.next('error')).code).toBe('REPLACED');
    expect((await first.closed).code).toBe(4001);
  });
});
