// The contract between the kiosk's renderer and its main process: every verb and event, with zod schemas (STYLE.md).
// Each feature declares its part in shared/contract/<feature>.ts; this file joins them and derives the types.
import { z } from 'zod';
import { ErrorPayload } from '../errors.js';
import { foundationEvents, foundationVerbs } from './foundation.js';
import { visioVerbs } from './visio.js';
import { teleserviceEvents, teleserviceVerbs } from './teleservice.js';
import { evaluationEvents, evaluationVerbs } from './evaluation.js';
import { printingEvents, printingVerbs } from './printing.js';
import { appointmentsVerbs } from './appointments.js';
import { fleetVerbs } from './fleet.js';
import { updatesVerbs } from './updates.js';
import { fleetConfigVerbs } from './fleetConfig.js';
import { setupVerbs } from './setup.js';

export * from './foundation.js';
export * from './visio.js';
export * from './teleservice.js';
export * from './evaluation.js';
export * from './printing.js';
export * from './appointments.js';
export * from './fleet.js';
export * from './updates.js';
export * from './fleetConfig.js';
export * from './setup.js';
export type { VerbSpec } from './verb.js';

export const contract = {
  ...foundationVerbs,
  ...visioVerbs,
  ...teleserviceVerbs,
  ...evaluationVerbs,
  ...printingVerbs,
  ...appointmentsVerbs,
  ...fleetVerbs,
  ...updatesVerbs,
  ...fleetConfigVerbs,
  ...setupVerbs,
} as const;

/** Events main pushes to the renderer. */
export const events = {
  ...foundationEvents,
  ...teleserviceEvents,
  ...evaluationEvents,
  ...printingEvents,
} as const;

export type Contract = typeof contract;
export type VerbName = keyof Contract;
export type EventName = keyof typeof events;
export type VerbInput<V extends VerbName> = z.input<Contract[V]['input']>;
export type VerbOutput<V extends VerbName> = z.output<Contract[V]['output']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const WireResult = z.union([z.object({ ok: z.literal(true), value: z.unknown() }), z.object({ ok: z.literal(false), error: ErrorPayload })]);
export type WireResult<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };

export const VERB_NAMES = Object.keys(contract) as VerbName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];
export const isVerbName = (name: unknown): name is VerbName => typeof name === 'string' && Object.hasOwn(contract, name);
export const isEventName = (name: unknown): name is EventName => typeof name === 'string' && Object.hasOwn(events, name);

/** Channel used on IPC for a verb; one per verb, so an unknown channel is simply never handled. */
export const channelOf = (verbName: VerbName): string => `relais:${verbName}`;
export const EVENT_CHANNEL = 'relais:event';

type Group<K> = K extends `${infer G}.${string}` ? G : never;
type Rest<K, G extends string> = K extends `${G}.${infer R}` ? R : never;
type Camel<S extends string> = S extends `${infer A}.${infer B}` ? `${A}${Capitalize<Camel<B>>}` : S;

/** `window.relais`: one function per verb, grouped by the verb's prefix (`relais.visits.record(...)`). */
export type RelaisApi = {
  [G in Group<VerbName>]: {
    [V in VerbName as V extends `${G}.${string}` ? Camel<Rest<V, G>> : never]: (input: VerbInput<V>) => Promise<WireResult<VerbOutput<V>>>;
  };
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

/** Splits `visits.listDay` into its group and member name as used on `window.relais`. */
export function apiPathOf(verbName: VerbName): [group: string, member: string] {
  const [group, ...rest] = verbName.split('.');
  const member = rest.map((p, i) => (i === 0 ? p : p.charAt(0).toUpperCase() + p.slice(1))).join('');
  return [group ?? verbName, member];
}
