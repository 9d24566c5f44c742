// Switches between French (first) and English.
import { useTranslation } from 'react-i18next';
import { setLocale } from '../i18n/index.js';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const next = i18n.language === 'en' ? 'fr' : 'en';
  return (
    <button type="button" className="button button--small" lang={next} aria-label={t('app.languageLabel')} onClick={() => setLocale(next)}>
      {t('app.language')}
    </button>
  );
}
