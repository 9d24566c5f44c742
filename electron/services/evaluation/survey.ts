// The satisfaction survey: its questions and smiley scale (codes + French/English texts), when it is offered, anonymous answers, summaries.
import { z } from 'zod';
import { OrganisationCode, ServiceType } from '../../../shared/domain.js';
import { ExpectedError } from '../../../shared/errors.js';
import { dayKeyOf, weekKeyOf } from '../../../shared/time.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../logger.js';
import { shiftMonthsDayKey } from './calendar.js';
import type { EvaluationSettingsStore } from './settings.js';

export interface Bilingual {
  fr: string;
  en: string;
}

export interface SurveyQuestion {
  id: string;
  /** The text on screen. */
  text: Bilingual;
  /** What a screen reader says (also read aloud by the kiosk's speech button). */
  spoken: Bilingual;
  /** Types of service after which the question is asked. */
  services: readonly ServiceType[];
}

/** Types of service after which the survey is offered (DOMAIN.md: internet consultation and visio-accueil). */
export const SURVEY_SERVICES: readonly ServiceType[] = ['visio', 'internet'];

export const SURVEY_QUESTIONS: readonly SurveyQuestion[] = [
  {
    id: 'welcome',
    text: { fr: 'Avez-vous été bien accueilli ?', en: 'Were you made welcome?' },
    spoken: { fr: 'Avez-vous été bien accueilli ? Touchez un visage.', en: 'Were you made welcome? Touch a face.' },
    services: ['visio', 'internet'],
  },
  {
    id: 'answer',
    text: { fr: 'Avez-vous obtenu une réponse ?', en: 'Did you get an answer?' },
    spoken: { fr: 'Avez-vous obtenu une réponse à votre demande ? Touchez un visage.', en: 'Did you get an answer to your request? Touch a face.' },
    services: ['visio', 'internet'],
  },
  {
    id: 'picture_sound',
    text: { fr: "L'image et le son étaient-ils bons ?", en: 'Were the picture and the sound good?' },
    spoken: { fr: "Pendant l'appel vidéo, l'image et le son étaient-ils bons ? Touchez un visage.", en: 'During the video call, were the picture and the sound good? Touch a face.' },
    services: ['visio'],
  },
  {
    id: 'easy_to_use',
    text: { fr: "L'ordinateur était-il facile à utiliser ?", en: 'Was the computer easy to use?' },
    spoken: { fr: "L'ordinateur était-il facile à utiliser ? Touchez un visage.", en: 'Was the computer easy to use? Touch a face.' },
    services: ['internet'],
  },
  {
    id: 'recommend',
    text: { fr: 'Recommanderiez-vous ce service ?', en: 'Would you recommend this service?' },
    spoken: { fr: 'Conseilleriez-vous ce service à un proche ? Touchez un visage.', en: 'Would you recommend this service to someone close to you? Touch a face.' },
    services: ['visio', 'internet'],
  },
];

export interface ScalePoint {
  value: 1 | 2 | 3 | 4 | 5;
  /** A stable icon name for the smiley button. */
  icon: 'very_unhappy' | 'unhappy' | 'neutral' | 'happy' | 'very_happy';
  label: Bilingual;
}

export const SMILEY_SCALE: readonly ScalePoint[] = [
  { value: 1, icon: 'very_unhappy', label: { fr: 'Pas du tout satisfait', en: 'Not at all satisfied' } },
  { value: 2, icon: 'unhappy', label: { fr: 'Pas satisfait', en: 'Not satisfied' } },
  { value: 3, icon: 'neutral', label: { fr: 'Moyennement satisfait', en: 'Fairly satisfied' } },
  { value: 4, icon: 'happy', label: { fr: 'Satisfait', en: 'Satisfied' } },
  { value: 5, icon: 'very_happy', label: { fr: 'Très satisfait', en: 'Very satisfied' } },
];

export const questionsFor = (service: ServiceType): SurveyQuestion[] => SURVEY_QUESTIONS.filter((q) => q.services.includes(service));

/** A score of 1..5, or null for a question the visitor skipped. */
export const SurveyScore = z.number().int().min(1).max(5).nullable();

export const SurveyAnswersInput = z
  .object({
    organisation: OrganisationCode,
    service: ServiceType,
    answers: z.record(z.string().max(40), SurveyScore),
  })
  .strict();
export type SurveyAnswersInput = z.infer<typeof SurveyAnswersInput>;

