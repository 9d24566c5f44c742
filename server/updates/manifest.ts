// The channel file electron-builder publishes for electron-updater's generic provider (`latest.yml`, `latest-linux.yml`):
// version, files [{ url, sha512 (base64), size }], the deprecated path and sha512 of the first file, releaseDate.
// Shape: builder-util-runtime's `UpdateInfo` (out/updateInfo.d.ts); read back by the provider with js-yaml.
import { stringify } from 'yaml';
import type { ReleaseFile } from './store.js';

/** Where a release's file is served, relative to the feed (what `url` holds; the provider resolves it against the feed). */
export const fileUrlOf = (version: string, name: string): string => `files/${version}/${name}`;

export function channelFile(version: string, file: ReleaseFile, releaseDate: number): string {
  const url = fileUrlOf(version, file.name);
  return stringify({
    version,
    files: [{ url, sha512: file.sha512, size: file.size }],
    path: url,
    sha512: file.sha512,
    releaseDate: new Date(releaseDate).toISOString(),
  });
}

/** A booth outside every rollout is told the version it runs: electron-updater then finds nothing newer. */
export function currentVersionFile(version: string, at: number): string {
  return stringify({ version, files: [], releaseDate: new Date(at).toISOString() });
}
