// A typed fake of `window.relais` for component and store tests: each verb answers from a table the test fills.
import { apiPathOf, VERB_NAMES, type AppInfo, type EventName, type OrganisationWithState, type RelaisApi, type VerbName, type WireResult } from '../../../shared/contract/index.js';

export type FakeAnswers = Partial<Record<VerbName, (input: unknown) => WireResult<unknown>>>;

export function fakeBridge(answers: FakeAnswers): { api: RelaisApi; calls: { verb: VerbName; input: unknown }[]; emit(name: EventName, payload: unknown): void } {
  const calls: { verb: VerbName; input: unknown }[] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const api: Record<string, unknown> = {
    on(name: EventName, listener: (p: unknown) => void) {
      const set = listeners.get(name) ?? new Set();
      set.add(listener);
      listeners.set(name, set);
      return () => set.delete(listener);
    },
  };
  for (const verb of VERB_NAMES) {
    const [group, member] = apiPathOf(verb);
    const target = (api[group] ??= {}) as Record<string, unknown>;
    target[member] = async (input: unknown) => {
      calls.push({ verb, input });
      const answer = answers[verb];
      return answer ? answer(input) : { ok: false, error: { code: 'INTERNAL', message: `no fake answer for ${verb}` } };
    };
  }
  return {
    api: api as RelaisApi,
    calls,
    emit(name, payload) {
      for (const l of listeners.get(name) ?? []) l(payload);
    },
  };
}

/** The screens' tests' instant: Wednesday 25 November 2026, 10:00 in Paris. */
export const NOW = Date.parse('2026-11-25T09:00:00Z');

/** `app.info` of the demo site at NOW. */
export const DEMO_INFO: AppInfo = { siteName: 'Site de démonstration', commune: 'Saint-Céré', demo: true, demoPin: '1234', now: NOW, version: '0.1.0' };

/** An organisation as the home lists it, with visio hours 09:00–12:00 on one weekday (ISO, 1 = Monday). */
export const organisationAt = (code: string, name: string, visio: OrganisationWithState['visio'], weekday = 3): OrganisationWithState => ({
  code,
  name,
  position: 0,
  openingHours: [{ weekday, from: '09:00', to: '12:00' }],
  correspondent: '',
  active: true,
  visio,
});
