// The hub's releases API as the « Mises à jour » view calls it; every answer is checked against shared/updates.ts.
import { ReleasesResponse, type Rollout } from '../../../shared/updates.js';
import type { ApiResult } from '../booths/boothsApi.js';

async function call(path: string, init?: RequestInit): Promise<ApiResult<ReleasesResponse>> {
  try {
    const r = await fetch(`/coordinator/api/${path}`, { credentials: 'same-origin', ...init });
    if (r.status === 401) return { ok: false, reason: 'signedOut' };
    if (!r.ok) return { ok: false, reason: 'failed' };
    const parsed = ReleasesResponse.safeParse(await r.json());
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: 'failed' };
  } catch {
    return { ok: false, reason: 'failed' };
  }
}

export const fetchReleases = (): Promise<ApiResult<ReleasesResponse>> => call('releases');

export const saveRollout = (version: string, rollout: Rollout): Promise<ApiResult<ReleasesResponse>> =>
  call(`releases/${encodeURIComponent(version)}/rollout`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(rollout) });
