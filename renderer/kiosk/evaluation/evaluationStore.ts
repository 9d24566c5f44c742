// The evaluation tools as the screens see them: the one place of the renderer that calls main's evaluation verbs
// (survey, charter, audit, incidents, reports, settings and the weekly sending) and listens to their events.
// The screens keep their own drafts, notices and errors; what they load comes through here.
import { createStore, useStore, type StoreApi } from 'zustand';
import type { CharterValue, EventPayload, VerbInput, VerbOutput, RelaisApi } from '../../../shared/contract/index.js';
import { unwrap } from '../../bridge/index.js';
import { useKioskStores } from '../stores/storesContext.js';

type AuditDue = VerbOutput<'audit.due'>;

export interface EvaluationStore {
  /** Whether the survey is offered after this service, with its questions and scale. */
  surveyOffer(service: VerbInput<'survey.offer'>['service']): Promise<VerbOutput<'survey.offer'>>;
  /** Stores the answers anonymously (the organisation and the type of service only). */
  recordSurvey(input: VerbInput<'survey.record'>): Promise<VerbOutput<'survey.record'>>;

  /** The charter already read with this bridge, if any. */
  readCharter(): CharterValue | undefined;
  /** Reads the charter once per launch (per bridge); a failed read is forgotten, so the next home tries again. */
  loadCharter(): Promise<CharterValue>;

  auditDue(): Promise<AuditDue>;
  /** This month's audit (due or done) and the history of the past ones. */
  auditOverview(): Promise<{ due: AuditDue; history: VerbOutput<'audit.history'> }>;
  recordAudit(input: VerbInput<'audit.record'>): Promise<VerbOutput<'audit.record'>>;
  onAuditChanged(listener: (payload: EventPayload<'audit.changed'>) => void): () => void;

  incidents(filter: 'open' | 'all'): Promise<VerbOutput<'incidents.list'>>;
  openIncident(input: VerbInput<'incidents.open'>): Promise<VerbOutput<'incidents.open'>>;
  resolveIncident(input: VerbInput<'incidents.resolve'>): Promise<VerbOutput<'incidents.resolve'>>;
  onIncidentsChanged(listener: () => void): () => void;

  monthReport(month: string): Promise<VerbOutput<'reports.month'>>;
  reportPdf(month: string): Promise<VerbOutput<'reports.pdf'>>;
  visitsCsv(range: VerbInput<'reports.csv'>): Promise<VerbOutput<'reports.csv'>>;

  /** The evaluation settings and the state of the weekly sending to the hub. */
  settingsAndSync(): Promise<{ settings: VerbOutput<'evaluation.settings'>; sync: VerbOutput<'sync.status'> }>;
  saveSettings(patch: VerbInput<'evaluation.setSettings'>): Promise<VerbOutput<'evaluation.setSettings'>>;
  /** Sends the waiting weeks now, whatever their backoff. */
  sendNow(): Promise<VerbOutput<'sync.now'>>;
}

/** The charter read this launch, per bridge: a kiosk's bridge lives as long as the page, a test's as long as the test. */
const readCharters = new WeakMap<object, CharterValue>();
const readings = new WeakMap<object, Promise<CharterValue>>();

export const createEvaluationStore = (bridge: RelaisApi): StoreApi<EvaluationStore> => createStore<EvaluationStore>()(() => ({
  surveyOffer: (service) => unwrap(bridge.survey.offer({ service })),
  recordSurvey: (input) => unwrap(bridge.survey.record(input)),

  readCharter: () => readCharters.get(bridge),
  loadCharter() {
    let reading = readings.get(bridge);
    if (!reading) {
      reading = unwrap(bridge.charter.get({})).then(
        (charter) => {
          readCharters.set(bridge, charter);
          return charter;
        },
        (cause: unknown) => {
          readings.delete(bridge);
          throw cause;
        },
      );
      readings.set(bridge, reading);
    }
    return reading;
  },

  auditDue: () => unwrap(bridge.audit.due({})),
  async auditOverview() {
    const [due, history] = await Promise.all([unwrap(bridge.audit.due({})), unwrap(bridge.audit.history({}))]);
    return { due, history };
  },
  recordAudit: (input) => unwrap(bridge.audit.record(input)),
  onAuditChanged: (listener) => bridge.on('audit.changed', listener),

  incidents: (filter) => unwrap(bridge.incidents.list(filter === 'open' ? { status: 'open' } : {})),
  openIncident: (input) => unwrap(bridge.incidents.open(input)),
  resolveIncident: (input) => unwrap(bridge.incidents.resolve(input)),
  onIncidentsChanged: (listener) => bridge.on('incidents.changed', listener),

  monthReport: (month) => unwrap(bridge.reports.month({ month })),
  reportPdf: (month) => unwrap(bridge.reports.pdf({ month })),
  visitsCsv: (range) => unwrap(bridge.reports.csv(range)),

  async settingsAndSync() {
    const [settings, sync] = await Promise.all([unwrap(bridge.evaluation.settings({})), unwrap(bridge.sync.status({}))]);
    return { settings, sync };
  },
  saveSettings: (patch) => unwrap(bridge.evaluation.setSettings(patch)),
  sendNow: () => unwrap(bridge.sync.now({})),
}));

/** The app's evaluation store (from KioskProviders), as a zustand hook: whole, or through a selector. */
export function useEvaluationStore(): EvaluationStore;
export function useEvaluationStore<T>(selector: (state: EvaluationStore) => T): T;
export function useEvaluationStore<T>(selector?: (state: EvaluationStore) => T): T | EvaluationStore {
  const store = useKioskStores().evaluation;
  return useStore<StoreApi<EvaluationStore>, T | EvaluationStore>(store, selector ?? ((state) => state));
}
