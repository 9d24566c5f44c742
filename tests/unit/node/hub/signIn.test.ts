// Sign-in alone (server/signIn.ts): booths by token, agents by session, and the failed-attempts record — with a fake
// store, registry and engine.
import { describe, expect, it } from 'vitest';
import { DEFAULT_ATTEMPT_LIMITS } from '../../../../server/auth.js';
import type { Conn } from '../../../../server/connections/conn.js';
import { createSignIn } from '../../../../server/signIn.js';
import { sha256, type AgentRow, type BoothRow } from '../../../../server/store.js';
import type { HubErrorCode, HubFrame } from '../../../../shared/protocol.js';
import { fakeConn, silentLog, type FakeConn } from './fakeConn.js';

const AGENT: AgentRow = { id: 3, organisation: 'CAF', login: 'c.martin', displayName: 'Claire Martin', passwordHash: 'unused', demo: false, revoked: false };

function setUp() {
  const booths = new Map<string, BoothRow>([
    [sha256('rb_good'), { id: 7, name: 'Mairie', demo: false, revoked: false }],
    [sha256('rb_revoked'), { id: 8, name: 'Médiathèque', demo: false, revoked: true }],
  ]);
  const told: Array<{ id: string; frame: HubFrame | { type: 'error'; code: HubErrorCode } | { type: 'raw'; text: string } }> = [];
  const joined: string[] = [];
  const watched: string[] = [];
  const dropped: string[] = [];
  const signIn = createSignIn({
    store: {
      agentByLogin: () => null,
      agentBySession: (token) => (token === 'rs_good' ? AGENT : token === 'rs_revoked' ? { ...AGENT, revoked: true } : null),
      newSession: () => 'rs_new',
    },
    boothTokens: { byTokenHash: (hash) => booths.get(hash) ?? null },
    registry: {
      claimBooth: (c, id) => ((c.role = 'booth'), (c.subjectId = id)),
      claimAgent: (c, id, hash) => ((c.role = 'agent'), (c.subjectId = id), (c.sessionHash = hash)),
      drop: (c: Conn, code) => void dropped.push(`${c.id} ${code}`),
      addressOf: () => '192.0.2.7',
    },
    engine: { joinBooth: (party, b) => void joined.push(`${party} booth ${b.boothId}`), joinAgent: (party, a) => void joined.push(`${party} agent ${a.agentId}`) },
    sendFrame: (c, frame) => void told.push({ id: c.id, frame }),
    sendRaw: (c, text) => void told.push({ id: c.id, frame: { type: 'raw', text } }),
    sendError: (c, code) => void told.push({ id: c.id, frame: { type: 'error', code } }),
    presenceText: () => 'PRESENCE',
    watch: (c) => void watched.push(c.id),
    boothJoined: (id) => void joined.push(`fleet booth ${id}`),
    clock: () => 1_000,
    attemptLimits: { ...DEFAULT_ATTEMPT_LIMITS, perAddress: 3 },
    sessionTtlMs: 3_600_000,
    dummyHash: 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    log: silentLog,
  });
  const typesTo = (c: FakeConn): string[] => told.filter((x) => x.id === c.id).map((x) => ('code' in x.frame ? `error ${x.frame.code}` : x.frame.type));
  return { signIn, joined, watched, dropped, typesTo };
}

describe('sign-in', () => {
  it('admits a booth by its token: joins the engine, answers auth.ok then the presence', () => {
    const t = setUp();
    const c = fakeConn('c1');
    t.signIn.booth(c, 'rb_good');
    expect(c.role).toBe('booth');
    expect(t.joined).toEqual(['c1 booth 7', 'fleet booth 7']);
    expect(t.typesTo(c)).toEqual(['auth.ok', 'raw']);
    expect(t.watched).toEqual([]);
  });

  it('admits an agent by session and watches it; drops a revoked one', () => {
    const t = setUp();
    const agent = fakeConn('c1');
    const revoked = fakeConn('c2');
    t.signIn.session(agent, 'rs_good');
    t.signIn.session(revoked, 'rs_revoked');
    expect(agent.sessionHash).toBe(sha256('rs_good'));
    expect(t.watched).toEqual(['c1']);
    expect(t.dropped).toEqual(['c2 REVOKED']);
    expect(revoked.role).toBe('none');
  });

  it('refuses unknown tokens, and once an address failed too often, refuses even a good token for a while', () => {
    const t = setUp();
    const c = fakeConn('c1');
    for (const token of ['rb_x', 'rb_y', 'rb_z']) t.signIn.booth(c, token);
    expect(t.typesTo(c)).toEqual(['error AUTH_FAILED', 'error AUTH_FAILED', 'error AUTH_FAILED']);
    t.signIn.booth(c, 'rb_good');
    expect(t.typesTo(c).at(-1)).toBe('error AUTH_RATE_LIMITED');
    expect(c.role).toBe('none');
  });

  it('drops a revoked booth instead of admitting it', () => {
    const t = setUp();
    const c = fakeConn('c1');
    t.signIn.booth(c, 'rb_revoked');
    expect(t.dropped).toEqual(['c1 REVOKED']);
    expect(t.joined).toEqual([]);
  });

  it('answers AUTH_FAILED to an unknown login after a password check, as long as for a wrong password', async () => {
    const t = setUp();
    const c = fakeConn('c1');
    await t.signIn.password(c, 'nobody', 'secret');
    expect(t.typesTo(c)).toEqual(['error AUTH_FAILED']);
    expect(c.authPending).toBe(false);
  });
});
