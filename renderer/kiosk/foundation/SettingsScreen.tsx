// The site's settings: its name and commune, the organisations with their visio hours and correspondent, the mediators.
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Mediator, Organisation } from '../../../shared/contract/index.js';
import type { OpeningSlot } from '../../../shared/domain.js';
import { useBridge } from '../../bridge/BridgeContext.js';
import { unwrap } from '../../bridge/index.js';
import { TimeField } from '../../ui/DateFields.js';
import { ErrorText } from '../ErrorText.js';
import { Icon } from '../../ui/Icon.js';
import { toUiError, useAppStore, type UiError } from '../stores/appStore.js';
import { ManagedOrganisations } from '../fleet/ManagedByDepartment.js';
import { useFleetConfigState } from '../fleet/useFleetConfig.js';

function useFeedback() {
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const run = (action: Promise<unknown>, success: string) => {
    setError(null);
    action.then(() => setNotice(success)).catch((cause: unknown) => {
      setNotice(null);
      setError(toUiError(cause));
    });
  };
  const view = (
    <>
      <p role="status" aria-live="polite" className="notice">
        {notice}
      </p>
      <ErrorText error={error} />
    </>
  );
  return { run, view };
}

function SiteForm() {
  const bridge = useBridge();
  const { t } = useTranslation();
  const info = useAppStore((s) => s.info);
  const refresh = useAppStore((s) => s.refreshOrganisations);
  const [name, setName] = useState(info?.siteName ?? '');
  const [commune, setCommune] = useState(info?.commune ?? '');
  const { run, view } = useFeedback();
  return (
    <form
      className="settings-block"
      onSubmit={(e) => {
        e.preventDefault();
        run(unwrap(bridge.settings.updateSite({ name, commune })).then(refresh), t('settings.saved'));
      }}
    >
      <h3>{t('settings.site')}</h3>
      <label htmlFor="site-name">{t('settings.siteName')}</label>
      <input id="site-name" value={name} maxLength={80} required onChange={(e) => setName(e.target.value)} />
      <label htmlFor="site-commune">{t('settings.commune')}</label>
      <input id="site-commune" value={commune} maxLength={80} onChange={(e) => setCommune(e.target.value)} />
      <button type="submit" className="button button--primary">
        {t('settings.save')}
      </button>
      {view}
    </form>
  );
}

function OrganisationForm({ organisation, isNew }: { organisation: Organisation; isNew?: boolean }) {
  const bridge = useBridge();
  const { t } = useTranslation();
  const id = useId();
  const refresh = useAppStore((s) => s.refreshOrganisations);
  const [code, setCode] = useState(organisation.code);
  const [name, setName] = useState(organisation.name);
  const [correspondent, setCorrespondent] = useState(organisation.correspondent);
  const [active, setActive] = useState(organisation.active);
  const [slots, setSlots] = useState<OpeningSlot[]>(organisation.openingHours);
  const { run, view } = useFeedback();
  const setSlot = (index: number, patch: Partial<OpeningSlot>) => setSlots((all) => all.map((s, i) => (i === index ? { ...s, ...patch } : s)));

  return (
    <form
      className="settings-block"
      onSubmit={(e) => {
        e.preventDefault();
        run(unwrap(bridge.settings.saveOrganisation({ code, name, correspondent, active, openingHours: slots })).then(refresh), t('settings.saved'));
      }}
    >
      <h4>{isNew ? t('settings.addOrganisation') : organisation.name}</h4>
      {isNew && (
        <>
          <label htmlFor={`${id}-code`}>{t('settings.newCode')}</label>
          <input id={`${id}-code`} value={code} pattern="[A-Z][A-Z0-9_]{1,15}" required onChange={(e) => setCode(e.target.value.toUpperCase())} />
        </>
      )}
      <label htmlFor={`${id}-name`}>{t('settings.orgName')}</label>
      <input id={`${id}-name`} value={name} maxLength={80} required onChange={(e) => setName(e.target.value)} />
      <label htmlFor={`${id}-corr`}>{t('settings.correspondent')}</label>
      <input id={`${id}-corr`} value={correspondent} maxLength={200} onChange={(e) => setCorrespondent(e.target.value)} />
      <label className="checkbox" htmlFor={`${id}-active`}>
        <input id={`${id}-active`} type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
        {t('settings.active')}
      </label>
      <fieldset>
        <legend>{t('settings.hours')}</legend>
        {slots.map((slot, index) => (
          <div className="slot" key={index}>
            <label htmlFor={`${id}-day-${index}`}>{t('settings.weekday')}</label>
            <select id={`${id}-day-${index}`} value={slot.weekday} onChange={(e) => setSlot(index, { weekday: Number(e.target.value) })}>
              {[1, 2, 3, 4, 5, 6, 7].map((d) => (
                <option key={d} value={d}>
                  {t(`weekdays.${d}`)}
                </option>
              ))}
            </select>
            <span id={`${id}-from-${index}`}>{t('settings.from')}</span>
            <TimeField labelId={`${id}-from-${index}`} name={`from-${index}`} value={slot.from} onChange={(from) => setSlot(index, { from })} />
            <span id={`${id}-to-${index}`}>{t('settings.to')}</span>
            <TimeField labelId={`${id}-to-${index}`} name={`to-${index}`} value={slot.to} onChange={(to) => setSlot(index, { to })} />
            <button type="button" className="button" aria-label={t('settings.removeSlot')} onClick={() => setSlots((all) => all.filter((_, i) => i !== index))}>
              <Icon name="trash" size={20} />
            </button>
          </div>
        ))}
        <button type="button" className="button" onClick={() => setSlots((all) => [...all, { weekday: 1, from: '09:00', to: '12:00' }])}>
          <Icon name="plus" size={20} />
          {t('settings.addSlot')}
        </button>
      </fieldset>
      <button type="submit" className="button button--primary">
        {t('settings.saveOrganisation', { name: name || code })}
      </button>
      {view}
    </form>
  );
}

