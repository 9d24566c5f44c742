// The department-level configuration the hub pushes to its booths (issue 17): organisations and their visio hours, the
// guides and documents offered, the quality charter, the survey period and the idle delay. One schema, checked by the
// hub when the coordinator publishes and again by the booth, which also checks what only it knows (its guides and
// documents) and refuses the whole configuration with a code from REFUSAL_CODES when anything is wrong.
//
// What stays the site's (name, commune, mediators, printer) is not here: a booth never takes it from the hub.
import { z } from 'zod';
import { SURVEY_MODES } from './contract/evaluation.js';
import { IDLE_SECONDS_MAX, IDLE_SECONDS_MIN } from './contract/teleservice.js';
import { OpeningSlot, OrganisationCode } from './domain.js';

export const MAX_ORGANISATIONS = 30;
export const MAX_SLOTS_PER_ORGANISATION = 28;
export const MAX_OFFERED = 300;
/** The whole configuration as JSON, in UTF-8 bytes: it travels in one hub frame (MAX_FRAME_BYTES, 64 KiB). */
export const MAX_CONFIG_BYTES = 48 * 1024;

/** The survey's period, as the mediator's settings name it (evaluation). */
export const SurveyPeriod = z.enum(SURVEY_MODES);

const Text = (max: number) => z.string().trim().min(1).max(max);
const Bilingual = (max: number) => z.strictObject({ fr: Text(max), en: Text(max) });

export const FleetOrganisation = z.strictObject({
  code: OrganisationCode,
  name: Text(80),
  openingHours: z.array(OpeningSlot).max(MAX_SLOTS_PER_ORGANISATION),
  correspondent: z.string().max(200),
});
export type FleetOrganisation = z.infer<typeof FleetOrganisation>;

export const FleetCharter = z.strictObject({
  title: Bilingual(200),
  intro: Bilingual(1_000),
  commitments: z
    .array(z.strictObject({ id: z.string().regex(/^[a-z_]{1,40}$/), title: Bilingual(200), text: Bilingual(1_000) }))
    .min(6)
    .max(8),
});
export type FleetCharter = z.infer<typeof FleetCharter>;

/** A guide's or a document's id as the booth's files name them. */
const OfferedId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/);

/** `null`: every guide (or document) installed on the booth is offered; a list: only those, which must all exist. */
const Offered = z.array(OfferedId).max(MAX_OFFERED).nullable();

export const FleetConfig = z
  .strictObject({
    organisations: z.array(FleetOrganisation).min(1).max(MAX_ORGANISATIONS),
    guidesOffered: Offered,
    documentsOffered: Offered,
    /** `null`: the charter shipped with the kiosk. */
    charter: FleetCharter.nullable(),
    surveyPeriod: SurveyPeriod,
    idleSeconds: z.number().int().min(IDLE_SECONDS_MIN).max(IDLE_SECONDS_MAX),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.organisations.forEach((o, i) => {
      if (seen.has(o.code)) ctx.addIssue({ code: 'custom', path: ['organisations', i, 'code'], message: `organisme ${o.code} en double` });
      seen.add(o.code);
    });
    for (const key of ['guidesOffered', 'documentsOffered'] as const) {
      const list = c[key];
      if (list && new Set(list).size !== list.length) ctx.addIssue({ code: 'custom', path: [key], message: 'identifiant en double' });
    }
    if (c.charter && new Set(c.charter.commitments.map((k) => k.id)).size !== c.charter.commitments.length) {
      ctx.addIssue({ code: 'custom', path: ['charter', 'commitments'], message: 'engagement en double' });
    }
  });
export type FleetConfig = z.infer<typeof FleetConfig>;

/** A published version's number: positive, increasing on the hub. */
export const ConfigVersion = z.number().int().positive().max(2_147_483_647);

/** Why a booth refuses a configuration (reported to the hub in `config.refused`; the dashboard translates each). */
export const REFUSAL_CODES = ['INVALID_CONFIG', 'TOO_LARGE', 'UNKNOWN_ORGANISATION', 'UNKNOWN_GUIDE', 'INVALID_GUIDE', 'UNKNOWN_DOCUMENT', 'APPLY_FAILED'] as const;
export const RefusalCode = z.enum(REFUSAL_CODES);
export type RefusalCode = z.infer<typeof RefusalCode>;
export const MAX_REFUSAL_DETAIL = 500;

