// Shows an expected failure in plain words, translated from its code.
import { useTranslation } from 'react-i18next';
import type { UiError } from '../kiosk/stores/appStore.js';

export function ErrorText({ error }: { error: UiError | null }) {
  const { t } = useTranslation();
  if (!error) return null;
  const key = `errors.${error.code}`;
  return (
    <p role="alert" className="error">
      {t(key, { defaultValue: t('errors.INTERNAL') })}
    </p>
  );
}
