// The dashboard's « Bornes » view: every booth with its state, filtered (all / with a problem / offline) and sorted.
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BoothsResponse } from '../../../shared/fleet.js';
import { BoothsTable } from './BoothsTable.js';
import { useBoothConfigs } from './useBoothConfigs.js';
import { EnrolBooth } from './EnrolBooth.js';
import { BOOTH_FILTERS, filterBooths, nextSort, sortBooths, type BoothFilter, type BoothSort, type SortKey } from './boothState.js';

export interface BoothsViewProps {
  data: BoothsResponse | null;
  failed: boolean;
  reload(): void;
  onSignedOut(): void;
  /** First filter shown (the alerts' « Voir les bornes » opens on the booths with a problem). */
  initialFilter?: BoothFilter;
  /** Whether the hub creates booths here (« Ajouter une borne »): it lists `enrol` among its views. */
  enrol?: boolean;
  /** Whether the hub pushes configurations (each booth's configuration column). */
  configs?: boolean;
}

export function BoothsView({ data, failed, reload, onSignedOut, initialFilter = 'all', enrol = true, configs: withConfigs = true }: BoothsViewProps) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<BoothFilter>(initialFilter);
  const [sort, setSort] = useState<BoothSort>({ key: 'state', direction: 'descending' });
  const [notice, setNotice] = useState('');
  const rows = useMemo(() => (data ? sortBooths(filterBooths(data.booths, filter), sort) : []), [data, filter, sort]);
  const onSort = useCallback((key: SortKey) => setSort((s) => nextSort(s, key)), []);
  const configs = useBoothConfigs(data, withConfigs);
  const onRevoked = useCallback(
    (name: string) => {
      setNotice(t('coordinator.booths.revokedDone', { name }));
      reload();
    },
    [reload, t],
  );

  return (
    <section aria-labelledby="booths-title" className="booths">
      <h2 id="booths-title">{t('coordinator.booths.title')}</h2>
      <div className="booths-controls">
        <fieldset className="booths-filter">
          <legend>{t('coordinator.booths.filter')}</legend>
          {BOOTH_FILTERS.map((f) => (
            <label key={f} className="booths-filter__choice">
              <input type="radio" name="booths-filter" value={f} checked={filter === f} onChange={() => setFilter(f)} />
              {t(`coordinator.booths.filters.${f}`)}
            </label>
          ))}
        </fieldset>
        <button type="button" className="button" onClick={reload}>
          {t('coordinator.booths.refresh')}
        </button>
      </div>
      <p role="status">
        {notice}
        {notice && data ? ' ' : ''}
        {data && data.booths.length > 0 ? t('coordinator.booths.count', { count: rows.length, total: data.booths.length }) : ''}
      </p>
      {failed && <p role="alert">{t('coordinator.booths.loadFailed')}</p>}
      {data && data.booths.length === 0 && <p>{t('coordinator.booths.none')}</p>}
      {data && data.booths.length > 0 && rows.length === 0 && <p>{t('coordinator.booths.noneShown')}</p>}
      {data && rows.length > 0 && (
        <div className="coord-scroll" tabIndex={0} role="region" aria-labelledby="booths-title">
          <BoothsTable rows={rows} expectedVersion={data.expectedVersion} now={data.at} sort={sort} onSort={onSort} onRevoked={onRevoked} onSignedOut={onSignedOut} configs={configs} />
        </div>
      )}
      {enrol && <EnrolBooth onCreated={reload} onSignedOut={onSignedOut} />}
    </section>
  );
}
