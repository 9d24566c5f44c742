// Kiosk updates' contract: one suite of behaviour tests run on both implementations of UpdateStore and ReleaseFiles —
// SQLite in memory with the files on disk (the one-machine hub), and a real PostgreSQL holding both (one server for the
// file, a fresh database per test), its files in small chunks so that small files cross chunk boundaries. Then what
// only PostgreSQL has: two nodes sharing it, a release uploaded through one offered, downloaded and reported through the
// other; a range reading only the chunks it covers; 1 MiB chunks; NUL.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { postgresReleaseFiles } from '../../../../server/sharedStore/postgresUpdates.js';
import { openPostgresStores } from '../../../../server/sharedStore/postgres.js';
import { createHubStore, openHubDb } from '../../../../server/store.js';
import { createSharedUpdates, createSqliteUpdateStore, diskReleaseFiles, ReleaseFileError, type ReleaseFiles, type UpdateStore } from '../../../../server/updates/index.js';
import type { BoothsResponse } from '../../../../shared/fleet.js';
import { ReleasesResponse, type Rollout } from '../../../../shared/updates.js';
import { postgresForFile } from '../../../support/postgresForFile.js';
import { silentLog } from '../hub/fakeConn.js';
import { raw } from '../updates/support.js';

const TMP = path.resolve(import.meta.dirname, '../../../.tmp');
/** The chunk size of the PostgreSQL files under test: a 100-byte file is 7 chunks. */
const CHUNK = 16;

const postgres = postgresForFile();

/** An update store and release files under test, a way to add booths, and what the files left in their storage. */
interface Opened {
  updates: UpdateStore;
  files: ReleaseFiles;
  /** Release files over the same storage with this chunk size (the disk has none). */
  filesWith(chunkSize: number): ReleaseFiles;
  addBooth(name: string): Promise<number>;
  /** Every stored file, partial or not, as `version/name` (the disk's folder, PostgreSQL's blobs): nothing else left. */
  stored(): Promise<string[]>;
}

function listDisk(dir: string): string[] {
  const out: string[] = [];
  for (const v of readdirSync(dir)) for (const f of readdirSync(path.join(dir, v))) out.push(`${v}/${f}`);
  return out.sort();
}

async function openSqlite(): Promise<Opened> {
  const hub = createHubStore(openHubDb(':memory:'));
  mkdirSync(TMP, { recursive: true });
  const root = mkdtempSync(path.join(TMP, 'updates-contract-'));
  const dir = path.join(root, 'releases');
  mkdirSync(dir);
  postgres.onCleanup(async () => {
    hub.db.close();
    rmSync(root, { recursive: true, force: true });
  });
  return {
    updates: createSqliteUpdateStore(hub.db),
    files: diskReleaseFiles(dir),
    filesWith: () => diskReleaseFiles(dir),
    addBooth: async (name) => hub.addBooth(name, 0).id,
    stored: async () => listDisk(dir),
  };
}

async function openPostgres(): Promise<Opened & { pool: pg.Pool; url: string }> {
  const url = await postgres.server().newDatabase();
  const opened = await openPostgresStores(url, { poolSize: 4 });
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  postgres.onCleanup(async () => {
    await pool.end();
    await opened.close();
  });
  return {
    pool,
    url,
    updates: opened.updates,
    files: postgresReleaseFiles(pool, { chunkSize: CHUNK }),
    filesWith: (chunkSize) => postgresReleaseFiles(pool, { chunkSize }),
    addBooth: async (name) => (await opened.store.addBooth(name, 0)).id,
    stored: async () => (await pool.query<{ f: string }>("SELECT version || '/' || name AS f FROM release_blobs ORDER BY 1")).rows.map((r) => r.f),
  };
}

const sha512 = (b: Buffer): string => createHash('sha512').update(b).digest('base64');
const ETAG = '"etag-du-fichier"';

