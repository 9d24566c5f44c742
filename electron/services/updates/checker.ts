// A release check without Electron: reads the booth's channel file from the hub, and when it names a newer version,
// downloads the file and verifies its size and sha512 (base64, as electron-builder publishes them). The web shell and
// the tests use it; the Electron kiosk lets electron-updater do the same (updater.ts).
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CHANNEL_FILES, ReleaseFileName, ReleaseVersion, compareReleaseVersions, type UpdateFailure, type UpdatePlatform } from '../../../shared/updates.js';
import type { UpdateFeed } from './feed.js';

/** The part of electron-builder's channel file (builder-util-runtime's UpdateInfo) a booth relies on. */
export const ChannelFile = z.object({
  version: ReleaseVersion,
  files: z.array(z.object({ url: z.string().min(1).max(300), sha512: z.string().regex(/^[A-Za-z0-9+/]{86}==$/), size: z.number().int().min(1).optional() })).max(8),
  releaseDate: z.string().optional(),
});
export type ChannelFile = z.infer<typeof ChannelFile>;

export type ReleaseCheck =
  | { status: 'up-to-date'; offered: string }
  | { status: 'downloaded'; version: string; file: string; sha512: string; size: number }
  | { status: 'failed'; version: string | null; reason: UpdateFailure; detail: string };

export interface ReleaseCheckOptions {
  feed: UpdateFeed;
  platform: UpdatePlatform;
  currentVersion: string;
  /** Where the downloaded file is written (created if absent). */
  downloadDir: string;
  fetch?: typeof fetch;
  /** A channel file larger than this is refused (64 KiB). */
  maxChannelBytes?: number;
  /** A file larger than this is refused (1 GiB). */
  maxFileBytes?: number;
}

const fail = (version: string | null, reason: UpdateFailure, detail: string): ReleaseCheck => ({ status: 'failed', version, reason, detail });

export async function checkRelease(options: ReleaseCheckOptions): Promise<ReleaseCheck> {
  const fetchImpl = options.fetch ?? fetch;
  const auth = { Authorization: `Bearer ${options.feed.token}` };
  const channelUrl = new URL(CHANNEL_FILES[options.platform], options.feed.feedUrl);
  let manifest: ChannelFile;
  try {
    const r = await fetchImpl(channelUrl, { headers: auth, signal: AbortSignal.timeout(30_000) });
    if (!r.ok) return fail(null, 'manifest', `HTTP ${r.status}`);
    const text = await r.text();
    if (text.length > (options.maxChannelBytes ?? 64 * 1024)) return fail(null, 'manifest', 'channel file too large');
    const parsed = ChannelFile.safeParse(parseYaml(text, { maxAliasCount: 10 }));
    if (!parsed.success) return fail(null, 'manifest', 'channel file unreadable');
    manifest = parsed.data;
  } catch (cause) {
    return fail(null, 'manifest', (cause as Error).message);
  }
  if ((compareReleaseVersions(manifest.version, options.currentVersion) ?? 0) <= 0) return { status: 'up-to-date', offered: manifest.version };
  const entry = manifest.files[0];
  if (!entry) return fail(manifest.version, 'manifest', 'no file');
  // The file must come from the hub that named it, under its feed: a channel file pointing elsewhere is refused.
  const fileUrl = new URL(entry.url, options.feed.feedUrl);
  const name = path.posix.basename(fileUrl.pathname);
  if (fileUrl.origin !== new URL(options.feed.feedUrl).origin || !fileUrl.pathname.startsWith(new URL(options.feed.feedUrl).pathname) || !ReleaseFileName.safeParse(name).success) {
    return fail(manifest.version, 'manifest', 'file outside the feed');
  }
  await mkdir(options.downloadDir, { recursive: true });
  const file = path.join(options.downloadDir, name);
  const hash = createHash('sha512');
  const maxBytes = Math.min(entry.size ?? Number.MAX_SAFE_INTEGER, options.maxFileBytes ?? 1024 ** 3);
  let size = 0;
  try {
    const r = await fetchImpl(fileUrl, { headers: auth, signal: AbortSignal.timeout(30 * 60_000) });
    if (!r.ok || !r.body) return fail(manifest.version, 'download', `HTTP ${r.status}`);
    await pipeline(
      Readable.fromWeb(r.body as unknown as NodeReadableStream<Uint8Array>),
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          size += chunk.length;
          if (size > maxBytes) throw new Error('file larger than announced');
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(file),
    );
  } catch (cause) {
    await rm(file, { force: true });
    return fail(manifest.version, 'download', (cause as Error).message);
  }
  const sha512 = hash.digest('base64');
  if (sha512 !== entry.sha512 || (entry.size !== undefined && size !== entry.size)) {
    await rm(file, { force: true });
    return fail(manifest.version, 'checksum', 'sha512 or size differs from the channel file');
  }
  return { status: 'downloaded', version: manifest.version, file, sha512, size };
}
