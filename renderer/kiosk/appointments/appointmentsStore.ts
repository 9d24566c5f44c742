// The booth's visio appointments (issue 19) over its one hub connection: an organisation's subjects and free slots, a
// booking with its answer (booked with the list of what to bring, or refused with a code and the next free slots), a
// cancellation, and the appointments this booth holds, kept up to date by the hub's `appointment.changed` frames.
import { createStore, type StoreApi } from 'zustand';
import { monthBounds, monthOfInstant, previousMonth } from '../../../shared/appointmentCounts.js';
import type { KioskAppointment } from '../../../shared/contract/index.js';
import type { AppointmentBooking } from '../../../shared/hubClient.js';
import type { HubFrameOf } from '../../../shared/protocol.js';
import type { BoothHubPort } from '../../call/ports.js';

export type FreeSlot = HubFrameOf<'appointment.slots'>['slots'][number];
export type Subject = HubFrameOf<'appointment.slots'>['subjects'][number];
export type BoothAppointment = HubFrameOf<'appointment.booked'>['appointment'];
/** The hub's refusal codes, plus what only the booth sees: no connection to the hub, or no answer in time. */
export type AppointmentErrorCode = HubFrameOf<'appointment.refused'>['code'] | 'HUB_UNREACHABLE' | 'NO_ANSWER' | 'INVALID_REQUEST';

export interface AppointmentError {
  code: AppointmentErrorCode;
  /** For SLOT_TAKEN: the next free slots the hub offers instead. */
  next: FreeSlot[];
}

export interface SlotOffer {
  organisation: string;
  subjects: Subject[];
  slots: FreeSlot[];
}

export interface AppointmentsState {
  offer: SlotOffer | null;
  loading: boolean;
  sending: boolean;
  /** Whether this kiosk has a hub to book with (a hub is configured and its client exists); « Prendre rendez-vous » is offered only then. */
  available: boolean;
  /** False once the hub said it takes no appointments (a hub across machines): the mediator's tab is not shown either. */
  offered: boolean;
  error: AppointmentError | null;
  /** The last booking made here, with what to bring (for the confirmation and the slip). */
  booked: { appointment: BoothAppointment; bring: string[] } | null;
  /** The appointments this booth holds, as the hub last told it (booked, then changed), or as the kiosk remembered them. */
  appointments: KioskAppointment[];
  /** Reads the appointments the kiosk remembered (after a restart, or with the hub unreachable). */
  loadRemembered(): Promise<void>;
  loadSlots(organisation: string): Promise<void>;
  book(booking: AppointmentBooking): Promise<boolean>;
  cancel(appointmentId: string): Promise<boolean>;
  /** Forgets the offer, the error and the last booking (a new booking starts). */
  reset(): void;
  /** The kiosk's hub connection, given once the app has created it (null: the hub is not configured or the app stops). */
  attach(link: AppointmentsLink | null): void;
}

/** The kiosk's hub connection (the same one the visio calls use, see visio/hubLink.ts). */
export interface AppointmentsLink {
  acquire(): Promise<BoothHubPort | null>;
}

/** Where the kiosk remembers its appointments (the `appointments.*` verbs); never a note nor a name. */
export interface AppointmentsMemory {
  record(appointment: KioskAppointment): Promise<unknown>;
  list(): Promise<KioskAppointment[]>;
}

export interface AppointmentsDeps {
  memory?: AppointmentsMemory;
  /** The hub connection to use from the start (tests); the kiosk attaches its own once created. */
  link?: AppointmentsLink;
  /** How long an answer is awaited before the visitor is told the hub did not answer. */
  answerTimeoutMs?: number;
  now?: () => number;
}

/** As the hub's grace time: an appointment is over (no longer listed for the home) this long after its start. */
const GRACE_MS = 15 * 60_000;

/** From when the hub is asked for this booth's appointments at each sign-in: the previous Paris month's first day. */
export const refreshSince = (now: number): number => monthBounds(previousMonth(monthOfInstant(now))).start;

const DEFAULT_ANSWER_MS = 10_000;

type Answer = { kind: 'invalid' } | { kind: 'slots'; frame: HubFrameOf<'appointment.slots'> } | { kind: 'booked'; frame: HubFrameOf<'appointment.booked'> } | { kind: 'refused'; frame: HubFrameOf<'appointment.refused'> } | { kind: 'changed'; frame: HubFrameOf<'appointment.changed'> };

