// The dashboard's « Configuration » view: the department's configuration edited and published for every booth or one,
// and the versions published, each of which can be published again (roll back). What each booth runs is shown in the
// « Bornes » view.
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SURVEY_MODES } from '../../../shared/contract/evaluation.js';
import type { ConfigOverview } from '../../../shared/fleetConfig.js';
import { formatDateTimeShort } from '../../i18n/format.js';
import { fetchConfigOverview, fetchConfigVersion, publishConfig, rollbackConfig, type ConfigApiResult } from './configApi.js';
import { CharterEditor } from './CharterEditor.js';
import { configOf, draftOf, newCodeProblem, type CharterField, type ConfigDraft, type DraftProblem, type OrganisationDraft } from './configDraft.js';

export function ConfigView({ onSignedOut }: { onSignedOut: () => void }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [overview, setOverview] = useState<ConfigOverview | null>(null);
  const [loadFailed, setLoadFailed] = useState(false);
  const [target, setTarget] = useState<'all' | number>('all');
  const [draft, setDraft] = useState<ConfigDraft | null>(null);
  const [newCode, setNewCode] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  const failure = useCallback(
    (r: Extract<ConfigApiResult<unknown>, { ok: false }>): string | null => {
      if (r.reason === 'signedOut') {
        onSignedOut();
        return null;
      }
      return r.reason === 'refused' ? t('fleetConfig.editor.invalid', { detail: r.detail }) : t('fleetConfig.editor.failed');
    },
    [onSignedOut, t],
  );

  const load = useCallback(
    (resetDraft: boolean) => {
      void fetchConfigOverview().then((r) => {
        if (!r.ok) {
          if (r.reason === 'signedOut') onSignedOut();
          else setLoadFailed(true);
          return;
        }
        setLoadFailed(false);
        setOverview(r.value);
        if (resetDraft) setDraft(draftOf(r.value.department?.config ?? r.value.starter));
      });
    },
    [onSignedOut],
  );
  useEffect(() => load(true), [load]);

  // A booth's draft starts from the version it should run (its own, or the department's).
  const chooseTarget = (value: string) => {
    const next = value === 'all' ? 'all' : Number(value);
    setTarget(next);
    setProblem(null);
    if (!overview) return;
    const expected = next === 'all' ? overview.department?.version : overview.booths.find((b) => b.boothId === next)?.expectedVersion;
    if (expected === undefined || expected === null) {
      setDraft(draftOf(overview.department?.config ?? overview.starter));
      return;
    }
    void fetchConfigVersion(expected).then((r) => {
      if (r.ok) setDraft(draftOf(r.value.config));
      else setProblem(failure(r));
    });
  };

  const say = (p: DraftProblem) => t(p.key, p.values ?? {});
  const setOrg = (index: number, patch: Partial<OrganisationDraft>) =>
    setDraft((d) => (d ? { ...d, organisations: d.organisations.map((o, i) => (i === index ? { ...o, ...patch } : o)) } : d));

  const publish = () => {
    if (!draft) return;
    const charterField = (f: CharterField) => t(`fleetConfig.editor.charter.fields.${f.part}`, { n: f.n, lang: t(`fleetConfig.editor.charter.langs.${f.lang}`) });
    const built = configOf(draft, { guides: t('fleetConfig.editor.guides'), documents: t('fleetConfig.editor.documents'), charter: charterField });
    if (!built.ok) {
      setNotice('');
      setProblem(say(built.problem));
      return;
    }
    setBusy(true);
    setProblem(null);
    void publishConfig(target, built.config).then((r) => {
      setBusy(false);
      if (r.ok) {
        setNotice(t('fleetConfig.editor.published', { version: r.value.version, count: r.value.pushed }));
        load(false);
      } else setProblem(failure(r));
    });
  };

  const rollback = (version: number) => {
    setBusy(true);
    setProblem(null);
    void rollbackConfig(version).then((r) => {
      setBusy(false);
      if (r.ok) {
        setNotice(t('fleetConfig.editor.rolledBack', { from: version, version: r.value.version }));
        load(true);
        setTarget('all');
      } else setProblem(failure(r));
    });
  };

  const boothName = (boothId: number | null) =>
    boothId === null ? t('fleetConfig.editor.targetAll') : t('fleetConfig.editor.booth', { name: overview?.booths.find((b) => b.boothId === boothId)?.name ?? String(boothId) });

  return (
    <section aria-labelledby={`${id}-title`} className="fleet-config">
      <h2 id={`${id}-title`}>{t('fleetConfig.editor.title')}</h2>
      <p>{t('fleetConfig.editor.intro')}</p>
      {loadFailed && <p role="alert">{t('fleetConfig.editor.loadFailed')}</p>}
      <p role="status" className="notice">
        {notice}
      </p>
      <p role="alert" className="error">
        {problem}
      </p>
      {overview && draft && (
        <form
          className="fleet-config__form"
          onSubmit={(e) => {
            e.preventDefault();
            publish();
          }}
        >
          <label className="coord-field" htmlFor={`${id}-target`}>
            <span>{t('fleetConfig.editor.target')}</span>
            <select id={`${id}-target`} value={String(target)} onChange={(e) => chooseTarget(e.target.value)}>
              <option value="all">{t('fleetConfig.editor.targetAll')}</option>
              {overview.booths.map((b) => (
                <option key={b.boothId} value={String(b.boothId)}>
                  {b.name}
                </option>
              ))}
            </select>
          </label>

          <fieldset className="fleet-config__orgs">
            <legend>{t('fleetConfig.editor.organisations')}</legend>
            <p id={`${id}-hours-hint`}>{t('fleetConfig.editor.hoursHint')}</p>
            {draft.organisations.map((o, index) => (
              <div key={o.code} className="fleet-config__org" data-org={o.code}>
                <h3>{o.code}</h3>
                <label className="coord-field">
                  <span>{t('fleetConfig.editor.orgName', { code: o.code })}</span>
                  <input value={o.name} maxLength={80} required onChange={(e) => setOrg(index, { name: e.target.value })} />
                </label>
                <label className="coord-field">
                  <span>{t('fleetConfig.editor.orgHours', { code: o.code })}</span>
                  <input value={o.hours} maxLength={800} aria-describedby={`${id}-hours-hint`} onChange={(e) => setOrg(index, { hours: e.target.value })} />
                </label>
                <label className="coord-field">
                  <span>{t('fleetConfig.editor.orgCorrespondent', { code: o.code })}</span>
                  <input value={o.correspondent} maxLength={200} onChange={(e) => setOrg(index, { correspondent: e.target.value })} />
                </label>
                <button type="button" className="button" onClick={() => setDraft({ ...draft, organisations: draft.organisations.filter((_, i) => i !== index) })}>
                  {t('fleetConfig.editor.removeOrg', { code: o.code })}
                </button>
              </div>
            ))}
            <div className="fleet-config__add">
              <label className="coord-field">
                <span>{t('fleetConfig.editor.newCode')}</span>
                <input value={newCode} maxLength={16} onChange={(e) => setNewCode(e.target.value.toUpperCase())} />
              </label>
              <button
                type="button"
                className="button"
                onClick={() => {
                  const bad = newCodeProblem(newCode, draft);
                  if (bad) return setProblem(say(bad));
                  setProblem(null);
                  setDraft({ ...draft, organisations: [...draft.organisations, { code: newCode, name: newCode, hours: '', correspondent: '' }] });
                  setNewCode('');
                }}
              >
                {t('fleetConfig.editor.addOrg')}
              </button>
            </div>
          </fieldset>

          <p id={`${id}-offered-hint`}>{t('fleetConfig.editor.offeredHint')}</p>
          <label className="coord-field">
            <span>{t('fleetConfig.editor.guides')}</span>
            <textarea rows={3} value={draft.guides} aria-describedby={`${id}-offered-hint`} onChange={(e) => setDraft({ ...draft, guides: e.target.value })} />
          </label>
          <label className="coord-field">
            <span>{t('fleetConfig.editor.documents')}</span>
            <textarea rows={3} value={draft.documents} aria-describedby={`${id}-offered-hint`} onChange={(e) => setDraft({ ...draft, documents: e.target.value })} />
          </label>

          <fieldset>
            <legend>{t('fleetConfig.editor.survey')}</legend>
            {SURVEY_MODES.map((m) => (
              <label key={m} className="booths-filter__choice">
                <input type="radio" name={`${id}-survey`} checked={draft.surveyPeriod === m} onChange={() => setDraft({ ...draft, surveyPeriod: m })} />
                {t(`fleetConfig.editor.surveyPeriods.${m}`)}
              </label>
            ))}
          </fieldset>
          <label className="coord-field">
            <span>{t('fleetConfig.editor.idle')}</span>
            <input type="number" inputMode="numeric" min={5} max={3600} value={draft.idleSeconds} onChange={(e) => setDraft({ ...draft, idleSeconds: e.target.value })} />
          </label>
          <CharterEditor draft={draft} onChange={setDraft} />
          <div>
            <button type="submit" className="button button--primary" disabled={busy}>
              {t('fleetConfig.editor.publish')}
            </button>
          </div>
        </form>
      )}

      {overview && (
        <>
          <h2 id={`${id}-versions`}>{t('fleetConfig.editor.versions')}</h2>
          {overview.versions.length === 0 ? (
            <p>{t('fleetConfig.editor.none')}</p>
          ) : (
            <div className="coord-scroll" tabIndex={0} role="region" aria-labelledby={`${id}-versions`}>
              <table className="table coord-grid">
                <caption>{t('fleetConfig.editor.versionsCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('fleetConfig.editor.columns.version')}</th>
                    <th scope="col">{t('fleetConfig.editor.columns.target')}</th>
                    <th scope="col">{t('fleetConfig.editor.columns.publishedAt')}</th>
                    <th scope="col">{t('fleetConfig.editor.columns.by')}</th>
                    <th scope="col">{t('fleetConfig.editor.columns.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {overview.versions.map((v, index) => (
                    <tr key={v.version} data-version={v.version}>
                      <th scope="row">
                        {v.version}
                        {v.rolledBackFrom !== null && <small> ({t('fleetConfig.editor.rolledBackFrom', { version: v.rolledBackFrom })})</small>}
                      </th>
                      <td>{boothName(v.targetBooth)}</td>
                      <td>{formatDateTimeShort(v.publishedAt, i18n.language)}</td>
                      <td>{v.publishedBy}</td>
                      <td>
                        {index > 0 && (
                          <button type="button" className="button button--small" disabled={busy} onClick={() => rollback(v.version)}>
                            {t('fleetConfig.editor.rollback', { version: v.version })}
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
