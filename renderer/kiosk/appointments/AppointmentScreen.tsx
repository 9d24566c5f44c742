// Booking a visio appointment at the booth (issue 19): a subject from the organisation's short list, a day, a time among
// the free slots (next ones first), then a check with an optional first name for the agent, and the confirmation. One
// step per screen so each fits without scrolling; « Retour » goes back a step and keeps what was chosen or typed.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTime, formatWeekdayDate } from '../../i18n/format.js';
import { Icon } from '../../ui/Icon.js';
import { BarSlot } from '../../ui/KioskBar.js';
import { PagedList } from '../../ui/PagedList.js';
import { HelpButton } from '../HelpButton.js';
import { useAppStore } from '../stores/appStore.js';
import { useAppointmentsStore, useKioskStores } from '../stores/storesContext.js';
import { useNow } from '../useNow.js';
import type { FreeSlot, Subject } from './appointmentsStore.js';
import { BookedStep } from './BookedStep.js';
import { ConfirmStep } from './ConfirmStep.js';
import { AppointmentError } from './AppointmentError.js';
import { slotDays } from './slotDays.js';
import './appointments.css';

type Step = 'subject' | 'day' | 'time' | 'confirm';

export function AppointmentScreen({ organisation, back }: { organisation: string; back: () => void }) {
  const { t, i18n } = useTranslation();
  const name = useAppStore((s) => s.organisations.find((o) => o.code === organisation)?.name ?? organisation);
  const store = useKioskStores().appointments;
  const offer = useAppointmentsStore((s) => (s.offer?.organisation === organisation ? s.offer : null));
  const loading = useAppointmentsStore((s) => s.loading);
  const error = useAppointmentsStore((s) => s.error);
  const booked = useAppointmentsStore((s) => s.booked);
  const now = useNow();
  const [chosenStep, setStep] = useState<Step>('subject');
  const [chosenSubject, setSubject] = useState<Subject | null>(null);
  const [day, setDay] = useState<string | null>(null);
  const [slot, setSlot] = useState<FreeSlot | null>(null);
  // Kept here, not in the last step: going back to change the time keeps what was typed.
  const [note, setNote] = useState('');
  const [consent, setConsent] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    store.getState().reset();
    void store.getState().loadSlots(organisation);
  }, [store, organisation]);
  // A single subject needs no question: it is taken as chosen.
  const onlySubject = offer?.subjects.length === 1 ? (offer.subjects[0] ?? null) : null;
  const subject = chosenSubject ?? onlySubject;
  const step: Step = chosenStep === 'subject' && onlySubject ? 'day' : chosenStep;
  // Each step's question is announced and the keyboard starts from it.
  useEffect(() => {
    heading.current?.focus();
  }, [step, booked]);
  const days = useMemo(() => slotDays(offer?.slots ?? [], now), [offer, now]);
  const chosenDay = days.find((d) => d.key === day) ?? null;
  const lang = i18n.language;

  const previous = (): void => {
    if (step === 'confirm') setStep('time');
    else if (step === 'time') setStep('day');
    else if (step === 'day' && !onlySubject) setStep('subject');
    else back();
  };

  let body;
  let title: string;
  if (booked) {
    title = t('appointments.done.title');
    body = <BookedStep organisationName={name} subjectLabel={subject?.label ?? booked.appointment.subject} booked={booked} />;
  } else if (!offer) {
    title = t('appointments.title', { organisation: name });
    body = loading ? (
      <p role="status">{t('appointments.loading')}</p>
    ) : (
      <>
        <AppointmentError error={error} />
        <button type="button" className="button button--primary button--large" onClick={() => void store.getState().loadSlots(organisation)}>
          {t('appointments.retry')}
        </button>
      </>
    );
  } else if (days.length === 0 || offer.subjects.length === 0) {
    title = t('appointments.title', { organisation: name });
    body = <p className="lead">{t('appointments.noSlot')}</p>;
  } else if (step === 'subject') {
    title = t('appointments.step.subject');
    body = (
      <PagedList
        className="choice-grid appointment__choices"
        label={t('appointments.subjects')}
        items={offer.subjects}
        keyOf={(s) => s.code}
        render={(s) => (
          <button type="button" className="choice" data-subject={s.code} aria-pressed={subject?.code === s.code} onClick={() => { setSubject(s); setStep('day'); }}>
            {s.label}
          </button>
        )}
        previous={t('appointments.previous')}
        next={t('appointments.next')}
      />
    );
  } else if (step === 'day' || !chosenDay || !subject) {
    title = t('appointments.step.day');
    body = (
      <PagedList
        className="choice-grid appointment__choices"
        label={t('appointments.days')}
        items={days}
        keyOf={(d) => d.key}
        render={(d) => (
          <button type="button" className="choice" data-day={d.key} aria-pressed={day === d.key} onClick={() => { setDay(d.key); setStep('time'); }}>
            {formatWeekdayDate(d.firstAt, lang)}
          </button>
        )}
        previous={t('appointments.previous')}
        next={t('appointments.next')}
      />
    );
  } else if (step === 'time' || !slot) {
    title = t('appointments.step.time', { day: formatWeekdayDate(chosenDay.firstAt, lang) });
    body = (
      <PagedList
        className="choice-grid appointment__choices appointment__times"
        label={t('appointments.times')}
        items={chosenDay.slots}
        keyOf={(s) => String(s.startsAt)}
        render={(s) => (
          <button type="button" className="choice" data-starts-at={s.startsAt} aria-pressed={slot?.startsAt === s.startsAt} onClick={() => { setSlot(s); setStep('confirm'); }}>
            {formatTime(s.startsAt, lang)}
          </button>
        )}
        previous={t('appointments.previous')}
        next={t('appointments.next')}
      />
    );
  } else {
    title = t('appointments.step.confirm');
    body = subject && <ConfirmStep organisation={organisation} subject={subject} slot={slot} onOtherSlot={setSlot} noteState={{ note, consent, setNote, setConsent }} />;
  }

  return (
    <main className="screen screen--appointment" aria-labelledby="appointment-title">
      <p className="appointment__org">{t('appointments.title', { organisation: name })}</p>
      <h1 id="appointment-title" ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {body}
      <BarSlot side="start">
        {!booked && (
          <button type="button" className="button button--back" onClick={previous}>
            <Icon name="back" />
            {t('appointments.back')}
          </button>
        )}
      </BarSlot>
      <HelpButton screen={`appointment:${organisation}`} />
    </main>
  );
}
