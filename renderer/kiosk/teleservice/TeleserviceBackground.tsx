// Always mounted: follows `teleservice.update`, keeps the web shell's wipe pages loading after the site left the screen,
// and tells the next person at the booth that a session closed by idle was erased.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useBridge } from '../../bridge/BridgeContext.js';
import { useTeleserviceStore } from './teleserviceStore.js';

/** How long the "closed and erased" message stays on the home screen after idle. */
const IDLE_NOTICE_MS = 20_000;

export function TeleserviceBackground({ onSessionScreen }: { onSessionScreen: boolean }) {
  const bridge = useBridge();
  const { t } = useTranslation();
  const apply = useTeleserviceStore((s) => s.apply);
  const wipes = useTeleserviceStore((s) => s.wipes);
  const closed = useTeleserviceStore((s) => s.closed);
  const forget = useTeleserviceStore((s) => s.forgetClosed);

  useEffect(() => bridge.on('teleservice.update', apply), [bridge, apply]);

  const idleNotice = !onSessionScreen && closed?.reason === 'idle' ? closed : null;
  useEffect(() => {
    if (!idleNotice || idleNotice.wiped === null) return undefined;
    const timer = setTimeout(forget, IDLE_NOTICE_MS);
    return () => clearTimeout(timer);
  }, [idleNotice, forget]);

  return (
    <>
      {wipes.map((w) => (
        // Loading this page makes the browser clear what the site stored (Clear-Site-Data), even after the screen changed.
        <iframe key={w.sessionId} className="wipe-frame" src={w.url} title={t('teleservice.closing')} aria-hidden="true" tabIndex={-1} sandbox="allow-same-origin" />
      ))}
      {idleNotice && (
        <p className="teleservice-toast" role="status">
          {idleNotice.wiped === false ? t('teleservice.wipeIncomplete') : t('teleservice.sessionWiped')}
        </p>
      )}
    </>
  );
}
