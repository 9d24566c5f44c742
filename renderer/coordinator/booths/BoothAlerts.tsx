// At the top of the dashboard: the booths with a problem, worst first, in words, with a way to the « Bornes » view.
import { useTranslation } from 'react-i18next';
import type { BoothsResponse } from '../../../shared/fleet.js';
import { needsAttention, sortBooths, stateWords } from './boothState.js';

/** Booths named in the summary at most; the others are counted. */
export const ALERTS_SHOWN = 5;

export function BoothAlerts({ data, onShowBooths }: { data: BoothsResponse | null; onShowBooths: () => void }) {
  const { t, i18n } = useTranslation();
  if (!data) return null;
  const troubled = sortBooths(data.booths.filter(needsAttention), { key: 'state', direction: 'descending' });
  if (troubled.length === 0) return null;
  const more = troubled.length - ALERTS_SHOWN;
  return (
    <section className="booth-alerts" aria-labelledby="booth-alerts-title">
      <h2 id="booth-alerts-title">{t('coordinator.booths.alertsTitle')}</h2>
      <p>{t('coordinator.booths.alerts', { count: troubled.length })}</p>
      <ul>
        {troubled.slice(0, ALERTS_SHOWN).map((row) => (
          <li key={row.id} data-booth={row.id}>
            <strong>{row.name}</strong> — {stateWords(t, row, data.expectedVersion, data.at, i18n.language).join(' · ')}
          </li>
        ))}
        {more > 0 && <li>{t('coordinator.booths.alertsMore', { count: more })}</li>}
      </ul>
      <button type="button" className="button" onClick={onShowBooths}>
        {t('coordinator.booths.seeAll')}
      </button>
    </section>
  );
}