export function createAppointmentsStore(deps: AppointmentsDeps = {}): StoreApi<AppointmentsState> {
  const answerMs = deps.answerTimeoutMs ?? DEFAULT_ANSWER_MS;
  const clock = deps.now ?? Date.now;
  const wired = new WeakSet<BoothHubPort>();
  let link: AppointmentsLink | null = deps.link ?? null;

  return createStore<AppointmentsState>()((set, get) => {
    const put = (list: KioskAppointment[]): void => set({ appointments: [...list].sort((x, y) => x.startsAt - y.startsAt || x.id.localeCompare(y.id)) });
    const remember = (a: BoothAppointment): void => {
      const known = get().appointments.find((x) => x.id === a.id);
      // The hub names the subject by its code: its label comes from the list shown when booking, or what was kept.
      const subjectLabel = known?.subjectLabel ?? get().offer?.subjects.find((s) => s.code === a.subject)?.label ?? a.subject;
      const kept: KioskAppointment = { id: a.id, organisation: a.organisation, startsAt: a.startsAt, endsAt: a.endsAt, subjectLabel, status: a.status };
      put([...get().appointments.filter((x) => x.id !== a.id), kept]);
      // Not remembered is not lost: the hub still holds it and says so again; the home just cannot show it after a restart.
      void deps.memory?.record(kept).catch(() => undefined);
    };

    /** The hub, with the frames that keep `appointments` listened to once per client. */
    const hub = async (): Promise<BoothHubPort | null> => {
      const h = link ? await link.acquire().catch(() => null) : null;
      if (h && !wired.has(h)) {
        wired.add(h);
        // A hub across machines takes no appointments: nothing is offered rather than buttons that can only fail.
        h.on('hello', (f) => {
          if (link !== null) set({ available: f.appointments !== false, offered: f.appointments !== false });
        });
        h.on('appointment.booked', (f) => remember(f.appointment));
        h.on('appointment.changed', (f) => remember(f.appointment));
        // The month report counts what became of each appointment: what the hub decided while this kiosk was off or
        // unreachable (« non honoré », a closure) is asked again at each sign-in, back to last month's first day.
        h.on('appointment.mine', (f) => {
          for (const a of f.appointments) {
            if (get().appointments.some((x) => x.id === a.id) || a.startsAt + GRACE_MS >= clock()) remember(a);
            else void deps.memory?.record({ id: a.id, organisation: a.organisation, startsAt: a.startsAt, endsAt: a.endsAt, subjectLabel: a.subject, status: a.status }).catch(() => undefined);
          }
        });
        const refresh = (): void => {
          if (h.appointmentsOffered === false) return;
          try {
            h.askMyAppointments(refreshSince(clock()));
          } catch {
            // A frame the client refuses (a clock before 1970): nothing to ask.
          }
        };
        h.onEvent('status', (e) => {
          if (e.status === 'ready') refresh();
        });
        if (h.status === 'ready') refresh();
      }
      return h;
    };

    /** Sends through `send` and resolves with the first answer `accept` takes, or null after the timeout. */
    const ask = (h: BoothHubPort, send: () => boolean, accept: (a: Answer) => boolean): Promise<Answer | null> =>
      new Promise((resolve) => {
        const offs: Array<() => void> = [];
        const done = (a: Answer | null): void => {
          for (const off of offs) off();
          clearTimeout(timer);
          resolve(a);
        };
        const take = (a: Answer): void => {
          if (accept(a)) done(a);
        };
        offs.push(
          h.on('appointment.slots', (frame) => take({ kind: 'slots', frame })),
          h.on('appointment.booked', (frame) => take({ kind: 'booked', frame })),
          h.on('appointment.refused', (frame) => take({ kind: 'refused', frame })),
          h.on('appointment.changed', (frame) => take({ kind: 'changed', frame })),
        );
        const timer = setTimeout(() => done(null), answerMs);
        let sent: boolean;
        try {
          sent = send();
        } catch {
          // The client checks every frame against the protocol: one it refuses is a request the hub would refuse too.
          done({ kind: 'invalid' });
          return;
        }
        // Not connected: the frame did not leave, nothing will answer.
        if (!sent) done(null);
      });

    const failed = (h: BoothHubPort | null, answer: Answer | null): AppointmentError => ({
      code: answer?.kind === 'invalid' ? 'INVALID_REQUEST' : h && h.status === 'ready' ? 'NO_ANSWER' : 'HUB_UNREACHABLE',
      next: [],
    });
    const refusal = (f: HubFrameOf<'appointment.refused'>): AppointmentError => ({ code: f.code, next: f.next });

    return {
      offer: null,
      loading: false,
      sending: false,
      available: false,
      offered: true,
      error: null,
      booked: null,
      appointments: [],

      async loadRemembered() {
        const remembered = await deps.memory?.list().catch(() => null);
        if (!remembered) return;
        // What the hub said since start-up is newer than what was remembered.
        const fresh = new Set(get().appointments.map((a) => a.id));
        put([...get().appointments, ...remembered.filter((a) => !fresh.has(a.id))]);
      },

      async loadSlots(organisation) {
        set({ loading: true, error: null });
        const h = await hub();
        const answer = h ? await ask(h, () => h.askSlots(organisation), (a) => (a.kind === 'slots' && a.frame.organisation === organisation) || a.kind === 'refused') : null;
        if (answer?.kind === 'slots') set({ loading: false, offer: { organisation, subjects: answer.frame.subjects, slots: answer.frame.slots } });
        else set({ loading: false, error: answer?.kind === 'refused' ? refusal(answer.frame) : failed(h, answer) });
      },

      async book(booking) {
        if (get().sending) return false;
        set({ sending: true, error: null });
        const h = await hub();
        const answer = h ? await ask(h, () => h.bookAppointment(booking), (a) => a.kind === 'booked' || a.kind === 'refused') : null;
        if (answer?.kind === 'booked') {
          set({ sending: false, booked: { appointment: answer.frame.appointment, bring: answer.frame.bring } });
          return true;
        }
        set({ sending: false, error: answer?.kind === 'refused' ? refusal(answer.frame) : failed(h, answer) });
        return false;
      },

      async cancel(appointmentId) {
        set({ sending: true, error: null });
        const h = await hub();
        const answer = h
          ? await ask(h, () => h.cancelAppointment(appointmentId), (a) => (a.kind === 'changed' && a.frame.appointment.id === appointmentId) || a.kind === 'refused')
          : null;
        if (answer?.kind === 'changed') {
          set({ sending: false });
          return true;
        }
        set({ sending: false, error: answer?.kind === 'refused' ? refusal(answer.frame) : failed(h, answer) });
        return false;
      },

      reset() {
        set({ offer: null, error: null, booked: null, loading: false });
      },

      attach(next) {
        link = next;
        if (!next) {
          set({ available: false });
          return;
        }
        // Listened to at once: the organisation may cancel, or the hub mark « non honoré », before any booking here.
        void hub().then((h) => {
          if (link === next) set({ available: h !== null && h.appointmentsOffered !== false, offered: h?.appointmentsOffered !== false });
        });
      },
    };
  });
}
