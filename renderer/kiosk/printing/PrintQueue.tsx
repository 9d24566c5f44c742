// The print queue of the devices tab: the last jobs with their state; a job still in progress can be sent again or cancelled.
import { useTranslation } from 'react-i18next';
import type { PrintJob } from '../../../shared/contract/index.js';
import { formatTime } from '../../i18n/format.js';

const ACTIVE: ReadonlySet<PrintJob['state']> = new Set(['waiting', 'pending', 'processing', 'stopped']);

export function PrintQueue({ jobs, onRetry, onCancel }: { jobs: readonly PrintJob[]; onRetry(id: number): void; onCancel(id: number): void }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <h3>{t('printing.queue')}</h3>
      {jobs.length === 0 ? (
        <p>{t('printing.noJobs')}</p>
      ) : (
        <table className="table" data-testid="print-jobs">
          <thead>
            <tr>
              <th scope="col">{t('printing.queueColumns.time')}</th>
              <th scope="col">{t('printing.queueColumns.document')}</th>
              <th scope="col">{t('printing.queueColumns.copies')}</th>
              <th scope="col">{t('printing.queueColumns.state')}</th>
              <th scope="col">{t('printing.queueColumns.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {jobs.slice(0, 15).map((j) => (
              <tr key={j.id} data-job={j.id} data-state={j.state}>
                <td>{formatTime(j.createdAt, i18n.language)}</td>
                <td>{j.title}</td>
                <td>{j.copies}</td>
                <td>
                  {t(`printing.jobStates.${j.state}`)}
                  {j.message === 'content-lost' && <small> — {t('printing.contentLost')}</small>}
                </td>
                <td>
                  {ACTIVE.has(j.state) && (
                    <>
                      <button type="button" className="button" onClick={() => onRetry(j.id)}>
                        {t('printing.retry')}
                      </button>
                      <button type="button" className="button" onClick={() => onCancel(j.id)}>
                        {t('printing.cancel')}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
