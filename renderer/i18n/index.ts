// The kiosk's texts: every feature's catalog (the booth's screens, plus the console's and the dashboard's texts it has
// always carried), French first and English second; the chosen language is remembered on the device.
import { changeLocale, createI18n, type I18n, type Locale } from './createI18n.js';
import { agent, coordinator, evaluation, foundation, printing, teleservice, visio } from './features.js';

export type { Locale } from './createI18n.js';

export const KIOSK_FEATURES = [foundation, visio, teleservice, evaluation, printing, agent, coordinator] as const;
const STORAGE_KEY = 'relais.locale';

export function initI18n(locale?: Locale): I18n {
  return createI18n({ features: KIOSK_FEATURES, lng: locale, storageKey: STORAGE_KEY });
}

export function setLocale(locale: Locale): void {
  changeLocale(locale, STORAGE_KEY);
}
