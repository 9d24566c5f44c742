// The dashboard's « Rendez-vous » view (issue 19): the department's visio appointments of a month per organisation —
// booked, honoured, « non honoré », cancelled — from GET /coordinator/api/appointments, with its CSV export.
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AppointmentMonthCounts, monthOfInstant } from '../../../shared/appointmentCounts.js';
import { formatMonth, upperFirst } from '../../i18n/format.js';
import { shiftMonth } from '../../ui/DateFields.js';
import { AppointmentCountTable } from '../../ui/AppointmentCountTable.js';
import { coordinatorApi as api } from '../coordinatorApi.js';

/** Months offered: two ahead (appointments are booked in advance), then back two years. */
const MONTHS_AHEAD = 2;
const MONTHS_OFFERED = 27;

/** The last answer, for the month it was asked for (another month shown: still loading). */
type Load = { month: string; state: 'none' } | { month: string; state: 'failed' } | { month: string; state: 'loaded'; counts: AppointmentMonthCounts };

export function AppointmentsView({ onSignedOut, now = Date.now }: { onSignedOut(): void; now?: () => number }) {
  const { t, i18n } = useTranslation();
  const [thisMonth] = useState(() => monthOfInstant(now()));
  const [month, setMonth] = useState(thisMonth);
  const [load, setLoad] = useState<Load>({ month: '', state: 'none' });
  const latestAsked = useRef('');
  const monthId = useId();
  const signedOut = useRef(onSignedOut);
  useEffect(() => {
    signedOut.current = onSignedOut;
  }, [onSignedOut]);
  const months = useMemo(() => Array.from({ length: MONTHS_OFFERED }, (_, i) => shiftMonth(thisMonth, MONTHS_AHEAD - i)), [thisMonth]);

  const fetchMonth = useCallback((m: string) => {
    latestAsked.current = m;
    // An answer for a month no longer shown is dropped (the coordinator moved on before it came).
    const settle = (next: Load) => {
      if (latestAsked.current === m) setLoad(next);
    };
    api(`appointments?month=${encodeURIComponent(m)}`)
      .then(async (r) => {
        if (r.status === 401) return signedOut.current();
        const parsed = r.ok ? AppointmentMonthCounts.safeParse(await r.json()) : null;
        settle(parsed?.success ? { month: m, state: 'loaded', counts: parsed.data } : { month: m, state: 'failed' });
      })
      .catch(() => settle({ month: m, state: 'failed' }));
  }, []);
  useEffect(() => fetchMonth(month), [fetchMonth, month]);

  const monthName = formatMonth(month, i18n.language);
  const current = load.month === month ? load : null;
  const counts = current?.state === 'loaded' ? current.counts : null;
  return (
    <section aria-labelledby="appt-title" className="appt-counts">
      <h2 id="appt-title">{t('coordinator.appointments.title')}</h2>
      <div className="coord-range no-print">
        <div className="coord-field">
          <label htmlFor={monthId}>{t('coordinator.appointments.month')}</label>
          <select id={monthId} name="month" value={month} onChange={(e) => setMonth(e.target.value)}>
            {months.map((m) => (
              <option key={m} value={m}>
                {upperFirst(formatMonth(m, i18n.language))}
              </option>
            ))}
          </select>
        </div>
        <a className="button" href={`/coordinator/api/appointments.csv?month=${encodeURIComponent(month)}`} download>
          {t('coordinator.appointments.csv')}
        </a>
      </div>
      <p role="status">{current ? '' : t('coordinator.appointments.loading')}</p>
      {current?.state === 'failed' && <p role="alert">{t('coordinator.appointments.loadFailed')}</p>}
      {counts && counts.rows.length === 0 && <p>{t('coordinator.appointments.none', { month: monthName })}</p>}
      {counts && counts.rows.length > 0 && (
        <div className="coord-scroll" tabIndex={0} role="region" aria-labelledby="appt-title">
          <AppointmentCountTable
            className="table coord-grid"
            data={{ 'data-month': counts.month }}
            caption={t('coordinator.appointments.caption', { month: monthName })}
            rows={counts.rows.map((r) => ({ ...r, name: r.organisation }))}
            totals={counts.totals}
            organisationLabel={t('coordinator.organisation')}
            totalLabel={t('coordinator.total')}
            columnLabel={(k) => t(`coordinator.appointments.columns.${k}`)}
          />
        </div>
      )}
    </section>
  );
}
