// The weekly counting grid: organisations × types of service with totals, a week picker, and the CSV export.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isoWeekLabel, shiftWeek, weekKeyFromLabel } from '../../../shared/time.js';
import { formatWeek } from '../../i18n/format.js';
import { ErrorText } from '../ErrorText.js';
import { Icon } from '../../ui/Icon.js';
import { GridPrintButton } from '../printing/GridPrintButton.js';
import { toUiError, type UiError } from '../stores/appStore.js';
import { useVisitsStore } from '../stores/visitsStore.js';
import { ServiceCountTable } from '../../ui/ServiceCountTable.js';

function download(filename: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function WeeklyGridScreen() {
  const { t, i18n } = useTranslation();
  const grid = useVisitsStore((s) => s.grid);
  const loadGrid = useVisitsStore((s) => s.loadGrid);
  const gridCsv = useVisitsStore((s) => s.gridCsv);
  const [week, setWeek] = useState<string | undefined>(undefined);
  const [error, setError] = useState<UiError | null>(null);

  useEffect(() => {
    loadGrid(week).catch((cause: unknown) => setError(toUiError(cause)));
  }, [loadGrid, week]);

  if (!grid) return <ErrorText error={error} />;
  const move = (delta: number) => setWeek(isoWeekLabel(shiftWeek(weekKeyFromLabel(grid.week), delta)));

  return (
    <div className="grid-screen">
      <h2>{t('grid.title')}</h2>
      <div className="week-picker" role="group" aria-label={t('grid.week')}>
        <button type="button" className="button" onClick={() => move(-1)}>
          <Icon name="left" />
          {t('grid.previous')}
        </button>
        <p className="week-picker__label" aria-live="polite">
          {t('grid.weekLabel', { week: formatWeek(grid.week, i18n.language) })}
        </p>
        <button type="button" className="button" onClick={() => move(1)}>
          {t('grid.next')}
          <Icon name="right" />
        </button>
        <button type="button" className="button" onClick={() => setWeek(undefined)}>
          {t('grid.current')}
        </button>
      </div>
      <ErrorText error={error} />
      <ServiceCountTable
        className="table table--grid"
        data={{ 'data-week': grid.week }}
        caption={t('grid.caption', { week: formatWeek(grid.week, i18n.language) })}
        services={grid.services}
        rows={grid.rows}
        columnTotals={grid.columnTotals}
        total={grid.total}
        organisationLabel={t('grid.organisation')}
        totalLabel={t('grid.total')}
      />
      <div className="actions">
        <button
          type="button"
          className="button button--primary"
          onClick={() => {
            gridCsv(grid.week)
              .then((csv) => download(csv.filename, csv.content, 'text/csv;charset=utf-8'))
              .catch((cause: unknown) => setError(toUiError(cause)));
          }}
        >
          <Icon name="download" />
          {t('grid.exportCsv')}
        </button>
        <GridPrintButton week={grid.week} />
      </div>
    </div>
  );
}
