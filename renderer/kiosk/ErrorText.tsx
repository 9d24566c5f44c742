// Shows an expected failure in plain words, translated from its code; when the failure stops the visitor (no printer,
// no visio), the mediator is called with the reason and the visitor told so (MediatorAlerted).
import { useTranslation } from 'react-i18next';
import type { HelpPlace } from '../../shared/contract/index.js';
import type { UiError } from './stores/appStore.js';
import { MediatorAlerted } from './HelpButton.js';

/** Failures a visitor cannot get past alone, and the reason the mediator then reads. */
const NEEDS_MEDIATOR: Readonly<Record<string, HelpPlace>> = { NO_PRINTER: 'print', PRINT_UNAVAILABLE: 'print', HUB_UNAVAILABLE: 'visio' };

export function ErrorText({ error }: { error: UiError | null }) {
  const { t } = useTranslation();
  if (!error) return null;
  const key = `errors.${error.code}`;
  const place = NEEDS_MEDIATOR[error.code];
  return (
    <>
      <p role="alert" className="error">
        {t(key, { defaultValue: t('errors.INTERNAL') })}
      </p>
      {place && <MediatorAlerted place={place} />}
    </>
  );
}