export type ConfigCheck = { ok: true; config: FleetConfig } | { ok: false; code: RefusalCode; detail: string };

/** A zod issue in French (the dashboard shows it to the coordinator); our own checks already speak French. */
function frenchIssue(issue: z.core.$ZodIssue): string {
  const quote = (v: unknown) => `« ${String(v).slice(0, 40)} »`;
  switch (issue.code) {
    case 'too_small':
      return issue.origin === 'string' ? `au moins ${String(issue.minimum)} caractère(s)` : issue.origin === 'array' ? `au moins ${String(issue.minimum)} élément(s)` : `au moins ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'string' ? `au plus ${String(issue.maximum)} caractères` : issue.origin === 'array' ? `au plus ${String(issue.maximum)} éléments` : `au plus ${String(issue.maximum)}`;
    case 'invalid_type':
      return `valeur attendue de type ${issue.expected}`;
    case 'unrecognized_keys':
      return `champ(s) inconnu(s) : ${issue.keys.map(quote).join(', ')}`;
    case 'invalid_value':
      return `valeur attendue parmi ${issue.values.map(quote).join(', ')}`;
    case 'invalid_format':
      return 'format invalide';
    default:
      return issue.message;
  }
}

/** The first problem of a zod failure as `path : problem`, in French, bounded (it goes into a frame and a log line). */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'configuration invalide';
  const where = issue.path.length > 0 ? issue.path.join('.') : '(configuration)';
  return `${where} : ${frenchIssue(issue)}`.slice(0, MAX_REFUSAL_DETAIL);
}

/** Checks a configuration's shape and size (what the hub and the booth both know). */
export function checkFleetConfig(raw: unknown): ConfigCheck {
  let bytes: number;
  try {
    bytes = new TextEncoder().encode(JSON.stringify(raw) ?? '').length;
  } catch {
    return { ok: false, code: 'INVALID_CONFIG', detail: 'configuration illisible' };
  }
  if (bytes > MAX_CONFIG_BYTES) return { ok: false, code: 'TOO_LARGE', detail: `${bytes} octets (au plus ${MAX_CONFIG_BYTES})` };
  const parsed = FleetConfig.safeParse(raw);
  return parsed.success ? { ok: true, config: parsed.data } : { ok: false, code: 'INVALID_CONFIG', detail: firstIssue(parsed.error) };
}

/** What the booth has installed, for the checks only it can make. */
export interface BoothCatalogue {
  /** Guides that loaded, with their organisation. */
  guides: ReadonlyArray<{ id: string; organisation: string }>;
  /** Ids of guide files the booth refused (their id is the file name). */
  invalidGuides: readonly string[];
  documents: ReadonlyArray<{ id: string; organisation: string }>;
}

/** The booth's checks beyond the shape: every guide and document offered exists here and belongs to a listed organisation. */
export function checkAgainstBooth(config: FleetConfig, booth: BoothCatalogue): ConfigCheck {
  const organisations = new Set(config.organisations.map((o) => o.code));
  for (const id of config.guidesOffered ?? []) {
    const guide = booth.guides.find((g) => g.id === id);
    if (!guide) {
      return booth.invalidGuides.includes(id)
        ? { ok: false, code: 'INVALID_GUIDE', detail: `guide ${id} : fichier refusé par la borne` }
        : { ok: false, code: 'UNKNOWN_GUIDE', detail: `guide ${id} absent de la borne` };
    }
    if (!organisations.has(guide.organisation)) return { ok: false, code: 'UNKNOWN_ORGANISATION', detail: `guide ${id} : organisme ${guide.organisation} absent de la configuration` };
  }
  for (const id of config.documentsOffered ?? []) {
    const doc = booth.documents.find((d) => d.id === id);
    if (!doc) return { ok: false, code: 'UNKNOWN_DOCUMENT', detail: `document ${id} absent de la borne` };
    if (!organisations.has(doc.organisation)) return { ok: false, code: 'UNKNOWN_ORGANISATION', detail: `document ${id} : organisme ${doc.organisation} absent de la configuration` };
  }
  return { ok: true, config };
}

// ---- Visio hours as the coordinator types them: « lun 09:00-12:00, mar 14:00-17:30 » -------------------------------

export const WEEKDAY_SHORT_FR = ['lun', 'mar', 'mer', 'jeu', 'ven', 'sam', 'dim'] as const;

/** The slots as one line of text, in weekday order (what the editor shows). */
export function formatHours(slots: readonly OpeningSlot[]): string {
  return [...slots]
    .sort((a, b) => a.weekday - b.weekday || a.from.localeCompare(b.from))
    .map((s) => `${WEEKDAY_SHORT_FR[s.weekday - 1] ?? '?'} ${s.from}-${s.to}`)
    .join(', ');
}

/** Parses the editor's text; an error is a French sentence naming the part it could not read. */
export function parseHours(text: string): { ok: true; slots: OpeningSlot[] } | { ok: false; error: string } {
  const slots: OpeningSlot[] = [];
  const parts = text
    .split(/[,;\n]/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length > MAX_SLOTS_PER_ORGANISATION) return { ok: false, error: `Au plus ${MAX_SLOTS_PER_ORGANISATION} plages.` };
  for (const part of parts) {
    const m = /^([a-zéû]{3})[a-zéû]*\.?\s+(\d{1,2})[:h](\d{2})\s*[-–à]\s*(\d{1,2})[:h](\d{2})$/i.exec(part);
    const day = m ? WEEKDAY_SHORT_FR.indexOf(m[1]!.toLowerCase() as (typeof WEEKDAY_SHORT_FR)[number]) : -1;
    if (!m || day < 0) return { ok: false, error: `« ${part.slice(0, 40)} » : écrivez par exemple « lun 09:00-12:00 ».` };
    const pad = (h: string, mm: string) => `${h.padStart(2, '0')}:${mm}`;
    const slot = OpeningSlot.safeParse({ weekday: day + 1, from: pad(m[2]!, m[3]!), to: pad(m[4]!, m[5]!) });
    if (!slot.success) return { ok: false, error: `« ${part.slice(0, 40)} » : heures invalides (la fin doit suivre le début).` };
    slots.push(slot.data);
  }
  return { ok: true, slots };
}

// ---- Frames (shared/protocol.ts joins them to its unions) ------------------------------------------------------------

/** Hub → booth: the configuration this booth must run. `config` is checked by the booth itself, so that even a
 * configuration it cannot read is answered with `config.refused` rather than dropped as a bad frame. */
export const ConfigApplyFrame = z.strictObject({ type: z.literal('config.apply'), version: ConfigVersion, config: z.record(z.string(), z.unknown()) });
/** Booth → hub: the version now running. */
export const ConfigAppliedFrame = z.strictObject({ type: z.literal('config.applied'), version: ConfigVersion });
/** Booth → hub: the version refused whole; the booth keeps the one it had. */
export const ConfigRefusedFrame = z.strictObject({
  type: z.literal('config.refused'),
  version: ConfigVersion,
  code: RefusalCode,
  detail: z.string().max(MAX_REFUSAL_DETAIL),
});

// ---- The coordinator's API (server/fleetConfig/routes.ts), as the dashboard checks it -------------------------------

export const ConfigVersionSummary = z.strictObject({
  version: ConfigVersion,
  /** null: every booth. */
  targetBooth: z.number().int().positive().nullable(),
  publishedAt: z.number().int().nonnegative(),
  publishedBy: z.string(),
  rolledBackFrom: ConfigVersion.nullable(),
});
export type ConfigVersionSummary = z.infer<typeof ConfigVersionSummary>;
export const ConfigVersionFull = ConfigVersionSummary.extend({ config: FleetConfig });
export type ConfigVersionFull = z.infer<typeof ConfigVersionFull>;

export const BoothConfigState = z.strictObject({
  boothId: z.number().int().positive(),
  name: z.string(),
  /** The version this booth should run, or null when nothing was published for it. */
  expectedVersion: ConfigVersion.nullable(),
  appliedVersion: ConfigVersion.nullable(),
  appliedAt: z.number().int().nonnegative().nullable(),
  /** The booth's last refusal, kept until it runs that version or a newer one. */
  refused: z.strictObject({ version: ConfigVersion, code: z.string(), detail: z.string(), at: z.number().int().nonnegative() }).nullable(),
});
export type BoothConfigState = z.infer<typeof BoothConfigState>;

export const ConfigOverview = z.strictObject({
  versions: z.array(ConfigVersionSummary),
  booths: z.array(BoothConfigState),
  /** The newest version for every booth, or null before the first. */
  department: ConfigVersionFull.nullable(),
  /** What the editor starts from before the first version: the hub's organisations and their hours, the defaults. */
  starter: FleetConfig,
});
export type ConfigOverview = z.infer<typeof ConfigOverview>;
