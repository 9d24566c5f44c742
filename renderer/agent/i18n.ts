// The agents' console's texts: its own (`agent.*`) and the call UI it shares with the booth (`call.*`), French first,
// English second; the chosen language is remembered on the device, apart from the kiosk's.
import { changeLocale, createI18n, type I18n, type Locale } from '../i18n/createI18n.js';
import { agentEn } from '../i18n/en/agent.js';
import { agentAppointmentsEn } from '../i18n/en/agentAppointments.js';
import { visioEn } from '../i18n/en/visio.js';
import { agentFr } from '../i18n/fr/agent.js';
import { agentAppointmentsFr } from '../i18n/fr/agentAppointments.js';
import { visioFr } from '../i18n/fr/visio.js';

const STORAGE_KEY = 'relais.agent.locale';

export function initAgentI18n(): I18n {
  return createI18n({ features: [{ fr: agentFr, en: agentEn }, { fr: visioFr, en: visioEn }, { fr: agentAppointmentsFr, en: agentAppointmentsEn }], storageKey: STORAGE_KEY });
}

export function setAgentLocale(lng: Locale): void {
  changeLocale(lng, STORAGE_KEY);
}
