// The mediator's « Rendez-vous » tab: a booking for a visitor (any organisation, at any time) first, so that its buttons
// stay on screen at the largest text size, then the appointments booked at this booth not over yet, each cancellable
// (which frees the slot on the hub and updates the list).
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parisParts } from '../../../shared/time.js';
import { formatTime, formatWeekdayDate } from '../../i18n/format.js';
import { useAppStore } from '../stores/appStore.js';
import { useAppointmentsStore, useKioskStores } from '../stores/storesContext.js';
import { useNow } from '../useNow.js';
import { AppointmentError } from './AppointmentError.js';
import { BookAppointmentButton } from './BookAppointmentButton.js';
import { REMINDER_GRACE_MS } from './AppointmentReminder.js';

const sameParisDay = (a: number, b: number): boolean => {
  const x = parisParts(a);
  const y = parisParts(b);
  return x.year === y.year && x.month === y.month && x.day === y.day;
};

export function AppointmentsTab() {
  const { t, i18n } = useTranslation();
  const store = useKioskStores().appointments;
  const all = useAppointmentsStore((s) => s.appointments);
  const error = useAppointmentsStore((s) => s.error);
  const sending = useAppointmentsStore((s) => s.sending);
  const organisations = useAppStore((s) => s.organisations);
  const now = useNow();
  const [cancelled, setCancelled] = useState<string | null>(null);
  // Not over yet; and the day's that the hub closed (« Non honoré », honoured, cancelled) stay until the day ends, so the
  // mediator sees what became of them (a missed one is told only once its grace time is over).
  const upcoming = useMemo(() => all.filter((a) => a.startsAt + REMINDER_GRACE_MS >= now || (a.status !== 'booked' && sameParisDay(a.startsAt, now))), [all, now]);
  const lang = i18n.language;
  const nameOf = (code: string) => organisations.find((o) => o.code === code)?.name ?? code;

  const cancel = async (id: string): Promise<void> => {
    setCancelled(null);
    if (await store.getState().cancel(id)) setCancelled(id);
  };

  return (
    <div className="appointments-tab">
      <h2>{t('appointments.mediator.title')}</h2>
      <div aria-live="polite">
        {cancelled && <p role="status">{t('appointments.mediator.cancelled')}</p>}
        {!cancelled && error && <AppointmentError error={error} />}
      </div>
      <h3 id="appointments-book-for">{t('appointments.mediator.bookFor')}</h3>
      <ul className="row-actions" role="list" aria-labelledby="appointments-book-for">
        {organisations
          .filter((o) => o.active)
          .map((o) => (
            <li key={o.code}>
              <BookAppointmentButton organisation={o.code} from="mediator" label={o.name} compact />
            </li>
          ))}
      </ul>
      {upcoming.length === 0 ? (
        <p>{t('appointments.mediator.none')}</p>
      ) : (
        <table className="table">
          <tbody>
            {upcoming.map((a) => (
              <tr key={a.id} data-appointment={a.id}>
                <td>{t('appointments.summary.when', { day: formatWeekdayDate(a.startsAt, lang), time: formatTime(a.startsAt, lang) })}</td>
                <td>{nameOf(a.organisation)}</td>
                <td>{a.subjectLabel}</td>
                <td>{t(`appointments.mediator.status.${a.status}`)}</td>
                <td>
                  {a.status === 'booked' && (
                    <button type="button" className="button" disabled={sending} aria-label={`${t('appointments.mediator.cancel')} : ${nameOf(a.organisation)}, ${formatTime(a.startsAt, lang)}`} onClick={() => void cancel(a.id)}>
                      {t('appointments.mediator.cancel')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
