// One organisation for the visitor: what it does, what can be done here (visio, online procedures, forms, documents) as
// large cards, its visio hours and its correspondent; the way back and help in the bottom bar. With several online
// procedures, their card opens their list in this screen (one screen's room is not enough for every title at large text).
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrganisationWithState } from '../../../shared/contract/index.js';
import { HelpButton } from '../HelpButton.js';
import { Icon } from '../../ui/Icon.js';
import { BarSlot } from '../../ui/KioskBar.js';
import { OrgLogo } from '../../ui/OrgLogo.js';
import { useAppStore } from '../stores/appStore.js';
import { useNow, useWhen } from '../useNow.js';
import { VisitorGuideList, VisitorGuides } from '../teleservice/VisitorGuides.js';
import { PrintEntries } from '../printing/PrintEntries.js';
import { BookAppointmentButton } from '../appointments/BookAppointmentButton.js';

/** The visio hours, one line per day: « lundi 09:00 – 12:00, 14:00 – 17:00 ». */
function daysOf(organisation: OrganisationWithState): Array<{ weekday: number; slots: string[] }> {
  const slots = [...organisation.openingHours].sort((a, b) => a.weekday - b.weekday || a.from.localeCompare(b.from));
  const days: Array<{ weekday: number; slots: string[] }> = [];
  for (const s of slots) {
    const last = days.at(-1);
    if (last && last.weekday === s.weekday) last.slots.push(`${s.from} – ${s.to}`);
    else days.push({ weekday: s.weekday, slots: [`${s.from} – ${s.to}`] });
  }
  return days;
}

export function OrganisationScreen({ code }: { code: string }) {
  const { t } = useTranslation();
  const organisation = useAppStore((s) => s.organisations.find((o) => o.code === code));
  const go = useAppStore((s) => s.go);
  const now = useNow();
  const when = useWhen();
  const [guidesOpen, setGuidesOpen] = useState(false);
  if (!organisation) return null;
  const days = daysOf(organisation);
  const description = t(`orgDescriptions.${code}`, { defaultValue: '' });

  const title = (
    <header className="org-header">
      <OrgLogo code={code} size={96} />
      <div>
        <h1 id="org-title">{organisation.name}</h1>
        {description && !guidesOpen && (
          <section aria-labelledby="org-what">
            <h2 id="org-what" className="visually-hidden">
              {t('organisation.whatFor')}
            </h2>
            <p className="lead org-what">{description}</p>
          </section>
        )}
      </div>
    </header>
  );

  if (guidesOpen) {
    return (
      <main className="screen screen--organisation screen--guides" aria-labelledby="org-title">
        {title}
        <VisitorGuideList organisation={code} />
        <BarSlot side="start">
          <button type="button" className="button button--back" onClick={() => setGuidesOpen(false)}>
            <Icon name="back" />
            {t('forms.back')}
          </button>
        </BarSlot>
        <HelpButton screen={`organisation:${code}`} />
      </main>
    );
  }

  return (
    <main className="screen screen--organisation" aria-labelledby="org-title">
      {title}
      <div className="org-actions">
        {organisation.visio.openNow && (
          <section aria-labelledby="org-visio" className="org-visio org-action">
            <h2 id="org-visio" className="visually-hidden">
              {t('call.start')}
            </h2>
            <button type="button" className="button button--primary button--large" aria-describedby="org-visio-hint" onClick={() => go({ name: 'visio', code })}>
              <Icon name="video" />
              {t('call.start')}
            </button>
            <p id="org-visio-hint" className="hint">
              {t('call.startHint')}
            </p>
          </section>
        )}
        {!organisation.visio.openNow && (
          <section aria-labelledby="org-visio-closed" className="org-visio org-visio--closed org-action" data-testid="visio-closed">
            <h2 id="org-visio-closed">
              <Icon name="video" />
              {t('organisation.visioClosedTitle')}
            </h2>
            <p className="lead">
              {t('organisation.visioClosedNow')}{' '}
              {organisation.visio.nextOpening !== null ? t('organisation.visioOpensAt', { when: when(organisation.visio.nextOpening, now) }) : t('organisation.visioNoOpening')}
            </p>
            <p className="hint">{t('organisation.visioClosedHelp')}</p>
            <BookAppointmentButton organisation={code} compact />
          </section>
        )}
        <VisitorGuides organisation={code} onShowAll={() => setGuidesOpen(true)} />
        <PrintEntries organisation={code} />
      </div>
      <div className="org-info">
        <section aria-labelledby="org-hours">
          <h2 id="org-hours">{t('organisation.visioHours')}</h2>
          {days.length === 0 ? (
            <p>{t('organisation.noHours')}</p>
          ) : (
            <ul className="hours">
              {days.map((d) => (
                <li key={d.weekday}>
                  <span className="hours__day">{t(`weekdays.${d.weekday}`)}</span>{' '}
                  {d.slots.map((slot, i) => (
                    <Fragment key={slot}>
                      {i > 0 && ', '}
                      <span className="hours__slot">{slot}</span>
                    </Fragment>
                  ))}
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
      </div>
      <BarSlot side="start">
        <button type="button" className="button button--back" onClick={() => go({ name: 'home' })}>
          <Icon name="back" />
          {t('organisation.back')}
        </button>
      </BarSlot>
      <HelpButton screen={`organisation:${code}`} />
    </main>
  );
}
