// The console's « Rendez-vous » view: the agent's day or week (time, booth's site, subject, note while allowed, status),
// updated live by the hub; the calendar address; for a planner, publishing and removing slot series.
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { AgentAppointment, RingingAppointment as RingingDetails } from '../../../shared/appointments.js';
import { formatDayMonth, formatTime, formatWeekdayDate } from '../../i18n/format.js';
import type { AgentAppointmentsStore } from './agentAppointmentsStore.js';
import { PlannerPanel } from './PlannerPanel.js';
import './appointments.css';

export function AppointmentsView({ store }: { store: AgentAppointmentsStore }) {
  const { t, i18n } = useTranslation();
  const s = useStore(store);
  const lang = i18n.language;
  const period = s.period;
  return (
    <div className="agent-appointments">
      <section aria-labelledby="agent-appointments-title">
        <h2 id="agent-appointments-title">{t('agentAppointments.title')}</h2>
        <div className="agent-appointments__bar" role="group" aria-label={t('agentAppointments.range.label')}>
          {(['day', 'week'] as const).map((r) => (
            <button key={r} type="button" className="button" aria-pressed={s.range === r} onClick={() => s.setRange(r)}>
              {t(`agentAppointments.range.${r}`)}
            </button>
          ))}
          {period && (
            <span className="agent-appointments__period" data-testid="agent-appointments-period">
              {s.range === 'day'
                ? t('agentAppointments.period.day', { day: formatWeekdayDate(period.from, lang) })
                : t('agentAppointments.period.week', { from: formatDayMonth(period.from, lang), to: formatDayMonth(period.to - 1, lang) })}
            </span>
          )}
        </div>
        <p role="status" aria-live="polite" className="agent-appointments__live">
          {s.lastChange &&
            t(`agentAppointments.changed.${s.lastChange.reason}`, {
              when: `${formatWeekdayDate(s.lastChange.appointment.startsAt, lang)}, ${formatTime(s.lastChange.appointment.startsAt, lang)}`,
              site: s.lastChange.appointment.siteName,
            })}
        </p>
        {!s.connected && <p className="error">{t('agentAppointments.offline')}</p>}
        {s.loading && s.period === null ? (
          <p>{t('agentAppointments.loading')}</p>
        ) : s.appointments.length === 0 ? (
          <p>{t('agentAppointments.none')}</p>
        ) : (
          <AppointmentsTable appointments={s.appointments} withDay={s.range === 'week'} />
        )}
      </section>
      <IcalPanel store={store} />
      {s.planner === 'yes' && <PlannerPanel store={store} />}
    </div>
  );
}

