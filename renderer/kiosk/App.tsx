// The kiosk's frame: header (site, demo badge, text size, language) and the current screen.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorText } from '../ui/ErrorText.js';
import { LanguageSwitch } from '../ui/LanguageSwitch.js';
import { TextSizeControl } from '../ui/TextSizeControl.js';
import { HomeScreen } from './HomeScreen.js';
import { MediatorScreen } from './MediatorScreen.js';
import { OrganisationScreen } from './OrganisationScreen.js';
import { useAppStore } from './stores/appStore.js';
import { UnlockScreen } from './UnlockScreen.js';

export function App() {
  const { t } = useTranslation();
  const ready = useAppStore((s) => s.ready);
  const loadError = useAppStore((s) => s.loadError);
  const info = useAppStore((s) => s.info);
  const screen = useAppStore((s) => s.screen);
  const auth = useAppStore((s) => s.auth);
  const load = useAppStore((s) => s.load);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    document.getElementById('screen-start')?.focus();
  }, [screen]);

  if (!ready) {
    return (
      <main className="screen">
        <p role="status">{t('app.loading')}</p>
        <ErrorText error={loadError} />
      </main>
    );
  }

  return (
    <>
      <header className="site-header">
        <span id="screen-start" tabIndex={-1} className="site-header__name">
          {info?.siteName}
          {info?.commune ? ` — ${info.commune}` : ''}
        </span>
        {info?.demo && <span className="badge badge--demo">{t('app.demoBadge')}</span>}
        <div className="site-header__tools">
          <TextSizeControl />
          <LanguageSwitch />
        </div>
      </header>
      {screen.name === 'home' && <HomeScreen />}
      {screen.name === 'organisation' && <OrganisationScreen code={screen.code} />}
      {screen.name === 'unlock' && <UnlockScreen />}
      {screen.name === 'mediator' && (auth.unlocked ? <MediatorScreen tab={screen.tab} /> : <UnlockScreen />)}
    </>
  );
}
