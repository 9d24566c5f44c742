// The shared store's contract: one suite of behaviour tests, written once and run on both implementations of
// SharedHubStore — SQLite in memory through its adapter (a fresh store per test) and a real PostgreSQL (one server for
// the file, a fresh database per test). Where the two answered differently, the implementation was fixed, not the test.
// Then PostgreSQL's migrations, which only that store has.
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../../../server/calls.js';
import { PG_MIGRATIONS } from '../../../../server/sharedStore/pgMigrations/index.js';
import { openPostgresStore } from '../../../../server/sharedStore/postgres.js';
import { sqliteSharedStore } from '../../../../server/sharedStore/sqlite.js';
import type { SharedHubStore } from '../../../../server/sharedStore/types.js';
import { DEFAULT_ORGANISATIONS, WEEKDAY_HOURS, createHubStore, openHubDb, sha256 } from '../../../../server/store.js';
import { startPostgres, type RunningPostgres } from '../../../support/postgres.js';

let server: RunningPostgres;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.stop();
});

/** Runs `work` on a client of the database `database` of the test server, then ends the client. */
async function withClient<T>(database: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'relais', database });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

let databases = 0;
/** A new, empty database `t<n>` on the test server, created from the `postgres` database: its URL. */
async function freshDatabase(): Promise<string> {
  const name = `t${++databases}`;
  await withClient('postgres', (c) => c.query(`CREATE DATABASE ${name}`));
  return `postgres://relais@127.0.0.1:${server.port}/${name}`;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A store under test, and its tables read directly (to see what is really stored, and that no table was dropped). */
interface Opened {
  store: SharedHubStore;
  rows(sql: string): Promise<Array<Record<string, unknown>>>;
  tables(): Promise<string[]>;
}

const EXPECTED_TABLES = ['agents', 'booths', 'calls', 'organisations', 'sessions'];

const backends: Array<{ name: string; open(): Promise<Opened> }> = [
  {
    name: 'SQLite',
    async open() {
      const hub = createHubStore(openHubDb(':memory:'));
      const store = sqliteSharedStore(hub);
      cleanups.push(async () => {
        if (hub.db.open) await store.close();
      });
      const rows = async (sql: string): Promise<Array<Record<string, unknown>>> => hub.db.prepare(sql).all() as Array<Record<string, unknown>>;
      return {
        store,
        rows,
        tables: async () => (await rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).map((r) => String(r.name)),
      };
    },
  },
  {
    name: 'PostgreSQL',
    async open() {
      const url = await freshDatabase();
      const store = await openPostgresStore(url, { poolSize: 4 });
      const raw = new pg.Client({ connectionString: url });
      await raw.connect();
      cleanups.push(async () => {
        await raw.end();
        await store.close();
      });
      const rows = async (sql: string): Promise<Array<Record<string, unknown>>> => (await raw.query(sql)).rows as Array<Record<string, unknown>>;
      return {
        store,
        rows,
        tables: async () =>
          (await rows("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename COLLATE \"C\"")).map((r) => String(r.name)),
      };
    },
  },
];

/** Logins, names and display names a hostile or careless administrator may type. */
const HOSTILE_STRINGS = [
  `O'Brien "le Grand" d’Arc`,
  `'; DROP TABLE booths; --`,
  `Robert'); DROP TABLE agents;--`,
  'C:\\Users\\agent\\ \\\\ \\n \\0 \\x00 \\\'',
  '$1 ? :name %s %_ ${x}',
  'Zoë – 東京 🚀👩‍👩‍👧 مرحبا e\u0301 \u202e',
  'a'.repeat(10_000),
  // 10,000 hardly compressible characters: a B-tree entry of it would exceed PostgreSQL's 2.7 kB limit.
  Array.from({ length: 10_000 }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 7919) % 20_000))).join(''),
];
/** Ids no row can have, or that are no id at all: "unknown", never a thrown error. */
const BAD_IDS = [-1, 0, 1.5, Number.MAX_SAFE_INTEGER, Number.NaN, -Number.MAX_SAFE_INTEGER, 2 ** 63, 1e300, Number.POSITIVE_INFINITY];
const T = 1_700_000_000_000;
const HOUR = 3_600_000;

const call = (id: string, queuedAt: number, over: Partial<CallRecord> = {}): CallRecord => ({
  id,
  organisation: 'CAF',
  boothId: 1,
  agentId: null,
  queuedAt,
  answeredAt: null,
  endedAt: queuedAt + 60_000,
  outcome: 'missed',
  reason: 'timeout',
  ...over,
});

