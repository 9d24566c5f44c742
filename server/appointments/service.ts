// The appointments' rules over the store, without sockets: checking what a planner publishes, booking with the note's
// rules, and the periodic sweep (« non honoré » after the grace time, notes erased once over). Clock and ids injected.
import { MAX_NOTE_CHARS, type AppointmentRefusalCode, type FreeSlot, type SlotSeriesSpec } from '../../shared/appointments.js';
import { generateSlots } from './generate.js';
import { PARIS, localDayOf, parseDay } from './localTime.js';
import { checkNote, type Appointment, type AppointmentStore, type Subject } from './store.js';

/** How late a visitor may still join; after it the appointment is « non honoré ». */
export const DEFAULT_GRACE_MS = 15 * 60_000;
/** Losers of a race are offered this many next slots. */
export const NEXT_SLOTS_OFFERED = 5;

export type Refusal = { ok: false; code: AppointmentRefusalCode; message: string; next?: FreeSlot[] };

export const REFUSAL_MESSAGES: Record<AppointmentRefusalCode, string> = {
  SLOT_TAKEN: 'Ce créneau vient d’être pris. Voici les suivants.',
  UNKNOWN_SUBJECT: 'Motif inconnu pour cet organisme.',
  BAD_NOTE: `Prénom ou initiales : ${MAX_NOTE_CHARS} caractères au plus, sans caractère spécial.`,
  NOTE_WITHOUT_CONSENT: 'Le prénom ne peut être noté qu’avec l’accord de la personne.',
  TOO_MANY_APPOINTMENTS: 'Cette borne a déjà beaucoup de rendez-vous à venir.',
  UNKNOWN_APPOINTMENT: 'Rendez-vous introuvable ou déjà terminé.',
  BAD_RULE: 'Règle de récurrence refusée.',
  BAD_START: 'Début illisible : AAAA-MM-JJTHH:MM attendu.',
  BAD_TIME_ZONE: 'Fuseau horaire inconnu.',
  BAD_DAYS: 'Jours illisibles : AAAA-MM-JJ attendu, le premier avant le second, un an au plus.',
  UNKNOWN_AGENT: 'Un des conseillers nommés est inconnu dans cet organisme.',
  UNKNOWN_SERIES: 'Série de créneaux introuvable.',
  NO_SLOT: 'Aucun créneau à publier : tous tombent un jour férié, fermé ou passé.',
};

const refuse = (code: AppointmentRefusalCode, message = REFUSAL_MESSAGES[code]): Refusal => ({ ok: false, code, message });

export interface AppointmentServiceDeps {
  store: AppointmentStore;
  clock: () => number;
  newId: () => string;
  graceMs?: number;
}

export type AppointmentService = ReturnType<typeof createAppointmentService>;

export function createAppointmentService({ store, clock, newId, graceMs = DEFAULT_GRACE_MS }: AppointmentServiceDeps) {
  return {
    graceMs,
    subjects: async (organisation: string): Promise<Subject[]> => store.subjects(organisation),
    async freeSlots(organisation: string, boothId: number, from: number | undefined, limit: number): Promise<FreeSlot[]> {
      return store.freeSlots(organisation, boothId, Math.max(from ?? 0, clock()), limit);
    },

    async publish(organisation: string, agentId: number, spec: SlotSeriesSpec) {
      const now = clock();
      const agentIds = spec.agents ? await store.agentIdsByLogin(organisation, spec.agents) : [];
      if (agentIds === null) return refuse('UNKNOWN_AGENT');
      const generated = generateSlots(spec, now, await store.closures(organisation, localDayOf(now)));
      if (!generated.ok) return refuse(generated.code, generated.message);
      if (generated.occurrences.length === 0) return refuse('NO_SLOT');
      const { seriesId, slots } = await store.publish(
        {
          organisation,
          start: spec.start,
          rule: spec.rule ?? null,
          timeZone: spec.timeZone ?? PARIS,
          lengthMin: spec.lengthMin,
          capacity: spec.capacity,
          booths: spec.booths ?? null,
          agentIds,
          onHolidays: spec.onHolidays ?? false,
          createdBy: agentId,
        },
        generated.occurrences,
        now,
      );
      const shifted = generated.occurrences.filter((o) => o.shifted).map((o) => o.startsAt);
      return { ok: true as const, seriesId, slots, skipped: generated.skipped, shifted, truncated: generated.truncated };
    },

    async closeSeries(organisation: string, seriesId: number) {
      const r = await store.closeSeries(organisation, seriesId, clock());
      return r ? { ok: true as const, ...r } : refuse('UNKNOWN_SERIES');
    },

    async closeDays(organisation: string, from: string, to: string, reason: string | null) {
      const a = parseDay(from);
      const b = parseDay(to);
      if (!a || !b || from > to || Date.UTC(b[0], b[1] - 1, b[2]) - Date.UTC(a[0], a[1] - 1, a[2]) > 366 * 86_400_000) return refuse('BAD_DAYS');
      return { ok: true as const, ...(await store.closeDays(organisation, { from, to }, reason, clock())) };
    },

    async book(req: { organisation: string; boothId: number; startsAt: number; subject: string; note?: string | undefined; noteConsent?: boolean | undefined }) {
      const note = checkNote(req.note, req.noteConsent, MAX_NOTE_CHARS);
      if (!note.ok) return refuse(note.code);
      const r = await store.book({ organisation: req.organisation, boothId: req.boothId, startsAt: req.startsAt, subject: req.subject, note: note.note, newId }, clock());
      if (r.ok) return { ok: true as const, appointment: r.appointment, bring: (await store.subjects(req.organisation)).find((s) => s.code === req.subject)?.bring ?? [] };
      const refusal = refuse(r.code);
      if (r.code === 'SLOT_TAKEN') refusal.next = await store.freeSlots(req.organisation, req.boothId, Math.max(req.startsAt, clock()), NEXT_SLOTS_OFFERED);
      return refusal;
    },

    async cancel(appointmentId: string, boothId: number): Promise<Appointment | Refusal> {
      return (await store.cancel(appointmentId, boothId, clock())) ?? refuse('UNKNOWN_APPOINTMENT');
    },

    sweep: async () => store.sweep(clock(), graceMs),
  };
}
