// Kiosk updates on a real hub over loopback: the channel file electron-updater reads (its sha512 and size those of the
// stored file), staged rollout (chosen booths, a stable percentage, all, pause), Range downloads, booths' reports, the
// coordinator's API and CLI, and hostile requests (traversal, bad versions, huge headers, unknown or revoked tokens).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { hubReleaseTarget, releaseCommand } from '../../../../server/updates/cli.js';
import { ReleaseFileError, releaseFilePath, rolloutBucket, storeReleaseFile } from '../../../../server/updates/index.js';
import { ReleasesResponse, type Rollout } from '../../../../shared/updates.js';
import { booth as connectBooth, waitFor } from '../hub/helpers.js';
import { health } from '../fleet/sample.js';
import { installer, raw, startUpdateHub, type UpdateHub } from './support.js';

let u: UpdateHub;
let chosen: { id: number; token: string };
let other: { id: number; token: string };
let v110: ReturnType<typeof installer>;

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const feedOf = async (token: string, channel = 'latest-linux.yml') => {
  const r = await fetch(`${u.hub.httpUrl}/updates/${channel}?noCache=1`, { headers: bearer(token) });
  expect(r.status).toBe(200);
  return parseYaml(await r.text()) as { version: string; files: Array<{ url: string; sha512: string; size: number }>; path?: string; sha512?: string; releaseDate: string };
};
const rollout = (version: string, r: Partial<Rollout>) =>
  u.api(`/coordinator/api/releases/${version}/rollout`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ booths: [], percent: 0, all: false, paused: false, ...r }),
  });
const releases = async () => ReleasesResponse.parse(await (await u.api('/coordinator/api/releases')).json());

beforeAll(async () => {
  u = await startUpdateHub();
  chosen = u.hub.store.addBooth('Relais de Gramat', Date.now());
  other = u.hub.store.addBooth('Relais de Figeac', Date.now());
  // Both booths report that they run 1.0.0 (as the fleet's health report says).
  for (const b of [chosen, other]) {
    const c = await connectBooth(u.hub.url, b.token);
    c.send({ type: 'booth.health', health: health({ version: '1.0.0' }) });
    await waitFor(async () => (await u.hub.fleet.view()).booths.find((x) => x.id === b.id)?.health?.version === '1.0.0', 5_000, 'the health report');
    c.close();
  }
  v110 = installer(u.dir, 'Relais-1.1.0.AppImage');
  const up = await u.api('/coordinator/api/releases/1.1.0/files/Relais-1.1.0.AppImage', { method: 'PUT', body: new Uint8Array(v110.bytes) });
  expect(up.status).toBe(201);
});
afterAll(async () => {
  await u.close();
});

describe('the channel file', () => {
  it('is electron-builder’s latest-linux.yml: version, files [{ url, sha512, size }], path, sha512, releaseDate, the sha512 that of the file served', async () => {
    expect((await rollout('1.1.0', { booths: [chosen.id] })).status).toBe(200);
    const m = await feedOf(chosen.token);
    expect(m.version).toBe('1.1.0');
    expect(m.files).toEqual([{ url: 'files/1.1.0/Relais-1.1.0.AppImage', sha512: v110.sha512, size: v110.bytes.length }]);
    expect(m.path).toBe('files/1.1.0/Relais-1.1.0.AppImage');
    expect(m.sha512).toBe(v110.sha512);
    expect(new Date(m.releaseDate).toISOString()).toBe(m.releaseDate);
    // The URL resolves against the feed as electron-updater's generic provider resolves it.
    const fileUrl = new URL(m.files[0]?.url ?? '', `${u.hub.httpUrl}/updates/`);
    const r = await fetch(fileUrl, { headers: bearer(chosen.token) });
    const body = Buffer.from(await r.arrayBuffer());
    expect(r.status).toBe(200);
    expect(createHash('sha512').update(body).digest('base64')).toBe(m.sha512);
    expect(body.length).toBe(m.files[0]?.size);
  });

  it('gives Windows its own latest.yml: a release without a Windows installer is not offered there', async () => {
    const m = await feedOf(chosen.token, 'latest.yml');
    expect(m.version).toBe('1.0.0');
    expect(m.files).toEqual([]);
  });
});

