// The satisfaction survey after a visio-accueil or an internet consultation: one question at a time, five large smiley
// buttons whose labels screen readers read aloud, always skippable; the answers are stored anonymously.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SurveyOffer } from '../../../shared/contract/index.js';
import { useAppStore } from '../stores/appStore.js';
import { useEvaluationStore } from './evaluationStore.js';
import { Smiley, type SmileyIcon } from './Smiley.js';
import './evaluation.css';

type Phase = { name: 'loading' } | { name: 'question'; index: number } | { name: 'thanks' };

export function SurveyScreen({ organisation, service }: { organisation: string; service: 'visio' | 'internet' }) {
  const { t, i18n } = useTranslation();
  const go = useAppStore((s) => s.go);
  const evaluation = useEvaluationStore();
  const [offer, setOffer] = useState<SurveyOffer | null>(null);
  const [phase, setPhase] = useState<Phase>({ name: 'loading' });
  const answers = useRef<Record<string, number | null>>({});
  const headingRef = useRef<HTMLHeadingElement>(null);
  const lang = i18n.language === 'en' ? 'en' : 'fr';

  useEffect(() => {
    let cancelled = false;
    evaluation
      .surveyOffer(service)
      .then((o) => {
        if (cancelled) return;
        if (!o.offer || o.questions.length === 0) go({ name: 'home' });
        else {
          setOffer(o);
          setPhase({ name: 'question', index: 0 });
        }
      })
      .catch(() => {
        if (!cancelled) go({ name: 'home' });
      });
    return () => {
      cancelled = true;
    };
  }, [evaluation, service, go]);

  useEffect(() => {
    headingRef.current?.focus();
  }, [phase]);

  const finish = () => {
    const given = answers.current;
    setPhase({ name: 'thanks' });
    if (Object.values(given).some((v) => v !== null)) {
      // Anonymous: the organisation and the type of service only; a failure here must not keep the visitor waiting.
      void evaluation.recordSurvey({ organisation, service, answers: given }).catch(() => undefined);
    }
  };

  const answer = (value: number | null) => {
    if (!offer || phase.name !== 'question') return;
    const q = offer.questions[phase.index];
    if (q) answers.current = { ...answers.current, [q.id]: value };
    if (phase.index + 1 < offer.questions.length) setPhase({ name: 'question', index: phase.index + 1 });
    else finish();
  };

  if (phase.name === 'loading' || !offer) {
    return (
      <main className="screen screen--survey">
        <p role="status">{t('app.loading')}</p>
      </main>
    );
  }

  if (phase.name === 'thanks') {
    return (
      <main className="screen screen--survey" aria-labelledby="survey-thanks">
        <h1 id="survey-thanks" ref={headingRef} tabIndex={-1}>
          {t('survey.thanks')}
        </h1>
        <p className="lead">{t('survey.thanksHint')}</p>
        <button type="button" className="button button--primary survey__home" onClick={() => go({ name: 'home' })}>
          {t('survey.home')}
        </button>
      </main>
    );
  }

  const question = offer.questions[phase.index];
  if (!question) return null;
  const text = t(`survey.questions.${question.id}.text`, { defaultValue: question.text[lang] });
  const spoken = t(`survey.questions.${question.id}.spoken`, { defaultValue: question.spoken[lang] });
  return (
    <main className="screen screen--survey" aria-labelledby="survey-question">
      <p className="survey__title">{t('survey.title')}</p>
      {phase.index === 0 && <p className="lead">{t('survey.intro', { count: offer.questions.length })}</p>}
      <p className="survey__progress">{t('survey.progress', { n: phase.index + 1, total: offer.questions.length })}</p>
      <h1 id="survey-question" ref={headingRef} tabIndex={-1} aria-describedby="survey-spoken">
        {text}
      </h1>
      <p id="survey-spoken" className="visually-hidden" aria-live="polite">
        {spoken}
      </p>
      <ul className="smileys" role="list" aria-labelledby="survey-question">
        {offer.scale.map((point) => {
          const label = t(`survey.scale.${point.icon}`, { defaultValue: point.label[lang] });
          return (
            <li key={point.value}>
              <button type="button" className="smiley" data-score={point.value} aria-label={label} onClick={() => answer(point.value)}>
                <Smiley icon={point.icon as SmileyIcon} />
                <span className="smiley__label" aria-hidden="true">
                  {label}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      <div className="actions">
        <button type="button" className="button" onClick={() => answer(null)}>
          {t('survey.skipQuestion')}
        </button>
        <button type="button" className="button button--quiet survey__skip-all" onClick={() => go({ name: 'home' })}>
          {t('survey.skipAll')}
        </button>
      </div>
    </main>
  );
}
