// The agent's appointments as the console shows them (issue 19): the day or week asked of the hub (appointments.list),
// kept up to date by its appointments.changed frames; for a planner, the published series (slots.list), publishing and
// removing them, and the department's booths they choose from (slots.booths); the agent's own calendar address
// (appointments.ical). Fed by the console's hub client from sign-in on.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AgentAppointment, AppointmentRefusalCode, BoothChoice, SlotSeriesSpec } from '../../../shared/appointments.js';
import type { ClientStatus } from '../../../shared/hubClient.js';
import type { ClientFrameOf, ClientFrameType, HubFrameOf, HubFrameType } from '../../../shared/protocol.js';

/** The part of the console's HubClient this store uses. */
export interface AppointmentsHubPort {
  on<T extends HubFrameType>(type: T, handler: (frame: HubFrameOf<T>) => void): () => void;
  onEvent(name: 'status', handler: (e: { status: ClientStatus; attempt: number }) => void): () => void;
  send<T extends ClientFrameType>(frame: ClientFrameOf<T>): boolean;
}

export type SeriesSummary = HubFrameOf<'slots.list'>['series'][number];
export type Closure = HubFrameOf<'slots.list'>['closures'][number];
export type ChangeReason = HubFrameOf<'appointments.changed'>['reason'];

export interface PublishOutcome {
  slots: number;
  skipped: { holidays: number; closures: number; past: number };
  shifted: boolean;
  truncated: boolean;
}

export interface AgentAppointmentsState {
  connected: boolean;
  range: 'day' | 'week';
  /** The period shown (hub's answer), null until the first list. */
  period: { from: number; to: number } | null;
  loading: boolean;
  /** The period's appointments, soonest first. */
  appointments: AgentAppointment[];
  /** Every appointment heard of since sign-in, by id (a ringing call's subject and note are read here). */
  known: Record<string, AgentAppointment>;
  /** The last change told by the hub, announced on screen. */
  lastChange: { reason: ChangeReason; appointment: AgentAppointment } | null;
  /** Planner's right: unknown until the hub answers slots.list (or refuses it). */
  planner: 'unknown' | 'yes' | 'no';
  series: SeriesSummary[];
  closures: Closure[];
  busy: 'publishing' | 'closing' | null;
  published: PublishOutcome | null;
  closed: { slots: number; affected: number } | null;
  /** The hub's refusal of a publication or removal, or NO_ANSWER (not connected, or no answer in time). */
  refusal: AppointmentRefusalCode | 'NO_ANSWER' | null;
  /** The calendar address path just made (shown once), null after a revocation or before any. */
  icalPath: string | null;
  ical: 'idle' | 'asking' | 'revoked' | 'failed';
  /** For a planner: the department's booths to choose from, asked once the planner's right is known. */
  booths: BoothChoice[];
  boothsState: 'idle' | 'asking' | 'ready' | 'failed';
  attach(hub: AppointmentsHubPort): () => void;
  setRange(range: 'day' | 'week'): void;
  publish(specs: SlotSeriesSpec[]): boolean;
  closeSeries(seriesId: number): boolean;
  renewIcal(): boolean;
  revokeIcal(): boolean;
  /** Asks the hub for the department's booths again (after a failure). */
  askBooths(): boolean;
  /** Sign-out: nothing of the agent's stays on screen. */
  reset(): void;
}

export type AgentAppointmentsStore = StoreApi<AgentAppointmentsState>;

/** The hub answers within this time or the console says it failed (ms). */
export const ANSWER_TIMEOUT_MS = 10_000;

const EMPTY = {
  connected: false,
  period: null,
  loading: false,
  appointments: [],
  known: {},
  lastChange: null,
  planner: 'unknown' as const,
  series: [],
  closures: [],
  busy: null,
  published: null,
  closed: null,
  refusal: null,
  icalPath: null,
  ical: 'idle' as const,
  booths: [],
  boothsState: 'idle' as const,
};

