// The evaluation settings (survey mode, retention of visit details) and the state of the weekly sending to the hub.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ManagedNote } from '../fleet/ManagedByDepartment.js';
import { useFleetConfigState } from '../fleet/useFleetConfig.js';
import { SURVEY_MODES, type EvaluationSettingsValue, type SyncStatusValue } from '../../../shared/contract/index.js';
import { ErrorText } from '../ErrorText.js';
import { toUiError, useAppStore, type UiError } from '../stores/appStore.js';
import { useEvaluationStore } from './evaluationStore.js';
import './evaluation.css';

/** Hands the kiosk to the visitor on the survey, e.g. after an internet consultation: the mediator session is locked first. */
function OfferSurvey() {
  const { t } = useTranslation();
  const organisations = useAppStore((s) => s.organisations);
  const lock = useAppStore((s) => s.lock);
  const go = useAppStore((s) => s.go);
  const active = organisations.filter((o) => o.active);
  const [organisation, setOrganisation] = useState('');
  const [service, setService] = useState<'visio' | 'internet'>('internet');
  const chosen = organisation || active[0]?.code || '';
  return (
    <div className="settings-block">
      <h3>{t('evaluation.settings.offerTitle')}</h3>
      <label className="field">
        <span>{t('evaluation.incidents.organisation')}</span>
        <select value={chosen} onChange={(e) => setOrganisation(e.target.value)}>
          {active.map((o) => (
            <option key={o.code} value={o.code}>
              {o.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('evaluation.settings.offerService')}</span>
        <select value={service} onChange={(e) => setService(e.target.value as 'visio' | 'internet')}>
          <option value="internet">{t('services.internet')}</option>
          <option value="visio">{t('services.visio')}</option>
        </select>
      </label>
      <div>
        <button
          type="button"
          className="button button--primary"
          disabled={!chosen}
          onClick={() => {
            void lock().then(() => go({ name: 'survey', organisation: chosen, service }));
          }}
        >
          {t('evaluation.settings.offerButton')}
        </button>
      </div>
    </div>
  );
}

export function EvaluationSettingsTab() {
  const { t } = useTranslation();
  const evaluation = useEvaluationStore();
  const [settings, setSettings] = useState<EvaluationSettingsValue | null>(null);
  const [mode, setMode] = useState<EvaluationSettingsValue['surveyMode']>('first_six_months');
  const [months, setMonths] = useState('24');
  const [sync, setSync] = useState<SyncStatusValue | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const [notice, setNotice] = useState('');
  // The survey's period is the department's once its hub pushed a configuration; the retention stays the site's.
  const fleet = useFleetConfigState();

  useEffect(() => {
    evaluation
      .settingsAndSync()
      .then(({ settings: s, sync: st }) => {
        setSettings(s);
        setMode(s.surveyMode);
        setMonths(String(s.retentionMonths));
        setSync(st);
      })
      .catch((cause: unknown) => setError(toUiError(cause)));
  }, [evaluation]);

  const save = () => {
    const retentionMonths = Number(months);
    evaluation
      .saveSettings({ ...(fleet?.managed ? {} : { surveyMode: mode }), ...(Number.isInteger(retentionMonths) ? { retentionMonths } : {}) })
      .then((s) => {
        setSettings(s);
        setNotice(t('evaluation.settings.saved'));
        setError(null);
      })
      .catch((cause: unknown) => setError(toUiError(cause)));
  };
  const sendNow = () => {
    evaluation
      .sendNow()
      .then(setSync)
      .catch((cause: unknown) => setError(toUiError(cause)));
  };

  if (!settings) return <ErrorText error={error} />;
  return (
    <div className="evaluation-settings">
      <h2>{t('evaluation.settings.title')}</h2>
      <div className="settings-block">
        <fieldset className="audit-item" disabled={fleet?.managed === true} {...(fleet?.managed ? { 'aria-describedby': 'survey-managed' } : {})}>
          <legend>{t('evaluation.settings.surveyMode')}</legend>
          {fleet?.managed && <ManagedNote state={fleet} id="survey-managed" />}
          {SURVEY_MODES.map((m) => (
            <label key={m} className="radio-choice">
              <input type="radio" name="survey-mode" checked={(fleet?.managed ? settings.surveyMode : mode) === m} onChange={() => setMode(m)} />
              {t(`evaluation.settings.modes.${m}`)}
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>{t('evaluation.settings.retention')}</span>
          <input type="number" min={1} max={120} inputMode="numeric" value={months} onChange={(e) => setMonths(e.target.value)} aria-describedby="retention-hint" />
        </label>
        <p id="retention-hint">{t('evaluation.settings.retentionHint')}</p>
        <ErrorText error={error} />
        <p className="notice" role="status">
          {notice}
        </p>
        <div>
          <button type="button" className="button button--primary" onClick={save}>
            {t('evaluation.settings.save')}
          </button>
        </div>
      </div>
      <OfferSurvey />
      {sync && (
        <div className="settings-block" data-testid="sync-status">
          <h3>{t('evaluation.settings.syncTitle')}</h3>
          <p role="status">
            {!sync.configured
              ? t('evaluation.settings.syncNoHub')
              : sync.pending > 0
                ? t('evaluation.settings.syncPending', { count: sync.pending })
                : t('evaluation.settings.syncUpToDate')}
          </p>
          {sync.pending > 0 && sync.lastError && <p>{t('evaluation.settings.syncError', { error: sync.lastError })}</p>}
          <div>
            <button type="button" className="button" onClick={sendNow} disabled={!sync.configured}>
              {t('evaluation.settings.syncNow')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
