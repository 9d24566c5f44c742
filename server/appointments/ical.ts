// Each agent's iCalendar feed: GET /agents/ical/<secret>.ics, which calendar programs subscribe to. The secret is random
// (256 bits), kept hashed, revocable (CLI `agent ical <login> new|revoke`). Events carry TZID=Europe/Paris with its
// VTIMEZONE, so a calendar places a 09:00 appointment at 09:00 on both sides of a daylight-saving change.
import ical from 'ical-generator';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { HttpRoute } from '../coordinator/index.js';
import type { MaybePromise } from '../maybe.js';
import { sha256 } from '../store.js';
import { PARIS, wallOf } from './localTime.js';
import type { Appointment, AppointmentStore } from './store.js';

export const ICAL_PREFIX = '/agents/ical/';
const SECRET_PATH = /^\/agents\/ical\/([A-Za-z0-9_-]{32,128})\.ics$/;
const HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' };
/** The feed holds the last month and what is to come. */
const PAST_MS = 31 * 86_400_000;
const AHEAD_MS = 400 * 86_400_000;

/** A new secret (printed once) and the hash the hub keeps. */
export function newIcalSecret(): { secret: string; hash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { secret, hash: sha256(secret) };
}

/** Europe/Paris under the EU rule in force since 1996: summer time from the last Sunday of March to that of October. */
export const PARIS_VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Paris',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n');

/** ical-generator writes a native Date's UTC fields as the local time of the event's TZID: give it Paris wall-clock time. */
const parisWall = (instant: number): Date => {
  const w = wallOf(instant, PARIS);
  return new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second));
};

const STATUS_TEXT: Record<string, string> = { booked: '', honoured: ' (honoré)', missed: ' (non honoré)' };

export function icalFeed(agentName: string, appointments: readonly Appointment[], now: number): string {
  const calendar = ical({ name: `Relais – rendez-vous visio (${agentName})`, prodId: { company: 'Relais', product: 'hub', language: 'FR' }, timezone: { name: null, generator: (tz) => (tz === PARIS ? PARIS_VTIMEZONE : null) } });
  for (const a of appointments) {
    if (a.status === 'cancelled' || a.status === 'closed') continue;
    calendar.createEvent({
      id: `${a.id}@relais`,
      start: parisWall(a.startsAt),
      end: parisWall(a.endsAt),
      timezone: PARIS,
      stamp: new Date(now),
      summary: `Visio ${a.organisation} – ${a.subjectLabel}${STATUS_TEXT[a.status] ?? ''}`,
      location: a.siteName,
      // The visitor's note only with their consent (the store keeps none otherwise), and only until it is over.
      description: `Borne : ${a.siteName}\nMotif : ${a.subjectLabel}${a.note && a.noteConsent ? `\nNote : ${a.note}` : ''}`,
    });
  }
  return calendar.toString();
}

export interface IcalRouteDeps {
  store: Pick<AppointmentStore, 'agentIdByIcalHash' | 'forAgent'>;
  agentOf: (agentId: number) => MaybePromise<{ organisation: string; displayName: string } | null>;
  clock: () => number;
  log: Logger;
}

export function createIcalRoute({ store, agentOf, clock, log }: IcalRouteDeps): HttpRoute {
  const notFound = (res: ServerResponse): true => {
    res.writeHead(404, { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('Calendrier introuvable.');
    return true;
  };
  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (!url.pathname.startsWith(ICAL_PREFIX)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...HEADERS, Allow: 'GET, HEAD' }).end();
      return true;
    }
    const m = SECRET_PATH.exec(url.pathname);
    const agentId = m?.[1] ? await store.agentIdByIcalHash(sha256(m[1])) : null;
    const agent = agentId === null ? null : await agentOf(agentId);
    if (agentId === null || !agent) {
      log.info({ code: 'ICAL_UNKNOWN_SECRET' }, 'iCalendar feed asked with an unknown or revoked secret');
      return notFound(res);
    }
    const now = clock();
    const body = icalFeed(agent.displayName, await store.forAgent(agentId, agent.organisation, now - PAST_MS, now + AHEAD_MS), now);
    res.writeHead(200, { ...HEADERS, 'Content-Type': 'text/calendar; charset=utf-8' }).end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}
