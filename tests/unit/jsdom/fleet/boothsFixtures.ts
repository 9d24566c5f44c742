// Booths as the hub's fleet API gives them (typed by shared/fleet.ts), on Thursday 3 December 2026 at 15:00 in Paris.
import type { AlertsResponse, BoothEvent, BoothHealth, BoothRow, BoothsResponse } from '../../../../shared/fleet.js';

export const AT = Date.parse('2026-12-03T14:00:00Z');
const MIN = 60_000;

export const health = (over: Partial<BoothHealth> = {}): BoothHealth => ({
  version: '0.2.0',
  shell: 'web',
  printer: { state: 'idle', reasons: [] },
  cameras: 1,
  microphones: 1,
  freeDiskBytes: 50_000_000_000,
  lastCountSyncAt: AT - 86_400_000,
  openIncidents: 0,
  uptimeS: 7_200,
  clockOffsetMs: 0,
  ...over,
});

const row = (id: number, name: string, over: Partial<BoothRow> = {}): BoothRow => ({
  id,
  name,
  online: true,
  since: AT - 120 * MIN,
  problems: [],
  health: health(),
  reportedAt: AT - MIN,
  revoked: false,
  ...over,
});

export const BOOTHS: BoothsResponse = {
  at: AT,
  expectedVersion: '0.2.0',
  booths: [
    row(1, 'Relais de Gramat'),
    // Offline since 14:05 today (Paris), and since 1 December.
    row(2, 'Relais de Souillac', { online: false, since: Date.parse('2026-12-03T13:05:00Z'), problems: ['offline'], reportedAt: AT - 56 * MIN }),
    row(3, 'Relais de Figeac', { online: false, since: Date.parse('2026-12-01T09:30:00Z'), problems: ['offline'], reportedAt: Date.parse('2026-12-01T09:29:00Z') }),
    row(4, 'Relais de Cahors', { problems: ['printer_down', 'version_behind'], health: health({ version: '0.1.0', printer: { state: 'stopped', reasons: ['media-jam'] } }), reportedAt: AT - 2 * MIN }),
    row(5, 'Relais de Lacapelle', { problems: ['camera_missing', 'disk_low', 'clock_off'], health: health({ cameras: 0 }), reportedAt: AT - 30_000 }),
    row(6, 'Relais de Biars', { online: false, revoked: true, problems: [], reportedAt: AT - 3 * 86_400_000 }),
    row(7, 'Relais de Latronquière', { online: false, since: null, health: null, reportedAt: null }),
  ],
};

export const history = (n: number): BoothEvent[] =>
  Array.from({ length: n }, (_, i): BoothEvent => (i === 0 ? { at: Date.parse('2026-12-03T13:05:00Z'), kind: 'problem_start', problem: 'printer_down', version: null } : { at: AT - (i + 1) * 3_600_000, kind: i % 2 ? 'offline' : 'online', problem: null, version: null }));

/** Stubs fetch with the fleet API (and a signed-in session); records each request. */
export function fleetApi(answers: { booths?: () => Response; alerts?: () => Response; history?: (id: number) => Response; revoke?: (id: number) => Response } = {}) {
  const requests: { url: string; method: string }[] = [];
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  const fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    requests.push({ url, method: init?.method ?? 'GET' });
    const m = /\/coordinator\/api\/booths\/(\d+)\/(history|revoke)$/.exec(url);
    if (m?.[2] === 'history') return answers.history?.(Number(m[1])) ?? json(200, history(3));
    if (m?.[2] === 'revoke') return answers.revoke?.(Number(m[1])) ?? json(200, { revoked: true });
    if (url.endsWith('/coordinator/api/booths')) return answers.booths?.() ?? json(200, BOOTHS);
    if (url.endsWith('/coordinator/api/alerts')) return answers.alerts?.() ?? json(200, { at: AT, alerts: [] } satisfies AlertsResponse);
    return json(404, {});
  };
  return { fetch, requests, json };
}

/** The hub's alerts in progress: Souillac offline since 14:05 today, Cahors's printer down since 2 December at 16:40. */
export const ALERTS: AlertsResponse = {
  at: AT,
  alerts: [
    { boothId: 2, name: 'Relais de Souillac', rule: 'offline', since: Date.parse('2026-12-03T13:05:00Z') },
    { boothId: 4, name: 'Relais de Cahors', rule: 'printer_down', since: Date.parse('2026-12-02T15:40:00Z') },
  ],
};
