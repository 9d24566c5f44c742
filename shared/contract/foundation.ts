// The foundation's verbs and events: site info, organisations, help, mediator session, visitor log, grid, settings.
import { z } from 'zod';
import { AgeBand, EpochMs, IsoWeek, LocalDay, OpeningSlot, OrganisationCode, ServiceType, VisitSource } from '../domain.js';
import { Done, Empty, verb } from './verb.js';

export const OpeningStateSchema = z.object({
  openNow: z.boolean(),
  closesAt: EpochMs.nullable(),
  nextOpening: EpochMs.nullable(),
});

export const Organisation = z.object({
  code: OrganisationCode,
  name: z.string().min(1).max(80),
  position: z.number().int(),
  openingHours: z.array(OpeningSlot),
  correspondent: z.string().max(200),
  active: z.boolean(),
});
export type Organisation = z.infer<typeof Organisation>;

export const OrganisationWithState = Organisation.extend({ visio: OpeningStateSchema });
export type OrganisationWithState = z.infer<typeof OrganisationWithState>;

export const VisitorProfile = z
  .object({
    ageBand: AgeBand.nullable(),
    commune: z.string().trim().max(80).nullable(),
    firstVisit: z.boolean().nullable(),
  })
  .strict();
export type VisitorProfile = z.infer<typeof VisitorProfile>;

export const Visit = z.object({
  id: z.number().int().positive(),
  organisation: OrganisationCode,
  service: ServiceType,
  startedAt: EpochMs,
  endedAt: EpochMs,
  mediatorId: z.number().int().nullable(),
  profile: VisitorProfile,
  source: VisitSource,
});
export type Visit = z.infer<typeof Visit>;

export const RecordVisitInput = z
  .object({
    organisation: OrganisationCode,
    service: ServiceType,
    startedAt: EpochMs.optional(),
    endedAt: EpochMs.optional(),
    profile: VisitorProfile.optional(),
  })
  .strict()
  .refine((v) => v.startedAt === undefined || v.endedAt === undefined || v.startedAt <= v.endedAt, {
    message: 'startedAt must not be after endedAt',
    path: ['endedAt'],
  });

export const VisitPatch = z
  .object({
    organisation: OrganisationCode.optional(),
    service: ServiceType.optional(),
    startedAt: EpochMs.optional(),
    endedAt: EpochMs.optional(),
    profile: VisitorProfile.optional(),
  })
  .strict();

export const WeeklyGrid = z.object({
  week: IsoWeek,
  /** Monday and Sunday of the week, Paris calendar days. */
  from: LocalDay,
  to: LocalDay,
  siteName: z.string(),
  services: z.array(ServiceType),
  rows: z.array(
    z.object({
      organisation: OrganisationCode,
      name: z.string(),
      counts: z.record(ServiceType, z.number().int().nonnegative()),
      total: z.number().int().nonnegative(),
    }),
  ),
  columnTotals: z.record(ServiceType, z.number().int().nonnegative()),
  total: z.number().int().nonnegative(),
});
export type WeeklyGrid = z.infer<typeof WeeklyGrid>;

export const Mediator = z.object({ id: z.number().int().positive(), name: z.string(), active: z.boolean() });
export type Mediator = z.infer<typeof Mediator>;

export const AuthState = z.object({
  unlocked: z.boolean(),
  mediator: Mediator.nullable(),
  failures: z.number().int().nonnegative(),
  lockedUntil: EpochMs.nullable(),
});
export type AuthState = z.infer<typeof AuthState>;

/**
 * Why a visitor needs the mediator, as a closed list the mediator's screen turns into words: where the visitor asked
 * from (the home, an organisation's screen, its documents or forms, an online service, a visio) or what could not be
 * done (`print`: printing impossible). A request is `place` or `place:ORGANISATION` (« print:CAF »).
 */
export const HELP_PLACES = ['home', 'organisation', 'documents', 'forms', 'teleservice', 'visio', 'print', 'survey'] as const;
export type HelpPlace = (typeof HELP_PLACES)[number];
export const HelpScreen = z.string().max(40).regex(new RegExp(`^(${HELP_PLACES.join('|')})(:[A-Z][A-Z0-9_]{1,15})?$`), 'a help place, optionally :ORGANISATION');

/** The place and the organisation of a stored request; null for a request this version does not know. */
export function parseHelpScreen(screen: string): { place: HelpPlace; organisation: string | null } | null {
  const [place, organisation] = screen.split(':');
  if (!(HELP_PLACES as readonly string[]).includes(place ?? '')) return null;
  return { place: place as HelpPlace, organisation: organisation && /^[A-Z][A-Z0-9_]{1,15}$/.test(organisation) ? organisation : null };
}

