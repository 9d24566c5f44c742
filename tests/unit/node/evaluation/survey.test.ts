import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../electron/services/logger.js';
import { SMILEY_SCALE, SURVEY_QUESTIONS, createSurvey, questionsFor } from '../../../../electron/services/evaluation/survey.js';
import { createEvaluationSettings } from '../../../../electron/services/evaluation/settings.js';
import { dayKeyOf } from '../../../../shared/time.js';
import { fakeClock, openTestDb, paris } from './helpers.js';

function setup(start = paris(2026, 1, 15)) {
  const db = openTestDb();
  const clock = fakeClock(start);
  const settings = createEvaluationSettings({ db, clock: clock.now });
  const survey = createSurvey({ db, clock: clock.now, logger: silentLogger(), settings });
  return { db, clock, settings, survey };
}

describe('satisfaction survey', () => {
  it('asks three to five questions after each surveyed service, each with French and English text and spoken labels', () => {
    for (const service of ['visio', 'internet'] as const) {
      const qs = questionsFor(service);
      expect(qs.length).toBeGreaterThanOrEqual(3);
      expect(qs.length).toBeLessThanOrEqual(5);
      for (const q of qs) for (const t of [q.text, q.spoken]) expect(t.fr && t.en).toBeTruthy();
    }
    expect(questionsFor('visio').map((q) => q.id)).toContain('picture_sound');
    expect(questionsFor('internet').map((q) => q.id)).not.toContain('picture_sound');
    expect(SMILEY_SCALE.map((p) => p.value)).toEqual([1, 2, 3, 4, 5]);
    expect(SMILEY_SCALE[0]?.label.fr).toBe('Pas du tout satisfait');
    expect(SMILEY_SCALE[4]?.label.fr).toBe('Très satisfait');
  });

  it('is offered after visio and internet during the first six months of the site, and not after', () => {
    const { clock, survey } = setup(paris(2026, 1, 15));
    expect(survey.shouldOffer('visio')).toBe(true);
    expect(survey.shouldOffer('internet')).toBe(true);
    expect(survey.shouldOffer('info')).toBe(false);
    expect(survey.shouldOffer('teleservice')).toBe(false);
    clock.set(paris(2026, 7, 14, 18));
    expect(survey.shouldOffer('visio')).toBe(true);
    clock.set(paris(2026, 7, 15, 9));
    expect(survey.shouldOffer('visio')).toBe(false);
  });

  it('follows the setting: always, or never', () => {
    const { clock, settings, survey } = setup(paris(2026, 1, 15));
    clock.set(paris(2028, 1, 1));
    settings.update({ surveyMode: 'always' });
    expect(survey.shouldOffer('internet')).toBe(true);
    settings.update({ surveyMode: 'off' });
    expect(survey.shouldOffer('internet')).toBe(false);
  });

  it('keeps the site start and site id stable once read', () => {
    const { clock, settings } = setup(paris(2026, 1, 15));
    const first = settings.get();
    clock.set(paris(2027, 1, 15));
    const again = settings.get();
    expect(again.siteStartedAt).toBe(first.siteStartedAt);
    expect(again.siteId).toBe(first.siteId);
    expect(first.siteId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.retentionMonths).toBe(24);
  });

  it('saves the retention and survey settings, and refuses out-of-range values', () => {
    const { settings } = setup();
    expect(settings.update({ retentionMonths: 36, surveyMode: 'always' })).toMatchObject({ retentionMonths: 36, surveyMode: 'always' });
    expect(settings.get()).toMatchObject({ retentionMonths: 36, surveyMode: 'always' });
    expect(() => settings.update({ retentionMonths: 0 })).toThrow();
    expect(() => settings.update({ surveyMode: 'sometimes' as never })).toThrow();
  });

  it('stores answers anonymously with the organisation, the service and the day, and skipped questions as null', () => {
    const { db, survey } = setup();
    const r = survey.record({ organisation: 'CAF', service: 'visio', answers: { welcome: 5, answer: 4 } });
    expect(r.stored).toBe(true);
    const row = db.prepare('SELECT * FROM survey_responses').get() as Record<string, unknown>;
    expect(row.organisation).toBe('CAF');
    expect(row.service).toBe('visio');
    expect(row.day_key).toBe(dayKeyOf(paris(2026, 1, 15)));
    expect(JSON.parse(row.answers as string)).toEqual({ welcome: 5, answer: 4, picture_sound: null, recommend: null });
    expect(Object.keys(row).sort()).toEqual(['answered_at', 'answers', 'day_key', 'id', 'organisation', 'service', 'week_key']);
  });

  it('stores nothing when every question was skipped', () => {
    const { db, survey } = setup();
    expect(survey.record({ organisation: 'CAF', service: 'internet', answers: {} })).toEqual({ stored: false, id: null });
    expect(survey.record({ organisation: 'CAF', service: 'internet', answers: { welcome: null } }).stored).toBe(false);
    expect((db.prepare('SELECT COUNT(*) AS n FROM survey_responses').get() as { n: number }).n).toBe(0);
  });

  it('refuses scores outside 1..5 and questions not asked for that service', () => {
    const { survey } = setup();
    expect(() => survey.record({ organisation: 'CAF', service: 'visio', answers: { welcome: 6 } })).toThrow(/invalides/);
    expect(() => survey.record({ organisation: 'CAF', service: 'internet', answers: { picture_sound: 3 } })).toThrow(/inconnue/);
    expect(() => survey.record({ organisation: 'CAF', service: 'visio', answers: { welcome: 3, name: 'Dupont' } as never })).toThrow();
  });

  it('summarises per question: answers, skips, mean, share satisfied and distribution', () => {
    const { survey } = setup();
    survey.record({ organisation: 'CAF', service: 'visio', answers: { welcome: 5, answer: 2, picture_sound: 4 } });
    survey.record({ organisation: 'CPAM', service: 'visio', answers: { welcome: 4, answer: null, picture_sound: 1 } });
    survey.record({ organisation: 'FT', service: 'internet', answers: { welcome: 3, easy_to_use: 5 } });
    const day = dayKeyOf(paris(2026, 1, 15));
    const s = survey.summary(day, day);
    expect(s.responses).toBe(3);
    const welcome = s.questions.find((q) => q.id === 'welcome');
    expect(welcome).toMatchObject({ answered: 3, skipped: 0, mean: 4, satisfiedShare: 0.667, distribution: [0, 0, 1, 1, 1] });
    expect(s.questions.find((q) => q.id === 'answer')).toMatchObject({ answered: 1, skipped: 2, mean: 2 });
    expect(s.questions.find((q) => q.id === 'picture_sound')).toMatchObject({ answered: 2, mean: 2.5, satisfiedShare: 0.5 });
    expect(s.questions.find((q) => q.id === 'recommend')).toMatchObject({ answered: 0, mean: null, satisfiedShare: null });
    expect(s.questions).toHaveLength(SURVEY_QUESTIONS.length);
    expect(survey.summary(day + 1, day + 5).responses).toBe(0);
  });
});