export interface QuestionSummary {
  id: string;
  /** Visitors who gave a score. */
  answered: number;
  /** Visitors who were asked and skipped it. */
  skipped: number;
  /** Mean score (1..5) rounded to 0.01; null when nobody answered. */
  mean: number | null;
  /** Share of 4 and 5 among the scores (0..1, rounded to 0.001); null when nobody answered. */
  satisfiedShare: number | null;
  /** Number of each score: index 0 is score 1. */
  distribution: [number, number, number, number, number];
}

export interface SurveySummary {
  responses: number;
  questions: QuestionSummary[];
}

/** Summary of the answers given between two Paris day keys (YYYYMMDD, inclusive). */
export function surveySummary(db: Db, fromDayKey: number, toDayKey: number): SurveySummary {
  const rows = db
    .prepare<[number, number], { answers: string }>('SELECT answers FROM survey_responses WHERE day_key BETWEEN ? AND ?')
    .all(fromDayKey, toDayKey);
  const tallies = new Map(SURVEY_QUESTIONS.map((q) => [q.id, { answered: 0, skipped: 0, sum: 0, distribution: [0, 0, 0, 0, 0] as QuestionSummary['distribution'] }]));
  for (const row of rows) {
    const answers = JSON.parse(row.answers) as Record<string, number | null>;
    for (const [id, score] of Object.entries(answers)) {
      const t = tallies.get(id);
      if (!t) continue;
      if (score === null) t.skipped += 1;
      else {
        t.answered += 1;
        t.sum += score;
        t.distribution[score - 1] = (t.distribution[score - 1] ?? 0) + 1;
      }
    }
  }
  return {
    responses: rows.length,
    questions: SURVEY_QUESTIONS.map((q) => {
      const t = tallies.get(q.id) ?? { answered: 0, skipped: 0, sum: 0, distribution: [0, 0, 0, 0, 0] as QuestionSummary['distribution'] };
      const satisfied = t.distribution[3] + t.distribution[4];
      return {
        id: q.id,
        answered: t.answered,
        skipped: t.skipped,
        mean: t.answered ? Math.round((t.sum / t.answered) * 100) / 100 : null,
        satisfiedShare: t.answered ? Math.round((satisfied / t.answered) * 1000) / 1000 : null,
        distribution: t.distribution,
      };
    }),
  };
}

export interface Survey {
  /** Whether to offer the survey now, after a service of this type (per the setting). */
  shouldOffer(service: ServiceType): boolean;
  /** Stores one visitor's answers anonymously; answers that are all skipped store nothing. */
  record(input: SurveyAnswersInput): { stored: boolean; id: number | null };
  summary(fromDayKey: number, toDayKey: number): SurveySummary;
}

export function createSurvey(deps: { db: Db; clock: () => number; logger: Logger; settings: EvaluationSettingsStore }): Survey {
  const { db, clock, logger, settings } = deps;
  const insert = db.prepare<[string, string, number, number, number, string]>(
    'INSERT INTO survey_responses (organisation, service, answered_at, day_key, week_key, answers) VALUES (?, ?, ?, ?, ?, ?)',
  );
  return {
    shouldOffer(service) {
      if (!SURVEY_SERVICES.includes(service)) return false;
      const s = settings.get();
      if (s.surveyMode === 'off') return false;
      if (s.surveyMode === 'always') return true;
      return dayKeyOf(clock()) < shiftMonthsDayKey(s.siteStartedAt, 6);
    },
    record(input) {
      const parsed = SurveyAnswersInput.safeParse(input);
      if (!parsed.success) throw new ExpectedError('INVALID_INPUT', 'Réponses au questionnaire invalides.');
      const { organisation, service, answers } = parsed.data;
      const asked = questionsFor(service);
      const unknown = Object.keys(answers).filter((id) => !asked.some((q) => q.id === id));
      if (unknown.length > 0) throw new ExpectedError('INVALID_INPUT', `Question inconnue pour ce type de service : ${unknown.join(', ')}.`);
      const normalised: Record<string, number | null> = {};
      for (const q of asked) normalised[q.id] = answers[q.id] ?? null;
      if (Object.values(normalised).every((v) => v === null)) return { stored: false, id: null };
      const now = clock();
      const info = insert.run(organisation, service, now, dayKeyOf(now), weekKeyOf(now), JSON.stringify(normalised));
      logger.info({ code: 'SURVEY_RECORDED', organisation, service }, 'survey answers recorded');
      return { stored: true, id: Number(info.lastInsertRowid) };
    },
    summary: (fromDayKey, toDayKey) => surveySummary(db, fromDayKey, toDayKey),
  };
}
