// The hub's enrolment API as the « Bornes » view calls it (server/enrolment/routes.ts), answers checked before shown.
import { EnrolmentCreated, PendingEnrolments } from '../../../shared/enrolment.js';
import type { ApiResult } from './boothsApi.js';

async function call<T>(path: string, parse: (v: unknown) => T | null, init?: RequestInit): Promise<ApiResult<T>> {
  try {
    const r = await fetch(`/coordinator/api/${path}`, { credentials: 'same-origin', ...init });
    if (r.status === 401) return { ok: false, reason: 'signedOut' };
    if (!r.ok) return { ok: false, reason: 'failed' };
    const value = parse(await r.json());
    return value === null ? { ok: false, reason: 'failed' } : { ok: true, value };
  } catch {
    return { ok: false, reason: 'failed' };
  }
}

const created = (v: unknown) => EnrolmentCreated.safeParse(v).data ?? null;
const post = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

export const createEnrolment = (name: string, commune: string) => call('enrolments', created, post({ name, commune }));
export const renewEnrolment = (boothId: number) => call(`enrolments/${boothId}/renew`, created, post({}));
export const fetchPendingEnrolments = () => call('enrolments', (v) => PendingEnrolments.safeParse(v).data ?? null);
