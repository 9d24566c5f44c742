// The rollout of one release, edited in place: the chosen booths (checkboxes), the percentage of the others, all, pause.
// Focus goes to its title when it opens; Échap or « Annuler » closes it; a bad percentage is said in French beside it.
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BoothUpdateView, ReleaseView, ReleasesResponse } from '../../../shared/updates.js';
import { saveRollout } from './updatesApi.js';

export interface RolloutEditorProps {
  release: ReleaseView;
  booths: readonly BoothUpdateView[];
  onSaved(data: ReleasesResponse, version: string): void;
  onCancel(): void;
  onSignedOut(): void;
}

export function RolloutEditor({ release, booths, onSaved, onCancel, onSignedOut }: RolloutEditorProps) {
  const { t } = useTranslation();
  const id = useId();
  const [chosen, setChosen] = useState<ReadonlySet<number>>(() => new Set(release.rollout.booths));
  const [percent, setPercent] = useState(String(release.rollout.percent));
  const [all, setAll] = useState(release.rollout.all);
  const [paused, setPaused] = useState(release.rollout.paused);
  const [percentError, setPercentError] = useState(false);
  const [failed, setFailed] = useState(false);
  const [sending, setSending] = useState(false);
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => title.current?.focus(), []);
  const choosable = booths.filter((b) => !b.revoked || chosen.has(b.id));

  const toggle = (boothId: number) =>
    setChosen((s) => {
      const next = new Set(s);
      if (!next.delete(boothId)) next.add(boothId);
      return next;
    });

  const submit = () => {
    const value = percent.trim();
    if (!/^\d{1,3}$/.test(value) || Number(value) > 100) {
      setPercentError(true);
      return;
    }
    setPercentError(false);
    setSending(true);
    void saveRollout(release.version, { booths: [...chosen].sort((a, b) => a - b), percent: Number(value), all, paused }).then((r) => {
      setSending(false);
      if (r.ok) return onSaved(r.value, release.version);
      if (r.reason === 'signedOut') return onSignedOut();
      setFailed(true);
    });
  };

  return (
    <form
      className="rollout-editor"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      onKeyDown={(e) => e.key === 'Escape' && onCancel()}
    >
      <h3 id={`${id}-title`} ref={title} tabIndex={-1}>
        {t('coordinator.updates.editTitle', { version: release.version })}
      </h3>
      <fieldset className="rollout-editor__booths">
        <legend>{t('coordinator.updates.chosenBooths')}</legend>
        {choosable.length === 0 && <p>{t('coordinator.updates.noBooths')}</p>}
        {choosable.map((b) => (
          <label key={b.id} className="rollout-editor__choice">
            <input type="checkbox" checked={chosen.has(b.id)} onChange={() => toggle(b.id)} />
            {b.name}
          </label>
        ))}
      </fieldset>
      <div className="coord-field">
        <label htmlFor={`${id}-percent`}>{t('coordinator.updates.percent')}</label>
        <input
          id={`${id}-percent`}
          inputMode="numeric"
          value={percent}
          onChange={(e) => setPercent(e.target.value)}
          aria-invalid={percentError}
          aria-describedby={percentError ? `${id}-percent-error` : undefined}
        />
        {percentError && (
          <p id={`${id}-percent-error`} className="error" role="alert">
            {t('coordinator.updates.percentInvalid')}
          </p>
        )}
      </div>
      <label className="rollout-editor__choice">
        <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
        {t('coordinator.updates.all')}
      </label>
      <label className="rollout-editor__choice">
        <input type="checkbox" checked={paused} onChange={(e) => setPaused(e.target.checked)} />
        {t('coordinator.updates.paused')}
      </label>
      {failed && (
        <p className="error" role="alert">
          {t('coordinator.updates.saveFailed')}
        </p>
      )}
      <div className="rollout-editor__actions">
        <button type="submit" className="button button--primary" disabled={sending}>
          {t('coordinator.updates.save')}
        </button>
        <button type="button" className="button" disabled={sending} onClick={onCancel}>
          {t('coordinator.updates.cancel')}
        </button>
      </div>
    </form>
  );
}
