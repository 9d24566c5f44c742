// On an organisation's screen: the online procedures a visitor may start alone. One procedure is one card that starts it;
// several are one card that opens their list (VisitorGuideList), one big button each.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Guide } from '../../../shared/guideSteps.js';
import { Icon } from '../../ui/Icon.js';
import { useAppStore } from '../stores/appStore.js';
import { TeleserviceError } from './TeleserviceError.js';
import { useTeleserviceStore } from './teleserviceStore.js';

/** The guides of `organisation` a visitor may start alone (loaded once), and how to start one. */
function useVisitorGuides(organisation: string): { mine: Guide[]; begin(id: string): void } {
  const guides = useTeleserviceStore((s) => s.guides);
  const loaded = useTeleserviceStore((s) => s.guidesLoaded);
  const loadGuides = useTeleserviceStore((s) => s.loadGuides);
  const start = useTeleserviceStore((s) => s.start);
  const go = useAppStore((s) => s.go);

  useEffect(() => {
    if (!loaded) void loadGuides();
  }, [loaded, loadGuides]);

  return {
    mine: guides.filter((g) => g.organisation === organisation && g.visitorMayStart),
    begin: (id) => void start(id, 'visitor').then((ok) => ok && go({ name: 'teleservice' })),
  };
}

/** The card on the organisation's screen: the procedure itself, or « Faire une démarche sur Internet » for several. */
export function VisitorGuides({ organisation, onShowAll }: { organisation: string; onShowAll(): void }) {
  const { t } = useTranslation();
  const { mine, begin } = useVisitorGuides(organisation);
  const starting = useTeleserviceStore((s) => s.starting);
  const error = useTeleserviceStore((s) => s.error);
  const only = mine.length === 1 ? mine[0] : undefined;
  if (mine.length === 0) return null;
  return (
    <section aria-labelledby="org-online" className="org-online org-action">
      <h2 id="org-online" className="visually-hidden">
        {t('teleservice.visitorTitle')}
      </h2>
      {only ? (
        <button type="button" className="choice guide-choice" data-guide={only.id} disabled={starting} aria-describedby="org-online-hint" onClick={() => begin(only.id)}>
          <Icon name="globe" size={40} />
          <span>{only.title}</span>
        </button>
      ) : (
        <button type="button" className="choice guide-choice" aria-describedby="org-online-hint" onClick={onShowAll}>
          <Icon name="globe" size={40} />
          <span>{t('teleservice.visitorTitle')}</span>
        </button>
      )}
      <p id="org-online-hint" className="hint">
        {t('teleservice.visitorIntro')}
      </p>
      <TeleserviceError error={error} />
    </section>
  );
}

/** Every procedure a visitor may start alone, one big button each. */
export function VisitorGuideList({ organisation }: { organisation: string }) {
  const { t } = useTranslation();
  const { mine, begin } = useVisitorGuides(organisation);
  const starting = useTeleserviceStore((s) => s.starting);
  const error = useTeleserviceStore((s) => s.error);
  return (
    <section aria-labelledby="org-online" className="org-online-list">
      <h2 id="org-online">{t('teleservice.visitorTitle')}</h2>
      <p>{t('teleservice.visitorIntro')}</p>
      <ul className="guide-choices" role="list">
        {mine.map((g) => (
          <li key={g.id}>
            <button type="button" className="choice guide-choice" data-guide={g.id} disabled={starting} onClick={() => begin(g.id)}>
              <Icon name="globe" size={40} />
              <span>{g.title}</span>
            </button>
          </li>
        ))}
      </ul>
      <TeleserviceError error={error} />
    </section>
  );
}
