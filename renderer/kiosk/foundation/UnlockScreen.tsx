// Mediator unlock: a PIN typed on the keyboard or on a large on-screen pad; wrong PINs count down to a lock, which
// grows longer each time (5 min up to 24 h, services/foundation/auth.ts): the screen says until when, with the day if not today.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { dayKeyOf } from '../../../shared/time.js';
import { formatTime, formatWeekdayDate } from '../../i18n/format.js';
import { Icon } from '../../ui/Icon.js';
import { BarSlot } from '../../ui/KioskBar.js';
import { useAppStore, type UiError } from '../stores/appStore.js';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];

export function UnlockScreen() {
  const { t, i18n } = useTranslation();
  const info = useAppStore((s) => s.info);
  const auth = useAppStore((s) => s.auth);
  const unlock = useAppStore((s) => s.unlock);
  const go = useAppStore((s) => s.go);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<UiError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (busy || pin === '') return;
    setBusy(true);
    setPin('');
    const failure = await unlock(pin);
    setBusy(false);
    setError(failure);
  };

  const lockedUntil = error?.code === 'PIN_LOCKED' ? Number(error.details?.lockedUntil ?? auth.lockedUntil) : auth.lockedUntil;
  let message: string | null = null;
  if (error?.code === 'WRONG_PIN') message = t('unlock.wrongPin', { count: Number(error.details?.remaining ?? 0) });
  else if (lockedUntil && lockedUntil > (info?.now ?? 0) && (error?.code === 'PIN_LOCKED' || auth.failures >= 5)) {
    const time = formatTime(lockedUntil, i18n.language);
    message =
      info && dayKeyOf(lockedUntil) === dayKeyOf(info.now)
        ? t('unlock.locked', { time })
        : t('unlock.lockedOnDay', { day: formatWeekdayDate(lockedUntil, i18n.language), time });
  } else if (error) message = t(`errors.${error.code}`, { defaultValue: t('errors.INTERNAL') });

  return (
    <main className="screen screen--unlock" aria-labelledby="unlock-title">
      <BarSlot side="start">
        <button type="button" className="button button--back" onClick={() => go({ name: 'home' })}>
          <Icon name="back" />
          {t('unlock.cancel')}
        </button>
      </BarSlot>
      <form className="pin-form" onSubmit={(e) => void submit(e)}>
        <div className="pin-form__side">
          <h1 id="unlock-title">{t('unlock.title')}</h1>
          {info?.demo && info.demoPin && <p className="demo-note">{t('unlock.demoPin', { pin: info.demoPin })}</p>}
          <label htmlFor="pin">{t('unlock.pinLabel')}</label>
          <input
            id="pin"
            className="pin-input"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            maxLength={8}
            value={pin}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
            aria-describedby={message ? 'pin-message' : undefined}
            autoFocus
          />
          <button type="submit" className="button button--primary pin-form__submit" disabled={busy || pin === ''}>
            <Icon name="check" />
            {t('unlock.submit')}
          </button>
          {/* Under the field the mediator is looking at: a wrong PIN is said where the PIN was typed. */}
          {message && (
            <p id="pin-message" role="alert" className="error">
              {message}
            </p>
          )}
        </div>
        <div className="pin-pad" role="group" aria-label={t('unlock.pad')}>
          {DIGITS.map((d) => (
            <button key={d} type="button" className="button pin-pad__key" aria-label={t('unlock.digit', { digit: d })} onClick={() => setPin((p) => (p + d).slice(0, 8))}>
              {d}
            </button>
          ))}
          <button type="button" className="button pin-pad__key" onClick={() => setPin('')}>
            {t('unlock.clear')}
          </button>
        </div>
      </form>
    </main>
  );
}
