// A staged update reaches the chosen booth only, over loopback with a real hub: electron-updater's own GenericProvider
// and downloader (builder-util's Node executor, as electron-builder's CLI uses it) read the feed with each booth's token
// and verify the sha512; the kiosk's checker without Electron downloads, verifies and reports; a file altered on the
// hub is caught by both; hostile channel files are refused by the checker.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NodeHttpExecutor } from 'builder-util/out/nodeHttpExecutor.js';
import { CancellationToken, configureRequestOptions, configureRequestUrl, type UpdateInfo } from 'builder-util-runtime';
import type { AppUpdater } from 'electron-updater';
import { GenericProvider } from 'electron-updater/out/providers/GenericProvider.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../electron/services/logger.js';
import { checkRelease, createUpdateReporter, updateFeedOf, type UpdateFeed } from '../../../../electron/services/updates/index.js';
import { hubReleaseTarget, releaseCommand } from '../../../../server/updates/cli.js';
import { ReleasesResponse } from '../../../../shared/updates.js';
import { installer, startUpdateHub, type UpdateHub } from './support.js';

let u: UpdateHub;
let chosen: UpdateFeed;
let other: UpdateFeed;
let ids: { chosen: number; other: number };
let release: ReturnType<typeof installer>;
let downloads: string;

const feedOf = (token: string): UpdateFeed => {
  const f = updateFeedOf({ url: u.hub.url, token });
  if (!f) throw new Error('feed');
  return f;
};
/** electron-updater's generic provider for Linux x64, as AppImageUpdater builds it, with the booth's Authorization header. */
function provider(feed: UpdateFeed): GenericProvider {
  const updaterLike = { channel: null, isAddNoCacheQuery: false } as unknown as AppUpdater;
  const p = new GenericProvider({ provider: 'generic', url: feed.feedUrl }, updaterLike, {
    // ElectronHttpExecutor needs Electron's net module; the provider only calls `request`, which Node's executor has.
    executor: new NodeHttpExecutor() as unknown as ConstructorParameters<typeof GenericProvider>[2]['executor'],
    platform: 'linux',
    isUseMultipleRangeRequest: true,
  });
  p.setRequestHeaders({ authorization: `Bearer ${feed.token}` });
  return p;
}
/** electron-updater's download to a file (ElectronHttpExecutor.download's call of doDownload, over Node's http): the sha512 is checked as it streams. */
class UpdaterDownloader extends NodeHttpExecutor {
  downloadFile(url: URL, destination: string, token: string, sha512: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const requestOptions = { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(
        requestOptions,
        { destination, options: { sha512, cancellationToken: new CancellationToken() }, onCancel: () => undefined, callback: (e) => (e ? reject(e) : resolve(destination)), responseHandler: null },
        0,
      );
    });
  }
}
const view = async () => ReleasesResponse.parse(await (await u.api('/coordinator/api/releases')).json());

beforeAll(async () => {
  u = await startUpdateHub();
  downloads = mkdtempSync(path.join(tmpdir(), 'relais-downloads-'));
  const a = u.hub.store.addBooth('Relais de Gramat', Date.now());
  const b = u.hub.store.addBooth('Relais de Figeac', Date.now());
  ids = { chosen: a.id, other: b.id };
  chosen = feedOf(a.token);
  other = feedOf(b.token);
  release = installer(u.dir, 'Relais-1.1.0.AppImage', 2_000_000);
  await releaseCommand(hubReleaseTarget(u.hub.store, u.dir), ['add', release.file, '1.1.0'], {}, Date.now());
  await releaseCommand(hubReleaseTarget(u.hub.store, u.dir), ['rollout', '1.1.0'], { booths: String(a.id) }, Date.now());
});
afterAll(async () => {
  await u.close();
  rmSync(downloads, { recursive: true, force: true });
});

