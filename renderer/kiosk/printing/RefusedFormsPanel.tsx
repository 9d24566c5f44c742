// The forms panel of the devices tab: the files of the forms folder that visitors are not offered, and why.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RefusedForm } from '../../../shared/contract/index.js';
import { useBridge } from '../../bridge/BridgeContext.js';
import { unwrap } from '../../bridge/index.js';
import { ErrorText } from '../ErrorText.js';
import { toUiError, type UiError } from '../stores/appStore.js';

/** The files of the forms folder that visitors are not offered, each with its reason in French. */
export function RefusedFormsPanel() {
  const bridge = useBridge();
  const { t } = useTranslation();
  const [refused, setRefused] = useState<RefusedForm[] | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  useEffect(() => {
    unwrap(bridge.forms.refused({}))
      .then(setRefused)
      .catch((cause: unknown) => setError(toUiError(cause)));
  }, [bridge]);
  return (
    <section aria-labelledby="refused-forms-title" data-testid="refused-forms">
      <h2 id="refused-forms-title">{t('forms.refused.title')}</h2>
      <ErrorText error={error} />
      {refused && refused.length === 0 && <p>{t('forms.refused.none')}</p>}
      {refused && refused.length > 0 && (
        <>
          <p>{t('forms.refused.intro')}</p>
          <ul className="refused-forms">
            {refused.map((r) => (
              <li key={r.file} data-reason={r.reason}>
                <strong>{r.file}</strong> : {t(`forms.refused.reason.${r.reason}`)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
