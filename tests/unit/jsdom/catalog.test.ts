// Every expected failure code has a French and an English sentence, and both catalogs have the same keys, feature by
// feature and once merged as the kiosk loads them.
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/errors.js';
import { mergeCatalogs } from '../../../renderer/i18n/createI18n.js';
import { agentEn } from '../../../renderer/i18n/en/agent.js';
import { agentAppointmentsEn } from '../../../renderer/i18n/en/agentAppointments.js';
import { coordinatorEn } from '../../../renderer/i18n/en/coordinator.js';
import { evaluationEn } from '../../../renderer/i18n/en/evaluation.js';
import { foundationEn } from '../../../renderer/i18n/en/foundation.js';
import { printingEn } from '../../../renderer/i18n/en/printing.js';
import { teleserviceEn } from '../../../renderer/i18n/en/teleservice.js';
import { visioEn } from '../../../renderer/i18n/en/visio.js';
import { agentFr } from '../../../renderer/i18n/fr/agent.js';
import { agentAppointmentsFr } from '../../../renderer/i18n/fr/agentAppointments.js';
import { coordinatorFr } from '../../../renderer/i18n/fr/coordinator.js';
import { evaluationFr } from '../../../renderer/i18n/fr/evaluation.js';
import { foundationFr } from '../../../renderer/i18n/fr/foundation.js';
import { printingFr } from '../../../renderer/i18n/fr/printing.js';
import { teleserviceFr } from '../../../renderer/i18n/fr/teleservice.js';
import { visioFr } from '../../../renderer/i18n/fr/visio.js';
import { KIOSK_FEATURES } from '../../../renderer/i18n/index.js';

const keysOf = (tree: object, prefix = ''): string[] =>
  Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keysOf(v as object, `${prefix}${k}.`)));

/** Every feature by its name, as in renderer/i18n/fr/<name>.ts and en/<name>.ts. */
const FEATURES = {
  foundation: { fr: foundationFr, en: foundationEn },
  visio: { fr: visioFr, en: visioEn },
  teleservice: { fr: teleserviceFr, en: teleserviceEn },
  evaluation: { fr: evaluationFr, en: evaluationEn },
  printing: { fr: printingFr, en: printingEn },
  agent: { fr: agentFr, en: agentEn },
  coordinator: { fr: coordinatorFr, en: coordinatorEn },
  agentAppointments: { fr: agentAppointmentsFr, en: agentAppointmentsEn },
};
const fr = mergeCatalogs(KIOSK_FEATURES, 'fr');
const en = mergeCatalogs(KIOSK_FEATURES, 'en');

describe('i18n catalogs', () => {
  it('translate every error code of the contract in French and English', () => {
    for (const code of ErrorCode.options) {
      expect((fr.errors as Record<string, string>)[code], `fr errors.${code}`).toBeTruthy();
      expect((en.errors as Record<string, string>)[code], `en errors.${code}`).toBeTruthy();
    }
  });

  it('have the same keys in English as in French', () => {
    expect(keysOf(en).sort()).toEqual(keysOf(fr).sort());
  });

  it.each(Object.entries(FEATURES).map(([name, feature]) => ({ name, feature })))('have the same keys in en/$name.ts as in fr/$name.ts', ({ feature }) => {
    expect(keysOf(feature.en).sort()).toEqual(keysOf(feature.fr).sort());
  });

  it('give each top-level key to one feature only, so merging them loses no text', () => {
    const owners = Object.values(FEATURES).flatMap((feature) => Object.keys(feature.fr));
    expect(owners.length).toBe(new Set(owners).size);
  });
});
