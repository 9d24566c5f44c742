// The incident log (carnet d'incidents): open incidents first, a form to record one, resolving with what was done.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { INCIDENT_CATEGORY_CODES, type IncidentValue } from '../../../shared/contract/index.js';
import { ErrorText } from '../ErrorText.js';
import { toUiError, useAppStore, type UiError } from '../stores/appStore.js';
import { formatDateTime } from '../../i18n/format.js';
import { useEvaluationStore } from './evaluationStore.js';
import './evaluation.css';

type Category = (typeof INCIDENT_CATEGORY_CODES)[number];

function IncidentItem({ incident, onResolved }: { incident: IncidentValue; onResolved: () => void }) {
  const { t, i18n } = useTranslation();
  const organisations = useAppStore((s) => s.organisations);
  const resolveIncident = useEvaluationStore((s) => s.resolveIncident);
  const [action, setAction] = useState('');
  const [error, setError] = useState<UiError | null>(null);
  const faultCode = incident.faultKey?.split(':')[0];
  const orgName = organisations.find((o) => o.code === incident.organisation)?.name ?? incident.organisation;
  const what = faultCode ? t(`evaluation.faults.${faultCode}`, { defaultValue: incident.what }) : incident.what;
  const shownAction = incident.autoResolved && incident.action === 'Rétabli de lui-même (constaté par la borne).' ? t('evaluation.incidents.autoResolved') : incident.action;
  const inputId = `resolve-${incident.id}`;
  return (
    <li className="incident" data-status={incident.status} data-incident={incident.id} data-fault={incident.faultKey ?? ''}>
      <div className="incident__meta">
        <strong>{incident.status === 'open' ? t('evaluation.incidents.statusOpen') : t('evaluation.incidents.statusResolved')}</strong>
        <span>{t(`evaluation.incidents.categories.${incident.category}`)}</span>
        {orgName && <span>{orgName}</span>}
        <span>{t('evaluation.incidents.openedAt', { date: formatDateTime(incident.openedAt, i18n.language) })}</span>
        {incident.faultKey && (
          <span>
            {t('evaluation.incidents.auto')} — {t('evaluation.incidents.occurrences', { count: incident.occurrences })}
          </span>
        )}
      </div>
      <p>{what}</p>
      {shownAction && <p>→ {shownAction}</p>}
      {incident.resolvedAt !== null && <p className="incident__meta">{t('evaluation.incidents.resolvedAt', { date: formatDateTime(incident.resolvedAt, i18n.language) })}</p>}
      {incident.status === 'open' && (
        <div className="row-actions">
          <label className="field" htmlFor={inputId}>
            <span>{t('evaluation.incidents.resolveAction')}</span>
            <input id={inputId} type="text" maxLength={1000} value={action} onChange={(e) => setAction(e.target.value)} />
          </label>
          <button
            type="button"
            className="button"
            disabled={action.trim() === ''}
            onClick={() => {
              resolveIncident({ id: incident.id, action: action.trim() })
                .then(onResolved)
                .catch((cause: unknown) => setError(toUiError(cause)));
            }}
          >
            {t('evaluation.incidents.resolve')}
          </button>
          <ErrorText error={error} />
        </div>
      )}
    </li>
  );
}

export function IncidentsTab() {
  const { t } = useTranslation();
  const organisations = useAppStore((s) => s.organisations);
  const evaluation = useEvaluationStore();
  const [filter, setFilter] = useState<'open' | 'all'>('open');
  const [list, setList] = useState<IncidentValue[]>([]);
  const [category, setCategory] = useState<Category>('equipment');
  const [organisation, setOrganisation] = useState('');
  const [what, setWhat] = useState('');
  const [action, setAction] = useState('');
  const [error, setError] = useState<UiError | null>(null);
  const [notice, setNotice] = useState('');

  const load = useCallback(() => {
    evaluation
      .incidents(filter)
      .then(setList)
      .catch((cause: unknown) => setError(toUiError(cause)));
  }, [evaluation, filter]);
  useEffect(load, [load]);
  useEffect(() => evaluation.onIncidentsChanged(load), [evaluation, load]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    evaluation
      .openIncident({ category, organisation: organisation || null, what: what.trim(), ...(action.trim() ? { action: action.trim() } : {}) })
      .then(() => {
        setWhat('');
        setAction('');
        setNotice(t('evaluation.incidents.opened'));
        setError(null);
        load();
      })
      .catch((cause: unknown) => setError(toUiError(cause)));
  };

  return (
    <div className="incidents-screen">
      <h2>{t('evaluation.incidents.title')}</h2>
      <div className="row-actions" role="group" aria-label={t('evaluation.incidents.title')}>
        {(['open', 'all'] as const).map((f) => (
          <button key={f} type="button" className="button" aria-pressed={filter === f} onClick={() => setFilter(f)}>
            {f === 'open' ? t('evaluation.incidents.filterOpen') : t('evaluation.incidents.filterAll')}
          </button>
        ))}
      </div>
      {list.length === 0 ? (
        <p>{t('evaluation.incidents.none')}</p>
      ) : (
        <ul className="incident-list" role="list" aria-label={t('evaluation.incidents.title')}>
          {list.map((i) => (
            <IncidentItem key={i.id} incident={i} onResolved={load} />
          ))}
        </ul>
      )}
      <form className="settings-block" onSubmit={submit} aria-labelledby="incident-new">
        <h3 id="incident-new">{t('evaluation.incidents.newTitle')}</h3>
        <label className="field">
          <span>{t('evaluation.incidents.category')}</span>
          <select value={category} onChange={(e) => setCategory(e.target.value as Category)}>
            {INCIDENT_CATEGORY_CODES.map((c) => (
              <option key={c} value={c}>
                {t(`evaluation.incidents.categories.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('evaluation.incidents.organisation')}</span>
          <select value={organisation} onChange={(e) => setOrganisation(e.target.value)}>
            <option value="">{t('evaluation.incidents.noOrganisation')}</option>
            {organisations.map((o) => (
              <option key={o.code} value={o.code}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('evaluation.incidents.what')}</span>
          <textarea required maxLength={1000} value={what} onChange={(e) => setWhat(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('evaluation.incidents.action')}</span>
          <textarea maxLength={1000} value={action} onChange={(e) => setAction(e.target.value)} />
        </label>
        <ErrorText error={error} />
        <p className="notice" role="status">
          {notice}
        </p>
        <div>
          <button type="submit" className="button button--primary" disabled={what.trim() === ''}>
            {t('evaluation.incidents.open')}
          </button>
        </div>
      </form>
    </div>
  );
}
