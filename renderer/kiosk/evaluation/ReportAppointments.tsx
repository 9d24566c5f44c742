// The month report's « Rendez-vous en visio » section (issue 19): this booth's appointments of the month per organisation
// — pris, honorés, non honorés, annulés — with their totals.
import { useTranslation } from 'react-i18next';
import { APPOINTMENT_COUNT_KEYS } from '../../../shared/appointmentCounts.js';
import type { MonthReportValue } from '../../../shared/contract/index.js';

export function ReportAppointments({ section, monthLabel }: { section: MonthReportValue['appointments']; monthLabel: string }) {
  const { t } = useTranslation();
  return (
    <section className="report-section" aria-labelledby="report-appointments">
      <h3 id="report-appointments">{t('evaluation.reportAppointments.title')}</h3>
      {section.rows.length === 0 ? (
        <p>{t('evaluation.reportAppointments.none')}</p>
      ) : (
        <table className="table table--report" data-testid="report-appointments">
          <caption>{t('evaluation.reportAppointments.caption', { month: monthLabel })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('evaluation.report.organisation')}</th>
              {APPOINTMENT_COUNT_KEYS.map((k) => (
                <th scope="col" key={k}>
                  {t(`evaluation.reportAppointments.columns.${k}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {section.rows.map((r) => (
              <tr key={r.organisation} data-org={r.organisation}>
                <th scope="row">{r.name}</th>
                {APPOINTMENT_COUNT_KEYS.map((k) => (
                  <td key={k} data-count={k}>
                    {r.counts[k]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-org="total">
              <th scope="row">{t('evaluation.report.total')}</th>
              {APPOINTMENT_COUNT_KEYS.map((k) => (
                <td key={k} data-count={k}>
                  {section.totals[k]}
                </td>
              ))}
            </tr>
          </tfoot>
        </table>
      )}
    </section>
  );
}
