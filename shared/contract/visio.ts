// Visio-accueil verbs: how the booth reaches its hub, recording a finished call, and the document camera setting.
import { z } from 'zod';
import { EpochMs, OrganisationCode } from '../domain.js';
import { Visit } from './foundation.js';
import { Empty, verb } from './verb.js';

export const HubConnection = z.object({
  /** The hub's WebSocket URL (ws:// on the embedded demo hub, wss:// in production). */
  url: z.string().regex(/^wss?:\/\//),
  /** This booth's token, issued by the coordinator (`npm run hub -- booth add`). */
  token: z.string().min(1),
  demo: z.boolean(),
  /** Where agents open their console (shown to the mediator in demo mode). */
  consoleUrl: z.string().nullable(),
});
export type HubConnection = z.infer<typeof HubConnection>;

export const DeviceSettings = z.object({ documentCameraId: z.string().max(256).nullable() });
export type DeviceSettings = z.infer<typeof DeviceSettings>;

export const visioVerbs = {
  'hub.connection': verb({ input: Empty, output: HubConnection, errors: ['HUB_UNAVAILABLE'], mediatorOnly: false }),
  'visio.recordVisit': verb({
    input: z
      .object({ organisation: OrganisationCode, startedAt: EpochMs, endedAt: EpochMs })
      .strict()
      .refine((v) => v.startedAt <= v.endedAt, { message: 'startedAt must not be after endedAt', path: ['endedAt'] }),
    output: Visit,
    errors: ['UNKNOWN_ORGANISATION'],
    mediatorOnly: false,
  }),
  'visio.devices': verb({ input: Empty, output: DeviceSettings, errors: [], mediatorOnly: false }),
  'visio.setDevices': verb({ input: DeviceSettings.strict(), output: DeviceSettings, errors: ['NOT_UNLOCKED'], mediatorOnly: true }),
} as const;
