// The appointments' frames on the hub's socket: booths ask for free slots, book and cancel; planners publish, close and
// list slot series; agents list their day or week. Answers go to the sender; changes go to the booth and the agent.
import type { Logger } from 'pino';
import { MAX_BOOTH_CHOICES, MINE_MAX_APPOINTMENTS, MINE_SINCE_MAX_MS, RingingAppointment, type AgentAppointment } from '../../shared/appointments.js';
import type { ClientFrameOf, HubErrorCode, HubFrame, HubFrameOf } from '../../shared/protocol.js';
import type { AppointmentCall } from '../calls.js';
import { mapMaybe, type MaybePromise } from '../maybe.js';
import type { Conn } from '../connections/conn.js';
import { ICAL_PREFIX, newIcalSecret } from './ical.js';
import { instantOf, localDayOf, wallOf } from './localTime.js';
import type { AppointmentService, Refusal } from './service.js';
import type { Appointment, AppointmentStore } from './store.js';

export type AppointmentFrame = ClientFrameOf<
  'appointment.slots' | 'appointment.book' | 'appointment.cancel' | 'appointment.mine' | 'slots.publish' | 'slots.close' | 'slots.list' | 'appointments.list' | 'appointments.ical' | 'slots.booths'
>;

export interface AppointmentFramesDeps {
  service: AppointmentService;
  store: Pick<AppointmentStore, 'isPlanner' | 'forAgent' | 'forBooth' | 'listSeries' | 'closures' | 'byId' | 'honour' | 'setIcalHash' | 'boothChoices'>;
  clock: () => number;
  /** The organisation of the agent signed in on this socket (null: unknown or revoked). */
  organisationOf: (conn: Conn) => MaybePromise<string | null>;
  sendFrame: (conn: Conn, frame: HubFrame) => void;
  sendError: (conn: Conn, code: HubErrorCode) => void;
  /** To every socket of this booth / to this agent (or, with null, the organisation's agents). */
  toBooth: (boothId: number, frame: HubFrame) => void;
  toAgents: (organisation: string, agentId: number | null, frame: HubFrame) => void;
  log: Logger;
}

export const toBoothView = (a: Appointment): HubFrameOf<'appointment.booked'>['appointment'] => ({
  id: a.id,
  organisation: a.organisation,
  startsAt: a.startsAt,
  endsAt: a.endsAt,
  subject: a.subject,
  status: a.status,
});
export const toAgentView = (a: Appointment): AgentAppointment => ({ ...toBoothView(a), siteName: a.siteName, agentId: a.agentId, subjectLabel: a.subjectLabel, note: a.note });

/** The day (local midnight to midnight) or the ISO week (from Monday) holding `at`, in Paris. */
export function rangeOf(range: 'day' | 'week', at: number): { from: number; to: number } {
  const w = wallOf(at);
  const weekday = (new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay() + 6) % 7;
  const back = range === 'week' ? weekday : 0;
  const first = new Date(Date.UTC(w.year, w.month - 1, w.day - back));
  const last = new Date(Date.UTC(w.year, w.month - 1, w.day - back + (range === 'week' ? 7 : 1)));
  const midnight = (d: Date): number => instantOf({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: 0, minute: 0 }).instant;
  return { from: midnight(first), to: midnight(last) };
}

/**
 * What `call.ringing` tells every agent rung for this appointment: the note only with the visitor's consent. A label or
 * note the frame's schema would refuse is left out (the agent still sees « Rendez-vous de HH:MM »), never sent broken.
 */
export function ringingDetails(a: Appointment): RingingAppointment | null {
  const withNote = RingingAppointment.safeParse({ startsAt: a.startsAt, subjectLabel: a.subjectLabel, ...(a.noteConsent && a.note ? { note: a.note } : {}) });
  if (withNote.success) return withNote.data;
  const withoutNote = RingingAppointment.safeParse({ startsAt: a.startsAt, subjectLabel: a.subjectLabel });
  return withoutNote.success ? withoutNote.data : null;
}

/** The booth's home offers to join from 10 minutes before the start. */
export const JOIN_BEFORE_MS = 10 * 60_000;

