// A guided online service: the organisation's website fills most of the screen, the guide beside it; then "closed and erased".
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../ui/Icon.js';
import { useIdleStore } from './idleStore.js';
import { useAppStore } from '../stores/appStore.js';
import { GuidePanel } from './GuidePanel.js';
import { TeleserviceError } from './TeleserviceError.js';
import { useTeleserviceStore, type OpenSession } from './teleserviceStore.js';
import './teleservice.css';

/** Electron draws the website in its own view over this area: tell it where, and hide it under a dialog. */
function ElectronSiteArea({ session }: { session: OpenSession }) {
  const { t } = useTranslation();
  const area = useRef<HTMLDivElement>(null);
  const setBounds = useTeleserviceStore((s) => s.setBounds);
  const covered = useIdleStore((s) => s.warning);

  useEffect(() => {
    const element = area.current;
    if (!element) return undefined;
    const place = () => {
      const r = element.getBoundingClientRect();
      setBounds(covered ? { x: 0, y: 0, width: 0, height: 0 } : { x: Math.round(r.left), y: Math.round(r.top), width: Math.round(r.width), height: Math.round(r.height) });
    };
    place();
    window.addEventListener('resize', place);
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(place);
    observer?.observe(element);
    return () => {
      window.removeEventListener('resize', place);
      observer?.disconnect();
    };
  }, [session.sessionId, covered, setBounds]);

  return <div ref={area} className="site-area" role="region" aria-label={t('teleservice.siteArea')} />;
}

function SiteFrame({ session }: { session: OpenSession }) {
  const { t } = useTranslation();
  if (session.entryUrl === null) return <ElectronSiteArea session={session} />;
  return (
    <iframe
      key={session.sessionId}
      className="site-area site-frame"
      title={t('teleservice.siteFrame', { title: session.guide.title })}
      src={session.entryUrl}
      // Scripts and forms of the site run; no pop-ups, no top navigation, no downloads through the browser.
      sandbox="allow-scripts allow-forms allow-same-origin"
      referrerPolicy="no-referrer"
    />
  );
}

function ClosedView() {
  const { t } = useTranslation();
  const closed = useTeleserviceStore((s) => s.closed);
  const forget = useTeleserviceStore((s) => s.forgetClosed);
  const unlocked = useAppStore((s) => s.auth.unlocked);
  const go = useAppStore((s) => s.go);
  const toMediator = closed?.launchedBy === 'mediator' && unlocked;
  return (
    <section className="teleservice-closed" aria-labelledby="closed-title">
      <h1 id="closed-title">{t('teleservice.closedTitle')}</h1>
      <p className="lead" role="status">
        {!closed || closed.wiped === null ? t('teleservice.closing') : closed.wiped ? t('teleservice.sessionWiped') : t('teleservice.wipeIncomplete')}
      </p>
      <button
        type="button"
        className="button button--primary button--large"
        onClick={() => {
          forget();
          go(toMediator ? { name: 'mediator', tab: 'teleservice' } : { name: 'home' });
        }}
      >
        <Icon name={toMediator ? 'lock' : 'back'} />
        {toMediator ? t('teleservice.backMediator') : t('teleservice.backHome')}
      </button>
    </section>
  );
}

export function TeleserviceScreen() {
  const { t } = useTranslation();
  const session = useTeleserviceStore((s) => s.session);
  const closing = useTeleserviceStore((s) => s.closing);
  const closed = useTeleserviceStore((s) => s.closed);
  const starting = useTeleserviceStore((s) => s.starting);
  const error = useTeleserviceStore((s) => s.error);
  const end = useTeleserviceStore((s) => s.end);
  const go = useAppStore((s) => s.go);

  if (session && !closing) {
    return (
      <main className="screen screen--teleservice" aria-labelledby="teleservice-title">
        <header className="teleservice-header">
          <h1 id="teleservice-title">{session.guide.title}</h1>
          <button type="button" className="button button--primary" onClick={() => void end('finished')}>
            <Icon name="check" />
            {t('teleservice.finish')}
          </button>
        </header>
        <div className="teleservice-body">
          <SiteFrame session={session} />
          <GuidePanel session={session} />
        </div>
      </main>
    );
  }
  return (
    <main className="screen" aria-labelledby="closed-title">
      {closed || closing ? (
        <ClosedView />
      ) : (
        <>
          <h1 id="closed-title">{t('teleservice.visitorTitle')}</h1>
          {starting && <p role="status">{t('teleservice.opening')}</p>}
          <TeleserviceError error={error} />
          <button type="button" className="button button--large" onClick={() => go({ name: 'home' })}>
            <Icon name="back" />
            {t('teleservice.backHome')}
          </button>
        </>
      )}
    </main>
  );
}