describe('staged rollout', () => {
  it('offers the release to the chosen booth only; the others are told the version they run', async () => {
    expect((await rollout('1.1.0', { booths: [chosen.id] })).status).toBe(200);
    expect((await feedOf(chosen.token)).version).toBe('1.1.0');
    const rest = await feedOf(other.token);
    expect(rest).toMatchObject({ version: '1.0.0', files: [] });
    const view = await releases();
    expect(view.booths.find((b) => b.id === chosen.id)?.offered).toBe('1.1.0');
    expect(view.booths.find((b) => b.id === other.id)?.offered).toBeNull();
  });

  it('a percentage takes the booths whose stable bucket is under it, the same at every check, and keeps them when raised', async () => {
    const extra = Array.from({ length: 30 }, (_, i) => u.hub.store.addBooth(`Relais n° ${i}`, Date.now()));
    const offeredAt = async (percent: number) => {
      expect((await rollout('1.1.0', { percent })).status).toBe(200);
      const got = new Set<number>();
      for (const b of extra) if ((await feedOf(b.token)).version === '1.1.0') got.add(b.id);
      return got;
    };
    const at30 = await offeredAt(30);
    expect([...at30].sort()).toEqual(extra.filter((b) => rolloutBucket(b.id) < 30).map((b) => b.id).sort());
    expect(await offeredAt(30)).toEqual(at30);
    const at60 = await offeredAt(60);
    for (const id of at30) expect(at60.has(id)).toBe(true);
    expect(at60.size).toBeGreaterThanOrEqual(at30.size);
    expect(rolloutBucket(extra[0]?.id ?? 1)).toBe(rolloutBucket(extra[0]?.id ?? 1));
  });

  it('« all » offers it to every booth; a pause withdraws it from all, the chosen booth included', async () => {
    expect((await rollout('1.1.0', { booths: [chosen.id], all: true })).status).toBe(200);
    expect((await feedOf(other.token)).version).toBe('1.1.0');
    expect((await rollout('1.1.0', { booths: [chosen.id], all: true, paused: true })).status).toBe(200);
    expect((await feedOf(chosen.token)).version).toBe('1.0.0');
    expect((await feedOf(other.token)).version).toBe('1.0.0');
    expect((await releases()).releases[0]?.rollout).toEqual({ booths: [chosen.id], percent: 0, all: true, paused: true });
    expect((await rollout('1.1.0', { booths: [chosen.id] })).status).toBe(200);
  });

  it('the newest release a booth is in wins; a booth on a newer version than any offered is told its own', async () => {
    const v120 = installer(u.dir, 'Relais-1.2.0.AppImage', 1000);
    const out = await releaseCommand(hubReleaseTarget(u.hub.store, u.dir), ['add', v120.file, '1.2.0'], {}, Date.now());
    expect(out).toContain('Version 1.2.0 (Linux) publiée');
    expect((await feedOf(chosen.token)).version).toBe('1.1.0');
    await releaseCommand(hubReleaseTarget(u.hub.store, u.dir), ['rollout', '1.2.0'], { booths: String(chosen.id) }, Date.now());
    const m = await feedOf(chosen.token);
    expect(m).toMatchObject({ version: '1.2.0', sha512: v120.sha512 });
    // The CLI copied the file into the hub's data folder: it is what is served.
    expect(readFileSync(path.join(u.dir, 'releases', '1.2.0', 'Relais-1.2.0.AppImage')).equals(v120.bytes)).toBe(true);
    await releaseCommand(hubReleaseTarget(u.hub.store, u.dir), ['rollout', '1.2.0'], { pause: true }, Date.now());
    expect((await feedOf(chosen.token)).version).toBe('1.1.0');
    expect(await releaseCommand(hubReleaseTarget(u.hub.store, u.dir), ['list'], {}, Date.now())).toMatch(/1\.2\.0\tlinux:Relais-1\.2\.0\.AppImage\tbornes \d+, puis 0 % — en pause/);
    // A booth reporting 1.3.0 (installed by hand) is told 1.3.0, not the older release its rollout gives.
    const ahead = u.hub.store.addBooth('Relais en avance', Date.now());
    const c = await connectBooth(u.hub.url, ahead.token);
    c.send({ type: 'booth.health', health: health({ version: '1.3.0' }) });
    await waitFor(async () => (await u.hub.fleet.view()).booths.find((x) => x.id === ahead.id)?.health?.version === '1.3.0', 5_000, 'the report');
    c.close();
    await releaseCommand(hubReleaseTarget(u.hub.store, u.dir), ['rollout', '1.1.0'], { booths: `${chosen.id},${ahead.id}` }, Date.now());
    expect(await feedOf(ahead.token)).toMatchObject({ version: '1.3.0', files: [] });
    expect((await feedOf(chosen.token)).version).toBe('1.1.0');
  });

  it('the CLI refuses a bad version, an unknown booth, a file that is no installer, in French', async () => {
    const f = installer(u.dir, 'notes.txt', 10);
    await expect(releaseCommand(hubReleaseTarget(u.hub.store, u.dir), ['add', f.file, '1.3.0'], {}, Date.now())).rejects.toThrow('Installateur inconnu');
    await expect(releaseCommand(hubReleaseTarget(u.hub.store, u.dir), ['add', v110.file, '1.3'], {}, Date.now())).rejects.toThrow('Version invalide');
    await expect(releaseCommand(hubReleaseTarget(u.hub.store, u.dir), ['add', v110.file, '../../1.3.0'], {}, Date.now())).rejects.toThrow('Version invalide');
    await expect(releaseCommand(hubReleaseTarget(u.hub.store, u.dir), ['rollout', '1.1.0'], { booths: '999' }, Date.now())).rejects.toThrow('Borne(s) inconnue(s) : 999');
    await expect(releaseCommand(hubReleaseTarget(u.hub.store, u.dir), ['rollout', '1.1.0'], { percent: '101' }, Date.now())).rejects.toThrow('Déploiement invalide');
    await expect(releaseCommand(hubReleaseTarget(u.hub.store, u.dir), ['rollout', '9.9.9'], {}, Date.now())).rejects.toThrow('inconnue');
  });
});