export function createAgentAppointmentsStore(options: { answerTimeoutMs?: number } = {}): AgentAppointmentsStore {
  return createStore<AgentAppointmentsState>()((set, get) => {
    let hub: AppointmentsHubPort | null = null;
    /** Series still to send for the publication under way, and what the sent ones gave. */
    let queue: SlotSeriesSpec[] = [];
    let outcome: PublishOutcome | null = null;
    let plannerAsked = false;
    let boothsAsked = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const arm = (onTimeout: () => void) => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        onTimeout();
      }, options.answerTimeoutMs ?? ANSWER_TIMEOUT_MS);
    };
    const disarm = () => {
      if (timer) clearTimeout(timer);
      timer = null;
    };

    const list = () => {
      if (hub?.send({ type: 'appointments.list', range: get().range })) set({ loading: true });
    };
    const askSeries = () => {
      if (get().planner === 'no') return;
      if (hub?.send({ type: 'slots.list' })) plannerAsked = true;
    };
    const askBooths = (): boolean => {
      if (get().planner !== 'yes') return false;
      if (!hub?.send({ type: 'slots.booths' })) {
        set({ boothsState: 'failed' });
        return false;
      }
      boothsAsked = true;
      set({ boothsState: 'asking' });
      return true;
    };
    const remember = (appointments: AgentAppointment[]) => {
      const known = { ...get().known };
      for (const a of appointments) known[a.id] = a;
      return known;
    };
    const sendNext = () => {
      const next = queue.shift();
      if (!next) {
        disarm();
        set({ busy: null, published: outcome });
        outcome = null;
        askSeries();
        return;
      }
      if (!hub?.send({ type: 'slots.publish', series: next })) {
        queue = [];
        disarm();
        set({ busy: null, refusal: 'NO_ANSWER', published: outcome });
        outcome = null;
        return;
      }
      arm(() => {
        queue = [];
        set({ busy: null, refusal: 'NO_ANSWER', published: outcome });
        outcome = null;
      });
    };

    return {
      ...EMPTY,
      range: 'day',

      attach(h) {
        hub = h;
        const offs = [
          h.onEvent('status', ({ status }) => {
            set({ connected: status === 'ready' });
            // A list asked on a socket that closed gets no answer: asked again with the series after sign-in.
            if (status !== 'ready' && get().boothsState === 'asking') {
              boothsAsked = false;
              set({ boothsState: 'failed' });
            }
          }),
          h.on('auth.ok', () => {
            set({ connected: true });
            list();
            askSeries();
          }),
          h.on('appointments.list', (f) => {
            set({ loading: false, period: { from: f.from, to: f.to }, appointments: f.appointments, known: remember(f.appointments) });
          }),
          h.on('appointments.changed', (f) => {
            const a = f.appointment;
            const s = get();
            const inPeriod = s.period !== null && a.startsAt >= s.period.from && a.startsAt < s.period.to;
            const others = s.appointments.filter((x) => x.id !== a.id);
            set({
              known: remember([a]),
              lastChange: { reason: f.reason, appointment: a },
              appointments: inPeriod ? [...others, a].sort((x, y) => x.startsAt - y.startsAt) : others,
            });
            // A booking or cancellation changes the series' counts a planner sees.
            if (s.planner === 'yes') askSeries();
          }),
          h.on('slots.list', (f) => {
            plannerAsked = false;
            set({ planner: 'yes', series: f.series, closures: f.closures });
            const b = get().boothsState;
            if (b === 'idle' || b === 'failed') askBooths();
          }),
          h.on('slots.booths', (f) => {
            boothsAsked = false;
            set({ booths: f.booths, boothsState: 'ready' });
          }),
          h.on('error', (f) => {
            // The answer to slots.list (or slots.booths, asked after it) for an agent without the planner's right.
            if (f.code === 'FORBIDDEN' && (plannerAsked || boothsAsked)) {
              if (plannerAsked) plannerAsked = false;
              else boothsAsked = false;
              set({ planner: 'no', series: [], closures: [], booths: [], boothsState: 'idle' });
            }
          }),
          h.on('slots.published', (f) => {
            if (get().busy !== 'publishing') return;
            const o = outcome ?? { slots: 0, skipped: { holidays: 0, closures: 0, past: 0 }, shifted: false, truncated: false };
            outcome = {
              slots: o.slots + f.slots,
              skipped: { holidays: o.skipped.holidays + f.skipped.holidays, closures: o.skipped.closures + f.skipped.closures, past: o.skipped.past + f.skipped.past },
              shifted: o.shifted || f.shifted.length > 0,
              truncated: o.truncated || f.truncated,
            };
            sendNext();
          }),
          h.on('slots.closed', (f) => {
            if (get().busy !== 'closing') return;
            disarm();
            set({ busy: null, closed: { slots: f.slots, affected: f.affected.length } });
            askSeries();
            list();
          }),
          h.on('appointment.refused', (f) => {
            if (get().busy === null) return;
            queue = [];
            disarm();
            // What was published before the refusal stays published: say so as well.
            set({ busy: null, refusal: f.code, published: outcome });
            outcome = null;
            askSeries();
          }),
          h.on('appointments.ical', (f) => {
            disarm();
            set({ icalPath: f.path, ical: f.path === null ? 'revoked' : 'idle' });
          }),
        ];
        return () => {
          offs.forEach((off) => off());
          if (hub === h) hub = null;
          disarm();
        };
      },

      setRange(range) {
        set({ range });
        list();
      },

      publish(specs) {
        if (get().busy || specs.length === 0 || !hub) return false;
        queue = [...specs];
        outcome = null;
        set({ busy: 'publishing', published: null, closed: null, refusal: null });
        sendNext();
        return true;
      },

      closeSeries(seriesId) {
        if (get().busy || !hub?.send({ type: 'slots.close', close: { kind: 'series', seriesId } })) return false;
        set({ busy: 'closing', published: null, closed: null, refusal: null });
        arm(() => set({ busy: null, refusal: 'NO_ANSWER' }));
        return true;
      },

      renewIcal() {
        if (!hub?.send({ type: 'appointments.ical', action: 'new' })) {
          set({ ical: 'failed' });
          return false;
        }
        set({ ical: 'asking' });
        arm(() => set({ ical: 'failed' }));
        return true;
      },

      revokeIcal() {
        if (!hub?.send({ type: 'appointments.ical', action: 'revoke' })) {
          set({ ical: 'failed' });
          return false;
        }
        set({ ical: 'asking' });
        arm(() => set({ ical: 'failed' }));
        return true;
      },

      askBooths,

      reset() {
        queue = [];
        outcome = null;
        plannerAsked = false;
        boothsAsked = false;
        disarm();
        set({ ...EMPTY });
      },
    };
  });
}