describe('a staged update', () => {
  it('reaches the chosen booth through electron-updater’s own provider and downloader, sha512 verified', async () => {
    const p = provider(chosen);
    const info: UpdateInfo = await p.getLatestVersion();
    expect(info.version).toBe('1.1.0');
    const [file] = p.resolveFiles(info);
    if (!file) throw new Error('a file');
    expect(file.url.href).toBe(`${u.hub.httpUrl}/updates/files/1.1.0/Relais-1.1.0.AppImage`);
    const target = path.join(downloads, 'updater-ok.AppImage');
    await new UpdaterDownloader().downloadFile(file.url, target, chosen.token, file.info.sha512);
    expect(readFileSync(target).equals(release.bytes)).toBe(true);
  });

  it('does not reach the other booth: its provider reads a version that is not newer and no file', async () => {
    const info = await provider(other).getLatestVersion();
    expect(info.version).toBe('0.0.0');
    expect(info.files).toEqual([]);
  });

  it('the checker without Electron downloads and verifies for the chosen booth, finds nothing for the other; reports are shown', async () => {
    const got = await checkRelease({ feed: chosen, platform: 'linux', currentVersion: '1.0.0', downloadDir: path.join(downloads, 'a') });
    expect(got).toMatchObject({ status: 'downloaded', version: '1.1.0', sha512: release.sha512, size: release.bytes.length });
    if (got.status !== 'downloaded') throw new Error('downloaded');
    expect(readFileSync(got.file).equals(release.bytes)).toBe(true);
    const none = await checkRelease({ feed: other, platform: 'linux', currentVersion: '1.0.0', downloadDir: path.join(downloads, 'b') });
    expect(none).toEqual({ status: 'up-to-date', offered: '0.0.0' });
    expect(existsSync(path.join(downloads, 'b', 'Relais-1.1.0.AppImage'))).toBe(false);

    expect(await createUpdateReporter(chosen, silentLogger())({ version: '1.1.0', outcome: 'updated', reason: null })).toBe(true);
    const rows = (await view()).booths;
    expect(rows.find((r) => r.id === ids.chosen)).toMatchObject({ offered: '1.1.0', lastReport: { version: '1.1.0', outcome: 'updated' } });
    expect(rows.find((r) => r.id === ids.other)).toMatchObject({ offered: null, lastReport: null });
  });

  it('a file altered on the hub is refused by electron-updater (ERR_CHECKSUM_MISMATCH) and by the checker, which reports it', async () => {
    const stored = path.join(u.dir, 'releases', '1.1.0', 'Relais-1.1.0.AppImage');
    const original = readFileSync(stored);
    writeFileSync(stored, randomBytes(original.length));
    try {
      const p = provider(chosen);
      const [file] = p.resolveFiles(await p.getLatestVersion());
      if (!file) throw new Error('a file');
      await expect(new UpdaterDownloader().downloadFile(file.url, path.join(downloads, 'updater-bad.AppImage'), chosen.token, file.info.sha512)).rejects.toMatchObject({
        code: 'ERR_CHECKSUM_MISMATCH',
      });
      const got = await checkRelease({ feed: chosen, platform: 'linux', currentVersion: '1.0.0', downloadDir: path.join(downloads, 'c') });
      expect(got).toMatchObject({ status: 'failed', version: '1.1.0', reason: 'checksum' });
      expect(existsSync(path.join(downloads, 'c', 'Relais-1.1.0.AppImage'))).toBe(false);
      await createUpdateReporter(chosen, silentLogger())({ version: '1.1.0', outcome: 'failed', reason: 'checksum' });
      expect((await view()).booths.find((r) => r.id === ids.chosen)?.lastReport).toMatchObject({ outcome: 'failed', reason: 'checksum' });
    } finally {
      writeFileSync(stored, original);
    }
  });

  it('a revoked booth gets nothing and its reports are refused', async () => {
    expect(u.hub.revokeBooth(ids.other)).toBe(true);
    const r = await checkRelease({ feed: other, platform: 'linux', currentVersion: '1.0.0', downloadDir: path.join(downloads, 'd') });
    expect(r, JSON.stringify(r)).toMatchObject({ status: 'failed', reason: 'manifest', detail: 'HTTP 401' });
    expect(await createUpdateReporter(other, silentLogger())({ version: '1.1.0', outcome: 'updated', reason: null })).toBe(false);
  });
});

describe('hostile channel files', () => {
  let server: http.Server;
  let base: string;
  let answer: { status: number; body: string | Buffer } = { status: 200, body: '' };
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      res.writeHead(answer.status).end(req.url?.startsWith('/updates/files/') ? Buffer.alloc(5000) : answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/hub`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const sha = 'A'.repeat(86) + '==';
  const cases: Array<[string, string | Buffer, string]> = [
    ['not YAML', '{{{ : :', 'manifest'],
    ['a YAML bomb', `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n`, 'manifest'],
    ['a bad version', `version: "9.9.9; rm -rf /"\nfiles: []\n`, 'manifest'],
    ['a file on another host', `version: 9.9.9\nfiles:\n  - url: http://evil.example/x.AppImage\n    sha512: ${sha}\n    size: 5000\n`, 'manifest'],
    ['a file outside the feed', `version: 9.9.9\nfiles:\n  - url: ../../etc/passwd\n    sha512: ${sha}\n    size: 5000\n`, 'manifest'],
    ['a file larger than announced', `version: 9.9.9\nfiles:\n  - url: files/9.9.9/x.AppImage\n    sha512: ${sha}\n    size: 10\n`, 'download'],
    ['a wrong sha512', `version: 9.9.9\nfiles:\n  - url: files/9.9.9/x.AppImage\n    sha512: ${sha}\n    size: 5000\n`, 'checksum'],
    ['a channel file too large', `version: 9.9.9\n#${'x'.repeat(100_000)}\n`, 'manifest'],
  ];
  it.each(cases)('refuses %s (%#) without writing anything', async (_name, body, reason) => {
    answer = { status: 200, body };
    const dir = path.join(downloads, `hostile-${reason}-${Math.random().toString(36).slice(2)}`);
    const r = await checkRelease({ feed: feedOf2(base), platform: 'linux', currentVersion: '1.0.0', downloadDir: dir });
    expect(r).toMatchObject({ status: 'failed', reason });
    expect(existsSync(path.join(dir, 'x.AppImage'))).toBe(false);
  });
});

function feedOf2(url: string): UpdateFeed {
  const f = updateFeedOf({ url, token: 'rb_x' });
  if (!f) throw new Error('feed');
  return f;
}
