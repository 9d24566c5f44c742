// The shape of a contract verb, shared by every feature's part of the contract.
import { z } from 'zod';
import type { ErrorCode } from '../errors.js';

export interface VerbSpec<I extends z.ZodType, O extends z.ZodType, M extends boolean = boolean> {
  input: I;
  output: O;
  /** Expected failures this verb may return, besides INVALID_INPUT and INTERNAL. */
  errors: readonly ErrorCode[];
  /** Whether the verb needs an unlocked mediator session (its handler is then given the mediator who acts). */
  mediatorOnly: M;
}

// `M` keeps `mediatorOnly` as a literal, so the dispatcher's handler types know which verbs receive a mediator.
export const verb = <I extends z.ZodType, O extends z.ZodType, M extends boolean>(spec: VerbSpec<I, O, M>): VerbSpec<I, O, M> => spec;
export const Empty = z.object({}).strict();
export const Done = z.object({ done: z.literal(true) });

