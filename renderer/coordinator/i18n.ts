// The dashboard's texts (`coordinator.*`, `enrolment.*`), French first, English second; the language is not remembered.
import { createI18n, type I18n, type Locale } from '../i18n/createI18n.js';
import { coordinatorEn } from '../i18n/en/coordinator.js';
import { coordinatorFr } from '../i18n/fr/coordinator.js';
import { fleetConfigEn } from '../i18n/en/fleetConfig.js';
import { fleetConfigFr } from '../i18n/fr/fleetConfig.js';
import { enrolmentEn } from '../i18n/en/enrolment.js';
import { enrolmentFr } from '../i18n/fr/enrolment.js';

export function initCoordinatorI18n(lng: Locale = 'fr'): I18n {
  return createI18n({ features: [
      { fr: coordinatorFr, en: coordinatorEn },
      { fr: fleetConfigFr, en: fleetConfigEn },
      { fr: enrolmentFr, en: enrolmentEn },
    ], lng });
}