function Mediators() {
  const bridge = useBridge();
  const { t } = useTranslation();
  const [mediators, setMediators] = useState<Mediator[]>([]);
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [pinFor, setPinFor] = useState<number | null>(null);
  const [newPin, setNewPin] = useState('');
  const { run, view } = useFeedback();
  const reload = useCallback(() => unwrap(bridge.mediators.list({})).then(setMediators), [bridge]);

  useEffect(() => {
    void reload().catch(() => undefined);
  }, [reload]);

  return (
    <div className="settings-block">
      <h3>{t('settings.mediators')}</h3>
      <ul className="mediators">
        {mediators.map((m) => (
          <li key={m.id}>
            <span>
              {m.name} {!m.active && <small>({t('settings.inactive')})</small>}
            </span>
            {m.active && (
              <>
                <button type="button" className="button" onClick={() => setPinFor(m.id)}>
                  {t('settings.changePin')}
                </button>
                <button type="button" className="button" onClick={() => run(unwrap(bridge.mediators.deactivate({ id: m.id })).then(reload), t('settings.saved'))}>
                  {t('settings.deactivate')}
                </button>
              </>
            )}
            {pinFor === m.id && (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  run(
                    unwrap(bridge.mediators.setPin({ id: m.id, pin: newPin })).then(() => {
                      setPinFor(null);
                      setNewPin('');
                    }),
                    t('settings.saved'),
                  );
                }}
              >
                <label htmlFor={`pin-${m.id}`}>{t('settings.newPin', { name: m.name })}</label>
                <input id={`pin-${m.id}`} type="password" inputMode="numeric" autoComplete="off" pattern="\d{4,8}" required value={newPin} onChange={(e) => setNewPin(e.target.value)} />
                <button type="submit" className="button button--primary">
                  {t('settings.save')}
                </button>
              </form>
            )}
          </li>
        ))}
      </ul>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          run(
            unwrap(bridge.mediators.add({ name, pin })).then(() => {
              setName('');
              setPin('');
              return reload();
            }),
            t('settings.saved'),
          );
        }}
      >
        <label htmlFor="new-mediator-name">{t('settings.mediatorName')}</label>
        <input id="new-mediator-name" value={name} maxLength={60} required onChange={(e) => setName(e.target.value)} />
        <label htmlFor="new-mediator-pin">{t('settings.pin')}</label>
        <input id="new-mediator-pin" type="password" inputMode="numeric" autoComplete="off" pattern="\d{4,8}" required value={pin} onChange={(e) => setPin(e.target.value)} />
        <button type="submit" className="button button--primary">
          {t('settings.addMediator')}
        </button>
      </form>
      {view}
    </div>
  );
}

export function SettingsScreen() {
  const { t } = useTranslation();
  const organisations = useAppStore((s) => s.organisations);
  // Organisations and their visio hours come from the department once its hub has pushed a configuration.
  const fleet = useFleetConfigState();
  return (
    <div className="settings">
      <SiteForm />
      <h3>{t('settings.organisations')}</h3>
      {fleet?.managed ? (
        <ManagedOrganisations organisations={organisations} state={fleet} />
      ) : (
        <>
          {organisations.map((o) => (
            <OrganisationForm key={o.code} organisation={o} />
          ))}
          <OrganisationForm isNew organisation={{ code: '', name: '', position: 0, openingHours: [], correspondent: '', active: true }} />
        </>
      )}
      <Mediators />
    </div>
  );
}
