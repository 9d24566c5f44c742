// The month's report on screen (services per organisation and type, a chart of the weeks, satisfaction, audit, incidents),
// its PDF to print or download, and the CSV export of the services for any date range.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MonthReportValue } from '../../../shared/contract/index.js';
import { DateField, MonthStepper } from '../../ui/DateFields.js';
import { ErrorText } from '../ErrorText.js';
import { Icon } from '../../ui/Icon.js';
import { toUiError, useAppStore, type UiError } from '../stores/appStore.js';
import { formatDateTime, formatMonth, formatNumber, formatWeek, formatWeekShort } from '../../i18n/format.js';
import { useEvaluationStore } from './evaluationStore.js';
import { base64ToBytes, dayOf, downloadBlob, monthKeyOf, percent } from './downloadsAndDates.js';
import { BarChart } from '../../ui/BarChart.js';
import './evaluation.css';
import { ServiceCountTable } from '../../ui/ServiceCountTable.js';
import { ReportAppointments } from './ReportAppointments.js';

export function ReportTab() {
  const { t, i18n } = useTranslation();
  const now = useAppStore((s) => s.info?.now ?? Date.now());
  const evaluation = useEvaluationStore();
  const [month, setMonth] = useState(() => monthKeyOf(now));
  const [report, setReport] = useState<MonthReportValue | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const [from, setFrom] = useState(() => `${monthKeyOf(now)}-01`);
  const [to, setTo] = useState(() => dayOf(now));

  useEffect(() => {
    evaluation
      .monthReport(month)
      .then((r) => {
        setReport(r);
        setError(null);
      })
      .catch((cause: unknown) => setError(toUiError(cause)));
  }, [evaluation, month]);

  const pdf = () => {
    evaluation
      .reportPdf(month)
      .then(({ filename, pdfBase64 }) => {
        const blob = new Blob([base64ToBytes(pdfBase64)], { type: 'application/pdf' });
        downloadBlob(filename, blob);
      })
      .catch((cause: unknown) => setError(toUiError(cause)));
  };
  const csv = () => {
    evaluation
      .visitsCsv({ from, to })
      .then(({ filename, content }) => downloadBlob(filename, new Blob([content], { type: 'text/csv;charset=utf-8' })))
      .catch((cause: unknown) => setError(toUiError(cause)));
  };

  const monthLabel = formatMonth(month, i18n.language);
  return (
    <div className="report-screen">
      <h2>{t('evaluation.report.title')}</h2>
      <div className="row-actions">
        <MonthStepper label={t('evaluation.report.month')} value={month} onChange={setMonth} />
      </div>
      <ErrorText error={error} />
      {report && (
        <>
          <section className="report-section" aria-labelledby="report-services">
            <h3 id="report-services">{t('evaluation.report.servicesTitle')}</h3>
            <ServiceCountTable
              className="table table--report"
              data={{ 'data-month': report.month }}
              caption={t('evaluation.report.caption', { month: monthLabel })}
              services={report.services}
              rows={report.rows}
              columnTotals={report.columnTotals}
              total={report.total}
              organisationLabel={t('evaluation.report.organisation')}
              totalLabel={t('evaluation.report.total')}
            />
          </section>
          <section className="report-section" aria-labelledby="report-weeks">
            <h3 id="report-weeks">{t('evaluation.report.weeksTitle')}</h3>
            <BarChart
              title={t('evaluation.report.weeksTitle')}
              bars={report.weeks.map((w) => ({ label: formatWeekShort(w.week, i18n.language), value: w.count, week: w.week }))}
              barLabel={(b) => t('evaluation.report.weekBar', { week: formatWeek(b.week ?? b.label, i18n.language), count: b.value })}
            />
          </section>
          <ReportAppointments section={report.appointments} monthLabel={monthLabel} />
          <section className="report-section" aria-labelledby="report-satisfaction">
            <h3 id="report-satisfaction">{t('evaluation.report.satisfactionTitle')}</h3>
            <p data-testid="survey-responses">{t('evaluation.report.responses', { count: report.satisfaction.responses })}</p>
            <table className="table table--satisfaction">
              <thead>
                <tr>
                  <th scope="col">{t('evaluation.report.question')}</th>
                  <th scope="col">{t('evaluation.report.answered')}</th>
                  <th scope="col">{t('evaluation.report.skipped')}</th>
                  <th scope="col">{t('evaluation.report.mean')}</th>
                  <th scope="col">{t('evaluation.report.satisfied')}</th>
                </tr>
              </thead>
              <tbody>
                {report.satisfaction.questions.map((q) => (
                  <tr key={q.id} data-question={q.id}>
                    <th scope="row">{t(`survey.questions.${q.id}.text`, { defaultValue: q.id })}</th>
                    <td>{q.answered}</td>
                    <td>{q.skipped}</td>
                    <td data-field="mean">{q.mean === null ? '—' : formatNumber(q.mean, i18n.language)}</td>
                    <td data-field="satisfied">{percent(q.satisfiedShare)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="report-section" aria-labelledby="report-audit">
            <h3 id="report-audit">{t('evaluation.report.auditTitle')}</h3>
            <p>
              {report.audit.latest
                ? t('evaluation.report.auditDone', { date: formatDateTime(report.audit.latest.doneAt, i18n.language) })
                : t('evaluation.report.auditMissing')}
            </p>
          </section>
          <section className="report-section" aria-labelledby="report-incidents">
            <h3 id="report-incidents">{t('evaluation.report.incidentsTitle')}</h3>
            {report.incidents.length === 0 ? (
              <p>{t('evaluation.report.noIncidents')}</p>
            ) : (
              <ul>
                {report.incidents.map((i) => (
                  <li key={i.id}>
                    {formatDateTime(i.openedAt, i18n.language)} — {t(`evaluation.incidents.categories.${i.category}`)} — {i.what} (
                    {i.status === 'open' ? t('evaluation.incidents.statusOpen') : t('evaluation.incidents.statusResolved')})
                  </li>
                ))}
              </ul>
            )}
          </section>
          <div className="actions">
            <button type="button" className="button button--primary" onClick={pdf}>
              <Icon name="download" />
              {t('evaluation.report.pdf')}
            </button>
          </div>
        </>
      )}
      <section className="report-section" aria-labelledby="report-csv">
        <h3 id="report-csv">{t('evaluation.report.csvTitle')}</h3>
        <div className="row-actions">
          <DateField label={t('evaluation.report.from')} name="csv-from" value={from} onChange={setFrom} />
          <DateField label={t('evaluation.report.to')} name="csv-to" value={to} onChange={setTo} />
        </div>
        <div className="actions">
          <button type="button" className="button" disabled={!from || !to || from > to} onClick={csv}>
            <Icon name="download" />
            {t('evaluation.report.csv')}
          </button>
        </div>
      </section>
    </div>
  );
}
