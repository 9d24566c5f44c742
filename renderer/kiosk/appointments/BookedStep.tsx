// The booking confirmed: organisation, day and time in words, what to bring, and how to come back (the home's « Rejoindre »).
import { useTranslation } from 'react-i18next';
import { formatTime, formatWeekdayDate } from '../../i18n/format.js';
import { useAppStore } from '../stores/appStore.js';
import type { AppointmentsState } from './appointmentsStore.js';

export function BookedStep({ organisationName, booked }: { organisationName: string; booked: NonNullable<AppointmentsState['booked']> }) {
  const { t, i18n } = useTranslation();
  const go = useAppStore((s) => s.go);
  const at = booked.appointment.startsAt;
  return (
    <div className="appointment__booked">
      <p role="status" className="lead" data-testid="appointment-booked">
        {t('appointments.done.when', { organisation: organisationName, day: formatWeekdayDate(at, i18n.language), time: formatTime(at, i18n.language) })}
      </p>
      {booked.bring.length > 0 && (
        <>
          <h2>{t('appointments.done.bring')}</h2>
          <ul className="appointment__bring">
            {booked.bring.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        </>
      )}
      <p>{t('appointments.done.comeBack')}</p>
      <button type="button" className="button button--primary button--large" onClick={() => go({ name: 'home' })}>
        {t('appointments.done.home')}
      </button>
    </div>
  );
}
