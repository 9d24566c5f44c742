// The shape of a contract verb, shared by every feature's part of the contract.
import { z } from 'zod';
import type { ErrorCode } from '../errors.js';

export interface VerbSpec<I extends z.ZodType, O extends z.ZodType> {
  input: I;
  output: O;
  /** Expected failures this verb may return, besides INVALID_INPUT and INTERNAL. */
  errors: readonly ErrorCode[];
  /** Whether the verb needs an unlocked mediator session. */
  mediatorOnly: boolean;
}

export const verb = <I extends z.ZodType, O extends z.ZodType>(spec: VerbSpec<I, O>): VerbSpec<I, O> => spec;
export const Empty = z.object({}).strict();
export const Done = z.object({ done: z.literal(true) });

