// The month report's « Rendez-vous en visio » section (issue 19): this booth's appointments of the month per organisation
// — pris, honorés, non honorés, annulés — with their totals.
import { useTranslation } from 'react-i18next';
import type { MonthReportValue } from '../../../shared/contract/index.js';
import { AppointmentCountTable } from '../../ui/AppointmentCountTable.js';

export function ReportAppointments({ section, monthLabel }: { section: MonthReportValue['appointments']; monthLabel: string }) {
  const { t } = useTranslation();
  return (
    <section className="report-section" aria-labelledby="report-appointments">
      <h3 id="report-appointments">{t('evaluation.reportAppointments.title')}</h3>
      {section.rows.length === 0 ? (
        <p>{t('evaluation.reportAppointments.none')}</p>
      ) : (
        <AppointmentCountTable
          className="table table--report"
          data={{ 'data-testid': 'report-appointments' }}
          caption={t('evaluation.reportAppointments.caption', { month: monthLabel })}
          rows={section.rows}
          totals={section.totals}
          organisationLabel={t('evaluation.report.organisation')}
          totalLabel={t('evaluation.report.total')}
          columnLabel={(k) => t(`evaluation.reportAppointments.columns.${k}`)}
        />
      )}
    </section>
  );
}
