// The « Bornes » table: one row per booth, headers that sort (aria-sort), a history and « Révoquer » per booth.
import { memo, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BoothRow } from '../../../shared/fleet.js';
import { formatDateTimeShort } from '../../i18n/format.js';
import { BoothHistory } from './BoothHistory.js';
import { SORT_KEYS, stateWords, type BoothSort, type SortKey } from './boothState.js';
import { RevokeControl } from './RevokeControl.js';

interface RowProps {
  row: BoothRow;
  expectedVersion: string | null;
  now: number;
  open: boolean;
  onToggle: (id: number) => void;
  onRevoked: (name: string) => void;
  onSignedOut: () => void;
}

const BoothTableRow = memo(function BoothTableRow({ row, expectedVersion, now, open, onToggle, onRevoked, onSignedOut }: RowProps) {
  const { t, i18n } = useTranslation();
  const historyId = `booth-history-${row.id}`;
  const words = stateWords(t, row, expectedVersion, now, i18n.language);
  const attention = row.revoked ? 'revoked' : !row.online || words.length > 1 ? 'problem' : 'ok';
  return (
    <>
      <tr data-booth={row.id} data-state={attention}>
        <th scope="row">{row.name}</th>
        <td className="booth-state">
          {words.map((w, i) => (
            <span key={i} className={i === 0 ? 'booth-state__connection' : 'booth-state__problem'}>
              {w}
            </span>
          ))}
        </td>
        <td>{row.reportedAt === null ? t('coordinator.booths.neverReported') : formatDateTimeShort(row.reportedAt, i18n.language)}</td>
        <td>{row.health?.version ?? t('coordinator.booths.unknownVersion')}</td>
        <td className="booth-actions">
          <button type="button" className="button button--small" aria-expanded={open} aria-controls={open ? historyId : undefined} aria-label={t('coordinator.booths.historyOf', { name: row.name })} onClick={() => onToggle(row.id)}>
            {t('coordinator.booths.history')}
          </button>
          {!row.revoked && <RevokeControl row={row} onRevoked={onRevoked} onSignedOut={onSignedOut} />}
        </td>
      </tr>
      {open && (
        <tr className="booth-history-row">
          <td colSpan={5}>
            <BoothHistory row={row} expectedVersion={expectedVersion} id={historyId} />
          </td>
        </tr>
      )}
    </>
  );
});

export interface BoothsTableProps {
  rows: readonly BoothRow[];
  expectedVersion: string | null;
  /** The hub's instant of the list (« depuis 14:05 » is judged against it, not against this machine's clock). */
  now: number;
  sort: BoothSort;
  onSort: (key: SortKey) => void;
  onRevoked: (name: string) => void;
  onSignedOut: () => void;
}

export function BoothsTable({ rows, expectedVersion, now, sort, onSort, onRevoked, onSignedOut }: BoothsTableProps) {
  const { t } = useTranslation();
  const [openId, setOpenId] = useState<number | null>(null);
  // Stable, so opening one booth's history does not draw the other rows again.
  const toggle = useCallback((id: number) => setOpenId((current) => (current === id ? null : id)), []);
  const header = (key: SortKey) => {
    const label = t(`coordinator.booths.columns.${key}`);
    const sorted = sort.key === key;
    return (
      <th scope="col" key={key} aria-sort={sorted ? sort.direction : 'none'}>
        <button type="button" className="booth-sort" onClick={() => onSort(key)} aria-label={t('coordinator.booths.sortBy', { column: label })}>
          {label}
          <span aria-hidden="true">{sorted ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ' ↕'}</span>
        </button>
      </th>
    );
  };
  return (
    <table className="table coord-grid booths-table">
      <caption>{t('coordinator.booths.caption')}</caption>
      <thead>
        <tr>
          {SORT_KEYS.map(header)}
          <th scope="col">{t('coordinator.booths.columns.version')}</th>
          <th scope="col">{t('coordinator.booths.columns.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <BoothTableRow key={row.id} row={row} expectedVersion={expectedVersion} now={now} open={openId === row.id} onToggle={toggle} onRevoked={onRevoked} onSignedOut={onSignedOut} />
        ))}
      </tbody>
    </table>
  );
}
