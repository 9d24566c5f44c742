// Calls a contract verb: validates input, checks the mediator session (handing mediator-only handlers who acts), runs the
// handler, validates output.
// Both shells (Electron IPC and the web shell) go through here, so they behave identically.
import { contract, isVerbName, type VerbInput, type VerbName, type VerbOutput, type WireResult } from '../../shared/contract/index.js';
import { ExpectedError, type ErrorCode } from '../../shared/errors.js';
import type { Logger } from './logger.js';

type ParsedInput<V extends VerbName> = import('zod').z.output<(typeof contract)[V]['input']>;

/** What dispatch hands the handler of a mediator-only verb, once the session is checked. */
export interface MediatorContext {
  /** The id of the signed-in mediator who acts. */
  mediator: number;
}

/** The handler of one verb: a mediator-only verb's handler also receives the mediator who acts. */
export type Handler<V extends VerbName> = (typeof contract)[V]['mediatorOnly'] extends true
  ? (input: ParsedInput<V>, context: MediatorContext) => VerbOutput<V> | Promise<VerbOutput<V>>
  : (input: ParsedInput<V>) => VerbOutput<V> | Promise<VerbOutput<V>>;

/** One handler per verb of the contract (or of a part of it, `Handlers<FeatureVerb>`): the compiler refuses a missing one. */
export type Handlers<K extends VerbName = VerbName> = { [V in K]: Handler<V> };

export interface DispatchDeps {
  handlers: Handlers;
  /** Throws ExpectedError('NOT_UNLOCKED') when no mediator session is open; otherwise keeps it alive and says who acts. */
  requireMediator(): MediatorContext;
  logger: Logger;
}

const failure = (code: ErrorCode, message: string, details?: Record<string, string | number>): WireResult<never> => ({
  ok: false,
  error: details ? { code, message, details } : { code, message },
});

export async function dispatch(deps: DispatchDeps, verbName: unknown, rawInput: unknown): Promise<WireResult<unknown>> {
  if (!isVerbName(verbName)) {
    deps.logger.warn({ code: 'UNKNOWN_VERB', verb: String(verbName).slice(0, 60) }, 'unknown verb refused');
    return failure('UNKNOWN_VERB', 'Unknown verb');
  }
  const spec = contract[verbName];
  const parsed = spec.input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    deps.logger.info({ code: 'INVALID_INPUT', verb: verbName, issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`) }, 'invalid input');
    return failure('INVALID_INPUT', parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; '));
  }
  try {
    const context = spec.mediatorOnly ? deps.requireMediator() : undefined;
    const handler = deps.handlers[verbName] as (input: unknown, context: MediatorContext | undefined) => unknown;
    const value = await handler(parsed.data, context);
    const checked = spec.output.safeParse(value);
    if (!checked.success) {
      deps.logger.error({ code: 'INVALID_OUTPUT', verb: verbName, issues: checked.error.issues.slice(0, 5) }, 'handler returned a value outside the contract');
      return failure('INTERNAL', 'Internal error');
    }
    return { ok: true, value: checked.data };
  } catch (cause) {
    if (cause instanceof ExpectedError) return failure(cause.code, cause.message, cause.details);
    deps.logger.error({ code: 'HANDLER_FAILED', verb: verbName, err: cause }, 'handler threw');
    return failure('INTERNAL', 'Internal error');
  }
}

export type { VerbInput };
