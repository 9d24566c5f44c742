// A typed fake of `window.relais` for component and store tests: each verb answers from a table the test fills.
import { apiPathOf, VERB_NAMES, type EventName, type RelaisApi, type VerbName, type WireResult } from '../../../shared/contract.js';

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
