// The hub's fleet API as the « Bornes » view calls it; every answer is checked against shared/fleet.ts before it is shown.
import { z } from 'zod';
import { AlertsResponse, BoothEvent, BoothsResponse } from '../../../shared/fleet.js';

export type ApiResult<T> = { ok: true; value: T } | { ok: false; reason: 'signedOut' | 'failed' };

async function getJson<S extends z.ZodType>(path: string, schema: S, init?: RequestInit): Promise<ApiResult<z.output<S>>> {
  try {
    const r = await fetch(`/coordinator/api/${path}`, { credentials: 'same-origin', ...init });
    if (r.status === 401) return { ok: false, reason: 'signedOut' };
    if (!r.ok) return { ok: false, reason: 'failed' };
    const parsed = schema.safeParse(await r.json());
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: 'failed' };
  } catch {
    return { ok: false, reason: 'failed' };
  }
}

export const fetchBooths = (): Promise<ApiResult<BoothsResponse>> => getJson('booths', BoothsResponse);

export const fetchAlerts = (): Promise<ApiResult<AlertsResponse>> => getJson('alerts', AlertsResponse);

export const fetchBoothHistory = (id: number): Promise<ApiResult<BoothEvent[]>> => getJson(`booths/${id}/history`, z.array(BoothEvent));

export const revokeBooth = (id: number): Promise<ApiResult<unknown>> => getJson(`booths/${id}/revoke`, z.unknown(), { method: 'POST' });