export const HelpState = z.object({
  pending: z.boolean(),
  requestId: z.number().int().nullable(),
  requestedAt: EpochMs.nullable(),
  screen: z.string().nullable(),
});
export type HelpState = z.infer<typeof HelpState>;

export const AppInfo = z.object({
  siteName: z.string(),
  commune: z.string(),
  demo: z.boolean(),
  /** Shown on the unlock screen only in demo mode; null otherwise. */
  demoPin: z.string().nullable(),
  now: EpochMs,
  version: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

const Pin = z.string().regex(/^\d{4,8}$/, 'PIN of 4 to 8 digits');
const MediatorName = z.string().trim().min(1).max(60);

export const foundationVerbs = {
  'app.info': verb({ input: Empty, output: AppInfo, errors: [], mediatorOnly: false }),
  'organisations.list': verb({ input: Empty, output: z.array(OrganisationWithState), errors: [], mediatorOnly: false }),

  'help.request': verb({ input: z.object({ screen: HelpScreen }).strict(), output: HelpState, errors: [], mediatorOnly: false }),
  'help.state': verb({ input: Empty, output: HelpState, errors: [], mediatorOnly: false }),
  'help.acknowledge': verb({ input: Empty, output: HelpState, errors: ['NOT_UNLOCKED'], mediatorOnly: true }),

  'auth.state': verb({ input: Empty, output: AuthState, errors: [], mediatorOnly: false }),
  'auth.unlock': verb({ input: z.object({ pin: z.string().max(16) }).strict(), output: AuthState, errors: ['WRONG_PIN', 'PIN_LOCKED'], mediatorOnly: false }),
  'auth.lock': verb({ input: Empty, output: AuthState, errors: [], mediatorOnly: false }),

  'visits.record': verb({ input: RecordVisitInput, output: Visit, errors: ['NOT_UNLOCKED', 'UNKNOWN_ORGANISATION'], mediatorOnly: true }),
  'visits.update': verb({
    input: z.object({ id: z.number().int().positive(), patch: VisitPatch }).strict(),
    output: Visit,
    errors: ['NOT_UNLOCKED', 'NOT_FOUND', 'NOT_TODAY', 'UNKNOWN_ORGANISATION'],
    mediatorOnly: true,
  }),
  'visits.delete': verb({ input: z.object({ id: z.number().int().positive() }).strict(), output: Done, errors: ['NOT_UNLOCKED', 'NOT_FOUND', 'NOT_TODAY'], mediatorOnly: true }),
  'visits.listDay': verb({ input: z.object({ day: LocalDay.optional() }).strict(), output: z.array(Visit), errors: ['NOT_UNLOCKED'], mediatorOnly: true }),

  'grid.week': verb({ input: z.object({ week: IsoWeek.optional() }).strict(), output: WeeklyGrid, errors: ['NOT_UNLOCKED'], mediatorOnly: true }),
  'grid.csv': verb({
    input: z.object({ week: IsoWeek }).strict(),
    output: z.object({ filename: z.string(), content: z.string() }),
    errors: ['NOT_UNLOCKED'],
    mediatorOnly: true,
  }),

  'settings.updateSite': verb({
    input: z.object({ name: z.string().trim().min(1).max(80), commune: z.string().trim().max(80) }).strict(),
    output: AppInfo,
    errors: ['NOT_UNLOCKED'],
    mediatorOnly: true,
  }),
  'settings.saveOrganisation': verb({
    input: Organisation.omit({ position: true }).strict(),
    output: Organisation,
    errors: ['NOT_UNLOCKED', 'MANAGED_BY_DEPARTMENT'],
    mediatorOnly: true,
  }),
  'mediators.list': verb({ input: Empty, output: z.array(Mediator), errors: ['NOT_UNLOCKED'], mediatorOnly: true }),
  'mediators.add': verb({ input: z.object({ name: MediatorName, pin: Pin }).strict(), output: Mediator, errors: ['NOT_UNLOCKED', 'DUPLICATE'], mediatorOnly: true }),
  'mediators.setPin': verb({ input: z.object({ id: z.number().int().positive(), pin: Pin }).strict(), output: Mediator, errors: ['NOT_UNLOCKED', 'NOT_FOUND'], mediatorOnly: true }),
  'mediators.deactivate': verb({
    input: z.object({ id: z.number().int().positive() }).strict(),
    output: Mediator,
    errors: ['NOT_UNLOCKED', 'NOT_FOUND', 'LAST_MEDIATOR'],
    mediatorOnly: true,
  }),
} as const;

/** Events main pushes to the renderer. */
export const foundationEvents = {
  'help.changed': HelpState,
  'auth.changed': AuthState,
  'settings.changed': z.object({ at: EpochMs }),
} as const;

