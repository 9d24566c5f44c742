// The hub's configuration API as the editor calls it; every answer is checked against shared/fleetConfig.ts first.
import { z } from 'zod';
import { ConfigOverview, ConfigVersionFull, type FleetConfig } from '../../../shared/fleetConfig.js';

export type ConfigApiResult<T> = { ok: true; value: T } | { ok: false; reason: 'signedOut' | 'failed' } | { ok: false; reason: 'refused'; detail: string };

const Published = z.object({ version: z.number().int().positive(), pushed: z.number().int().nonnegative() });
const Refusal = z.object({ error: z.string(), detail: z.string().optional() });

async function call<S extends z.ZodType>(path: string, schema: S, init?: RequestInit): Promise<ConfigApiResult<z.output<S>>> {
  try {
    const r = await fetch(`/coordinator/api/config${path}`, { credentials: 'same-origin', ...init });
    if (r.status === 401) return { ok: false, reason: 'signedOut' };
    const body: unknown = await r.json().catch(() => null);
    if (!r.ok) {
      const refusal = Refusal.safeParse(body);
      return refusal.success && refusal.data.detail ? { ok: false, reason: 'refused', detail: refusal.data.detail } : { ok: false, reason: 'failed' };
    }
    const parsed = schema.safeParse(body);
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: 'failed' };
  } catch {
    return { ok: false, reason: 'failed' };
  }
}

const post = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

export const fetchConfigOverview = () => call('', ConfigOverview);
export const fetchConfigVersion = (version: number) => call(`/versions/${version}`, ConfigVersionFull);
export const publishConfig = (target: 'all' | number, config: FleetConfig) => call('', Published, post({ target, config }));
export const rollbackConfig = (version: number) => call('/rollback', Published, post({ version }));
