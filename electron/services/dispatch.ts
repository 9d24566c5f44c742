// Calls a contract verb: validates input, checks the mediator session, runs the handler, validates output.
// Both shells (Electron IPC and the web shell) go through here, so they behave identically.
import { contract, isVerbName, type VerbInput, type VerbName, type VerbOutput, type WireResult } from '../../shared/contract.js';
import { ExpectedError, type ErrorCode } from '../../shared/errors.js';
import type { Logger } from './logger.js';

type ParsedInput<V extends VerbName> = import('zod').z.output<(typeof contract)[V]['input']>;

/** One handler per verb of the contract: the compiler refuses a missing one. */
export type Handlers = { [V in VerbName]: (input: ParsedInput<V>) => VerbOutput<V> | Promise<VerbOutput<V>> };

export interface DispatchDeps {
  handlers: Handlers;
  /** Throws ExpectedError('NOT_UNLOCKED') when no mediator session is open. */
  requireMediator(): void;
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
    if (spec.mediatorOnly) deps.requireMediator();
    const handler = deps.handlers[verbName] as (input: unknown) => unknown;
    const value = await handler(parsed.data);
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
