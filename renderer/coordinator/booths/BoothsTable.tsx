// The « Bornes » table: one row per booth, headers that sort (aria-sort), a history and « Révoquer » per booth.
// Rows take the translator from the table (no subscription of their own) and are memoised: 1,000 booths draw in one pass
// and opening a history or a question draws one row again, not all of them.
import type { TFunction } from 'i18next';
import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BoothRow } from '../../../shared/fleet.js';
import type { BoothConfigState } from '../../../shared/fleetConfig.js';
import { formatDateTimeShort } from '../../i18n/format.js';
import { BoothHistory } from './BoothHistory.js';
import { SORT_KEYS, stateWords, type BoothSort, type SortKey } from './boothState.js';
import { RevokeQuestion } from './RevokeControl.js';

interface RowProps {
  row: BoothRow;
  t: TFunction;
  lang: string;
  expectedVersion: string | null;
  now: number;
  historyOpen: boolean;
  asking: boolean;
  onToggle: (id: number) => void;
  onAsk: (id: number) => void;
  onCancel: (id: number) => void;
  onRevoked: (name: string) => void;
  onSignedOut: () => void;
  /** This booth's configuration version; undefined: the column is not shown. */
  config: BoothConfigState | null | undefined;
}

const BoothTableRow = memo(function BoothTableRow({ row, t, lang, expectedVersion, now, historyOpen, asking, onToggle, onAsk, onCancel, onRevoked, onSignedOut, config }: RowProps) {
  const historyId = `booth-history-${row.id}`;
  // Each button is named by its text and the row's booth (« Historique Relais de Gramat »), without a sentence per row.
  const nameId = `booth-name-${row.id}`;
  const words = stateWords(t, row, expectedVersion, now, lang);
  const attention = row.revoked ? 'revoked' : !row.online || words.length > 1 ? 'problem' : 'ok';
  return (
    <>
      <tr data-booth={row.id} data-state={attention}>
        <th scope="row" id={nameId}>
          {row.name}
        </th>
        <td className="booth-state">
          {words.map((w, i) => (
            <span key={i} className={i === 0 ? 'booth-state__connection' : 'booth-state__problem'}>
              {w}
            </span>
          ))}
        </td>
        <td>{row.reportedAt === null ? t('coordinator.booths.neverReported') : formatDateTimeShort(row.reportedAt, lang)}</td>
        <td>{row.health?.version ?? t('coordinator.booths.unknownVersion')}</td>
        {config !== undefined && <td className="booth-config">{configWords(t, config)}</td>}
        <td className="booth-actions">
          <button type="button" className="button button--small" aria-expanded={historyOpen} aria-controls={historyOpen ? historyId : undefined} id={`${historyId}-toggle`} aria-labelledby={`${historyId}-toggle ${nameId}`} onClick={() => onToggle(row.id)}>
            {t('coordinator.booths.history')}
          </button>
          {!row.revoked && !asking && (
            <button type="button" className="button button--small" data-revoke={row.id} id={`booth-revoke-${row.id}`} aria-labelledby={`booth-revoke-${row.id} ${nameId}`} onClick={() => onAsk(row.id)}>
              {t('coordinator.booths.revoke')}
            </button>
          )}
          {!row.revoked && asking && <RevokeQuestion row={row} onRevoked={onRevoked} onSignedOut={onSignedOut} onCancel={onCancel} />}
        </td>
      </tr>
      {historyOpen && (
        <tr className="booth-history-row">
          <td colSpan={config === undefined ? 5 : 6}>
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
  /** Each booth's configuration version (server/fleetConfig/); null: not known, the column is left out. */
  configs?: ReadonlyMap<number, BoothConfigState> | null;
}

/** What the « Configuration » cell says: the version run (and the one expected, if another), or the last refusal. */
function configWords(t: TFunction, c: BoothConfigState | null) {
  if (!c) return t('fleetConfig.booths.none');
  const runs = c.appliedVersion === null ? t('fleetConfig.booths.none') : t('fleetConfig.booths.runs', { version: c.appliedVersion });
  const expected = c.expectedVersion !== null && c.expectedVersion !== c.appliedVersion ? ` (${t('fleetConfig.booths.expected', { version: c.expectedVersion })})` : '';
  return (
    <>
      {runs}
      {expected}
      {c.refused && (
        <span className="booth-config__refused">
          {t('fleetConfig.booths.refused', { version: c.refused.version, reason: t(`fleetConfig.booths.reasons.${c.refused.code}`, { defaultValue: c.refused.code }) })}
        </span>
      )}
    </>
  );
}

/** The catalog's texts without parameters, looked up once per key: the same few words in each of 1,000 rows. */
function cachedTranslator(t: TFunction): TFunction {
  const cache = new Map<string, string>();
  const cached = (key: string, options?: Record<string, unknown>): string => {
    if (options !== undefined) return t(key, options);
    let text = cache.get(key);
    if (text === undefined) {
      text = t(key);
      cache.set(key, text);
    }
    return text;
  };
  return cached as TFunction;
}

export function BoothsTable({ rows, expectedVersion, now, sort, onSort, onRevoked, onSignedOut, configs = null }: BoothsTableProps) {
  const { t: translate, i18n } = useTranslation();
  // A new translator when the language changes, so every row is drawn again in it.
  const t = useMemo(() => cachedTranslator(translate), [translate]);
  const [openId, setOpenId] = useState<number | null>(null);
  const [askingId, setAskingId] = useState<number | null>(null);
  // A new object on each cancel, so a second cancel on the same booth returns focus again.
  const [cancelled, setCancelled] = useState<{ id: number } | null>(null);
  const toggle = useCallback((id: number) => setOpenId((current) => (current === id ? null : id)), []);
  const ask = useCallback((id: number) => setAskingId(id), []);
  const cancel = useCallback((id: number) => {
    setAskingId(null);
    setCancelled({ id });
  }, []);
  // Back from the question without revoking: focus returns to that booth's « Révoquer ».
  useEffect(() => {
    if (cancelled !== null) document.querySelector<HTMLButtonElement>(`button[data-revoke="${cancelled.id}"]`)?.focus();
  }, [cancelled]);

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
          {configs && <th scope="col">{t('fleetConfig.booths.column')}</th>}
          <th scope="col">{t('coordinator.booths.columns.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <BoothTableRow
            key={row.id}
            row={row}
            t={t}
            lang={i18n.language}
            expectedVersion={expectedVersion}
            now={now}
            historyOpen={openId === row.id}
            asking={askingId === row.id}
            onToggle={toggle}
            onAsk={ask}
            onCancel={cancel}
            onRevoked={onRevoked}
            onSignedOut={onSignedOut}
            config={configs ? (configs.get(row.id) ?? null) : undefined}
          />
        ))}
      </tbody>
    </table>
  );
}
