// The evaluation settings, kept as `evaluation.*` rows of the settings key/value table: survey mode, site start, retention, site id.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db/index.js';
import { readSetting, writeSetting } from '../foundation/kv.js';

export const SurveyMode = z.enum(['first_six_months', 'always', 'off']);
export type SurveyMode = z.infer<typeof SurveyMode>;

export interface EvaluationSettings {
  surveyMode: SurveyMode;
  /** When the site opened (epoch ms): the survey's "first six months" count from here. */
  siteStartedAt: number;
  /** Detailed visit records older than this many months are purged; their counts stay. */
  retentionMonths: number;
  /** A random identifier of this site for the hub's aggregates: not personal, not derived from anything. */
  siteId: string;
}

export const EvaluationSettingsPatch = z
  .object({
    surveyMode: SurveyMode.optional(),
    siteStartedAt: z.number().int().nonnegative().optional(),
    retentionMonths: z.number().int().min(1).max(120).optional(),
  })
  .strict();
export type EvaluationSettingsPatch = z.infer<typeof EvaluationSettingsPatch>;

export const DEFAULT_RETENTION_MONTHS = 24;

const KEYS = {
  surveyMode: 'evaluation.surveyMode',
  siteStartedAt: 'evaluation.siteStartedAt',
  retentionMonths: 'evaluation.retentionMonths',
  siteId: 'evaluation.siteId',
} as const;
/** The survey's period may come from the department's configuration (electron/services/fleetConfig/), which writes it here. */
export const SURVEY_MODE_KEY = KEYS.surveyMode;

export interface EvaluationSettingsStore {
  get(): EvaluationSettings;
  update(patch: EvaluationSettingsPatch): EvaluationSettings;
}

/** Missing rows get their defaults written on first read (site start = that instant, a fresh site id), so they stay stable. */
export function createEvaluationSettings(deps: { db: Db; clock: () => number }): EvaluationSettingsStore {
  const { db, clock } = deps;

  const valueOf = <T>(key: string, schema: z.ZodType<T>, fallback: () => T): T => {
    const stored = readSetting<T | null>(db, key, schema.nullable(), null);
    if (stored !== null) return stored;
    const value = fallback();
    writeSetting(db, key, value);
    return value;
  };

  const get = db.transaction(
    (): EvaluationSettings => ({
      surveyMode: valueOf(KEYS.surveyMode, SurveyMode, () => 'first_six_months' as const),
      siteStartedAt: valueOf(KEYS.siteStartedAt, z.number().int().nonnegative(), clock),
      retentionMonths: valueOf(KEYS.retentionMonths, z.number().int().min(1).max(120), () => DEFAULT_RETENTION_MONTHS),
      siteId: valueOf(KEYS.siteId, z.string().min(8).max(64), () => randomUUID()),
    }),
  );

  return {
    get: () => get(),
    update(patch) {
      const checked = EvaluationSettingsPatch.parse(patch);
      db.transaction(() => {
        if (checked.surveyMode !== undefined) writeSetting(db, KEYS.surveyMode, checked.surveyMode);
        if (checked.siteStartedAt !== undefined) writeSetting(db, KEYS.siteStartedAt, checked.siteStartedAt);
        if (checked.retentionMonths !== undefined) writeSetting(db, KEYS.retentionMonths, checked.retentionMonths);
      })();
      return get();
    },
  };
}
