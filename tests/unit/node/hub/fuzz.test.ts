// Fuzz: 100,000+ random and malformed frames against a running hub; it stays up, bounded, and still places a call.
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../../../server/auth.js';
import { startHub } from '../../../../server/hub.js';
import { mulberry32 } from '../../../security/support/loopback.js';
import { TUESDAY_10H, connect, waitFor, type RawClient } from './helpers.js';

const KINDS = ['auth.booth', 'auth.agent', 'auth.session', 'agent.status', 'presence.get', 'call.request', 'call.cancel', 'call.accept', 'call.decline', 'call.hangup', 'call.resume', 'signal', 'ping'];

function randomValue(r: () => number, depth = 0): unknown {
  const k = Math.floor(r() * (depth > 2 ? 6 : 9));
  switch (k) {
    case 0: return null;
    case 1: return r() < 0.5;
    case 2: return Math.floor(r() * 2 ** 53) * (r() < 0.5 ? -1 : 1);
    case 3: return r() * 1e308;
    case 4: return 'x'.repeat(Math.floor(r() * 80));
    case 5: return String.fromCharCode(...Array.from({ length: 8 }, () => Math.floor(r() * 0xffff)));
    case 6: return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    case 7: return Object.fromEntries(Array.from({ length: Math.floor(r() * 4) }, (_, i) => [`k${i}`, randomValue(r, depth + 1)]));
    default: return { __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } };
  }
}

