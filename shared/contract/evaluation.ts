// Evaluation tools' verbs and events: satisfaction survey, monthly audit, incident log (with the kiosk's own faults),
// month reports (screen, PDF, CSV), the quality charter, the evaluation settings and the hub sync status.
import { z } from 'zod';
import { AppointmentCounts } from '../appointmentCounts.js';
import { EpochMs, LocalDay, OrganisationCode, ServiceType } from '../domain.js';
import { Empty, verb } from './verb.js';

export const Bilingual = z.object({ fr: z.string(), en: z.string() });
export type BilingualText = z.infer<typeof Bilingual>;

export const MonthKeySchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month YYYY-MM');

export const SurveyQuestionSchema = z.object({ id: z.string().max(40), text: Bilingual, spoken: Bilingual });
export const ScalePointSchema = z.object({
  value: z.number().int().min(1).max(5),
  icon: z.enum(['very_unhappy', 'unhappy', 'neutral', 'happy', 'very_happy']),
  label: Bilingual,
});
export const SurveyOffer = z.object({ offer: z.boolean(), questions: z.array(SurveyQuestionSchema), scale: z.array(ScalePointSchema) });
export type SurveyOffer = z.infer<typeof SurveyOffer>;

export const AUDIT_ITEMS = ['furniture', 'cleanliness', 'information_displayed', 'room_confidentiality', 'equipment_working'] as const;
export const AuditItemSchema = z.object({ item: z.enum(AUDIT_ITEMS), ok: z.boolean(), comment: z.string().trim().max(500) }).strict();
export type AuditItemValue = z.infer<typeof AuditItemSchema>;
export const AuditRecordSchema = z.object({
  id: z.number().int(),
  month: MonthKeySchema,
  mediatorId: z.number().int().nullable(),
  doneAt: EpochMs,
  items: z.array(AuditItemSchema),
});
export type AuditRecordValue = z.infer<typeof AuditRecordSchema>;

export const INCIDENT_CATEGORY_CODES = ['equipment', 'connection', 'organisation_unreachable', 'other'] as const;
export const IncidentCategorySchema = z.enum(INCIDENT_CATEGORY_CODES);
export const IncidentSchema = z.object({
  id: z.number().int(),
  category: IncidentCategorySchema,
  organisation: z.string().nullable(),
  what: z.string(),
  action: z.string(),
  status: z.enum(['open', 'resolved']),
  openedAt: EpochMs,
  resolvedAt: EpochMs.nullable(),
  faultKey: z.string().nullable(),
  occurrences: z.number().int(),
  lastSeenAt: EpochMs,
  autoResolved: z.boolean(),
});
export type IncidentValue = z.infer<typeof IncidentSchema>;

const Count = z.number().int().nonnegative();
export const QuestionSummarySchema = z.object({
  id: z.string(),
  answered: Count,
  skipped: Count,
  mean: z.number().nullable(),
  satisfiedShare: z.number().nullable(),
  distribution: z.array(Count).length(5),
});
export const MonthReportSchema = z.object({
  month: MonthKeySchema,
  from: LocalDay,
  to: LocalDay,
  services: z.array(ServiceType),
  rows: z.array(z.object({ organisation: z.string(), name: z.string(), counts: z.record(ServiceType, Count), total: Count })),
  columnTotals: z.record(ServiceType, Count),
  total: Count,
  weeks: z.array(z.object({ week: z.string(), count: Count })),
  satisfaction: z.object({ responses: Count, questions: z.array(QuestionSummarySchema) }),
  audit: z.object({ done: z.boolean(), latest: AuditRecordSchema.nullable() }),
  incidents: z.array(IncidentSchema),
  /** « Rendez-vous en visio » (issue 19): this booth's appointments of the month per organisation. */
  appointments: z.object({
    rows: z.array(z.object({ organisation: z.string(), name: z.string(), counts: AppointmentCounts })),
    totals: AppointmentCounts,
  }),
});
export type MonthReportValue = z.infer<typeof MonthReportSchema>;

export const CharterSchema = z.object({
  title: Bilingual,
  intro: Bilingual,
  commitments: z.array(z.object({ id: z.string(), title: Bilingual, text: Bilingual })),
});
export type CharterValue = z.infer<typeof CharterSchema>;

export const SURVEY_MODES = ['first_six_months', 'always', 'off'] as const;
export const EvaluationSettingsSchema = z.object({
  surveyMode: z.enum(SURVEY_MODES),
  siteStartedAt: EpochMs,
  retentionMonths: z.number().int().min(1).max(120),
});
export type EvaluationSettingsValue = z.infer<typeof EvaluationSettingsSchema>;

export const SyncStatusSchema = z.object({
  pending: Count,
  sent: Count,
  nextAttemptAt: EpochMs.nullable(),
  lastError: z.string().nullable(),
  /** Whether this booth knows a hub to send its weeks to. */
  configured: z.boolean(),
});
export type SyncStatusValue = z.infer<typeof SyncStatusSchema>;

