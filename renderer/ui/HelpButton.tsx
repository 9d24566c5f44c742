// "Appeler le médiateur", on every visitor screen, in the bottom bar's own slot (it covers nothing); once pressed it shows
// there that a mediator is coming.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../kiosk/stores/appStore.js';
import { Icon } from './Icon.js';
import { BarSlot } from './KioskBar.js';

export function HelpButton({ screen }: { screen: string }) {
  const { t } = useTranslation();
  const help = useAppStore((s) => s.help);
  const requestHelp = useAppStore((s) => s.requestHelp);
  const [failed, setFailed] = useState(false);

  if (help.pending) {
    return (
      <BarSlot side="end">
        <div className="help help--coming" role="status" aria-live="polite">
          <Icon name="person" />
          <div>
            <strong>{t('help.coming')}</strong>
            <p>{t('help.comingHint')}</p>
          </div>
        </div>
      </BarSlot>
    );
  }
  return (
    <BarSlot side="end">
      <div className="help">
        <button
          type="button"
          className="button button--help"
          aria-describedby="help-hint"
          onClick={() => {
            setFailed(false);
            requestHelp(screen).catch(() => setFailed(true));
          }}
        >
          <Icon name="hand" />
          {t('help.call')}
        </button>
        <p id="help-hint" className="visually-hidden">
          {t('help.callHint')}
        </p>
        {failed && (
          <p role="alert" className="error">
            {t('errors.NETWORK')}
          </p>
        )}
      </div>
    </BarSlot>
  );
}
