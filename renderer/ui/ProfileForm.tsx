// The optional anonymous profile of a visit: age band, commune of residence, first visit. Nothing else, by design.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VisitorProfile } from '../../shared/contract/index.js';
import { AGE_BANDS, type AgeBand } from '../../shared/domain.js';

export function ProfileForm({ initial, onSave, submitLabel }: { initial: VisitorProfile; onSave(profile: VisitorProfile): void; submitLabel?: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [ageBand, setAgeBand] = useState<AgeBand | ''>(initial.ageBand ?? '');
  const [commune, setCommune] = useState(initial.commune ?? '');
  const [firstVisit, setFirstVisit] = useState<'' | 'yes' | 'no'>(initial.firstVisit === null ? '' : initial.firstVisit ? 'yes' : 'no');
  return (
    <form
      className="profile-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSave({ ageBand: ageBand || null, commune: commune.trim() || null, firstVisit: firstVisit === '' ? null : firstVisit === 'yes' });
      }}
    >
      <fieldset>
        <legend>{t('profile.title')}</legend>
        <label htmlFor={`${id}-age`}>{t('profile.ageBand')}</label>
        <select id={`${id}-age`} value={ageBand} onChange={(e) => setAgeBand(e.target.value as AgeBand | '')}>
          <option value="">{t('profile.unknown')}</option>
          {AGE_BANDS.map((b) => (
            <option key={b} value={b}>
              {t(`ageBands.${b}`)}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-commune`}>{t('profile.commune')}</label>
        <input id={`${id}-commune`} value={commune} maxLength={80} onChange={(e) => setCommune(e.target.value)} autoComplete="off" />
        <label htmlFor={`${id}-first`}>{t('profile.firstVisit')}</label>
        <select id={`${id}-first`} value={firstVisit} onChange={(e) => setFirstVisit(e.target.value as '' | 'yes' | 'no')}>
          <option value="">{t('profile.unknown')}</option>
          <option value="yes">{t('profile.yes')}</option>
          <option value="no">{t('profile.no')}</option>
        </select>
      </fieldset>
      <button type="submit" className="button button--primary">
        {submitLabel ?? t('profile.save')}
      </button>
    </form>
  );
}
