// Kiosk updates' vocabulary, shared by the hub (which serves releases and their staged rollout), the kiosk (which checks,
// downloads, verifies and reports) and the coordinator's « Mises à jour » view: versions, file names, a booth's report.
import { z } from 'zod';
import { EpochMs } from './domain.js';

/** Where the hub serves the feed electron-updater's generic provider reads (`<feed>/latest-linux.yml`, `<feed>/files/…`). */
export const UPDATES_FEED_PATH = '/updates/';
/** POST a booth's update report here (Bearer booth token). */
export const UPDATES_REPORT_PATH = '/updates/report';
/** The coordinator's releases API (behind the coordinator's login). */
export const RELEASES_API_PATH = '/coordinator/api/releases';

/** A release's version, semver as the fleet reports it (`1.4.0`, `1.5.0-beta.1`): no build metadata, no `v` prefix. */
export const ReleaseVersion = z.string().regex(/^\d{1,4}\.\d{1,4}\.\d{1,6}(?:-[0-9A-Za-z.-]{1,32})?$/, 'semver');
export type ReleaseVersion = z.infer<typeof ReleaseVersion>;

/** An installer's file name as stored and served: letters, digits, dot, dash, underscore; never a path nor `..`. */
export const ReleaseFileName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'file name')
  .refine((n) => !n.includes('..'), 'file name');

/** The platforms electron-updater asks for: `latest.yml` (Windows, NSIS) and `latest-linux.yml` (Linux x64, AppImage/deb). */
export const UpdatePlatform = z.enum(['linux', 'win']);
export type UpdatePlatform = z.infer<typeof UpdatePlatform>;

/** The channel file electron-updater's generic provider requests for a platform (its `getChannelFilePrefix`, x64). */
export const CHANNEL_FILES: Readonly<Record<UpdatePlatform, string>> = { linux: 'latest-linux.yml', win: 'latest.yml' };

/** A platform from an installer's extension (`.exe` is Windows), or null when it is not one the kiosk is packaged as. */
export function platformOfFile(name: string): UpdatePlatform | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.exe')) return 'win';
  if (lower.endsWith('.appimage') || lower.endsWith('.deb')) return 'linux';
  return null;
}

/** A staged rollout: chosen booths first, then a percentage of all booths (a stable hash of their id), then all; paused stops it. */
export const Rollout = z.strictObject({
  booths: z.array(z.number().int().positive().max(999_999_999)).max(1_000),
  percent: z.number().int().min(0).max(100),
  all: z.boolean(),
  paused: z.boolean(),
});
export type Rollout = z.infer<typeof Rollout>;

export const UpdateOutcome = z.enum(['downloaded', 'updated', 'failed']);
export type UpdateOutcome = z.infer<typeof UpdateOutcome>;
/** Why an update failed: the file's sha512 did not match, the download or the manifest failed, or the installer did. */
export const UpdateFailure = z.enum(['checksum', 'download', 'manifest', 'install']);
export type UpdateFailure = z.infer<typeof UpdateFailure>;

/** What a booth tells the hub of an update: downloaded, now running it (`updated`), or failed and still on its version. */
export const UpdateReport = z
  .strictObject({ version: ReleaseVersion, outcome: UpdateOutcome, reason: UpdateFailure.nullable() })
  .refine((r) => (r.outcome === 'failed') === (r.reason !== null), 'a failure has a reason, a success none');
export type UpdateReport = z.infer<typeof UpdateReport>;

export const ReleaseFileView = z.strictObject({ platform: UpdatePlatform, name: ReleaseFileName, size: z.number().int().min(0), sha512: z.string() });
export const ReleaseView = z.strictObject({ version: ReleaseVersion, createdAt: EpochMs, files: z.array(ReleaseFileView), rollout: Rollout });
export type ReleaseView = z.infer<typeof ReleaseView>;

export const BoothUpdateView = z.strictObject({
  id: z.number().int().positive(),
  name: z.string(),
  revoked: z.boolean(),
  /** The version of its last health report; null before the first. */
  version: z.string().nullable(),
  /** The release the hub offers it now (the newest whose rollout includes it); null: none. */
  offered: ReleaseVersion.nullable(),
  lastReport: z.strictObject({ version: ReleaseVersion, outcome: UpdateOutcome, reason: UpdateFailure.nullable(), at: EpochMs }).nullable(),
});
export type BoothUpdateView = z.infer<typeof BoothUpdateView>;

/** GET /coordinator/api/releases: the releases, newest first, and every booth's version and last update result. */
export const ReleasesResponse = z.strictObject({ at: EpochMs, releases: z.array(ReleaseView), booths: z.array(BoothUpdateView) });
export type ReleasesResponse = z.infer<typeof ReleasesResponse>;

type Parsed = { core: [number, number, number]; pre: string[] };
function parse(v: string): Parsed | null {
  if (!ReleaseVersion.safeParse(v).success) return null;
  const [main = '', pre] = v.split(/-(.*)/s, 2);
  const core = main.split('.').map(Number) as [number, number, number];
  return { core, pre: pre === undefined || pre === '' ? [] : pre.split('.') };
}

/** Semver precedence of two versions (-1, 0, 1), or null when either is not a ReleaseVersion. */
export function compareReleaseVersions(a: string, b: string): number | null {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return null;
  for (let i = 0; i < 3; i++) if (x.core[i] !== y.core[i]) return (x.core[i] ?? 0) < (y.core[i] ?? 0) ? -1 : 1;
  if (x.pre.length === 0 || y.pre.length === 0) return x.pre.length === y.pre.length ? 0 : x.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    if (p === q) continue;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) return Number(p) < Number(q) ? -1 : 1;
    if (pn !== qn) return pn ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return 0;
}
