// The dashboard's « Mises à jour » view: the releases published on the hub with their rollout (edited in place: chosen
// booths, a percentage, all, pause), and each booth's running version, the version offered to it and its last result.
import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReleaseView, ReleasesResponse, Rollout } from '../../../shared/updates.js';
import { formatDateTimeShort, formatDecimal } from '../../i18n/format.js';
import { RolloutEditor } from './RolloutEditor.js';
import { fetchReleases } from './updatesApi.js';

export function UpdatesView({ onSignedOut }: { onSignedOut(): void }) {
  const { t, i18n } = useTranslation();
  const [data, setData] = useState<ReleasesResponse | null>(null);
  const [failed, setFailed] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  // Closing the editor with Échap or « Annuler » gives the focus back to its « Modifier » button.
  const editButtons = useRef(new Map<string, HTMLButtonElement>());
  const closeEditor = (version: string) => {
    setEditing(null);
    editButtons.current.get(version)?.focus();
  };
  const load = useCallback(() => {
    void fetchReleases().then((r) => {
      if (r.ok) {
        setData(r.value);
        setFailed(false);
      } else if (r.reason === 'signedOut') onSignedOut();
      else setFailed(true);
    });
  }, [onSignedOut]);
  useEffect(load, [load]);
  const date = (ms: number) => formatDateTimeShort(ms, i18n.language);

  const stage = (r: Rollout): string => {
    const parts = r.all
      ? [t('coordinator.updates.stage.all')]
      : [
          ...(r.booths.length > 0 ? [t('coordinator.updates.stage.booths', { count: r.booths.length })] : []),
          ...(r.percent > 0 ? [t('coordinator.updates.stage.percent', { percent: r.percent })] : []),
        ];
    if (parts.length === 0) parts.push(t('coordinator.updates.stage.none'));
    if (r.paused) parts.push(t('coordinator.updates.stage.paused'));
    return parts.join(' · ');
  };
  const files = (r: ReleaseView) =>
    r.files.map((f) => `${t(`coordinator.updates.platforms.${f.platform}`)} (${t('coordinator.updates.size', { size: formatDecimal(f.size / 1_000_000, i18n.language, 1) })})`).join(', ');

  return (
    <section aria-labelledby="updates-title" className="updates">
      <h2 id="updates-title">{t('coordinator.updates.title')}</h2>
      <p>{t('coordinator.updates.publishHelp')}</p>
      <button type="button" className="button" onClick={load}>
        {t('coordinator.updates.refresh')}
      </button>
      <p role="status">{notice}</p>
      {failed && (
        <p className="error" role="alert">
          {t('coordinator.updates.loadFailed')}
        </p>
      )}
      {data && (
        <>
          <h3>{t('coordinator.updates.releasesTitle')}</h3>
          {data.releases.length === 0 ? (
            <p>{t('coordinator.updates.noReleases')}</p>
          ) : (
            <div className="coord-scroll" tabIndex={0} role="region" aria-label={t('coordinator.updates.releasesCaption')}>
              <table className="table coord-grid updates-table">
                <caption>{t('coordinator.updates.releasesCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('coordinator.updates.columns.version')}</th>
                    <th scope="col">{t('coordinator.updates.columns.createdAt')}</th>
                    <th scope="col">{t('coordinator.updates.columns.files')}</th>
                    <th scope="col">{t('coordinator.updates.columns.rollout')}</th>
                    <th scope="col">{t('coordinator.updates.columns.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.releases.map((r) => (
                    <Fragment key={r.version}>
                      <tr data-version={r.version}>
                        <th scope="row">{r.version}</th>
                        <td>{date(r.createdAt)}</td>
                        <td>{files(r)}</td>
                        <td className="updates-stage">{stage(r.rollout)}</td>
                        <td>
                          <button
                            ref={(el) => {
                              if (el) editButtons.current.set(r.version, el);
                              else editButtons.current.delete(r.version);
                            }}
                            type="button"
                            className="button button--small"
                            aria-expanded={editing === r.version}
                            onClick={() => {
                              setNotice('');
                              setEditing(editing === r.version ? null : r.version);
                            }}
                          >
                            {t('coordinator.updates.edit', { version: r.version })}
                          </button>
                        </td>
                      </tr>
                      {editing === r.version && (
                        <tr>
                          <td colSpan={5}>
                            <RolloutEditor
                              release={r}
                              booths={data.booths}
                              onSignedOut={onSignedOut}
                              onCancel={() => closeEditor(r.version)}
                              onSaved={(next, version) => {
                                setData(next);
                                setEditing(null);
                                setNotice(t('coordinator.updates.saved', { version }));
                              }}
                            />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h3>{t('coordinator.updates.boothsTitle')}</h3>
          <div className="coord-scroll" tabIndex={0} role="region" aria-label={t('coordinator.updates.boothsCaption')}>
            <table className="table coord-grid updates-table">
              <caption>{t('coordinator.updates.boothsCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('coordinator.updates.boothColumns.name')}</th>
                  <th scope="col">{t('coordinator.updates.boothColumns.version')}</th>
                  <th scope="col">{t('coordinator.updates.boothColumns.offered')}</th>
                  <th scope="col">{t('coordinator.updates.boothColumns.result')}</th>
                </tr>
              </thead>
              <tbody>
                {data.booths.map((b) => (
                  <tr key={b.id} data-booth={b.id}>
                    <th scope="row">{b.name}</th>
                    <td>{b.version ?? t('coordinator.updates.unknownVersion')}</td>
                    <td>{b.revoked ? t('coordinator.updates.revoked') : (b.offered ?? t('coordinator.updates.nothingOffered'))}</td>
                    <td className="updates-result" data-outcome={b.lastReport?.outcome ?? 'none'}>
                      {b.lastReport
                        ? t(`coordinator.updates.outcome.${b.lastReport.outcome}`, {
                            version: b.lastReport.version,
                            date: date(b.lastReport.at),
                            reason: b.lastReport.reason ? t(`coordinator.updates.reasons.${b.lastReport.reason}`) : '',
                          })
                        : t('coordinator.updates.noResult')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
