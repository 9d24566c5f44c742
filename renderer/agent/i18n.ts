// The agents' console's texts: its own (`agent.*`) and the call UI it shares with the booth (`call.*`), French first,
// English second; the chosen language is remembered on the device, apart from the kiosk's.
import { changeLocale, createI18n, type I18n, type Locale } from '../i18n/createI18n.js';
import { agent, visio } from '../i18n/features.js';

const STORAGE_KEY = 'relais.agent.locale';

export function initAgentI18n(): I18n {
  return createI18n({ features: [agent, visio], storageKey: STORAGE_KEY });
}

export function setAgentLocale(lng: Locale): void {
  changeLocale(lng, STORAGE_KEY);
}
