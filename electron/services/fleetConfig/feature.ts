// The department's configuration as a kiosk feature: `fleetConfig.apply` (a `config.apply` frame the renderer received
// from the hub) and `fleetConfig.state`, plus the verbs of other features that the configuration governs: the guides,
// documents and charter offered follow it, and the mediator's own settings for a department-managed field are refused
// (the settings screen shows them read-only, « géré par le département »).
import type { fleetConfigVerbs } from '../../../shared/contract/fleetConfig.js';
import { ExpectedError } from '../../../shared/errors.js';
import type { BoothCatalogue } from '../../../shared/fleetConfig.js';
import type { KioskCore } from '../core.js';
import type { Handlers } from '../dispatch.js';
import { createFleetConfigStore, type FleetConfigStore } from './store.js';

export type FleetConfigVerb = keyof typeof fleetConfigVerbs;

/** The verbs whose answer the configuration changes, wrapped around the features' own handlers. */
type GovernedVerb =
  | 'guides.list'
  | 'teleservice.start'
  | 'documents.list'
  | 'documents.preview'
  | 'documents.print'
  | 'charter.get'
  | 'teleservice.setIdle'
  | 'settings.saveOrganisation'
  | 'evaluation.setSettings';

export interface FleetConfigFeatureOptions {
  /** The handlers the other features built (the governed verbs delegate to them). */
  previous: Handlers;
  /** Ids (file names) of the guide files the booth refused at start. */
  invalidGuides: readonly string[];
}

export interface FleetConfigFeature {
  /** Its own verbs, and the governed verbs that some feature of this kiosk handles. */
  handlers: Partial<Handlers<FleetConfigVerb | GovernedVerb>>;
  store: FleetConfigStore;
}

const managed = (what: string): ExpectedError => new ExpectedError('MANAGED_BY_DEPARTMENT', `${what} : géré par le département.`);

export function createFleetConfigFeature(core: KioskCore, options: FleetConfigFeatureOptions): FleetConfigFeature {
  const { previous } = options;
  const store = createFleetConfigStore({ db: core.db, clock: core.clock, logger: core.logger, onApplied: () => core.emit('settings.changed', { at: core.clock() }) });
  const offered = (list: readonly string[] | null | undefined, id: string): boolean => !list || list.includes(id);
  const guidesOffered = () => store.current()?.config.guidesOffered;
  const documentsOffered = () => store.current()?.config.documentsOffered;

  // A kiosk composed without printing (tests, a reduced shell) has no documents: none may then be offered.
  const wired = previous as Partial<Handlers>;
  const catalogue = async (): Promise<BoothCatalogue> => ({
    guides: (await previous['guides.list']({})).map((g) => ({ id: g.id, organisation: g.organisation })),
    invalidGuides: options.invalidGuides,
    documents: wired['documents.list'] ? (await wired['documents.list']({})).map((d) => ({ id: d.id, organisation: d.organisation })) : [],
  });

  const handlers: Handlers<FleetConfigVerb | GovernedVerb> = {
      'fleetConfig.apply': async ({ version, config }) => store.apply(version, config, await catalogue()),
      'fleetConfig.state': () => store.state(),

      'guides.list': async (input) => (await previous['guides.list'](input)).filter((g) => offered(guidesOffered(), g.id)),
      'teleservice.start': async (input) => {
        if (!offered(guidesOffered(), input.guideId)) throw new ExpectedError('NOT_FOUND', `Guide inconnu : ${input.guideId}`);
        return previous['teleservice.start'](input);
      },
      'documents.list': async (input) => (await previous['documents.list'](input)).filter((d) => offered(documentsOffered(), d.id)),
      'documents.preview': async (input) => {
        if (!offered(documentsOffered(), input.id)) throw new ExpectedError('NOT_FOUND', 'Document introuvable.');
        return previous['documents.preview'](input);
      },
      'documents.print': async (input) => {
        if (!offered(documentsOffered(), input.id)) throw new ExpectedError('NOT_FOUND', 'Document introuvable.');
        return previous['documents.print'](input);
      },
      'charter.get': async (input) => store.current()?.config.charter ?? previous['charter.get'](input),

      'teleservice.setIdle': (input, context) => {
        if (store.current()) throw managed('Délai d’inactivité');
        return previous['teleservice.setIdle'](input, context);
      },
      'settings.saveOrganisation': (input, context) => {
        if (store.current()) throw managed('Organismes et horaires de visio');
        return previous['settings.saveOrganisation'](input, context);
      },
      'evaluation.setSettings': (input, context) => {
        if (store.current() && input.surveyMode !== undefined) throw managed('Période du questionnaire');
        return previous['evaluation.setSettings'](input, context);
      },
  };
  const present = Object.entries(handlers).filter(([verb]) => verb.startsWith('fleetConfig.') || wired[verb as GovernedVerb] !== undefined);
  return { store, handlers: Object.fromEntries(present) as Partial<Handlers<FleetConfigVerb | GovernedVerb>> };
}