/** A server answering GET/HEAD /<version>/<name> with `files.send` (the segments decoded as the routes do). */
async function serve(files: ReleaseFiles): Promise<string> {
  const s = http.createServer((req, res) => {
    const [, version = '', name = ''] = (req.url ?? '').split('/');
    void files.send(req, res, decodeURIComponent(version), decodeURIComponent(name), ETAG, { 'X-Test': '1' });
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  postgres.onCleanup(() => new Promise<void>((resolve) => s.close(() => resolve())));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

const rollout = (r: Partial<Rollout> = {}): Rollout => ({ booths: [], percent: 0, all: false, paused: false, ...r });
const linux = (name: string, size = 10, sha = 'a'): { platform: 'linux'; name: string; size: number; sha512: string } => ({ platform: 'linux', name, size, sha512: sha });

describe.each([
  ['SQLite and the disk', openSqlite],
  ['PostgreSQL', openPostgres],
])('kiosk updates on %s', (_name, open) => {
  describe('the update store', () => {
    it('registers a release with nobody in its rollout, adds a platform, replaces a platform’s file, keeps the first date', async () => {
      const t = await open();
      expect(await t.updates.releases()).toEqual([]);
      await t.updates.addReleaseFile('1.1.0', linux('Relais-1.1.0.AppImage', 100, 'sha-a'), 1_000);
      expect(await t.updates.release('1.1.0')).toEqual({ version: '1.1.0', createdAt: 1_000, files: [linux('Relais-1.1.0.AppImage', 100, 'sha-a')], rollout: rollout() });
      await t.updates.addReleaseFile('1.1.0', { platform: 'win', name: 'Relais-1.1.0.exe', size: 5_000_000_000, sha512: 'sha-w' }, 2_000);
      await t.updates.addReleaseFile('1.1.0', linux('Relais-1.1.0.deb', 200, 'sha-b'), 3_000);
      await t.updates.addReleaseFile('1.2.0-beta.1', linux('Relais-1.2.0-beta.1.AppImage'), 4_000);
      expect(await t.updates.release('1.1.0')).toEqual({
        version: '1.1.0',
        createdAt: 1_000,
        files: [linux('Relais-1.1.0.deb', 200, 'sha-b'), { platform: 'win', name: 'Relais-1.1.0.exe', size: 5_000_000_000, sha512: 'sha-w' }],
        rollout: rollout(),
      });
      const all = (await t.updates.releases()).sort((a, b) => a.createdAt - b.createdAt);
      expect(all.map((r) => [r.version, r.files.map((f) => f.name)])).toEqual([
        ['1.1.0', ['Relais-1.1.0.deb', 'Relais-1.1.0.exe']],
        ['1.2.0-beta.1', ['Relais-1.2.0-beta.1.AppImage']],
      ]);
      expect(await t.updates.release('9.9.9')).toBeNull();
    });

    it('sets a release’s rollout (its booths once each, in order), and answers false for an unknown release', async () => {
      const t = await open();
      await t.updates.addReleaseFile('1.1.0', linux('Relais-1.1.0.AppImage'), 1);
      expect(await t.updates.setRollout('1.1.0', rollout({ booths: [7, 3, 7], percent: 20, paused: true }), 2)).toBe(true);
      expect((await t.updates.release('1.1.0'))?.rollout).toEqual({ booths: [3, 7], percent: 20, all: false, paused: true });
      expect(await t.updates.setRollout('1.1.0', rollout({ all: true }), 3)).toBe(true);
      expect((await t.updates.releases())[0]?.rollout).toEqual(rollout({ all: true }));
      expect(await t.updates.setRollout('9.9.9', rollout({ all: true }), 4)).toBe(false);
      expect(await t.updates.release('9.9.9')).toBeNull();
      // A file added later leaves the rollout as it was.
      await t.updates.addReleaseFile('1.1.0', { platform: 'win', name: 'Relais-1.1.0.exe', size: 1, sha512: 'w' }, 5);
      expect((await t.updates.release('1.1.0'))?.rollout).toEqual(rollout({ all: true }));
    });

    it('keeps each booth’s last report, read one by one or all at once', async () => {
      const t = await open();
      const a = await t.addBooth('Relais de Gramat');
      const b = await t.addBooth('Relais de Figeac');
      expect(await t.updates.report(a)).toBeNull();
      expect((await t.updates.reports()).size).toBe(0);
      await t.updates.recordReport(a, { version: '1.1.0', outcome: 'downloaded', reason: null }, 10);
      await t.updates.recordReport(a, { version: '1.1.0', outcome: 'failed', reason: 'checksum' }, 20);
      await t.updates.recordReport(b, { version: '1.1.0', outcome: 'updated', reason: null }, 30);
      expect(await t.updates.report(a)).toEqual({ version: '1.1.0', outcome: 'failed', reason: 'checksum', at: 20 });
      expect(await t.updates.reports()).toEqual(
        new Map([
          [a, { version: '1.1.0', outcome: 'failed', reason: 'checksum', at: 20 }],
          [b, { version: '1.1.0', outcome: 'updated', reason: null, at: 30 }],
        ]),
      );
      expect(await t.updates.report(424242)).toBeNull();
    });
  });

  describe('the release files', () => {
    it('stores a file with its size and sha512, and serves it whole (200, ETag, Accept-Ranges) and for HEAD', async () => {
      const t = await open();
      const bytes = randomBytes(100);
      expect(await t.files.store('1.1.0', 'Relais-1.1.0.AppImage', Readable.from([bytes.subarray(0, 33), bytes.subarray(33)]), 1_000)).toEqual({ size: 100, sha512: sha512(bytes) });
      expect(await t.stored()).toEqual(['1.1.0/Relais-1.1.0.AppImage']);
      const base = await serve(t.files);
      const whole = await raw(base, '/1.1.0/Relais-1.1.0.AppImage');
      expect(whole.status).toBe(200);
      expect(whole.body.equals(bytes)).toBe(true);
      expect(whole.headers).toMatchObject({ etag: ETAG, 'accept-ranges': 'bytes', 'content-length': '100', 'content-type': 'application/octet-stream', 'x-test': '1' });
      const head = await raw(base, '/1.1.0/Relais-1.1.0.AppImage', {}, 'HEAD');
      expect(head.status).toBe(200);
      expect(head.headers['content-length']).toBe('100');
      expect(head.body.length).toBe(0);
    });

    it('serves one range: the first bytes, the middle across chunk boundaries, a whole chunk, a suffix, an open end', async () => {
      const t = await open();
      const bytes = randomBytes(100);
      await t.files.store('1.1.0', 'Relais-1.1.0.exe', Readable.from([bytes]), 1_000);
      const base = await serve(t.files);
      for (const [range, start, end] of [
        ['bytes=0-9', 0, 9],
        ['bytes=10-40', 10, 40],
        ['bytes=16-31', 16, 31],
        ['bytes=15-16', 15, 16],
        ['bytes=-5', 95, 99],
        ['bytes=-500', 0, 99],
        ['bytes=90-', 90, 99],
        ['bytes=96-1000', 96, 99],
        ['bytes=99-99', 99, 99],
      ] as const) {
        const r = await raw(base, '/1.1.0/Relais-1.1.0.exe', { Range: range });
        expect(r.status, range).toBe(206);
        expect(r.headers['content-range'], range).toBe(`bytes ${start}-${end}/100`);
        expect(r.headers['content-length'], range).toBe(String(end - start + 1));
        expect(r.body.equals(bytes.subarray(start, end + 1)), range).toBe(true);
      }
      const head = await raw(base, '/1.1.0/Relais-1.1.0.exe', { Range: 'bytes=10-40' }, 'HEAD');
      expect([head.status, head.body.length, head.headers['content-range']]).toEqual([206, 0, 'bytes 10-40/100']);
    });

    it('answers 416 to an unsatisfiable range, the whole file to several ranges or an If-Range naming another version', async () => {
      const t = await open();
      const bytes = randomBytes(100);
      await t.files.store('1.1.0', 'Relais-1.1.0.exe', Readable.from([bytes]), 1_000);
      const base = await serve(t.files);
      for (const range of ['bytes=100-', 'bytes=200-300', 'bytes=-0', 'bytes=50-10']) {
        const r = await raw(base, '/1.1.0/Relais-1.1.0.exe', { Range: range });
        expect(r.status, range).toBe(416);
        expect(r.headers['content-range']).toBe('bytes */100');
        expect(r.body.length).toBe(0);
      }
      for (const headers of [{ Range: 'bytes=0-1,5-6' }, { Range: 'bytes=0-9', 'If-Range': '"une-autre-version"' }, { Range: 'octets=0-9' }] as Array<Record<string, string>>) {
        const r = await raw(base, '/1.1.0/Relais-1.1.0.exe', headers);
        expect(r.status).toBe(200);
        expect(r.body.equals(bytes)).toBe(true);
      }
      const fresh = await raw(base, '/1.1.0/Relais-1.1.0.exe', { Range: 'bytes=0-9', 'If-Range': ETAG });
      expect(fresh.status).toBe(206);
      expect(fresh.body.equals(bytes.subarray(0, 10))).toBe(true);
    });

    it('answers 404 for a file never stored, another version’s, or a name that is no release file’s', async () => {
      const t = await open();
      await t.files.store('1.1.0', 'Relais-1.1.0.exe', Readable.from([randomBytes(20)]), 1_000);
      const base = await serve(t.files);
      for (const target of ['/1.1.0/Relais-1.2.0.exe', '/1.2.0/Relais-1.1.0.exe', '/1.1.0/..%2F..%2Fhub.sqlite', '/..%2F1.1.0/Relais-1.1.0.exe', '/1.1.0/%00', `/${'9'.repeat(5000)}/x.exe`, '/1.1.0/..']) {
        const r = await raw(base, target);
        expect(r.status, target).toBe(404);
        expect(JSON.parse(r.body.toString())).toEqual({ error: 'NOT_FOUND' });
      }
    });

    it('refuses a file over the limit and an empty one, and leaves nothing behind (a previous file of that name kept whole)', async () => {
      const t = await open();
      const big = (): Readable => Readable.from([randomBytes(60), randomBytes(60)]);
      await expect(t.files.store('2.0.0', 'Relais-2.0.0.exe', big(), 100)).rejects.toMatchObject({ code: 'TOO_LARGE' });
      await expect(t.files.store('2.0.0', 'Relais-2.0.0.exe', Readable.from([]), 100)).rejects.toMatchObject({ code: 'EMPTY' });
      await expect(t.files.store('2.0.0', 'Relais-2.0.0.exe', Readable.from([Buffer.alloc(0)]), 100)).rejects.toBeInstanceOf(ReleaseFileError);
      expect(await t.stored()).toEqual([]);
      const base = await serve(t.files);
      expect((await raw(base, '/2.0.0/Relais-2.0.0.exe')).status).toBe(404);
      // Exactly the limit is accepted; more afterwards leaves that one as it was.
      const first = randomBytes(100);
      await t.files.store('2.0.0', 'Relais-2.0.0.exe', Readable.from([first]), 100);
      await expect(t.files.store('2.0.0', 'Relais-2.0.0.exe', big(), 100)).rejects.toMatchObject({ code: 'TOO_LARGE' });
      await expect(t.files.store('2.0.0', 'Relais-2.0.0.exe', Readable.from([]), 100)).rejects.toMatchObject({ code: 'EMPTY' });
      expect(await t.stored()).toEqual(['2.0.0/Relais-2.0.0.exe']);
      expect((await raw(base, '/2.0.0/Relais-2.0.0.exe')).body.equals(first)).toBe(true);
    });

    it('leaves nothing behind when the source fails midway', async () => {
      const t = await open();
      const failing = new Readable({ read() {} });
      const stored = t.files.store('2.0.0', 'Relais-2.0.0.exe', failing, 1_000);
      failing.push(randomBytes(40));
      setTimeout(() => failing.destroy(new Error('connexion coupée')), 50);
      await expect(stored).rejects.toThrow('connexion coupée');
      expect(await t.stored()).toEqual([]);
    });

    it('refuses hostile versions and names (traversal, NUL, separators, very long) before reading anything', async () => {
      const t = await open();
      for (const version of ['../1.0.0', '1.0.0/..', '..', '1.0.0\0', '1.0', 'v1.0.0', `1.0.0-${'a'.repeat(5000)}`, '', '1.0.0\n']) {
        const source = Readable.from([Buffer.from('abc')]);
        await expect(t.files.store(version, 'Relais.exe', source, 1_000), JSON.stringify(version)).rejects.toMatchObject({ code: 'INVALID_VERSION' });
      }
      for (const name of ['../x.exe', '..', 'a/b.exe', 'a\\b.exe', 'x\0.exe', '.hidden.exe', `${'a'.repeat(300)}.exe`, '', 'a..exe', 'nom avec espace.exe']) {
        await expect(t.files.store('1.0.0', name, Readable.from([Buffer.from('abc')]), 1_000), JSON.stringify(name)).rejects.toMatchObject({ code: 'INVALID_NAME' });
      }
      expect(await t.stored()).toEqual([]);
    });

    it('replaces a file stored again under its name: readers get the old one whole until the new one is whole', async () => {
      const t = await open();
      const base = await serve(t.files);
      const old = randomBytes(50);
      await t.files.store('1.1.0', 'Relais-1.1.0.exe', Readable.from([old]), 1_000);
      const source = new PassThrough();
      const next = randomBytes(90);
      const storing = t.files.store('1.1.0', 'Relais-1.1.0.exe', source, 1_000);
      source.write(next.subarray(0, 45));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const during = await raw(base, '/1.1.0/Relais-1.1.0.exe');
      expect(during.status).toBe(200);
      expect(during.body.equals(old)).toBe(true);
      source.end(next.subarray(45));
      expect(await storing).toEqual({ size: 90, sha512: sha512(next) });
      expect((await raw(base, '/1.1.0/Relais-1.1.0.exe')).body.equals(next)).toBe(true);
      expect(await t.stored()).toEqual(['1.1.0/Relais-1.1.0.exe']);
    });

    it('survives clients going away mid-file, and serves the next one whole', async () => {
      const t = await open();
      const files = t.filesWith(64 * 1024);
      const bytes = randomBytes(3 * 1024 * 1024);
      await files.store('1.1.0', 'Relais-1.1.0.AppImage', Readable.from([bytes]), bytes.length);
      const base = await serve(files);
      const { port } = new URL(base);
      for (let i = 0; i < 6; i++) {
        await new Promise<void>((resolve, reject) => {
          const req = http.get({ host: '127.0.0.1', port, path: '/1.1.0/Relais-1.1.0.AppImage', agent: false, headers: i % 2 ? { Range: 'bytes=1000-' } : {} }, (res) => {
            res.once('data', () => {
              req.destroy();
              resolve();
            });
          });
          req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? resolve() : reject(e)));
        });
      }
      const whole = await raw(base, '/1.1.0/Relais-1.1.0.AppImage');
      expect(whole.status).toBe(200);
      expect(sha512(whole.body)).toBe(sha512(bytes));
      const tail = await raw(base, '/1.1.0/Relais-1.1.0.AppImage', { Range: `bytes=${64 * 1024 - 3}-${2 * 64 * 1024 + 2}` });
      expect(tail.body.equals(bytes.subarray(64 * 1024 - 3, 2 * 64 * 1024 + 3))).toBe(true);
    });
  });
});

describe('kiosk updates on PostgreSQL only', () => {
  it('reads only the chunks a range covers, each only as far as the range needs', async () => {
    const t = await openPostgres();
    const bytes = randomBytes(100);
    await t.files.store('1.1.0', 'Relais-1.1.0.exe', Readable.from([bytes]), 1_000);
    const reads: unknown[][] = [];
    const query = t.pool.query.bind(t.pool);
    t.pool.query = ((text: string, values?: unknown[]) => {
      if (typeof text === 'string' && text.includes('release_chunks')) reads.push(values ?? []);
      return query(text, values);
    }) as typeof t.pool.query;
    const base = await serve(t.files);
    const r = await raw(base, '/1.1.0/Relais-1.1.0.exe', { Range: 'bytes=20-40' });
    expect(r.body.equals(bytes.subarray(20, 41))).toBe(true);
    // Bytes 20–40 of 16-byte chunks: 4–15 of chunk 1, 0–8 of chunk 2 (substring is 1-based).
    expect(reads.map((v) => v.slice(1))).toEqual([
      [1, 5, 12],
      [2, 1, 9],
    ]);
    expect((await t.pool.query('SELECT count(*)::int AS n FROM release_chunks')).rows[0]).toEqual({ n: 7 });
  });

  it('stores an installer in 1 MiB chunks by default, served whole and across a chunk boundary', async () => {
    const url = await postgres.server().newDatabase();
    const opened = await openPostgresStores(url, { poolSize: 4 });
    postgres.onCleanup(() => opened.close());
    const bytes = randomBytes(5 * 1024 * 1024 + 123);
    const pieces = Array.from({ length: Math.ceil(bytes.length / 65_536) }, (_, i) => bytes.subarray(i * 65_536, (i + 1) * 65_536));
    expect(await opened.releaseFiles.store('1.4.0', 'Relais-1.4.0.AppImage', Readable.from(pieces), 1024 ** 3)).toEqual({ size: bytes.length, sha512: sha512(bytes) });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ n: number; len: number }>('SELECT n, length(data) AS len FROM release_chunks ORDER BY n');
    await client.end();
    expect(rows.map((r) => r.len)).toEqual([...Array.from({ length: 5 }, () => 1024 * 1024), 123]);
    const base = await serve(opened.releaseFiles);
    expect(sha512((await raw(base, '/1.4.0/Relais-1.4.0.AppImage')).body)).toBe(sha512(bytes));
    const across = await raw(base, '/1.4.0/Relais-1.4.0.AppImage', { Range: `bytes=${1024 * 1024 - 10}-${1024 * 1024 + 9}` });
    expect(across.body.equals(bytes.subarray(1024 * 1024 - 10, 1024 * 1024 + 10))).toBe(true);
  });

  it('finds no release with NUL in its version, and keeps the migration’s version 6', async () => {
    const t = await openPostgres();
    expect(await t.updates.release('1.0.0\0')).toBeNull();
    expect(await t.updates.setRollout('1.0.0\0', rollout(), 1)).toBe(false);
    const { rows } = await t.pool.query<{ version: number; name: string }>("SELECT version, name FROM schema_migrations WHERE name = 'updates'");
    expect(rows).toEqual([{ version: 6, name: 'updates' }]);
  });

  it('a release uploaded through one node is offered, downloaded with Range and reported through another', { timeout: 30_000 }, async () => {
    const url = await postgres.server().newDatabase();
    const nodes = await Promise.all([openPostgresStores(url, { poolSize: 4 }), openPostgresStores(url, { poolSize: 4 })]);
    postgres.onCleanup(async () => {
      for (const n of nodes) await n.close();
    });
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    const booth = await a.store.addBooth('Relais de Gramat', 0);
    const coordinator = await a.evaluation.addCoordinator('coord.lot', 'hash', 0);
    const session = await b.evaluation.newCoordinatorSession(coordinator, Date.now(), 3_600_000);
    const bases: string[] = [];
    for (const n of nodes) {
      const fleet = {
        view: async (): Promise<BoothsResponse> => ({
          at: 0,
          expectedVersion: null,
          booths: (await n.store.listBooths()).map((x) => ({ id: x.id, name: x.name, online: false, since: null, problems: [], health: null, reportedAt: null, revoked: x.revoked })),
        }),
      };
      const route = createSharedUpdates({ updates: n.updates, files: n.releaseFiles, store: n.store, evaluation: n.evaluation, fleet, clock: Date.now, log: silentLog });
      const s = http.createServer((req, res) => {
        void Promise.resolve(route(req, res, new URL(req.url ?? '/', 'http://hub'))).then((handled) => handled || res.writeHead(404).end());
      });
      await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
      postgres.onCleanup(() => new Promise<void>((resolve) => s.close(() => resolve())));
      bases.push(`http://127.0.0.1:${(s.address() as AddressInfo).port}`);
    }
    const [onA, onB] = bases as [string, string];
    const cookie = { Cookie: `relais_coordinator=${session}` };
    const bytes = randomBytes(3 * 1024 * 1024 + 7);
    const up = await fetch(`${onA}/coordinator/api/releases/1.1.0/files/Relais-1.1.0.AppImage`, { method: 'PUT', headers: cookie, body: new Uint8Array(bytes) });
    expect(up.status).toBe(201);
    expect((await fetch(`${onB}/coordinator/api/releases/1.1.0/rollout`, { method: 'POST', headers: cookie, body: JSON.stringify(rollout({ booths: [booth.id] })) })).status).toBe(200);

    const bearer = { Authorization: `Bearer ${booth.token}` };
    const feed = parseYaml((await raw(onB, '/updates/latest-linux.yml', bearer)).body.toString()) as { version: string; files: Array<{ url: string; sha512: string; size: number }> };
    expect(feed.version).toBe('1.1.0');
    expect(feed.files).toEqual([{ url: 'files/1.1.0/Relais-1.1.0.AppImage', sha512: sha512(bytes), size: bytes.length }]);
    const whole = await raw(onB, '/updates/files/1.1.0/Relais-1.1.0.AppImage', bearer);
    expect(whole.status).toBe(200);
    expect(sha512(whole.body)).toBe(sha512(bytes));
    const resumed = await raw(onA, '/updates/files/1.1.0/Relais-1.1.0.AppImage', { ...bearer, Range: `bytes=${1024 * 1024 - 1}-`, 'If-Range': whole.headers.etag ?? '' });
    expect(resumed.status).toBe(206);
    expect(resumed.body.equals(bytes.subarray(1024 * 1024 - 1))).toBe(true);

    const report = await raw(onB, '/updates/report', { ...bearer, 'Content-Type': 'application/json' }, 'POST', JSON.stringify({ version: '1.1.0', outcome: 'updated', reason: null }));
    expect(report.status).toBe(200);
    const view = ReleasesResponse.parse(await (await fetch(`${onA}/coordinator/api/releases`, { headers: cookie })).json());
    expect(view.releases.map((r) => [r.version, r.rollout.booths])).toEqual([['1.1.0', [booth.id]]]);
    expect(view.booths).toEqual([expect.objectContaining({ id: booth.id, offered: '1.1.0', lastReport: expect.objectContaining({ version: '1.1.0', outcome: 'updated' }) })]);
    // Still behind the booths' tokens and the coordinator's login, on every node.
    expect((await raw(onA, '/updates/latest-linux.yml', { Authorization: 'Bearer rb_inconnu' })).status).toBe(401);
    expect((await fetch(`${onB}/coordinator/api/releases`, { headers: { Cookie: 'relais_coordinator=faux' } })).status).toBe(401);
  });
});
