// Each feature's catalogs by the feature's name, French (the reference) and English: an app picks the features whose
// screens it shows and hands them to createI18n. Keys are those of the catalogs (`call.start`, `coordinator.title`…).
import { agentEn } from './en/agent.js';
import { coordinatorEn } from './en/coordinator.js';
import { evaluationEn } from './en/evaluation.js';
import { foundationEn } from './en/foundation.js';
import { printingEn } from './en/printing.js';
import { teleserviceEn } from './en/teleservice.js';
import { visioEn } from './en/visio.js';
import { agentFr } from './fr/agent.js';
import { coordinatorFr } from './fr/coordinator.js';
import { evaluationFr } from './fr/evaluation.js';
import { foundationFr } from './fr/foundation.js';
import { printingFr } from './fr/printing.js';
import { teleserviceFr } from './fr/teleservice.js';
import { visioFr } from './fr/visio.js';

/** One feature's texts in both languages; each English catalog is already typed against its French one. */
export interface FeatureCatalog {
  fr: object;
  en: object;
}

export const foundation = { fr: foundationFr, en: foundationEn } satisfies FeatureCatalog;
export const visio = { fr: visioFr, en: visioEn } satisfies FeatureCatalog;
export const teleservice = { fr: teleserviceFr, en: teleserviceEn } satisfies FeatureCatalog;
export const evaluation = { fr: evaluationFr, en: evaluationEn } satisfies FeatureCatalog;
export const printing = { fr: printingFr, en: printingEn } satisfies FeatureCatalog;
export const agent = { fr: agentFr, en: agentEn } satisfies FeatureCatalog;
export const coordinator = { fr: coordinatorFr, en: coordinatorEn } satisfies FeatureCatalog;
