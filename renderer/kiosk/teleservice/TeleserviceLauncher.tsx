// The mediator's "Démarches en ligne" tab: organisation → guide → start; and the visitor screens' idle time.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { IDLE_SECONDS_MAX, IDLE_SECONDS_MIN } from '../../../shared/contract/index.js';
import { Icon } from '../../ui/Icon.js';
import { OrgLogo } from '../../ui/OrgLogo.js';
import { useIdleStore } from './idleStore.js';
import { toUiError, useAppStore, type UiError } from '../stores/appStore.js';
import { TeleserviceError } from './TeleserviceError.js';
import { useTeleserviceStore } from './teleserviceStore.js';
import { ManagedNote } from '../fleet/ManagedByDepartment.js';
import { useFleetConfigState } from '../fleet/useFleetConfig.js';

/** Starts from the idle time loaded at start-up (the idle guard loads it as soon as the kiosk opens). */
function IdleTimeForm({ idleSeconds }: { idleSeconds: number }) {
  const { t } = useTranslation();
  const save = useIdleStore((s) => s.saveIdleTime);
  const [value, setValue] = useState(String(idleSeconds));
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<UiError | null>(null);
  return (
    <form
      className="settings-block"
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        setError(null);
        save(Number(value)).then(
          () => setSaved(true),
          (cause: unknown) => setError(toUiError(cause)),
        );
      }}
    >
      <h3>{t('teleservice.idleSetting')}</h3>
      <label htmlFor="idle-seconds">{t('teleservice.idleSeconds')}</label>
      <input id="idle-seconds" type="number" inputMode="numeric" min={IDLE_SECONDS_MIN} max={IDLE_SECONDS_MAX} required value={value} onChange={(e) => setValue(e.target.value)} />
      <button type="submit" className="button">
        {t('teleservice.saveIdle')}
      </button>
      <p role="status" className="notice">
        {saved ? t('teleservice.idleSaved') : ''}
      </p>
      <TeleserviceError error={error} />
    </form>
  );
}

export function TeleserviceLauncher() {
  const { t } = useTranslation();
  const organisations = useAppStore((s) => s.organisations);
  const go = useAppStore((s) => s.go);
  const guides = useTeleserviceStore((s) => s.guides);
  const loadGuides = useTeleserviceStore((s) => s.loadGuides);
  const start = useTeleserviceStore((s) => s.start);
  const starting = useTeleserviceStore((s) => s.starting);
  const error = useTeleserviceStore((s) => s.error);
  const guidesError = useTeleserviceStore((s) => s.guidesError);
  const idleSeconds = useIdleStore((s) => s.idleSeconds);
  const fleet = useFleetConfigState();
  const [organisation, setOrganisation] = useState<string | null>(null);

  useEffect(() => {
    void loadGuides();
  }, [loadGuides]);

  const chosen = organisations.find((o) => o.code === organisation);
  const theirs = guides.filter((g) => g.organisation === organisation);

  return (
    <div>
      <h2>{t('teleservice.launcherTitle')}</h2>
      {!chosen ? (
        <>
          <h3>{t('teleservice.chooseOrganisation')}</h3>
          <ul className="choice-grid" role="list">
            {organisations
              .filter((o) => o.active)
              .map((o) => (
                <li key={o.code}>
                  <button type="button" className="choice" onClick={() => setOrganisation(o.code)}>
                    <OrgLogo code={o.code} size={48} />
                    {o.name}
                  </button>
                </li>
              ))}
          </ul>
        </>
      ) : (
        <>
          <h3>{t('teleservice.chooseGuide', { organisation: chosen.name })}</h3>
          <button type="button" className="button" onClick={() => setOrganisation(null)}>
            <Icon name="back" />
            {t('teleservice.changeOrganisation')}
          </button>
          {theirs.length === 0 ? (
            <p>{t('teleservice.noGuides')}</p>
          ) : (
            <ul className="guide-cards" role="list">
              {theirs.map((g) => (
                <li key={g.id} className="guide-card" data-guide={g.id}>
                  <h4>{g.title}</h4>
                  <p>{g.summary}</p>
                  <p className="guide-card__who">{g.visitorMayStart ? t('teleservice.visitorAlone') : t('teleservice.withMediator')}</p>
                  <button
                    type="button"
                    className="button button--primary"
                    disabled={starting}
                    onClick={() => {
                      void start(g.id, 'mediator').then((ok) => ok && go({ name: 'teleservice' }));
                    }}
                  >
                    <Icon name="globe" />
                    {t('teleservice.start', { title: g.title })}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <TeleserviceError error={error ?? guidesError} />
      {fleet?.managed ? (
        <div className="settings-block">
          <h3>{t('teleservice.idleSetting')}</h3>
          <p>{t('fleetConfig.idle', { seconds: idleSeconds })}</p>
          <ManagedNote state={fleet} />
        </div>
      ) : (
        <IdleTimeForm idleSeconds={idleSeconds} />
      )}
    </div>
  );
}
