// The quality charter on the visitor home: opened by a button, or by itself after a while without touch (the idle screen);
// it also says which organisations can be reached by visio right now.
// Its toggle is on screen from the home's first frame: a block appearing once the charter is read would push the
// mediator's button down under a finger already on it, and the tap would be lost. The charter is a file of the site,
// read once per launch, so coming back home shows it at once.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CharterValue } from '../../../shared/contract.js';
import { getBridge, unwrap } from '../../bridge/index.js';
import { useAppStore } from '../stores/appStore.js';
import './evaluation.css';

/** The charter read this launch, per bridge (a failed read is forgotten, so the next home tries again). */
const readCharters = new WeakMap<object, CharterValue>();
const readings = new WeakMap<object, Promise<CharterValue>>();

function loadCharter(): Promise<CharterValue> {
  const bridge = getBridge();
  let reading = readings.get(bridge);
  if (!reading) {
    reading = unwrap(bridge.charter.get({})).then(
      (charter) => {
        readCharters.set(bridge, charter);
        return charter;
      },
      (cause: unknown) => {
        readings.delete(bridge);
        throw cause;
      },
    );
    readings.set(bridge, reading);
  }
  return reading;
}

export function CharterPanel({ idleMs = 60_000 }: { idleMs?: number }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'fr';
  const organisations = useAppStore((s) => s.organisations);
  const reachable = useMemo(() => organisations.filter((o) => o.active && o.visio.openNow), [organisations]);
  const [charter, setCharter] = useState<CharterValue | undefined>(() => readCharters.get(getBridge()));
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
  }, [charter]);

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

  // A charter that cannot be read is not offered: the toggle would open onto nothing.
  if (failed) return null;
  return (
    <section className="charter-block" aria-labelledby="charter-title">
      <button type="button" className="button charter-toggle" aria-expanded={open} aria-controls="charter" onClick={() => setOpen(!open)}>
        {open ? t('charter.hide') : t('charter.show')}
      </button>
      {open && charter && (
        <div id="charter" className="charter">
          <h2 id="charter-title">{charter.title[lang]}</h2>
          <p>{charter.intro[lang]}</p>
          <ul className="charter__list" role="list">
            {charter.commitments.map((c) => (
              <li key={c.id}>
                <h3>{c.title[lang]}</h3>
                <p>{c.text[lang]}</p>
              </li>
            ))}
          </ul>
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
      )}
      {!(open && charter) && (
        <h2 id="charter-title" className="visually-hidden">
          {charter ? charter.title[lang] : t('charter.show')}
        </h2>
      )}
    </section>
  );
}
