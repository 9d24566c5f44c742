// i18next for the agents' console: the `agent.*` and `call.*` subtrees in French first, English second.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { agentEn, callEn } from '../call/i18n.en.js';
import { agentFr, callFr } from '../call/i18n.fr.js';

const STORAGE_KEY = 'relais.agent.locale';

export function initAgentI18n(): typeof i18next {
  const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  const lng = stored === 'en' ? 'en' : 'fr';
  void i18next.use(initReactI18next).init({
    resources: { fr: { translation: { agent: agentFr, call: callFr } }, en: { translation: { agent: agentEn, call: callEn } } },
    lng,
    fallbackLng: 'fr',
    interpolation: { escapeValue: false },
    returnNull: false,
    initImmediate: false,
    showSupportNotice: false,
  });
  document.documentElement.lang = lng;
  return i18next;
}

export function setAgentLocale(lng: 'fr' | 'en'): void {
  void i18next.changeLanguage(lng);
  document.documentElement.lang = lng;
  localStorage.setItem(STORAGE_KEY, lng);
}
