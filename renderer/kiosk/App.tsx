// The kiosk's frame: header (site, demo badge, text size, language), the current screen, and the bottom bar (help, the
// way back): the whole window and no more, so a visitor screen never scrolls (see ui/useFitLevels.ts and ui/KioskBar.tsx).
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorText } from './ErrorText.js';
import { KioskBarFrame } from '../ui/KioskBar.js';
import { LanguageSwitch } from '../ui/LanguageSwitch.js';
import { TextSizeControl } from './TextSizeControl.js';
import { useFitLevels } from '../ui/useFitLevels.js';
import { AppointmentScreen } from './appointments/AppointmentScreen.js';
import { SurveyScreen } from './evaluation/SurveyScreen.js';
import { HomeScreen } from './foundation/HomeScreen.js';
import { IdleGuard } from './teleservice/IdleGuard.js';
import { MediatorScreen } from './foundation/MediatorScreen.js';
import { OrganisationScreen } from './foundation/OrganisationScreen.js';
import { DocumentsScreen } from './printing/DocumentsScreen.js';
import { FormsScreen } from './printing/FormsScreen.js';
import { useHealthReport } from './fleet/useHealthReport.js';
import { useUpdateIdleReport } from './updates/useUpdateIdleReport.js';
import { receiveKioskFleetConfig } from './fleet/useFleetConfig.js';
import { useBridge } from '../bridge/BridgeContext.js';
import { usePrintingStore } from './printing/printingStore.js';
import { useAppStore } from './stores/appStore.js';
import { useKioskStores } from './stores/storesContext.js';
import { TeleserviceBackground } from './teleservice/TeleserviceBackground.js';
import { TeleserviceScreen } from './teleservice/TeleserviceScreen.js';
import { UnlockScreen } from './foundation/UnlockScreen.js';
import type { BoothHubLink } from './visio/hubLink.js';
import { VisioScreen, createKioskHubLink } from './visio/VisioScreen.js';
import { SetupAssistant } from './setup/SetupAssistant.js';
import { useSetup } from './setup/useSetup.js';

export function App() {
  const { t } = useTranslation();
  const bridge = useBridge();
  const stores = useKioskStores();
  const ready = useAppStore((s) => s.ready);
  const loadError = useAppStore((s) => s.loadError);
  const info = useAppStore((s) => s.info);
  const screen = useAppStore((s) => s.screen);
  const auth = useAppStore((s) => s.auth);
  const load = useAppStore((s) => s.load);
  const go = useAppStore((s) => s.go);
  const startPrinting = usePrintingStore((s) => s.ensureStarted);
  const printerKnown = usePrintingStore((s) => s.known);
  // Going home after idle ends and wipes a guided session; home and the mediator's area (own auto-lock) are not guarded.
  const onIdle = useCallback(() => {
    void stores.teleservice.getState().end('idle');
    go({ name: 'home' });
  }, [stores, go]);

  // The first screen is shown whole: a printer notice arriving after it would push the buttons below it down under a
  // finger already on one, and that tap would be lost.
  useEffect(() => {
    void load();
    startPrinting();
    void stores.appointments.getState().loadRemembered();
  }, [load, startPrinting, stores]);

  // The booth stays connected and signed in to the hub while the kiosk runs: a visitor's tap on « visio » then sends the
  // call request at once (no socket to open, no login on the way).
  // Each client of that connection applies the configuration the department's hub pushes at sign-in and on publish.
  const hubLink = useMemo<BoothHubLink | null>(() => (ready ? createKioskHubLink(bridge, (hub) => receiveKioskFleetConfig(bridge, hub)) : null), [bridge, ready]);
  useEffect(() => {
    if (!hubLink) return;
    hubLink.warm();
    // Appointments travel on the same connection as the calls.
    stores.appointments.getState().attach(hubLink);
    return () => {
      stores.appointments.getState().attach(null);
      hubLink.close();
    };
  }, [hubLink, stores]);
  // Over that same connection, the booth tells the hub how it is (fleet): on change and at least every minute.
  useHealthReport(hubLink);
  useUpdateIdleReport();

  useEffect(() => {
    document.getElementById('screen-start')?.focus();
  }, [screen]);

  // Visitor screens fit the window; the mediator's space may scroll (its primary actions stay on top).
  const shell = useRef<HTMLDivElement>(null);
  const screenKey = JSON.stringify(screen);
  // A new booth runs its first-start assistant before anything else (renderer/kiosk/setup/).
  const setup = useSetup();
  // The shell exists only once the booth is set up and loaded: the levels start when it is there.
  const shellShown = ready && printerKnown && setup.state?.step === 'done';
  useFitLevels(shell, shellShown && screen.name !== 'mediator', screenKey);
  if (setup.state && setup.state.step !== 'done') return <SetupAssistant state={setup.state} onState={setup.onState} />;

  if (!ready || !printerKnown || !setup.state) {
    return (
      <main className="screen">
        <p role="status">{t('app.loading')}</p>
        <ErrorText error={loadError} />
      </main>
    );
  }

  return (
    <div ref={shell} className="kiosk" data-screen={screen.name}>
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
      <KioskBarFrame label={t('app.bar')}>
        {screen.name === 'home' && <HomeScreen />}
        {screen.name === 'organisation' && <OrganisationScreen code={screen.code} />}
        {screen.name === 'unlock' && <UnlockScreen />}
        {screen.name === 'forms' && <FormsScreen organisation={screen.organisation} />}
        {screen.name === 'documents' && <DocumentsScreen organisation={screen.organisation} />}
        {screen.name === 'mediator' && (auth.unlocked ? <MediatorScreen tab={screen.tab} /> : <UnlockScreen />)}
        {screen.name === 'teleservice' && <TeleserviceScreen />}
        {screen.name === 'visio' && <VisioScreen code={screen.code} {...(hubLink ? { hubLink } : {})} {...(screen.appointmentId ? { appointmentId: screen.appointmentId } : {})} />}
        {screen.name === 'appointment' && (
          <AppointmentScreen
            organisation={screen.organisation}
            back={() => go(screen.from === 'mediator' ? { name: 'mediator', tab: 'appointments' } : { name: 'organisation', code: screen.organisation })}
          />
        )}
        {screen.name === 'survey' && <SurveyScreen organisation={screen.organisation} service={screen.service} />}
      </KioskBarFrame>
      <TeleserviceBackground onSessionScreen={screen.name === 'teleservice'} />
      <IdleGuard active={screen.name !== 'home' && screen.name !== 'mediator'} onIdle={onIdle} />
    </div>
  );
}
