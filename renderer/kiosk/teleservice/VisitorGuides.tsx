// On an organisation's screen: the online procedures a visitor may start alone, one big button each.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../ui/Icon.js';
import { useAppStore } from '../stores/appStore.js';
import { TeleserviceError } from './TeleserviceError.js';
import { useTeleserviceStore } from './teleserviceStore.js';

export function VisitorGuides({ organisation }: { organisation: string }) {
  const { t } = useTranslation();
  const guides = useTeleserviceStore((s) => s.guides);
  const loaded = useTeleserviceStore((s) => s.guidesLoaded);
  const loadGuides = useTeleserviceStore((s) => s.loadGuides);
  const start = useTeleserviceStore((s) => s.start);
  const starting = useTeleserviceStore((s) => s.starting);
  const error = useTeleserviceStore((s) => s.error);
  const go = useAppStore((s) => s.go);

  useEffect(() => {
    if (!loaded) void loadGuides();
  }, [loaded, loadGuides]);

  const mine = guides.filter((g) => g.organisation === organisation && g.visitorMayStart);
  if (mine.length === 0) return null;
  return (
    <section aria-labelledby="org-online">
      <h2 id="org-online">{t('teleservice.visitorTitle')}</h2>
      <p>{t('teleservice.visitorIntro')}</p>
      <ul className="guide-choices" role="list">
        {mine.map((g) => (
          <li key={g.id}>
            <button
              type="button"
              className="choice guide-choice"
              data-guide={g.id}
              disabled={starting}
              onClick={() => {
                void start(g.id, 'visitor').then((ok) => ok && go({ name: 'teleservice' }));
              }}
            >
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
