// The closed list of expected failure codes that cross the bridge; the renderer translates each (i18n `errors.<code>`).
import { z } from 'zod';

export const ErrorCode = z.enum([
  'INVALID_INPUT',
  'UNKNOWN_VERB',
  'FORBIDDEN_SENDER',
  'INTERNAL',
  'NOT_UNLOCKED',
  'WRONG_PIN',
  'PIN_LOCKED',
  'NOT_FOUND',
  'NOT_TODAY',
  'UNKNOWN_ORGANISATION',
  'DUPLICATE',
  'LAST_MEDIATOR',
  'HUB_UNAVAILABLE',
  'NO_PRINTER',
  'NOT_RETRYABLE',
  'TELESERVICE_UNAVAILABLE',
  'PRINT_UNAVAILABLE',
  'MANAGED_BY_DEPARTMENT',
  'ENROL_CODE_UNKNOWN',
  'ENROL_CODE_EXPIRED',
  'ENROL_CODE_USED',
  'ENROL_TOO_MANY_ATTEMPTS',
  'HUB_ADDRESS_INVALID',
  'HUB_UNREACHABLE',
  'SETUP_STEP',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorPayload = z.object({
  code: ErrorCode,
  message: z.string(),
  details: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type ErrorPayload = z.infer<typeof ErrorPayload>;

/** Thrown by a service for an expected failure; the dispatcher turns it into `{ ok: false, error }`. */
export class ExpectedError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, string | number>,
  ) {
    super(message);
    this.name = 'ExpectedError';
  }
}
