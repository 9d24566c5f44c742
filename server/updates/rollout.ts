// Which release a booth is offered: the newest whose staged rollout includes it (chosen booths, then a percentage by a
// stable hash of its id, then all), unless paused. Pure: the routes and the coordinator's view call it alike.
import { createHash } from 'node:crypto';
import { compareReleaseVersions, type Rollout, type UpdatePlatform } from '../../shared/updates.js';
import type { Release } from './store.js';

/**
 * The booth's place in the percentage stage, 0–99: the same for every release and every hub start, so raising 10 % to
 * 30 % keeps the first 10 % in and a booth never flips in and out between checks.
 */
export function rolloutBucket(boothId: number): number {
  return createHash('sha256').update(`relais-rollout:${boothId}`).digest().readUInt32BE(0) % 100;
}

export function inRollout(rollout: Rollout, boothId: number): boolean {
  if (rollout.paused) return false;
  return rollout.all || rollout.booths.includes(boothId) || rolloutBucket(boothId) < rollout.percent;
}

/** The newest release for this booth and platform, or null when none includes it. */
export function offeredRelease(releases: readonly Release[], boothId: number, platform: UpdatePlatform | null): Release | null {
  let best: Release | null = null;
  for (const r of releases) {
    if (platform !== null && !r.files.some((f) => f.platform === platform)) continue;
    if (!inRollout(r.rollout, boothId)) continue;
    if (best === null || (compareReleaseVersions(r.version, best.version) ?? 0) > 0) best = r;
  }
  return best;
}

/** Releases newest first. */
export const newestFirst = (releases: readonly Release[]): Release[] => [...releases].sort((a, b) => compareReleaseVersions(b.version, a.version) ?? 0);
