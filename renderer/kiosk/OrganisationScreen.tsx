// One organisation for the visitor: what it does, its visio hours, its correspondent, and help from the mediator.
import { useTranslation } from 'react-i18next';
import { HelpButton } from '../ui/HelpButton.js';
import { Icon } from '../ui/Icon.js';
import { OrgLogo } from '../ui/OrgLogo.js';
import { useAppStore } from './stores/appStore.js';
import { useNow, useWhen } from './useNow.js';
import { VisitorGuides } from './teleservice/VisitorGuides.js';
import { PrintEntries } from './printing/PrintEntries.js';

export function OrganisationScreen({ code }: { code: string }) {
  const { t } = useTranslation();
  const organisation = useAppStore((s) => s.organisations.find((o) => o.code === code));
  const go = useAppStore((s) => s.go);
  const now = useNow();
  const when = useWhen();
  if (!organisation) return null;
  const slots = [...organisation.openingHours].sort((a, b) => a.weekday - b.weekday || a.from.localeCompare(b.from));
  const description = t(`orgDescriptions.${code}`, { defaultValue: '' });

  return (
    <main className="screen screen--organisation" aria-labelledby="org-title">
      <button type="button" className="button button--back" onClick={() => go({ name: 'home' })}>
        <Icon name="back" />
        {t('organisation.back')}
      </button>
      <header className="org-header">
        <OrgLogo code={code} size={96} />
        <h1 id="org-title">{organisation.name}</h1>
      </header>
      {description && (
        <section aria-labelledby="org-what">
          <h2 id="org-what">{t('organisation.whatFor')}</h2>
          <p className="lead">{description}</p>
        </section>
      )}
      {organisation.visio.openNow && (
        <section aria-labelledby="org-visio" className="org-visio">
          <h2 id="org-visio" className="visually-hidden">
            {t('call.start')}
          </h2>
          <button type="button" className="button button--primary button--large" aria-describedby="org-visio-hint" onClick={() => go({ name: 'visio', code })}>
            <Icon name="video" />
            {t('call.start')}
          </button>
          <p id="org-visio-hint">{t('call.startHint')}</p>
        </section>
      )}
      {!organisation.visio.openNow && (
        <section aria-labelledby="org-visio-closed" className="org-visio org-visio--closed" data-testid="visio-closed">
          <h2 id="org-visio-closed">
            <Icon name="video" />
            {t('organisation.visioClosedTitle')}
          </h2>
          <p className="lead">
            {t('organisation.visioClosedNow')}{' '}
            {organisation.visio.nextOpening !== null ? t('organisation.visioOpensAt', { when: when(organisation.visio.nextOpening, now) }) : t('organisation.visioNoOpening')}
          </p>
          <p>{t('organisation.visioClosedHelp')}</p>
        </section>
      )}
      <VisitorGuides organisation={code} />
      <PrintEntries organisation={code} />
      <section aria-labelledby="org-hours">
        <h2 id="org-hours">{t('organisation.visioHours')}</h2>
        {slots.length === 0 ? (
          <p>{t('organisation.noHours')}</p>
        ) : (
          <ul className="hours">
            {slots.map((s) => (
              <li key={`${s.weekday}-${s.from}`}>
                <span className="hours__day">{t(`weekdays.${s.weekday}`)}</span> {s.from} – {s.to}
              </li>
            ))}
          </ul>
        )}
      </section>
      {organisation.correspondent && (
        <section aria-labelledby="org-correspondent">
          <h2 id="org-correspondent">{t('organisation.correspondent')}</h2>
          <p>{organisation.correspondent}</p>
        </section>
      )}
      <p className="lead">{t('organisation.askMediator')}</p>
      <HelpButton screen={`organisation:${code}`} />
    </main>
  );
}