function fuzzFrame(r: () => number, callIds: string[]): string | Buffer {
  const pick = r();
  const kind = KINDS[Math.floor(r() * KINDS.length)]!;
  if (pick < 0.15) return '{"type":"signal","callId":' + '{'.repeat(Math.floor(r() * 50)); // bad JSON
  if (pick < 0.17) return '{"a":' + '['.repeat(1_000 + Math.floor(r() * 30_000)) + ']}'; // deep nesting
  if (pick < 0.22) return Buffer.from([0xff, 0x00, Math.floor(r() * 255)]); // binary
  if (pick < 0.25) return Buffer.from([0x7b, 0xc3, 0x28, 0x7d]).toString('latin1'); // odd encodings
  if (pick < 0.252) return JSON.stringify({ type: 'signal', callId: callIds[0] ?? 'c', data: { sdp: 'x'.repeat(65_000 + Math.floor(r() * 100_000)) } }); // huge
  if (pick < 0.35) return JSON.stringify({ type: `x.${Math.floor(r() * 1e6)}`, payload: randomValue(r) }); // unknown kinds
  if (pick < 0.6) return JSON.stringify({ type: kind, callId: randomValue(r), organisation: randomValue(r), status: randomValue(r), data: randomValue(r) }); // wrong types
  if (pick < 0.65) return JSON.stringify(randomValue(r));
  // Valid kinds out of order (accepting calls never rung, hanging up nothing, signalling strangers, re-authenticating).
  const callId = callIds.length > 0 && r() < 0.5 ? callIds[Math.floor(r() * callIds.length)]! : `call-${Math.floor(r() * 1000)}`;
  const valid: Record<string, unknown> = {
    'auth.booth': { type: 'auth.booth', token: `rb_${Math.floor(r() * 1e9)}` },
    'auth.agent': { type: 'auth.agent', login: 'nobody', password: 'x' },
    'auth.session': { type: 'auth.session', session: `rs_${Math.floor(r() * 1e9)}` },
    'agent.status': { type: 'agent.status', status: r() < 0.5 ? 'available' : 'away' },
    'presence.get': { type: 'presence.get' },
    'call.request': { type: 'call.request', organisation: r() < 0.5 ? 'CAF' : 'ZZZ' },
    'call.cancel': { type: 'call.cancel' },
    'call.accept': { type: 'call.accept', callId },
    'call.decline': { type: 'call.decline', callId },
    'call.hangup': { type: 'call.hangup', callId },
    'call.resume': { type: 'call.resume', callId, organisation: r() < 0.5 ? 'CAF' : 'ZZZ' },
    signal: { type: 'signal', callId, data: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' } },
    ping: { type: 'ping', t: r() },
  };
  return JSON.stringify(valid[kind]);
}

const FRAMES = 100_000;

describe('hub fuzz', () => {
  it(`survives ${FRAMES} random and malformed frames, keeps its memory bounded, then places a normal call`, { timeout: 60_000 }, async () => {
    const seed = Number(process.env.FUZZ_SEED ?? 20261128);
    const r = mulberry32(seed);
    const t0 = Date.now();
    const clock = (): number => TUESDAY_10H + (Date.now() - t0);
    const hub = await startHub({
      dbFile: ':memory:',
      clock,
      // Every frame must reach the parser (the frame rate limiter is tested elsewhere); wrong passwords stay limited.
      rateLimit: { perSecond: 1e9, burst: 1e9 },
      attemptLimits: { perLogin: 5, perAddress: 20, windowMs: 1_000 },
    });
    try {
      const agentId = hub.store.addAgent({ organisation: 'CAF', login: 'caf1', displayName: 'Agent', passwordHash: await hashPassword('mdp') }, TUESDAY_10H);
      const session = hub.store.newSession(agentId, clock(), 3_600_000);
      const agentBySession = async (): Promise<RawClient> => {
        const c = await connect(hub.url);
        c.send({ type: 'auth.session', session });
        await c.next('auth.ok');
        c.send({ type: 'agent.status', status: 'available' });
        return c;
      };
      /** Random booth tokens tried by the fuzzer count against 127.0.0.1: wait for the window to pass. */
      const boothWhenAllowed = async (token: string): Promise<RawClient> => {
        const c = await connect(hub.url);
        for (;;) {
          c.send({ type: 'auth.booth', token });
          const answer = await c.nextOf(['auth.ok', 'error']);
          if (answer.type === 'auth.ok') return c;
          expect(answer.code).toBe('AUTH_RATE_LIMITED');
          await new Promise((resolve) => setTimeout(resolve, answer.type === 'error' ? (answer.retryAfterMs ?? 100) : 0));
        }
      };
      const tokens = [hub.store.addBooth('Fuzz 1', TUESDAY_10H).token, hub.store.addBooth('Fuzz 2', TUESDAY_10H).token];
      const callIds: string[] = [];
      const rssBefore = process.memoryUsage().rss;
      let maxRss = rssBefore;
      let sent = 0;
      let reopened = 0;

      const makeFuzzers = async (): Promise<RawClient[]> => [
        await connect(hub.url),
        await boothWhenAllowed(tokens[0]!),
        await agentBySession(),
      ];
      let fuzzers = await makeFuzzers();
      while (sent < FRAMES) {
        for (let i = 0; i < 500; i++) {
          const c = fuzzers[sent % fuzzers.length]!;
          if (c.ws.readyState !== c.ws.OPEN) continue;
          c.sendText(fuzzFrame(r, callIds));
          sent++;
        }
        // Back-pressure: each open fuzzer answers a ping before the next batch, and nothing accumulates client-side.
        for (const c of fuzzers) {
          if (c.ws.readyState !== c.ws.OPEN) continue;
          const t = sent + Math.random();
          c.send({ type: 'ping', t });
          await c.next('pong', (p) => p.t === t, 10_000).catch(() => undefined);
          c.frames.length = 0;
        }
        // A socket closed by the hub (over the hard payload limit, or replaced) is replaced by a fresh one.
        if (fuzzers.some((c) => c.ws.readyState !== c.ws.OPEN)) {
          for (const c of fuzzers) c.ws.terminate();
          fuzzers = await makeFuzzers();
          reopened++;
        }
        maxRss = Math.max(maxRss, process.memoryUsage().rss);
      }
      for (const c of fuzzers) c.close();

      const stats = hub.stats();
      console.log(`fuzz seed ${seed}: ${sent} frames, ${stats.badFrames} counted bad, ${reopened} socket sets reopened, rss ${Math.round(rssBefore / 1e6)} → max ${Math.round(maxRss / 1e6)} MB`);
      expect(sent).toBeGreaterThanOrEqual(FRAMES);
      expect(stats.framesIn).toBeGreaterThanOrEqual(FRAMES * 0.95);
      expect(stats.badFrames).toBeGreaterThan(FRAMES * 0.3);
      expect(maxRss - rssBefore).toBeLessThan(300 * 1024 * 1024);

      // A normal call still works afterwards.
      const a = await agentBySession();
      const b = await boothWhenAllowed(tokens[1]!);
      // Its answer to presence.get comes after its availability was applied (frames of one socket are in order).
      a.send({ type: 'presence.get' });
      await a.next('presence', (p) => p.organisations.some((o) => o.code === 'CAF' && o.agentsAvailable > 0));
      b.send({ type: 'call.request', organisation: 'CAF' });
      const ring = await a.next('call.ringing');
      a.send({ type: 'call.accept', callId: ring.callId });
      await b.next('call.accepted');
      b.send({ type: 'signal', callId: ring.callId, data: { type: 'offer', sdp: 'v=0' } });
      expect((await a.next('signal')).data.type).toBe('offer');
      b.send({ type: 'call.hangup', callId: ring.callId });
      expect((await a.next('call.ended')).reason).toBe('hangup_booth');
      a.close();
      b.close();
      await waitFor(() => hub.stats().sockets === 0, 5_000, 'sockets closed');
    } finally {
      await hub.close();
    }
  });
});
