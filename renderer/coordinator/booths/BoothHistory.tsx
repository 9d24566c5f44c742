// One booth's history in the « Bornes » view: its state changes, newest first, bounded, dates in French words (Paris).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BoothEvent, BoothRow } from '../../../shared/fleet.js';
import { formatDateTime } from '../../i18n/format.js';
import { fetchBoothHistory } from './boothsApi.js';
import { problemWords } from './boothState.js';

/** The history shown at most (the hub keeps a bounded history too). */
export const HISTORY_SHOWN = 50;

type Loaded = { state: 'loading' } | { state: 'failed' } | { state: 'done'; events: BoothEvent[] };

export function BoothHistory({ row, expectedVersion, id }: { row: BoothRow; expectedVersion: string | null; id: string }) {
  const { t, i18n } = useTranslation();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    void fetchBoothHistory(row.id).then((r) => {
      if (live) setLoaded(r.ok ? { state: 'done', events: r.value } : { state: 'failed' });
    });
    return () => {
      live = false;
    };
  }, [row.id]);

  const words = (e: BoothEvent): string => {
    if (e.kind === 'version') return t('coordinator.booths.events.version', { version: e.version ?? t('coordinator.booths.unknownVersion') });
    if (e.kind === 'problem_start' || e.kind === 'problem_end') {
      const problem = e.problem ? problemWords(t, e.problem, row, expectedVersion) : '';
      return t(`coordinator.booths.events.${e.kind}`, { problem });
    }
    return t(`coordinator.booths.events.${e.kind}`);
  };

  return (
    <section id={id} className="booth-history" aria-label={t('coordinator.booths.historyOf', { name: row.name })}>
      {loaded.state === 'loading' && <p role="status">{t('coordinator.booths.historyLoading')}</p>}
      {loaded.state === 'failed' && <p role="alert">{t('coordinator.booths.historyFailed')}</p>}
      {loaded.state === 'done' && loaded.events.length === 0 && <p>{t('coordinator.booths.historyEmpty')}</p>}
      {loaded.state === 'done' && loaded.events.length > 0 && (
        <ol>
          {loaded.events.slice(0, HISTORY_SHOWN).map((e, i) => (
            <li key={`${e.at}-${i}`}>
              <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(e.at, i18n.language)}</time> — {words(e)}
            </li>
          ))}
        </ol>
      )}
      {loaded.state === 'done' && loaded.events.length > HISTORY_SHOWN && <p>{t('coordinator.booths.historyMore', { count: loaded.events.length - HISTORY_SHOWN })}</p>}
    </section>
  );
}