/** A fault the kiosk sees by itself: one incident per `faultKey` while it lasts (e.g. 'printer_fault:PDF', 'call_failed:CAF'). */
export const FaultKey = z.string().regex(/^[a-z_]{3,40}(:[A-Za-z0-9_.-]{1,60})?$/, 'fault key');

export const evaluationVerbs = {
  'survey.offer': verb({ input: z.object({ service: ServiceType }).strict(), output: SurveyOffer, errors: [], mediatorOnly: false }),
  'survey.record': verb({
    input: z
      .object({ organisation: OrganisationCode, service: ServiceType, answers: z.record(z.string().max(40), z.number().int().min(1).max(5).nullable()) })
      .strict(),
    output: z.object({ stored: z.boolean() }),
    errors: [],
    mediatorOnly: false,
  }),
  'charter.get': verb({ input: Empty, output: CharterSchema, errors: [], mediatorOnly: false }),

  'audit.due': verb({ input: Empty, output: z.object({ due: z.boolean(), month: MonthKeySchema }), errors: ['NOT_UNLOCKED'], mediatorOnly: true }),
  'audit.record': verb({
    input: z.object({ month: MonthKeySchema, items: z.array(AuditItemSchema).length(AUDIT_ITEMS.length) }).strict(),
    output: AuditRecordSchema,
    errors: ['NOT_UNLOCKED'],
    mediatorOnly: true,
  }),
  'audit.history': verb({ input: Empty, output: z.array(AuditRecordSchema), errors: ['NOT_UNLOCKED'], mediatorOnly: true }),

  'incidents.list': verb({ input: z.object({ status: z.enum(['open', 'resolved']).optional() }).strict(), output: z.array(IncidentSchema), errors: ['NOT_UNLOCKED'], mediatorOnly: true }),
  'incidents.open': verb({
    input: z
      .object({ category: IncidentCategorySchema, organisation: OrganisationCode.nullable(), what: z.string().trim().min(1).max(1000), action: z.string().trim().max(1000).optional() })
      .strict(),
    output: IncidentSchema,
    errors: ['NOT_UNLOCKED'],
    mediatorOnly: true,
  }),
  'incidents.resolve': verb({
    input: z.object({ id: z.number().int().positive(), action: z.string().trim().min(1).max(1000) }).strict(),
    output: IncidentSchema,
    errors: ['NOT_UNLOCKED', 'NOT_FOUND'],
    mediatorOnly: true,
  }),
  'incidents.reportFault': verb({
    input: z.object({ faultKey: FaultKey, category: IncidentCategorySchema, organisation: OrganisationCode.optional(), what: z.string().trim().min(1).max(500) }).strict(),
    output: z.object({ incidentId: z.number().int(), opened: z.boolean() }),
    errors: [],
    mediatorOnly: false,
  }),
  'incidents.faultCleared': verb({ input: z.object({ faultKey: FaultKey }).strict(), output: z.object({ cleared: z.boolean() }), errors: [], mediatorOnly: false }),

  'reports.month': verb({ input: z.object({ month: MonthKeySchema }).strict(), output: MonthReportSchema, errors: ['NOT_UNLOCKED'], mediatorOnly: true }),
  'reports.pdf': verb({
    input: z.object({ month: MonthKeySchema }).strict(),
    output: z.object({ filename: z.string(), pdfBase64: z.string() }),
    errors: ['NOT_UNLOCKED'],
    mediatorOnly: true,
  }),
  'reports.csv': verb({
    input: z
      .object({ from: LocalDay, to: LocalDay })
      .strict()
      .refine((v) => v.from <= v.to, { message: 'from must not be after to', path: ['to'] }),
    output: z.object({ filename: z.string(), content: z.string() }),
    errors: ['NOT_UNLOCKED'],
    mediatorOnly: true,
  }),

  'evaluation.settings': verb({ input: Empty, output: EvaluationSettingsSchema, errors: ['NOT_UNLOCKED'], mediatorOnly: true }),
  'evaluation.setSettings': verb({
    input: z.object({ surveyMode: z.enum(SURVEY_MODES).optional(), retentionMonths: z.number().int().min(1).max(120).optional() }).strict(),
    output: EvaluationSettingsSchema,
    errors: ['NOT_UNLOCKED', 'MANAGED_BY_DEPARTMENT'],
    mediatorOnly: true,
  }),
  'sync.status': verb({ input: Empty, output: SyncStatusSchema, errors: ['NOT_UNLOCKED'], mediatorOnly: true }),
  /** Sends the waiting weeks now (the mediator's "Envoyer maintenant"), ignoring the retry delay. */
  'sync.now': verb({ input: Empty, output: SyncStatusSchema, errors: ['NOT_UNLOCKED'], mediatorOnly: true }),
} as const;

export const evaluationEvents = {
  'audit.changed': z.object({ due: z.boolean() }),
  'incidents.changed': z.object({ open: Count }),
} as const;
