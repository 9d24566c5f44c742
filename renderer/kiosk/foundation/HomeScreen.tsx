// The visitor's home: one large tile per organisation, saying whether its visio-accueil is open now or when it opens. The
// charter's toggle sits beside the title and the charter, once open, takes the tiles' place; « Mode médiateur » and help
// are in the bottom bar.
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrganisationWithState } from '../../../shared/contract/index.js';
import { formatTime } from '../../i18n/format.js';
import { HelpButton } from '../HelpButton.js';
import { AppointmentReminder } from '../appointments/AppointmentReminder.js';
import { BarSlot } from '../../ui/KioskBar.js';
import { CharterText, CharterToggle, useCharter } from '../evaluation/CharterPanel.js';
import { Icon } from '../../ui/Icon.js';
import { OrgLogo } from '../../ui/OrgLogo.js';
import { PrintingNotice } from '../printing/PrintScreenParts.js';
import { useAppStore } from '../stores/appStore.js';
import { useNow, useWhen } from '../useNow.js';

function VisioStatus({ organisation, now }: { organisation: OrganisationWithState; now: number }) {
  const { t, i18n } = useTranslation();
  const when = useWhen();
  const { visio } = organisation;
  if (visio.openNow && visio.closesAt !== null) {
    return <span className="status status--open">{t('home.visioOpenUntil', { time: formatTime(visio.closesAt, i18n.language) })}</span>;
  }
  if (visio.nextOpening !== null) {
    return <span className="status status--closed">{t('home.visioOpensAt', { when: when(visio.nextOpening, now) })}</span>;
  }
  return <span className="status status--closed">{t('home.visioNoHours')}</span>;
}

export function HomeScreen() {
  const { t } = useTranslation();
  const allOrganisations = useAppStore((s) => s.organisations);
  const organisations = useMemo(() => allOrganisations.filter((o) => o.active), [allOrganisations]);
  const go = useAppStore((s) => s.go);
  const refresh = useAppStore((s) => s.refreshOrganisations);
  const now = useNow();
  const charter = useCharter();
  const charterShown = charter.open && !!charter.charter;

  useEffect(() => {
    void refresh();
  }, [now, refresh]);

  return (
    <main className="screen screen--home" aria-labelledby="home-title">
      <div className="screen__head">
        <div>
          <h1 id="home-title">{t('home.welcome')}</h1>
          {!charterShown && <p className="lead">{t('home.intro')}</p>}
        </div>
        {!charter.failed && <CharterToggle state={charter} />}
      </div>
      {!charterShown && <AppointmentReminder now={now} />}
      <h2 className="visually-hidden">{t('home.organisations')}</h2>
      <CharterText state={charter} />
      {/* data-fit-box: the tiles must hold in the room left to them (the shell tightens until they do). */}
      <ul className="tiles" role="list" hidden={charterShown} data-fit-box="">
        {organisations.map((o) => (
          <li key={o.code}>
            <button type="button" className="tile" data-org={o.code} onClick={() => go({ name: 'organisation', code: o.code })}>
              <OrgLogo code={o.code} />
              <span className="tile__name">{o.name}</span>
              <span className="tile__status">
                <Icon name="video" size={22} />
                <VisioStatus organisation={o} now={now} />
              </span>
            </button>
          </li>
        ))}
      </ul>
      <PrintingNotice onHome />
      <BarSlot side="start">
        <button type="button" className="button button--quiet mediator-entry" onClick={() => go({ name: 'unlock' })}>
          <Icon name="lock" size={20} />
          {t('home.mediatorMode')}
        </button>
      </BarSlot>
      <HelpButton screen="home" />
    </main>
  );
}