describe.each(backends)('shared store on $name', (backend) => {
  let s: SharedHubStore;
  let rows: Opened['rows'];
  let tables: Opened['tables'];
  beforeEach(async () => {
    ({ store: s, rows, tables } = await backend.open());
    await s.seedOrganisations(WEEKDAY_HOURS);
  });
  const agent = (login: string, organisation = 'CAF'): Promise<number> =>
    s.addAgent({ organisation, login, displayName: `Agent ${login.slice(0, 20)}`, passwordHash: 'scrypt$hash' }, T);

  describe('organisations', () => {
    it('seeds the default organisations in their order, each with the hours given', async () => {
      const orgs = await s.organisations();
      expect(orgs.map((o) => o.code)).toEqual(DEFAULT_ORGANISATIONS.map((o) => o.code));
      expect(orgs.map((o) => o.name)).toEqual(DEFAULT_ORGANISATIONS.map((o) => o.name));
      for (const o of orgs) expect(o.openingHours, o.code).toEqual(WEEKDAY_HOURS);
    });

    it('seeds again without adding or changing anything, even hours changed since', async () => {
      const custom = [{ weekday: 3, from: '13:30', to: '17:00' }];
      await s.setOpeningHours('ML', custom);
      const before = await s.organisations();
      await s.seedOrganisations([{ weekday: 7, from: '10:00', to: '11:00' }]);
      await s.seedOrganisations([]);
      const after = await s.organisations();
      expect(after).toEqual(before);
      expect(after.find((o) => o.code === 'ML')?.openingHours).toEqual(custom);
      expect(await rows('SELECT code FROM organisations')).toHaveLength(DEFAULT_ORGANISATIONS.length);
    });

    it("changes one organisation's hours only, empty hours included; an unknown or hostile code changes nothing", async () => {
      const hours = [
        { weekday: 6, from: '08:15', to: '12:00' },
        { weekday: 1, from: '14:00', to: '18:30' },
      ];
      await s.setOpeningHours('CPAM', hours);
      await s.setOpeningHours('CAF', []);
      for (const code of ['NOPE', 'cpam', `'; DROP TABLE organisations; --`, 'x'.repeat(10_000)]) await s.setOpeningHours(code, []);
      const orgs = await s.organisations();
      expect(orgs.map((o) => o.code)).toEqual(DEFAULT_ORGANISATIONS.map((o) => o.code));
      for (const o of orgs) expect(o.openingHours, o.code).toEqual(o.code === 'CPAM' ? hours : o.code === 'CAF' ? [] : WEEKDAY_HOURS);
      expect(await tables()).toEqual(expect.arrayContaining(EXPECTED_TABLES));
    });
  });

  describe('booths', () => {
    it("returns a new id and a token once; only the token's SHA-256 is stored, and it finds the booth", async () => {
      const a = await s.addBooth('Mairie de Saint-Privat', T);
      const b = await s.addBooth('Médiathèque', T, true);
      expect(b.id).toBeGreaterThan(a.id);
      expect(a.token).toMatch(/^rb_[A-Za-z0-9_-]{43}$/);
      expect(a.token).not.toBe(b.token);
      const stored = await rows('SELECT * FROM booths ORDER BY id');
      expect(stored.map((r) => r.token_hash)).toEqual([sha256(a.token), sha256(b.token)]);
      expect(JSON.stringify(stored)).not.toContain(a.token.slice(3));
      expect(JSON.stringify(stored)).not.toContain(b.token.slice(3));
      expect(await s.boothByTokenHash(sha256(a.token))).toEqual({ id: a.id, name: 'Mairie de Saint-Privat', demo: false, revoked: false });
      expect(await s.boothByTokenHash(sha256(b.token))).toEqual({ id: b.id, name: 'Médiathèque', demo: true, revoked: false });
    });

    it('finds nothing by a wrong hash, the token itself, or a hostile string', async () => {
      const { token } = await s.addBooth('Ydes', T);
      for (const hash of [sha256(`${token}x`), sha256(token).toUpperCase(), token, '', `' OR '1'='1`, `x' OR token_hash LIKE '%`, 'x'.repeat(10_000)]) {
        expect(await s.boothByTokenHash(hash), hash.slice(0, 40)).toBeNull();
      }
    });

    it('lists active booths with their hashes, revoked ones left out', async () => {
      const kept = await s.addBooth('Gardée', T);
      const demo = await s.addBooth('Démo', T, true);
      const gone = await s.addBooth('Révoquée', T);
      await s.revokeBooth(gone.id, T + 1);
      const active = (await s.activeBooths()).sort((x, y) => x.booth.id - y.booth.id);
      expect(active).toEqual([
        { tokenHash: sha256(kept.token), booth: { id: kept.id, name: 'Gardée', demo: false, revoked: false } },
        { tokenHash: sha256(demo.token), booth: { id: demo.id, name: 'Démo', demo: true, revoked: false } },
      ]);
    });

    it('revokes a booth once (true, then false), an unknown id never; the booth stays, listed as revoked', async () => {
      const kept = await s.addBooth('Gardée', T);
      const gone = await s.addBooth('Révoquée', T);
      expect(await s.revokeBooth(gone.id, T + 1)).toBe(true);
      expect(await s.revokeBooth(gone.id, T + 2)).toBe(false);
      expect(await s.revokeBooth(gone.id + 1000, T + 3)).toBe(false);
      expect(await s.boothExists(gone.id)).toBe(true);
      expect(await s.boothByTokenHash(sha256(gone.token))).toEqual({ id: gone.id, name: 'Révoquée', demo: false, revoked: true });
      expect(await s.listBooths()).toEqual([
        { id: kept.id, name: 'Gardée', demo: false, revoked: false },
        { id: gone.id, name: 'Révoquée', demo: false, revoked: true },
      ]);
      // The first revocation's instant is kept: the second one changed nothing.
      expect((await s.revokedSince(T + 1)).booths).toEqual([gone.id]);
      expect((await s.revokedSince(T + 2)).booths).toEqual([]);
    });

    it('tells which booths exist; ids no booth can have are unknown, never an error', async () => {
      const { id } = await s.addBooth('Seule', T);
      expect(await s.boothExists(id)).toBe(true);
      expect(await s.boothExists(id + 1)).toBe(false);
      for (const bad of BAD_IDS) {
        expect(await s.boothExists(bad), String(bad)).toBe(false);
        expect(await s.revokeBooth(bad, T), String(bad)).toBe(false);
      }
      expect(await s.listBooths()).toEqual([{ id, name: 'Seule', demo: false, revoked: false }]);
    });

    it('removes the demo booths of that name only: not other names, not real booths of that name', async () => {
      const demo1 = await s.addBooth('Démo', T, true);
      const demo2 = await s.addBooth('Démo', T, true);
      const otherDemo = await s.addBooth('Autre démo', T, true);
      const real = await s.addBooth('Démo', T, false);
      const lookalike = await s.addBooth('démo', T, true);
      await s.removeDemoBooths('Démo');
      expect((await s.listBooths()).map((b) => b.id)).toEqual([otherDemo.id, real.id, lookalike.id]);
      expect(await s.boothExists(demo1.id)).toBe(false);
      expect(await s.boothExists(demo2.id)).toBe(false);
      expect(await s.boothByTokenHash(sha256(demo1.token))).toBeNull();
      await s.removeDemoBooths(`' OR 1=1; --`);
      await s.removeDemoBooths('%');
      expect(await s.listBooths()).toHaveLength(3);
    });

    it('lists booths by id, revoked ones included', async () => {
      const ids: number[] = [];
      for (const name of ['c', 'a', 'b']) ids.push((await s.addBooth(name, T)).id);
      await s.revokeBooth(ids[1]!, T);
      expect(await s.listBooths()).toEqual([
        { id: ids[0], name: 'c', demo: false, revoked: false },
        { id: ids[1], name: 'a', demo: false, revoked: true },
        { id: ids[2], name: 'b', demo: false, revoked: false },
      ]);
    });

    it('keeps hostile names exactly as given, finds them by hash, and every table is still there', async () => {
      const added: Array<{ id: number; token: string }> = [];
      for (const name of HOSTILE_STRINGS) added.push(await s.addBooth(name, T, true));
      expect(await s.listBooths()).toEqual(HOSTILE_STRINGS.map((name, i) => ({ id: added[i]!.id, name, demo: true, revoked: false })));
      for (const [i, { token }] of added.entries()) expect((await s.boothByTokenHash(sha256(token)))?.name).toBe(HOSTILE_STRINGS[i]);
      await s.removeDemoBooths(HOSTILE_STRINGS[1]!);
      expect((await s.listBooths()).map((b) => b.name)).toEqual(HOSTILE_STRINGS.filter((_, i) => i !== 1));
      expect(await tables()).toEqual(expect.arrayContaining(EXPECTED_TABLES));
      expect(await s.organisations()).toHaveLength(DEFAULT_ORGANISATIONS.length);
    });
  });

  describe('agents', () => {
    it('adds an agent and finds it by login and by id', async () => {
      const id = await s.addAgent({ organisation: 'CPAM', login: 'marie.dupont', displayName: 'Marie Dupont', passwordHash: 'scrypt$abc', demo: true }, T);
      const expected = { id, organisation: 'CPAM', login: 'marie.dupont', displayName: 'Marie Dupont', passwordHash: 'scrypt$abc', demo: true, revoked: false };
      expect(await s.agentByLogin('marie.dupont')).toEqual(expected);
      expect(await s.agentById(id)).toEqual(expected);
      const other = await agent('jean');
      expect(other).not.toBe(id);
      expect(await s.agentById(other)).toMatchObject({ login: 'jean', demo: false });
    });

    it('rejects an unknown organisation with a French sentence, a hostile code the same way, and stores nothing', async () => {
      await expect(agent('x', 'NOPE')).rejects.toThrow('Organisme inconnu : NOPE');
      await expect(agent('x', 'caf')).rejects.toThrow('Organisme inconnu : caf');
      await expect(agent('x', '')).rejects.toThrow('Organisme inconnu : ');
      const hostile = `CAF'; DROP TABLE agents; --`;
      await expect(agent('y', hostile)).rejects.toThrow(`Organisme inconnu : ${hostile}`);
      expect(await s.listAgents()).toEqual([]);
      expect(await tables()).toEqual(expect.arrayContaining(EXPECTED_TABLES));
    });

    it('rejects a second agent with the same login and keeps the first; logins differing by case are two agents', async () => {
      const id = await agent('marie.dupont');
      await expect(s.addAgent({ organisation: 'CPAM', login: 'marie.dupont', displayName: 'Autre', passwordHash: 'x' }, T)).rejects.toThrow();
      expect(await s.agentByLogin('marie.dupont')).toMatchObject({ id, organisation: 'CAF', displayName: 'Agent marie.dupont' });
      expect(await s.listAgents()).toHaveLength(1);
      const long = 'é'.repeat(10_000);
      await agent(long);
      await expect(agent(long, 'FT')).rejects.toThrow();
      const upper = await agent('Marie.Dupont');
      expect(upper).not.toBe(id);
      expect(await s.listAgents()).toHaveLength(3);
    });

    it('answers null for an unknown login', async () => {
      await agent('connu');
      for (const login of ['inconnu', 'CONNU', 'connu ', ' connu', '', `' OR '1'='1`, 'connu%', 'x'.repeat(10_000)]) {
        expect(await s.agentByLogin(login), login.slice(0, 40)).toBeNull();
      }
    });

    it('answers null for an unknown id and for ids no row can have (-1, 0, 1.5, MAX_SAFE_INTEGER, NaN…), without throwing', async () => {
      const id = await agent('connu');
      expect(await s.agentById(id + 1)).toBeNull();
      for (const bad of BAD_IDS) {
        expect(await s.agentById(bad), String(bad)).toBeNull();
        expect(await s.revokeAgent(bad, T), String(bad)).toBe(false);
        await expect(s.restoreAgent(bad, 'x')).resolves.toBeUndefined();
      }
      expect(await s.agentById(id)).toMatchObject({ passwordHash: 'scrypt$hash', revoked: false });
    });

    it('keeps hostile logins and display names exactly, finds them, and every table is still there', async () => {
      for (const [i, login] of HOSTILE_STRINGS.entries()) {
        const displayName = HOSTILE_STRINGS[(i + 1) % HOSTILE_STRINGS.length]!;
        const passwordHash = `scrypt$${HOSTILE_STRINGS[(i + 2) % HOSTILE_STRINGS.length]}`;
        const id = await s.addAgent({ organisation: 'FT', login, displayName, passwordHash, demo: i % 2 === 0 }, T);
        const expected = { id, organisation: 'FT', login, displayName, passwordHash, demo: i % 2 === 0, revoked: false };
        expect(await s.agentByLogin(login), login.slice(0, 40)).toEqual(expected);
        expect(await s.agentById(id)).toEqual(expected);
      }
      expect((await s.listAgents()).map((a) => a.login).sort()).toEqual([...HOSTILE_STRINGS].sort());
      expect(await tables()).toEqual(expect.arrayContaining(EXPECTED_TABLES));
      expect(await s.listBooths()).toEqual([]);
    });

    it('lists agents by organisation then login, in byte order whatever the locale', async () => {
      for (const [org, login] of [
        ['FT', 'zoé'],
        ['CAF', 'émile'],
        ['CAF', 'Zoé'],
        ['CAF', 'alice'],
        ['CAF', 'Alice'],
        ['CAF', 'alice2'],
        ['CPAM', 'bob'],
      ] as const) {
        await agent(login, org);
      }
      expect((await s.listAgents()).map((a) => `${a.organisation}/${a.login}`)).toEqual([
        'CAF/Alice',
        'CAF/Zoé',
        'CAF/alice',
        'CAF/alice2',
        'CAF/émile',
        'CPAM/bob',
        'FT/zoé',
      ]);
    });

    it('revokes an agent once, and with it all its open sessions; other agents keep theirs', async () => {
      const id = await agent('partant');
      const other = await agent('restant');
      const sessions = [await s.newSession(id, T, HOUR), await s.newSession(id, T, HOUR)];
      const kept = await s.newSession(other, T, HOUR);
      expect(await s.agentBySession(sessions[0]!, T + 5)).toMatchObject({ id });
      expect(await s.revokeAgent(id, T + 10)).toBe(true);
      expect(await s.revokeAgent(id, T + 20)).toBe(false);
      for (const token of sessions) {
        expect(await s.agentBySession(token, T + 11)).toBeNull();
        expect(await s.revokeSession(token, T + 12)).toBe(false);
      }
      expect(await s.agentBySession(kept, T + 11)).toMatchObject({ id: other });
      expect(await s.agentById(id)).toMatchObject({ revoked: true });
      expect(await s.agentByLogin('partant')).toMatchObject({ id, revoked: true });
      const since = await s.revokedSince(T + 10);
      expect(since.agents).toEqual([id]);
      expect([...since.sessions].sort()).toEqual(sessions.map(sha256).sort());
      expect(since.booths).toEqual([]);
    });

    it('restores a revoked agent with a new password; its old sessions stay closed, new ones work', async () => {
      const id = await agent('demo.caf');
      const old = await s.newSession(id, T, HOUR);
      await s.revokeAgent(id, T + 1);
      await s.restoreAgent(id, 'nouveau$hash');
      expect(await s.agentById(id)).toMatchObject({ revoked: false, passwordHash: 'nouveau$hash' });
      expect(await s.agentByLogin('demo.caf')).toMatchObject({ revoked: false, passwordHash: 'nouveau$hash' });
      expect(await s.agentBySession(old, T + 2)).toBeNull();
      const fresh = await s.newSession(id, T + 2, HOUR);
      expect(await s.agentBySession(fresh, T + 3)).toMatchObject({ id });
      expect(await s.revokeAgent(id, T + 3)).toBe(true);
      // Restoring an agent that is not revoked sets its password and nothing else.
      const active = await agent('actif');
      await s.restoreAgent(active, 'autre$hash');
      expect(await s.agentById(active)).toMatchObject({ revoked: false, passwordHash: 'autre$hash' });
    });
  });

  describe('sessions', () => {
    it("opens a session whose token is never stored, only its SHA-256, and finds the session's agent", async () => {
      const id = await agent('a1');
      const token = await s.newSession(id, T, HOUR);
      expect(token).toMatch(/^rs_[A-Za-z0-9_-]{43}$/);
      expect(await s.newSession(id, T, HOUR)).not.toBe(token);
      const stored = await rows('SELECT * FROM sessions');
      expect(stored.map((r) => r.token_hash)).toContain(sha256(token));
      expect(JSON.stringify(stored)).not.toContain(token.slice(3));
      expect(await s.agentBySession(token, T)).toEqual(await s.agentById(id));
    });

    it('is valid until its last millisecond and null from its expiry on', async () => {
      const id = await agent('a1');
      const token = await s.newSession(id, T, HOUR);
      expect(await s.agentBySession(token, T + HOUR - 1)).toMatchObject({ id });
      expect(await s.agentBySession(token, T + HOUR)).toBeNull();
      expect(await s.agentBySession(token, T + HOUR + 1)).toBeNull();
      expect(await s.agentBySession(token, Number.MAX_SAFE_INTEGER)).toBeNull();
      expect(await s.agentBySession(token, 1e300)).toBeNull();
      expect(await s.agentBySession(token, Number.NaN)).toBeNull();
      expect(await s.agentBySession(token, -1e300)).toMatchObject({ id });
    });

    it('takes negative instants and a lifetime beyond any date', async () => {
      const id = await agent('a1');
      const past = await s.newSession(id, -10 * HOUR, HOUR);
      expect(await s.agentBySession(past, -10 * HOUR + 1)).toMatchObject({ id });
      expect(await s.agentBySession(past, 0)).toBeNull();
      const forever = await s.newSession(id, T, Number.MAX_SAFE_INTEGER - T);
      expect(await s.agentBySession(forever, 8.64e15)).toMatchObject({ id });
    });

    it('answers null for an unknown, hostile or hashed token', async () => {
      const id = await agent('a1');
      const token = await s.newSession(id, T, HOUR);
      for (const bad of ['rs_unknown', sha256(token), token.toUpperCase(), `${token} `, '', `' OR '1'='1`, 'x'.repeat(10_000)]) {
        expect(await s.agentBySession(bad, T + 1), bad.slice(0, 40)).toBeNull();
        expect(await s.revokeSession(bad, T + 1), bad.slice(0, 40)).toBe(false);
      }
      expect(await s.agentBySession(token, T + 1)).toMatchObject({ id });
    });

    it('revokes one session once (true, then false); the agent and its other sessions stay', async () => {
      const id = await agent('a1');
      const token = await s.newSession(id, T, HOUR);
      const other = await s.newSession(id, T, HOUR);
      expect(await s.revokeSession(token, T + 1)).toBe(true);
      expect(await s.revokeSession(token, T + 2)).toBe(false);
      expect(await s.agentBySession(token, T + 2)).toBeNull();
      expect(await s.agentBySession(other, T + 2)).toMatchObject({ id, revoked: false });
      expect(await s.revokedSince(T + 1)).toEqual({ booths: [], agents: [], sessions: [sha256(token)] });
    });

    it('refuses a session for an agent that does not exist', async () => {
      await expect(s.newSession(424_242, T, HOUR)).rejects.toThrow();
      expect(await rows('SELECT * FROM sessions')).toEqual([]);
    });
  });

  describe('what was revoked since', () => {
    it('finds what was revoked at t with since = t, not with since = t + 1', async () => {
      const b1 = await s.addBooth('b1', T);
      const b2 = await s.addBooth('b2', T);
      const a1 = await agent('a1');
      const a2 = await agent('a2');
      const s1 = await s.newSession(a2, T, HOUR);
      const s2 = await s.newSession(a2, T, HOUR);
      await s.revokeBooth(b1.id, T + 100);
      await s.revokeAgent(a1, T + 100);
      await s.revokeSession(s1, T + 100);
      await s.revokeBooth(b2.id, T + 200);
      await s.revokeAgent(a2, T + 200);
      const at = async (since: number): Promise<[number[], number[], string[]]> => {
        const r = await s.revokedSince(since);
        return [[...r.booths].sort((x, y) => x - y), [...r.agents].sort((x, y) => x - y), [...r.sessions].sort()];
      };
      const both = [sha256(s1), sha256(s2)].sort();
      expect(await at(T)).toEqual([[b1.id, b2.id], [a1, a2], both]);
      expect(await at(T + 100)).toEqual([[b1.id, b2.id], [a1, a2], both]);
      expect(await at(T + 101)).toEqual([[b2.id], [a2], [sha256(s2)]]);
      expect(await at(T + 100.5)).toEqual([[b2.id], [a2], [sha256(s2)]]);
      expect(await at(T + 200)).toEqual([[b2.id], [a2], [sha256(s2)]]);
      expect(await at(T + 201)).toEqual([[], [], []]);
    });

    it('answers every revocation for a bound far in the past and none for one far in the future or NaN', async () => {
      const b = await s.addBooth('b', T);
      await s.revokeBooth(b.id, -1);
      for (const since of [-1, -1.5, -1e300, Number.NEGATIVE_INFINITY, Number.MIN_SAFE_INTEGER]) {
        expect(await s.revokedSince(since), String(since)).toEqual({ booths: [b.id], agents: [], sessions: [] });
      }
      for (const since of [-0.5, 0, 1e300, Number.POSITIVE_INFINITY, 2 ** 63, Number.NaN]) {
        expect(await s.revokedSince(since), String(since)).toEqual({ booths: [], agents: [], sessions: [] });
      }
    });
  });

  describe('call records', () => {
    it('records a call with every field, nulls included, and reads it back exactly', async () => {
      const answered = call('c1', T, { agentId: 7, answeredAt: T + 5_000, outcome: 'answered', reason: 'hangup_agent' });
      const missed = call('c2', T + 1);
      await s.recordCall(answered);
      await s.recordCall(missed);
      expect(await s.calls()).toEqual([missed, answered]);
    });

    it('keeps one record, the last, when the same call id is written twice', async () => {
      const first = call('same', T);
      const last = call('same', T + 10, { organisation: 'CPAM', boothId: 2, outcome: 'answered', agentId: 3, answeredAt: T + 20, endedAt: T + 99, reason: 'hangup_booth' });
      await s.recordCall(first);
      await s.recordCall(call('other', T + 5));
      await s.recordCall(last);
      expect(await s.calls()).toEqual([last, call('other', T + 5)]);
      expect(await rows("SELECT id FROM calls WHERE id = 'same'")).toHaveLength(1);
    });

    it('lists the newest calls first, as many as the limit asks (1000 by default, none for 0, all for a negative one)', async () => {
      for (const [i, at] of [T + 3, T + 1, T + 5, T + 2, T + 4].entries()) await s.recordCall(call(`c${i}`, at));
      expect((await s.calls()).map((c) => c.queuedAt)).toEqual([T + 5, T + 4, T + 3, T + 2, T + 1]);
      expect((await s.calls(2)).map((c) => c.queuedAt)).toEqual([T + 5, T + 4]);
      expect((await s.calls(1)).map((c) => c.id)).toEqual(['c2']);
      expect(await s.calls(0)).toEqual([]);
      expect(await s.calls(-1)).toHaveLength(5);
      expect(await s.calls(Number.MAX_SAFE_INTEGER)).toHaveLength(5);
    });

    it('answers at most 1000 calls by default', async () => {
      for (let i = 0; i < 1005; i++) await s.recordCall(call(`c${i}`, T + i));
      const listed = await s.calls();
      expect(listed).toHaveLength(1000);
      expect(listed[0]?.id).toBe('c1004');
      expect(listed[999]?.id).toBe('c5');
    });

    it('keeps hostile ids, organisations and extreme instants exactly', async () => {
      const records = [
        call(`'; DROP TABLE calls; --`, -1, { organisation: 'x'.repeat(10_000), boothId: -3 }),
        call('東京 🚀 e\u0301 \\ \'', Number.MAX_SAFE_INTEGER - 60_000, { boothId: Number.MAX_SAFE_INTEGER, agentId: -1 }),
      ];
      for (const r of records) await s.recordCall(r);
      expect(await s.calls()).toEqual([records[1], records[0]]);
      expect(await tables()).toEqual(expect.arrayContaining(EXPECTED_TABLES));
    });

    it('refuses an outcome outside the closed list', async () => {
      await expect(s.recordCall(call('bad', T, { outcome: 'hacked' as CallRecord['outcome'] }))).rejects.toThrow();
      expect(await s.calls()).toEqual([]);
    });
  });

  describe('a NUL character, which PostgreSQL cannot store', () => {
    // Sign-in takes a login from the network: looked up, a value with NUL finds nothing on both stores (PostgreSQL
    // used to fail with "invalid byte sequence for encoding UTF8: 0x00" where SQLite answered null).
    const NUL = 'marie\u0000.dupont';
    it('finds nothing and changes nothing when looked up or matched, never an error', async () => {
      await agent('marie');
      const { token } = await s.addBooth('Démo', T, true);
      expect(await s.agentByLogin(NUL)).toBeNull();
      expect(await s.agentByLogin('\u0000')).toBeNull();
      expect(await s.boothByTokenHash(`${sha256(token)}\u0000`)).toBeNull();
      expect(await s.agentBySession(NUL, T)).toBeNull();
      expect(await s.revokeSession(NUL, T)).toBe(false);
      await s.removeDemoBooths('Démo\u0000');
      await s.setOpeningHours('CAF\u0000', []);
      expect(await s.listBooths()).toHaveLength(1);
      expect((await s.organisations()).find((o) => o.code === 'CAF')?.openingHours).toEqual(WEEKDAY_HOURS);
    });

    it('rejects an organisation code with NUL as unknown, with the French sentence', async () => {
      await expect(agent('x', 'CAF\u0000')).rejects.toThrow('Organisme inconnu : CAF\u0000');
      expect(await s.listAgents()).toEqual([]);
    });
  });

  it('answers nothing once closed', async () => {
    await s.close();
    await expect(s.listBooths()).rejects.toThrow();
  });
});