export function createAppointmentFrames(deps: AppointmentFramesDeps) {
  const { service, store, clock, sendFrame, sendError, toBooth, toAgents, log } = deps;
  const refused = (conn: Conn, r: Refusal): void => sendFrame(conn, { type: 'appointment.refused', code: r.code, message: r.message, next: r.next ?? [] });

  /** A change never goes unsaid: the booth is told (`appointment.changed`) and so is the agent (`appointments.changed`). */
  function tell(a: Appointment, reason: HubFrameOf<'appointment.changed'>['reason']): void {
    toBooth(a.boothId, { type: 'appointment.changed', appointment: toBoothView(a), reason });
    toAgents(a.organisation, a.agentId, { type: 'appointments.changed', appointment: toAgentView(a), reason });
  }

  async function fromBooth(conn: Conn, frame: AppointmentFrame): Promise<void> {
    const boothId = conn.subjectId;
    if (frame.type === 'appointment.slots') {
      const [slots, subjects] = await Promise.all([service.freeSlots(frame.organisation, boothId, frame.from, frame.limit ?? 10), service.subjects(frame.organisation)]);
      return sendFrame(conn, { type: 'appointment.slots', organisation: frame.organisation, subjects, slots });
    }
    if (frame.type === 'appointment.book') {
      const r = await service.book({ organisation: frame.organisation, boothId, startsAt: frame.startsAt, subject: frame.subject, note: frame.note, noteConsent: frame.noteConsent });
      if (!r.ok) {
        log.info({ code: 'APPOINTMENT_REFUSED', refusal: r.code, organisation: frame.organisation, boothId }, 'booking refused');
        return refused(conn, r);
      }
      log.info({ code: 'APPOINTMENT_BOOKED', appointmentId: r.appointment.id, organisation: frame.organisation, boothId }, 'appointment booked');
      sendFrame(conn, { type: 'appointment.booked', appointment: toBoothView(r.appointment), bring: r.bring });
      toAgents(r.appointment.organisation, r.appointment.agentId, { type: 'appointments.changed', appointment: toAgentView(r.appointment), reason: 'booked' });
      return;
    }
    if (frame.type === 'appointment.mine') {
      if (frame.since !== undefined) {
        // Whatever became of them, for the booth's month report: from `since`, but never further back than the kiosk keeps.
        const all = await store.forBooth(boothId, Math.max(frame.since, clock() - MINE_SINCE_MAX_MS));
        return sendFrame(conn, { type: 'appointment.mine', appointments: all.slice(-MINE_MAX_APPOINTMENTS).map(toBoothView) });
      }
      const mine = (await store.forBooth(boothId, clock())).filter((a) => a.status === 'booked' || a.status === 'honoured');
      return sendFrame(conn, { type: 'appointment.mine', appointments: mine.slice(0, 100).map(toBoothView) });
    }
    if (frame.type === 'appointment.cancel') {
      const r = await service.cancel(frame.appointmentId, boothId);
      if ('ok' in r) return refused(conn, r);
      log.info({ code: 'APPOINTMENT_CANCELLED', appointmentId: r.id, by: 'booth' }, 'appointment cancelled by its booth');
      return tell(r, 'cancelled_by_booth');
    }
    sendError(conn, 'FORBIDDEN');
  }

  async function fromAgent(conn: Conn, frame: AppointmentFrame): Promise<void> {
    const organisation = await deps.organisationOf(conn);
    if (!organisation) return sendError(conn, 'FORBIDDEN');
    if (frame.type === 'appointments.list') {
      const { from, to } = rangeOf(frame.range, frame.from ?? clock());
      const appointments = (await store.forAgent(conn.subjectId, organisation, from, to)).map(toAgentView);
      return sendFrame(conn, { type: 'appointments.list', from, to, appointments: appointments.slice(0, 2_000) });
    }
    if (frame.type === 'appointments.ical') {
      // The agent's own address only: a new secret (kept hashed, shown this once), or none.
      if (frame.action === 'revoke') {
        await store.setIcalHash(conn.subjectId, null);
        log.info({ code: 'ICAL_REVOKED', agentId: conn.subjectId }, 'calendar address revoked');
        return sendFrame(conn, { type: 'appointments.ical', path: null });
      }
      const { secret, hash } = newIcalSecret();
      await store.setIcalHash(conn.subjectId, hash);
      log.info({ code: 'ICAL_RENEWED', agentId: conn.subjectId }, 'calendar address renewed');
      return sendFrame(conn, { type: 'appointments.ical', path: `${ICAL_PREFIX}${secret}.ics` });
    }
    // Publishing, closing and listing series: planners only, asked of the store at each frame (a right taken back counts).
    if (!frame.type.startsWith('slots.') || !(await store.isPlanner(conn.subjectId))) return sendError(conn, 'FORBIDDEN');
    if (frame.type === 'slots.booths') {
      return sendFrame(conn, { type: 'slots.booths', booths: (await store.boothChoices()).slice(0, MAX_BOOTH_CHOICES) });
    }
    if (frame.type === 'slots.list') {
      const today = localDayOf(clock());
      const [closures, series] = await Promise.all([store.closures(organisation, today), store.listSeries(organisation, clock())]);
      const shown = closures.map((c) => ({ from: c.from, to: c.to, reason: c.reason }));
      return sendFrame(conn, { type: 'slots.list', series: series.slice(0, 500), closures: shown.slice(0, 500) });
    }
    if (frame.type === 'slots.publish') {
      const r = await service.publish(organisation, conn.subjectId, frame.series);
      if (!r.ok) return refused(conn, r);
      log.info({ code: 'SLOTS_PUBLISHED', organisation, seriesId: r.seriesId, slots: r.slots }, 'slot series published');
      return sendFrame(conn, { type: 'slots.published', seriesId: r.seriesId, slots: r.slots, skipped: r.skipped, shifted: r.shifted, truncated: r.truncated });
    }
    if (frame.type === 'slots.close') {
      const c = frame.close;
      const r = c.kind === 'series' ? await service.closeSeries(organisation, c.seriesId) : await service.closeDays(organisation, c.from, c.to, c.reason ?? null);
      if (!r.ok) return refused(conn, r);
      log.info({ code: 'SLOTS_CLOSED', organisation, slots: r.slots, affected: r.affected.length }, 'slots closed');
      for (const a of r.affected) tell(a, 'cancelled_by_organisation');
      return sendFrame(conn, { type: 'slots.closed', slots: r.slots, affected: r.affected.map(toAgentView) });
    }
  }

  return {
    /** Answers once the store has (at once on SQLite: nothing else runs in between). */
    async onFrame(conn: Conn, frame: AppointmentFrame): Promise<void> {
      if (conn.role === 'booth') await fromBooth(conn, frame);
      else if (conn.role === 'agent') await fromAgent(conn, frame);
      else sendError(conn, 'NOT_AUTHENTICATED');
    },
    /** A booth's call for its appointment: its own, booked, from 10 minutes before the start to the end of the grace time. */
    /** At once on SQLite: the call is asked in the same turn as the frame that asks it. */
    callFor(boothId: number, organisation: string, appointmentId: string): MaybePromise<AppointmentCall | null> {
      return mapMaybe(store.byId(appointmentId), (a) => {
        const now = clock();
        if (!a || a.boothId !== boothId || a.organisation !== organisation || a.status !== 'booked') return null;
        if (now < a.startsAt - JOIN_BEFORE_MS || now > a.startsAt + service.graceMs) return null;
        const details = ringingDetails(a);
        return { id: a.id, agentId: a.agentId, ...(details ? { details } : {}) };
      });
    },
    /**
     * The call was answered: honoured once (the store's conditional update: several hub nodes applying the same answer,
     * an owner taking over an organisation, tell it once), told to both sides.
     */
    async answered(appointmentId: string): Promise<void> {
      try {
        if (!(await store.honour(appointmentId, clock()))) return;
        const a = await store.byId(appointmentId);
        if (a) tell(a, 'honoured');
        log.info({ code: 'APPOINTMENT_HONOURED', appointmentId }, 'appointment honoured');
      } catch (e) {
        log.error({ code: 'APPOINTMENT_STORE_FAILED', appointmentId, err: (e as Error).message }, 'appointment not marked honoured');
      }
    },
    /** The periodic sweep: « non honoré » told to both sides (once, whichever node swept it), notes of what is over erased. */
    async sweep(): Promise<void> {
      try {
        const { missed } = await service.sweep();
        for (const a of missed) tell(a, 'missed');
      } catch (e) {
        log.error({ code: 'APPOINTMENT_STORE_FAILED', err: (e as Error).message }, 'appointments not swept');
      }
    },
  };
}
