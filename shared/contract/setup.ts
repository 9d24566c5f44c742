// The first-start assistant's verbs: where the booth stands in its set-up (hub and code or demonstration, site, first
// mediator, printer, camera and microphone), and each step's action. Each verb works only at its own step, so once a
// booth is set up no visitor can re-enrol it or add a mediator without a PIN.
import { z } from 'zod';
import { Empty, verb } from './verb.js';

export const SETUP_STEPS = ['hub', 'site', 'mediator', 'printer', 'devices', 'done'] as const;
export const SetupStep = z.enum(SETUP_STEPS);
export type SetupStep = z.infer<typeof SetupStep>;

export const SetupState = z.object({
  step: SetupStep,
  /** How the booth reaches a hub: enrolled with a code, the demonstration hub, or configured outside the assistant. */
  mode: z.enum(['hub', 'demo', 'configured']).nullable(),
  /** The enrolled hub's address (shown on the next steps); null otherwise. */
  hubAddress: z.string().nullable(),
  /** How the credential is kept: encrypted by the system (Electron's safeStorage) or in a file only this user reads. */
  credential: z.enum(['encrypted', 'file']).nullable(),
});
export type SetupState = z.infer<typeof SetupState>;

const Pin = z.string().regex(/^\d{4,8}$/, 'PIN of 4 to 8 digits');

export const setupVerbs = {
  'setup.state': verb({ input: Empty, output: SetupState, errors: [], mediatorOnly: false }),
  'setup.enrol': verb({
    input: z.object({ hubAddress: z.string().max(300), code: z.string().max(64) }).strict(),
    output: SetupState,
    errors: ['SETUP_STEP', 'HUB_ADDRESS_INVALID', 'HUB_UNREACHABLE', 'ENROL_CODE_UNKNOWN', 'ENROL_CODE_EXPIRED', 'ENROL_CODE_USED', 'ENROL_TOO_MANY_ATTEMPTS'],
    mediatorOnly: false,
  }),
  'setup.demo': verb({ input: Empty, output: SetupState, errors: ['SETUP_STEP'], mediatorOnly: false }),
  'setup.site': verb({
    input: z.object({ name: z.string().trim().min(1).max(80), commune: z.string().trim().max(80) }).strict(),
    output: SetupState,
    errors: ['SETUP_STEP'],
    mediatorOnly: false,
  }),
  /** Creates the site's first mediator, retires the demonstration's, and opens that mediator's session for the next steps. */
  'setup.firstMediator': verb({
    input: z.object({ name: z.string().trim().min(1).max(60), pin: Pin }).strict(),
    output: SetupState,
    errors: ['SETUP_STEP', 'DUPLICATE'],
    mediatorOnly: false,
  }),
  /** The printer or the devices step is done (tested, or left for later): on to the next. */
  'setup.next': verb({ input: z.object({ from: z.enum(['printer', 'devices']) }).strict(), output: SetupState, errors: ['NOT_UNLOCKED', 'SETUP_STEP'], mediatorOnly: true }),
} as const;
