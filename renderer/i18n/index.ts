// The kiosk's texts: every feature's catalog (the booth's screens, plus the console's and the dashboard's texts it has
// always carried), French first and English second; the chosen language is remembered on the device.
import { changeLocale, createI18n, type FeatureCatalog, type I18n, type Locale } from './createI18n.js';
import { agentEn } from './en/agent.js';
import { appointmentsEn } from './en/appointments.js';
import { coordinatorEn } from './en/coordinator.js';
import { evaluationEn } from './en/evaluation.js';
import { foundationEn } from './en/foundation.js';
import { printingEn } from './en/printing.js';
import { teleserviceEn } from './en/teleservice.js';
import { visioEn } from './en/visio.js';
import { fleetConfigEn } from './en/fleetConfig.js';
import { setupEn } from './en/setup.js';
import { enrolmentEn } from './en/enrolment.js';
import { agentFr } from './fr/agent.js';
import { appointmentsFr } from './fr/appointments.js';
import { coordinatorFr } from './fr/coordinator.js';
import { evaluationFr } from './fr/evaluation.js';
import { foundationFr } from './fr/foundation.js';
import { printingFr } from './fr/printing.js';
import { teleserviceFr } from './fr/teleservice.js';
import { visioFr } from './fr/visio.js';
import { fleetConfigFr } from './fr/fleetConfig.js';
import { setupFr } from './fr/setup.js';
import { enrolmentFr } from './fr/enrolment.js';

export type { Locale } from './createI18n.js';

export const KIOSK_FEATURES: readonly FeatureCatalog[] = [
  { fr: foundationFr, en: foundationEn },
  { fr: visioFr, en: visioEn },
  { fr: teleserviceFr, en: teleserviceEn },
  { fr: evaluationFr, en: evaluationEn },
  { fr: printingFr, en: printingEn },
  { fr: appointmentsFr, en: appointmentsEn },
  { fr: agentFr, en: agentEn },
  { fr: coordinatorFr, en: coordinatorEn },
  { fr: fleetConfigFr, en: fleetConfigEn },
  { fr: setupFr, en: setupEn },
  { fr: enrolmentFr, en: enrolmentEn },
];
const STORAGE_KEY = 'relais.locale';

export function initI18n(locale?: Locale): I18n {
  return createI18n({ features: KIOSK_FEATURES, lng: locale, storageKey: STORAGE_KEY });
}

export function setLocale(locale: Locale): void {
  changeLocale(locale, STORAGE_KEY);
}
