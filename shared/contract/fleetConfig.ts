// The configuration pushed from the hub, on the kiosk side: the renderer hands main each `config.apply` frame its hub
// socket receives (main checks and applies it, or refuses it whole), and the settings screen asks which fields the
// department manages.
import { z } from 'zod';
import { EpochMs } from '../domain.js';
import { ConfigVersion, MAX_REFUSAL_DETAIL, RefusalCode } from '../fleetConfig.js';
import { Empty, verb } from './verb.js';

export const FleetConfigOutcome = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('applied'), version: ConfigVersion }),
  z.strictObject({ status: z.literal('refused'), version: ConfigVersion, code: RefusalCode, detail: z.string().max(MAX_REFUSAL_DETAIL) }),
]);
export type FleetConfigOutcome = z.infer<typeof FleetConfigOutcome>;

export const FleetConfigState = z.strictObject({
  /** Whether a configuration from the department is applied: its fields are then read-only on the booth. */
  managed: z.boolean(),
  version: ConfigVersion.nullable(),
  appliedAt: EpochMs.nullable(),
  /** The last configuration refused (the booth kept the one it had). */
  refusal: z.strictObject({ version: ConfigVersion, code: RefusalCode, at: EpochMs }).nullable(),
});
export type FleetConfigState = z.infer<typeof FleetConfigState>;

export const fleetConfigVerbs = {
  'fleetConfig.apply': verb({
    // The configuration is checked by main itself (shared/fleetConfig.ts), so that a bad one is refused with its reason.
    input: z.strictObject({ version: ConfigVersion, config: z.record(z.string(), z.unknown()) }),
    output: FleetConfigOutcome,
    errors: [],
    mediatorOnly: false,
  }),
  'fleetConfig.state': verb({ input: Empty, output: FleetConfigState, errors: [], mediatorOnly: false }),
} as const;
