// Today's services: each can be corrected or deleted (the service keeps an audit trail of who changed what, when).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Visit } from '../../../shared/contract/index.js';
import { SERVICE_TYPES, type ServiceType } from '../../../shared/domain.js';
import { formatTime } from '../../i18n/format.js';
import { ErrorText } from '../ErrorText.js';
import { Icon } from '../../ui/Icon.js';
import { ProfileForm } from '../../ui/ProfileForm.js';
import { toUiError, useAppStore, type UiError } from '../stores/appStore.js';
import { useVisitsStore } from '../stores/visitsStore.js';

function EditVisit({ visit, onDone }: { visit: Visit; onDone(message: string | null): void }) {
  const { t, i18n } = useTranslation();
  const organisations = useAppStore((s) => s.organisations);
  const update = useVisitsStore((s) => s.update);
  const [organisation, setOrganisation] = useState(visit.organisation);
  const [service, setService] = useState<ServiceType>(visit.service);
  const [error, setError] = useState<UiError | null>(null);
  const time = formatTime(visit.startedAt, i18n.language);
  return (
    <div className="edit-visit" role="group" aria-labelledby={`edit-${visit.id}`}>
      <h3 id={`edit-${visit.id}`}>{t('today.editTitle', { time })}</h3>
      <label htmlFor={`org-${visit.id}`}>{t('today.organisation')}</label>
      <select id={`org-${visit.id}`} value={organisation} onChange={(e) => setOrganisation(e.target.value)}>
        {organisations.map((o) => (
          <option key={o.code} value={o.code}>
            {o.name}
          </option>
        ))}
      </select>
      <label htmlFor={`service-${visit.id}`}>{t('today.service')}</label>
      <select id={`service-${visit.id}`} value={service} onChange={(e) => setService(e.target.value as ServiceType)}>
        {SERVICE_TYPES.map((s) => (
          <option key={s} value={s}>
            {t(`services.${s}`)}
          </option>
        ))}
      </select>
      <ProfileForm
        initial={visit.profile}
        submitLabel={t('today.save')}
        onSave={(profile) => {
          update(visit.id, { organisation, service, profile })
            .then(() => onDone(t('today.saved')))
            .catch((cause: unknown) => setError(toUiError(cause)));
        }}
      />
      <button type="button" className="button" onClick={() => onDone(null)}>
        {t('today.cancel')}
      </button>
      <ErrorText error={error} />
    </div>
  );
}

export function TodayList() {
  const { t, i18n } = useTranslation();
  const today = useVisitsStore((s) => s.today);
  const loadToday = useVisitsStore((s) => s.loadToday);
  const remove = useVisitsStore((s) => s.remove);
  const organisations = useAppStore((s) => s.organisations);
  const [editing, setEditing] = useState<number | null>(null);
  const [deleting, setDeleting] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const nameOf = (code: string) => organisations.find((o) => o.code === code)?.name ?? code;

  useEffect(() => {
    loadToday().catch((cause: unknown) => setError(toUiError(cause)));
  }, [loadToday]);

  const profileText = (v: Visit) =>
    [
      v.profile.ageBand ? t(`ageBands.${v.profile.ageBand}`) : null,
      v.profile.commune,
      v.profile.firstVisit === null ? null : `${t('profile.firstVisit')} : ${v.profile.firstVisit ? t('profile.yes') : t('profile.no')}`,
    ]
      .filter(Boolean)
      .join(', ');

  return (
    <div className="today">
      <h2>{t('today.title')}</h2>
      <p role="status" aria-live="polite" className="notice">
        {notice}
      </p>
      <ErrorText error={error} />
      {today.length === 0 ? (
        <p>{t('today.empty')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('today.time')}</th>
              <th scope="col">{t('today.organisation')}</th>
              <th scope="col">{t('today.service')}</th>
              <th scope="col">{t('today.profile')}</th>
              <th scope="col">{t('today.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {today.map((v) => {
              const time = formatTime(v.startedAt, i18n.language);
              return (
                <tr key={v.id} data-visit={v.id}>
                  <td>{time}</td>
                  <td>{nameOf(v.organisation)}</td>
                  <td>
                    {t(`services.${v.service}`)} <small>({t(`today.source.${v.source}`)})</small>
                  </td>
                  <td>{profileText(v)}</td>
                  <td>
                    {editing === v.id ? (
                      <EditVisit
                        visit={v}
                        onDone={(message) => {
                          setEditing(null);
                          setNotice(message);
                        }}
                      />
                    ) : deleting === v.id ? (
                      <div role="group" aria-label={t('today.delete')}>
                        <p>{t('today.confirmDelete', { organisation: nameOf(v.organisation), service: t(`services.${v.service}`), time })}</p>
                        <button
                          type="button"
                          className="button button--danger"
                          onClick={() => {
                            remove(v.id)
                              .then(() => setNotice(t('today.deleted')))
                              .catch((cause: unknown) => setError(toUiError(cause)))
                              .finally(() => setDeleting(null));
                          }}
                        >
                          {t('today.confirm')}
                        </button>
                        <button type="button" className="button" onClick={() => setDeleting(null)}>
                          {t('today.cancel')}
                        </button>
                      </div>
                    ) : (
                      <div className="row-actions">
                        <button type="button" className="button" aria-label={`${t('today.correct')} ${time} ${nameOf(v.organisation)}`} onClick={() => setEditing(v.id)}>
                          <Icon name="edit" size={20} />
                          {t('today.correct')}
                        </button>
                        <button type="button" className="button" aria-label={`${t('today.delete')} ${time} ${nameOf(v.organisation)}`} onClick={() => setDeleting(v.id)}>
                          <Icon name="trash" size={20} />
                          {t('today.delete')}
                        </button>
                      </div>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