// PostgreSQL only: SQLite's schema is migrated by the one-machine hub (server/migrations/, tested with its store), in
// one process that owns its file; only PostgreSQL is shared by several nodes that may start together, and only it has
// numbered migrations under an advisory lock, a schema_migrations table, and a pool to end.
describe('PostgreSQL migrations', () => {
  const applied = (url: string): Promise<Array<{ version: number; name: string }>> =>
    withDb(url, async (c) => (await c.query('SELECT version, name FROM schema_migrations ORDER BY version')).rows);
  const withDb = <R>(url: string, work: (c: pg.Client) => Promise<R>): Promise<R> => withClient(new URL(url).pathname.slice(1), work);
  /** The store's connections the server still sees: polled, since a backend ends just after its client leaves. */
  const hubConnections = (url: string): Promise<number> =>
    withDb(url, async (c) => {
      const count = async (): Promise<number> =>
        Number(
          (await c.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'relais-hub' AND datname = current_database()"))
            .rows[0]!.n,
        );
      const deadline = Date.now() + 5_000;
      let n = await count();
      while (n > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        n = await count();
      }
      return n;
    });

  it('three stores opening a fresh database at once all open, and each migration is applied once', async () => {
    const url = await freshDatabase();
    const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore(url)));
    cleanups.push(async () => {
      await Promise.all(stores.map((st) => st.close()));
    });
    expect(stores.map((st) => st.kind)).toEqual(['postgres', 'postgres', 'postgres']);
    expect(await applied(url)).toEqual(PG_MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    // They share one schema: seeded by all three, the organisations are there once; one's booth is seen by another.
    await Promise.all(stores.map((st) => st.seedOrganisations(WEEKDAY_HOURS)));
    expect(await stores[1]!.organisations()).toHaveLength(DEFAULT_ORGANISATIONS.length);
    const { id } = await stores[0]!.addBooth('Partagée', T);
    expect(await stores[2]!.boothExists(id)).toBe(true);
    // Opening it again later migrates nothing.
    const again = await openPostgresStore(url);
    await again.close();
    expect(await applied(url)).toEqual(PG_MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
  });

  it('rejects a database whose schema is newer than this version knows, and touches nothing', async () => {
    const url = await freshDatabase();
    const latest = Math.max(...PG_MIGRATIONS.map((m) => m.version));
    await withDb(url, (c) =>
      c.query(
        `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL);
         INSERT INTO schema_migrations VALUES (1, 'foundation', 0), (${latest + 1}, 'future', 0)`,
      ),
    );
    await expect(openPostgresStore(url)).rejects.toThrow("La base du hub vient d'une version plus récente");
    await expect(openPostgresStore(url)).rejects.toThrow(`(schéma ${latest + 1}, cette version connaît ${latest}).`);
    expect(await withDb(url, async (c) => (await c.query("SELECT to_regclass('booths') AS t")).rows[0].t)).toBeNull();
    expect(await applied(url)).toHaveLength(2);
    // The refused store left no connection behind.
    expect(await hubConnections(url)).toBe(0);
  });

  it('closing ends the pool: no connection left, queries rejected, and closing twice is harmless', async () => {
    const url = await freshDatabase();
    const store = await openPostgresStore(url, { poolSize: 3 });
    await Promise.all([store.listBooths(), store.listAgents(), store.organisations(), store.calls()]);
    const open = await withDb(url, async (c) =>
      Number((await c.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'relais-hub' AND datname = current_database()")).rows[0]!.n),
    );
    expect(open).toBeGreaterThan(0);
    await store.close();
    await store.close();
    expect(await hubConnections(url)).toBe(0);
    await expect(store.listBooths()).rejects.toThrow();
  });
});
