// The quality charter on the visitor home: opened by a button, or by itself after a while without touch (the idle screen);
// it also says which organisations can be reached by visio right now.
// Its toggle is on screen from the home's first frame: a block appearing once the charter is read would push the
// mediator's button down under a finger already on it, and the tap would be lost. The charter is a file of the site,
// read once per launch, so coming back home shows it at once.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CharterValue } from '../../../shared/contract/index.js';
import { PagedList } from '../../ui/PagedList.js';
import { useAppStore } from '../stores/appStore.js';
import { useEvaluationStore } from './evaluationStore.js';
import './evaluation.css';

export interface CharterState {
  charter: CharterValue | undefined;
  /** The charter could not be read: it is not offered (the toggle would open onto nothing). */
  failed: boolean;
  open: boolean;
  setOpen(open: boolean): void;
}

/** The charter read once per launch, and whether it is shown (by its toggle, or by itself after `idleMs` without touch). */
export function useCharter(idleMs = 60_000): CharterState {
  const { readCharter, loadCharter } = useEvaluationStore();
  const [charter, setCharter] = useState<CharterValue | undefined>(readCharter);
  const [failed, setFailed] = useState(false);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    if (charter) return undefined;
    let live = true;
    loadCharter().then(
      (read) => live && setCharter(read),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [charter, loadCharter]);

  // Nobody has touched the screen for a while: the home shows the charter (an idle screen that still lets anyone act).
  useEffect(() => {
    if (open) return;
    let timer = setTimeout(() => setOpen(true), idleMs);
    const reset = () => {
      clearTimeout(timer);
      timer = setTimeout(() => setOpen(true), idleMs);
    };
    const events = ['pointerdown', 'keydown', 'touchstart'] as const;
    for (const e of events) window.addEventListener(e, reset, { passive: true });
    return () => {
      clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, reset);
    };
  }, [open, idleMs]);

  return { charter, failed, open, setOpen };
}

/** The button that shows or hides the charter (on screen from the home's first frame). */
export function CharterToggle({ state }: { state: CharterState }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="button charter-toggle" aria-expanded={state.open} aria-controls="charter" onClick={() => state.setOpen(!state.open)}>
      {state.open ? t('charter.hide') : t('charter.show')}
    </button>
  );
}

/** The charter itself, with who can be reached by visio now (nothing until it is open and read). */
export function CharterText({ state }: { state: CharterState }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'fr';
  const organisations = useAppStore((s) => s.organisations);
  const reachable = useMemo(() => organisations.filter((o) => o.active && o.visio.openNow), [organisations]);
  const { charter } = state;
  if (!state.open || !charter) return null;
  return (
    <div id="charter" className="charter">
      <h2 id="charter-title">{charter.title[lang]}</h2>
      <p className="hint">{charter.intro[lang]}</p>
      {/* Page by page in the room the home gives it: the charter is the home's idle screen and never scrolls. */}
      <PagedList
        className="charter__list"
        label={charter.title[lang]}
        items={charter.commitments}
        keyOf={(c) => c.id}
        render={(c) => (
          <>
            <h3>{c.title[lang]}</h3>
            <p>{c.text[lang]}</p>
          </>
        )}
        previous={t('charter.previous')}
        next={t('charter.next')}
      />
      <div className="charter__reach">
        <h3>{t('charter.reachable')}</h3>
        {reachable.length === 0 ? (
          <p>{t('charter.nobodyReachable')}</p>
        ) : (
          <ul className="charter__reachable" role="list" aria-label={t('charter.reachable')}>
            {reachable.map((o) => (
              <li key={o.code} data-org={o.code}>
                {o.name}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

/** The toggle and the charter in one block (the home places the two apart: the toggle beside its title). */
export function CharterPanel({ idleMs = 60_000 }: { idleMs?: number }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'fr';
  const state = useCharter(idleMs);
  if (state.failed) return null;
  return (
    <section className="charter-block" aria-labelledby="charter-title">
      <CharterToggle state={state} />
      <CharterText state={state} />
      {!(state.open && state.charter) && (
        <h2 id="charter-title" className="visually-hidden">
          {state.charter ? state.charter.title[lang] : t('charter.show')}
        </h2>
      )}
    </section>
  );
}
