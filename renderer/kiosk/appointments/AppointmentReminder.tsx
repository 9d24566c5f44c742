// On the home, at the time of an appointment booked here: « Rendez-vous CAF à 14:30 » (organisation and time only, nothing
// about the visitor) and one button, « Rejoindre », that starts the visio call to that organisation. Shown from 10 minutes
// before until the hub's grace time after the start (a late visitor still connects until then).
import { useTranslation } from 'react-i18next';
import type { KioskAppointment } from '../../../shared/contract/index.js';
import { formatTime } from '../../i18n/format.js';
import { Icon } from '../../ui/Icon.js';
import { useAppStore } from '../stores/appStore.js';
import { useAppointmentsStore } from '../stores/storesContext.js';
import './appointments.css';

export const REMINDER_BEFORE_MS = 10 * 60_000;
/** As the hub's grace time (server/appointments DEFAULT_GRACE_MS). */
export const REMINDER_GRACE_MS = 15 * 60_000;

/** The booked appointments whose time is now, soonest first. */
export function dueAppointments(appointments: readonly KioskAppointment[], now: number): KioskAppointment[] {
  return appointments.filter((a) => a.status === 'booked' && now >= a.startsAt - REMINDER_BEFORE_MS && now <= a.startsAt + REMINDER_GRACE_MS);
}

export function AppointmentReminder({ now }: { now: number }) {
  const { t, i18n } = useTranslation();
  const appointments = useAppointmentsStore((s) => s.appointments);
  const organisations = useAppStore((s) => s.organisations);
  const go = useAppStore((s) => s.go);
  const due = dueAppointments(appointments, now);
  if (due.length === 0) return null;
  return (
    <section className="appointment-reminder" aria-label={t('appointments.reminder.section')}>
      {due.map((a) => {
        const organisation = organisations.find((o) => o.code === a.organisation)?.name ?? a.organisation;
        const id = `reminder-${a.id}`;
        return (
          <div key={a.id} className="appointment-reminder__item" data-appointment={a.id}>
            <h2 id={id}>{t('appointments.reminder.title', { organisation, time: formatTime(a.startsAt, i18n.language) })}</h2>
            {/* The normal call path with the appointment's id in call.request: the hub then rings the agent holding the slot first. */}
            <button type="button" className="button button--primary button--large" aria-describedby={id} onClick={() => go({ name: 'visio', code: a.organisation, appointmentId: a.id })}>
              <Icon name="video" />
              {t('appointments.reminder.join')}
            </button>
          </div>
        );
      })}
    </section>
  );
}
