// At the top of the dashboard: the alerts in progress (the hub's rules, also sent by e-mail and webhook), then the booths
// with a problem, worst first, in words, with a way to the « Bornes » view.
import { useTranslation } from 'react-i18next';
import type { AlertsResponse, BoothsResponse } from '../../../shared/fleet.js';
import { formatDate, formatDayMonth, formatTime } from '../../i18n/format.js';
import { needsAttention, sortBooths, stateWords } from './boothState.js';

/** Booths named in the summary at most; the others are counted. */
export const ALERTS_SHOWN = 5;

/** « 14:05 » today in Paris, else « 3 décembre à 14:05 ». */
function sinceWords(since: number, now: number, lang: string): string {
  return formatDate(since, lang) === formatDate(now, lang) ? formatTime(since, lang) : `${formatDayMonth(since, lang)} ${formatTime(since, lang)}`;
}

export function BoothAlerts({ data, alerts, onShowBooths }: { data: BoothsResponse | null; alerts?: AlertsResponse | null; onShowBooths: () => void }) {
  const { t, i18n } = useTranslation();
  const inProgress = alerts?.alerts ?? [];
  const troubled = data ? sortBooths(data.booths.filter(needsAttention), { key: 'state', direction: 'descending' }) : [];
  if (troubled.length === 0 && inProgress.length === 0) return null;
  const more = troubled.length - ALERTS_SHOWN;
  return (
    <section className="booth-alerts" aria-labelledby={troubled.length > 0 ? 'booth-alerts-title' : 'booth-alerts-rules-title'}>
      {inProgress.length > 0 && alerts && (
        <div role="alert" className="booth-alerts__rules">
          <h2 id="booth-alerts-rules-title">{t('coordinator.booths.rulesTitle', { count: inProgress.length })}</h2>
          <ul aria-labelledby="booth-alerts-rules-title">
            {inProgress.slice(0, ALERTS_SHOWN).map((a) => (
              <li key={`${a.boothId}-${a.rule}`} data-alert={a.rule} data-booth={a.boothId}>
                <strong>{a.name}</strong> — {t(`coordinator.booths.rule.${a.rule}`, { since: sinceWords(a.since, alerts.at, i18n.language) })}
              </li>
            ))}
            {inProgress.length > ALERTS_SHOWN && <li>{t('coordinator.booths.alertsMore', { count: inProgress.length - ALERTS_SHOWN })}</li>}
          </ul>
        </div>
      )}
      {troubled.length > 0 && (
        <>
          <h2 id="booth-alerts-title">{t('coordinator.booths.alertsTitle')}</h2>
          <p>{t('coordinator.booths.alerts', { count: troubled.length })}</p>
          <ul>
            {troubled.slice(0, ALERTS_SHOWN).map((row) => (
              <li key={row.id} data-booth={row.id}>
                <strong>{row.name}</strong> — {data && stateWords(t, row, data.expectedVersion, data.at, i18n.language).join(' · ')}
              </li>
            ))}
            {more > 0 && <li>{t('coordinator.booths.alertsMore', { count: more })}</li>}
          </ul>
          <button type="button" className="button" onClick={onShowBooths}>
            {t('coordinator.booths.seeAll')}
          </button>
        </>
      )}
    </section>
  );
}