describe('downloads with Range', () => {
  const url = '/updates/files/1.1.0/Relais-1.1.0.AppImage';
  it('answers 206 with Content-Range for a range, a suffix and an open end; 416 past the end; 200 for several ranges', async () => {
    const h = bearer(chosen.token);
    const size = v110.bytes.length;
    const first = await raw(u.hub.httpUrl, url, { ...h, Range: 'bytes=0-9' });
    expect(first.status).toBe(206);
    expect(first.headers['content-range']).toBe(`bytes 0-9/${size}`);
    expect(first.body.equals(v110.bytes.subarray(0, 10))).toBe(true);
    const open = await raw(u.hub.httpUrl, url, { ...h, Range: `bytes=${size - 100}-` });
    expect(open.status).toBe(206);
    expect(open.body.equals(v110.bytes.subarray(size - 100))).toBe(true);
    const suffix = await raw(u.hub.httpUrl, url, { ...h, Range: 'bytes=-5' });
    expect(suffix.body.equals(v110.bytes.subarray(size - 5))).toBe(true);
    const past = await raw(u.hub.httpUrl, url, { ...h, Range: `bytes=${size}-` });
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${size}`);
    const several = await raw(u.hub.httpUrl, url, { ...h, Range: 'bytes=0-1,5-6' });
    expect(several.status).toBe(200);
    expect(several.body.length).toBe(size);
    const whole = await raw(u.hub.httpUrl, url, h);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    // A resumed download of another file (If-Range names another ETag) gets the whole of this one.
    const stale = await raw(u.hub.httpUrl, url, { ...h, Range: 'bytes=0-9', 'If-Range': '"autre"' });
    expect(stale.status).toBe(200);
    const fresh = await raw(u.hub.httpUrl, url, { ...h, Range: 'bytes=0-9', 'If-Range': whole.headers.etag ?? '' });
    expect(fresh.status).toBe(206);
  });
});

describe('reports', () => {
  it('records a booth’s result, shown with its version in the coordinator’s view', async () => {
    const r = await fetch(`${u.hub.httpUrl}/updates/report`, {
      method: 'POST',
      headers: { ...bearer(other.token), 'Content-Type': 'application/json' },
      body: JSON.stringify({ version: '1.1.0', outcome: 'failed', reason: 'checksum' }),
    });
    expect(r.status).toBe(200);
    const row = (await releases()).booths.find((b) => b.id === other.id);
    expect(row).toMatchObject({ version: '1.0.0', lastReport: { version: '1.1.0', outcome: 'failed', reason: 'checksum' } });
    const ok = await fetch(`${u.hub.httpUrl}/updates/report`, {
      method: 'POST',
      headers: bearer(chosen.token),
      body: JSON.stringify({ version: '1.1.0', outcome: 'updated', reason: null }),
    });
    expect(ok.status).toBe(200);
    expect((await releases()).booths.find((b) => b.id === chosen.id)?.lastReport).toMatchObject({ outcome: 'updated', reason: null });
  });
});

describe('hostile requests', () => {
  it('refuses unknown, missing, malformed and revoked booth credentials (401), on the feed, the files and the report', async () => {
    const revoked = u.hub.store.addBooth('Relais révoqué', Date.now());
    expect(u.hub.revokeBooth(revoked.id)).toBe(true);
    for (const headers of [{}, bearer('rb_inconnu'), { Authorization: 'Basic abc' }, bearer('x'.repeat(5000)), bearer(revoked.token), bearer('')]) {
      for (const target of ['/updates/latest-linux.yml', '/updates/files/1.1.0/Relais-1.1.0.AppImage', '/updates/report']) {
        const post = target.endsWith('report');
        const r = await raw(u.hub.httpUrl, target, headers, post ? 'POST' : 'GET', post ? '{}' : undefined);
        expect(r.status, `${target} ${JSON.stringify(headers).slice(0, 40)}`).toBe(401);
        expect(r.body.toString()).not.toContain('Relais-1.1.0');
      }
    }
  });

  it('never serves a file outside the release folder, whatever the path; bad versions are 400', async () => {
    const h = bearer(chosen.token);
    const targets = [
      '/updates/files/1.1.0/..%2F..%2Fhub.sqlite',
      '/updates/files/1.1.0/%2e%2e%2fhub.sqlite',
      '/updates/files/..%2F..%2F/hub.sqlite',
      '/updates/files/1.1.0/..',
      '/updates/files/1.1.0/hub.sqlite',
      '/updates/files/1.1.0/%00',
      '/updates/files/1.1.0/%E0%A4%A',
      '/updates/../hub.sqlite',
      '/updates/files/1.1.0/../../hub.sqlite',
      '/updates/files/v1.1.0/Relais-1.1.0.AppImage',
      '/updates/files/1.1.0;rm/Relais-1.1.0.AppImage',
      '/updates/files/1.1.0-%0a/Relais-1.1.0.AppImage',
      `/updates/files/${'9'.repeat(5000)}/x`,
      '/updates/latest-linux.yml/../../hub.sqlite',
      '/updates/releases/1.1.0/Relais-1.1.0.AppImage',
    ];
    const sqlite = readFileSync(path.join(u.dir, 'hub.sqlite')).subarray(0, 16);
    for (const target of targets) {
      const r = await raw(u.hub.httpUrl, target, h);
      expect([400, 404], target).toContain(r.status);
      expect(r.body.includes(sqlite), target).toBe(false);
    }
    // Still up.
    expect((await feedOf(chosen.token)).version).toBe('1.1.0');
  });

  it('answers huge headers 431 and a huge or malformed report 400/413, and keeps serving', async () => {
    const huge = await raw(u.hub.httpUrl, '/updates/latest-linux.yml', { ...bearer(chosen.token), 'X-Pad': 'a'.repeat(64 * 1024) });
    expect(huge.status).toBe(431);
    for (const [body, status] of [
      ['{', 400],
      ['[]', 400],
      [JSON.stringify({ version: '1.1.0', outcome: 'failed', reason: null }), 400],
      [JSON.stringify({ version: '1.1.0', outcome: 'updated', reason: 'checksum' }), 400],
      [JSON.stringify({ version: '../1.1.0', outcome: 'updated', reason: null }), 400],
      [JSON.stringify({ version: '1.1.0', outcome: 'hacked', reason: null }), 400],
      [JSON.stringify({ version: '1.1.0', outcome: 'updated', reason: null, extra: 1 }), 400],
      [JSON.stringify({ version: '1.1.0', outcome: 'updated', reason: null, pad: 'x'.repeat(100_000) }), 413],
    ] as const) {
      const r = await raw(u.hub.httpUrl, '/updates/report', { ...bearer(chosen.token), 'Content-Type': 'application/json' }, 'POST', body);
      expect(r.status, body.slice(0, 60)).toBe(status);
    }
    expect((await raw(u.hub.httpUrl, '/updates/latest-linux.yml', bearer(chosen.token), 'DELETE')).status).toBe(405);
    expect((await feedOf(chosen.token)).version).toBe('1.1.0');
  });

  it('keeps the coordinator’s API behind its login and its origin; refuses bad rollouts and uploads', async () => {
    expect((await fetch(`${u.hub.httpUrl}/coordinator/api/releases`)).status).toBe(401);
    expect((await fetch(`${u.hub.httpUrl}/coordinator/api/releases`, { headers: { Cookie: 'relais_coordinator=faux' } })).status).toBe(401);
    const cross = await u.api('/coordinator/api/releases/1.1.0/rollout', { method: 'POST', headers: { Origin: 'http://evil.example' }, body: '{}' });
    expect(cross.status).toBe(403);
    for (const [body, error] of [
      [{ booths: [], percent: 101, all: false, paused: false }, 'INVALID_INPUT'],
      [{ booths: [-1], percent: 0, all: false, paused: false }, 'INVALID_INPUT'],
      [{ booths: [424242], percent: 0, all: false, paused: false }, 'UNKNOWN_BOOTH'],
      [{ booths: [], percent: 1.5, all: false, paused: false }, 'INVALID_INPUT'],
      [{ percent: 10 }, 'INVALID_INPUT'],
    ] as const) {
      const r = await u.api('/coordinator/api/releases/1.1.0/rollout', { method: 'POST', body: JSON.stringify(body) });
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: string }).error).toBe(error);
    }
    expect((await rollout('7.7.7', {})).status).toBe(404);
    expect((await u.api('/coordinator/api/releases/..%2F7/rollout', { method: 'POST', body: '{}' })).status).toBe(400);
    for (const [target, error] of [
      ['/coordinator/api/releases/1.3.0/files/..%2F..%2Fhub.sqlite.AppImage', 'INVALID_NAME'],
      ['/coordinator/api/releases/1.3.0/files/.hidden.exe', 'INVALID_NAME'],
      ['/coordinator/api/releases/1.3.0/files/readme.txt', 'UNKNOWN_PLATFORM'],
      ['/coordinator/api/releases/1.3/files/Relais.exe', 'INVALID_VERSION'],
      ['/coordinator/api/releases/1.3.0%2F..%2F..%2F/files/Relais.exe', 'INVALID_VERSION'],
    ] as const) {
      const r = await u.api(target, { method: 'PUT', body: 'abc' });
      expect(r.status, target).toBe(400);
      expect(((await r.json()) as { error: string }).error).toBe(error);
    }
    const empty = await u.api('/coordinator/api/releases/1.3.0/files/Relais-1.3.0.exe', { method: 'PUT', body: '' });
    expect(empty.status).toBe(400);
    expect((await releases()).releases.map((r) => r.version)).toEqual(['1.2.0', '1.1.0']);
  });

  it('refuses an installer over the size limit and leaves nothing behind', async () => {
    const big = Readable.from([Buffer.alloc(600), Buffer.alloc(600)]);
    const dir = path.join(u.dir, 'limits');
    await expect(storeReleaseFile(dir, '2.0.0', 'Relais-2.0.0.exe', big, 1000)).rejects.toMatchObject({ code: 'TOO_LARGE' });
    expect(readdirSync(path.join(dir, '2.0.0'))).toEqual([]);
    expect(() => releaseFilePath(dir, '2.0.0', '../x.exe')).toThrow(ReleaseFileError);
    expect(() => releaseFilePath(dir, '../2.0.0', 'x.exe')).toThrow(ReleaseFileError);
  });

  it('has its temporary file on disk before it reads a byte, so that a refusal removes it for good', async () => {
    // The temporary file used to be opened while the copy ran: a refusal at the second chunk could remove it before
    // the opening ended, which then created it (one .part file left in ~3,000 refusals). Its name is its own too.
    const dir = path.join(u.dir, 'temp-first');
    const seenAtFirstRead: string[][] = [];
    const source = (): Readable => {
      let sent = 0;
      return new Readable({
        read() {
          if (sent === 0) seenAtFirstRead.push(readdirSync(path.join(dir, '2.0.0')));
          this.push(sent++ < 2 ? Buffer.alloc(600) : null);
        },
      });
    };
    for (let i = 0; i < 20; i++) await expect(storeReleaseFile(dir, '2.0.0', 'Relais-2.0.0.exe', source(), 1000)).rejects.toMatchObject({ code: 'TOO_LARGE' });
    expect(seenAtFirstRead).toHaveLength(20);
    for (const names of seenAtFirstRead) expect(names).toEqual([expect.stringMatching(/^Relais-2\.0\.0\.exe\.part-\d+-[0-9a-f]{16}$/)]);
    expect(new Set(seenAtFirstRead.map((names) => names[0])).size).toBe(20);
    expect(readdirSync(path.join(dir, '2.0.0'))).toEqual([]);
  });
});
