// An expected failure of a guided online service, in plain words: this feature's texts first, then the general ones.
import { useTranslation } from 'react-i18next';
import type { UiError } from '../stores/appStore.js';

export function TeleserviceError({ error }: { error: UiError | null }) {
  const { t } = useTranslation();
  if (!error) return null;
  const general = t(`errors.${error.code}`, { defaultValue: t('errors.INTERNAL') });
  return (
    <p role="alert" className="error">
      {t(`teleservice.errors.${error.code}`, { defaultValue: general })}
    </p>
  );
}
