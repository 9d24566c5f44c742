// The updates feature's verb: the renderer tells main whether the booth is idle (home screen, no call, no form open),
// which main combines with what it knows (a mediator's session) before installing a downloaded update.
import { z } from 'zod';
import { Done, verb } from './verb.js';

export const updatesVerbs = {
  'updates.idle': verb({ input: z.strictObject({ idle: z.boolean() }), output: Done, errors: [], mediatorOnly: false }),
} as const;