function AppointmentsTable({ appointments, withDay }: { appointments: AgentAppointment[]; withDay: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <table className="agent-appointments__table">
      <caption className="visually-hidden">{t('agentAppointments.title')}</caption>
      <thead>
        <tr>
          {(['when', 'site', 'subject', 'note', 'status'] as const).map((c) => (
            <th key={c} scope="col">
              {t(`agentAppointments.columns.${c}`)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {appointments.map((a) => (
          <tr key={a.id} data-appointment={a.id} data-status={a.status}>
            <th scope="row">{withDay ? t('agentAppointments.when', { day: formatWeekdayDate(a.startsAt, lang), time: formatTime(a.startsAt, lang) }) : formatTime(a.startsAt, lang)}</th>
            <td>{a.siteName}</td>
            <td>{a.subjectLabel}</td>
            <td>{a.note ?? <span aria-hidden="true">{t('agentAppointments.noNote')}</span>}</td>
            <td>
              <span className={`agent-appointments__status agent-appointments__status--${a.status}`}>{t(`agentAppointments.status.${a.status}`)}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function IcalPanel({ store }: { store: AgentAppointmentsStore }) {
  const { t } = useTranslation();
  const path = useStore(store, (s) => s.icalPath);
  const ical = useStore(store, (s) => s.ical);
  const [copiedUrl, setCopied] = useState<{ url: string; state: 'yes' | 'failed' } | null>(null);
  const field = useRef<HTMLInputElement>(null);
  const url = path === null ? null : `${location.origin}${path}`;
  // What was said about a copy holds for that address only.
  const copied = copiedUrl && copiedUrl.url === url ? copiedUrl.state : null;
  const copy = async () => {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      setCopied({ url, state: 'yes' });
    } catch {
      field.current?.select();
      setCopied({ url, state: 'failed' });
    }
  };
  return (
    <section aria-labelledby="agent-ical-title" className="agent-appointments__ical">
      <h2 id="agent-ical-title">{t('agentAppointments.ical.title')}</h2>
      {url ? (
        <>
          <p id="agent-ical-hint">{t('agentAppointments.ical.hint')}</p>
          <label htmlFor="agent-ical-url">{t('agentAppointments.ical.address')}</label>
          <input id="agent-ical-url" ref={field} readOnly value={url} aria-describedby="agent-ical-hint" onFocus={(e) => e.target.select()} />
        </>
      ) : (
        <p>{t('agentAppointments.ical.none')}</p>
      )}
      <div className="agent-appointments__bar">
        {url && (
          <button type="button" className="button" onClick={() => void copy()}>
            {t('agentAppointments.ical.copy')}
          </button>
        )}
        <button type="button" className="button" disabled={ical === 'asking'} onClick={() => store.getState().renewIcal()}>
          {t('agentAppointments.ical.renew')}
        </button>
        <button type="button" className="button" disabled={ical === 'asking'} onClick={() => store.getState().revokeIcal()}>
          {t('agentAppointments.ical.revoke')}
        </button>
      </div>
      <p role="status" aria-live="polite">
        {copied === 'yes' && t('agentAppointments.ical.copied')}
        {ical === 'revoked' && t('agentAppointments.ical.revoked')}
      </p>
      <div role="alert">
        {copied === 'failed' && <p className="error">{t('agentAppointments.ical.copyFailed')}</p>}
        {ical === 'failed' && <p className="error">{t('agentAppointments.ical.failed')}</p>}
      </div>
    </section>
  );
}

/** On a ringing call for an appointment: « Rendez-vous de 14:30 », the subject and the note. */
type ShownAppointment = { startsAt: number; subjectLabel: string; note?: string | null | undefined };

/** A ringing appointment call: what the ring carried, else what this console heard of the appointment (its holder's). */
export function RingingAppointment({ store, appointmentId, details }: { store: AgentAppointmentsStore; appointmentId: string; details?: RingingDetails | undefined }) {
  const known = useStore(store, (s) => s.known[appointmentId]);
  return <RingingAppointmentDetails details={details ?? known ?? null} />;
}

/** The time, subject and note of a ringing appointment call, or « Rendez-vous » alone when none is known. */
export function RingingAppointmentDetails({ details: a }: { details: ShownAppointment | null }) {
  const { t, i18n } = useTranslation();
  if (!a) return <strong data-testid="ringing-appointment">{t('agentAppointments.ringing.appointmentUnknown')}</strong>;
  return (
    <div className="agent-appointments__ringing" data-testid="ringing-appointment">
      <strong>{t('agentAppointments.ringing.appointment', { time: formatTime(a.startsAt, i18n.language) })}</strong>
      <span>{t('agentAppointments.ringing.subject', { subject: a.subjectLabel })}</span>
      {a.note && <span>{t('agentAppointments.ringing.note', { note: a.note })}</span>}
    </div>
  );
}

/** The console's two views, « Appels » and « Rendez-vous »; during a call only the call is shown, with all its room. */
export function ConsoleViews({ store, calls, ringing, inCall }: { store: AgentAppointmentsStore; calls: React.ReactNode; ringing: React.ReactNode; inCall: boolean }) {
  const { t } = useTranslation();
  const [view, setView] = useState<'calls' | 'appointments'>('calls');
  if (inCall) return calls;
  const shown = view;
  return (
    <>
      <nav className="agent-appointments__views" aria-label={t('agentAppointments.views.label')}>
        {(['calls', 'appointments'] as const).map((v) => (
          <button key={v} type="button" className="button" aria-pressed={shown === v} onClick={() => setView(v)}>
            {t(`agentAppointments.views.${v}`)}
          </button>
        ))}
      </nav>
      {shown === 'calls' ? (
        calls
      ) : (
        <main className="agent-appointments__main">
          {ringing}
          <AppointmentsView store={store} />
        </main>
      )}
    </>
  );
}
