// Two taps to record a service: the organisation, then the type of service; an optional anonymous profile after.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Visit } from '../../../shared/contract/index.js';
import { SERVICE_TYPES, type ServiceType } from '../../../shared/domain.js';
import { ErrorText } from '../ErrorText.js';
import { OrgLogo } from '../../ui/OrgLogo.js';
import { ProfileForm } from '../../ui/ProfileForm.js';
import { toUiError, useAppStore, type UiError } from '../stores/appStore.js';
import { useVisitsStore } from '../stores/visitsStore.js';

export function QuickRecord() {
  const { t } = useTranslation();
  const allOrganisations = useAppStore((s) => s.organisations);
  const organisations = useMemo(() => allOrganisations.filter((o) => o.active), [allOrganisations]);
  const record = useVisitsStore((s) => s.record);
  const update = useVisitsStore((s) => s.update);
  const [organisation, setOrganisation] = useState<string | null>(null);
  const [last, setLast] = useState<Visit | null>(null);
  const [profileOpen, setProfileOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const nameOf = (code: string) => organisations.find((o) => o.code === code)?.name ?? code;

  const choose = async (service: ServiceType) => {
    if (!organisation) return;
    setError(null);
    try {
      const visit = await record(organisation, service);
      setLast(visit);
      setProfileOpen(false);
      setNotice(t('quick.recorded', { organisation: nameOf(visit.organisation), service: t(`services.${service}`) }));
      setOrganisation(null);
    } catch (cause) {
      setError(toUiError(cause));
    }
  };

  return (
    <div className="quick">
      <h2>{t('quick.title')}</h2>
      <p role="status" aria-live="polite" className="notice">
        {notice}
      </p>
      <ErrorText error={error} />
      {last && !profileOpen && (
        <button type="button" className="button" onClick={() => setProfileOpen(true)}>
          {t('quick.addProfile')}
        </button>
      )}
      {last && profileOpen && (
        <ProfileForm
          initial={last.profile}
          onSave={(profile) => {
            update(last.id, { profile })
              .then((visit) => {
                setLast(visit);
                setProfileOpen(false);
                setNotice(t('quick.profileSaved'));
              })
              .catch((cause: unknown) => setError(toUiError(cause)));
          }}
        />
      )}
      {organisation === null ? (
        <>
          <h3>{t('quick.chooseOrganisation')}</h3>
          <ul className="choice-grid" role="list">
            {organisations.map((o) => (
              <li key={o.code}>
                <button type="button" className="choice" data-org={o.code} onClick={() => setOrganisation(o.code)}>
                  <OrgLogo code={o.code} size={48} />
                  {o.name}
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <>
          <h3>{t('quick.chooseService', { organisation: nameOf(organisation) })}</h3>
          <ul className="choice-grid" role="list">
            {SERVICE_TYPES.map((s) => (
              <li key={s}>
                <button type="button" className="choice" data-service={s} onClick={() => void choose(s)}>
                  {t(`services.${s}`)}
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="button" onClick={() => setOrganisation(null)}>
            {t('quick.changeOrganisation')}
          </button>
        </>
      )}
    </div>
  );
}
