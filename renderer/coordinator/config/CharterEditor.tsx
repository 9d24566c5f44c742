// The « Charte qualité » part of the « Configuration » view: the charter shipped with the kiosk, or the department's,
// typed in French then English (title, introduction, 6 to 8 commitments). The typed charter stays in the draft while
// the shipped one is chosen, so that switching back loses nothing; it starts from the shipped charter's text.
import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { emptyCommitment, MAX_COMMITMENTS, MIN_COMMITMENTS, type BilingualDraft, type CharterDraft, type CharterField, type CommitmentDraft, type ConfigDraft } from './configDraft.js';

const LANGS = ['fr', 'en'] as const;

export function CharterEditor({ draft, onChange }: { draft: ConfigDraft; onChange: (next: ConfigDraft) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const groupRef = useRef<HTMLDivElement>(null);
  // After an add or a removal, where the keyboard goes: the new commitment's first field, or the list.
  const focusAfter = useRef<number | 'list' | null>(null);
  useEffect(() => {
    const pending = focusAfter.current;
    if (pending === null) return;
    focusAfter.current = null;
    (pending === 'list' ? groupRef.current : document.getElementById(`${id}-k${pending}-title-fr`))?.focus();
  });

  const charter = draft.charter;
  const label = (f: CharterField) => t(`fleetConfig.editor.charter.fields.${f.part}`, { n: f.n, lang: t(`fleetConfig.editor.charter.langs.${f.lang}`) });
  const setCharter = (patch: Partial<CharterDraft>) => onChange({ ...draft, charter: { ...charter, ...patch } });
  const setCommitment = (index: number, patch: Partial<CommitmentDraft>) =>
    setCharter({ commitments: charter.commitments.map((k, i) => (i === index ? { ...k, ...patch } : k)) });
  const count = charter.commitments.length;

  const field = (part: CharterField['part'], n: number, lang: 'fr' | 'en', value: BilingualDraft, set: (next: BilingualDraft) => void, fieldId: string) => {
    const props = { id: fieldId, value: value[lang], lang, onChange: (e: { target: { value: string } }) => set({ ...value, [lang]: e.target.value }) };
    return (
      <label key={lang} className="coord-field" htmlFor={fieldId}>
        <span>{label({ part, n, lang })}</span>
        {part === 'title' || part === 'commitmentTitle' ? <input {...props} /> : <textarea rows={3} {...props} />}
      </label>
    );
  };

  return (
    <fieldset className="fleet-config__charter">
      <legend>{t('fleetConfig.editor.charter.title')}</legend>
      <fieldset>
        <legend>{t('fleetConfig.editor.charter.which')}</legend>
        {(['shipped', 'department'] as const).map((mode) => (
          <label key={mode} className="booths-filter__choice">
            <input type="radio" name={`${id}-charter`} checked={draft.charterMode === mode} onChange={() => onChange({ ...draft, charterMode: mode })} />
            {t(`fleetConfig.editor.charter.modes.${mode}`)}
          </label>
        ))}
      </fieldset>
      {draft.charterMode === 'department' && (
        <>
          <p id={`${id}-hint`}>{t('fleetConfig.editor.charter.hint', { min: MIN_COMMITMENTS, max: MAX_COMMITMENTS })}</p>
          {LANGS.map((lang) => field('title', 0, lang, charter.title, (title) => setCharter({ title }), `${id}-title-${lang}`))}
          {LANGS.map((lang) => field('intro', 0, lang, charter.intro, (intro) => setCharter({ intro }), `${id}-intro-${lang}`))}
          <div ref={groupRef} tabIndex={-1} role="group" aria-label={t('fleetConfig.editor.charter.commitments', { count })} aria-describedby={`${id}-hint`}>
            {charter.commitments.map((k, index) => (
              <fieldset key={index} className="fleet-config__org" data-commitment={index + 1}>
                <legend>{t('fleetConfig.editor.charter.commitment', { n: index + 1 })}</legend>
                {LANGS.map((lang) => field('commitmentTitle', index + 1, lang, k.title, (title) => setCommitment(index, { title }), `${id}-k${index}-title-${lang}`))}
                {LANGS.map((lang) => field('commitmentText', index + 1, lang, k.text, (text) => setCommitment(index, { text }), `${id}-k${index}-text-${lang}`))}
                {count > MIN_COMMITMENTS && (
                  <button
                    type="button"
                    className="button"
                    onClick={() => {
                      setCharter({ commitments: charter.commitments.filter((_, i) => i !== index) });
                      focusAfter.current = 'list';
                    }}
                  >
                    {t('fleetConfig.editor.charter.remove', { n: index + 1 })}
                  </button>
                )}
              </fieldset>
            ))}
          </div>
          {count < MAX_COMMITMENTS && (
            <div className="fleet-config__add">
              <button
                type="button"
                className="button"
                onClick={() => {
                  setCharter({ commitments: [...charter.commitments, emptyCommitment()] });
                  focusAfter.current = count;
                }}
              >
                {t('fleetConfig.editor.charter.add')}
              </button>
            </div>
          )}
        </>
      )}
    </fieldset>
  );
}
