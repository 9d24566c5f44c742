// The monthly audit checklist of the room (each item OK / not OK with a comment), this month's reminder and the history.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AUDIT_ITEMS, type AuditItemValue, type AuditRecordValue } from '../../../shared/contract/index.js';
import { ErrorText } from '../ErrorText.js';
import { toUiError, useAppStore, type UiError } from '../stores/appStore.js';
import { formatDateTime, formatMonth } from '../../i18n/format.js';
import { useEvaluationStore } from './evaluationStore.js';
import './evaluation.css';

/** A banner on the mediator screen while this month's audit is not done. */
export function AuditReminder() {
  const { t, i18n } = useTranslation();
  const go = useAppStore((s) => s.go);
  const evaluation = useEvaluationStore();
  const [due, setDue] = useState<{ due: boolean; month: string } | null>(null);
  useEffect(() => {
    evaluation
      .auditDue()
      .then(setDue)
      .catch(() => setDue(null));
    return evaluation.onAuditChanged(({ due: d }) => setDue((prev) => (prev ? { ...prev, due: d } : prev)));
  }, [evaluation]);
  if (!due?.due) return null;
  return (
    <div className="banner" role="status" data-testid="audit-reminder">
      <span>{t('evaluation.auditDue', { month: formatMonth(due.month, i18n.language) })}</span>
      <button type="button" className="button button--primary" onClick={() => go({ name: 'mediator', tab: 'audit' })}>
        {t('evaluation.auditDueAction')}
      </button>
    </div>
  );
}

type Draft = Record<(typeof AUDIT_ITEMS)[number], { ok: boolean | null; comment: string }>;
const emptyDraft = (): Draft => Object.fromEntries(AUDIT_ITEMS.map((i) => [i, { ok: null, comment: '' }])) as Draft;

export function AuditTab() {
  const { t, i18n } = useTranslation();
  const evaluation = useEvaluationStore();
  const [due, setDue] = useState<{ due: boolean; month: string } | null>(null);
  const [history, setHistory] = useState<AuditRecordValue[]>([]);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [error, setError] = useState<UiError | null>(null);
  const [notice, setNotice] = useState('');

  const load = () => {
    evaluation
      .auditOverview()
      .then(({ due: d, history: h }) => {
        setDue(d);
        setHistory(h);
      })
      .catch((cause: unknown) => setError(toUiError(cause)));
  };
  useEffect(load, [evaluation]);

  const complete = AUDIT_ITEMS.every((i) => draft[i].ok !== null);
  const save = () => {
    if (!due || !complete) return;
    const items: AuditItemValue[] = AUDIT_ITEMS.map((item) => ({ item, ok: draft[item].ok === true, comment: draft[item].comment.trim() }));
    evaluation
      .recordAudit({ month: due.month, items })
      .then(() => {
        setNotice(t('evaluation.audit.saved'));
        setDraft(emptyDraft());
        setError(null);
        load();
      })
      .catch((cause: unknown) => setError(toUiError(cause)));
  };

  return (
    <div className="audit-screen">
      <h2>{t('evaluation.audit.title')}</h2>
      {due && <p className="lead">{t('evaluation.audit.month', { month: formatMonth(due.month, i18n.language) })}</p>}
      {due && !due.due && <p className="notice">{t('evaluation.audit.done')}</p>}
      <ul className="audit-items" role="list">
        {AUDIT_ITEMS.map((item) => {
          const label = t(`evaluation.audit.items.${item}`);
          return (
            <li key={item} className="audit-item" data-item={item}>
              <fieldset>
                <legend>{label}</legend>
                {([true, false] as const).map((value) => (
                  <label key={String(value)} className="radio-choice">
                    <input
                      type="radio"
                      name={`audit-${item}`}
                      checked={draft[item].ok === value}
                      onChange={() => setDraft({ ...draft, [item]: { ...draft[item], ok: value } })}
                    />
                    {value ? t('evaluation.audit.ok') : t('evaluation.audit.notOk')}
                  </label>
                ))}
              </fieldset>
              <label className="field">
                <span>{t('evaluation.audit.comment', { item: label })}</span>
                <input type="text" maxLength={500} value={draft[item].comment} onChange={(e) => setDraft({ ...draft, [item]: { ...draft[item], comment: e.target.value } })} />
              </label>
            </li>
          );
        })}
      </ul>
      <ErrorText error={error} />
      <p className="notice" role="status">
        {notice}
      </p>
      <div className="actions">
        <button type="button" className="button button--primary" disabled={!complete} onClick={save}>
          {t('evaluation.audit.save')}
        </button>
      </div>
      <h3>{t('evaluation.audit.history')}</h3>
      {history.length === 0 ? (
        <p>{t('evaluation.audit.noHistory')}</p>
      ) : (
        <ul className="incident-list" role="list" aria-label={t('evaluation.audit.history')}>
          {history.map((a) => {
            const notOk = a.items.filter((i) => !i.ok);
            return (
              <li key={a.id} className="incident" data-status={notOk.length === 0 ? 'resolved' : 'open'}>
                <strong>{formatMonth(a.month, i18n.language)}</strong> — {t('evaluation.audit.doneOn', { date: formatDateTime(a.doneAt, i18n.language) })} —{' '}
                {notOk.length === 0 ? t('evaluation.audit.allOk') : t('evaluation.audit.notOkCount', { count: notOk.length })}
                {notOk.length > 0 && (
                  <ul>
                    {notOk.map((i) => (
                      <li key={i.item}>
                        {t(`evaluation.audit.items.${i.item}`)}
                        {i.comment ? ` : ${i.comment}` : ''}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
