// Brings visitor screens back home after the site's idle time, with a 20 s "Êtes-vous toujours là ?" that any touch cancels.
// Touches inside the website's frame never reach this document: the frame taking focus and the website's own events
// (pages shown, touches reported by the Electron view) count as activity instead.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { IDLE_COUNTDOWN_SECONDS } from '../../../shared/contract/index.js';
import { useBridge } from '../../bridge/BridgeContext.js';
import { useIdleStore } from './idleStore.js';

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'touchstart', 'wheel', 'input'] as const;

export interface IdleGuardProps {
  /** Whether the current screen is a visitor screen (home and the mediator's area are not guarded). */
  active: boolean;
  /** The countdown ran out: end what the visitor left open and go home. */
  onIdle(): void;
}

export function IdleGuard({ active, onIdle }: IdleGuardProps) {
  const bridge = useBridge();
  const { t } = useTranslation();
  const idleSeconds = useIdleStore((s) => s.idleSeconds);
  const blocked = useIdleStore((s) => s.blockers > 0);
  const lastActivityAt = useIdleStore((s) => s.lastActivityAt);
  const activity = useIdleStore((s) => s.activity);
  const setWarning = useIdleStore((s) => s.setWarning);
  const loadIdleTime = useIdleStore((s) => s.loadIdleTime);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    void loadIdleTime();
    const offSettings = bridge.on('settings.changed', () => void loadIdleTime());
    const offSite = bridge.on('teleservice.update', (u) => {
      if (u.type !== 'ended') activity();
    });
    return () => {
      offSettings();
      offSite();
    };
  }, [bridge, loadIdleTime, activity]);

  useEffect(() => {
    const onActivity = () => activity();
    const onBlur = () => {
      if (document.activeElement instanceof HTMLIFrameElement) activity();
    };
    for (const name of ACTIVITY_EVENTS) document.addEventListener(name, onActivity, { capture: true, passive: true });
    window.addEventListener('blur', onBlur);
    return () => {
      for (const name of ACTIVITY_EVENTS) document.removeEventListener(name, onActivity, { capture: true });
      window.removeEventListener('blur', onBlur);
    };
  }, [activity]);

  // Arriving on a guarded screen starts a fresh idle period.
  useEffect(() => {
    if (active) activity();
  }, [active, activity]);

  const guarded = active && !blocked;
  useEffect(() => {
    if (!guarded) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [guarded]);

  const elapsed = now - lastActivityAt;
  const warning = guarded && elapsed >= idleSeconds * 1_000;
  const left = Math.max(0, Math.ceil(((idleSeconds + IDLE_COUNTDOWN_SECONDS) * 1_000 - elapsed) / 1_000));
  const expired = warning && left === 0;

  useEffect(() => setWarning(warning && !expired), [warning, expired, setWarning]);
  useEffect(() => {
    if (!expired) return;
    activity();
    onIdle();
  }, [expired, activity, onIdle]);

  if (!warning || expired) return null;
  return (
    <div className="idle-backdrop">
      <div className="idle-dialog" role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-text idle-countdown">
        <h2 id="idle-title">{t('idle.title')}</h2>
        <p id="idle-text" className="lead">
          {t('idle.text')}
        </p>
        <p id="idle-countdown" className="idle-dialog__countdown" aria-live="polite">
          {t('idle.countdown', { count: left })}
        </p>
        {/* Any touch already cancels the countdown; the button gives that touch an obvious place. */}
        <button type="button" className="button button--primary button--large" autoFocus onClick={() => activity()}>
          {t('idle.stay')}
        </button>
      </div>
    </div>
  );
}
