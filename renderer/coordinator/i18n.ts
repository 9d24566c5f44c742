// The dashboard's own i18next instance: the `coordinator` and `services` texts, French first, English second.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { evaluationEn } from '../i18n/evaluation.en.js';
import { evaluationFr } from '../i18n/evaluation.fr.js';

export function initCoordinatorI18n(lng: 'fr' | 'en' = 'fr'): typeof i18next {
  void i18next.use(initReactI18next).init({
    resources: { fr: { translation: { coordinator: evaluationFr.coordinator } }, en: { translation: { coordinator: evaluationEn.coordinator } } },
    lng,
    fallbackLng: 'fr',
    interpolation: { escapeValue: false },
    initImmediate: false,
    showSupportNotice: false,
  });
  document.documentElement.lang = lng;
  return i18next;
}
