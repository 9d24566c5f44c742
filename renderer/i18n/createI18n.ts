// The one i18next set-up of the kiosk, the agents' console and the coordinator's dashboard: each passes the features
// it shows, merged into one tree per language (so keys stay `feature.key`), French first and fallback, English second.
import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';

export type Locale = 'fr' | 'en';
export type { I18n };

/**
 * One feature's texts in both languages, from renderer/i18n/fr/<feature>.ts and en/<feature>.ts (each English catalog
 * is typed against its French one there). Each app imports only the catalogs it shows, so the agents' console and the
 * dashboard do not download the kiosk's texts.
 */
export interface FeatureCatalog {
  fr: object;
  en: object;
}

export interface I18nOptions {
  features: readonly FeatureCatalog[];
  /** The language to start in; without it, the one remembered under `storageKey`, else French. */
  lng?: Locale;
  /** Where this app remembers the chosen language on the device; none: not remembered. */
  storageKey?: string;
}

/** The features' catalogs of one language as the single tree i18next reads; no two features share a top-level key. */
export function mergeCatalogs(features: readonly FeatureCatalog[], locale: Locale): Record<string, unknown> {
  return Object.assign({}, ...features.map((f) => f[locale])) as Record<string, unknown>;
}

export function createI18n({ features, lng, storageKey }: I18nOptions): I18n {
  const stored = storageKey === undefined || typeof localStorage === 'undefined' ? null : localStorage.getItem(storageKey);
  const language: Locale = lng ?? (stored === 'en' ? 'en' : 'fr');
  void i18next.use(initReactI18next).init({
    resources: { fr: { translation: mergeCatalogs(features, 'fr') }, en: { translation: mergeCatalogs(features, 'en') } },
    lng: language,
    fallbackLng: 'fr',
    interpolation: { escapeValue: false },
    returnNull: false,
    initImmediate: false,
    showSupportNotice: false,
  });
  document.documentElement.lang = language;
  return i18next;
}

/** Switches the running app's language, on the page's `lang` too, and remembers it under `storageKey` if given. */
export function changeLocale(locale: Locale, storageKey?: string): void {
  void i18next.changeLanguage(locale);
  document.documentElement.lang = locale;
  if (storageKey !== undefined) localStorage.setItem(storageKey, locale);
}
